//! Explicit roots: values that Rust code keeps where the collector cannot
//! see them (in a struct, a `Vec`, across calls).

use crate::rt::Value;

/// Slots of values held for Rust code (roots here, traced values in
/// `traced.rs`), with a free list.
#[derive(Default)]
pub(crate) struct RootTable {
    pub(crate) slots: Vec<Value>,
    free: Vec<usize>,
}

impl RootTable {
    /// A slot holding `v`.
    pub(crate) fn insert(&mut self, v: Value) -> usize {
        match self.free.pop() {
            Some(i) => {
                self.slots[i] = v;
                i
            }
            None => {
                self.slots.push(v);
                self.slots.len() - 1
            }
        }
    }

    /// Give slot `i` back.
    pub(crate) fn remove(&mut self, i: usize) {
        self.slots[i] = Value::FALSE;
        self.free.push(i);
    }
}

/// Keeps a value alive until dropped. Get it back with [`Root::get`].
pub struct Root {
    table: *mut RootTable,
    index: usize,
}

impl Root {
    /// The value this root keeps alive, for the running call (which holds
    /// it: dropping the root later does not free it under the caller).
    pub fn get<'s>(&self, ctx: &mut crate::ctx::Ctx<'s>) -> crate::value::Value<'s> {
        ctx.hold(self.value())
    }
    /// The value (the runtime's own code, which keeps it in locals).
    pub(crate) fn value(&self) -> Value {
        // SAFETY: see `Ctx::root`.
        unsafe { (&(*self.table).slots)[self.index] }
    }
    /// Keep `v` alive instead of the current value.
    pub fn set(&self, v: crate::value::Value<'_>) {
        // SAFETY: see `Ctx::root`.
        unsafe { (&mut (*self.table).slots)[self.index] = v.rt() }
    }
}

impl Drop for Root {
    fn drop(&mut self) {
        // SAFETY: see `Ctx::root`.
        unsafe { &mut *self.table }.remove(self.index);
    }
}

impl<'s> crate::ctx::Ctx<'s> {
    /// Keep `v` alive (and unchanged) until the returned handle is dropped.
    pub fn root(&mut self, v: crate::value::Value<'s>) -> Root {
        let ctx = self.rt();
        let v = v.rt();
        let table: *mut RootTable = &mut ctx.heap().roots;
        // SAFETY: the table lives as long as the heap, i.e. the process.
        let index = unsafe { &mut *table }.insert(v);
        Root { table, index }
    }
}
