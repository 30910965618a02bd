//! A plugin written as a Rust user would write one: a database object with
//! methods, a record, an enum, tuples, maps and callbacks. The end-to-end
//! tests (`tests/tests/rich_plugin.rs`) drive it from Scheme.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use scheme_runtime::{
    scheme_fn, scheme_methods, Ctx, Exception, Procedure, SchemeObject, SchemeRecord, SchemeSymbol,
    Traced, Tracer, Value,
};

/// A small key-value store, held by Scheme as an object.
#[derive(Default)]
pub struct Db {
    entries: BTreeMap<String, i64>,
}

impl SchemeObject for Db {
    const TYPE_NAME: &'static str = "db";
}

#[scheme_methods]
impl Db {
    /// An empty database.
    #[new]
    fn new() -> Self {
        Db::default()
    }

    /// A database with `n` entries `k0`..: a static method.
    fn with_keys(n: usize) -> Self {
        let entries = (0..n).map(|i| (format!("k{i}"), i as i64)).collect();
        Db { entries }
    }

    /// The value of `key`, or `#f`.
    fn get(&self, key: &str) -> Option<i64> {
        self.entries.get(key).copied()
    }

    /// Set `key` to `v`.
    fn set(&mut self, key: String, v: i64) {
        self.entries.insert(key, v);
    }

    /// How many entries.
    fn size(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are none.
    fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Remove `key`; its old value.
    #[scheme(name = "db-remove!")]
    fn take(&mut self, key: &str) -> Option<i64> {
        self.entries.remove(key)
    }

    /// The entries as `(key value)` lists, in key order.
    fn entries(&self) -> Vec<(String, i64)> {
        self.entries.iter().map(|(k, v)| (k.clone(), *v)).collect()
    }

    /// Call `f` on each key and value (a callback that changes the
    /// database meanwhile gets "already borrowed").
    fn for_each(&self, ctx: &mut Ctx, f: Procedure) -> Result<(), Exception> {
        for (k, v) in &self.entries {
            f.call::<(&str, i64), Value>(ctx, (k, *v))?;
        }
        Ok(())
    }

    /// Not exported: Rust-only helper.
    #[scheme(skip)]
    pub fn internal(&self) -> usize {
        0
    }
}

/// A point in the plane, passed by value as a Scheme record.
#[derive(SchemeRecord, Debug, Clone, Copy)]
pub struct Point {
    x: f64,
    y: f64,
}

/// The sum of two points.
#[scheme_fn]
fn point_add(a: Point, b: Point) -> Point {
    Point {
        x: a.x + b.x,
        y: a.y + b.y,
    }
}

/// Distance from the origin.
#[scheme_fn]
fn point_norm(p: Point) -> f64 {
    p.x.hypot(p.y)
}

/// A record with a renamed type, a string field and a nested record.
#[derive(SchemeRecord)]
#[scheme(name = "labelled")]
pub struct Labelled {
    name: String,
    at: Point,
    tags: Vec<String>,
}

/// A labelled point at `p`.
#[scheme_fn]
fn label(name: String, p: Point) -> Labelled {
    Labelled {
        name,
        at: p,
        tags: vec!["new".into()],
    }
}

/// How a file is opened: a symbol in Scheme.
#[derive(SchemeSymbol, Debug, Clone, Copy, PartialEq)]
pub enum Mode {
    Read,
    Write,
    ReadWrite,
    #[scheme(name = "append-only")]
    Append,
}

/// The mode's flags.
#[scheme_fn]
fn mode_flags(m: Mode) -> i64 {
    match m {
        Mode::Read => 0,
        Mode::Write => 1,
        Mode::ReadWrite => 2,
        Mode::Append => 1024,
    }
}

/// Every mode.
#[scheme_fn]
fn all_modes() -> Vec<Mode> {
    vec![Mode::Read, Mode::Write, Mode::ReadWrite, Mode::Append]
}

/// Quotient and remainder: a tuple result is a list.
#[scheme_fn]
fn divmod(a: i64, b: i64) -> Result<(i64, i64), String> {
    if b == 0 {
        return Err("division by zero".into());
    }
    Ok((a.div_euclid(b), a.rem_euclid(b)))
}

/// The sum of an (integer real) pair: a tuple parameter takes a list.
#[scheme_fn]
fn pair_sum(p: (i64, f64)) -> f64 {
    p.0 as f64 + p.1
}

/// How often each word occurs: a new hash table.
#[scheme_fn]
fn word_counts(words: Vec<String>) -> HashMap<String, i64> {
    let mut counts = HashMap::new();
    for w in words {
        *counts.entry(w).or_insert(0) += 1;
    }
    counts
}

/// Entries of a table (or an association list) in key order.
#[scheme_fn]
fn sorted_entries(m: BTreeMap<String, i64>) -> Vec<(String, i64)> {
    m.into_iter().collect()
}

/// How many words `keep` accepts: a typed callback.
#[scheme_fn]
fn count_if(ctx: &mut Ctx, keep: Procedure, words: Vec<String>) -> Result<usize, Exception> {
    let mut n = 0;
    for w in &words {
        if keep.call::<(&str,), bool>(ctx, (w,))? {
            n += 1;
        }
    }
    Ok(n)
}

/// A button that keeps a Scheme procedure and calls it later: the
/// procedure is `Traced`, marked by the button's `trace`, so a callback
/// that refers back to its button does not keep it alive forever.
pub struct Button {
    on_click: Traced,
    clicks: i64,
}

/// Buttons dropped so far (by the collector, once unreachable).
static BUTTONS_DROPPED: AtomicUsize = AtomicUsize::new(0);

impl Drop for Button {
    fn drop(&mut self) {
        BUTTONS_DROPPED.fetch_add(1, Ordering::Relaxed);
    }
}

impl SchemeObject for Button {
    const TYPE_NAME: &'static str = "button";
    fn trace(&self, tracer: &mut Tracer) {
        tracer.mark(&self.on_click);
    }
}

#[scheme_methods]
impl Button {
    /// A button that calls `on_click` with the click count.
    #[new]
    fn new(ctx: &mut Ctx, on_click: Procedure) -> Self {
        Button {
            on_click: ctx.traced(on_click.value()),
            clicks: 0,
        }
    }

