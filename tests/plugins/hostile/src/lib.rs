//! Safe Rust that tries to break the heap: every function here keeps
//! Scheme values where the collector cannot see them, borrows objects that
//! Scheme code changes meanwhile, or panics where the runtime does not
//! expect it. `#![forbid(unsafe_code)]`: nothing here may need `unsafe`.
//! `tests/tests/soundness.rs` runs each under `SCHEME_GC_STRESS=1` and
//! checks the result.
#![forbid(unsafe_code)]

use std::collections::HashMap;

use scheme_runtime::{
    scheme_fn, Args, Ctx, Exception, FromScheme, IntoScheme, Procedure, Root, SchemeObject, Traced,
    Tracer, Value,
};

/// Allocate enough to start a collection in any heap configuration.
fn churn(ctx: &mut Ctx, n: usize) {
    for i in 0..n {
        let junk = ctx.make_vector(64, Value::fixnum(i as i64));
        std::hint::black_box(junk);
    }
}

/// Issue 14, case 1: fresh pairs kept only in a `Vec` while more are made.
#[scheme_fn]
pub fn word_lengths(ctx: &mut Ctx, words: Vec<&str>) -> Vec<Value> {
    let mut out = Vec::new();
    for w in words {
        let s = ctx.make_string_from(w);
        out.push(ctx.cons(s, Value::fixnum(w.chars().count() as i64)));
        churn(ctx, 50);
    }
    out
}

/// Case 2: a list's elements in a `Vec`; the callback cuts the list and
/// allocates; the elements are read afterwards.
#[scheme_fn]
pub fn elements_after_callback(
    ctx: &mut Ctx,
    items: Vec<Value>,
    f: Procedure,
) -> Result<Value, Exception> {
    ctx.call(f, &[])?;
    churn(ctx, 100);
    Ok(ctx.list(&items))
}

/// Case 3: a `&str` held across a callback that changes the string and
/// allocates: Rust still reads the text it was given.
#[scheme_fn]
pub fn text_after_callback(ctx: &mut Ctx, s: &str, f: Procedure) -> Result<String, Exception> {
    let before = s.to_owned();
    ctx.call(f, &[])?;
    churn(ctx, 100);
    Ok(format!("{before}|{s}"))
}

/// A foreign object with a map inside.
#[derive(Default)]
pub struct Db {
    entries: HashMap<String, i64>,
}

impl SchemeObject for Db {
    const TYPE_NAME: &'static str = "db";
}

#[scheme_fn]
pub fn make_db() -> Db {
    Db::default()
}

#[scheme_fn(name = "db-set!")]
pub fn db_set(db: &mut Db, key: String, value: i64) {
    db.entries.insert(key, value);
}

#[scheme_fn]
pub fn db_get(db: &Db, key: &str) -> Option<i64> {
    db.entries.get(key).copied()
}

/// Case 4: holds `&Db` while a callback may call `db-set!` on it.
#[scheme_fn]
pub fn db_with(ctx: &mut Ctx, db: &Db, f: Procedure) -> Result<usize, Exception> {
    let before = db.entries.len();
    ctx.call(f, &[])?;
    Ok(before + db.entries.len())
}

/// Two borrows of one object in one call.
#[scheme_fn(name = "db-merge!")]
pub fn db_merge(into: &mut Db, from: &Db) {
    for (k, v) in &from.entries {
        into.entries.insert(k.clone(), *v);
    }
}

/// Case 5: a foreign object whose `Drop` panics.
pub struct Bomb;

impl SchemeObject for Bomb {
    const TYPE_NAME: &'static str = "bomb";
}

impl Drop for Bomb {
    fn drop(&mut self) {
        panic!("a bomb went off in drop");
    }
}

#[scheme_fn]
pub fn make_bomb() -> Bomb {
    Bomb
}

