//! Everything `#[scheme_fn]` accepts, and the descriptors it registers.
use scheme_runtime::registry::find;
use scheme_runtime::{scheme_fn, Ctx, Integer, Number, List, Optional, Pair, Procedure, Rest, Symbol, Truthy, Value, Vector};

/// Repeat `s` `n` times.
#[scheme_fn]
fn string_repeat(s: &str, n: usize) -> String {
    s.repeat(n)
}

/// Predicates get a `?`.
#[scheme_fn]
fn is_blank(s: &str) -> bool {
    s.trim().is_empty()
}

#[scheme_fn(name = "sum->string")]
fn sum_to_string(a: i8, b: u8, c: i16, d: u16, e: i32, f: u32, g: i64, h: u64, i: isize, j: usize) -> String {
    format!("{}", a as i128 + b as i128 + c as i128 + d as i128 + e as i128 + f as i128 + g as i128 + h as i128 + i as i128 + j as i128)
}

#[scheme_fn]
fn kinds(c: char, b: bool, t: Truthy, v: Value, o: String, n: Integer, sym: Symbol, p: Procedure, pr: Pair, vec: Vector, l: List) -> Vec<Value> {
    let _ = (c, b, t, o, n, sym, p, pr, vec, l);
    vec![v]
}

#[scheme_fn]
fn with_context(ctx: &mut Ctx, items: Vec<i64>, maybe: Option<&str>) -> Value {
    let n = items.len() as i64 + maybe.map_or(0, |s| s.len() as i64);
    ctx.cons(Value::fixnum(n), Value::NIL)
}

#[scheme_fn]
fn optional_tail(a: i64, b: Option<i64>, c: Optional<Value>) -> Option<i64> {
    let _ = c;
    b.map(|b| a + b)
}

#[scheme_fn]
fn typed_rest(first: &str, rest: Rest<i64>) -> Result<i64, String> {
    rest.0.iter().sum::<i64>().checked_add(first.len() as i64).ok_or_else(|| "overflow".to_owned())
}

#[scheme_fn]
fn raw_rest(ctx: &mut Ctx, all: &[Value]) -> Value {
    ctx.list(all)
}

#[scheme_fn]
fn append_bang(s: &mut String, suffix: &str) {
    s.push_str(suffix)
}

#[scheme_fn]
fn io_result(path: &str) -> std::io::Result<()> {
    std::fs::metadata(path).map(|_| ())
}

#[scheme_fn]
fn nothing() {}

#[scheme_fn]
pub fn public_one(_unused: i64) -> &'static str {
    "static strings are copied"
}

/// Floats and the numeric tower.
#[scheme_fn]
fn hypot(a: f64, b: f32, n: Number, r: scheme_runtime::num_rational::BigRational) -> f64 {
    let _ = (n, r);
    a.hypot(b as f64)
}

/// Full types of containers.
#[scheme_fn]
fn shapes(a: Option<i64>, b: Vec<String>, c: (i64, f64), d: std::collections::HashMap<String, Vec<i64>>) -> Vec<(String, Option<bool>)> {
    let _ = (a, b, c, d);
    Vec::new()
}

/// Methods, records and symbols.
struct Counter(i64);
impl scheme_runtime::SchemeObject for Counter {
    const TYPE_NAME: &'static str = "counter";
}

#[scheme_runtime::scheme_methods]
impl Counter {
    #[new]
    fn new(start: i64) -> Self {
        Counter(start)
    }
    fn bump(&mut self, ctx: &mut Ctx, by: Option<i64>) -> i64 {
        let _ = ctx;
        self.0 += by.unwrap_or(1);
        self.0
    }
    fn is_zero(&self) -> bool {
        self.0 == 0
    }
}

#[derive(scheme_runtime::SchemeRecord)]
struct Point {
    x: f64,
    y: f64,
}

#[derive(scheme_runtime::SchemeSymbol)]
enum Mode {
    Read,
    ReadWrite,
}

#[scheme_fn]
fn place(p: Point, m: Mode) -> Point {
    let _ = m;
    p
}

/// Values carry their call's lifetime (the brand): left out, or `'_`,
/// `#[scheme_fn]` writes `'scheme`; helpers name it themselves.
fn first_or<'s>(ctx: &mut Ctx<'s>, list: Value<'s>, default: Value<'s>) -> Value<'s> {
    match Pair::of(list) {
        Some(p) => ctx.car(p),
        None => default,
    }
}

