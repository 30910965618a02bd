//! The numeric tower (R7RS 6.2, real numbers): exact integers (fixnums and
//! bignums), exact rationals (ratnums, always in lowest terms with a
//! denominator above 1) and inexact reals (flonums, IEEE doubles).
//!
//! [`Number`] is a number taken out of a value; the arithmetic below works
//! on it with the usual contagion: an inexact operand makes the result
//! inexact (except that exact 0 times anything is exact 0, as in Chez);
//! exact operands give an exact, normalised result. Comparisons are exact
//! even between an exact and an inexact operand, as R7RS requires
//! (`(= 1/3 0.3333333333333333)` is `#f`), so they stay transitive.

use std::cmp::Ordering;

use num_bigint::{BigInt, Sign};
use num_integer::Integer as _;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};

use crate::abi::{FLONUM_SIZE, TAG_FLONUM, TYPE_FLONUM, TYPE_RATNUM};
use crate::integer::{bignum_value, Integer};
use crate::rt::Value;

/// A number taken out of a value (or about to become one).
#[derive(Clone, Debug, PartialEq)]
pub enum Number {
    /// An exact integer that fits an `i64` (not only the fixnum range).
    Fix(i64),
    /// Any exact integer.
    Big(BigInt),
    /// Any exact rational.
    Rat(BigRational),
    /// An inexact real.
    Flo(f64),
}

use Number::*;

impl Number {
    /// The number in `v`, or `None` if `v` is not a number.
    #[inline]
    pub fn of(v: crate::value::Value<'_>) -> Option<Number> {
        let v = v.rt();
        if v.is_fixnum() {
            Some(Fix(v.as_fixnum()))
        } else if v.is_flonum() {
            Some(Flo(v.as_flonum()))
        } else if v.is_bignum() {
            Some(Big(bignum_value(v)))
        } else if v.is_ratnum() {
            let part = |i| {
                Integer::of(Value::from_bits(v.word(i))).map_or_else(BigInt::zero, Integer::big)
            };
            Some(Rat(BigRational::new_raw(part(1), part(2))))
        } else {
            None
        }
    }

    /// Is it exact (anything but a flonum)?
    pub fn is_exact(&self) -> bool {
        !matches!(self, Flo(_))
    }

    /// Is it an integer (an exact one, or a flonum with no fraction)?
    pub fn is_integer(&self) -> bool {
        match self {
            Fix(_) | Big(_) => true,
            Rat(r) => r.is_integer(),
            Flo(f) => f.is_finite() && f.fract() == 0.0,
        }
    }

    /// Is it an exact integer (a `Rat` with denominator 1 counts)?
    pub fn is_exact_integer(&self) -> bool {
        matches!(self, Fix(_) | Big(_)) || matches!(self, Rat(r) if r.is_integer())
    }

    /// The sign of the number; `None` for NaN.
    pub fn sign(&self) -> Option<Ordering> {
        match self {
            Fix(n) => Some(n.cmp(&0)),
            Big(b) => Some(b.sign_cmp()),
            Rat(r) => Some(r.numer().sign_cmp()),
            Flo(f) => f.partial_cmp(&0.0),
        }
    }

    /// The nearest double (correctly rounded for exact numbers).
    pub fn to_f64(&self) -> f64 {
        match self {
            Fix(n) => *n as f64,
            Big(b) => ratio_to_f64(b, &BigInt::one()),
            Rat(r) => ratio_to_f64(r.numer(), r.denom()),
            Flo(f) => *f,
        }
    }

    /// A positive exact number as `m * 2^e` with `m` in [0.5, 2), for
    /// functions of numbers beyond the range of doubles.
    pub fn scaled(&self) -> Option<(f64, i64)> {
        let r = self.to_ratio()?;
        let (n, d) = (r.numer(), r.denom());
        let e = n.bits() as i64 - d.bits() as i64;
        let m = if e >= 0 {
            ratio_to_f64(n, &(d << e as usize))
        } else {
            ratio_to_f64(&(n << (-e) as usize), d)
        };
        Some((m, e))
    }

    /// The exact number equal to this one; `None` for infinities and NaN.
    pub fn to_exact(self) -> Option<Number> {
        match self {
            Flo(f) => f64_to_exact(f),
            n => Some(n),
        }
    }

    /// An exact integer as a `BigInt` (`None` for anything else), moved
    /// out rather than copied.
    pub fn into_bigint(self) -> Option<BigInt> {
        match self {
            Big(b) => Some(b),
            n => n.to_bigint(),
        }
    }

