//! Allocation of heap objects.
//!
//! Objects are bump-allocated in blocks; compiled code inlines the fast path
//! (`ctx.alloc_ptr` / `ctx.alloc_limit`) and calls [`scm_alloc_slow`] when a
//! block is full. There is no collector yet (issue 5): blocks are never freed.
//!
//! Rules for code that holds values (they will matter once the collector
//! exists, and the allocator is written to keep them true):
//! 1. The heap never moves an object.
//! 2. Every object starts 8-byte aligned, so a tagged pointer's low bits are free.

use crate::abi::*;
use crate::ctx::Ctx;
use crate::value::Value;

const BLOCK_BYTES: u64 = 1 << 20;

impl Ctx {
    /// Allocate `bytes` (rounded up to 8) of uninitialised heap memory.
    pub fn alloc(&mut self, bytes: u64) -> *mut u64 {
        let bytes = (bytes + 7) & !7;
        if self.alloc_ptr + bytes > self.alloc_limit {
            self.refill(bytes);
        }
        let p = self.alloc_ptr;
        self.alloc_ptr += bytes;
        self.bytes_allocated += bytes;
        p as *mut u64
    }

    /// Start a new block big enough for `bytes`.
    fn refill(&mut self, bytes: u64) {
        let size = bytes.max(BLOCK_BYTES);
        let block: Vec<u64> = Vec::with_capacity((size / 8) as usize);
        let start = block.leak().as_mut_ptr() as u64;
        self.alloc_ptr = start;
        self.alloc_limit = start + size;
    }

    pub fn cons(&mut self, car: Value, cdr: Value) -> Value {
        let p = self.alloc(PAIR_SIZE);
        // SAFETY: `p` points at 16 fresh bytes.
        unsafe {
            *p = car.0;
            *p.add(1) = cdr.0;
        }
        Value(p as u64 | TAG_PAIR)
    }

    /// A fresh object of `words` words after a header of type `kind`.
    pub fn alloc_object(&mut self, kind: u64, length: u64, words: u64) -> Value {
        let p = self.alloc(8 * (words + 1));
        // SAFETY: `p` points at `words + 1` fresh words.
        unsafe { *p = header(kind, length) };
        Value(p as u64 | TAG_OBJECT)
    }

    pub fn make_vector(&mut self, len: usize, fill: Value) -> Value {
        let v = self.alloc_object(TYPE_VECTOR, len as u64, len as u64);
        for i in 0..len {
            v.vector_set(i, fill);
        }
        v
    }

    pub fn make_box(&mut self, value: Value) -> Value {
        let b = self.alloc_object(TYPE_BOX, 0, 1);
        b.set_word(1, value.0);
        b
    }

    /// Build a proper list from `items`.
    pub fn list(&mut self, items: &[Value]) -> Value {
        items
            .iter()
            .rev()
            .fold(Value::NIL, |tail, &item| self.cons(item, tail))
    }
}

/// Slow path of the inline allocator: start a new block and allocate there.
#[no_mangle]
pub extern "C" fn scm_alloc_slow(ctx: &mut Ctx, bytes: u64) -> u64 {
    ctx.alloc(bytes) as u64
}
