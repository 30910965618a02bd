//! Exact integer arithmetic, comparison and conversion. Fixnums take the
//! fast path; results outside the fixnum range become bignums.

use num_bigint::BigInt;
use num_integer::Integer as _;
use num_traits::{Signed, Zero};

use crate::convert::{Rest, RestSlice};
use crate::integer::Integer;
use crate::scheme_fn;
use crate::value::Value;

/// Fold `numbers` from `init` with a fixnum fast path: machine arithmetic
/// while everything fits, exact `Integer` arithmetic from the first
/// bignum or overflow on.
fn fold(
    init: Integer,
    numbers: &RestSlice<Integer>,
    small: fn(i64, i64) -> Option<i64>,
    big: fn(BigInt, BigInt) -> BigInt,
) -> Result<Integer, String> {
    let mut i = 0;
    let mut acc = init;
    if let Integer::Fix(mut fast) = acc {
        while i < numbers.values.len() {
            let v = numbers.values[i];
            match (v.is_fixnum(), small(fast, v.as_fixnum())) {
                (true, Some(r)) => fast = r,
                _ => break,
            }
            i += 1;
        }
        acc = Integer::Fix(fast);
    }
    for k in i..numbers.values.len() {
        acc = acc.op(numbers.get(k)?, small, big);
    }
    Ok(acc)
}

/// Sum of the arguments.
#[scheme_fn(name = "+")]
fn add(numbers: RestSlice<Integer>) -> Result<Integer, String> {
    fold(Integer::Fix(0), &numbers, i64::checked_add, |a, b| a + b)
}

/// Product of the arguments.
#[scheme_fn(name = "*")]
fn multiply(numbers: RestSlice<Integer>) -> Result<Integer, String> {
    fold(Integer::Fix(1), &numbers, i64::checked_mul, |a, b| a * b)
}

/// Difference of the arguments, or the negation of one.
#[scheme_fn(name = "-")]
fn subtract(first: Integer, rest: RestSlice<Integer>) -> Result<Integer, String> {
    if rest.values.is_empty() {
        return Ok(Integer::Fix(0).op(first, i64::checked_sub, |a, b| a - b));
    }
    fold(first, &rest, i64::checked_sub, |a, b| a - b)
}

fn divide(
    n: Integer,
    d: Integer,
    small: fn(i64, i64) -> Option<i64>,
    big: fn(BigInt, BigInt) -> BigInt,
) -> Result<Integer, &'static str> {
    if d == Integer::Fix(0) {
        return Err("division by zero");
    }
    Ok(n.op(d, small, big))
}

/// Integer division truncated toward zero.
#[scheme_fn]
fn quotient(n: Integer, d: Integer) -> Result<Integer, &'static str> {
    divide(n, d, i64::checked_div, |a, b| a / b)
}

/// Remainder of `quotient`: it has the sign of the dividend.
#[scheme_fn]
fn remainder(n: Integer, d: Integer) -> Result<Integer, &'static str> {
    divide(n, d, i64::checked_rem, |a, b| a % b)
}

/// Remainder with the sign of the divisor.
#[scheme_fn]
fn modulo(n: Integer, d: Integer) -> Result<Integer, &'static str> {
    divide(
        n,
        d,
        |a, b| {
            a.checked_rem_euclid(b)
                .map(|r| if r != 0 && b < 0 { r + b } else { r })
        },
        |a, b| a.mod_floor(&b),
    )
}

/// Absolute value.
#[scheme_fn]
fn abs(n: Integer) -> Integer {
    match n {
        Integer::Fix(n) => n
            .checked_abs()
            .map_or_else(|| Integer::Big(BigInt::from(n).abs()), Integer::Fix),
        Integer::Big(b) => Integer::Big(b.abs()),
    }
}

/// The extreme of the arguments by `keep_first(a, b)`.
fn extreme(
    first: Integer,
    rest: RestSlice<Integer>,
    keep_first: fn(&Integer, &Integer) -> bool,
) -> Result<Integer, String> {
    let mut best = first;
    let mut i = 0;
    // Fixnums first, without conversions.
    if let Integer::Fix(mut b) = best {
        while i < rest.values.len() && rest.values[i].is_fixnum() {
            let n = rest.values[i].as_fixnum();
            if !keep_first(&Integer::Fix(b), &Integer::Fix(n)) {
                b = n;
            }
            i += 1;
        }
        best = Integer::Fix(b);
    }
    for k in i..rest.values.len() {
        let n = rest.get(k)?;
        if !keep_first(&best, &n) {
            best = n;
        }
    }
    Ok(best)
}