/// Values in a `HashMap` while more are allocated.
#[scheme_fn]
pub fn through_hashmap(ctx: &mut Ctx, keys: Vec<String>) -> Value {
    let mut map: HashMap<String, Value> = HashMap::new();
    for k in &keys {
        let v = ctx.make_string(format!("value of {k}"));
        map.insert(k.clone(), v);
        churn(ctx, 50);
    }
    let mut list = Value::NIL;
    for k in keys.iter().rev() {
        list = ctx.cons(map[k], list);
    }
    list
}

/// A value captured by a boxed closure and a struct on the Rust heap.
#[scheme_fn]
pub fn through_closure(ctx: &mut Ctx, n: i64) -> Value {
    struct Holder<'s> {
        v: Value<'s>,
    }
    let pair = ctx.cons(Value::fixnum(n), Value::fixnum(n + 1));
    let held = Box::new(Holder { v: pair });
    let text = ctx.make_string_from("captured");
    let get: Box<dyn Fn() -> Value<'scheme>> = Box::new(move || text);
    churn(ctx, 200);
    let v = get();
    ctx.cons(held.v, v)
}

/// Callback results kept in a `Vec` (no `Root`) while calling again.
#[scheme_fn]
pub fn collect_calls(ctx: &mut Ctx, f: Procedure, n: usize) -> Result<Vec<Value>, Exception> {
    let mut out = Vec::new();
    for i in 0..n {
        out.push(ctx.call(f, &[Value::fixnum(i as i64)])?);
    }
    Ok(out)
}

/// Values held by a `Vec` when the function panics: the panic is a Scheme
/// error, and what the call held is released.
#[scheme_fn]
pub fn panic_holding(ctx: &mut Ctx, n: usize) -> Value {
    let mut held = Vec::new();
    for i in 0..n {
        held.push(ctx.make_string(format!("s{i}")));
    }
    panic!("gave up holding {} strings", held.len())
}

/// A foreign object that keeps Scheme values across calls: in `Root`s
/// (a `Value` field does not compile: see `tests/ui/fail`).
#[derive(Default)]
pub struct Memo {
    kept: Vec<Root>,
}

impl SchemeObject for Memo {
    const TYPE_NAME: &'static str = "memo";
}

#[scheme_fn]
pub fn make_memo() -> Memo {
    Memo::default()
}

#[scheme_fn(name = "memo-keep!")]
pub fn memo_keep(ctx: &mut Ctx, memo: &mut Memo, text: &str) {
    let v = ctx.make_string_from(text);
    memo.kept.push(ctx.root(v));
}

#[scheme_fn]
pub fn memo_all(ctx: &mut Ctx, memo: &Memo) -> Value {
    let items: Vec<Value> = memo.kept.iter().map(|r| r.get(ctx)).collect();
    ctx.list(&items)
}

/// A foreign object that keeps a `Traced` value but forgets to mark it
/// from `trace`: the value is collected, and reading it says so (`None`),
/// never a freed object.
pub struct Forgetful {
    kept: Traced,
}

impl SchemeObject for Forgetful {
    const TYPE_NAME: &'static str = "forgetful";
}

#[scheme_fn]
pub fn make_forgetful(ctx: &mut Ctx, text: &str) -> Forgetful {
    let v = ctx.make_string_from(text);
    Forgetful {
        kept: ctx.traced(v),
    }
}

#[scheme_fn]
pub fn forgetful_value(ctx: &mut Ctx, f: &Forgetful) -> Option<Value> {
    f.kept.get(ctx)
}

/// A `&[u8]` held while a callback tries to change the bytevector.
#[scheme_fn]
pub fn bytes_with(ctx: &mut Ctx, data: &[u8], f: Procedure) -> Result<Vec<u8>, Exception> {
    let before = data.to_vec();
    ctx.call(f, &[])?;
    assert_eq!(before, data, "the borrowed bytes changed under Rust");
    Ok(before)
}

/// Zero-copy `&mut [u8]` (no context: no callback can run).
#[scheme_fn(name = "bytes-increment!")]
pub fn bytes_increment(data: &mut [u8], other: &[u8]) {
    for (d, o) in data.iter_mut().zip(other) {
        *d = d.wrapping_add(*o);
    }
}