#[scheme_fn]
fn first_or_nil(ctx: &mut Ctx, list: Value<'_>) -> Value<'_> {
    first_or(ctx, list, Value::NIL)
}

/// The brand is nameable in the body.
#[scheme_fn]
fn pairs_of(ctx: &mut Ctx, items: Vec<Value>) -> Vec<Value> {
    let mut out: Vec<Value<'scheme>> = Vec::new();
    for x in items {
        out.push(ctx.cons(x, x));
    }
    out
}

/// A result borrowed from an argument.
#[scheme_fn]
fn longest(a: &str, b: &str, _tag: Value) -> std::borrow::Cow<'_, str> {
    std::borrow::Cow::Borrowed(if a.len() >= b.len() { a } else { b })
}

/// A value kept past its call: in a `Root`.
struct Keeper {
    kept: scheme_runtime::Root,
}
impl scheme_runtime::SchemeObject for Keeper {
    const TYPE_NAME: &'static str = "keeper";
}

#[scheme_runtime::scheme_methods]
impl Keeper {
    #[new]
    fn new(ctx: &mut Ctx, v: Value) -> Self {
        Keeper { kept: ctx.root(v) }
    }
    fn get(&self, ctx: &mut Ctx) -> Value {
        self.kept.get(ctx)
    }
    fn name(&self) -> &str {
        "keeper"
    }
}

fn main() {
    // The original functions stay callable from Rust, unchanged.
    assert_eq!(string_repeat("ab", 2), "abab");
    assert!(is_blank("  "));

    let d = find("string-repeat").expect("registered");
    assert_eq!(d.signature(), "(string-repeat s n)");
    assert_eq!(d.types(), "s: string, n: non-negative integer -> string");
    assert_eq!(d.doc, "Repeat `s` `n` times.");
    assert!(d.fast_symbol.is_some());
    assert!(find("blank?").is_some());
    assert_eq!(
        find("hypot").unwrap().types(),
        "a: real number, b: real number in the range of f32, n: number, r: exact rational -> flonum"
    );
    assert_eq!(find("sum->string").unwrap().min_args, 10);
    assert_eq!(find("with-context").unwrap().signature(), "(with-context items [maybe])");
    assert_eq!(find("optional-tail").unwrap().signature(), "(optional-tail a [b] [c])");
    assert_eq!(find("typed-rest").unwrap().signature(), "(typed-rest first rest ...)");
    assert_eq!(find("typed-rest").unwrap().types(), "first: string, rest ...: 64-bit integer -> integer");
    assert_eq!(find("raw-rest").unwrap().arity_text(), "at least 0");
    assert_eq!((find("nothing").unwrap().result)(), "unspecified");
    assert_eq!(
        find("shapes").unwrap().types(),
        "a: (optional 64-bit integer), b: (list-of string), c: (list 64-bit integer real number), d: (hash-table string (list-of 64-bit integer)) -> (list-of (list string (optional boolean)))"
    );
    assert_eq!(find("make-counter").unwrap().types(), "start: 64-bit integer -> counter");
    assert_eq!(find("counter-bump!").unwrap().signature(), "(counter-bump! counter [by])");
    assert_eq!(find("counter-zero?").unwrap().types(), "counter: counter -> boolean");
    assert_eq!(find("place").unwrap().types(), "p: point, m: (one-of read read-write) -> point");
    for name in ["make-point", "point?", "point-x", "point-y", "point-x-set!", "point-y-set!"] {
        assert!(find(name).is_some(), "{name}");
    }
    assert_eq!(find("kinds").unwrap().params.len(), 11);
    assert!(find("append-bang").is_some());
    assert!(find("io-result").is_some());
    assert!(find("public-one").is_some());
    assert_eq!(find("first-or-nil").unwrap().signature(), "(first-or-nil list)");
    assert_eq!(find("pairs-of").unwrap().types(), "items: (list-of any) -> (list-of any)");
    assert_eq!(find("longest").unwrap().types(), "a: string, b: string, _tag: any -> string");
    assert_eq!(find("keeper-get").unwrap().signature(), "(keeper-get keeper)");
    assert!(find("keeper-name").is_some());
}
