//! Equivalence predicates and type predicates of general use.

use super::primitive;
use crate::integer::bignum_ref;
use crate::text::string_str;
use crate::value::{Kind, Value};

/// `eqv?`: identity, which for fixnums and characters is value equality.
pub fn eqv(a: Value, b: Value) -> bool {
    a == b || (a.is_bignum() && b.is_bignum() && bignum_ref(a) == bignum_ref(b))
}

/// `equal?`: structural equality of pairs, vectors and strings.
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
            (Kind::Vector, Kind::Vector) => {
                let n = a.header_length();
                return n == b.header_length()
                    && (0..n).all(|i| equal(a.vector_ref(i), b.vector_ref(i)));
            }
            _ => return false,
        }
    }
}

primitive!(
    "eq?",
    scm_p_eq_p,
    2,
    2,
    "Are the two values the same object?",
    |_ctx, args| Value::bool(args[0] == args[1])
);
primitive!(
    "eqv?",
    scm_p_eqv_p,
    2,
    2,
    "Are the two values equivalent?",
    |_ctx, args| Value::bool(eqv(args[0], args[1]))
);
primitive!(
    "equal?",
    scm_p_equal_p,
    2,
    2,
    "Are the two values structurally equal?",
    |_ctx, args| Value::bool(equal(args[0], args[1]))
);
primitive!(
    "not",
    scm_p_not,
    1,
    1,
    "#t for #f, else #f.",
    |_ctx, args| Value::bool(args[0] == Value::FALSE)
);
primitive!(
    "boolean?",
    scm_p_boolean_p,
    1,
    1,
    "Is the value #t or #f?",
    |_ctx, args| Value::bool(args[0].kind() == Kind::Boolean)
);
primitive!(
    "procedure?",
    scm_p_procedure_p,
    1,
    1,
    "Is the value a procedure?",
    |_ctx, args| Value::bool(args[0].is_closure())
);
primitive!(
    "symbol?",
    scm_p_symbol_p,
    1,
    1,
    "Is the value a symbol?",
    |_ctx, args| Value::bool(args[0].is_symbol())
);
primitive!(
    "string?",
    scm_p_string_p,
    1,
    1,
    "Is the value a string?",
    |_ctx, args| Value::bool(args[0].is_string())
);
primitive!(
    "char?",
    scm_p_char_p,
    1,
    1,
    "Is the value a character?",
    |_ctx, args| Value::bool(args[0].is_char())
);
primitive!(
    "vector?",
    scm_p_vector_p,
    1,
    1,
    "Is the value a vector?",
    |_ctx, args| Value::bool(args[0].is_vector())
);
