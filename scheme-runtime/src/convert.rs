//! Conversions between Scheme values and Rust types: the one place where
//! `#[scheme_fn]` arguments are checked and results are built.
//!
//! | Rust type | Scheme argument | as a result |
//! |---|---|---|
//! | `i8`..`i128`, `u8`..`u128`, `isize`, `usize` | exact integer in the type's range | integer |
//! | [`Integer`] | any exact integer | integer |
//! | `f64`, `f32` | any real number (exact ones convert; `f32` checks the range) | flonum |
//! | [`Number`] | any number, as it is (fixnum, bignum, rational, flonum) | number |
//! | `BigRational` | any exact rational | exact rational |
//! | `bool` | `#t` or `#f` only (strict; [`Truthy`] accepts anything) | boolean |
//! | `char` | character | character |
//! | `&str` | string, borrowed for the call (no copy) | fresh string |
//! | `String` | string (copied) | fresh string |
//! | `&mut String` | string, changed in place | - |
//! | `Vec<T>` | list or vector of `T` | fresh list |
//! | `Option<T>` | `#f` is `None`, else `T`; trailing ones may be omitted | `None` is `#f` |
//! | [`Optional<T>`] | trailing, may be omitted (`None`); `#f` is `Some(#f)` | - |
//! | `()` | - | unspecified |
//! | [`Value`] | anything, untouched | itself |
//! | [`Symbol`], [`Procedure`], [`Pair`], [`Vector`], [`Hashtable`], [`SchemeString`] | that kind of object | itself |
//! | [`List`] | a proper list's elements | - |
//! | `&T`, `&mut T` (`T: SchemeObject`) | that foreign object, borrow-checked | `T`: a new foreign object |
//! | `&[u8]` | bytevector, borrowed for the call (no copy) | fresh bytevector |
//! | `&mut [u8]` | bytevector, changed in place | - |
//! | `Box<[u8]>` | bytevector (copied) | fresh bytevector |
//! | [`Bytevector`] | a bytevector object itself | itself |
//! | [`Rest<T>`] / `&[Value]` | the remaining arguments | - |
//! | `Result<T, E: Display>` | - | `T`, or a Scheme error carrying the message |
//!
//! `Vec<u8>` is a list (or vector) of bytes like any `Vec<T>`; for a
//! bytevector result return `Box<[u8]>` (`vec.into_boxed_slice()`).
//!
//! Borrowed arguments (`&str`, `&[u8]`, `&mut [u8]`, `&T`/`&mut T` of a
//! `SchemeObject`) point into the object itself (objects never move) and
//! are borrow-checked for the call (`scope.rs`): a conflicting borrow is
//! the error "already borrowed", the text under a `&str` never changes (a
//! change by Scheme writes a copy), a bytevector under `&[u8]` cannot be
//! changed, and `&mut [u8]` is allowed only where no Scheme code can run
//! (no `&mut Ctx` parameter). `&mut String` is a copy, stored back after
//! the call. `&Port`/`&mut Port` are for the runtime's own primitives.
//!
//! Implement [`FromScheme`] and [`IntoScheme`] for your own types.

use crate::ctx::Ctx;
use crate::integer::Integer;
use crate::number::Number;
use crate::text::string_str;
use crate::value::Value;

/// The conversion of one call's arguments: what the converted values
/// borrow or hold is recorded for the call (`scope.rs`), and `'a`, the
/// lifetime of borrowed results (`&'a str`), ends with the call. Only the
/// `#[scheme_fn]` trampoline makes one, and [`Ctx::convert`] for the
/// running call (`'a` is then the call's brand).
pub struct Args<'a> {
    ctx: *mut crate::rt::Ctx,
    /// Set when a conversion failed because its object is already borrowed.
    pub(crate) conflict: bool,
    /// Invariant in `'a`: a borrow cannot be stretched past the call.
    _call: std::marker::PhantomData<fn(&'a ()) -> &'a ()>,
}

impl<'a> Args<'a> {
    /// # Safety
    /// `ctx` is the live context, not used by anything else while this
    /// exists, and the running primitive call (whose scope `'a` is: the
    /// trampoline passes a reference to one of its locals) releases its
    /// scope only after everything converted for `'a` is dead.
    #[doc(hidden)]
    pub unsafe fn new(ctx: *mut Ctx<'a>, _call: &'a ()) -> Args<'a> {
        // SAFETY: guaranteed by the caller, `'a` being `_call`'s lifetime.
        unsafe { Args::branded(ctx) }
    }

    pub(crate) fn ctx(&mut self) -> &mut crate::rt::Ctx {
        // SAFETY: see `new`: the context is live and not otherwise in use.
        unsafe { &mut *self.ctx }
    }

    /// Keep `v` alive until the call returns (for conversions that read
    /// values out of objects: the object may lose them meanwhile).
    pub fn hold(&mut self, v: Value<'a>) -> Value<'a> {
        self.ctx().hold(v.rt());
        v
    }

    /// Convert `v` as a parameter of type `T` would be: for the
    /// [`FromScheme`] impls of types built from others.
    pub fn convert<T: FromScheme<'a>>(&mut self, v: Value<'a>) -> Option<T> {
        T::from_scheme(v, self)
    }

    /// Whether `object` may be read: no exclusive borrow of it is active.
    pub(crate) fn readable(&mut self, object: Value<'a>) -> bool {
        let ok = !self.ctx().is_exclusively_borrowed(object.rt());
        self.conflict |= !ok;
        ok
    }

    /// Record a borrow of `object` for the call; on a conflict with a
    /// borrow still active, `false` (the argument error then says
    /// "already borrowed").
    pub(crate) fn borrow(&mut self, object: Value<'a>, exclusive: bool) -> bool {
        let ok = self.ctx().borrow_object(object.rt(), exclusive);
        self.conflict |= !ok;
        ok
    }
}

