//! Support for the code that `#[scheme_fn]` generates. Not a public API:
//! names here may change with any release (the plugin ABI version covers it).

use std::panic::{catch_unwind, AssertUnwindSafe};

pub use crate::convert::{
    Args, Failure, FromScheme, IntoScheme, Omittable, Plain, Rest, RestType, ReturnValue,
};
pub use linkme;

use crate::error::arity_error;
use crate::exception::{make_condition, raise_error, type_condition, unwound};
use crate::registry::PrimDesc;
use crate::rt::Ctx;
use crate::rt::Value;
use crate::value::Value as V;

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
    guarded(ctx, desc, |ctx| {
        // The array may be Rust memory (`apply`): hold what it passes.
        if desc.holds {
            for &a in args {
                ctx.hold(a);
            }
        }
        f(ctx, args)
    })
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

/// Run the user's function `f` of a plain entry: a panic is caught and
/// raised as a condition from here.
///
/// # Safety
/// `ctx` is the live context, at `catch_depth` 0.
#[inline(always)]
pub unsafe fn plain_call<R>(
    ctx: *mut Ctx,
    desc: &'static PrimDesc,
    f: impl FnOnce(&mut Ctx) -> R,
) -> R {
    // SAFETY: guaranteed by the caller; used one after the other.
    match catch_unwind(AssertUnwindSafe(|| f(unsafe { &mut *ctx }))) {
        Ok(r) => r,
        Err(payload) => unwound(unsafe { &mut *ctx }, desc.name, payload),
    }
}

/// Compile-time facts about a parameter type `T`, read by the register
/// entry through autoref specialisation: `(&&Probe::<T>::new()).simple()`
/// is `true` only if `T: Simple` (the impl on `&Probe<T>` is found before
/// the one on `Probe<T>`). Both fold to constants.
pub struct Probe<T>(std::marker::PhantomData<T>);

impl<T> Probe<T> {
    #[inline(always)]
    pub fn new() -> Probe<T> {
        Probe(std::marker::PhantomData)
    }
}

impl<T> Default for Probe<T> {
    fn default() -> Self {
        Probe::new()
    }
}

/// A pair of probe traits: `method` is `yes` when `T: Bound`, else `no`.
macro_rules! probe {
    ($found:ident, $fallback:ident, $method:ident, $bound:path, $yes:literal, $no:literal) => {
        pub trait $found {
            fn $method(&self) -> bool;
        }
        impl<T: $bound> $found for &Probe<T> {
            #[inline(always)]
            fn $method(&self) -> bool {
                $yes
            }
        }
        pub trait $fallback {
            fn $method(&self) -> bool;
        }
        impl<T> $fallback for Probe<T> {
            #[inline(always)]
            fn $method(&self) -> bool {
                $no
            }
        }
    };
}

probe!(
    ProbeSimple,
    ProbeNotSimple,
    simple,
    crate::convert::Simple,
    true,
    false
);
probe!(
    ProbePlainResult,
    ProbeNotPlainResult,
    plain_result,
    crate::convert::PlainResult,
    true,
    false
);
probe!(
    ProbeSimpleResult,
    ProbeNotSimpleResult,
    simple_result,
    crate::convert::SimpleResult,
    true,
    false
);
probe!(
    ProbeUnboxed,
    ProbeBoxed,
    boxed,
    crate::convert::Unboxed,
    false,
    true
);

