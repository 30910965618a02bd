//! Hash tables: `[header][buckets][count][kind][equivalence][hash]`.
//!
//! Everything lives in the heap as ordinary values: `buckets` is a vector
//! whose slots hold lists of entries, each entry a pair `(key . value)`,
//! so the collector traces keys and values like any data and a dead table
//! costs nothing to free. `eq?` and `eqv?` tables hash objects by address,
//! which is stable because the collector never moves an object. The table
//! doubles its buckets when it holds more entries than buckets.
//!
//! Kinds: `eq?`, `eqv?`, `equal?`, `string=?` (built-in hashing and
//! comparison), or custom: a Scheme equivalence and hash procedure, called
//! back for every comparison and hash.

use crate::abi::*;
use crate::bytevector::bytes;
use crate::primitives::equality::{equal, eqv};
use crate::rt::Ctx;
use crate::rt::Value;
use crate::text::string_str;

const BUCKETS: usize = 1;
const COUNT: usize = 2;
const KIND: usize = 3;
const EQUIV: usize = 4;
const HASH: usize = 5;
const FIELDS: u64 = 5;
const INITIAL_BUCKETS: usize = 8;

/// How a table compares and hashes keys.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum TableKind {
    Eq = 0,
    Eqv = 1,
    Equal = 2,
    String = 3,
    Custom = 4,
}

impl TableKind {
    fn of(v: Value) -> TableKind {
        match v.as_fixnum() {
            0 => TableKind::Eq,
            1 => TableKind::Eqv,
            2 => TableKind::Equal,
            3 => TableKind::String,
            _ => TableKind::Custom,
        }
    }
}

/// The bucket of hash `h` in `buckets`, whose length is a power of two
/// (8, doubled as the table grows).
#[inline(always)]
fn bucket(h: u64, buckets: Value) -> usize {
    h as usize & (buckets.header_length() - 1)
}

#[inline(always)]
fn mix(h: u64) -> u64 {
    // A 64-bit finalizer (splitmix64): addresses differ in a few bits only.
    let h = (h ^ (h >> 30)).wrapping_mul(0xbf58476d1ce4e5b9);
    let h = (h ^ (h >> 27)).wrapping_mul(0x94d049bb133111eb);
    h ^ (h >> 31)
}

fn hash_bytes(data: &[u8]) -> u64 {
    // FNV-1a.
    data.iter().fold(0xcbf29ce484222325u64, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x100000001b3)
    })
}

/// The hash of `eq?`: the word itself (an address for objects).
#[inline(always)]
pub fn eq_hash(v: Value) -> u64 {
    mix(v.0)
}

/// The hash of `eqv?`: numbers by value, everything else by identity.
#[inline]
pub fn eqv_hash(v: Value) -> u64 {
    if v.tag() != crate::abi::TAG_FLONUM && v.tag() != crate::abi::TAG_OBJECT {
        eq_hash(v)
    } else if v.is_flonum() {
        mix(v.word(1))
    } else if v.is_bignum() || v.is_ratnum() {
        hash_bytes(crate::print::to_string(v, true).as_bytes())
    } else {
        eq_hash(v)
    }
}

/// The hash of `equal?`: strings, bytevectors, pairs and vectors by
/// contents (at most `budget` objects deep and wide, so a cyclic or huge
/// datum costs a bounded amount), everything else as `eqv_hash`.
pub fn equal_hash(v: Value) -> u64 {
    let mut budget = 64;
    equal_hash_in(v, &mut budget)
}

fn equal_hash_in(v: Value, budget: &mut usize) -> u64 {
    if *budget == 0 {
        return 0;
    }
    *budget -= 1;
    if v.is_string() {
        hash_bytes(string_str(v).as_bytes())
    } else if v.is_bytevector() {
        hash_bytes(bytes(v)) ^ 0x5bd1e995
    } else if v.is_pair() {
        let a = equal_hash_in(v.car(), budget);
        let d = equal_hash_in(v.cdr(), budget);
        mix(a.wrapping_mul(31).wrapping_add(d) ^ 0x9e3779b97f4a7c15)
    } else if v.is_vector() {
        let mut h = 0x27d4eb2f165667c5u64 ^ v.header_length() as u64;
        for i in 0..v.header_length() {
            if *budget == 0 {
                break;
            }
            h = mix(h
                .wrapping_mul(31)
                .wrapping_add(equal_hash_in(v.vector_ref(i), budget)));
        }
        h
    } else {
        eqv_hash(v)
    }
}

