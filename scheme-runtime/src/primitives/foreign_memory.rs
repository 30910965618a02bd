//! Raw memory for C code (issue 16), with Chez Scheme's names:
//! `foreign-alloc`, `foreign-free`, `foreign-ref`, `foreign-set!`,
//! `foreign-sizeof`. Addresses are exact integers.
//!
//! Checks where checks are possible: blocks from `foreign-alloc` are
//! recorded (`Ctx::foreign_blocks`), so an access that starts in one must
//! stay inside it, `foreign-free` takes only the start of a live block
//! (no double free, no freeing C's memory behind its back), and address 0
//! is refused. Memory that C handed out is not known: accesses to it are
//! unchecked, as in C.

use crate::c_ffi::{from_c, to_c, CType};
use crate::rt::Ctx;
use crate::rt::Value;
use crate::scheme_fn;
use crate::Symbol;

/// The type named by `t`, if `foreign-ref`/`foreign-set!` can use it.
fn memory_type(t: Symbol) -> Result<CType, String> {
    match CType::from_name(t.name()) {
        Some(CType::String | CType::U8Ptr | CType::SchemeObject | CType::Void) | None => Err(format!(
            "{} is not a type of memory cells (use integer-8 ... unsigned-64, short, int, long, iptr, uptr, size_t, float, double, char, boolean or void*)",
            t.name()
        )),
        Some(c) => Ok(c),
    }
}

/// Check an access of `size` bytes at `address + offset`; the address.
fn cell(ctx: &Ctx, address: u64, offset: i64, size: usize) -> Result<u64, String> {
    if address == 0 {
        return Err("address 0 (NULL)".into());
    }
    let at = (address as i128) + offset as i128;
    if at <= 0 || at + size as i128 > u64::MAX as i128 {
        return Err(format!("address {at} is not addressable"));
    }
    let at = at as u64;
    // The block containing `address` (the base the program computed from).
    if let Some((&start, &len)) = ctx.foreign_blocks.range(..=address).next_back() {
        if address < start + len && (at < start || at + size as u64 > start + len) {
            return Err(format!(
                "offset {offset} for {size} bytes is outside the {len}-byte block at {start}"
            ));
        }
    }
    Ok(at)
}

/// `(foreign-alloc n)`: `n` bytes from the C heap (`malloc`), not
/// initialised; free them with `foreign-free`.
#[scheme_fn(name = "foreign-alloc")]
fn foreign_alloc(ctx: &mut Ctx, n: u64) -> Result<u64, String> {
    if n == 0 {
        return Err("the size must be positive".into());
    }
    // SAFETY: plain allocation; the block is recorded and freed only once.
    let p = unsafe { libc::malloc(n as usize) } as u64;
    if p == 0 {
        return Err(format!("out of memory allocating {n} bytes"));
    }
    ctx.foreign_blocks.insert(p, n);
    Ok(p)
}

/// `(foreign-free address)`: free a block from `foreign-alloc`.
#[scheme_fn(name = "foreign-free")]
fn foreign_free(ctx: &mut Ctx, address: u64) -> Result<(), String> {
    match ctx.foreign_blocks.remove(&address) {
        // SAFETY: a live block from `malloc`, removed from the table.
        Some(_) => unsafe { libc::free(address as *mut libc::c_void) },
        None => {
            return Err(format!(
                "{address} is not a live block from foreign-alloc (free C's memory with the C function: (foreign-procedure \"free\" (void*) void))"
            ))
        }
    }
    Ok(())
}

/// `(foreign-sizeof 'type)`: the size of a C type in bytes.
#[scheme_fn(name = "foreign-sizeof")]
fn foreign_sizeof(t: Symbol) -> Result<usize, String> {
    match CType::from_name(t.name()) {
        Some(CType::Void) | None => Err(format!("{} is not a C type", t.name())),
        Some(CType::String) => Ok(8),
        Some(c) => Ok(c.size()),
    }
}

/// `(foreign-ref 'type address offset)`: the value of that C type stored at
/// `address + offset`.
#[scheme_fn(name = "foreign-ref")]
fn foreign_ref(ctx: &mut Ctx, t: Symbol, address: u64, offset: i64) -> Result<Value, String> {
    let c = memory_type(t)?;
    let at = cell(ctx, address, offset, c.size())?;
    // SAFETY: checked against the block it lies in when it is one of
    // `foreign-alloc`'s; otherwise the program vouches for C's memory, as
    // Chez's `foreign-ref` does. Unaligned reads are allowed on x86-64.
    let raw = unsafe {
        let p = at as *const u8;
        match c.size() {
            1 => p.read() as u64,
            2 => (p as *const u16).read_unaligned() as u64,
            4 => (p as *const u32).read_unaligned() as u64,
            _ => (p as *const u64).read_unaligned(),
        }
    };
    Ok(from_c(ctx, raw, c))
}

/// `(foreign-set! 'type address offset value)`: store `value` as that C type.
#[scheme_fn(name = "foreign-set!")]
fn foreign_set(
    ctx: &mut Ctx,
    t: Symbol,
    address: u64,
    offset: i64,
    v: Value,
) -> Result<(), String> {
    let c = memory_type(t)?;
    let Some(raw) = to_c(v, c) else {
        return Err(format!(
            "expected {}, got {}",
            c.expected(),
            crate::print::to_string(v, true)
        ));
    };
    let at = cell(ctx, address, offset, c.size())?;
    // SAFETY: as for `foreign-ref`.
    unsafe {
        let p = at as *mut u8;
        match c.size() {
            1 => p.write(raw as u8),
            2 => (p as *mut u16).write_unaligned(raw as u16),
            4 => (p as *mut u32).write_unaligned(raw as u32),
            _ => (p as *mut u64).write_unaligned(raw),
        }
    }
    Ok(())
}