fn le(a: &Integer, b: &Integer) -> bool {
    match (a, b) {
        (Integer::Fix(a), Integer::Fix(b)) => a <= b,
        _ => a.clone().big() <= b.clone().big(),
    }
}

/// Smallest argument.
#[scheme_fn]
fn min(first: Integer, rest: RestSlice<Integer>) -> Result<Integer, String> {
    extreme(first, rest, le)
}

/// Largest argument.
#[scheme_fn]
fn max(first: Integer, rest: RestSlice<Integer>) -> Result<Integer, String> {
    extreme(first, rest, |a, b| le(b, a))
}

fn chain(first: Integer, rest: Rest<Integer>, ok: fn(&BigInt, &BigInt) -> bool) -> bool {
    let mut prev = first.big();
    for n in rest.0 {
        let n = n.big();
        if !ok(&prev, &n) {
            return false;
        }
        prev = n;
    }
    true
}

/// Are all arguments equal?
#[scheme_fn(name = "=")]
fn num_eq(first: Integer, rest: Rest<Integer>) -> bool {
    chain(first, rest, |a, b| a == b)
}

/// Are the arguments strictly increasing?
#[scheme_fn(name = "<")]
fn less(first: Integer, rest: Rest<Integer>) -> bool {
    chain(first, rest, |a, b| a < b)
}

/// Are the arguments strictly decreasing?
#[scheme_fn(name = ">")]
fn greater(first: Integer, rest: Rest<Integer>) -> bool {
    chain(first, rest, |a, b| a > b)
}

/// Are the arguments non-decreasing?
#[scheme_fn(name = "<=")]
fn less_or_equal(first: Integer, rest: Rest<Integer>) -> bool {
    chain(first, rest, |a, b| a <= b)
}

/// Are the arguments non-increasing?
#[scheme_fn(name = ">=")]
fn greater_or_equal(first: Integer, rest: Rest<Integer>) -> bool {
    chain(first, rest, |a, b| a >= b)
}

/// Is the number zero?
#[scheme_fn]
fn is_zero(n: Integer) -> bool {
    n.big().is_zero()
}

/// Is the number above zero?
#[scheme_fn]
fn is_positive(n: Integer) -> bool {
    n.big().is_positive()
}

/// Is the number below zero?
#[scheme_fn]
fn is_negative(n: Integer) -> bool {
    n.big().is_negative()
}

/// Is the integer even?
#[scheme_fn]
fn is_even(n: Integer) -> bool {
    n.big().is_even()
}

/// Is the integer odd?
#[scheme_fn]
fn is_odd(n: Integer) -> bool {
    n.big().is_odd()
}

/// Is the value a number?
#[scheme_fn]
fn is_number(v: Value) -> bool {
    v.is_integer()
}

/// Is the value an integer?
#[scheme_fn]
fn is_integer(v: Value) -> bool {
    v.is_integer()
}

fn parse_radix(r: Option<u32>) -> Result<u32, String> {
    match r.unwrap_or(10) {
        r @ (2 | 8 | 10 | 16) => Ok(r),
        r => Err(format!("radix must be 2, 8, 10 or 16, got {r}")),
    }
}

/// The digits of a number, in an optional radix (2, 8, 10 or 16).
#[scheme_fn(name = "number->string")]
fn number_to_string(n: Integer, radix: Option<u32>) -> Result<String, String> {
    let radix = parse_radix(radix)?;
    Ok(match n {
        Integer::Fix(n) if radix == 10 => n.to_string(),
        n => n.big().to_str_radix(radix),
    })
}

/// The number a string spells (in an optional radix), or #f.
#[scheme_fn(name = "string->number")]
fn string_to_number(s: &str, radix: Option<u32>) -> Result<Option<Integer>, String> {
    let radix = parse_radix(radix)?;
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return Ok(None);
    }
    Ok(BigInt::parse_bytes(s.as_bytes(), radix).map(Integer::Big))
}
