//! Support for the code that `#[scheme_fn]` generates. Not a public API:
//! names here may change with any release (the plugin ABI version covers it).

use std::panic::{catch_unwind, AssertUnwindSafe};

pub use crate::convert::{Failure, FromScheme, Omittable, Rest, RestType, ReturnValue};
pub use linkme;

use crate::ctx::Ctx;
use crate::error::arity_error;
use crate::exception::{make_condition, raise_error, type_condition, unwound};
use crate::registry::PrimDesc;
use crate::value::Value;

/// Entry with arguments in an array: checks the count, then runs `f`.
///
/// # Safety
/// `ctx` is the live context and `argc` values are readable at `argv`.
#[inline(always)]
pub unsafe fn array_entry(
    ctx: *mut Ctx,
    argv: *const Value,
    argc: u64,
    desc: &'static PrimDesc,
    f: impl FnOnce(&mut Ctx, &[Value]) -> Value,
) -> Value {
    // SAFETY: guaranteed by the caller.
    let ctx = unsafe { &mut *ctx };
    if !desc.accepts(argc as usize) {
        arity_error(ctx, desc.name, &desc.arity_text(), argc);
    }
    // SAFETY: guaranteed by the caller.
    let args = unsafe { std::slice::from_raw_parts(argv, argc as usize) };
    guarded(ctx, desc, |ctx| f(ctx, args))
}

/// Entry with arguments in registers (the count was checked at compile time).
///
/// # Safety
/// `ctx` is the live context.
#[inline(always)]
pub unsafe fn fast_entry(
    ctx: *mut Ctx,
    desc: &'static PrimDesc,
    f: impl FnOnce(&mut Ctx) -> Value,
) -> Value {
    // SAFETY: guaranteed by the caller.
    guarded(unsafe { &mut *ctx }, desc, f)
}

/// Run `f`; a panic, or a raise or continuation jump that unwinds the
/// Rust frames (see `exception.rs`), is caught here and carried on from
/// this frame: nothing unwinds into compiled code.
#[inline(always)]
fn guarded(ctx: &mut Ctx, desc: &'static PrimDesc, f: impl FnOnce(&mut Ctx) -> Value) -> Value {
    let ptr: *mut Ctx = ctx;
    ctx.catch_depth += 1;
    // SAFETY: `ptr` comes from the `&mut Ctx` above; the closure and the
    // code after it use it one after the other.
    let r = catch_unwind(AssertUnwindSafe(|| f(unsafe { &mut *ptr })));
    let ctx = unsafe { &mut *ptr };
    ctx.catch_depth -= 1;
    match r {
        Ok(v) => v,
        Err(payload) => unwound(ctx, desc.name, payload),
    }
}

/// Convert argument `index` (0-based) or report
/// `name: argument N (param): expected TYPE, got VALUE`.
#[inline(always)]
pub fn arg<'a, T: FromScheme<'a>>(ctx: &mut Ctx, v: Value, desc: &PrimDesc, index: usize) -> T {
    match T::from_scheme(v) {
        Some(x) => x,
        None => arg_error(ctx, desc, index, v),
    }
}

/// The fast path of argument conversion: `None` sends the call to the
/// array entry's full conversion.
#[inline(always)]
pub fn fast_arg<'a, T: FromScheme<'a>>(v: Value) -> Option<T> {
    T::from_scheme_fast(v)
}

/// A trailing `Option<T>` parameter: `None` when the caller left it out.
#[inline(always)]
pub fn optional_arg<'a, T: FromScheme<'a> + Omittable>(
    ctx: &mut Ctx,
    v: Option<Value>,
    desc: &PrimDesc,
    index: usize,
) -> T {
    match v {
        None => T::absent(),
        Some(v) => arg::<T>(ctx, v, desc, index),
    }
}

/// A `&[Value]` rest parameter.
#[inline(always)]
pub fn rest_values(args: &[Value], from: usize) -> &[Value] {
    args.get(from..).unwrap_or(&[])
}

/// A `RestSlice<T>` parameter.
#[inline(always)]
pub fn rest_slice<'a, T: FromScheme<'a>>(
    args: &'a [Value],
    from: usize,
    name: &'static str,
) -> crate::convert::RestSlice<'a, T> {
    crate::convert::RestSlice::new(args.get(from..).unwrap_or(&[]), from, name)
}

/// A `Rest<T>` parameter: each remaining argument converted.
pub fn rest_arg<'a, T: FromScheme<'a>>(
    ctx: &mut Ctx,
    args: &[Value],
    desc: &PrimDesc,
    from: usize,
) -> Rest<T> {
    let mut items = Vec::with_capacity(args.len().saturating_sub(from));
    for (i, &v) in args.iter().enumerate().skip(from) {
        items.push(arg(ctx, v, desc, i));
    }
    Rest(items)
}

/// Convert the result; an `Err` is raised (a message as a condition of
/// kind `error` from `name`, an [`Exception`] as what it carries).
#[inline(always)]
pub fn ret<R: ReturnValue>(ctx: &mut Ctx, desc: &PrimDesc, r: R) -> Value {
    match r.into_value(ctx) {
        Ok(v) => v,
        Err(failure) => result_error(ctx, desc, failure),
    }
}

/// A `&mut String` argument: a copy of the string's text, stored back
/// with `string_store` after the call.
#[inline(always)]
pub fn string_copy(ctx: &mut Ctx, v: Value, desc: &PrimDesc, index: usize) -> String {
    if !v.is_string() {
        arg_error(ctx, desc, index, v);
    }
    crate::text::string_str(v).to_owned()
}

/// Store a changed `&mut String` argument back into its string object.
pub fn string_store(ctx: &mut Ctx, v: Value, s: String) {
    ctx.string_store(v, &s)
}

#[cold]
#[inline(never)]
fn result_error(ctx: &mut Ctx, desc: &PrimDesc, failure: Failure) -> ! {
    let c = match failure {
        // The runtime's own messages follow fixed forms: their kind (and a
        // type error's argument) is read back from them.
        Failure::Message("error", msg) if desc.origin == "scheme_runtime" => {
            crate::exception::runtime_condition(ctx, desc.name, &msg)
        }
        Failure::Message(kind, msg) => make_condition(ctx, kind, Some(desc.name), &msg, Value::NIL),
        Failure::Exception(e) => e.resume(ctx),
        Failure::Raise(v) => v,
    };
    raise_error(ctx, c)
}

#[cold]
#[inline(never)]
pub fn arg_error(ctx: &mut Ctx, desc: &PrimDesc, index: usize, v: Value) -> ! {
    let param = desc.params.get(index).or(desc.rest.as_ref());
    let (name, ty) = param.map_or(("?", "?"), |p| (p.name, p.type_name));
    let c = type_condition(ctx, desc.name, Some(index + 1), Some(name), ty, v);
    raise_error(ctx, c)
}