/// A plain entry's conversion of a `SimpleResult`, directly (a tail call
/// for a bignum); other results are converted inside `plain_call`.
pub trait ProbeRetSimple<T> {
    fn ret_value(&self, ctx: &mut Ctx, desc: &PrimDesc, r: T) -> Value;
}
impl<T: crate::convert::SimpleResult + crate::convert::IntoScheme<'static>> ProbeRetSimple<T>
    for &Probe<T>
{
    #[inline(always)]
    fn ret_value(&self, ctx: &mut Ctx, _: &PrimDesc, r: T) -> Value {
        r.into_scheme(ctx)
    }
}
pub trait ProbeRetGeneral<T> {
    fn ret_value(&self, ctx: &mut Ctx, desc: &PrimDesc, r: T) -> Value;
}
/// Never called: the plain entry converts here only when `T` is a
/// `SimpleResult` (no bound, so an unsupported result type gets only the
/// errors of its own conversion).
impl<T> ProbeRetGeneral<T> for Probe<T> {
    fn ret_value(&self, _: &mut Ctx, _: &PrimDesc, _: T) -> Value {
        unreachable!("a plain entry converts only simple results here")
    }
}

/// Run `f`; a panic, or a raise or continuation jump that unwinds the
/// Rust frames (see `exception.rs`), is caught here and carried on from
/// this frame: nothing unwinds into compiled code.
#[inline(always)]
fn guarded(ctx: &mut Ctx, desc: &'static PrimDesc, f: impl FnOnce(&mut Ctx) -> Value) -> Value {
    let ptr: *mut Ctx = ctx;
    let mark = ctx.scope_mark();
    ctx.catch_depth += 1;
    ctx.holding += desc.holds as u64;
    // SAFETY: `ptr` comes from the `&mut Ctx` above; the closure and the
    // code after it use it one after the other.
    let r = catch_unwind(AssertUnwindSafe(|| f(unsafe { &mut *ptr })));
    let ctx = unsafe { &mut *ptr };
    ctx.catch_depth -= 1;
    ctx.holding -= desc.holds as u64;
    ctx.scope_release(mark);
    match r {
        Ok(v) => v,
        Err(payload) => unwound(ctx, desc.name, payload),
    }
}

/// Convert argument `index` (0-based) or report
/// `name: argument N (param): expected TYPE, got VALUE` (or `already
/// borrowed`).
#[inline(always)]
pub fn arg<'a, T: FromScheme<'a>>(
    args: &mut Args<'a>,
    v: crate::value::Value<'a>,
    desc: &PrimDesc,
    index: usize,
) -> T {
    match T::from_scheme(v, args) {
        Some(x) => x,
        None if args.conflict => borrow_error(args.ctx(), desc, index),
        None => arg_error(args.ctx(), desc, index, v.rt()),
    }
}

/// A register entry's argument: the fast conversion, else the full one.
#[inline(always)]
pub fn arg_fast<'a, T: FromScheme<'a>>(
    args: &mut Args<'a>,
    v: crate::value::Value<'a>,
    desc: &PrimDesc,
    index: usize,
) -> T {
    match T::from_scheme_fast(v) {
        Some(x) => x,
        None => arg(args, v, desc, index),
    }
}

/// A plain entry's argument (see `FromScheme::from_scheme_plain`).
///
/// # Safety
/// As for `from_scheme_plain`: the caller is a plain entry.
#[inline(always)]
pub unsafe fn plain_arg<'a, T: FromScheme<'a>>(v: crate::value::Value<'a>) -> Option<T> {
    // SAFETY: guaranteed by the caller.
    unsafe { T::from_scheme_plain(v) }
}

/// A trailing `Option<T>` parameter: `None` when the caller left it out.
#[inline(always)]
pub fn optional_arg<'a, T: FromScheme<'a> + Omittable>(
    args: &mut Args<'a>,
    v: Option<crate::value::Value<'a>>,
    desc: &PrimDesc,
    index: usize,
) -> T {
    match v {
        None => T::absent(),
        Some(v) => arg::<T>(args, v, desc, index),
    }
}

/// A `&[Value]` rest parameter.
#[inline(always)]
pub fn rest_values(args: &[Value], from: usize) -> &[Value] {
    args.get(from..).unwrap_or(&[])
}

/// A `RestSlice<T>` parameter.
#[inline(always)]
pub fn rest_slice<'a, T: Plain<'a>>(
    args: &'a [crate::value::Value<'a>],
    from: usize,
    name: &'static str,
) -> crate::convert::RestSlice<'a, T> {
    crate::convert::RestSlice::new(args.get(from..).unwrap_or(&[]), from, name)
}

