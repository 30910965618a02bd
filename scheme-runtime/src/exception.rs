//! Raising: conditions (the objects runtime errors raise), the handler
//! stack of `with-exception-handler`, and how a raise leaves Rust code.
//!
//! Every error the runtime signals is a condition object raised like any
//! value: the innermost handler (`ctx.handlers`) is called with it, in the
//! dynamic environment of the raise minus that handler, through
//! `Ctx::call`. A handler that returns from a non-continuable raise raises
//! a secondary error; no handler at all prints the message and exits 1.
//!
//! From Rust code inside a `#[scheme_fn]` trampoline, [`raise_error`]
//! first unwinds the Rust frames (a panic payload the trampoline catches,
//! so destructors run), then the trampoline raises. From runtime entry
//! points that compiled code calls directly, it raises in place.

use crate::abi::*;
use crate::control::{abort_boundary, resume_throw, Pending};
use crate::print::to_string;
use crate::rt::Ctx;
use crate::rt::Value;
use crate::value::Kind;

// Fields of a condition object (word indices; see `abi::TYPE_CONDITION`).
const C_KIND: usize = 1;
const C_WHO: usize = 2;
const C_MESSAGE: usize = 3;
const C_IRRITANTS: usize = 4;
const C_POSITION: usize = 5;
const C_EXPECTED: usize = 6;
const C_FIELDS: u64 = 6;

/// An error a `#[scheme_fn]` may return (`Result<T, Error>`): raised as a
/// condition of this kind, so a handler can tell a file error
/// (`file-error?`) from others. Not `Display`, so that `Result<T, E:
/// Display>` keeps meaning "an error with this message".
#[derive(Debug, Clone)]
pub struct Error {
    /// The condition's kind, e.g. `file`, `read` or `error` (becomes a symbol).
    pub kind: &'static str,
    /// The condition's message.
    pub message: String,
}

impl Error {
    /// A failed file operation (`file-error?` is true of it).
    pub fn file(message: impl Into<String>) -> Error {
        Error {
            kind: "file",
            message: message.into(),
        }
    }
    /// Malformed input to `read` (`read-error?` is true of it).
    pub fn read(message: impl Into<String>) -> Error {
        Error {
            kind: "read",
            message: message.into(),
        }
    }
    /// Any other error.
    pub fn other(message: impl Into<String>) -> Error {
        Error {
            kind: "error",
            message: message.into(),
        }
    }
}

/// Payloads of the unwinding a raise does through Rust frames.
pub(crate) struct RaiseUnwind;
pub(crate) struct EscapeUnwind;

/// A new condition. `kind` is `error` for `(error ...)`, else what went
/// wrong (`type`, `range`, `arity`, `file`, ...); `who` the procedure.
pub fn make_condition(
    ctx: &mut Ctx,
    kind: &str,
    who: Option<&str>,
    message: &str,
    irritants: Value,
) -> Value {
    let irritants = ctx.root(irritants);
    let kind = ctx.intern(kind);
    let kind = ctx.root(kind);
    let who = match who {
        Some(w) => ctx.make_string_from(w),
        None => Value::FALSE,
    };
    let who = ctx.root(who);
    let message = ctx.make_string_from(message);
    let c = ctx.alloc_object(TYPE_CONDITION, C_FIELDS, C_FIELDS);
    c.set_word(C_KIND, kind.value().0);
    c.set_word(C_WHO, who.value().0);
    c.set_word(C_MESSAGE, message.0);
    c.set_word(C_IRRITANTS, irritants.value().0);
    c.set_word(C_POSITION, Value::FALSE.0);
    c.set_word(C_EXPECTED, Value::FALSE.0);
    c
}

