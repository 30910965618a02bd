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

/// Calls a Scheme procedure back with each element. The results wait in
/// a `Vec` while later calls allocate, so each is kept in a `Root`.
#[scheme_fn]
pub fn call_each(
    ctx: &mut Ctx,
    f: scheme_runtime::Procedure,
    items: Vec<Value>,
) -> Result<Value, scheme_runtime::Exception> {
    let mut results: Vec<scheme_runtime::Root> = Vec::new();
    for x in items {
        // `?`: a raise inside `f` goes on to the caller's handlers.
        let r = ctx.call(f, &[x])?;
        results.push(ctx.root(r));
    }
    // Build the list while the roots still hold every result.
    let mut list = Value::NIL;
    for r in results.iter().rev() {
        let v = r.get(ctx);
        list = ctx.cons(v, list);
    }
    Ok(list)
}

/// Integers beyond the fixnum range come back as exact bignums.
#[scheme_fn]
pub fn big_square(n: i64) -> i128 {
    (n as i128) * (n as i128)
}

/// Dropped foreign objects, to observe the collector running `Drop`.
static DROPPED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// A Rust value that Scheme holds as an opaque object.
pub struct Counter {
    count: i64,
    /// A payload, so each counter holds some Rust heap memory.
    _payload: Vec<u8>,
}

impl scheme_runtime::SchemeObject for Counter {
    const TYPE_NAME: &'static str = "counter";
}

impl Drop for Counter {
    fn drop(&mut self) {
        DROPPED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
}

/// A new counter at `start`.
#[scheme_fn]
pub fn make_counter(start: i64) -> Counter {
    Counter {
        count: start,
        _payload: vec![0; 100],
    }
}

/// Add one and return the new count.
#[scheme_fn(name = "counter-bump!")]
pub fn counter_bump(c: &mut Counter) -> i64 {
    c.count += 1;
    c.count
}

/// The current count.
#[scheme_fn]
pub fn counter_value(c: &Counter) -> i64 {
    c.count
}

/// How many counters the collector has dropped so far.
#[scheme_fn]
pub fn counters_dropped() -> usize {
    DROPPED.load(std::sync::atomic::Ordering::Relaxed)
}

/// Another foreign type, to check type mismatches.
pub struct Other;

impl scheme_runtime::SchemeObject for Other {
    const TYPE_NAME: &'static str = "other";
}

/// A new `other` object.
#[scheme_fn]
pub fn make_other() -> Other {
    Other
}

/// Allocate `n` strings while holding all of them in a Rust `Vec` rooted
/// with `Root`s, then return them as a list: exercises roots under
/// collection.
#[scheme_fn]
pub fn rooted_strings(ctx: &mut Ctx, n: usize) -> Value {
    let roots: Vec<scheme_runtime::Root> = (0..n)
        .map(|i| {
            let s = ctx.make_string(format!("r{i}"));
            ctx.root(s)
        })
        .collect();
    let mut list = Value::NIL;
    for r in roots.iter().rev() {
        let v = r.get(ctx);
        list = ctx.cons(v, list);
    }
    list
}

/// Length of the hypotenuse (floats in and out; exact arguments convert).
#[scheme_fn]
pub fn hypot(a: f64, b: f64) -> f64 {
    a.hypot(b)
}

/// Half of a single-precision float.
#[scheme_fn]
pub fn half_f32(x: f32) -> f32 {
    x / 2.0
}

/// Which kind of number the argument is, and the number itself.
#[scheme_fn]
pub fn number_kind(n: scheme_runtime::Number) -> Vec<scheme_runtime::Value> {
    use scheme_runtime::{Number, Value};
    let kind = match n {
        Number::Fix(_) | Number::Big(_) => 0,
        Number::Rat(_) => 1,
        Number::Flo(_) => 2,
    };
    vec![Value::fixnum(kind)]
}

/// The rational one half bigger (exact rationals in and out).
#[scheme_fn]
pub fn add_half(
    r: scheme_runtime::num_rational::BigRational,
) -> scheme_runtime::num_rational::BigRational {
    r + scheme_runtime::num_rational::BigRational::new(1.into(), 2.into())
}

/// Calls `f` and handles in Rust whatever it raises: `(ok value)` or
/// `(caught raised-object)`. A continuation jump out of `f` goes on (`?`).
#[scheme_fn]
pub fn try_call(
    ctx: &mut Ctx,
    f: scheme_runtime::Procedure,
) -> Result<Value, scheme_runtime::Exception> {
    match ctx.call(f, &[]) {
        Ok(v) => {
            let tag = ctx.intern("ok");
            Ok(ctx.list(&[tag, v]))
        }
        Err(e) => match e.value(ctx) {
            Some(raised) => {
                let tag = ctx.intern("caught");
                Ok(ctx.list(&[tag, raised]))
            }
            None => Err(e),
        },
    }
}

/// Counts the values of type `Guarded` dropped, to show that a raise
/// through a Rust frame runs its destructors.
static GUARDS_DROPPED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

struct Guarded;

impl Drop for Guarded {
    fn drop(&mut self) {
        GUARDS_DROPPED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
}

/// Calls `f` while holding a value with a destructor; `?` lets a raise or
/// jump from `f` go on, dropping it.
#[scheme_fn]
pub fn call_holding(
    ctx: &mut Ctx,
    f: scheme_runtime::Procedure,
) -> Result<Value, scheme_runtime::Exception> {
    let _held = Guarded;
    ctx.call(f, &[])
}

/// How many `Guarded` values have been dropped.
#[scheme_fn]
pub fn guards_dropped() -> usize {
    GUARDS_DROPPED.load(std::sync::atomic::Ordering::Relaxed)
}

/// Fails like a missing file does (`file-error?` is true of the condition).
#[scheme_fn]
pub fn open_missing(path: &str) -> Result<i64, scheme_runtime::Error> {
    Err(scheme_runtime::Error::file(format!("cannot open {path}")))
}

/// Raises any Scheme value: here the list `("no such key" key)`.
#[scheme_fn]
pub fn lookup(key: &str) -> Result<i64, scheme_runtime::Raise<Vec<String>>> {
    Err(scheme_runtime::Raise(vec![
        "no such key".to_string(),
        key.to_string(),
    ]))
}