    /// An exact integer as a `BigInt` (`None` for anything else).
    pub fn to_bigint(&self) -> Option<BigInt> {
        match self {
            Fix(n) => Some(BigInt::from(*n)),
            Big(b) => Some(b.clone()),
            Rat(r) if r.is_integer() => Some(r.to_integer()),
            _ => None,
        }
    }

    /// An exact number as a rational (`None` for a flonum).
    pub fn to_ratio(&self) -> Option<BigRational> {
        match self {
            Fix(n) => Some(BigRational::from_integer(BigInt::from(*n))),
            Big(b) => Some(BigRational::from_integer(b.clone())),
            Rat(r) => Some(r.clone()),
            Flo(_) => None,
        }
    }

    /// The simplest form: integers that fit an `i64` as `Fix`, integral
    /// rationals as integers.
    pub fn normalize(self) -> Number {
        match self {
            Big(b) => match b.to_i64() {
                Some(n) => Fix(n),
                None => Big(b),
            },
            Rat(r) if r.is_integer() => Big(r.to_integer()).normalize(),
            n => n,
        }
    }
}

/// Ordering of a `BigInt` against zero.
trait SignCmp {
    fn sign_cmp(&self) -> Ordering;
}
impl SignCmp for BigInt {
    fn sign_cmp(&self) -> Ordering {
        match self.sign() {
            Sign::Minus => Ordering::Less,
            Sign::NoSign => Ordering::Equal,
            Sign::Plus => Ordering::Greater,
        }
    }
}

impl<'s> crate::ctx::Ctx<'s> {
    /// A fresh flonum.
    #[inline]
    pub fn flonum(&mut self, f: f64) -> crate::value::Value<'s> {
        let ctx = self.rt();
        let p = ctx.alloc(FLONUM_SIZE);
        // SAFETY: `p` points at two fresh words.
        unsafe {
            *p = crate::abi::header(TYPE_FLONUM, 0);
            *p.add(1) = f.to_bits();
        }
        ctx.hold(Value::from_bits(p as u64 | TAG_FLONUM))
    }

    /// The value of a number, normalised (see [`Number::normalize`]).
    pub fn number(&mut self, n: Number) -> crate::value::Value<'s> {
        let ctx = self.rt();
        match n.normalize() {
            Fix(n) => ctx.integer(Integer::Fix(n)),
            Big(b) => ctx.integer(Integer::Big(b)),
            Flo(f) => ctx.flonum(f),
            Rat(r) => {
                let (numer, denom) = r.into_raw();
                let numer = ctx.integer(Integer::Big(numer));
                let denom = ctx.integer(Integer::Big(denom));
                let v = ctx.alloc_object(TYPE_RATNUM, 0, 2);
                v.init_word(1, numer.0);
                v.init_word(2, denom.0);
                v
            }
        }
    }
}

// ---- arithmetic ---------------------------------------------------------------

/// How two operands combine: both `i64`, both exact integers, both exact,
/// or inexact.
enum Pair2 {
    Small(i64, i64),
    Integers(BigInt, BigInt),
    Ratios(BigRational, BigRational),
    Floats(f64, f64),
}

fn pair(a: Number, b: Number) -> Pair2 {
    match (a, b) {
        (Fix(x), Fix(y)) => Pair2::Small(x, y),
        (Flo(x), y) => Pair2::Floats(x, y.to_f64()),
        (x, Flo(y)) => Pair2::Floats(x.to_f64(), y),
        (x @ (Fix(_) | Big(_)), y @ (Fix(_) | Big(_))) => Pair2::Integers(
            x.into_bigint().unwrap_or_default(),
            y.into_bigint().unwrap_or_default(),
        ),
        (x, y) => Pair2::Ratios(
            x.to_ratio().unwrap_or_default(),
            y.to_ratio().unwrap_or_default(),
        ),
    }
}

fn arith(
    a: Number,
    b: Number,
    small: fn(i64, i64) -> Option<i64>,
    exact: fn(BigRational, BigRational) -> BigRational,
    integer: fn(BigInt, BigInt) -> BigInt,
    float: fn(f64, f64) -> f64,
) -> Number {
    match pair(a, b) {
        Pair2::Small(x, y) => match small(x, y) {
            Some(r) => Fix(r),
            None => Big(integer(BigInt::from(x), BigInt::from(y))).normalize(),
        },
        Pair2::Integers(x, y) => Big(integer(x, y)).normalize(),
        Pair2::Ratios(x, y) => Rat(exact(x, y)).normalize(),
        Pair2::Floats(x, y) => Flo(float(x, y)),
    }
}

