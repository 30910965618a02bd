//! Vectors.

use super::{count, index, list_items, primitive, vector};
use crate::registry::VARIADIC;
use crate::value::Value;

/// Largest vector or string length accepted (keeps sizes well inside memory).
pub const MAX_LENGTH: usize = 1 << 32;

primitive!(
    "vector",
    scm_p_vector,
    0,
    VARIADIC,
    "A new vector of the arguments.",
    |ctx, args| {
        let v = ctx.make_vector(args.len(), Value::FALSE);
        for (i, &a) in args.iter().enumerate() {
            v.vector_set(i, a);
        }
        v
    }
);
primitive!(
    "make-vector",
    scm_p_make_vector,
    1,
    2,
    "A new vector of k elements, each fill (or 0).",
    |ctx, args| {
        let n = count(ctx, "make-vector", args[0], MAX_LENGTH);
        let fill = args.get(1).copied().unwrap_or(Value::fixnum(0));
        ctx.make_vector(n, fill)
    }
);
primitive!(
    "vector-length",
    scm_p_vector_length,
    1,
    1,
    "Number of elements.",
    |ctx, args| { Value::fixnum(vector(ctx, "vector-length", args[0]).header_length() as i64) }
);
primitive!(
    "vector-ref",
    scm_p_vector_ref,
    2,
    2,
    "Element k of a vector.",
    |ctx, args| {
        let v = vector(ctx, "vector-ref", args[0]);
        let i = index(ctx, "vector-ref", args[1], v.header_length(), v);
        v.vector_ref(i)
    }
);
primitive!(
    "vector-set!",
    scm_p_vector_set,
    3,
    3,
    "Replace element k of a vector.",
    |ctx, args| {
        let v = vector(ctx, "vector-set!", args[0]);
        let i = index(ctx, "vector-set!", args[1], v.header_length(), v);
        v.vector_set(i, args[2]);
        Value::UNSPECIFIED
    }
);
primitive!(
    "vector->list",
    scm_p_vector_to_list,
    1,
    1,
    "A new list of the elements.",
    |ctx, args| {
        let v = vector(ctx, "vector->list", args[0]);
        let items: Vec<Value> = (0..v.header_length()).map(|i| v.vector_ref(i)).collect();
        ctx.list(&items)
    }
);
primitive!(
    "list->vector",
    scm_p_list_to_vector,
    1,
    1,
    "A new vector of the list's elements.",
    |ctx, args| {
        let items = list_items(ctx, "list->vector", args[0]);
        let v = ctx.make_vector(items.len(), Value::FALSE);
        for (i, &a) in items.iter().enumerate() {
            v.vector_set(i, a);
        }
        v
    }
);
primitive!(
    "vector-fill!",
    scm_p_vector_fill,
    2,
    2,
    "Store fill in every element.",
    |ctx, args| {
        let v = vector(ctx, "vector-fill!", args[0]);
        for i in 0..v.header_length() {
            v.vector_set(i, args[1]);
        }
        Value::UNSPECIFIED
    }
);
