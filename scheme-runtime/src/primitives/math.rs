//! Integer division, rounding, rational parts, exactness, powers, roots,
//! transcendental functions and number <-> string (R7RS 6.2.6).
//!
//! No complex numbers: where the real result does not exist (`(sqrt -2)`,
//! `(log -1)`, `(asin 2)`) the result is `+nan.0`. Exact arguments give
//! exact results where Chez gives them (`(exp 0)` is `1`, `(sqrt 16)` is
//! `4`, `(expt 2 -2)` is `1/4`).

use std::cmp::Ordering;

use num_bigint::BigInt;
use num_integer::Integer as _;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};

use super::numbers::{describe, integer_arg};
use crate::convert::RestSlice;
use crate::integer::Integer;
use crate::number::{self, f64_to_exact, Number};
use crate::number_syntax;
use crate::rt::Ctx;
use crate::rt::Value;
use crate::scheme_fn;

// ---- integer division ---------------------------------------------------------

/// Apply an integer division to two integers (exact, or integral
/// flonums: then the result is inexact); a zero divisor is an error.
fn divide(
    n: Number,
    d: Number,
    small: fn(i64, i64) -> Option<i64>,
    big: fn(&BigInt, &BigInt) -> BigInt,
) -> Result<Number, String> {
    if let (Number::Fix(a), Number::Fix(b)) = (&n, &d) {
        if *b != 0 {
            if let Some(r) = small(*a, *b) {
                return Ok(Number::Fix(r));
            }
        }
    }
    let inexact = !n.is_exact() || !d.is_exact();
    let (a, b) = (integer_arg(&n)?, integer_arg(&d)?);
    if b.is_zero() {
        return Err("division by zero".into());
    }
    let r = Number::Big(big(&a, &b)).normalize();
    Ok(if inexact { Number::Flo(r.to_f64()) } else { r })
}

fn floor_rem(a: i64, b: i64) -> Option<i64> {
    let r = a.checked_rem(b)?;
    Some(if r != 0 && (r < 0) != (b < 0) {
        r + b
    } else {
        r
    })
}

fn floor_div(a: i64, b: i64) -> Option<i64> {
    let q = a.checked_div(b)?;
    Some(if a % b != 0 && (a < 0) != (b < 0) {
        q - 1
    } else {
        q
    })
}

/// Integer division truncated toward zero.
#[scheme_fn]
fn quotient(n: Number, d: Number) -> Result<Number, String> {
    divide(n, d, i64::checked_div, |a, b| a / b)
}

/// Remainder of `quotient`: it has the sign of the dividend.
#[scheme_fn]
fn remainder(n: Number, d: Number) -> Result<Number, String> {
    divide(n, d, i64::checked_rem, |a, b| a % b)
}

/// Remainder with the sign of the divisor.
#[scheme_fn]
fn modulo(n: Number, d: Number) -> Result<Number, String> {
    divide(n, d, floor_rem, |a, b| a.mod_floor(b))
}

/// Quotient rounded toward zero (`quotient`).
#[scheme_fn]
fn truncate_quotient(n: Number, d: Number) -> Result<Number, String> {
    quotient(n, d)
}

/// Remainder of `truncate-quotient` (`remainder`).
#[scheme_fn]
fn truncate_remainder(n: Number, d: Number) -> Result<Number, String> {
    remainder(n, d)
}

/// Quotient rounded toward negative infinity.
#[scheme_fn]
fn floor_quotient(n: Number, d: Number) -> Result<Number, String> {
    divide(n, d, floor_div, |a, b| a.div_floor(b))
}

/// Remainder of `floor-quotient` (`modulo`).
#[scheme_fn]
fn floor_remainder(n: Number, d: Number) -> Result<Number, String> {
    modulo(n, d)
}

/// Two numbers as two values.
fn two_values(ctx: &mut Ctx, a: Number, b: Number) -> Value {
    let a = ctx.number(a);
    let b = ctx.number(b);
    ctx.values(&[a, b])
}