impl<'s> Ctx<'s> {
    /// Convert `v` to a Rust value (`i64`, `String`, `Vec<Value>`...):
    /// `None` if it is not of that type. What it borrows (`&str`) is
    /// borrowed until the running call returns, as an argument's is.
    pub fn convert<T: FromScheme<'s>>(&mut self, v: Value<'s>) -> Option<T> {
        // SAFETY: `self` is the live context, borrowed for this call; `'s`
        // is the running call's brand, whose scope is released only after
        // the call (and so everything converted for `'s`) is over. The
        // runtime's own code (`'static`) converts only to types that
        // borrow nothing.
        let mut args = unsafe { Args::branded(self) };
        T::from_scheme(v, &mut args)
    }
}

impl<'a> Args<'a> {
    /// # Safety
    /// As for [`Args::new`], with `'a` the brand of the running call.
    unsafe fn branded(ctx: *mut Ctx<'a>) -> Args<'a> {
        Args {
            ctx: ctx.cast(),
            conflict: false,
            _call: std::marker::PhantomData,
        }
    }
}

/// A Rust type that a Scheme argument converts to.
///
/// A conversion checks the value's type and builds the Rust value; one
/// that keeps values read out of the argument (a `Vec<Value>` of a list's
/// elements) holds them with [`Args::hold`], and one made of others
/// converts them with [`Args::convert`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a `#[scheme_fn]` parameter",
    label = "no conversion from a Scheme value",
    note = "supported: integers, f64, f32, Number, bool, char, &str, String, &mut String, Box<str>, Cow<str>, PathBuf, &[u8], &mut [u8], Box<[u8]>, Vec<T>, tuples, HashMap<K, V>, BTreeMap<K, V>, Option<T>, Optional<T>, Value, Symbol, Procedure, Pair, Vector, List, Bytevector, Hashtable, SchemeString, Integer, Truthy, &T and &mut T of a SchemeObject; or derive `SchemeRecord` (a struct) or `SchemeSymbol` (an enum), or implement `scheme_runtime::FromScheme` for it"
)]
pub trait FromScheme<'a>: Sized {
    /// What the argument must be, for error messages and signatures.
    const TYPE_NAME: &'static str;
    /// The full type, as errors and `schemec primitives` show it:
    /// `(list-of string)`, `(optional integer)`. Defaults to `TYPE_NAME`.
    fn describe() -> String {
        Self::TYPE_NAME.to_owned()
    }
    /// `None` if `v` is not of this type.
    fn from_scheme(v: Value<'a>, args: &mut Args<'a>) -> Option<Self>;
    /// The common case, when it needs no [`Args`], inlined into register
    /// entries; `None` sends the call to `from_scheme` (integers take
    /// fixnums here, bignums there).
    #[inline(always)]
    fn from_scheme_fast(_v: Value<'a>) -> Option<Self> {
        None
    }
    /// The conversion of a plain entry (no `&mut Ctx`, every parameter
    /// [`Simple`]): `from_scheme_fast`, or for `&str` the text itself.
    ///
    /// # Safety
    /// The result is used only during the call, which runs no Scheme code
    /// (so nothing changes or frees what it borrows).
    #[doc(hidden)]
    #[inline(always)]
    unsafe fn from_scheme_plain(v: Value<'a>) -> Option<Self> {
        Self::from_scheme_fast(v)
    }
}

/// A Rust value that converts to a Scheme value.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be returned to Scheme",
    label = "no conversion to a Scheme value",
    note = "supported: integers, f64, f32, Number, bool, char, String, &str, Box<str>, Cow<str>, PathBuf, Box<[u8]>, &[u8], Vec<T>, tuples, HashMap<K, V>, BTreeMap<K, V>, Option<T>, (), Value, Symbol, Procedure, Integer, a SchemeObject, Result<T, E: Display>, Result<T, Exception>, Result<T, Error>, Result<T, Raise<V>>; or derive `SchemeRecord` (a struct) or `SchemeSymbol` (an enum), or implement `scheme_runtime::IntoScheme` for it"
)]
pub trait IntoScheme<'s> {
    /// What the result is, as signatures show it: `string`, `integer`, ...
    const TYPE_NAME: &'static str;
    /// The full type, as `schemec primitives` shows it. Defaults to
    /// `TYPE_NAME`.
    fn describe() -> String {
        Self::TYPE_NAME.to_owned()
    }
    /// Build the Scheme value (may allocate in `ctx`).
    fn into_scheme(self, ctx: &mut Ctx<'s>) -> Value<'s>;
}

/// What a `#[scheme_fn]` may return: a value, or a `Result` whose error
/// becomes a Scheme error.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be returned to Scheme",
    label = "no conversion to a Scheme value",
    note = "supported: integers, f64, f32, Number, bool, char, String, &str, Box<str>, Cow<str>, PathBuf, Box<[u8]>, &[u8], Vec<T>, tuples, HashMap<K, V>, BTreeMap<K, V>, Option<T>, (), Value, Symbol, Procedure, Integer, a SchemeObject, Result<T, E: Display>, Result<T, Exception>, Result<T, Error>, Result<T, Raise<V>>; or derive `SchemeRecord` (a struct) or `SchemeSymbol` (an enum), or implement `scheme_runtime::IntoScheme` for it"
)]
pub trait ReturnValue<'s> {
    /// What a successful call returns, as signatures show it.
    const TYPE_NAME: &'static str;
    /// The full type, as `schemec primitives` shows it.
    fn describe() -> String {
        Self::TYPE_NAME.to_owned()
    }
    /// The value to return, or the [`Failure`] to raise or let go on.
    fn into_value(self, ctx: &mut Ctx<'s>) -> Result<Value<'s>, Failure<'s>>;
}