/// A parameter type whose conversion panics.
pub struct Touchy;

impl<'a> FromScheme<'a> for Touchy {
    const TYPE_NAME: &'static str = "touchy";
    fn from_scheme(v: Value<'a>, _: &mut Args<'a>) -> Option<Self> {
        if v.is_fixnum() {
            panic!("touchy conversion refused {}", v.as_fixnum());
        }
        Some(Touchy)
    }
    fn from_scheme_fast(v: Value<'a>) -> Option<Self> {
        if v.is_fixnum() {
            panic!("touchy fast conversion refused {}", v.as_fixnum());
        }
        None
    }
}

/// A result type whose conversion panics.
pub struct Explosive;

impl<'s> IntoScheme<'s> for Explosive {
    const TYPE_NAME: &'static str = "explosive";
    fn into_scheme(self, _: &mut Ctx<'s>) -> Value<'s> {
        panic!("explosive result")
    }
}

#[scheme_fn]
pub fn touch(_t: Touchy) -> i64 {
    1
}

#[scheme_fn]
pub fn explode() -> Explosive {
    Explosive
}

/// A foreign object whose `trace` panics.
pub struct BadTracer;

impl SchemeObject for BadTracer {
    const TYPE_NAME: &'static str = "bad-tracer";
    fn trace(&self, _: &mut Tracer) {
        panic!("trace refused");
    }
}

#[scheme_fn]
pub fn make_bad_tracer() -> BadTracer {
    BadTracer
}

/// The safe readers: a vector's elements and a list's, through handles.
#[scheme_fn]
pub fn reverse_pairs(ctx: &mut Ctx, list: Value) -> Option<Value> {
    let items = ctx.list_items(list)?;
    let mut swapped = Vec::new();
    for x in items {
        let p = scheme_runtime::Pair::of(x)?;
        let (a, d) = (ctx.car(p), ctx.cdr(p));
        swapped.push(ctx.cons(d, a));
        churn(ctx, 20);
    }
    Some(ctx.list(&swapped))
}

/// A result that borrows an argument and calls Scheme while converting:
/// the function takes no context, but its result's conversion does.
pub struct EchoAfter<'a> {
    text: &'a str,
    then: Procedure<'a>,
}

impl<'s> IntoScheme<'s> for EchoAfter<'s> {
    const TYPE_NAME: &'static str = "string";
    fn into_scheme(self, ctx: &mut Ctx<'s>) -> Value<'s> {
        let _ = ctx.call(self.then, &[]);
        churn(ctx, 100);
        ctx.make_string(format!("{}|{}", self.text.len(), self.text))
    }
}

#[scheme_fn]
pub fn echo_after(text: &str, then: Procedure) -> EchoAfter<'_> {
    EchoAfter { text, then }
}

/// A foreign object that keeps a value in a `Root`: its `Drop`, run by the
/// collector, drops the root (writes the root table).
pub struct RootHolder {
    root: Root,
}

impl SchemeObject for RootHolder {
    const TYPE_NAME: &'static str = "root-holder";
}

#[scheme_fn]
pub fn make_root_holder(ctx: &mut Ctx, v: Value) -> RootHolder {
    RootHolder { root: ctx.root(v) }
}

#[scheme_fn]
pub fn root_holder_value(ctx: &mut Ctx, h: &RootHolder) -> Value {
    h.root.get(ctx)
}

/// Allocation sizes that would wrap the heap's arithmetic: found by
/// reading `alloc_object` (the size `8 * (len + 1)` computed unchecked).
#[scheme_fn]
pub fn absurd_vector(ctx: &mut Ctx, which: i64) -> Value {
    let len = match which {
        0 => usize::MAX / 8,
        1 => (1usize << 61) - 1,
        _ => usize::MAX,
    };
    ctx.make_vector(len, Value::fixnum(1))
}

/// The same through a bytevector.
#[scheme_fn]
pub fn absurd_bytevector(ctx: &mut Ctx) -> Value {
    ctx.make_bytevector(usize::MAX - 7, 0)
}
