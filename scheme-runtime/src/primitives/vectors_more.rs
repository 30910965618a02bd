//! More of R7RS's vector procedures: `vector-map`, `vector-for-each`,
//! `vector-copy`, `vector-copy!`, `vector-append`.
//!
//! Results are stored straight into Scheme vectors, allocated first, and
//! inputs are read from their vectors by index: no Scheme value is kept
//! only in Rust memory across an allocation or a call.

use super::{check_length, out_of_range, range};
use crate::print::to_string;
use crate::rt::Ctx;
use crate::rt::Value;
use crate::rt::{Procedure, Vector};
use crate::scheme_fn;

/// The length of the shortest of `first` and the `more` vectors, checking
/// that the `more` arguments (from argument `first_index + 1`) are vectors.
fn shortest(first: Value, more: &[Value], first_index: usize) -> Result<usize, String> {
    let mut n = first.header_length();
    for (i, &v) in more.iter().enumerate() {
        if !v.is_vector() {
            return Err(format!(
                "argument {} (more): expected vector, got {}",
                first_index + i + 2,
                to_string(v, true)
            ));
        }
        n = n.min(v.header_length());
    }
    Ok(n)
}

/// Element i of every vector, in `row`.
fn fill_row(row: &mut Vec<Value>, first: Value, more: &[Value], i: usize) {
    row.clear();
    row.push(first.vector_ref(i));
    row.extend(more.iter().map(|v| v.vector_ref(i)));
}

/// A new vector of the results of f applied to the elements of the vectors
/// at each index, up to the shortest vector.
#[scheme_fn(name = "vector-map")]
fn vector_map(
    ctx: &mut Ctx,
    f: Procedure,
    vector: Vector,
    more: &[Value],
) -> Result<Value, String> {
    let n = shortest(vector.0, more, 1)?;
    let out = ctx.make_vector(n, Value::FALSE);
    let mut row = Vec::with_capacity(more.len() + 1);
    for i in 0..n {
        // `row` only passes the elements to `f`; the vectors hold them too.
        fill_row(&mut row, vector.0, more, i);
        let r = ctx.call_or_unwind(f, &row);
        out.vector_set(i, r);
    }
    Ok(out)
}

/// Apply f to the elements of the vectors at each index, in order, up to
/// the shortest vector, for effect.
#[scheme_fn(name = "vector-for-each")]
fn vector_for_each(
    ctx: &mut Ctx,
    f: Procedure,
    vector: Vector,
    more: &[Value],
) -> Result<(), String> {
    let n = shortest(vector.0, more, 1)?;
    let mut row = Vec::with_capacity(more.len() + 1);
    for i in 0..n {
        fill_row(&mut row, vector.0, more, i);
        ctx.call_or_unwind(f, &row);
    }
    Ok(())
}

/// A new vector of the elements (optionally from start to end).
#[scheme_fn(name = "vector-copy")]
fn vector_copy(
    ctx: &mut Ctx,
    vector: Vector,
    start: Option<usize>,
    end: Option<usize>,
) -> Result<Value, String> {
    let v = vector.0;
    let (start, end) = range(v.header_length(), start, end, v)?;
    let out = ctx.make_vector(end - start, Value::FALSE);
    for i in start..end {
        out.vector_set(i - start, v.vector_ref(i));
    }
    Ok(out)
}

/// Copy elements start to end of `from` into `to` at index `at` (the two
/// may be the same vector, the ranges overlapping).
#[scheme_fn(name = "vector-copy!")]
fn vector_copy_into(
    to: Vector,
    at: usize,
    from: Vector,
    start: Option<usize>,
    end: Option<usize>,
) -> Result<(), String> {
    let (start, end) = range(from.0.header_length(), start, end, from.0)?;
    let n = end - start;
    let len = to.0.header_length();
    if at > len {
        return Err(out_of_range(at, to.0));
    }
    if n > len - at {
        return Err(format!(
            "{n} elements do not fit at index {at} of {}",
            to_string(to.0, true)
        ));
    }
    let copy = |k: usize| to.0.vector_set(at + k, from.0.vector_ref(start + k));
    if at > start {
        (0..n).rev().for_each(copy);
    } else {
        (0..n).for_each(copy);
    }
    Ok(())
}

/// A new vector of the elements of all the vectors.
#[scheme_fn(name = "vector-append")]
fn vector_append(ctx: &mut Ctx, vectors: &[Value]) -> Result<Value, String> {
    let mut total = 0;
    for (i, &v) in vectors.iter().enumerate() {
        if !v.is_vector() {
            return Err(format!(
                "argument {} (vectors): expected vector, got {}",
                i + 1,
                to_string(v, true)
            ));
        }
        total += v.header_length();
    }
    let out = ctx.make_vector(check_length(total)?, Value::FALSE);
    let mut k = 0;
    for &v in vectors {
        for i in 0..v.header_length() {
            out.vector_set(k, v.vector_ref(i));
            k += 1;
        }
    }
    Ok(out)
}
