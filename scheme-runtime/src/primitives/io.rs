//! Output to the current output port (standard output, buffered).

use super::{character, primitive, string};
use crate::print::to_string;
use crate::text::string_str;
use crate::value::Value;

primitive!(
    "display",
    scm_p_display,
    1,
    1,
    "Print a value as display does (strings without quotes).",
    |ctx, args| {
        let s = to_string(args[0], false);
        ctx.write_out(s.as_bytes());
        Value::UNSPECIFIED
    }
);
primitive!(
    "write",
    scm_p_write,
    1,
    1,
    "Print a value in machine-readable syntax.",
    |ctx, args| {
        let s = to_string(args[0], true);
        ctx.write_out(s.as_bytes());
        Value::UNSPECIFIED
    }
);
primitive!(
    "newline",
    scm_p_newline,
    0,
    0,
    "Print a line break.",
    |ctx, _args| {
        ctx.write_out(b"\n");
        Value::UNSPECIFIED
    }
);
primitive!(
    "write-char",
    scm_p_write_char,
    1,
    1,
    "Print one character.",
    |ctx, args| {
        let c = character(ctx, "write-char", args[0]);
        ctx.write_out(c.encode_utf8(&mut [0; 4]).as_bytes());
        Value::UNSPECIFIED
    }
);
primitive!(
    "write-string",
    scm_p_write_string,
    1,
    1,
    "Print a string's characters.",
    |ctx, args| {
        let s = string_str(string(ctx, "write-string", args[0]));
        ctx.write_out(s.as_bytes());
        Value::UNSPECIFIED
    }
);
