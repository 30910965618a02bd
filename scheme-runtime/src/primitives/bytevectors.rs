//! Bytevectors (R7RS 6.9): `bytevector?`, `make-bytevector`, `bytevector`,
//! `bytevector-u8-ref`, `bytevector-u8-set!`, `bytevector-length`,
//! `bytevector-copy`, `bytevector-copy!`, `bytevector-append`,
//! `utf8->string`, `string->utf8`.
//!
//! A byte argument is a `u8`: anything else is a type error naming the
//! range. Slices of inputs are copied before anything allocates, or read
//! again after (objects never move, so a slice stays valid, but it is only
//! taken where no allocation intervenes).

use super::strings::slice;
use super::{check_index, check_length, out_of_range, range};
use crate::bytevector::{bytes, bytes_mut, bytevector_length};
use crate::convert::Rest;
use crate::print::to_string;
use crate::rt::Ctx;
use crate::rt::Value;
use crate::rt::{Bytevector, SchemeString};
use crate::scheme_fn;

/// Is the value a bytevector?
#[scheme_fn(name = "bytevector?")]
fn is_bytevector(v: Value) -> bool {
    v.is_bytevector()
}

/// A new bytevector of k bytes, each `fill` (default 0).
#[scheme_fn(name = "make-bytevector")]
fn make_bytevector(ctx: &mut Ctx, k: usize, fill: Option<u8>) -> Result<Value, String> {
    Ok(ctx.make_bytevector(check_length(k)?, fill.unwrap_or(0)))
}

/// A new bytevector of the given bytes.
#[scheme_fn]
fn bytevector(ctx: &mut Ctx, bytes: Rest<u8>) -> Value {
    ctx.make_bytevector_from(&bytes.0)
}

/// Byte k of the bytevector.
#[scheme_fn(name = "bytevector-u8-ref")]
fn bytevector_u8_ref(bytevector: Bytevector, k: usize) -> Result<u8, String> {
    let data = bytes(bytevector.0);
    Ok(data[check_index(k, data.len(), bytevector.0)?])
}

/// Store a byte at index k of the bytevector.
#[scheme_fn(name = "bytevector-u8-set!")]
fn bytevector_u8_set(
    ctx: &mut Ctx,
    bytevector: Bytevector,
    k: usize,
    byte: u8,
) -> Result<(), String> {
    let data = writable(ctx, bytevector, 1)?;
    data[check_index(k, data.len(), bytevector.0)?] = byte;
    Ok(())
}

/// The bytes of `bv` to change in place, unless a running Rust call
/// borrows them (a `&[u8]` argument: `scope.rs`).
pub(crate) fn writable<'a>(
    ctx: &Ctx,
    bv: Bytevector,
    position: usize,
) -> Result<&'a mut [u8], String> {
    if ctx.is_borrowed(bv.0) {
        return Err(format!(
            "argument {position} (bytevector): already borrowed"
        ));
    }
    Ok(bytes_mut(bv.0))
}

/// The number of bytes in the bytevector.
#[scheme_fn(name = "bytevector-length")]
fn bytevector_length_prim(bytevector: Bytevector) -> usize {
    bytevector_length(bytevector.0)
}

/// A new bytevector of the bytes (optionally from start to end).
#[scheme_fn(name = "bytevector-copy")]
fn bytevector_copy(
    ctx: &mut Ctx,
    bytevector: Bytevector,
    start: Option<usize>,
    end: Option<usize>,
) -> Result<Value, String> {
    let v = bytevector.0;
    let (start, end) = range(bytevector_length(v), start, end, v)?;
    let out = ctx.make_bytevector(end - start, 0);
    bytes_mut(out).copy_from_slice(&bytes(v)[start..end]);
    Ok(out)
}

/// Copy bytes start to end of `from` into `to` at index `at` (the two may
/// be the same bytevector, the ranges overlapping).
#[scheme_fn(name = "bytevector-copy!")]
fn bytevector_copy_into(
    ctx: &mut Ctx,
    to: Bytevector,
    at: usize,
    from: Bytevector,
    start: Option<usize>,
    end: Option<usize>,
) -> Result<(), String> {
    let (start, end) = range(bytevector_length(from.0), start, end, from.0)?;
    let n = end - start;
    let len = bytevector_length(to.0);
    if at > len {
        return Err(out_of_range(at, to.0));
    }
    if n > len - at {
        return Err(format!(
            "{n} bytes do not fit at index {at} of {}",
            to_string(to.0, true)
        ));
    }
    let target = writable(ctx, to, 1)?;
    if to == from {
        target.copy_within(start..end, at);
    } else {
        target[at..at + n].copy_from_slice(&bytes(from.0)[start..end]);
    }
    Ok(())
}

/// A new bytevector of the bytes of all the bytevectors.
#[scheme_fn(name = "bytevector-append")]
fn bytevector_append(ctx: &mut Ctx, bytevectors: Rest<Bytevector>) -> Result<Value, String> {
    let total = bytevectors
        .0
        .iter()
        .map(|b| bytevector_length(b.0))
        .sum::<usize>();
    let out = ctx.make_bytevector(check_length(total)?, 0);
    let mut k = 0;
    for b in &bytevectors.0 {
        let data = bytes(b.0);
        bytes_mut(out)[k..k + data.len()].copy_from_slice(data);
        k += data.len();
    }
    Ok(out)
}

/// A new string decoded from the UTF-8 bytes (optionally from start to end).
#[scheme_fn(name = "utf8->string")]
fn utf8_to_string(
    ctx: &mut Ctx,
    bytevector: Bytevector,
    start: Option<usize>,
    end: Option<usize>,
) -> Result<Value, String> {
    let v = bytevector.0;
    let (start, end) = range(bytevector_length(v), start, end, v)?;
    match std::str::from_utf8(&bytes(v)[start..end]) {
        Ok(s) => Ok(ctx.make_string_from(s)),
        Err(e) => Err(format!(
            "invalid UTF-8 at byte {} of {}",
            start + e.valid_up_to(),
            to_string(v, true)
        )),
    }
}

/// A new bytevector of the UTF-8 encoding of the string's characters
/// (optionally from start to end).
#[scheme_fn(name = "string->utf8")]
fn string_to_utf8(
    ctx: &mut Ctx,
    string: SchemeString,
    start: Option<usize>,
    end: Option<usize>,
) -> Result<Value, String> {
    let text = slice(string.0, start.unwrap_or(0), end)?;
    Ok(ctx.make_bytevector_from(text.as_bytes()))
}