/// Why a `#[scheme_fn]` did not return a value.
pub enum Failure<'s> {
    /// Raise a condition of this kind with this message.
    Message(&'static str, String),
    /// Let a raise or jump from `Ctx::call` go on.
    Exception(crate::control::Exception),
    /// Raise this value.
    Raise(Value<'s>),
}

/// An error a `#[scheme_fn]` returns as any Scheme value: `Err(Raise(v))`
/// raises what `v` converts to (a string, a list, a `SchemeObject`...),
/// for a handler to inspect (`guard`, `with-exception-handler`).
#[derive(Debug, Clone)]
pub struct Raise<V>(pub V);

/// `Err(Raise(v))` raises `v` converted to a Scheme value.
impl<'s, T: IntoScheme<'s>, V: IntoScheme<'s>> ReturnValue<'s> for Result<T, Raise<V>> {
    const TYPE_NAME: &'static str = T::TYPE_NAME;
    fn describe() -> String {
        T::describe()
    }
    fn into_value(self, ctx: &mut Ctx<'s>) -> Result<Value<'s>, Failure<'s>> {
        match self {
            Ok(v) => Ok(v.into_scheme(ctx)),
            Err(Raise(v)) => Err(Failure::Raise(v.into_scheme(ctx))),
        }
    }
}

impl<'s, T: IntoScheme<'s>> ReturnValue<'s> for T {
    const TYPE_NAME: &'static str = T::TYPE_NAME;
    fn describe() -> String {
        T::describe()
    }
    #[inline(always)]
    fn into_value(self, ctx: &mut Ctx<'s>) -> Result<Value<'s>, Failure<'s>> {
        Ok(self.into_scheme(ctx))
    }
}

impl<'s, T: IntoScheme<'s>, E: std::fmt::Display> ReturnValue<'s> for Result<T, E> {
    const TYPE_NAME: &'static str = T::TYPE_NAME;
    fn describe() -> String {
        T::describe()
    }
    fn into_value(self, ctx: &mut Ctx<'s>) -> Result<Value<'s>, Failure<'s>> {
        match self {
            Ok(v) => Ok(v.into_scheme(ctx)),
            Err(e) => Err(Failure::Message("error", e.to_string())),
        }
    }
}

/// `Err` raises the exception again (or lets the jump go on).
impl<'s, T: IntoScheme<'s>> ReturnValue<'s> for Result<T, crate::control::Exception> {
    const TYPE_NAME: &'static str = T::TYPE_NAME;
    fn describe() -> String {
        T::describe()
    }
    fn into_value(self, ctx: &mut Ctx<'s>) -> Result<Value<'s>, Failure<'s>> {
        match self {
            Ok(v) => Ok(v.into_scheme(ctx)),
            Err(e) => Err(Failure::Exception(e)),
        }
    }
}

/// `Err` raises a condition of the error's kind (`file-error?` ...).
impl<'s, T: IntoScheme<'s>> ReturnValue<'s> for Result<T, crate::exception::Error> {
    const TYPE_NAME: &'static str = T::TYPE_NAME;
    fn describe() -> String {
        T::describe()
    }
    fn into_value(self, ctx: &mut Ctx<'s>) -> Result<Value<'s>, Failure<'s>> {
        match self {
            Ok(v) => Ok(v.into_scheme(ctx)),
            Err(e) => Err(Failure::Message(e.kind, e.message)),
        }
    }
}

/// The remaining arguments of a call, each converted to `T`.
#[derive(Debug, Clone, PartialEq)]
pub struct Rest<T>(pub Vec<T>);

/// Argument types whose register-entry conversion (`from_scheme_fast`,
/// when it gives `Some`) is complete and borrows and holds nothing: a
/// `#[scheme_fn]` whose parameters are all `Simple` and that takes no
/// `&mut Ctx` cannot reach the heap while it runs, so it runs without a
/// handle scope (`__private::plain_call`). Sealed: only the runtime's own
/// conversions qualify.
pub trait Simple: sealed::Sealed {}

/// Argument types that refer to no heap object (numbers, characters,
/// copied strings): the register entry need not keep the argument visible
/// to the collector. Sealed like [`Simple`].
pub trait Unboxed: sealed::Sealed {}

/// Result types converted by the runtime's own code (it does not panic),
/// so a plain entry converts them outside `catch_unwind`. Sealed.
pub trait SimpleResult: sealed::SealedResult {}

/// Result types whose conversion runs no Scheme code (the runtime's own
/// conversions; an `Err`'s `Display` gets no context): a function without
/// `&mut Ctx` that returns one cannot run Scheme code at all. Sealed.
pub trait PlainResult: sealed::SealedPlain {}

mod sealed {
    pub trait Sealed {}
    pub trait SealedResult {}
    pub trait SealedPlain {}
}

