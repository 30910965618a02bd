//! Hash tables (`hashtable.rs`) under two sets of names: SRFI 69
//! (`make-hash-table`, `hash-table-ref`, ...) and R6RS as Chez has them
//! (`make-eq-hashtable`, `hashtable-ref`, ...). A table made by either set
//! works with both.

use crate::hashtable::{eq_hash, equal_hash, table_count, TableKind};
use crate::print::procedure_name;
use crate::rt::Ctx;
use crate::rt::Value;
use crate::rt::{Hashtable, Procedure, SchemeString};
use crate::scheme_fn;

/// The kind of table for an equivalence procedure: a built-in one is
/// recognised by name (its hashing is then built in too).
fn kind_for(equiv: Value) -> TableKind {
    match procedure_name(equiv) {
        Some("eq?") => TableKind::Eq,
        Some("eqv?") | Some("=") => TableKind::Eqv,
        Some("equal?") => TableKind::Equal,
        Some("string=?") => TableKind::String,
        _ => TableKind::Custom,
    }
}

/// A table keyed by `equiv` (default `equal?`), hashing with `hash` (needed
/// for an equivalence other than `eq?`, `eqv?`, `equal?`, `string=?`).
#[scheme_fn(name = "make-hash-table")]
fn make_hash_table(
    ctx: &mut Ctx,
    equiv: Option<Procedure>,
    hash: Option<Procedure>,
) -> Result<Value, String> {
    let Some(equiv) = equiv else {
        return Ok(ctx.make_hashtable(TableKind::Equal, Value::FALSE, Value::FALSE));
    };
    match (kind_for(equiv.0), hash) {
        (TableKind::Custom, None) => Err(format!(
            "a table compared with {} needs a hash procedure",
            crate::print::to_string(equiv.0, true)
        )),
        (TableKind::Custom, Some(h)) => Ok(ctx.make_hashtable(TableKind::Custom, equiv.0, h.0)),
        // A hash procedure given with a built-in equivalence is consistent
        // with it; the built-in hashing is used.
        (kind, _) => Ok(ctx.make_hashtable(kind, Value::FALSE, Value::FALSE)),
    }
}

/// A table keyed by `eq?` (the size hint is ignored).
#[scheme_fn(name = "make-eq-hashtable")]
fn make_eq_hashtable(ctx: &mut Ctx, _size: Option<usize>) -> Value {
    ctx.make_hashtable(TableKind::Eq, Value::FALSE, Value::FALSE)
}

/// A table keyed by `eqv?` (the size hint is ignored).
#[scheme_fn(name = "make-eqv-hashtable")]
fn make_eqv_hashtable(ctx: &mut Ctx, _size: Option<usize>) -> Value {
    ctx.make_hashtable(TableKind::Eqv, Value::FALSE, Value::FALSE)
}

/// A table keyed by `equal?` (the size hint is ignored).
#[scheme_fn(name = "make-equal-hashtable")]
fn make_equal_hashtable(ctx: &mut Ctx, _size: Option<usize>) -> Value {
    ctx.make_hashtable(TableKind::Equal, Value::FALSE, Value::FALSE)
}

/// A table hashing with `hash` and comparing with `equiv` (R6RS order).
#[scheme_fn(name = "make-hashtable")]
fn make_hashtable(ctx: &mut Ctx, hash: Procedure, equiv: Procedure, _size: Option<usize>) -> Value {
    match kind_for(equiv.0) {
        TableKind::Custom => ctx.make_hashtable(TableKind::Custom, equiv.0, hash.0),
        kind => ctx.make_hashtable(kind, Value::FALSE, Value::FALSE),
    }
}

/// Is the value a hash table?
#[scheme_fn(name = "hash-table?")]
fn is_hash_table(v: Value) -> bool {
    v.is_hashtable()
}

/// Is the value a hash table?
#[scheme_fn(name = "hashtable?")]
fn is_hashtable(v: Value) -> bool {
    v.is_hashtable()
}

/// The value of `key`; if absent, the result of calling `failure` (an
/// error without it).
#[scheme_fn(name = "hash-table-ref")]
fn hash_table_ref(
    ctx: &mut Ctx,
    table: Hashtable,
    key: Value,
    failure: Option<Procedure>,
) -> Result<Value, String> {
    match ctx.table_entry(table.0, key)? {
        Some(entry) => Ok(entry.cdr()),
        None => match failure {
            Some(f) => Ok(ctx.call_or_unwind(f, &[])),
            None => Err(format!(
                "key {} is not in the table",
                crate::print::to_string(key, true)
            )),
        },
    }
}

/// The value of `key`, or `default` if absent.
#[scheme_fn(name = "hash-table-ref/default")]
fn hash_table_ref_default(
    ctx: &mut Ctx,
    table: Hashtable,
    key: Value,
    default: Value,
) -> Result<Value, String> {
    Ok(ctx.table_entry(table.0, key)?.map_or(default, |e| e.cdr()))
}

