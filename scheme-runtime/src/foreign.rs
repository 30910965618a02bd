//! Foreign objects: Rust values that Scheme holds as opaque objects.
//!
//! ```ignore
//! struct Counter(u64);
//! impl SchemeObject for Counter { const TYPE_NAME: &'static str = "counter"; }
//!
//! #[scheme_fn] fn make_counter() -> Counter { Counter(0) }
//! #[scheme_fn] fn counter_bump(c: &mut Counter) -> u64 { c.0 += 1; c.0 }
//! ```
//!
//! The object is `[header][*mut ForeignBox]`; the value's `Drop` runs when
//! the collector frees it. Passing it back as `&T` or `&mut T` checks its
//! type: a different foreign type or any other value is an argument error.

use std::any::Any;

use crate::abi::TYPE_FOREIGN;
use crate::convert::{FromScheme, IntoScheme};
use crate::ctx::Ctx;
use crate::value::Value;

/// A Rust type that Scheme may hold as an opaque object.
pub trait SchemeObject: Any {
    /// How errors and `write` name it: `#<counter>`.
    const TYPE_NAME: &'static str;
}

/// The heap-side part of a foreign object.
pub struct ForeignBox {
    pub type_name: &'static str,
    pub value: Box<dyn Any>,
}

impl Ctx {
    /// A new foreign object holding `x`.
    pub fn make_foreign<T: SchemeObject>(&mut self, x: T) -> Value {
        // The value may own more than its size; this is a lower bound.
        self.external_bytes +=
            (std::mem::size_of::<T>() + std::mem::size_of::<ForeignBox>()) as u64;
        let b = Box::new(ForeignBox {
            type_name: T::TYPE_NAME,
            value: Box::new(x),
        });
        let v = self.alloc_object(TYPE_FOREIGN, 0, 1);
        v.set_word(1, Box::into_raw(b) as u64);
        self.finalizable.push(v);
        v
    }
}

/// The box inside a foreign object.
pub fn foreign_box<'a>(v: Value) -> &'a mut ForeignBox {
    // SAFETY: word 1 of a foreign object is the box made by `make_foreign`,
    // alive as long as the object.
    unsafe { &mut *(v.word(1) as *mut ForeignBox) }
}

impl<'a, T: SchemeObject> FromScheme<'a> for &'a T {
    const TYPE_NAME: &'static str = T::TYPE_NAME;
    fn from_scheme(v: Value) -> Option<Self> {
        if !v.is_foreign() {
            return None;
        }
        foreign_box(v).value.downcast_ref::<T>()
    }
}

impl<'a, T: SchemeObject> FromScheme<'a> for &'a mut T {
    const TYPE_NAME: &'static str = T::TYPE_NAME;
    fn from_scheme(v: Value) -> Option<Self> {
        if !v.is_foreign() {
            return None;
        }
        foreign_box(v).value.downcast_mut::<T>()
    }
}

impl<T: SchemeObject> IntoScheme for T {
    const TYPE_NAME: &'static str = T::TYPE_NAME;
    fn into_scheme(self, ctx: &mut Ctx) -> Value {
        ctx.make_foreign(self)
    }
}