/// `-n` (`-0.0` for `0.0`).
pub fn negate(n: Number) -> Number {
    match n {
        Flo(f) => Flo(-f),
        n => sub(Fix(0), n),
    }
}

pub fn add(a: Number, b: Number) -> Number {
    // Exact 0 is the identity (as in Chez: `(+ 0 -0.0)` is -0.0).
    if a == Fix(0) {
        return b;
    }
    if b == Fix(0) {
        return a;
    }
    // A bignum and a fixnum: no bignum made of the fixnum.
    let (a, b) = match (a, b) {
        (Big(x), Fix(y)) | (Fix(y), Big(x)) => return Big(x + y).normalize(),
        ab => ab,
    };
    arith(
        a,
        b,
        i64::checked_add,
        |x, y| x + y,
        |x, y| x + y,
        |x, y| x + y,
    )
}

pub fn sub(a: Number, b: Number) -> Number {
    if b == Fix(0) {
        return a;
    }
    if let (Fix(0), Flo(f)) = (&a, &b) {
        return Flo(-f);
    }
    let (a, b) = match (a, b) {
        (Big(x), Fix(y)) => return Big(x - y).normalize(),
        (Fix(x), Big(y)) => return Big(x - y).normalize(),
        ab => ab,
    };
    arith(
        a,
        b,
        i64::checked_sub,
        |x, y| x - y,
        |x, y| x - y,
        |x, y| x - y,
    )
}

pub fn mul(a: Number, b: Number) -> Number {
    // Exact zero times anything is exact zero (as in Chez).
    if a == Fix(0) || b == Fix(0) {
        return Fix(0);
    }
    let (a, b) = match (a, b) {
        (Big(x), Fix(y)) | (Fix(y), Big(x)) => return Big(x * y).normalize(),
        ab => ab,
    };
    arith(
        a,
        b,
        i64::checked_mul,
        |x, y| x * y,
        |x, y| x * y,
        |x, y| x * y,
    )
}

/// `a / b`; an exact zero divisor of an exact dividend is an error (an
/// inexact dividend gives an infinity or NaN, as in Chez).
pub fn div(a: Number, b: Number) -> Result<Number, &'static str> {
    if a.is_exact() && b.is_exact() && b.sign() == Some(Ordering::Equal) {
        return Err("division by zero");
    }
    Ok(match pair(a, b) {
        Pair2::Floats(x, y) => Flo(x / y),
        Pair2::Small(x, y) if y != 0 && x % y == 0 && x.checked_div(y).is_some() => Fix(x / y),
        Pair2::Small(x, y) => Rat(BigRational::new(x.into(), y.into())).normalize(),
        Pair2::Integers(x, y) => Rat(BigRational::new(x, y)).normalize(),
        Pair2::Ratios(x, y) => Rat(x / y).normalize(),
    })
}

/// Numeric order; `None` when either is NaN. Exact and inexact operands
/// are compared exactly.
pub fn compare(a: &Number, b: &Number) -> Option<Ordering> {
    match (a, b) {
        (Fix(x), Fix(y)) => Some(x.cmp(y)),
        (Flo(x), Flo(y)) => x.partial_cmp(y),
        (Flo(x), y) => compare_float_exact(*x, y),
        (x, Flo(y)) => compare_float_exact(*y, x).map(Ordering::reverse),
        (x, y) => {
            if let (Some(x), Some(y)) = (x.to_bigint(), y.to_bigint()) {
                return Some(x.cmp(&y));
            }
            Some(x.to_ratio()?.cmp(&y.to_ratio()?))
        }
    }
}

/// Order of the double `x` against the exact `y`, without rounding `y`.
fn compare_float_exact(x: f64, y: &Number) -> Option<Ordering> {
    if x.is_nan() {
        return None;
    }
    if x.is_infinite() {
        return Some(if x > 0.0 {
            Ordering::Greater
        } else {
            Ordering::Less
        });
    }
    // Small integers convert to doubles exactly.
    if let Fix(n) = y {
        if n.unsigned_abs() <= 1 << 53 {
            return x.partial_cmp(&(*n as f64));
        }
    }
    let x = f64_to_exact(x)?;
    compare(&x, y)
}

