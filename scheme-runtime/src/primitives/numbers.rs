//! Arithmetic, comparison and the numeric predicates (R7RS 6.2.6) over the
//! whole tower. Fixnums take a fast path; everything else goes through
//! [`Number`] (`number.rs`), with exactness contagion.

use std::cmp::Ordering;

use crate::convert::RestSlice;
use crate::number::{self, Number};
use crate::rt::Value;
use crate::scheme_fn;

/// Fold `numbers` from `init`: machine arithmetic while every operand is a
/// fixnum and nothing overflows, [`Number`] arithmetic from there on.
fn fold(
    init: Number,
    numbers: &RestSlice<Number>,
    small: fn(i64, i64) -> Option<i64>,
    general: fn(Number, Number) -> Number,
) -> Result<Number, String> {
    let mut i = 0;
    let mut acc = init;
    if let Number::Fix(mut fast) = acc {
        while i < numbers.values.len() {
            let v = numbers.values[i];
            match (v.is_fixnum(), small(fast, v.as_fixnum())) {
                (true, Some(r)) => fast = r,
                _ => break,
            }
            i += 1;
        }
        acc = Number::Fix(fast);
    }
    for k in i..numbers.values.len() {
        acc = general(acc, numbers.get(k)?);
    }
    Ok(acc)
}

/// Sum of the arguments.
#[scheme_fn(name = "+")]
fn add(numbers: RestSlice<Number>) -> Result<Number, String> {
    fold(Number::Fix(0), &numbers, i64::checked_add, number::add)
}

/// Product of the arguments.
#[scheme_fn(name = "*")]
fn multiply(numbers: RestSlice<Number>) -> Result<Number, String> {
    fold(Number::Fix(1), &numbers, i64::checked_mul, number::mul)
}

/// Difference of the arguments, or the negation of one.
#[scheme_fn(name = "-")]
fn subtract(first: Number, rest: RestSlice<Number>) -> Result<Number, String> {
    if rest.values.is_empty() {
        return Ok(number::negate(first));
    }
    fold(first, &rest, i64::checked_sub, number::sub)
}

/// Quotient of the arguments, or the reciprocal of one; an exact zero
/// divisor is an error, an inexact one gives an infinity or NaN.
#[scheme_fn(name = "/")]
fn divide(first: Number, rest: RestSlice<Number>) -> Result<Number, String> {
    if rest.values.is_empty() {
        return number::div(Number::Fix(1), first).map_err(String::from);
    }
    let mut acc = first;
    for k in 0..rest.values.len() {
        acc = number::div(acc, rest.get(k)?).map_err(String::from)?;
    }
    Ok(acc)
}

/// Absolute value.
#[scheme_fn]
pub(super) fn abs(n: Number) -> Number {
    match n {
        Number::Flo(f) => Number::Flo(f.abs()),
        n if n.sign() == Some(Ordering::Less) => number::sub(Number::Fix(0), n),
        n => n,
    }
}

/// The extreme of the arguments (`keep` says when the new one wins); an
/// inexact argument makes the result inexact, a NaN makes it NaN.
fn extreme(first: Number, rest: RestSlice<Number>, wins: Ordering) -> Result<Number, String> {
    let mut best = first;
    let mut inexact = !best.is_exact();
    for k in 0..rest.values.len() {
        let n = rest.get(k)?;
        inexact |= !n.is_exact();
        match number::compare(&n, &best) {
            Some(o) if o == wins => best = n,
            Some(_) => {}
            None => best = Number::Flo(f64::NAN),
        }
        if matches!(best, Number::Flo(f) if f.is_nan()) {
            // Keep checking the types of the rest.
            for j in k + 1..rest.values.len() {
                rest.get(j)?;
            }
            break;
        }
    }
    Ok(if inexact {
        Number::Flo(best.to_f64())
    } else {
        best
    })
}

/// Smallest argument.
#[scheme_fn]
fn min(first: Number, rest: RestSlice<Number>) -> Result<Number, String> {
    if let Number::Fix(mut b) = first {
        if rest.values.iter().all(|v| v.is_fixnum()) {
            rest.values.iter().for_each(|v| b = b.min(v.as_fixnum()));
            return Ok(Number::Fix(b));
        }
    }
    extreme(first, rest, Ordering::Less)
}

/// Largest argument.
#[scheme_fn]
fn max(first: Number, rest: RestSlice<Number>) -> Result<Number, String> {
    if let Number::Fix(mut b) = first {
        if rest.values.iter().all(|v| v.is_fixnum()) {
            rest.values.iter().for_each(|v| b = b.max(v.as_fixnum()));
            return Ok(Number::Fix(b));
        }
    }
    extreme(first, rest, Ordering::Greater)
}

