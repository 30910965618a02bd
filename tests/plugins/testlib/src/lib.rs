//! Primitives that exercise the plugin machinery in the end-to-end tests.

use scheme_runtime::{scheme_fn, Ctx, Value};

/// Sum of two integers (the FFI call benchmark uses it too).
#[scheme_fn]
pub fn add(a: i64, b: i64) -> i64 {
    a + b
}

/// Always fails with a message.
#[scheme_fn]
pub fn always_fails(what: &str) -> Result<i64, String> {
    Err(format!("failed on purpose: {what}"))
}

/// Panics with a message.
#[scheme_fn]
pub fn always_panics(n: i64) -> i64 {
    panic!("deliberate panic with {n}")
}

/// A fresh string "item-N".
#[scheme_fn]
pub fn fresh_string(n: i64) -> String {
    format!("item-{n}")
}

/// Build a list of `n` fresh strings while holding the earlier ones.
#[scheme_fn]
pub fn make_items(ctx: &mut Ctx, n: usize) -> Value {
    let mut list = Value::NIL;
    for i in (0..n).rev() {
        let s = ctx.make_string(format!("s{i}"));
        list = ctx.cons(s, list);
    }
    list
}
