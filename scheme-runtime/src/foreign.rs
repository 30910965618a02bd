//! Foreign objects: Rust values that Scheme holds as opaque objects.
//!
//! ```
//! use scheme_runtime::{registry, scheme_fn, SchemeObject};
//!
//! struct Counter(u64);
//! impl SchemeObject for Counter { const TYPE_NAME: &'static str = "counter"; }
//!
//! #[scheme_fn] fn make_counter() -> Counter { Counter(0) }
//! #[scheme_fn] fn counter_bump(c: &mut Counter) -> u64 { c.0 += 1; c.0 }
//!
//! assert_eq!(registry::find("counter-bump").unwrap().types(), "c: counter -> integer");
//! ```
//!
//! The object is `[header][*mut ForeignBox]`; the value's `Drop` runs when
//! the collector frees it (a panic in it is caught and reported). Passing
//! it back as `&T` or `&mut T` checks its type (a different foreign type
//! or any other value is an argument error) and borrows it for the call
//! like a `RefCell`: while one call holds `&mut T`, any other borrow of the
//! same object (by a callback's primitive, or another argument) is the
//! error "argument N (name): already borrowed".

use std::any::{Any, TypeId};
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::abi::TYPE_FOREIGN;
use crate::convert::{Args, FromScheme, IntoScheme};
use crate::rt::Value;

/// A Rust type that Scheme may hold as an opaque object.
pub trait SchemeObject: Any {
    /// How errors and `write` name it: `#<counter>`.
    const TYPE_NAME: &'static str;

    /// Mark the [`crate::Traced`] values this object keeps (in fields, in
    /// collections), so that they live as long as it does; like PyO3's
    /// `__traverse__`. The default marks none. A value that is not marked
    /// is collected (its `Traced::get` is then `None`). A [`crate::Root`]
    /// field needs no marking, but keeps its value alive even when the
    /// value refers back to this object: such a cycle is never freed.
    fn trace(&self, _tracer: &mut Tracer) {}
}

/// What [`SchemeObject::trace`] marks values with.
pub struct Tracer<'t> {
    found: &'t mut Vec<Value>,
}

impl Tracer<'_> {
    /// Keep `t`'s value alive as long as the object being traced.
    pub fn mark(&mut self, t: &crate::heap::Traced) {
        self.found.push(t.value());
    }

    /// Keep `v` alive (the runtime's own objects, which hold values).
    pub(crate) fn mark_value(&mut self, v: Value) {
        self.found.push(v);
    }
}

/// The heap-side part of a foreign object.
pub(crate) struct ForeignBox {
    pub(crate) type_name: &'static str,
    type_id: TypeId,
    /// The value, from `Box::into_raw`; dropped by `finalize_foreign`.
    value: *mut dyn Any,
    /// `T`'s trace and drop, instantiated where `make_foreign::<T>` is
    /// (a plugin's code): a panic in them is caught there, by the std that
    /// raised it (a panic of one std cannot be caught by another's
    /// `catch_unwind`). `false`: it panicked.
    trace: fn(*const dyn Any, &mut Tracer) -> bool,
    drop: unsafe fn(*mut dyn Any) -> bool,
}

impl ForeignBox {
    /// A pointer to the value if it is a `T`.
    fn get<T: SchemeObject>(&self) -> Option<*mut T> {
        (self.type_id == TypeId::of::<T>()).then_some(self.value as *mut T)
    }
}

fn trace_as<T: SchemeObject>(value: *const dyn Any, tracer: &mut Tracer) -> bool {
    // SAFETY: `value` is the live `T` this function was stored with. A
    // collection runs inside an allocation or `collect`, while Rust code
    // may hold `&mut T` only in a function without the context (the
    // registry refuses `&mut T` while the object is borrowed elsewhere, and
    // a function holding `&mut T` with the context cannot make its
    // object's `trace` run concurrently: tracing only reads, and the
    // borrow is suspended while the function is inside an allocation).
    let value = unsafe { &*(value as *const T) };
    catch_unwind(AssertUnwindSafe(|| value.trace(tracer))).is_ok()
}

