//! Vectors.

use super::{check_index, check_length, range};
use crate::convert::Optional;
use crate::rt::Ctx;
use crate::rt::Value;
use crate::rt::{List, Vector};
use crate::scheme_fn;

/// A new vector of the arguments.
#[scheme_fn]
fn vector(ctx: &mut Ctx, items: &[Value]) -> Value {
    let v = ctx.make_vector(items.len(), Value::FALSE);
    for (i, &a) in items.iter().enumerate() {
        v.vector_set(i, a);
    }
    v
}

/// A new vector of k elements, each `fill` (default 0).
#[scheme_fn(name = "make-vector")]
fn make_vector(ctx: &mut Ctx, k: usize, fill: Optional<Value>) -> Result<Value, String> {
    Ok(ctx.make_vector(check_length(k)?, fill.0.unwrap_or(Value::fixnum(0))))
}

/// Number of elements.
#[scheme_fn(name = "vector-length")]
fn vector_length(vector: Vector) -> usize {
    vector.0.header_length()
}

/// Element k (from 0) of a vector.
#[scheme_fn(name = "vector-ref")]
fn vector_ref(vector: Vector, k: usize) -> Result<Value, String> {
    let v = vector.0;
    Ok(v.vector_ref(check_index(k, v.header_length(), v)?))
}

/// Replace element k of a vector.
#[scheme_fn(name = "vector-set!")]
fn vector_set(vector: Vector, k: usize, value: Value) -> Result<(), String> {
    let v = vector.0;
    v.vector_set(check_index(k, v.header_length(), v)?, value);
    Ok(())
}

/// A new list of the elements (optionally from start to end).
#[scheme_fn(name = "vector->list")]
fn vector_to_list(
    ctx: &mut Ctx,
    vector: Vector,
    start: Option<usize>,
    end: Option<usize>,
) -> Result<Value, String> {
    let v = vector.0;
    let (start, end) = range(v.header_length(), start, end, v)?;
    // Built from the end, reading the vector (held by `vector`) as we go.
    let mut list = Value::NIL;
    for i in (start..end).rev() {
        list = ctx.cons(v.vector_ref(i), list);
    }
    Ok(list)
}

/// A new vector of the list's elements.
#[scheme_fn(name = "list->vector")]
fn list_to_vector(ctx: &mut Ctx, list: List) -> Value {
    vector(ctx, &list.0)
}

/// Store `fill` in every element (optionally from start to end).
#[scheme_fn(name = "vector-fill!")]
fn vector_fill(
    vector: Vector,
    fill: Value,
    start: Option<usize>,
    end: Option<usize>,
) -> Result<(), String> {
    let (start, end) = range(vector.0.header_length(), start, end, vector.0)?;
    for i in start..end {
        vector.0.vector_set(i, fill);
    }
    Ok(())
}

/// Is the value a vector?
#[scheme_fn]
fn is_vector(v: Value) -> bool {
    v.is_vector()
}