/// Number of entries.
pub fn table_count(t: Value) -> usize {
    Value::from_bits(t.word(COUNT)).as_fixnum() as usize
}

pub fn table_kind(t: Value) -> TableKind {
    TableKind::of(Value::from_bits(t.word(KIND)))
}

/// The equivalence and hash procedures of a custom table (else `#f`).
pub fn table_procedures(t: Value) -> (Value, Value) {
    (
        Value::from_bits(t.word(EQUIV)),
        Value::from_bits(t.word(HASH)),
    )
}

impl Ctx {
    /// A new empty table; `equiv` and `hash` are procedures for a custom
    /// table, else `#f`.
    pub(crate) fn make_hashtable(&mut self, kind: TableKind, equiv: Value, hash: Value) -> Value {
        let buckets = self.make_vector(INITIAL_BUCKETS, Value::NIL);
        let t = self.alloc_object(TYPE_HASHTABLE, FIELDS, FIELDS);
        t.set_word(BUCKETS, buckets.0);
        t.set_word(COUNT, Value::fixnum(0).0);
        t.set_word(KIND, Value::fixnum(kind as i64).0);
        t.set_word(EQUIV, equiv.0);
        t.set_word(HASH, hash.0);
        t
    }

    /// The hash of `key` in table `t` (calls a custom hash procedure).
    fn key_hash(&mut self, t: Value, key: Value) -> Result<u64, String> {
        Ok(match table_kind(t) {
            TableKind::Eq => eq_hash(key),
            TableKind::Eqv => eqv_hash(key),
            TableKind::Equal => equal_hash(key),
            TableKind::String if key.is_string() => hash_bytes(string_str(key).as_bytes()),
            TableKind::String => {
                return Err(format!(
                    "expected string key, got {}",
                    crate::print::to_string(key, true)
                ))
            }
            TableKind::Custom => {
                let h = self.call_or_unwind(
                    crate::convert::Procedure(Value::from_bits(t.word(HASH))),
                    &[key],
                );
                if h.is_fixnum() && h.as_fixnum() >= 0 {
                    mix(h.as_fixnum() as u64)
                } else if h.is_bignum() {
                    eqv_hash(h)
                } else {
                    return Err(format!(
                        "hash procedure returned {}, not an exact non-negative integer",
                        crate::print::to_string(h, true)
                    ));
                }
            }
        })
    }

    #[inline]
    fn keys_match(&mut self, t: Value, a: Value, b: Value) -> bool {
        if a == b {
            return true;
        }
        match table_kind(t) {
            TableKind::Eq => false,
            TableKind::Eqv => eqv(a, b),
            TableKind::Equal => equal(a, b),
            TableKind::String => b.is_string() && crate::text::strings_equal(a, b),
            TableKind::Custom => self
                .call_or_unwind(
                    crate::convert::Procedure(Value::from_bits(t.word(EQUIV))),
                    &[a, b],
                )
                .is_true(),
        }
    }

    /// The entry `(key . value)` for `key`, if any.
    pub(crate) fn table_entry(&mut self, t: Value, key: Value) -> Result<Option<Value>, String> {
        let h = self.key_hash(t, key)?;
        Ok(self.entry_with_hash(t, key, h))
    }

    /// The entry for `key`, whose hash is `h`, if any.
    fn entry_with_hash(&mut self, t: Value, key: Value, h: u64) -> Option<Value> {
        let buckets = Value::from_bits(t.word(BUCKETS));
        let mut chain = buckets.vector_ref(bucket(h, buckets));
        while chain.is_pair() {
            let entry = chain.car();
            if self.keys_match(t, key, entry.car()) {
                return Some(entry);
            }
            chain = chain.cdr();
        }
        None
    }