/// `floor-quotient` and `floor-remainder` of the arguments, as two values.
#[scheme_fn(name = "floor/")]
fn floor_slash(ctx: &mut Ctx, n: Number, d: Number) -> Result<Value, String> {
    let q = floor_quotient(n.clone(), d.clone())?;
    let r = floor_remainder(n, d)?;
    Ok(two_values(ctx, q, r))
}

/// `truncate-quotient` and `truncate-remainder` of the arguments, as two values.
#[scheme_fn(name = "truncate/")]
fn truncate_slash(ctx: &mut Ctx, n: Number, d: Number) -> Result<Value, String> {
    let q = quotient(n.clone(), d.clone())?;
    let r = remainder(n, d)?;
    Ok(two_values(ctx, q, r))
}

/// The largest `s` with `s * s <= k`, and `k - s * s`, as two values.
#[scheme_fn]
fn exact_integer_sqrt(ctx: &mut Ctx, k: Integer) -> Result<Value, String> {
    let k = k.big();
    if k.is_negative() {
        return Err(format!("expected a non-negative integer, got {k}"));
    }
    let s = k.sqrt();
    let rest = &k - &s * &s;
    Ok(two_values(ctx, Number::Big(s), Number::Big(rest)))
}

/// Fold integers (exact or integral flonums) with `op`; inexact if any is.
fn fold_integers(
    numbers: RestSlice<Number>,
    init: BigInt,
    op: fn(&BigInt, &BigInt) -> BigInt,
) -> Result<Number, String> {
    let mut acc = init;
    let mut inexact = false;
    for k in 0..numbers.values.len() {
        let n = numbers.get(k)?;
        inexact |= !n.is_exact();
        acc = op(
            &acc,
            &integer_arg(&n).map_err(|e| format!("argument {}: {e}", k + 1))?,
        );
    }
    let r = Number::Big(acc).normalize();
    Ok(if inexact { Number::Flo(r.to_f64()) } else { r })
}

/// Greatest common divisor (0 with no arguments).
#[scheme_fn]
fn gcd(numbers: RestSlice<Number>) -> Result<Number, String> {
    fold_integers(numbers, BigInt::zero(), |a, b| a.gcd(b))
}

/// Least common multiple (1 with no arguments).
#[scheme_fn]
fn lcm(numbers: RestSlice<Number>) -> Result<Number, String> {
    fold_integers(numbers, BigInt::one(), |a, b| a.lcm(b))
}

/// An exact rational argument (a finite flonum converts exactly), and
/// whether it was inexact.
fn rational_arg(n: Number) -> Result<(BigRational, bool), String> {
    let inexact = !n.is_exact();
    // Only infinities and NaN have no exact value: describe them then.
    let shown = |f: f64| describe(&Number::Flo(f));
    let exact = match n {
        Number::Flo(f) => {
            f64_to_exact(f).ok_or_else(|| format!("expected rational number, got {}", shown(f)))?
        }
        n => n,
    };
    Ok((exact.to_ratio().unwrap_or_default(), inexact))
}

fn rational_result(r: BigRational, inexact: bool) -> Number {
    let n = Number::Rat(r).normalize();
    if inexact {
        Number::Flo(n.to_f64())
    } else {
        n
    }
}

/// Numerator of the number in lowest terms.
#[scheme_fn]
fn numerator(n: Number) -> Result<Number, String> {
    let (r, inexact) = rational_arg(n)?;
    Ok(rational_result(
        BigRational::from_integer(r.numer().clone()),
        inexact,
    ))
}

/// Denominator of the number in lowest terms (always positive).
#[scheme_fn]
fn denominator(n: Number) -> Result<Number, String> {
    let (r, inexact) = rational_arg(n)?;
    Ok(rational_result(
        BigRational::from_integer(r.denom().clone()),
        inexact,
    ))
}

// ---- rounding -------------------------------------------------------------------