/// The value of `key`, or `default` if absent.
#[scheme_fn(name = "hashtable-ref")]
fn hashtable_ref(
    ctx: &mut Ctx,
    table: Hashtable,
    key: Value,
    default: Value,
) -> Result<Value, String> {
    hash_table_ref_default(ctx, table, key, default)
}

/// Set `key` to `value`.
#[scheme_fn(name = "hash-table-set!")]
fn hash_table_set(ctx: &mut Ctx, table: Hashtable, key: Value, value: Value) -> Result<(), String> {
    ctx.table_set(table.0, key, value)
}

/// Set `key` to `value`.
#[scheme_fn(name = "hashtable-set!")]
fn hashtable_set(ctx: &mut Ctx, table: Hashtable, key: Value, value: Value) -> Result<(), String> {
    ctx.table_set(table.0, key, value)
}

/// Remove `key` and its value.
#[scheme_fn(name = "hash-table-delete!")]
fn hash_table_delete(ctx: &mut Ctx, table: Hashtable, key: Value) -> Result<(), String> {
    ctx.table_delete(table.0, key)
}

/// Remove `key` and its value.
#[scheme_fn(name = "hashtable-delete!")]
fn hashtable_delete(ctx: &mut Ctx, table: Hashtable, key: Value) -> Result<(), String> {
    ctx.table_delete(table.0, key)
}

/// Does the table hold `key`?
#[scheme_fn(name = "hash-table-contains?")]
fn hash_table_contains(ctx: &mut Ctx, table: Hashtable, key: Value) -> Result<bool, String> {
    Ok(ctx.table_entry(table.0, key)?.is_some())
}

/// Does the table hold `key`?
#[scheme_fn(name = "hash-table-exists?")]
fn hash_table_exists(ctx: &mut Ctx, table: Hashtable, key: Value) -> Result<bool, String> {
    Ok(ctx.table_entry(table.0, key)?.is_some())
}

/// Does the table hold `key`?
#[scheme_fn(name = "hashtable-contains?")]
fn hashtable_contains(ctx: &mut Ctx, table: Hashtable, key: Value) -> Result<bool, String> {
    Ok(ctx.table_entry(table.0, key)?.is_some())
}

/// Set `key` to `(proc value)`; if absent, `value` is `(failure)` (an error
/// without it).
#[scheme_fn(name = "hash-table-update!")]
fn hash_table_update(
    ctx: &mut Ctx,
    table: Hashtable,
    key: Value,
    proc: Procedure,
    failure: Option<Procedure>,
) -> Result<(), String> {
    let old = hash_table_ref(ctx, table, key, failure)?;
    let new = ctx.call_or_unwind(proc, &[old]);
    ctx.table_set(table.0, key, new)
}

/// Set `key` to `(proc value)`, `value` being `default` if absent.
#[scheme_fn(name = "hash-table-update!/default")]
fn hash_table_update_default(
    ctx: &mut Ctx,
    table: Hashtable,
    key: Value,
    proc: Procedure,
    default: Value,
) -> Result<(), String> {
    let old = ctx.table_entry(table.0, key)?.map_or(default, |e| e.cdr());
    let new = ctx.call_or_unwind(proc, &[old]);
    ctx.table_set(table.0, key, new)
}

/// Set `key` to `(proc value)`, `value` being `default` if absent (R6RS
/// order of arguments).
#[scheme_fn(name = "hashtable-update!")]
fn hashtable_update(
    ctx: &mut Ctx,
    table: Hashtable,
    key: Value,
    proc: Procedure,
    default: Value,
) -> Result<(), String> {
    hash_table_update_default(ctx, table, key, proc, default)
}

/// The number of entries.
#[scheme_fn(name = "hash-table-size")]
fn hash_table_size(table: Hashtable) -> usize {
    table_count(table.0)
}

/// The number of entries.
#[scheme_fn(name = "hashtable-size")]
fn hashtable_size(table: Hashtable) -> usize {
    table_count(table.0)
}

/// The keys of every entry, as a list (in no particular order).
#[scheme_fn(name = "hash-table-keys")]
fn hash_table_keys(ctx: &mut Ctx, table: Hashtable) -> Value {
    let alist = ctx.table_alist(table.0);
    map_in_place(alist, |e| e.car())
}

/// The values of every entry, as a list (in the order of `hash-table-keys`).
#[scheme_fn(name = "hash-table-values")]
fn hash_table_values(ctx: &mut Ctx, table: Hashtable) -> Value {
    let alist = ctx.table_alist(table.0);
    map_in_place(alist, |e| e.cdr())
}

