//! The built-in library, grouped by what it works on. Every primitive is an
//! ordinary Rust function marked `#[scheme_fn]`, which registers it for the
//! compiler. The compiler inlines a few (`car`, `+`, `vector-ref`, ...)
//! where it can; these functions serve every other call, including
//! first-class uses and the slow paths of inlined arithmetic.

mod chars;
mod control;
mod equality;
mod io;
mod lists;
mod math;
mod numbers;
mod strings;
mod values;
mod vectors;

use crate::print::to_string;
use crate::value::Value;

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