fn round_with(n: Number, float: fn(f64) -> f64, exact: fn(&BigRational) -> BigRational) -> Number {
    match n {
        Number::Flo(f) => Number::Flo(float(f)),
        Number::Rat(r) => Number::Rat(exact(&r)).normalize(),
        n => n,
    }
}

/// Largest integer not above the number.
#[scheme_fn]
fn floor(n: Number) -> Number {
    round_with(n, f64::floor, BigRational::floor)
}

/// Smallest integer not below the number.
#[scheme_fn]
fn ceiling(n: Number) -> Number {
    round_with(n, f64::ceil, BigRational::ceil)
}

/// The integer nearest the number toward zero.
#[scheme_fn]
fn truncate(n: Number) -> Number {
    round_with(n, f64::trunc, BigRational::trunc)
}

/// The nearest integer; halves round to even.
#[scheme_fn]
fn round(n: Number) -> Number {
    // A zero result is +0.0, as Chez gives it (`(round -0.4)` is 0.0).
    round_with(
        n,
        |f| f.round_ties_even() + 0.0,
        |r| {
            let floor = r.floor();
            let half = BigRational::new(BigInt::one(), BigInt::from(2));
            match (r - &floor).cmp(&half) {
                Ordering::Less => floor,
                Ordering::Greater => floor + BigRational::one(),
                Ordering::Equal if floor.to_integer().is_even() => floor,
                Ordering::Equal => floor + BigRational::one(),
            }
        },
    )
}

/// The simplest rational within `y` of `x`.
#[scheme_fn]
fn rationalize(x: Number, y: Number) -> Result<Number, String> {
    let inexact = !x.is_exact() || !y.is_exact();
    let (xf, yf) = (x.to_f64(), y.to_f64());
    if inexact && (xf.is_nan() || yf.is_nan()) {
        return Ok(Number::Flo(f64::NAN));
    }
    if inexact && yf.is_infinite() {
        return Ok(Number::Flo(if xf.is_infinite() { f64::NAN } else { 0.0 }));
    }
    if inexact && xf.is_infinite() {
        return Ok(Number::Flo(xf));
    }
    let (x, _) = rational_arg(x)?;
    let (y, _) = rational_arg(y)?;
    let y = y.abs();
    Ok(rational_result(
        simplest_between(&(&x - &y), &(&x + &y)),
        inexact,
    ))
}

/// The simplest rational in `[lo, hi]` (fewest digits: smallest
/// denominator, then smallest numerator).
fn simplest_between(lo: &BigRational, hi: &BigRational) -> BigRational {
    if lo.is_positive() {
        simplest_positive(lo, hi)
    } else if hi.is_negative() {
        -simplest_positive(&-hi, &-lo)
    } else {
        BigRational::zero()
    }
}

/// The simplest rational in `[lo, hi]`, 0 < lo <= hi (a continued-fraction
/// walk down the Stern-Brocot tree).
fn simplest_positive(lo: &BigRational, hi: &BigRational) -> BigRational {
    let floor = lo.floor();
    if floor == *lo {
        floor
    } else if floor < hi.floor() {
        floor + BigRational::one()
    } else {
        let inner = simplest_positive(&(hi - &floor).recip(), &(lo - &floor).recip());
        floor + inner.recip()
    }
}

// ---- exactness ----------------------------------------------------------------

/// The exact number equal to the argument.
#[scheme_fn]
fn exact(n: Number) -> Result<Number, String> {
    match n {
        Number::Flo(f) => f64_to_exact(f)
            .ok_or_else(|| format!("no exact representation for {}", describe(&Number::Flo(f)))),
        n => Ok(n),
    }
}

/// The inexact number nearest the argument.
#[scheme_fn]
fn inexact(n: Number) -> Number {
    Number::Flo(n.to_f64())
}

/// The exact number equal to the argument (`exact`).
#[scheme_fn(name = "inexact->exact")]
fn inexact_to_exact(n: Number) -> Result<Number, String> {
    exact(n)
}