/// A `Rest<T>` parameter: each remaining argument converted.
pub fn rest_arg<'a, T: FromScheme<'a>>(
    cx: &mut Args<'a>,
    args: &[crate::value::Value<'a>],
    desc: &PrimDesc,
    from: usize,
) -> Rest<T> {
    let mut items = Vec::with_capacity(args.len().saturating_sub(from));
    for (i, &v) in args.iter().enumerate().skip(from) {
        items.push(arg(cx, v, desc, i));
    }
    Rest(items)
}

/// Convert the result; an `Err` is raised (a message as a condition of
/// kind `error` from `name`, an [`crate::Exception`] as what it carries).
#[inline(always)]
pub fn ret<'s, R: ReturnValue<'s>>(ctx: &mut crate::ctx::Ctx<'s>, desc: &PrimDesc, r: R) -> V<'s> {
    match r.into_value(ctx) {
        Ok(v) => v,
        Err(failure) => result_error(ctx.rt(), desc, failure),
    }
}

/// A call's result as the trampoline returns it to compiled code.
///
/// # Safety
/// `v` goes straight back to compiled code (which keeps it where the
/// collector sees it), not to Rust code that could keep it.
#[inline(always)]
pub unsafe fn returned(v: V<'_>) -> Value {
    v.rt()
}

/// The context a user's function gets: branded with the call's scope
/// `'a`, so nothing it hands out can be kept past the call (see `Value`).
///
/// # Safety
/// `ctx` is the live context, and `'a` (a local of the trampoline) ends
/// before the call's scope is released.
#[inline(always)]
#[allow(clippy::mut_from_ref)] // `_call` gives the lifetime, not the data
pub unsafe fn brand<'a>(ctx: *mut Ctx, _call: &'a ()) -> &'a mut crate::ctx::Ctx<'a> {
    // SAFETY: the brand is a phantom parameter: the same struct; the
    // caller passes the live context.
    unsafe { &mut *ctx.cast::<crate::ctx::Ctx<'a>>() }
}

/// A `&mut String` argument: a copy of the string's text, stored back
/// with `string_store` after the call.
#[inline(always)]
pub fn string_copy(
    ctx: &mut crate::ctx::Ctx<'_>,
    v: Value,
    desc: &PrimDesc,
    index: usize,
) -> String {
    if !v.is_string() {
        arg_error(ctx.rt(), desc, index, v);
    }
    crate::text::string_str(v).into_owned()
}

/// Store a changed `&mut String` argument back into its string object.
pub fn string_store(ctx: &mut crate::ctx::Ctx<'_>, v: Value, s: String) {
    if v.is_string() {
        ctx.rt().string_store(v, &s)
    }
}

#[cold]
#[inline(never)]
fn result_error(ctx: &mut Ctx, desc: &PrimDesc, failure: Failure<'_>) -> ! {
    let c = match failure {
        // The runtime's own messages follow fixed forms: their kind (and a
        // type error's argument) is read back from them.
        Failure::Message("error", msg) if desc.origin == "scheme_runtime" => {
            crate::exception::runtime_condition(ctx, desc.name, &msg)
        }
        Failure::Message(kind, msg) => make_condition(ctx, kind, Some(desc.name), &msg, Value::NIL),
        Failure::Exception(e) => e.resume(ctx),
        Failure::Raise(v) => v.rt(),
    };
    raise_error(ctx, c)
}

#[cold]
#[inline(never)]
fn borrow_error(ctx: &mut Ctx, desc: &PrimDesc, index: usize) -> ! {
    let param = desc.params.get(index).or(desc.rest.as_ref());
    let name = param.map_or("?", |p| p.name);
    let message = format!("argument {} ({name}): already borrowed", index + 1);
    let c = make_condition(ctx, "error", Some(desc.name), &message, Value::NIL);
    raise_error(ctx, c)
}

#[cold]
#[inline(never)]
pub fn arg_error(ctx: &mut Ctx, desc: &PrimDesc, index: usize, v: Value) -> ! {
    let param = desc.params.get(index).or(desc.rest.as_ref());
    let (name, ty) = param.map_or(("?", "?".to_owned()), |p| (p.name, (p.type_name)()));
    // An optional parameter's error names what it takes besides `#f`.
    let ty = match ty
        .strip_prefix("(optional ")
        .and_then(|t| t.strip_suffix(')'))
    {
        Some(inner) => inner.to_owned(),
        None => ty,
    };
    let c = type_condition(ctx, desc.name, Some(index + 1), Some(name), &ty, v);
    raise_error(ctx, c)
}

/// Type names of parameters and results that have no conversion type.
pub fn string_type_name() -> String {
    "string".into()
}
pub fn any_type_name() -> String {
    "any".into()
}
pub fn unspecified_type_name() -> String {
    "unspecified".into()
}

/// What the `Err` of a `#[scheme_fn]` result may be; checked on the error
/// type itself so that a missing `Display` is reported there.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the error of a `#[scheme_fn]`",
    label = "does not implement `Display`",
    note = "an `Err` becomes a Scheme error whose message is the error's `Display`: implement `std::fmt::Display` for it; or return `Result<T, Raise<V>>` to raise a Scheme value, `Result<T, Error>` for an error of a kind (`file-error?`), `Result<T, Exception>` to pass on what `Ctx::call` returned"
)]
pub trait ErrorType {}
impl<E: std::fmt::Display> ErrorType for E {}
impl ErrorType for crate::control::Exception {}
impl ErrorType for crate::exception::Error {}
impl<V> ErrorType for crate::convert::Raise<V> {}

