//! Exceptions (R7RS 6.11) and the state `call/cc`, `dynamic-wind` and
//! `with-exception-handler` keep (see `control.rs`, `exception.rs`; the
//! last two are written in Scheme in the compiler's prelude over the
//! `%` primitives here).

use crate::exception::{
    condition_expected, condition_irritants, condition_kind, condition_message, condition_position,
    condition_who, is_condition, make_condition, raise_error, raise_here, raise_value, unwind_or,
    Leave,
};
use crate::print::to_string;
use crate::rt::Ctx;
use crate::rt::Value;
use crate::scheme_fn;
use crate::text::{string_str, symbol_str};

/// Raise `obj`: the current handler is called with it; if it returns, a
/// secondary error is raised.
#[scheme_fn]
fn raise(ctx: &mut Ctx, obj: Value) {
    // Nothing here needs dropping: raise without unwinding (fast).
    raise_here(ctx, obj)
}

/// Raise `obj`; the handler's value is the value of the call.
#[scheme_fn]
fn raise_continuable(ctx: &mut Ctx, obj: Value) -> Value {
    match raise_value(ctx, obj, true) {
        Ok(v) => v,
        Err(Leave::Escape) => unwind_or(ctx, crate::control::resume_throw),
        Err(Leave::Boundary) => {
            ctx.pending = None;
            let v = std::mem::replace(&mut ctx.pending_value, Value::FALSE);
            raise_error(ctx, v)
        }
    }
}

/// Raise an error object with `message` (a string, or any value) and irritants.
#[scheme_fn]
fn error(ctx: &mut Ctx, message: Value, irritants: &[Value]) {
    let c = {
        let irritants = ctx.list(irritants);
        let text = if message.is_string() {
            string_str(message).into_owned()
        } else {
            to_string(message, true)
        };
        make_condition(ctx, "error", None, &text, irritants)
    };
    raise_here(ctx, c)
}

/// Is `obj` an error object (made by `error` or raised by the runtime)?
#[scheme_fn(name = "error-object?")]
fn error_object_p(obj: Value) -> bool {
    is_condition(obj)
}

fn condition(ctx: &mut Ctx, who: &str, obj: Value) -> Value {
    if !is_condition(obj) {
        crate::error::type_error(ctx, who, "error object", obj)
    }
    obj
}

/// The message of an error object.
#[scheme_fn]
fn error_object_message(ctx: &mut Ctx, obj: Value) -> Value {
    condition_message(condition(ctx, "error-object-message", obj))
}

/// The irritants of an error object.
#[scheme_fn]
fn error_object_irritants(ctx: &mut Ctx, obj: Value) -> Value {
    condition_irritants(condition(ctx, "error-object-irritants", obj))
}

fn has_kind(obj: Value, kind: &str) -> bool {
    is_condition(obj) && symbol_str(condition_kind(obj)) == kind
}

/// Was `obj` raised by `read` on malformed input?
#[scheme_fn(name = "read-error?")]
fn read_error_p(obj: Value) -> bool {
    has_kind(obj, "read")
}

/// Was `obj` raised by a failed file operation?
#[scheme_fn(name = "file-error?")]
fn file_error_p(obj: Value) -> bool {
    has_kind(obj, "file")
}

/// What kind of error: `error` (from `error`), `type`, `range`, `arity`,
/// `divide-by-zero`, `overflow`, `unbound`, `not-procedure`, `file`,
/// `read`, `panic`, `continuation`.
#[scheme_fn(name = "condition-kind")]
fn condition_kind_of(ctx: &mut Ctx, obj: Value) -> Value {
    condition_kind(condition(ctx, "condition-kind", obj))
}

/// The procedure that raised it (a string), or #f.
#[scheme_fn(name = "condition-who")]
fn condition_who_of(ctx: &mut Ctx, obj: Value) -> Value {
    condition_who(condition(ctx, "condition-who", obj))
}

/// For a type error: which argument (1-based) was wrong, or #f.
#[scheme_fn]
fn condition_argument(ctx: &mut Ctx, obj: Value) -> Value {
    condition_position(condition(ctx, "condition-argument", obj))
}

/// For a type error: what the argument should have been (a string), or #f.
#[scheme_fn(name = "condition-expected")]
fn condition_expected_of(ctx: &mut Ctx, obj: Value) -> Value {
    condition_expected(condition(ctx, "condition-expected", obj))
}

/// Call `receiver` with the current continuation. (Compiled code calls
/// the runtime's assembly entry instead of this function.)
#[scheme_fn(name = "call/cc")]
fn call_cc(ctx: &mut Ctx, receiver: Value) {
    let _ = receiver;
    crate::error::raise(ctx, "error", "call/cc", "called outside compiled code")
}

/// The same as `call/cc`.
#[scheme_fn]
fn call_with_current_continuation(ctx: &mut Ctx, receiver: Value) {
    let _ = receiver;
    crate::error::raise(
        ctx,
        "error",
        "call-with-current-continuation",
        "called outside compiled code",
    )
}

/// The handlers of `with-exception-handler`, innermost first.
#[scheme_fn(name = "%handlers")]
fn handlers(ctx: &mut Ctx) -> Value {
    ctx.handlers
}

#[scheme_fn(name = "%set-handlers!")]
fn set_handlers(ctx: &mut Ctx, handlers: Value) {
    ctx.handlers = handlers;
}

/// The `dynamic-wind` entries `(before . after)`, innermost first.
#[scheme_fn(name = "%winders")]
fn winders(ctx: &mut Ctx) -> Value {
    ctx.winders
}

#[scheme_fn(name = "%set-winders!")]
fn set_winders(ctx: &mut Ctx, winders: Value) {
    ctx.winders = winders;
}

/// Raise the type error a primitive raises: argument `position` (1-based)
/// of `who` should have been `expected` and was `value` (for procedures
/// of the library written in Scheme).
#[scheme_fn(name = "%type-error")]
fn raise_type_error(ctx: &mut Ctx, who: Value, position: usize, expected: &str, value: Value) {
    let c = {
        let who = to_string(who, false);
        crate::exception::type_condition(ctx, &who, Some(position), None, expected, value)
    };
    raise_here(ctx, c)
}
