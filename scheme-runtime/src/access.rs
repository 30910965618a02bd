//! Safe access to the inside of objects, for Rust code: each method takes
//! a checked handle ([`Pair`], [`Vector`]...), so it cannot read a wrong
//! kind of object, and holds what it returns for the running call
//! (`scope.rs`), so a value kept in a Rust collection cannot be freed
//! under it.

use crate::convert::{Bytevector, Hashtable, Pair, SchemeString, Vector};
use crate::ctx::Ctx;
use crate::value::Value;

/// A bytevector that another Rust call is changing (`&mut [u8]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlreadyBorrowed;

impl std::fmt::Display for AlreadyBorrowed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("already borrowed")
    }
}

impl<'s> Ctx<'s> {
    /// The car of `p` (held for the running call).
    pub fn car(&mut self, p: Pair<'s>) -> Value<'s> {
        self.hold(p.0.car())
    }
    /// The cdr of `p` (held for the running call).
    pub fn cdr(&mut self, p: Pair<'s>) -> Value<'s> {
        self.hold(p.0.cdr())
    }
    /// Replace the car of `p` with `v`.
    pub fn set_car(&mut self, p: Pair<'s>, v: Value<'s>) {
        p.0.set_car(v)
    }
    /// Replace the cdr of `p` with `v`.
    pub fn set_cdr(&mut self, p: Pair<'s>, v: Value<'s>) {
        p.0.set_cdr(v)
    }

    /// The elements of a proper list, or `None` (an improper or circular
    /// list, or not a list).
    pub fn list_items(&mut self, list: Value<'s>) -> Option<Vec<Value<'s>>> {
        self.convert::<crate::convert::List>(list).map(|l| l.0)
    }

    /// Number of elements of `v`.
    pub fn vector_len(&self, v: Vector<'s>) -> usize {
        v.0.header_length()
    }
    /// Element `i`, or `None` past the end.
    pub fn vector_ref(&mut self, v: Vector<'s>, i: usize) -> Option<Value<'s>> {
        (i < v.0.header_length()).then(|| self.hold(v.0.vector_ref(i)))
    }
    /// Store `x` as element `i`; `false` (nothing stored) past the end.
    pub fn vector_set(&mut self, v: Vector<'s>, i: usize, x: Value<'s>) -> bool {
        let inside = i < v.0.header_length();
        if inside {
            v.0.vector_set(i, x);
        }
        inside
    }

    /// A copy of a string's text.
    pub fn string_text(&self, s: SchemeString<'s>) -> String {
        crate::text::string_str(s.0.rt()).into_owned()
    }

    /// Run `f` on a bytevector's bytes (no copy). `f` cannot reach the
    /// context, so no Scheme code runs while it reads them.
    pub fn with_bytes<R>(
        &mut self,
        bv: Bytevector<'s>,
        f: impl FnOnce(&[u8]) -> R,
    ) -> Result<R, AlreadyBorrowed> {
        if self.rt().is_exclusively_borrowed(bv.0.rt()) {
            return Err(AlreadyBorrowed);
        }
        Ok(f(crate::bytevector::bytes(bv.0.rt())))
    }

    /// Run `f` on a bytevector's bytes to change them in place; an error if
    /// a running call borrows them (a `&[u8]` argument).
    pub fn with_bytes_mut<R>(
        &mut self,
        bv: Bytevector<'s>,
        f: impl FnOnce(&mut [u8]) -> R,
    ) -> Result<R, AlreadyBorrowed> {
        if self.rt().is_borrowed(bv.0.rt()) {
            return Err(AlreadyBorrowed);
        }
        Ok(f(crate::bytevector::bytes_mut(bv.0.rt())))
    }

    /// The value stored under `key`, or `None`; an `Err` carries the
    /// message of a failing hash or equivalence procedure.
    pub fn hashtable_ref(
        &mut self,
        t: Hashtable<'s>,
        key: Value<'s>,
    ) -> Result<Option<Value<'s>>, String> {
        let entry = self.rt().table_entry(t.0.rt(), key.rt())?;
        Ok(entry.map(|e| self.hold(e.cdr())))
    }
    /// Store `value` under `key`.
    pub fn hashtable_set(
        &mut self,
        t: Hashtable<'s>,
        key: Value<'s>,
        value: Value<'s>,
    ) -> Result<(), String> {
        self.rt().table_set(t.0.rt(), key.rt(), value.rt())
    }

    /// `v` as `display` prints it.
    pub fn display_string(&self, v: Value<'s>) -> String {
        crate::print::to_string(v.rt(), false)
    }
    /// `v` as `write` prints it.
    pub fn write_string(&self, v: Value<'s>) -> String {
        crate::print::to_string(v.rt(), true)
    }
}