impl<T: SimpleResult> sealed::SealedPlain for T {}
impl<T: SimpleResult> PlainResult for T {}
impl<T: SimpleResult, E: std::fmt::Display> sealed::SealedPlain for Result<T, E> {}
impl<T: SimpleResult, E: std::fmt::Display> PlainResult for Result<T, E> {}
impl<T: SimpleResult> sealed::SealedPlain for Result<T, crate::exception::Error> {}
impl<T: SimpleResult> PlainResult for Result<T, crate::exception::Error> {}
impl<T: SimpleResult> sealed::SealedPlain for Result<T, crate::control::Exception> {}
impl<T: SimpleResult> PlainResult for Result<T, crate::control::Exception> {}

macro_rules! simple_results {
    ($($t:ty),*) => {$(impl sealed::SealedResult for $t {} impl SimpleResult for $t {})*};
}

simple_results!(
    i8,
    u8,
    i16,
    u16,
    i32,
    u32,
    i64,
    u64,
    i128,
    u128,
    isize,
    usize,
    f64,
    f32,
    bool,
    char,
    (),
    String,
    Number,
    Integer
);
macro_rules! branded_simple {
    ($($t:ident),*) => {$(
        impl sealed::SealedResult for $t<'_> {}
        impl SimpleResult for $t<'_> {}
        impl sealed::Sealed for $t<'_> {}
        impl Simple for $t<'_> {}
    )*};
}
branded_simple!(
    Value,
    Pair,
    Vector,
    Symbol,
    Procedure,
    Bytevector,
    Hashtable,
    SchemeString
);
impl<T: SimpleResult> sealed::SealedResult for Option<T> {}
impl<T: SimpleResult> SimpleResult for Option<T> {}

macro_rules! simple_types {
    (unboxed: $($u:ty),*) => {
        $(impl sealed::Sealed for $u {} impl Simple for $u {} impl Unboxed for $u {})*
    };
}

simple_types!(
    unboxed: i8, u8, i16, u16, i32, u32, i64, u64, i128, u128, isize, usize, f64, f32, bool,
        char, Truthy, String, Number, Integer, num_rational::BigRational
);
impl sealed::Sealed for &str {}
impl Simple for &str {}
impl<T: Simple> sealed::Sealed for Option<T> {}
impl<T: Simple> Simple for Option<T> {}
impl<T: Simple + Unboxed> Unboxed for Option<T> {}

/// A type converted from a value alone, without the call's [`Args`]: it
/// borrows and holds nothing (numbers, characters, `Value`).
pub trait Plain<'a>: FromScheme<'a> {
    /// `v` as this type, or `None` if it is not one (as `from_scheme`, without [`Args`]).
    fn from_value(v: Value<'a>) -> Option<Self>;
}

/// The remaining arguments of a call, converted to `T` only as they are
/// read: no allocation, for primitives that want a fast path.
pub struct RestSlice<'a, T> {
    /// The arguments themselves.
    pub values: &'a [Value<'a>],
    /// Position of the first one in the call (0-based) and the parameter's
    /// name, for error messages.
    first: usize,
    name: &'static str,
    _type: std::marker::PhantomData<T>,
}

impl<'a, T: Plain<'a>> RestSlice<'a, T> {
    #[doc(hidden)]
    pub fn new(values: &'a [Value<'a>], first: usize, name: &'static str) -> Self {
        RestSlice {
            values,
            first,
            name,
            _type: std::marker::PhantomData,
        }
    }

    /// Argument `i` of the rest converted, or the error message for it:
    /// `argument N (name): expected TYPE, got VALUE`.
    pub fn get(&self, i: usize) -> Result<T, String> {
        let v = self.values[i];
        T::from_value(v).ok_or_else(|| {
            format!(
                "argument {} ({}): expected {}, got {}",
                self.first + i + 1,
                self.name,
                T::TYPE_NAME,
                crate::print::to_string(v.rt(), true)
            )
        })
    }

    /// Every argument converted, stopping at the first error.
    pub fn to_vec(&self) -> Result<Vec<T>, String> {
        (0..self.values.len()).map(|i| self.get(i)).collect()
    }
}

impl<'a, T: Plain<'a>> RestType for RestSlice<'a, T> {
    const TYPE_NAME: &'static str = T::TYPE_NAME;
    fn describe() -> String {
        T::describe()
    }
}

/// Type name of a typed rest parameter.
pub trait RestType {
    /// What each rest argument must be, for error messages and signatures.
    const TYPE_NAME: &'static str;
    /// The full type of each argument.
    fn describe() -> String {
        Self::TYPE_NAME.to_owned()
    }
}
impl<'a, T: FromScheme<'a>> RestType for Rest<T> {
    const TYPE_NAME: &'static str = T::TYPE_NAME;
    fn describe() -> String {
        T::describe()
    }
}

// ---- any value ------------------------------------------------------------

