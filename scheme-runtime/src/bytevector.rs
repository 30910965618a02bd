//! Bytevectors: `[header(length = 1 + data words)][byte length][bytes...]`.
//!
//! The bytes live in the object itself, zero-padded to whole words; the
//! collector does not scan them (they are not values) and a dead
//! bytevector owns nothing to free. Objects never move, so a byte slice
//! taken from a live bytevector stays valid while the object is reachable.

use std::fmt::Write;

use crate::abi::*;
use crate::rt::Value;

const LENGTH_WORD: usize = (BYTEVECTOR_LENGTH / 8) as usize;

fn data_ptr(v: Value) -> *mut u8 {
    ((v.0 & !TAG_MASK) as i64 + BYTEVECTOR_DATA) as *mut u8
}

/// Number of bytes in a bytevector object.
pub fn bytevector_length(v: Value) -> usize {
    v.word(LENGTH_WORD) as usize
}

/// The bytes of a bytevector object. The slice must not outlive the
/// object, and must not be held across a change to it (`bytevector-u8-set!`
/// in a callback, or a `bytes_mut` of the same object).
pub fn bytes<'a>(v: Value) -> &'a [u8] {
    // SAFETY: a bytevector holds `byte length` initialized bytes after its
    // length word; objects do not move.
    unsafe { std::slice::from_raw_parts(data_ptr(v), bytevector_length(v)) }
}

/// The bytes of a bytevector object, to change in place. The same rules as
/// for [`bytes`], and no other slice of the same object may be alive.
pub fn bytes_mut<'a>(v: Value) -> &'a mut [u8] {
    // SAFETY: as for `bytes`; the caller keeps the borrow unique.
    unsafe { std::slice::from_raw_parts_mut(data_ptr(v), bytevector_length(v)) }
}

/// `#u8(1 2 3)`, as `display` and `write` print a bytevector.
pub fn print_bytevector(out: &mut String, v: Value) {
    out.push_str("#u8(");
    for (i, b) in bytes(v).iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let _ = write!(out, "{b}");
    }
    out.push(')');
}

impl<'s> crate::ctx::Ctx<'s> {
    /// A new bytevector of `len` bytes, all `fill`.
    pub fn make_bytevector(&mut self, len: usize, fill: u8) -> crate::value::Value<'s> {
        let ctx = self.rt();
        let words = 1 + len.div_ceil(8) as u64;
        let v = ctx.alloc_object(TYPE_BYTEVECTOR, words, words);
        v.set_word(LENGTH_WORD, len as u64);
        // SAFETY: the object has `(words - 1) * 8` bytes after its length word.
        unsafe { std::ptr::write_bytes(data_ptr(v), 0, (words as usize - 1) * 8) };
        bytes_mut(v).fill(fill);
        v
    }

    /// A new bytevector holding a copy of `data`.
    pub fn make_bytevector_from(&mut self, data: &[u8]) -> crate::value::Value<'s> {
        let ctx = self.rt();
        let v = ctx.make_bytevector(data.len(), 0);
        bytes_mut(v).copy_from_slice(data);
        v
    }
}