// ---- conversions between exact and inexact ----------------------------------

/// The exact value of a finite double; `None` for infinities and NaN.
pub fn f64_to_exact(f: f64) -> Option<Number> {
    if !f.is_finite() {
        return None;
    }
    if f.fract() == 0.0 && f.abs() < 9.2e18 {
        return Some(Fix(f as i64));
    }
    let bits = f.to_bits();
    let negative = bits >> 63 != 0;
    let exponent = ((bits >> 52) & 0x7ff) as i64;
    let fraction = bits & ((1 << 52) - 1);
    // value = mantissa * 2^power
    let (mantissa, power) = if exponent == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1 << 52), exponent - 1075)
    };
    let mut m = BigInt::from(mantissa);
    if negative {
        m = -m;
    }
    let n = if power >= 0 {
        Big(m << power as usize)
    } else {
        Rat(BigRational::new(m, BigInt::one() << (-power) as usize))
    };
    Some(n.normalize())
}

/// The double nearest to `n / d` (`d` > 0), rounded to nearest, ties to
/// even, also where the result is subnormal or overflows.
pub fn ratio_to_f64(n: &BigInt, d: &BigInt) -> f64 {
    if n.is_zero() {
        return 0.0;
    }
    let negative = n.is_negative() != d.is_negative();
    let (n, d) = (n.abs(), d.abs());
    // Scale so that the quotient has at least 55 bits: q = n * 2^shift / d.
    let shift = 55 - (n.bits() as i64 - d.bits() as i64);
    let (q, r) = if shift >= 0 {
        (n << shift as usize).div_rem(&d)
    } else {
        n.div_rem(&(d << (-shift) as usize))
    };
    let sticky = !r.is_zero();
    let bits = q.bits() as i64;
    // The value is q * 2^-shift, with q in [2^(bits-1), 2^bits).
    let exponent = bits - 1 - shift;
    if exponent > 1023 {
        return if negative {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        };
    }
    // Keep 53 significant bits, fewer for subnormals.
    let precision = if exponent < -1022 {
        53 - (-1022 - exponent)
    } else {
        53
    };
    if precision < 0 {
        return if negative { -0.0 } else { 0.0 };
    }
    let drop = (bits - precision) as usize;
    let mut m = (&q >> drop).to_u64().unwrap_or(0);
    let half = BigInt::one() << (drop - 1);
    let rest = &q & ((BigInt::one() << drop) - 1u32);
    let round_up = match rest.cmp(&half) {
        Ordering::Greater => true,
        Ordering::Equal => sticky || m & 1 == 1,
        Ordering::Less => false,
    };
    if round_up {
        m += 1;
    }
    // m * 2^(drop - shift) is representable (or overflows to infinity);
    // scale in two exact steps so no intermediate power underflows.
    let scale = drop as i64 - shift;
    let mut f = m as f64;
    let half_scale = scale / 2;
    f *= 2f64.powi(half_scale as i32);
    f *= 2f64.powi((scale - half_scale) as i32);
    if negative {
        -f
    } else {
        f
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratio_to_f64_is_correctly_rounded() {
        let cases: [(i64, i64); 6] = [
            (1, 3),
            (2, 3),
            (1, 10),
            (-7, 2),
            (1, 1 << 62),
            (123456789, 1000),
        ];
        for (n, d) in cases {
            assert_eq!(
                ratio_to_f64(&BigInt::from(n), &BigInt::from(d)),
                n as f64 / d as f64
            );
        }
        // Doubles round-trip through their exact value.
        for f in [
            0.1,
            5e-324,
            2.2250738585072014e-308,
            1.7976931348623157e308,
            1e-310,
            3.5,
        ] {
            let Some(x) = f64_to_exact(f) else { panic!() };
            assert_eq!(x.to_f64(), f, "{f}");
        }
        // Halfway between two doubles: ties to even.
        let two53 = BigInt::one() << 53;
        assert_eq!(
            ratio_to_f64(&(&two53 + 1), &BigInt::one()),
            9007199254740992.0
        );
        assert_eq!(
            ratio_to_f64(&(&two53 + 3), &BigInt::one()),
            9007199254740996.0
        );
        assert_eq!(
            ratio_to_f64(&(BigInt::one() << 1024), &BigInt::one()),
            f64::INFINITY
        );
    }
}
