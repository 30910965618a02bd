//! What a primitive call holds, so that safe Rust code cannot reach freed
//! or aliased memory (issue 14, ARCHITECTURE.md "Soundness"):
//!
//! - the handle scope: every heap value that Rust code gets during a
//!   `#[scheme_fn]` call (allocated, read out of an object, returned by a
//!   callback, converted from an argument) is recorded here and stays
//!   alive until that call returns, wherever Rust keeps it (a `Vec`, a
//!   `HashMap`, a closure). Recording is one push; a call that allocates
//!   nothing records nothing.
//! - the borrow registry: the objects that arguments borrow (`&str`,
//!   `&[u8]`, `&mut [u8]`, `&T`/`&mut T` foreign objects, ports), checked
//!   at run time like `RefCell`: a conflicting borrow by a nested call is
//!   an "already borrowed" error, and a string that Rust reads is copied
//!   before Scheme changes it.
//!
//! The trampoline (`__private::guarded`) marks both on entry and releases
//! them on exit, whether the call returns, raises or panics.

use crate::abi::*;
use crate::rt::Ctx;
use crate::rt::Value;

/// An object an argument borrows, and how.
#[derive(Clone, Copy)]
pub(crate) struct Borrow {
    pub(crate) object: Value,
    pub(crate) exclusive: bool,
}

/// Where a call's held values and borrows start.
#[derive(Clone, Copy)]
pub(crate) struct ScopeMark {
    held: usize,
    borrows: usize,
}

/// Whether `v` points into the heap (or at a static closure).
#[inline(always)]
pub(crate) fn is_heap(v: Value) -> bool {
    const HEAP_TAGS: u64 =
        (1 << TAG_PAIR) | (1 << TAG_CLOSURE) | (1 << TAG_OBJECT) | (1 << TAG_FLONUM);
    HEAP_TAGS & (1 << v.tag()) != 0
}

impl<'s> crate::ctx::Ctx<'s> {
    /// Keep `v` alive until the running primitive call returns, if that
    /// call holds (`PrimDesc::holds`: plugins' primitives; the runtime's
    /// entry points and most of its primitives keep values only in locals,
    /// which are roots).
    #[inline(always)]
    pub(crate) fn hold(&mut self, v: crate::value::Value<'s>) -> crate::value::Value<'s> {
        if self.holding > 0 && is_heap(v.rt()) {
            self.held.push(v.rt());
        }
        v
    }
}

impl Ctx {
    /// Keep `v` alive until the running primitive call returns, whatever
    /// the call: for the runtime's own primitives that keep a value outside
    /// locals across an allocation or a callback.
    #[inline(always)]
    pub(crate) fn keep(&mut self, v: Value) -> Value {
        if self.catch_depth > 0 && is_heap(v) {
            self.held.push(v);
        }
        v
    }

    #[inline(always)]
    pub(crate) fn scope_mark(&self) -> ScopeMark {
        ScopeMark {
            held: self.held.len(),
            borrows: self.borrows.len(),
        }
    }

    /// Release what the call that took `mark` held and borrowed.
    #[inline(always)]
    pub(crate) fn scope_release(&mut self, mark: ScopeMark) {
        if self.held.len() > mark.held {
            self.held.truncate(mark.held);
        }
        if self.borrows.len() > mark.borrows {
            self.borrows.truncate(mark.borrows);
            self.borrow_count = self.borrows.len() as u64;
        }
    }

    /// Release what the trampolines since the innermost boundary held: a
    /// continuation jump abandons them (their frames own nothing else).
    pub(crate) fn scope_release_to_boundary(&mut self) {
        self.holding = 0;
        let mark = self.boundaries.last().map_or(
            ScopeMark {
                held: 0,
                borrows: 0,
            },
            |b| b.scope,
        );
        self.scope_release(mark)
    }

    /// Record a borrow of `object` for the running call; `false` (and
    /// nothing recorded) if it conflicts with one still active: any
    /// borrow of an exclusively borrowed object, or an exclusive borrow
    /// of a borrowed one.
    /// (Recorded only in calls that hold: the others run no Scheme code
    /// while they borrow, and take no two borrows of one object.)
    pub(crate) fn borrow_object(&mut self, object: Value, exclusive: bool) -> bool {
        let conflict = self
            .borrows
            .iter()
            .any(|b| b.object == object && (exclusive || b.exclusive));
        if !conflict && self.holding > 0 {
            self.borrows.push(Borrow { object, exclusive });
            self.borrow_count = self.borrows.len() as u64;
        }
        !conflict
    }

    /// Whether Rust code holds `object` exclusively (`&mut [u8]`, `&mut T`):
    /// nothing else may read it.
    #[inline]
    pub(crate) fn is_exclusively_borrowed(&self, object: Value) -> bool {
        self.borrows
            .iter()
            .any(|b| b.object == object && b.exclusive)
    }

    /// Whether Rust code holds a borrow of `object` (strings: copy before
    /// changing it).
    #[inline]
    pub(crate) fn is_borrowed(&self, object: Value) -> bool {
        !self.borrows.is_empty() && self.borrows.iter().any(|b| b.object == object)
    }
}