impl<'a> FromScheme<'a> for Value<'a> {
    const TYPE_NAME: &'static str = "any";
    #[inline(always)]
    fn from_scheme(v: Value<'a>, _: &mut Args<'a>) -> Option<Self> {
        Some(v)
    }
    #[inline(always)]
    fn from_scheme_fast(v: Value<'a>) -> Option<Self> {
        Some(v)
    }
}
impl<'s> IntoScheme<'s> for Value<'s> {
    const TYPE_NAME: &'static str = "any";
    #[inline(always)]
    fn into_scheme(self, _: &mut Ctx<'s>) -> Value<'s> {
        self
    }
}
impl<'s> IntoScheme<'s> for () {
    const TYPE_NAME: &'static str = "unspecified";
    #[inline(always)]
    fn into_scheme(self, _: &mut Ctx<'s>) -> Value<'s> {
        Value::UNSPECIFIED
    }
}

// ---- integers -------------------------------------------------------------

macro_rules! integer_conversions {
    ($($t:ty => $name:literal),* $(,)?) => {$(
        impl<'a> FromScheme<'a> for $t {
            const TYPE_NAME: &'static str = $name;
            #[inline(always)]
            fn from_scheme(v: Value<'a>, _: &mut Args<'a>) -> Option<Self> {
                <$t as Plain<'a>>::from_value(v)
            }
            #[inline(always)]
            fn from_scheme_fast(v: Value<'a>) -> Option<Self> {
                if v.is_fixnum() {
                    <$t>::try_from(v.as_fixnum()).ok()
                } else {
                    None
                }
            }
        }
        impl<'a> Plain<'a> for $t {
            fn from_value(v: Value<'a>) -> Option<Self> {
                if v.is_fixnum() {
                    <$t>::try_from(v.as_fixnum()).ok()
                } else {
                    big_to(v)
                }
            }
        }
        impl<'s> IntoScheme<'s> for $t {
            const TYPE_NAME: &'static str = "integer";
            #[inline(always)]
            fn into_scheme(self, ctx: &mut Ctx<'s>) -> Value<'s> {
                if let Some(v) = i64::try_from(self).ok().and_then(Value::try_fixnum) {
                    return v;
                }
                big_from(ctx, self)
            }
        }
    )*};
}

integer_conversions! {
    i8 => "integer from -128 to 127",
    u8 => "integer from 0 to 255",
    i16 => "integer from -32768 to 32767",
    u16 => "integer from 0 to 65535",
    i32 => "32-bit integer",
    u32 => "non-negative 32-bit integer",
    i64 => "64-bit integer",
    u64 => "non-negative 64-bit integer",
    i128 => "128-bit integer",
    u128 => "non-negative 128-bit integer",
    isize => "integer",
    usize => "non-negative integer",
}

#[cold]
fn big_to<T: TryFrom<i128>>(v: Value<'_>) -> Option<T> {
    if !v.is_bignum() {
        return None;
    }
    let n = i128::try_from(crate::integer::bignum_value(v.rt())).ok()?;
    T::try_from(n).ok()
}

/// `extern "C"`, so it cannot unwind: a trampoline (itself `extern "C"`)
/// can then tail-call it instead of guarding the call.
#[cold]
#[allow(improper_ctypes_definitions)]
extern "C" fn big_from<'s, T: Into<num_bigint::BigInt>>(ctx: &mut Ctx<'s>, n: T) -> Value<'s> {
    ctx.integer(Integer::Big(n.into()))
}

// ---- other numbers ------------------------------------------------------------

impl<'a> FromScheme<'a> for Number {
    const TYPE_NAME: &'static str = "number";
    #[inline(always)]
    fn from_scheme(v: Value<'a>, _: &mut Args<'a>) -> Option<Self> {
        Number::of(v)
    }
    #[inline(always)]
    fn from_scheme_fast(v: Value<'a>) -> Option<Self> {
        Number::of(v)
    }
}
/// Types whose conversion is their fast path (it is complete).
macro_rules! plain_by_fast_path {
    ($($t:ty),*) => {$(
        impl<'a> Plain<'a> for $t {
            fn from_value(v: Value<'a>) -> Option<Self> {
                <$t as FromScheme<'a>>::from_scheme_fast(v)
            }
        }
    )*};
}
impl<'a> Plain<'a> for Value<'a> {
    fn from_value(v: Value<'a>) -> Option<Self> {
        Some(v)
    }
}
plain_by_fast_path!(bool, char, Truthy, f32, Integer, num_rational::BigRational);

impl<'a> Plain<'a> for f64 {
    fn from_value(v: Value<'a>) -> Option<Self> {
        Number::of(v).map(|n| n.to_f64())
    }
}

