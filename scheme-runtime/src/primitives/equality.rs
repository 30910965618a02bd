//! Equivalence predicates and type predicates of general use.

use crate::integer::bignum_eq;
use crate::rt::Value;
use crate::scheme_fn;
use crate::text::strings_equal;
use crate::value::Kind;

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
    if tag == crate::abi::TAG_FLONUM {
        // Both flonums (the tag is theirs alone).
        return a.word(1) == b.word(1);
    }
    // `a`'s header first: `b` is read only if `a` is a number (`memv` and
    // `assv` pass the key as `a`, and their elements' headers would
    // otherwise be read one by one, symbols included).
    match a.kind() {
        Kind::Bignum => b.kind() == Kind::Bignum && bignum_eq(a, b),
        Kind::Ratnum => {
            b.kind() == Kind::Ratnum
                && eqv(Value::from_bits(a.word(1)), Value::from_bits(b.word(1)))
                && eqv(Value::from_bits(a.word(2)), Value::from_bits(b.word(2)))
        }
        _ => false,
    }
}

/// `equal?`: structural equality of pairs, vectors, strings and
/// bytevectors. It terminates on cycles and is linear on shared structure
/// (R7RS 6.1), as Chez Scheme's is, by the same method (Adams and Dybvig,
/// "Efficient nondestructive equality checking for trees and graphs",
/// 2008): a plain walk of at most `PRECHECK` nodes answers small data;
/// past that, plain steps alternate with steps that record each pair of
/// compound objects compared in a union-find and skip pairs already
/// assumed equal (`equal_interleaved`).
pub fn equal(a: Value, b: Value) -> bool {
    let mut budget = PRECHECK;
    match equal_bounded(a, b, &mut budget) {
        Some(answer) => answer,
        None => equal_interleaved(a, b),
    }
}

/// Nodes the plain walk visits before it hands over (also its deepest
/// recursion).
const PRECHECK: i64 = 400;
/// Plain steps after each run of recording steps: on average this many,
/// drawn at random from 1 to twice as many, as in the paper (a fixed
/// number could fall in step with the data's shape).
const FAST_STEPS: u64 = 400;
/// Recording steps before plain steps again (none of them finding a
/// pair already assumed equal: each such find starts the run again).
const SLOW_STEPS: i64 = 40;

/// The interleaved walk, with an explicit stack (no recursion, however
/// deep the data). `k > 0`: plain steps left; `k <= 0`: recording steps
/// made, down to `-SLOW_STEPS`. Every run of recording steps that ends
/// made `SLOW_STEPS` new unions, and pairs can be joined only finitely
/// often, so the walk ends on cycles too; on trees, four nodes in five
/// cost no hashing.
fn equal_interleaved(a: Value, b: Value) -> bool {
    // The table of the last call, emptied: its capacity saves growing a
    // new one again (unless it grew very large).
    thread_local! {
        static CLASSES: std::cell::RefCell<UnionFind> = std::cell::RefCell::new(UnionFind::with_capacity(256));
    }
    CLASSES.with(|c| {
        let mut classes = c.borrow_mut();
        if classes.index.capacity() > 1 << 18 {
            *classes = UnionFind::with_capacity(256);
        }
        classes.index.clear();
        classes.parent.clear();
        equal_with(a, b, &mut classes)
    })
}

fn equal_with(a: Value, b: Value, classes: &mut UnionFind) -> bool {
    let mut todo = vec![(a, b)];
    let mut k: i64 = 0;
    // xorshift64: cheap numbers for the lengths of the plain runs.
    let mut random = a.0 | 1;
    while let Some((a, b)) = todo.pop() {
        match compare_leaves(a, b) {
            Some(true) => continue,
            Some(false) => return false,
            None => {}
        }
        if k > 0 {
            k -= 1;
        } else if k == -SLOW_STEPS {
            random ^= random << 13;
            random ^= random >> 7;
            random ^= random << 17;
            k = (random % (2 * FAST_STEPS)) as i64;
        } else if classes.union(a, b) {
            k -= 1;
        } else {
            // Already assumed equal: nothing more to compare here.
            k = 0;
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

/// Leaves the two values have in common: `Some(equal)` if that decides,
/// else `None` (compound values: compare their parts).
#[inline(always)]
fn compare_leaves(a: Value, b: Value) -> Option<bool> {
    if a == b {
        return Some(true);
    }
    // Pairs first: most nodes of most data.
    if a.tag() == crate::abi::TAG_PAIR {
        return if b.tag() == crate::abi::TAG_PAIR {
            None
        } else {
            Some(false)
        };
    }
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

/// Classes of objects assumed equal, keyed by identity (objects do not
/// move, and nothing is allocated in the heap during `equal?`).
#[derive(Default)]
struct UnionFind {
    index: std::collections::HashMap<u64, usize, BuildAddressHasher>,
    parent: Vec<usize>,
}

/// Hashes object addresses with a multiply (the default SipHash took
/// most of `equal?`'s time on large data).
type BuildAddressHasher = std::hash::BuildHasherDefault<AddressHasher>;

#[derive(Default)]
struct AddressHasher(u64);

impl std::hash::Hasher for AddressHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, x: u64) {
        let h = (self.0 ^ x).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        // Fold the well-mixed high half into the low bits (the table's
        // index): addresses differ mostly in their middle bits.
        self.0 = h ^ (h >> 32);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl UnionFind {
    fn with_capacity(n: usize) -> UnionFind {
        UnionFind {
            index: std::collections::HashMap::with_capacity_and_hasher(n, Default::default()),
            parent: Vec::with_capacity(n),
        }
    }

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
