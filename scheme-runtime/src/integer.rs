//! Exact integers: fixnums, and bignums for everything outside the fixnum
//! range, so `+ - *` never wrap. A bignum keeps its digits in the heap
//! (`abi::TYPE_BIGNUM`): no memory outside the heap, nothing to finalize,
//! and its size counts toward collections and the heap limit. Values in the
//! fixnum range are always fixnums.

use num_bigint::{BigInt, BigUint, Sign};
use num_traits::ToPrimitive;

use crate::abi::TYPE_BIGNUM;
use crate::rt::Value;

/// An exact integer taken out of a value.
#[derive(Clone, Debug, PartialEq)]
pub enum Integer {
    /// An integer that fits an `i64` (what [`Integer::of`] gives for a fixnum).
    Fix(i64),
    /// Any exact integer (what [`Integer::of`] gives for a bignum).
    Big(BigInt),
}

impl Integer {
    /// The exact integer in `v`, or `None` if `v` is not a fixnum or bignum.
    pub fn of(v: crate::value::Value<'_>) -> Option<Integer> {
        let v = v.rt();
        if v.is_fixnum() {
            Some(Integer::Fix(v.as_fixnum()))
        } else if v.is_bignum() {
            Some(Integer::Big(bignum_value(v)))
        } else {
            None
        }
    }
    /// The integer as a `BigInt`, whichever variant holds it.
    pub fn big(self) -> BigInt {
        match self {
            Integer::Fix(n) => BigInt::from(n),
            Integer::Big(b) => b,
        }
    }
    /// Apply a checked i64 operation, falling back to bignums on overflow.
    pub fn op(
        self,
        other: Integer,
        small: fn(i64, i64) -> Option<i64>,
        big: fn(BigInt, BigInt) -> BigInt,
    ) -> Integer {
        if let (Integer::Fix(a), Integer::Fix(b)) = (&self, &other) {
            if let Some(r) = small(*a, *b) {
                return Integer::Fix(r);
            }
        }
        Integer::Big(big(self.big(), other.big()))
    }
}

/// The digits of a bignum object: (negative, little-endian u64 digits).
fn bignum_parts<'a>(v: Value) -> (bool, &'a [u64]) {
    let digits = v.header_length() - 1;
    let negative = v.word(1) != 0;
    // SAFETY: a bignum object is `[header][sign][digits...]` with
    // `header_length() - 1` digits (see `abi::TYPE_BIGNUM`); it stays
    // alive while `v` is held by the caller, and its digits never change.
    let slice = unsafe {
        std::slice::from_raw_parts(((v.0 & !crate::abi::TAG_MASK) as *const u64).add(2), digits)
    };
    (negative, slice)
}

/// The integer in a bignum object (the caller checked `is_bignum`).
pub fn bignum_value(v: Value) -> BigInt {
    let (negative, digits) = bignum_parts(v);
    // SAFETY: on a little-endian target, `n` u64 digits are `2n` u32
    // digits, least significant first (checked at compile time below);
    // u32 needs less alignment than u64.
    const _: () = assert!(cfg!(target_endian = "little"));
    let halves =
        unsafe { std::slice::from_raw_parts(digits.as_ptr().cast::<u32>(), 2 * digits.len()) };
    let magnitude = BigUint::from_slice(halves);
    BigInt::from_biguint(if negative { Sign::Minus } else { Sign::Plus }, magnitude)
}

/// Do two bignum objects hold the same integer?
pub fn bignum_eq(a: Value, b: Value) -> bool {
    bignum_parts(a) == bignum_parts(b)
}

impl<'s> crate::ctx::Ctx<'s> {
    /// The value of an integer: a fixnum when it fits, else a bignum.
    pub fn integer(&mut self, n: Integer) -> crate::value::Value<'s> {
        let ctx = self.rt();
        let n = match n {
            Integer::Fix(n) => match Value::try_fixnum(n) {
                Some(v) => return v,
                None => BigInt::from(n),
            },
            Integer::Big(b) => match b.to_i64().and_then(Value::try_fixnum) {
                Some(v) => return v,
                None => b,
            },
        };
        let digits = n.magnitude().iter_u64_digits();
        let len = digits.len() as u64;
        let v = ctx.alloc_object(TYPE_BIGNUM, 1 + len, 1 + len);
        // New: no write barrier.
        v.init_word(1, (n.sign() == Sign::Minus) as u64);
        for (i, d) in digits.enumerate() {
            v.init_word(2 + i, d);
        }
        v
    }
}
