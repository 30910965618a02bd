//! Explicit roots: values that Rust code keeps where the collector cannot
//! see them (in a struct, a `Vec`, across calls).

use crate::ctx::Ctx;
use crate::value::Value;

#[derive(Default)]
pub(crate) struct RootTable {
    pub(crate) slots: Vec<Value>,
    free: Vec<usize>,
}

/// Keeps a value alive until dropped. Get it back with [`Root::get`].
pub struct Root {
    table: *mut RootTable,
    index: usize,
}

impl Ctx {
    /// Keep `v` alive (and unchanged) until the returned handle is dropped.
    pub fn root(&mut self, v: Value) -> Root {
        let table: *mut RootTable = &mut self.heap().roots;
        // SAFETY: the table lives as long as the heap, i.e. the process.
        let t = unsafe { &mut *table };
        let index = match t.free.pop() {
            Some(i) => {
                t.slots[i] = v;
                i
            }
            None => {
                t.slots.push(v);
                t.slots.len() - 1
            }
        };
        Root { table, index }
    }
}

impl Root {
    /// The value this root keeps alive.
    pub fn get(&self) -> Value {
        // SAFETY: see `Ctx::root`.
        unsafe { (&(*self.table).slots)[self.index] }
    }
    /// Keep `v` alive instead of the current value.
    pub fn set(&self, v: Value) {
        // SAFETY: see `Ctx::root`.
        unsafe { (&mut (*self.table).slots)[self.index] = v }
    }
}

impl Drop for Root {
    fn drop(&mut self) {
        // SAFETY: see `Ctx::root`.
        let t = unsafe { &mut *self.table };
        t.slots[self.index] = Value::FALSE;
        t.free.push(self.index);
    }
}
