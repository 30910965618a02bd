//! Equivalence predicates and type predicates of general use.

use crate::integer::bignum_eq;
use crate::scheme_fn;
use crate::text::strings_equal;
use crate::value::{Kind, Value};

/// `eqv?`: identity, which for numbers and characters is equality of
/// value and exactness (flonums: the same bits, so `0.0` is not `-0.0`
/// and a NaN is itself).
#[inline]
pub fn eqv(a: Value, b: Value) -> bool {
    if a == b {
        return true;
    }
    // Only numbers in the heap are `eqv?` without being the same word:
    // anything else (fixnums, characters, pairs...) is decided here.
    let tag = a.tag();
    if tag != b.tag() || (tag != crate::abi::TAG_FLONUM && tag != crate::abi::TAG_OBJECT) {
        return false;
    }
    match (a.kind(), b.kind()) {
        (Kind::Flonum, Kind::Flonum) => a.word(1) == b.word(1),
        (Kind::Bignum, Kind::Bignum) => bignum_eq(a, b),
        (Kind::Ratnum, Kind::Ratnum) => {
            eqv(Value::from_bits(a.word(1)), Value::from_bits(b.word(1)))
                && eqv(Value::from_bits(a.word(2)), Value::from_bits(b.word(2)))
        }
        _ => false,
    }
}

/// `equal?`: structural equality of pairs, vectors, strings and
/// bytevectors. It terminates on cycles and is linear on shared structure
/// (R7RS 6.1), as Chez Scheme's is (Adams and Dybvig, "Efficient
/// nondestructive equality checking for trees and graphs", 2008): a plain
/// walk of at most `BUDGET` nodes answers small data; past that, a walk
/// that records which pairs of objects it has assumed equal (union-find)
/// visits each pair once and needs no recursion.
pub fn equal(a: Value, b: Value) -> bool {
    let mut budget = BUDGET;
    match equal_bounded(a, b, &mut budget) {
        Some(answer) => answer,
        None => equal_graph(a, b),
    }
}

/// Nodes the plain walk visits before it hands over (also its deepest
/// recursion).
const BUDGET: i64 = 1000;

/// Leaves the two values have in common: `Some(equal)` if that decides,
/// else `None` (compound values: compare their parts).
fn compare_leaves(a: Value, b: Value) -> Option<bool> {
    if eqv(a, b) {
        return Some(true);
    }
    match (a.kind(), b.kind()) {
        (Kind::Pair, Kind::Pair) => None,
        (Kind::Vector, Kind::Vector) if a.header_length() == b.header_length() => None,
        (Kind::String, Kind::String) => Some(strings_equal(a, b)),
        (Kind::Bytevector, Kind::Bytevector) => {
            Some(crate::bytevector::bytes(a) == crate::bytevector::bytes(b))
        }
        _ => Some(false),
    }
}

/// The plain walk; `None` when the budget ran out.
fn equal_bounded(a: Value, b: Value, budget: &mut i64) -> Option<bool> {
    let (mut a, mut b) = (a, b);
    loop {
        *budget -= 1;
        if *budget < 0 {
            return None;
        }
        if let Some(answer) = compare_leaves(a, b) {
            return Some(answer);
        }
        if a.kind() == Kind::Vector {
            for i in 0..a.header_length() {
                if !equal_bounded(a.vector_ref(i), b.vector_ref(i), budget)? {
                    return Some(false);
                }
            }
            return Some(true);
        }
        if !equal_bounded(a.car(), b.car(), budget)? {
            return Some(false);
        }
        a = a.cdr();
        b = b.cdr();
    }
}

/// The walk for large, shared or cyclic data: two compound objects met
/// again after being assumed equal (same union-find class) are not
/// compared again, so every pair of objects is expanded at most once.
fn equal_graph(a: Value, b: Value) -> bool {
    let mut classes = UnionFind::default();
    let mut todo = vec![(a, b)];
    while let Some((a, b)) = todo.pop() {
        match compare_leaves(a, b) {
            Some(true) => continue,
            Some(false) => return false,
            None => {}
        }
        if !classes.union(a, b) {
            continue;
        }
        if a.kind() == Kind::Vector {
            for i in (0..a.header_length()).rev() {
                todo.push((a.vector_ref(i), b.vector_ref(i)));
            }
        } else {
            todo.push((a.cdr(), b.cdr()));
            todo.push((a.car(), b.car()));
        }
    }
    true
}

/// Classes of objects assumed equal, keyed by identity (objects do not
/// move, and nothing is allocated in the heap during `equal?`).
#[derive(Default)]
struct UnionFind {
    index: std::collections::HashMap<u64, usize>,
    parent: Vec<usize>,
}

impl UnionFind {
    fn node(&mut self, v: Value) -> usize {
        let next = self.parent.len();
        let i = *self.index.entry(v.0).or_insert(next);
        if i == next {
            self.parent.push(next);
        }
        i
    }

    fn find(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    /// Join the classes of `a` and `b`; `false` if they were one already.
    fn union(&mut self, a: Value, b: Value) -> bool {
        let (x, y) = (self.node(a), self.node(b));
        let (x, y) = (self.find(x), self.find(y));
        if x == y {
            return false;
        }
        self.parent[x] = y;
        true
    }
}

/// Are the two values the same object?
#[scheme_fn(name = "eq?")]
fn is_eq(a: Value, b: Value) -> bool {
    a == b
}

/// Are the two values equivalent (the same object, or equal numbers or characters)?
#[scheme_fn(name = "eqv?")]
fn is_eqv(a: Value, b: Value) -> bool {
    eqv(a, b)
}

/// Are the two values structurally equal (pairs, vectors and strings compared by contents)?
#[scheme_fn(name = "equal?")]
fn is_equal(a: Value, b: Value) -> bool {
    equal(a, b)
}

/// #t for #f, #f for anything else.
#[scheme_fn]
fn not(v: Value) -> bool {
    v == Value::FALSE
}

/// Is the value #t or #f?
#[scheme_fn]
fn is_boolean(v: Value) -> bool {
    v.kind() == Kind::Boolean
}

/// Is the value a procedure?
#[scheme_fn]
fn is_procedure(v: Value) -> bool {
    v.is_closure()
}
