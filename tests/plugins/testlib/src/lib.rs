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

/// Optional trailing parameters: `(greet name [greeting] [punct])`.
#[scheme_fn]
pub fn greet(name: &str, greeting: Option<&str>, punct: Option<char>) -> String {
    format!(
        "{}, {name}{}",
        greeting.unwrap_or("Hello"),
        punct.unwrap_or('!')
    )
}

/// A typed rest parameter.
#[scheme_fn]
pub fn sum_all(first: i64, rest: scheme_runtime::Rest<i64>) -> i64 {
    first + rest.0.iter().sum::<i64>()
}

/// `Option` both ways: #f in, #f out.
#[scheme_fn]
pub fn maybe_double(n: Option<i64>) -> Option<i64> {
    n.map(|n| n * 2)
}

/// Changes a string in place.
#[scheme_fn(name = "string-upcase!")]
pub fn string_upcase_in_place(s: &mut String) {
    *s = s.to_uppercase();
}

/// `Vec<T>` from a list or a vector.
#[scheme_fn]
pub fn total(numbers: Vec<u8>) -> u32 {
    numbers.iter().map(|&n| n as u32).sum()
}

/// Strict booleans and characters.
#[scheme_fn]
pub fn choose(flag: bool, yes: char, no: char) -> char {
    if flag {
        yes
    } else {
        no
    }
}

/// Symbols in and out.
#[scheme_fn]
pub fn symbol_length(s: scheme_runtime::Symbol) -> usize {
    s.name().len()
}

/// Calls a Scheme procedure back with each element.
#[scheme_fn]
pub fn call_each(ctx: &mut Ctx, f: scheme_runtime::Procedure, items: Vec<Value>) -> Vec<Value> {
    items.into_iter().map(|x| ctx.call(f, &[x])).collect()
}

/// Integers beyond the fixnum range come back as exact bignums.
#[scheme_fn]
pub fn big_square(n: i64) -> i128 {
    (n as i128) * (n as i128)
}