    /// Set `key` to `value`.
    pub(crate) fn table_set(&mut self, t: Value, key: Value, value: Value) -> Result<(), String> {
        let h = self.key_hash(t, key)?;
        if let Some(entry) = self.entry_with_hash(t, key, h) {
            entry.set_cdr(value);
            return Ok(());
        }
        let entry = self.cons(key, value);
        // Read again: a custom equivalence procedure may have changed the
        // table while it ran.
        let buckets = Value::from_bits(t.word(BUCKETS));
        let i = bucket(h, buckets);
        let chain = self.cons(entry, buckets.vector_ref(i));
        Value::from_bits(t.word(BUCKETS)).vector_set(i, chain);
        let n = table_count(t) + 1;
        t.set_word(COUNT, Value::fixnum(n as i64).0);
        if n > Value::from_bits(t.word(BUCKETS)).header_length() {
            self.table_grow(t)?;
        }
        Ok(())
    }

    /// Twice as many buckets, the entries rehashed into them.
    fn table_grow(&mut self, t: Value) -> Result<(), String> {
        let old = Value::from_bits(t.word(BUCKETS));
        let fresh = self.make_vector(old.header_length() * 2, Value::NIL);
        for i in 0..old.header_length() {
            let mut chain = old.vector_ref(i);
            while chain.is_pair() {
                let next = chain.cdr();
                let h = self.key_hash(t, chain.car().car())?;
                let j = bucket(h, fresh);
                // Reuse the chain's pair: no allocation while rehashing.
                chain.set_cdr(fresh.vector_ref(j));
                fresh.vector_set(j, chain);
                chain = next;
            }
        }
        t.set_word(BUCKETS, fresh.0);
        Ok(())
    }

    /// Remove `key` (nothing if absent).
    pub(crate) fn table_delete(&mut self, t: Value, key: Value) -> Result<(), String> {
        let h = self.key_hash(t, key)?;
        let buckets = Value::from_bits(t.word(BUCKETS));
        let i = bucket(h, buckets);
        let mut prev = Value::FALSE;
        let mut chain = buckets.vector_ref(i);
        while chain.is_pair() {
            if self.keys_match(t, key, chain.car().car()) {
                if prev.is_pair() {
                    prev.set_cdr(chain.cdr());
                } else {
                    Value::from_bits(t.word(BUCKETS)).vector_set(i, chain.cdr());
                }
                t.set_word(COUNT, Value::fixnum(table_count(t) as i64 - 1).0);
                return Ok(());
            }
            prev = chain;
            chain = chain.cdr();
        }
        Ok(())
    }

    /// Remove every entry.
    pub(crate) fn table_clear(&mut self, t: Value) {
        let buckets = self.make_vector(INITIAL_BUCKETS, Value::NIL);
        t.set_word(BUCKETS, buckets.0);
        t.set_word(COUNT, Value::fixnum(0).0);
    }

    /// The entries `(key, value)`, read without allocating.
    pub(crate) fn table_entries(&self, t: Value) -> Vec<(Value, Value)> {
        let mut out = Vec::with_capacity(table_count(t));
        let buckets = Value::from_bits(t.word(BUCKETS));
        for i in 0..buckets.header_length() {
            let mut chain = buckets.vector_ref(i);
            while chain.is_pair() {
                let entry = chain.car();
                out.push((entry.car(), entry.cdr()));
                chain = chain.cdr();
            }
        }
        out
    }

    /// A list of the entries `(key . value)` (fresh pairs, so changing the
    /// table later does not change the list).
    pub(crate) fn table_alist(&mut self, t: Value) -> Value {
        let mut list = Value::NIL;
        let buckets = Value::from_bits(t.word(BUCKETS));
        for i in (0..buckets.header_length()).rev() {
            let mut chain = buckets.vector_ref(i);
            while chain.is_pair() {
                let entry = chain.car();
                let copy = self.cons(entry.car(), entry.cdr());
                list = self.cons(copy, list);
                chain = chain.cdr();
            }
        }
        list
    }

    /// A new table with the same kind and entries.
    pub(crate) fn table_copy(&mut self, t: Value) -> Result<Value, String> {
        let (equiv, hash) = table_procedures(t);
        let copy = self.make_hashtable(table_kind(t), equiv, hash);
        let mut entries = self.table_alist(t);
        while entries.is_pair() {
            let e = entries.car();
            self.table_set(copy, e.car(), e.cdr())?;
            entries = entries.cdr();
        }
        Ok(copy)
    }
}
