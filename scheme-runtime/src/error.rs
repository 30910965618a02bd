//! Runtime errors: each raises a condition (see `exception.rs`); uncaught,
//! it flushes standard output, prints one line on standard error and ends
//! the process with status 1. Compiled code reaches these through the
//! `scm_error_*` entry points; Rust code calls [`type_error`] and friends.
//! [`fatal`] (no raise) is for what a program cannot go on from.

use std::ffi::{c_char, CStr};
use std::io::Write;

use crate::exception::{make_condition, raise_error, type_condition};
use crate::print::to_string;
use crate::rt::Ctx;
use crate::rt::Value;

/// Report a runtime error and exit with status 1.
#[cold]
pub fn fatal(ctx: &mut Ctx, message: &str) -> ! {
    let colour = crate::backtrace::colour_stderr();
    exit_with_report(ctx, &crate::diagnostic::render(message, None, &[], colour))
}

/// Print `report` (complete lines) on standard error and exit with status 1.
#[cold]
pub fn exit_with_report(ctx: &mut Ctx, report: &str) -> ! {
    crate::eval::cleanup(ctx);
    ctx.flush_ports();
    ctx.flush();
    print_report(report);
    std::process::exit(1)
}

/// Print a report (rendered, coloured or not) on standard error.
pub(crate) fn print_report(report: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(report.as_bytes());
    let _ = stderr.flush();
}

/// Raise a condition of `kind` from `who` with `message`.
#[cold]
pub fn raise(ctx: &mut Ctx, kind: &str, who: &str, message: &str) -> ! {
    let c = make_condition(ctx, kind, Some(who), message, Value::NIL);
    raise_error(ctx, c)
}

/// `who: expected WHAT, got VALUE`.
#[cold]
pub fn type_error(ctx: &mut Ctx, who: &str, expected: &str, got: Value) -> ! {
    let c = type_condition(ctx, who, None, None, expected, got);
    raise_error(ctx, c)
}

/// `who: expected N arguments, got M`.
#[cold]
pub fn arity_error(ctx: &mut Ctx, who: &str, expected: &str, got: u64) -> ! {
    let c = {
        let s = if expected == "1" { "" } else { "s" };
        let message = format!("expected {expected} argument{s}, got {got}");
        make_condition(ctx, "arity", Some(who), &message, Value::NIL)
    };
    raise_error(ctx, c)
}

/// `who: index I out of range for OBJECT`.
#[cold]
pub fn range_error(ctx: &mut Ctx, who: &str, index: Value, object: Value) -> ! {
    let c = {
        let (i, o) = (to_string(index, true), to_string(object, true));
        let message = format!("index {i} out of range for {o}");
        let irritants = ctx.list(&[index, object]);
        make_condition(ctx, "range", Some(who), &message, irritants)
    };
    raise_error(ctx, c)
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
    let c = {
        let message = format!(
            "fixnum overflow with {} and {}",
            to_string(a, true),
            to_string(b, true)
        );
        let irritants = ctx.list(&[a, b]);
        make_condition(ctx, "overflow", Some(c_str(who)), &message, irritants)
    };
    raise_error(ctx, c)
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
    raise(ctx, "divide-by-zero", c_str(who), "division by zero")
}

/// A compiled procedure was called with the wrong number of arguments.
#[no_mangle]
pub extern "C" fn scm_error_arity(ctx: &mut Ctx, closure: Value, argc: u64) -> ! {
    let c = {
        let name = crate::print::procedure_name(closure).unwrap_or("anonymous procedure");
        let name = name.to_owned();
        let s = if argc == 1 { "" } else { "s" };
        let message = format!("wrong number of arguments: got {argc} argument{s}");
        let irritants = ctx.cons(closure, Value::NIL);
        make_condition(ctx, "arity", Some(&name), &message, irritants)
    };
    raise_error(ctx, c)
}

/// A call's operator was not a procedure.
#[no_mangle]
pub extern "C" fn scm_error_not_procedure(ctx: &mut Ctx, value: Value) -> ! {
    let c = {
        let message = format!(
            "attempt to call a non-procedure: {}",
            to_string(value, true)
        );
        let irritants = ctx.cons(value, Value::NIL);
        make_condition(ctx, "not-procedure", None, &message, irritants)
    };
    raise_error(ctx, c)
}

/// A global was read before its definition ran.
#[no_mangle]
pub extern "C" fn scm_error_unbound(ctx: &mut Ctx, name: *const c_char) -> ! {
    raise(
        ctx,
        "unbound",
        c_str(name),
        "variable used before its definition",
    )
}

/// Code compiled for the interaction environment (`eval`, the REPL) read
/// a global that nothing has defined: "variable `x` is not bound", with
/// "did you mean" among the defined globals and the primitives.
#[no_mangle]
pub extern "C" fn scm_error_not_bound(ctx: &mut Ctx, name: *const c_char) -> ! {
    let name = c_str(name);
    let mut message = format!("variable `{name}` is not bound");
    if let Some(near) = crate::eval::nearest_name(ctx, name) {
        message.push_str(&format!("; did you mean `{near}`?"));
    }
    let c = make_condition(ctx, "unbound", None, &message, Value::NIL);
    raise_error(ctx, c)
}

/// Compiled code ran past the end of its stack.
#[no_mangle]
pub extern "C" fn scm_error_stack_overflow(ctx: &mut Ctx) -> ! {
    fatal(ctx, "stack overflow (recursion too deep)")
}