/// A type error: argument `position` (1-based, if known) of `who` should
/// have been `expected` and was `got`.
pub fn type_condition(
    ctx: &mut Ctx,
    who: &str,
    position: Option<usize>,
    param: Option<&str>,
    expected: &str,
    got: Value,
) -> Value {
    let shown = to_string(got, true);
    let message = match (position, param) {
        (Some(i), Some(p)) => format!("argument {i} ({p}): expected {expected}, got {shown}"),
        (Some(i), None) => format!("argument {i}: expected {expected}, got {shown}"),
        _ => format!("expected {expected}, got {shown}"),
    };
    let irritants = ctx.cons(got, Value::NIL);
    let c = make_condition(ctx, "type", Some(who), &message, irritants);
    let c = ctx.root(c);
    let expected = ctx.make_string_from(expected);
    let c = c.value();
    c.set_word(C_EXPECTED, expected.0);
    if let Some(i) = position {
        c.set_word(C_POSITION, Value::fixnum(i as i64).0);
    }
    c
}

/// The condition for an error message of the runtime's library, whose
/// forms are fixed: `argument N (param): expected T, got V` (a type error,
/// with its argument and expected type), `index I out of range for O`,
/// `division by zero`; anything else is kind `error`.
pub(crate) fn runtime_condition(ctx: &mut Ctx, who: &str, message: &str) -> Value {
    let kind = if message.contains("out of range") {
        "range"
    } else if message.contains("division by zero") {
        "divide-by-zero"
    } else if let Some((position, expected)) = type_error_parts(message) {
        let c = make_condition(ctx, "type", Some(who), message, Value::NIL);
        let c = ctx.root(c);
        let expected = ctx.make_string_from(expected);
        let c = c.value();
        c.set_word(C_EXPECTED, expected.0);
        c.set_word(C_POSITION, Value::fixnum(position as i64).0);
        return c;
    } else {
        "error"
    };
    make_condition(ctx, kind, Some(who), message, Value::NIL)
}

/// `argument N (param): expected T, got V` => `(N, T)`.
fn type_error_parts(message: &str) -> Option<(usize, &str)> {
    let rest = message.strip_prefix("argument ")?;
    let (n, rest) = rest.split_once(' ')?;
    let expected = rest.split_once("expected ")?.1;
    let expected = expected.split_once(", got ")?.0;
    Some((n.parse().ok()?, expected))
}

pub fn is_condition(v: Value) -> bool {
    v.kind() == Kind::Condition
}

/// Field accessors (`v` is a condition).
pub fn condition_kind(v: Value) -> Value {
    Value::from_bits(v.word(C_KIND))
}
pub fn condition_who(v: Value) -> Value {
    Value::from_bits(v.word(C_WHO))
}
pub fn condition_message(v: Value) -> Value {
    Value::from_bits(v.word(C_MESSAGE))
}
pub fn condition_irritants(v: Value) -> Value {
    Value::from_bits(v.word(C_IRRITANTS))
}
pub fn condition_position(v: Value) -> Value {
    Value::from_bits(v.word(C_POSITION))
}
pub fn condition_expected(v: Value) -> Value {
    Value::from_bits(v.word(C_EXPECTED))
}

/// The text an uncaught raise of `v` prints after `error: `.
pub fn describe(v: Value) -> String {
    if !is_condition(v) {
        return format!("uncaught exception: {}", to_string(v, true));
    }
    let mut s = String::new();
    let who = condition_who(v);
    if who.is_string() {
        s.push_str(&crate::text::string_str(who));
        s.push_str(": ");
    }
    let message = condition_message(v);
    if message.is_string() {
        s.push_str(&crate::text::string_str(message));
    } else {
        s.push_str(&to_string(message, true));
    }
    // The runtime's own conditions say everything in the message; the
    // irritants of `(error message irritant ...)` follow it.
    if to_string(condition_kind(v), false) == "error" {
        let mut l = condition_irritants(v);
        while l.is_pair() {
            s.push(' ');
            s.push_str(&to_string(l.car(), true));
            l = l.cdr();
        }
    }
    s
}

/// How `write` shows a condition.
pub fn print_condition(out: &mut String, v: Value) {
    out.push_str("#<condition ");
    out.push_str(&to_string(condition_kind(v), false));
    out.push_str(": ");
    out.push_str(&describe(v));
    out.push('>');
}

