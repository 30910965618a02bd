//! The built-in library, grouped by what it works on. Every primitive is an
//! ordinary Rust function marked `#[scheme_fn]`, which registers it for the
//! compiler. The compiler inlines a few (`car`, `+`, `vector-ref`, ...)
//! where it can; these functions serve every other call, including
//! first-class uses and the slow paths of inlined arithmetic.

mod bytevector_numbers;
mod bytevectors;
mod chars;
mod chars_more;
mod complex;
mod control;
mod cxr;
pub(crate) mod equality;
mod eval;
mod exceptions;
mod foreign_memory;
mod hashtables;
mod io;
mod lists;
pub(crate) use lists::ListWalk;
mod lists_more;
mod math;
mod numbers;
mod predicates;
mod read;
mod records;
mod strings;
pub(crate) mod strings_more;
pub mod system;
mod values;
mod vectors;
mod vectors_more;

use crate::print::to_string;
use crate::rt::Value;

/// The next datum from the current input port (`read`), or end of file.
pub(crate) fn read_datum(ctx: &mut crate::rt::Ctx) -> Result<Value, crate::exception::Error> {
    read::read(ctx, None)
}

/// Longest vector or string a program may ask for.
pub const MAX_LENGTH: usize = 1 << 32;

/// `index I out of range for OBJECT`.
fn out_of_range(index: impl std::fmt::Display, object: Value) -> String {
    format!("index {index} out of range for {}", to_string(object, true))
}

/// Check `index < len`.
fn check_index(index: usize, len: usize, object: Value) -> Result<usize, String> {
    if index < len {
        Ok(index)
    } else {
        Err(out_of_range(index, object))
    }
}

/// Check a requested length.
fn check_length(n: usize) -> Result<usize, String> {
    if n <= MAX_LENGTH {
        Ok(n)
    } else {
        Err(format!("length {n} is too large (at most {MAX_LENGTH})"))
    }
}

/// Elements start (inclusive) to end (exclusive, default the length) of
/// something `len` long, checked.
fn range(
    len: usize,
    start: Option<usize>,
    end: Option<usize>,
    object: Value,
) -> Result<(usize, usize), String> {
    let start = start.unwrap_or(0);
    let end = end.unwrap_or(len);
    if end > len {
        return Err(out_of_range(end, object));
    }
    if start > end {
        return Err(format!("start {start} is after end {end}"));
    }
    Ok((start, end))
}