    /// Click: the procedure's answer, a string.
    fn click(&mut self, ctx: &mut Ctx) -> Result<String, Exception> {
        self.clicks += 1;
        let f = self.on_click.get(ctx).and_then(Procedure::of);
        let f = f.expect("a traced procedure lives as long as its button");
        f.call::<(i64,), String>(ctx, (self.clicks,))
    }

    /// How many buttons the collector has dropped.
    fn dropped() -> usize {
        BUTTONS_DROPPED.load(Ordering::Relaxed)
    }
}

/// The last component of a path.
#[scheme_fn]
fn file_name(p: PathBuf) -> Option<String> {
    p.file_name().map(|n| n.to_string_lossy().into_owned())
}

/// The path with an extension set.
#[scheme_fn]
fn with_extension(p: PathBuf, ext: String) -> PathBuf {
    p.with_extension(ext)
}

/// Upper case, borrowed when nothing changes.
#[scheme_fn]
fn shout(s: std::borrow::Cow<str>) -> Box<str> {
    if s.chars().any(char::is_lowercase) {
        s.to_uppercase().into_boxed_str()
    } else {
        s.into_owned().into_boxed_str()
    }
}

/// The point's record type name, read through the trait.
#[scheme_fn]
fn point_type_name() -> &'static str {
    <Point as SchemeRecord>::NAME
}

/// The first `n` squares: an iterator result is a list.
#[scheme_fn]
fn squares(n: i64) -> impl Iterator<Item = i64> {
    (0..n).map(|i| i * i)
}

/// The words of `s`, upper-cased: an iterator borrowing its argument.
#[scheme_fn]
fn loud_words(s: &str) -> impl Iterator<Item = String> + '_ {
    s.split_whitespace().map(str::to_uppercase)
}

/// Optional nested data: `#f` or a list of lists.
#[scheme_fn]
fn maybe_table(rows: i64) -> Option<Vec<Vec<i64>>> {
    (rows > 0).then(|| (0..rows).map(|r| (0..=r).collect()).collect())
}