/// Replace each element of a fresh list by `f` of it.
fn map_in_place(list: Value, f: impl Fn(Value) -> Value) -> Value {
    let mut l = list;
    while l.is_pair() {
        l.set_car(f(l.car()));
        l = l.cdr();
    }
    list
}

/// The entries as a list of `(key . value)` pairs.
#[scheme_fn(name = "hash-table->alist")]
fn hash_table_to_alist(ctx: &mut Ctx, table: Hashtable) -> Value {
    ctx.table_alist(table.0)
}

/// Call `(proc key value)` for every entry.
#[scheme_fn(name = "hash-table-walk")]
fn hash_table_walk(ctx: &mut Ctx, table: Hashtable, proc: Procedure) {
    let mut entries = ctx.table_alist(table.0);
    while entries.is_pair() {
        let e = entries.car();
        ctx.call_or_unwind(proc, &[e.car(), e.cdr()]);
        entries = entries.cdr();
    }
}

/// A new table with the same entries.
#[scheme_fn(name = "hash-table-copy")]
fn hash_table_copy(
    ctx: &mut Ctx,
    table: Hashtable,
    _mutable: Option<Value>,
) -> Result<Value, String> {
    ctx.table_copy(table.0)
}

/// A new table with the same entries.
#[scheme_fn(name = "hashtable-copy")]
fn hashtable_copy(
    ctx: &mut Ctx,
    table: Hashtable,
    _mutable: Option<Value>,
) -> Result<Value, String> {
    ctx.table_copy(table.0)
}

/// Remove every entry.
#[scheme_fn(name = "hashtable-clear!")]
fn hashtable_clear(ctx: &mut Ctx, table: Hashtable, _size: Option<usize>) {
    ctx.table_clear(table.0)
}

/// Remove every entry.
#[scheme_fn(name = "hash-table-clear!")]
fn hash_table_clear(ctx: &mut Ctx, table: Hashtable) {
    ctx.table_clear(table.0)
}

/// A vector of the keys.
#[scheme_fn(name = "hashtable-keys")]
fn hashtable_keys(ctx: &mut Ctx, table: Hashtable) -> Value {
    let keys = hash_table_keys(ctx, table);
    list_to_vector(ctx, keys)
}

/// A vector of the values (in the order of `hashtable-keys`).
#[scheme_fn(name = "hashtable-values")]
fn hashtable_values(ctx: &mut Ctx, table: Hashtable) -> Value {
    let values = hash_table_values(ctx, table);
    list_to_vector(ctx, values)
}

/// Two values: a vector of the keys and a vector of their values.
#[scheme_fn(name = "hashtable-entries")]
fn hashtable_entries(ctx: &mut Ctx, table: Hashtable) -> Value {
    let alist = ctx.table_alist(table.0);
    let n = table_count(table.0);
    let keys = ctx.make_vector(n, Value::FALSE);
    let values = ctx.make_vector(n, Value::FALSE);
    let mut l = alist;
    for i in 0..n {
        keys.vector_set(i, l.car().car());
        values.vector_set(i, l.car().cdr());
        l = l.cdr();
    }
    ctx.values(&[keys, values])
}

fn list_to_vector(ctx: &mut Ctx, list: Value) -> Value {
    let mut n = 0;
    let mut l = list;
    while l.is_pair() {
        n += 1;
        l = l.cdr();
    }
    let v = ctx.make_vector(n, Value::FALSE);
    let mut l = list;
    for i in 0..n {
        v.vector_set(i, l.car());
        l = l.cdr();
    }
    v
}

/// Reduce a hash to `0..bound` (default: the fixnum range).
fn bounded(h: u64, bound: Option<u64>) -> Result<i64, String> {
    match bound {
        Some(0) => Err("bound 0 is not positive".into()),
        Some(b) => Ok((h % b) as i64),
        None => Ok((h >> 4) as i64 & (crate::abi::FIXNUM_MAX >> 1)),
    }
}

/// A hash of the value consistent with `equal?` (below `bound` if given).
#[scheme_fn]
fn hash(v: Value, bound: Option<u64>) -> Result<i64, String> {
    bounded(equal_hash(v), bound)
}

/// A hash of the value consistent with `equal?`.
#[scheme_fn(name = "equal-hash")]
fn equal_hash_prim(v: Value) -> Result<i64, String> {
    bounded(equal_hash(v), None)
}

/// A hash of the value consistent with `eq?` (below `bound` if given).
#[scheme_fn(name = "hash-by-identity")]
fn hash_by_identity(v: Value, bound: Option<u64>) -> Result<i64, String> {
    bounded(eq_hash(v), bound)
}

/// A hash of the string's characters (below `bound` if given).
#[scheme_fn(name = "string-hash")]
fn string_hash(s: SchemeString, bound: Option<u64>) -> Result<i64, String> {
    bounded(equal_hash(s.0), bound)
}
