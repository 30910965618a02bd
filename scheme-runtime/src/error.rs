//! Runtime errors. An error flushes standard output, prints one line on
//! standard error and ends the process with status 1. Compiled code reaches
//! these through the `scm_error_*` entry points; Rust code calls [`fatal`].

use std::ffi::{c_char, CStr};
use std::io::Write;

use crate::ctx::Ctx;
use crate::print::to_string;
use crate::value::Value;

/// Report a runtime error and exit with status 1.
#[cold]
pub fn fatal(ctx: &mut Ctx, message: &str) -> ! {
    ctx.flush_ports();
    ctx.flush();
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "error: {message}");
    let _ = stderr.flush();
    std::process::exit(1)
}

/// `who: expected WHAT, got VALUE`.
#[cold]
pub fn type_error(ctx: &mut Ctx, who: &str, expected: &str, got: Value) -> ! {
    let got = to_string(got, true);
    fatal(ctx, &format!("{who}: expected {expected}, got {got}"))
}

/// `who: expected N arguments, got M`.
#[cold]
pub fn arity_error(ctx: &mut Ctx, who: &str, expected: &str, got: u64) -> ! {
    let s = if expected == "1" { "" } else { "s" };
    fatal(
        ctx,
        &format!("{who}: expected {expected} argument{s}, got {got}"),
    )
}

/// `who: index I out of range for OBJECT`.
#[cold]
pub fn range_error(ctx: &mut Ctx, who: &str, index: Value, object: Value) -> ! {
    let (i, o) = (to_string(index, true), to_string(object, true));
    fatal(ctx, &format!("{who}: index {i} out of range for {o}"))
}

fn c_str<'a>(p: *const c_char) -> &'a str {
    // SAFETY: compiled code passes NUL-terminated UTF-8 names it emitted.
    unsafe { CStr::from_ptr(p) }.to_str().unwrap_or("?")
}

/// A primitive inlined in compiled code got a wrong-typed argument.
#[no_mangle]
pub extern "C" fn scm_error_type(
    ctx: &mut Ctx,
    who: *const c_char,
    expected: *const c_char,
    got: Value,
) -> ! {
    type_error(ctx, c_str(who), c_str(expected), got)
}

/// Inline fixnum arithmetic overflowed.
#[no_mangle]
pub extern "C" fn scm_error_overflow(ctx: &mut Ctx, who: *const c_char, a: Value, b: Value) -> ! {
    let (a, b) = (to_string(a, true), to_string(b, true));
    fatal(
        ctx,
        &format!("{}: fixnum overflow with {a} and {b}", c_str(who)),
    )
}

/// An index was out of range for `object`.
#[no_mangle]
pub extern "C" fn scm_error_range(
    ctx: &mut Ctx,
    who: *const c_char,
    index: Value,
    object: Value,
) -> ! {
    range_error(ctx, c_str(who), index, object)
}

/// `(quotient n 0)` and friends.
#[no_mangle]
pub extern "C" fn scm_error_div_zero(ctx: &mut Ctx, who: *const c_char) -> ! {
    fatal(ctx, &format!("{}: division by zero", c_str(who)))
}

/// A compiled procedure was called with the wrong number of arguments.
#[no_mangle]
pub extern "C" fn scm_error_arity(ctx: &mut Ctx, closure: Value, argc: u64) -> ! {
    let name = crate::print::procedure_name(closure).unwrap_or("anonymous procedure");
    let name = name.to_owned();
    let s = if argc == 1 { "" } else { "s" };
    fatal(
        ctx,
        &format!("{name}: wrong number of arguments: got {argc} argument{s}"),
    )
}

/// A call's operator was not a procedure.
#[no_mangle]
pub extern "C" fn scm_error_not_procedure(ctx: &mut Ctx, value: Value) -> ! {
    let v = to_string(value, true);
    fatal(ctx, &format!("attempt to call a non-procedure: {v}"))
}

/// A global was read before its definition ran.
#[no_mangle]
pub extern "C" fn scm_error_unbound(ctx: &mut Ctx, name: *const c_char) -> ! {
    fatal(
        ctx,
        &format!("{}: variable used before its definition", c_str(name)),
    )
}

/// Compiled code ran past the end of its stack.
#[no_mangle]
pub extern "C" fn scm_error_stack_overflow(ctx: &mut Ctx) -> ! {
    fatal(ctx, "stack overflow (recursion too deep)")
}