/// Compiles only if `E` is an [`ErrorType`].
pub fn check_error_type<E: ErrorType>() {}

// ---- one error per unsupported type ------------------------------------------
//
// Generated code converts parameters and results through `Probe` method
// calls: the real conversion when the type has one, else a fallback that
// is never called. A type without a conversion then fails only the one
// `assert_param`/`assert_result` the expansion places on it, with its own
// message, instead of once per use.

/// The conversions of a parameter type that has one.
pub trait ProbeParam<'a, T> {
    fn arg(&self, args: &mut Args<'a>, v: V<'a>, desc: &PrimDesc, index: usize) -> T;
    fn arg_fast(&self, args: &mut Args<'a>, v: V<'a>, desc: &PrimDesc, index: usize) -> T;
    /// # Safety
    /// As [`plain_arg`].
    unsafe fn plain_arg(&self, v: V<'a>) -> Option<T>;
    fn describe_param(&self) -> String;
    fn convert_value(&self, args: &mut Args<'a>, v: V<'a>) -> Option<T>;
}
impl<'a, T: FromScheme<'a>> ProbeParam<'a, T> for &Probe<T> {
    #[inline(always)]
    fn convert_value(&self, args: &mut Args<'a>, v: V<'a>) -> Option<T> {
        T::from_scheme(v, args)
    }
    #[inline(always)]
    fn arg(&self, args: &mut Args<'a>, v: V<'a>, desc: &PrimDesc, index: usize) -> T {
        arg(args, v, desc, index)
    }
    #[inline(always)]
    fn arg_fast(&self, args: &mut Args<'a>, v: V<'a>, desc: &PrimDesc, index: usize) -> T {
        arg_fast(args, v, desc, index)
    }
    #[inline(always)]
    unsafe fn plain_arg(&self, v: V<'a>) -> Option<T> {
        // SAFETY: forwarded from the caller.
        unsafe { plain_arg(v) }
    }
    fn describe_param(&self) -> String {
        T::describe()
    }
}
/// The fallback for a type without a conversion: never called (the
/// expansion's `assert_param` fails to compile first).
pub trait ProbeParamMissing<T> {
    fn arg<'a>(&self, _: &mut Args<'a>, _: V<'a>, _: &PrimDesc, _: usize) -> T {
        unreachable!("assert_param rejects this type")
    }
    fn arg_fast<'a>(&self, _: &mut Args<'a>, _: V<'a>, _: &PrimDesc, _: usize) -> T {
        unreachable!("assert_param rejects this type")
    }
    /// # Safety
    /// Never called.
    unsafe fn plain_arg(&self, _: V<'_>) -> Option<T> {
        unreachable!("assert_param rejects this type")
    }
    fn describe_param(&self) -> String {
        unreachable!("assert_param rejects this type")
    }
    fn convert_value<'a>(&self, _: &mut Args<'a>, _: V<'a>) -> Option<T> {
        unreachable!("assert_param rejects this type")
    }
}
impl<T> ProbeParamMissing<T> for Probe<T> {}