impl<'a> Plain<'a> for Number {
    fn from_value(v: Value<'a>) -> Option<Self> {
        Number::of(v)
    }
}
impl<'s> IntoScheme<'s> for Number {
    const TYPE_NAME: &'static str = "number";
    fn into_scheme(self, ctx: &mut Ctx<'s>) -> Value<'s> {
        ctx.number(self)
    }
}

impl<'a> FromScheme<'a> for f64 {
    const TYPE_NAME: &'static str = "real number";
    fn from_scheme(v: Value<'a>, _: &mut Args<'a>) -> Option<Self> {
        let n = Number::of(v)?;
        let f = n.to_f64();
        // An exact number beyond the doubles would silently become
        // infinite: refused (a flonum infinity is itself).
        (f.is_finite() || !n.is_exact()).then_some(f)
    }
    #[inline(always)]
    fn from_scheme_fast(v: Value<'a>) -> Option<Self> {
        if v.is_flonum() {
            Some(v.as_flonum())
        } else if v.is_fixnum() {
            Some(v.as_fixnum() as f64)
        } else {
            None
        }
    }
}
impl<'s> IntoScheme<'s> for f64 {
    const TYPE_NAME: &'static str = "flonum";
    #[inline(always)]
    fn into_scheme(self, ctx: &mut Ctx<'s>) -> Value<'s> {
        ctx.flonum(self)
    }
}

impl<'a> FromScheme<'a> for f32 {
    const TYPE_NAME: &'static str = "real number in the range of f32";
    fn from_scheme(v: Value<'a>, _: &mut Args<'a>) -> Option<Self> {
        let n = Number::of(v)?;
        let f = n.to_f64();
        // A finite number beyond f32's range would silently become
        // infinite (a flonum infinity is itself).
        let infinite_flonum = f.is_infinite() && !n.is_exact();
        (infinite_flonum || f.is_nan() || f.abs() <= f32::MAX as f64).then_some(f as f32)
    }
    #[inline(always)]
    fn from_scheme_fast(v: Value<'a>) -> Option<Self> {
        let f = Number::of(v)?.to_f64();
        (!f.is_finite() || f.abs() <= f32::MAX as f64).then_some(f as f32)
    }
}
impl<'s> IntoScheme<'s> for f32 {
    const TYPE_NAME: &'static str = "flonum";
    fn into_scheme(self, ctx: &mut Ctx<'s>) -> Value<'s> {
        ctx.flonum(self as f64)
    }
}

impl<'a> FromScheme<'a> for num_rational::BigRational {
    const TYPE_NAME: &'static str = "exact rational";
    fn from_scheme(v: Value<'a>, _: &mut Args<'a>) -> Option<Self> {
        Number::of(v)?.to_ratio()
    }
    #[inline(always)]
    fn from_scheme_fast(v: Value<'a>) -> Option<Self> {
        Number::of(v)?.to_ratio()
    }
}
impl<'s> IntoScheme<'s> for num_rational::BigRational {
    const TYPE_NAME: &'static str = "exact rational";
    fn into_scheme(self, ctx: &mut Ctx<'s>) -> Value<'s> {
        ctx.number(Number::Rat(self))
    }
}

impl<'a> FromScheme<'a> for Integer {
    const TYPE_NAME: &'static str = "integer";
    fn from_scheme(v: Value<'a>, _: &mut Args<'a>) -> Option<Self> {
        Integer::of(v)
    }
    #[inline(always)]
    fn from_scheme_fast(v: Value<'a>) -> Option<Self> {
        Integer::of(v)
    }
}
impl<'s> IntoScheme<'s> for Integer {
    const TYPE_NAME: &'static str = "integer";
    fn into_scheme(self, ctx: &mut Ctx<'s>) -> Value<'s> {
        ctx.integer(self)
    }
}

// ---- booleans and characters ---------------------------------------------

impl<'a> FromScheme<'a> for bool {
    const TYPE_NAME: &'static str = "boolean";
    #[inline(always)]
    fn from_scheme(v: Value<'a>, _: &mut Args<'a>) -> Option<Self> {
        match v {
            Value::TRUE => Some(true),
            Value::FALSE => Some(false),
            _ => None,
        }
    }
    #[inline(always)]
    fn from_scheme_fast(v: Value<'a>) -> Option<Self> {
        match v {
            Value::TRUE => Some(true),
            Value::FALSE => Some(false),
            _ => None,
        }
    }
}
impl<'s> IntoScheme<'s> for bool {
    const TYPE_NAME: &'static str = "boolean";
    #[inline(always)]
    fn into_scheme(self, _: &mut Ctx<'s>) -> Value<'s> {
        Value::bool(self)
    }
}

/// Any value, read as a condition: only `#f` is false.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Truthy(pub bool);
impl<'a> FromScheme<'a> for Truthy {
    const TYPE_NAME: &'static str = "any";
    fn from_scheme(v: Value<'a>, _: &mut Args<'a>) -> Option<Self> {
        Some(Truthy(v.is_true()))
    }
    #[inline(always)]
    fn from_scheme_fast(v: Value<'a>) -> Option<Self> {
        Some(Truthy(v.is_true()))
    }
}

impl<'a> FromScheme<'a> for char {
    const TYPE_NAME: &'static str = "char";
    #[inline(always)]
    fn from_scheme(v: Value<'a>, _: &mut Args<'a>) -> Option<Self> {
        v.is_char().then(|| v.as_char())
    }
    #[inline(always)]
    fn from_scheme_fast(v: Value<'a>) -> Option<Self> {
        v.is_char().then(|| v.as_char())
    }
}
impl<'s> IntoScheme<'s> for char {
    const TYPE_NAME: &'static str = "char";
    #[inline(always)]
    fn into_scheme(self, _: &mut Ctx<'s>) -> Value<'s> {
        Value::char(self)
    }
}

// ---- strings ----------------------------------------------------------------

impl<'a> FromScheme<'a> for &'a str {
    const TYPE_NAME: &'static str = "string";
    fn from_scheme(v: Value<'a>, args: &mut Args<'a>) -> Option<Self> {
        if !v.is_string() {
            return None;
        }
        let Some(text) = crate::text::string_ascii(v.rt()) else {
            // Stored wider than UTF-8: a copy, kept for the call.
            return Some(crate::text::utf8_copy(args.ctx(), v.rt()));
        };
        // ASCII text is borrowed where it is: a change by Scheme meanwhile
        // writes new storage (`Ctx::string_set_char`), and the old storage
        // is held.
        args.ctx().hold(crate::text::string_storage(v.rt()));
        args.borrow(v, false).then_some(text)
    }
    #[inline(always)]
    unsafe fn from_scheme_plain(v: Value<'a>) -> Option<Self> {
        // No Scheme code runs during the call: the text cannot change, and
        // the argument keeps the string (and so its text) alive. Other
        // than ASCII text takes the general entry (a copy).
        if v.is_string() {
            crate::text::string_ascii(v.rt())
        } else {
            None
        }
    }
}
impl<'a> FromScheme<'a> for String {
    const TYPE_NAME: &'static str = "string";
    fn from_scheme(v: Value<'a>, _: &mut Args<'a>) -> Option<Self> {
        v.is_string().then(|| string_str(v.rt()).into_owned())
    }
    #[inline(always)]
    fn from_scheme_fast(v: Value<'a>) -> Option<Self> {
        v.is_string().then(|| string_str(v.rt()).into_owned())
    }
}
impl<'s> IntoScheme<'s> for String {
    const TYPE_NAME: &'static str = "string";
    fn into_scheme(self, ctx: &mut Ctx<'s>) -> Value<'s> {
        ctx.make_string(self)
    }
}
impl<'s> IntoScheme<'s> for &str {
    const TYPE_NAME: &'static str = "string";
    fn into_scheme(self, ctx: &mut Ctx<'s>) -> Value<'s> {
        ctx.make_string_from(self)
    }
}

// ---- bytevectors -------------------------------------------------------------

impl<'a> FromScheme<'a> for &'a [u8] {
    const TYPE_NAME: &'static str = "bytevector";
    fn from_scheme(v: Value<'a>, args: &mut Args<'a>) -> Option<Self> {
        // Scheme cannot change it meanwhile: its mutators check for borrows.
        (v.is_bytevector() && args.borrow(v, false)).then(|| crate::bytevector::bytes(v.rt()))
    }
}
impl<'a> FromScheme<'a> for &'a mut [u8] {
    const TYPE_NAME: &'static str = "bytevector";
    fn from_scheme(v: Value<'a>, args: &mut Args<'a>) -> Option<Self> {
        // Exclusive: no other argument borrows it, and a function with this
        // parameter cannot take `&mut Ctx` (checked by `#[scheme_fn]`), so
        // no Scheme code runs while the borrow lives.
        (v.is_bytevector() && args.borrow(v, true)).then(|| crate::bytevector::bytes_mut(v.rt()))
    }
}
impl<'a> FromScheme<'a> for Box<[u8]> {
    const TYPE_NAME: &'static str = "bytevector";
    fn from_scheme(v: Value<'a>, args: &mut Args<'a>) -> Option<Self> {
        (v.is_bytevector() && args.readable(v)).then(|| crate::bytevector::bytes(v.rt()).into())
    }
}
impl<'s> IntoScheme<'s> for &[u8] {
    const TYPE_NAME: &'static str = "bytevector";
    fn into_scheme(self, ctx: &mut Ctx<'s>) -> Value<'s> {
        ctx.make_bytevector_from(self)
    }
}
impl<'s> IntoScheme<'s> for Box<[u8]> {
    const TYPE_NAME: &'static str = "bytevector";
    fn into_scheme(self, ctx: &mut Ctx<'s>) -> Value<'s> {
        ctx.make_bytevector_from(&self)
    }
}

// ---- containers -------------------------------------------------------------

impl<'a, T: FromScheme<'a>> FromScheme<'a> for Option<T> {
    const TYPE_NAME: &'static str = T::TYPE_NAME;
    fn describe() -> String {
        format!("(optional {})", T::describe())
    }
    fn from_scheme(v: Value<'a>, args: &mut Args<'a>) -> Option<Self> {
        if v == Value::FALSE {
            Some(None)
        } else {
            T::from_scheme(v, args).map(Some)
        }
    }
    #[inline(always)]
    fn from_scheme_fast(v: Value<'a>) -> Option<Self> {
        if v == Value::FALSE {
            Some(None)
        } else {
            T::from_scheme_fast(v).map(Some)
        }
    }
    #[inline(always)]
    unsafe fn from_scheme_plain(v: Value<'a>) -> Option<Self> {
        if v == Value::FALSE {
            Some(None)
        } else {
            // SAFETY: forwarded from the caller.
            unsafe { T::from_scheme_plain(v) }.map(Some)
        }
    }
}
impl<'s, T: IntoScheme<'s>> IntoScheme<'s> for Option<T> {
    const TYPE_NAME: &'static str = T::TYPE_NAME;
    fn describe() -> String {
        format!("(optional {})", T::describe())
    }
    fn into_scheme(self, ctx: &mut Ctx<'s>) -> Value<'s> {
        match self {
            Some(v) => v.into_scheme(ctx),
            None => Value::FALSE,
        }
    }
}

/// A trailing parameter that the caller may leave out; unlike `Option<T>`,
/// a `#f` argument is `Some(#f)` rather than `None`. Use it for optional
/// parameters of type `Value` or `bool`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Optional<T>(pub Option<T>);
impl<'a, T: FromScheme<'a>> FromScheme<'a> for Optional<T> {
    const TYPE_NAME: &'static str = T::TYPE_NAME;
    fn describe() -> String {
        T::describe()
    }
    fn from_scheme(v: Value<'a>, args: &mut Args<'a>) -> Option<Self> {
        T::from_scheme(v, args).map(|x| Optional(Some(x)))
    }
    #[inline(always)]
    fn from_scheme_fast(v: Value<'a>) -> Option<Self> {
        T::from_scheme_fast(v).map(|x| Optional(Some(x)))
    }
}

/// A parameter type that the caller may omit at the end of a call.
pub trait Omittable {
    /// The value of an omitted argument.
    fn absent() -> Self;
}
impl<T> Omittable for Option<T> {
    fn absent() -> Self {
        None
    }
}
impl<T> Omittable for Optional<T> {
    fn absent() -> Self {
        Optional(None)
    }
}

/// The elements of a proper list or a vector.
pub(crate) fn sequence_items<'s>(v: Value<'s>) -> Option<Vec<Value<'s>>> {
    if v.is_vector() {
        return Some((0..v.header_length()).map(|i| v.vector_ref(i)).collect());
    }
    let mut items = Vec::new();
    // A circular list is not a list (`None`), instead of items collected
    // until memory runs out: the walk checks for a cycle.
    let mut walk = crate::primitives::ListWalk::new(v.rt());
    while let Some(pair) = walk.next().ok()? {
        items.push(pair.car());
    }
    (walk.tail() == Value::NIL).then_some(items)
}

/// The elements of a proper list (vectors are not accepted).
#[derive(Debug, Clone, PartialEq)]
pub struct List<'s>(pub Vec<Value<'s>>);
impl<'a> FromScheme<'a> for List<'a> {
    const TYPE_NAME: &'static str = "list";
    fn from_scheme(v: Value<'a>, args: &mut Args<'a>) -> Option<Self> {
        if v.is_vector() {
            return None;
        }
        let items = sequence_items(v)?;
        // Held: the list may lose them while Rust holds them.
        for &x in &items {
            args.hold(x);
        }
        Some(List(items))
    }
}

impl<'a, T: FromScheme<'a>> FromScheme<'a> for Vec<T> {
    const TYPE_NAME: &'static str = "list";
    fn describe() -> String {
        format!("(list-of {})", T::describe())
    }
    fn from_scheme(v: Value<'a>, args: &mut Args<'a>) -> Option<Self> {
        let items = sequence_items(v)?;
        let mut out = Vec::with_capacity(items.len());
        for x in items {
            // Held: the list may lose it while Rust holds what it converts to.
            let x = args.hold(x);
            out.push(T::from_scheme(x, args)?);
        }
        Some(out)
    }
}
impl<'s, T: IntoScheme<'s>> IntoScheme<'s> for Vec<T> {
    const TYPE_NAME: &'static str = "list";
    fn describe() -> String {
        format!("(list-of {})", T::describe())
    }
    fn into_scheme(self, ctx: &mut Ctx<'s>) -> Value<'s> {
        // Convert from the end and cons at once: every new value is held by
        // a local (`item`, `list`) while the next one is allocated, never
        // only by a `Vec` the collector cannot see.
        let mut list = Value::NIL;
        for x in self.into_iter().rev() {
            let item = x.into_scheme(ctx);
            list = ctx.cons(item, list);
        }
        list
    }
}

// ---- ports ----------------------------------------------------------------

impl<'a> FromScheme<'a> for &'a mut crate::port::Port {
    const TYPE_NAME: &'static str = "port";
    fn from_scheme(v: Value<'a>, _: &mut Args<'a>) -> Option<Self> {
        v.is_port().then(|| crate::port::port_mut(v.rt()))
    }
}
impl<'a> FromScheme<'a> for &'a crate::port::Port {
    const TYPE_NAME: &'static str = "port";
    fn from_scheme(v: Value<'a>, _: &mut Args<'a>) -> Option<Self> {
        v.is_port().then(|| &*crate::port::port_mut(v.rt()))
    }
}
impl<'s> IntoScheme<'s> for crate::port::Port {
    const TYPE_NAME: &'static str = "port";
    fn into_scheme(self, ctx: &mut Ctx<'s>) -> Value<'s> {
        ctx.rt().make_port(self)
    }
}

// ---- object handles ---------------------------------------------------------

macro_rules! handle {
    ($(#[$doc:meta])* $name:ident, $type_name:literal, $test:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct $name<'s>(pub(crate) Value<'s>);
        impl<'s> $name<'s> {
            /// `v` as this kind of object, if it is one.
            #[inline(always)]
            pub fn of(v: Value<'s>) -> Option<Self> {
                v.$test().then_some($name(v))
            }
            /// The object as a plain value.
            #[inline(always)]
            pub fn value(self) -> Value<'s> {
                self.0
            }
            /// The same handle at the runtime's own brand (crate only).
            #[inline(always)]
            #[allow(dead_code)]
            pub(crate) fn rt(self) -> $name<'static> {
                $name(self.0.rt())
            }
        }
        impl<'s> From<$name<'s>> for Value<'s> {
            fn from(h: $name<'s>) -> Value<'s> {
                h.0
            }
        }
        impl<'a> FromScheme<'a> for $name<'a> {
            const TYPE_NAME: &'static str = $type_name;
            #[inline(always)]
            fn from_scheme(v: Value<'a>, _: &mut Args<'a>) -> Option<Self> {
                $name::of(v)
            }
            #[inline(always)]
            fn from_scheme_fast(v: Value<'a>) -> Option<Self> {
                $name::of(v)
            }
        }
        impl<'a> Plain<'a> for $name<'a> {
            fn from_value(v: Value<'a>) -> Option<Self> {
                $name::of(v)
            }
        }
        impl<'s> IntoScheme<'s> for $name<'s> {
            const TYPE_NAME: &'static str = $type_name;
            #[inline(always)]
            fn into_scheme(self, _: &mut Ctx<'s>) -> Value<'s> {
                self.0
            }
        }
    };
}

handle!(
    /// A pair.
    Pair, "pair", is_pair
);
handle!(
    /// A vector.
    Vector, "vector", is_vector
);
handle!(
    /// A symbol.
    Symbol, "symbol", is_symbol
);
handle!(
    /// A procedure, to call back (see `Ctx::call`) or to pass on.
    Procedure, "procedure", is_closure
);
handle!(
    /// A bytevector object itself (for identity or later mutation).
    Bytevector, "bytevector", is_bytevector
);
handle!(
    /// A hash table.
    Hashtable, "hash table", is_hashtable
);
handle!(
    /// A string object itself (for identity or later mutation).
    SchemeString, "string", is_string
);

impl Symbol<'_> {
    /// The symbol's name (interned and never freed, so any lifetime is sound).
    pub fn name<'a>(self) -> &'a str {
        crate::text::symbol_str(self.0.rt())
    }
}