/// Why `raise_value` did not return a value.
pub(crate) enum Leave {
    /// A handler jumped to a continuation (`ctx.throw_target`).
    Escape,
    /// No handler inside the innermost boundary: `ctx.pending` is set.
    Boundary,
}

/// Raise `obj`: call the handlers, innermost first. `Ok` only for a
/// continuable raise whose handler returned.
pub(crate) fn raise_value(
    ctx: &mut Ctx,
    mut obj: Value,
    continuable: bool,
) -> Result<Value, Leave> {
    loop {
        let hs = ctx.handlers;
        let catching = ctx.boundaries.iter().rev().find(|b| b.catches);
        if catching.is_some_and(|b| b.handlers == hs) {
            ctx.pending = Some(Pending::Raised);
            ctx.pending_value = obj;
            return Err(Leave::Boundary);
        }
        if !hs.is_pair() {
            uncaught(ctx, obj)
        }
        ctx.handlers = hs.cdr();
        // For a handler that reports where the raise happened (the REPL).
        ctx.raise_point = Some(crate::backtrace::StackPoint::now(ctx));
        let args = [obj];
        match ctx.call_with(crate::convert::Procedure(hs.car()), &args, false) {
            Ok(v) if continuable => {
                ctx.handlers = hs;
                return Ok(v);
            }
            Ok(_) => {
                // R7RS: a secondary exception, in the handler's environment.
                let irritants = ctx.cons(args[0], Value::NIL);
                obj = make_condition(
                    ctx,
                    "error",
                    Some("raise"),
                    "handler returned from a non-continuable raise of",
                    irritants,
                );
            }
            Err(e) => match e.raised_value() {
                // The handler raised: its own handler comes next.
                Some(v) => obj = v,
                None => return Err(Leave::Escape),
            },
        }
    }
}

/// Nothing handles `obj`: print it and exit 1.
#[cold]
pub(crate) fn uncaught(ctx: &mut Ctx, obj: Value) -> ! {
    let text = describe(obj);
    let report = crate::backtrace::report(ctx, &text);
    crate::error::exit_with_report(ctx, &report)
}

/// Raise `obj` from here (no Rust frame to unwind): never returns.
pub(crate) fn raise_here(ctx: &mut Ctx, obj: Value) -> ! {
    match raise_value(ctx, obj, false) {
        Ok(_) => unreachable!("a non-continuable raise does not return"),
        Err(Leave::Escape) => resume_throw(ctx),
        Err(Leave::Boundary) => abort_boundary(ctx),
    }
}

/// Raise `obj` from Rust code: inside a trampoline, unwind the Rust frames
/// to it first (their destructors run); otherwise raise in place.
pub fn raise_error(ctx: &mut Ctx, obj: Value) -> ! {
    if ctx.catch_depth > 0 {
        ctx.raising = obj;
        std::panic::resume_unwind(Box::new(RaiseUnwind))
    }
    raise_here(ctx, obj)
}

/// Continue a continuation jump that `Ctx::call` reported, from Rust code.
pub(crate) fn unwind_or(ctx: &mut Ctx, then: fn(&mut Ctx) -> !) -> ! {
    if ctx.catch_depth > 0 {
        std::panic::resume_unwind(Box::new(EscapeUnwind))
    }
    then(ctx)
}

/// A trampoline caught an unwinding: finish the raise or jump it carries,
/// or turn a panic into a raised condition.
#[cold]
#[inline(never)]
pub(crate) fn unwound(ctx: &mut Ctx, who: &str, payload: Box<dyn std::any::Any + Send>) -> ! {
    if payload.is::<RaiseUnwind>() {
        drop(payload);
        let obj = std::mem::replace(&mut ctx.raising, Value::FALSE);
        raise_here(ctx, obj)
    }
    if payload.is::<EscapeUnwind>() {
        drop(payload);
        resume_throw(ctx)
    }
    // Built in a block: nothing owned is left when `raise_here` jumps.
    let c = {
        let msg = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        drop(payload);
        make_condition(
            ctx,
            "panic",
            Some(who),
            &format!("panicked: {msg}"),
            Value::NIL,
        )
    };
    raise_here(ctx, c)
}
