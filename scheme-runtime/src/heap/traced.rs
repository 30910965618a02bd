//! Traced values: what a foreign object keeps of Scheme's, marked by the
//! object's `SchemeObject::trace` (as PyO3's `__traverse__` visits), so
//! that a cycle through the object (a button whose callback refers to the
//! button) is collected, which a `Root` would keep alive forever.
//!
//! The slots are weak: the collector marks a slot's value only when a
//! live object's `trace` reports it, and after marking it clears every
//! slot whose value died. A value that no `trace` reports (the programmer
//! forgot to mark it) is therefore gone after the next collection, and
//! `Traced::get` says so with `None`: never a dangling value.

use super::roots::RootTable;
use crate::rt::Value;

/// What a cleared slot holds (the marker of an unbound global: no Scheme
/// value is ever this word).
const CLEARED: Value = Value::from_bits(crate::abi::UNBOUND);

/// A Scheme value kept by a foreign object: mark it from the object's
/// [`crate::SchemeObject::trace`] (`tracer.mark(&self.field)`) and it
/// lives as long as the object does, cycles through the object included.
/// Made by [`crate::Ctx::traced`]; dropped with the object.
pub struct Traced {
    table: *mut RootTable,
    index: usize,
}

impl Traced {
    /// The value, held for the running call; `None` if it was collected
    /// (nothing marked it: the object's `trace` does not report it).
    pub fn get<'s>(&self, ctx: &mut crate::ctx::Ctx<'s>) -> Option<crate::value::Value<'s>> {
        let v = self.value();
        (v != CLEARED).then(|| ctx.hold(v))
    }

    /// Keep `v` instead.
    pub fn set(&self, v: crate::value::Value<'_>) {
        // SAFETY: the table lives as long as the heap (the process); the
        // collector does not hold it while Rust code runs.
        unsafe { (&mut (*self.table).slots)[self.index] = v.rt() }
    }

    /// The slot's word, for `Tracer::mark`.
    pub(crate) fn value(&self) -> Value {
        // SAFETY: as for `set`; `trace` runs during marking, which reads
        // the table only through this pointer.
        unsafe { (&(*self.table).slots)[self.index] }
    }
}

impl Drop for Traced {
    fn drop(&mut self) {
        // SAFETY: as for `set`: a foreign object's `Drop` runs after the
        // collection, never during it.
        unsafe { &mut *self.table }.remove(self.index);
    }
}

impl<'s> crate::ctx::Ctx<'s> {
    /// `v` as a value a foreign object keeps and marks from its `trace`.
    pub fn traced(&mut self, v: crate::value::Value<'s>) -> Traced {
        let table = self.rt().heap().traced;
        // SAFETY: the table lives as long as the heap, i.e. the process.
        let index = unsafe { &mut *table }.insert(v.rt());
        Traced { table, index }
    }
}

/// After marking: clear the slots whose values died (`live` says whether
/// a heap address was marked; immediates are never cleared).
pub(crate) fn clear_dead(table: *mut RootTable, live: impl Fn(Value) -> bool) {
    // SAFETY: the table is a separate allocation from the heap's blocks;
    // nothing else uses it during the collection.
    let t = unsafe { &mut *table };
    for slot in &mut t.slots {
        if *slot != CLEARED && !live(*slot) {
            *slot = CLEARED;
        }
    }
}
