//! Errors and exit.

use crate::convert::Optional;
use crate::ctx::Ctx;
use crate::error::fatal;
use crate::print::to_string;
use crate::scheme_fn;
use crate::text::string_str;
use crate::value::{Kind, Value};

/// Signal an error: a message (a string, or any value) and irritants.
#[scheme_fn]
fn error(ctx: &mut Ctx, message: Value, irritants: &[Value]) {
    let mut msg = if message.is_string() {
        string_str(message).to_owned()
    } else {
        to_string(message, true)
    };
    for &irritant in irritants {
        msg.push(' ');
        msg.push_str(&to_string(irritant, true));
    }
    fatal(ctx, &msg)
}

/// The process status `exit` and `emergency-exit` give: no argument or #t
/// is 0, #f is 1, an integer is itself.
pub(super) fn exit_code(status: Optional<Value>) -> i32 {
    match status.0 {
        None => 0,
        Some(v) => match v.kind() {
            Kind::Fixnum => v.as_fixnum() as i32,
            Kind::Boolean if v.is_true() => 0,
            _ => 1,
        },
    }
}

/// End the program: no argument or #t is status 0, #f is 1, an integer is itself.
#[scheme_fn]
fn exit(ctx: &mut Ctx, status: Optional<Value>) {
    ctx.exit(exit_code(status))
}
