//! Exact integers: fixnums, and bignums for everything outside the fixnum
//! range, so `+ - *` never wrap. A bignum object is `[header][*mut BigInt]`;
//! values in the fixnum range are always fixnums.

use num_bigint::BigInt;
use num_traits::ToPrimitive;

use crate::abi::TYPE_BIGNUM;
use crate::ctx::Ctx;
use crate::value::Value;

/// An exact integer taken out of a value.
#[derive(Clone, Debug, PartialEq)]
pub enum Integer {
    Fix(i64),
    Big(BigInt),
}

impl Integer {
    pub fn of(v: Value) -> Option<Integer> {
        if v.is_fixnum() {
            Some(Integer::Fix(v.as_fixnum()))
        } else if v.is_bignum() {
            Some(Integer::Big(bignum_ref(v).clone()))
        } else {
            None
        }
    }
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

/// The bignum inside a bignum object.
pub fn bignum_ref<'a>(v: Value) -> &'a BigInt {
    // SAFETY: word 1 of a bignum object is a leaked `Box<BigInt>` that
    // lives as long as the object.
    unsafe { &*(v.word(1) as *const BigInt) }
}

impl Ctx {
    /// The value of an integer: a fixnum when it fits, else a bignum.
    pub fn integer(&mut self, n: Integer) -> Value {
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
        let v = self.alloc_object(TYPE_BIGNUM, 0, 1);
        v.set_word(1, Box::into_raw(Box::new(n)) as u64);
        v
    }
}
