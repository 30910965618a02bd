//! Output to the current output port (standard output, buffered).

use crate::ctx::Ctx;
use crate::print::to_string;
use crate::scheme_fn;
use crate::value::Value;

/// Print a value as `display` does (strings and characters as themselves).
#[scheme_fn]
fn display(ctx: &mut Ctx, value: Value) {
    let s = to_string(value, false);
    ctx.write_out(s.as_bytes());
}

/// Print a value in machine-readable syntax.
#[scheme_fn]
fn write(ctx: &mut Ctx, value: Value) {
    let s = to_string(value, true);
    ctx.write_out(s.as_bytes());
}

/// Print a line break.
#[scheme_fn]
fn newline(ctx: &mut Ctx) {
    ctx.write_out(b"\n");
}

/// Print one character.
#[scheme_fn(name = "write-char")]
fn write_char(ctx: &mut Ctx, c: char) {
    ctx.write_out(c.encode_utf8(&mut [0; 4]).as_bytes());
}

/// Print a string's characters.
#[scheme_fn(name = "write-string")]
fn write_string(ctx: &mut Ctx, s: &str) {
    ctx.write_out(s.as_bytes());
}
