//! Errors and exit.

use super::primitive;
use crate::error::fatal;
use crate::print::to_string;
use crate::registry::VARIADIC;
use crate::text::string_str;
use crate::value::Kind;

primitive!(
    "error",
    scm_p_error,
    1,
    VARIADIC,
    "Signal an error: a message and irritants.",
    |ctx, args| {
        let mut msg = if args[0].is_string() {
            string_str(args[0]).to_owned()
        } else {
            to_string(args[0], true)
        };
        for &irritant in &args[1..] {
            msg.push(' ');
            msg.push_str(&to_string(irritant, true));
        }
        fatal(ctx, &msg)
    }
);
primitive!(
    "exit",
    scm_p_exit,
    0,
    1,
    "End the program: #t or no argument is status 0, #f is 1, an integer is itself.",
    |ctx, args| {
        let code = match args.first() {
            None => 0,
            Some(v) => match v.kind() {
                Kind::Fixnum => v.as_fixnum() as i32,
                Kind::Boolean if v.is_true() => 0,
                _ => 1,
            },
        };
        ctx.flush();
        std::process::exit(code)
    }
);