/// Do `ok` hold between each argument and the next? Every argument is
/// checked to be a number, even after the answer is known.
fn chain(first: Number, rest: RestSlice<Number>, ok: fn(Ordering) -> bool) -> Result<bool, String> {
    let mut result = true;
    let mut prev = first;
    for k in 0..rest.values.len() {
        let n = rest.get(k)?;
        if result {
            result = number::compare(&prev, &n).is_some_and(ok);
        }
        prev = n;
    }
    Ok(result)
}

/// Are all arguments equal?
#[scheme_fn(name = "=")]
fn num_eq(first: Number, rest: RestSlice<Number>) -> Result<bool, String> {
    chain(first, rest, Ordering::is_eq)
}

/// Are the arguments strictly increasing?
#[scheme_fn(name = "<")]
fn less(first: Number, rest: RestSlice<Number>) -> Result<bool, String> {
    chain(first, rest, Ordering::is_lt)
}

/// Are the arguments strictly decreasing?
#[scheme_fn(name = ">")]
fn greater(first: Number, rest: RestSlice<Number>) -> Result<bool, String> {
    chain(first, rest, Ordering::is_gt)
}

/// Are the arguments non-decreasing?
#[scheme_fn(name = "<=")]
fn less_or_equal(first: Number, rest: RestSlice<Number>) -> Result<bool, String> {
    chain(first, rest, Ordering::is_le)
}

/// Are the arguments non-increasing?
#[scheme_fn(name = ">=")]
fn greater_or_equal(first: Number, rest: RestSlice<Number>) -> Result<bool, String> {
    chain(first, rest, Ordering::is_ge)
}

/// Is the number zero?
#[scheme_fn]
fn is_zero(n: Number) -> bool {
    n.sign() == Some(Ordering::Equal)
}

/// Is the number above zero?
#[scheme_fn]
fn is_positive(n: Number) -> bool {
    n.sign() == Some(Ordering::Greater)
}

/// Is the number below zero?
#[scheme_fn]
fn is_negative(n: Number) -> bool {
    n.sign() == Some(Ordering::Less)
}

/// An integer argument (exact, or an integral flonum) as an exact integer.
pub(crate) fn integer_arg(n: &Number) -> Result<num_bigint::BigInt, String> {
    match n {
        Number::Flo(f) if n.is_integer() => Ok(crate::number::f64_to_exact(*f)
            .and_then(|x| x.to_bigint())
            .unwrap_or_default()),
        n => n
            .to_bigint()
            .ok_or_else(|| format!("expected integer, got {}", describe(n))),
    }
}

/// The written form of a number, for error messages.
pub(crate) fn describe(n: &Number) -> String {
    crate::number_syntax::format(n, 10)
}

/// Is the integer even?
#[scheme_fn]
fn is_even(n: Number) -> Result<bool, String> {
    match n {
        Number::Fix(i) => Ok(i % 2 == 0),
        n => Ok(integer_arg(&n)? % 2u32 == num_bigint::BigInt::ZERO),
    }
}

/// Is the integer odd?
#[scheme_fn]
fn is_odd(n: Number) -> Result<bool, String> {
    is_even(n).map(|even| !even)
}

/// Is the value a number?
#[scheme_fn]
fn is_number(v: Value) -> bool {
    v.is_number()
}

/// Is the value a complex number (any number: there are no non-real ones)?
#[scheme_fn(name = "complex?")]
fn is_complex(v: Value) -> bool {
    v.is_number()
}

/// Is the value a real number (any number)?
#[scheme_fn(name = "real?")]
fn is_real(v: Value) -> bool {
    v.is_number()
}

/// Is the value a rational number (exact, or a finite flonum)?
#[scheme_fn(name = "rational?")]
fn is_rational(v: Value) -> bool {
    match Number::of(v) {
        Some(Number::Flo(f)) => f.is_finite(),
        Some(_) => true,
        None => false,
    }
}

/// Is the value an integer (exact, or a flonum without fraction)?
#[scheme_fn]
fn is_integer(v: Value) -> bool {
    v.is_integer() || (v.is_flonum() && Number::Flo(v.as_flonum()).is_integer())
}

/// Is the value an exact integer?
#[scheme_fn]
fn is_exact_integer(v: Value) -> bool {
    v.is_integer()
}

/// Is the number exact?
#[scheme_fn]
fn is_exact(n: Number) -> bool {
    n.is_exact()
}

/// Is the number inexact?
#[scheme_fn]
fn is_inexact(n: Number) -> bool {
    !n.is_exact()
}

/// Is the number neither infinite nor NaN?
#[scheme_fn]
fn is_finite(n: Number) -> bool {
    n.to_f64().is_finite() || n.is_exact()
}

/// Is the number +inf.0 or -inf.0?
#[scheme_fn]
fn is_infinite(n: Number) -> bool {
    matches!(n, Number::Flo(f) if f.is_infinite())
}

/// Is the number a NaN?
#[scheme_fn]
fn is_nan(n: Number) -> bool {
    matches!(n, Number::Flo(f) if f.is_nan())
}
