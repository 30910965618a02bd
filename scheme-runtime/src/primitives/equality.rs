//! Equivalence predicates and type predicates of general use.

use crate::integer::bignum_eq;
use crate::scheme_fn;
use crate::text::string_str;
use crate::value::{Kind, Value};

/// `eqv?`: identity, which for numbers and characters is equality of
/// value and exactness (flonums: the same bits, so `0.0` is not `-0.0`
/// and a NaN is itself).
pub fn eqv(a: Value, b: Value) -> bool {
    a == b
        || match (a.kind(), b.kind()) {
            (Kind::Flonum, Kind::Flonum) => a.word(1) == b.word(1),
            (Kind::Bignum, Kind::Bignum) => bignum_eq(a, b),
            (Kind::Ratnum, Kind::Ratnum) => {
                eqv(Value::from_bits(a.word(1)), Value::from_bits(b.word(1)))
                    && eqv(Value::from_bits(a.word(2)), Value::from_bits(b.word(2)))
            }
            _ => false,
        }
}

/// `equal?`: structural equality of pairs, vectors, strings and bytevectors.
pub fn equal(a: Value, b: Value) -> bool {
    let (mut a, mut b) = (a, b);
    loop {
        if eqv(a, b) {
            return true;
        }
        match (a.kind(), b.kind()) {
            (Kind::Pair, Kind::Pair) => {
                if !equal(a.car(), b.car()) {
                    return false;
                }
                a = a.cdr();
                b = b.cdr();
            }
            (Kind::String, Kind::String) => return string_str(a) == string_str(b),
            (Kind::Bytevector, Kind::Bytevector) => {
                return crate::bytevector::bytes(a) == crate::bytevector::bytes(b)
            }
            (Kind::Vector, Kind::Vector) => {
                let n = a.header_length();
                return n == b.header_length()
                    && (0..n).all(|i| equal(a.vector_ref(i), b.vector_ref(i)));
            }
            _ => return false,
        }
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