/// What a `#[derive(SchemeRecord)]` does with a field's type, when it has
/// both conversions.
pub trait ProbeField<'s, T> {
    fn field_value(&self, ctx: &mut crate::ctx::Ctx<'s>, x: T) -> V<'s>;
    /// `Err` with the type's name if `v` does not convert to `T`.
    fn check_field(&self, ctx: &mut crate::ctx::Ctx<'s>, v: V<'s>) -> Result<(), String>;
}
impl<'s, T: for<'a> FromScheme<'a> + IntoScheme<'s>> ProbeField<'s, T> for &Probe<T> {
    fn field_value(&self, ctx: &mut crate::ctx::Ctx<'s>, x: T) -> V<'s> {
        x.into_scheme(ctx)
    }
    fn check_field(&self, ctx: &mut crate::ctx::Ctx<'s>, v: V<'s>) -> Result<(), String> {
        match ctx.convert::<T>(v) {
            Some(_) => Ok(()),
            None => Err(<T as FromScheme<'static>>::describe()),
        }
    }
}
/// The fallback: never called (the derive's `assert_into` and the
/// constructor's `assert_param` reject the type first).
pub trait ProbeFieldMissing<T> {
    fn field_value<'s>(&self, _: &mut crate::ctx::Ctx<'s>, _: T) -> V<'s> {
        unreachable!("the field's type is rejected at compile time")
    }
    fn check_field<'s>(&self, _: &mut crate::ctx::Ctx<'s>, _: V<'s>) -> Result<(), String> {
        unreachable!("the field's type is rejected at compile time")
    }
}
impl<T> ProbeFieldMissing<T> for Probe<T> {}

/// The conversion of a result type that has one.
pub trait ProbeResult<'s, R> {
    fn ret(&self, ctx: &mut crate::ctx::Ctx<'s>, desc: &PrimDesc, r: R) -> V<'s>;
    fn describe_result(&self) -> String;
}
impl<'s, R: ReturnValue<'s>> ProbeResult<'s, R> for &Probe<R> {
    #[inline(always)]
    fn ret(&self, ctx: &mut crate::ctx::Ctx<'s>, desc: &PrimDesc, r: R) -> V<'s> {
        ret(ctx, desc, r)
    }
    fn describe_result(&self) -> String {
        R::describe()
    }
}
/// The fallback for a result type without a conversion: never called.
pub trait ProbeResultMissing<R> {
    fn ret<'s>(&self, _: &mut crate::ctx::Ctx<'s>, _: &PrimDesc, _: R) -> V<'s> {
        unreachable!("assert_result rejects this type")
    }
    fn describe_result(&self) -> String {
        unreachable!("assert_result rejects this type")
    }
}
impl<R> ProbeResultMissing<R> for Probe<R> {}

/// Compiles only for a type a parameter can have.
pub fn assert_param<'a, T: FromScheme<'a>>() {}

/// Compiles only for a type a result can have.
pub fn assert_result<'s, R: ReturnValue<'s>>() {}

/// Compiles only for a value a result can carry (`T` of `Result<T, E>`).
pub fn assert_into<'s, T: IntoScheme<'s>>() {}