/// The inexact number nearest the argument (`inexact`).
#[scheme_fn(name = "exact->inexact")]
fn exact_to_inexact(n: Number) -> Number {
    inexact(n)
}

// ---- powers and roots ------------------------------------------------------------

/// The number times itself.
#[scheme_fn]
fn square(n: Number) -> Number {
    number::mul(n.clone(), n)
}

/// The exact square root of a non-negative exact integer, if it has one.
fn exact_sqrt(n: &BigInt) -> Option<BigInt> {
    let r = n.sqrt();
    (&r * &r == *n).then_some(r)
}

/// Square root: exact for exact perfect squares (and ratios of them);
/// `+nan.0` for negative numbers (no complex numbers).
#[scheme_fn]
fn sqrt(n: Number) -> Number {
    if n.is_exact() && n.sign() != Some(Ordering::Less) {
        if let Some(r) = n.to_ratio() {
            if let (Some(a), Some(b)) = (exact_sqrt(r.numer()), exact_sqrt(r.denom())) {
                return Number::Rat(BigRational::new(a, b)).normalize();
            }
        }
    }
    let f = n.to_f64();
    match n.scaled() {
        // Beyond the range of doubles: sqrt(m * 2^e) = sqrt(m * 2^(e mod 2)) * 2^(e div 2).
        Some((m, e))
            if n.is_exact() && (f.is_infinite() || f.abs() < f64::MIN_POSITIVE) && m > 0.0 =>
        {
            let (m, e) = if e % 2 != 0 { (m * 2.0, e - 1) } else { (m, e) };
            Number::Flo(m.sqrt() * 2f64.powi((e / 2) as i32))
        }
        _ => Number::Flo(f.sqrt()),
    }
}

/// `base` raised to `power`: exact for an exact base and an exact integer
/// power.
#[scheme_fn]
fn expt(base: Number, power: Number) -> Result<Number, String> {
    if power == Number::Fix(0) {
        return Ok(Number::Fix(1));
    }
    // An integer to a small non-negative power: no ratio, no gcd.
    if let (Number::Fix(_) | Number::Big(_), Number::Fix(e @ 1..=0x3ff_ffff)) = (&base, &power) {
        let e = *e as u32;
        if let Number::Fix(b) = base {
            if let Some(r) = b.checked_pow(e) {
                return Ok(Number::Fix(r));
            }
        }
        let b = base.into_bigint().unwrap_or_default();
        return Ok(Number::Big(num_traits::pow(b, e as usize)).normalize());
    }
    if let (true, Some(e)) = (
        base.is_exact(),
        power.to_bigint().filter(|_| power.is_exact()),
    ) {
        let b = base.to_ratio().unwrap_or_default();
        if b.is_zero() {
            return if e.is_negative() {
                Err("division by zero".into())
            } else {
                Ok(Number::Fix(0))
            };
        }
        if b.is_one() {
            return Ok(Number::Fix(1));
        }
        if b == -BigRational::one() {
            return Ok(Number::Fix(if e.is_even() { 1 } else { -1 }));
        }
        let e_small = e
            .abs()
            .to_usize()
            .filter(|e| *e <= 1 << 26)
            .ok_or_else(|| format!("exponent {e} is too large"))?;
        // Numerator and denominator separately: powers of coprime numbers
        // are coprime, so no step needs the gcd that multiplying ratios
        // computes (it was most of the time of a 500-digit `(expt 100 n)`).
        let r = BigRational::new_raw(
            num_traits::pow(b.numer().clone(), e_small),
            num_traits::pow(b.denom().clone(), e_small),
        );
        return Ok(Number::Rat(if e.is_negative() { r.recip() } else { r }).normalize());
    }
    // A flonum to an integer power too: C's `pow`, correctly rounded where
    // repeated multiplication (`powi`) is not; Chez Scheme gives the same.
    Ok(Number::Flo(base.to_f64().powf(power.to_f64())))
}