/// # Safety
/// `value` came from `Box::<T>::into_raw` (as `dyn Any`) and is dropped once.
unsafe fn drop_as<T: SchemeObject>(value: *mut dyn Any) -> bool {
    // SAFETY: guaranteed by the caller.
    let value = unsafe { Box::from_raw(value as *mut T) };
    catch_unwind(AssertUnwindSafe(|| drop(value))).is_ok()
}

impl<'s> crate::ctx::Ctx<'s> {
    /// A new foreign object holding `x`.
    pub fn make_foreign<T: SchemeObject>(&mut self, x: T) -> crate::value::Value<'s> {
        let ctx = self.rt();
        // The value may own more than its size; this is a lower bound.
        ctx.external_bytes += (std::mem::size_of::<T>() + std::mem::size_of::<ForeignBox>()) as u64;
        let value: Box<dyn Any> = Box::new(x);
        let b = Box::new(ForeignBox {
            type_name: T::TYPE_NAME,
            type_id: TypeId::of::<T>(),
            value: Box::into_raw(value),
            trace: trace_as::<T>,
            drop: drop_as::<T>,
        });
        let v = ctx.alloc_object(TYPE_FOREIGN, 0, 1);
        v.set_word(1, Box::into_raw(b) as u64);
        ctx.finalizable.push(v);
        v
    }
}

/// The box inside a foreign object.
pub(crate) fn foreign_box<'a>(v: Value) -> &'a ForeignBox {
    // SAFETY: word 1 of a foreign object is the box made by `make_foreign`,
    // alive as long as the object; it is only read (the value it points
    // to is reached through its raw pointer).
    unsafe { &*(v.word(1) as *const ForeignBox) }
}

/// The address of the Rust value inside foreign object `v` (stable: it
/// lives in a box until the object dies).
pub(crate) fn foreign_value_ptr(v: Value) -> *const () {
    foreign_box(v).value as *const ()
}

/// Mark what the foreign object `v` keeps (the collector's tracing).
pub(crate) fn trace_foreign(v: Value, found: &mut Vec<Value>) {
    let b = foreign_box(v);
    let mut tracer = Tracer { found };
    // A panic must not unwind through the collector: what was marked
    // before it stays marked, and the panic is reported.
    if !(b.trace)(b.value, &mut tracer) {
        eprintln!("warning: tracing a `{}` object panicked", b.type_name);
    }
}

/// Drop the value of a dead foreign object and free its box.
///
/// # Safety
/// `b` is the box of a dead foreign object, dropped once.
pub(crate) unsafe fn finalize_foreign(b: *mut ForeignBox) {
    // SAFETY: guaranteed by the caller; the box came from `Box::into_raw`
    // and its `drop` is the one for its value.
    let b = unsafe { Box::from_raw(b) };
    if !unsafe { (b.drop)(b.value) } {
        eprintln!(
            "warning: dropping a `{}` object panicked (ignored)",
            b.type_name
        );
    }
}

impl<'a, T: SchemeObject> FromScheme<'a> for &'a T {
    const TYPE_NAME: &'static str = T::TYPE_NAME;
    fn from_scheme(v: crate::value::Value<'a>, args: &mut Args<'a>) -> Option<Self> {
        if !v.is_foreign() {
            return None;
        }
        let p = foreign_box(v.rt()).get::<T>()?;
        // SAFETY: `p` is the object's live `T`; the borrow registry keeps
        // any `&mut T` of it away until the call ends (`'a`), and the
        // argument keeps the object alive for the call.
        args.borrow(v, false).then(|| unsafe { &*p })
    }
}

impl<'a, T: SchemeObject> FromScheme<'a> for &'a mut T {
    const TYPE_NAME: &'static str = T::TYPE_NAME;
    fn from_scheme(v: crate::value::Value<'a>, args: &mut Args<'a>) -> Option<Self> {
        if !v.is_foreign() {
            return None;
        }
        let p = foreign_box(v.rt()).get::<T>()?;
        // SAFETY: as for `&T`, and the borrow is exclusive: the registry
        // refuses every other borrow of the object until the call ends.
        args.borrow(v, true).then(|| unsafe { &mut *p })
    }
}

impl<'s, T: SchemeObject> IntoScheme<'s> for T {
    const TYPE_NAME: &'static str = T::TYPE_NAME;
    fn into_scheme(self, ctx: &mut crate::ctx::Ctx<'s>) -> crate::value::Value<'s> {
        ctx.make_foreign(self)
    }
}
