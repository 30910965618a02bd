//! The write barrier's card table: one byte per 32 KiB block of address
//! space, set when a value is stored into an object in that block.
//!
//! The collector is generational with sticky mark bits (`gc.rs`): a minor
//! collection keeps the marks of objects that survived earlier ones (the
//! old objects) and does not trace them again, so an old object that was
//! given a pointer to a young one since must be traced once more. Every
//! store of a value into an existing object (compiled code's `set-car!`,
//! `vector-set!`, `set!` of a captured variable...; the runtime's
//! `Value::set_word`) marks the block of the object's first word dirty;
//! a minor collection traces the old objects of dirty blocks and cleans
//! them. Stores into an object just allocated, with no allocation since,
//! need no barrier: the object is young.
//!
//! One table serves every heap in the process (tests make several) and
//! every copy of this crate (a plugin has its own, attached to the host's
//! table when it is loaded: `plugin.rs`): it covers the whole user address
//! space below 2^47 (4 GiB of reserved address space; only the pages of
//! blocks in use are ever touched), so the byte of address `a` is at
//! `table + (a >> 15)` with no base to subtract. Compiled code reads the
//! table from `Ctx::cards` (`abi::CTX_CARDS`).

use std::sync::atomic::{AtomicPtr, AtomicU8, Ordering};

use super::BLOCK_BYTES;

/// Addresses the table covers (the kernel hands out no user address above
/// 2^47 unless asked to).
const ADDRESS_BITS: u32 = 47;
use crate::abi::CARD_SHIFT;
const _: () = assert!(1 << CARD_SHIFT == BLOCK_BYTES);

static TABLE: AtomicPtr<u8> = AtomicPtr::new(std::ptr::null_mut());

/// The table, reserved on first use.
pub(crate) fn table() -> *mut u8 {
    let t = TABLE.load(Ordering::Acquire);
    if !t.is_null() {
        return t;
    }
    let bytes = 1usize << (ADDRESS_BITS - CARD_SHIFT);
    // SAFETY: an anonymous private mapping, checked below; untouched pages
    // read as zero (clean) and are never committed.
    let p = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            bytes,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
            -1,
            0,
        )
    };
    if p == libc::MAP_FAILED {
        eprintln!("error: cannot reserve address space for the heap's card table");
        std::process::exit(1);
    }
    match TABLE.compare_exchange(
        std::ptr::null_mut(),
        p as *mut u8,
        Ordering::AcqRel,
        Ordering::Acquire,
    ) {
        Ok(_) => p as *mut u8,
        Err(theirs) => {
            // Another thread reserved one first: use that one.
            // SAFETY: our mapping, unused.
            unsafe { libc::munmap(p, bytes) };
            theirs
        }
    }
}

/// Use the host's table (a plugin's copy of this crate, at load time).
pub(crate) fn attach(host: *mut u8) {
    TABLE.store(host, Ordering::Release);
}

/// Is `a` an address the table covers? (Checked once per heap.)
pub(crate) fn covers(a: usize) -> bool {
    a < 1 << ADDRESS_BITS
}

fn card(t: *mut u8, a: usize) -> &'static AtomicU8 {
    // SAFETY: `a` is a heap address, below 2^47 (`covers`, checked when
    // the heap was reserved), so the byte is inside the table, which is
    // never unmapped. Bytes are atomics: heaps of different threads share
    // the table (never a byte: their blocks differ).
    unsafe { AtomicU8::from_ptr(t.add(a >> CARD_SHIFT)) }
}

/// The barrier: a value was stored into the object at `a`.
#[inline]
pub(crate) fn dirty(a: usize) {
    let t = TABLE.load(Ordering::Relaxed);
    // Null only in a copy of this crate that no heap or host reached: it
    // has no objects to write.
    if !t.is_null() {
        card(t, a).store(1, Ordering::Relaxed);
    }
}

/// Was the block at `a` written since it was last cleaned? Cleans it.
pub(crate) fn take(a: usize) -> bool {
    card(table(), a).swap(0, Ordering::Relaxed) != 0
}