// ---- transcendental functions ---------------------------------------------------

/// `f` of the argument, or `exact` where the argument is the exact `at`
/// (as `(exp 0)` is exactly 1).
fn transcendental(n: Number, at: i64, exact: i64, f: fn(f64) -> f64) -> Number {
    if n == Number::Fix(at) {
        Number::Fix(exact)
    } else {
        Number::Flo(f(n.to_f64()))
    }
}

/// e to the power of the argument.
#[scheme_fn]
fn exp(n: Number) -> Number {
    transcendental(n, 0, 1, f64::exp)
}

/// Natural logarithm, or the logarithm in base `base`.
#[scheme_fn]
fn log(n: Number, base: Option<Number>) -> Result<Number, String> {
    if n == Number::Fix(0) {
        return Err("undefined for 0".into());
    }
    let ln = |n: &Number| {
        let f = n.to_f64();
        match n.scaled() {
            _ if *n == Number::Fix(1) => Number::Fix(0),
            // Beyond the range of doubles: ln(m * 2^e) = ln(m) + e ln(2).
            Some((m, e)) if (f.is_infinite() || f.abs() < f64::MIN_POSITIVE) && m > 0.0 => {
                Number::Flo(m.ln() + e as f64 * std::f64::consts::LN_2)
            }
            _ => Number::Flo(f.ln()),
        }
    };
    match base {
        None => Ok(ln(&n)),
        Some(Number::Fix(0)) => Err("undefined for base 0".into()),
        Some(b) => number::div(ln(&n), ln(&b)).map_err(String::from),
    }
}

/// Sine (radians).
#[scheme_fn]
fn sin(n: Number) -> Number {
    transcendental(n, 0, 0, f64::sin)
}

/// Cosine (radians).
#[scheme_fn]
fn cos(n: Number) -> Number {
    transcendental(n, 0, 1, f64::cos)
}

/// Tangent (radians).
#[scheme_fn]
fn tan(n: Number) -> Number {
    transcendental(n, 0, 0, f64::tan)
}

/// Arcsine.
#[scheme_fn]
fn asin(n: Number) -> Number {
    transcendental(n, 0, 0, f64::asin)
}

/// Arccosine.
#[scheme_fn]
fn acos(n: Number) -> Number {
    transcendental(n, 1, 0, f64::acos)
}

/// Arctangent of `y`, or the angle of the point (`x`, `y`).
#[scheme_fn]
fn atan(y: Number, x: Option<Number>) -> Result<Number, String> {
    match x {
        None => Ok(transcendental(y, 0, 0, f64::atan)),
        Some(x) => {
            if y == Number::Fix(0) && x == Number::Fix(0) {
                return Err("undefined for 0 and 0".into());
            }
            if y == Number::Fix(0) && x.is_exact() && x.sign() == Some(Ordering::Greater) {
                return Ok(Number::Fix(0));
            }
            Ok(Number::Flo(y.to_f64().atan2(x.to_f64())))
        }
    }
}

// ---- text ----------------------------------------------------------------------

fn check_radix(radix: Option<u32>) -> Result<u32, String> {
    match radix.unwrap_or(10) {
        r @ (2 | 8 | 10 | 16) => Ok(r),
        r => Err(format!("radix must be 2, 8, 10 or 16, got {r}")),
    }
}

/// The written form of a number, in an optional radix (2, 8, 10 or 16).
#[scheme_fn(name = "number->string")]
fn number_to_string(n: Number, radix: Option<u32>) -> Result<String, String> {
    Ok(number_syntax::format(&n, check_radix(radix)?))
}

/// The number a string spells (in an optional radix), or #f.
#[scheme_fn(name = "string->number")]
fn string_to_number(s: &str, radix: Option<u32>) -> Result<Option<Number>, String> {
    Ok(number_syntax::parse(s, check_radix(radix)?))
}
