//! Exact integer arithmetic, comparison and conversion. Fixnums take the
//! fast path; results that leave the fixnum range become bignums.

use num_bigint::BigInt;
use num_integer::Integer as _;
use num_traits::{Signed, Zero};

use super::{primitive, string};
use crate::ctx::Ctx;
use crate::error::{fatal, type_error};
use crate::integer::Integer;
use crate::registry::VARIADIC;
use crate::text::string_str;
use crate::value::Value;

/// An integer argument, or a type error naming `who`.
pub fn integer(ctx: &mut Ctx, who: &str, v: Value) -> Integer {
    match Integer::of(v) {
        Some(n) => n,
        None => type_error(ctx, who, "an integer", v),
    }
}

fn fold(
    ctx: &mut Ctx,
    who: &str,
    args: &[Value],
    init: Integer,
    small: fn(i64, i64) -> Option<i64>,
    big: fn(BigInt, BigInt) -> BigInt,
) -> Value {
    let mut acc = init;
    for &a in args {
        let n = integer(ctx, who, a);
        acc = acc.op(n, small, big);
    }
    ctx.integer(acc)
}

primitive!(
    "+",
    scm_p_add,
    0,
    VARIADIC,
    "Sum of the arguments.",
    |ctx, args| {
        fold(ctx, "+", args, Integer::Fix(0), i64::checked_add, |a, b| {
            a + b
        })
    }
);
primitive!(
    "*",
    scm_p_mul,
    0,
    VARIADIC,
    "Product of the arguments.",
    |ctx, args| {
        fold(ctx, "*", args, Integer::Fix(1), i64::checked_mul, |a, b| {
            a * b
        })
    }
);
primitive!(
    "-",
    scm_p_sub,
    1,
    VARIADIC,
    "Difference, or negation of one argument.",
    |ctx, args| {
        if args.len() == 1 {
            return fold(ctx, "-", args, Integer::Fix(0), i64::checked_sub, |a, b| {
                a - b
            });
        }
        let first = integer(ctx, "-", args[0]);
        fold(ctx, "-", &args[1..], first, i64::checked_sub, |a, b| a - b)
    }
);

fn divide(
    ctx: &mut Ctx,
    who: &str,
    args: &[Value],
    small: fn(i64, i64) -> Option<i64>,
    big: fn(BigInt, BigInt) -> BigInt,
) -> Value {
    let a = integer(ctx, who, args[0]);
    let b = integer(ctx, who, args[1]);
    if b == Integer::Fix(0) {
        fatal(ctx, &format!("{who}: division by zero"));
    }
    let r = a.op(b, small, big);
    ctx.integer(r)
}

primitive!(
    "quotient",
    scm_p_quotient,
    2,
    2,
    "Integer division truncated toward zero.",
    |ctx, args| { divide(ctx, "quotient", args, i64::checked_div, |a, b| a / b) }
);
primitive!(
    "remainder",
    scm_p_remainder,
    2,
    2,
    "Remainder with the sign of the dividend.",
    |ctx, args| { divide(ctx, "remainder", args, i64::checked_rem, |a, b| a % b) }
);
primitive!(
    "modulo",
    scm_p_modulo,
    2,
    2,
    "Remainder with the sign of the divisor.",
    |ctx, args| {
        divide(
            ctx,
            "modulo",
            args,
            |a, b| {
                a.checked_rem_euclid(b)
                    .map(|r| if r != 0 && b < 0 { r + b } else { r })
            },
            |a, b| a.mod_floor(&b),
        )
    }
);
primitive!("abs", scm_p_abs, 1, 1, "Absolute value.", |ctx, args| {
    let n = match integer(ctx, "abs", args[0]) {
        Integer::Fix(n) => n
            .checked_abs()
            .map_or_else(|| Integer::Big(BigInt::from(n).abs()), Integer::Fix),
        Integer::Big(b) => Integer::Big(b.abs()),
    };
    ctx.integer(n)
});

fn extreme(
    ctx: &mut Ctx,
    who: &str,
    args: &[Value],
    pick_first: fn(&BigInt, &BigInt) -> bool,
) -> Value {
    let mut best = integer(ctx, who, args[0]).big();
    for &a in &args[1..] {
        let n = integer(ctx, who, a).big();
        if !pick_first(&best, &n) {
            best = n;
        }
    }
    ctx.integer(Integer::Big(best))
}

primitive!(
    "min",
    scm_p_min,
    1,
    VARIADIC,
    "Smallest argument.",
    |ctx, args| extreme(ctx, "min", args, |a, b| a <= b)
);
primitive!(
    "max",
    scm_p_max,
    1,
    VARIADIC,
    "Largest argument.",
    |ctx, args| extreme(ctx, "max", args, |a, b| a >= b)
);

fn compare(ctx: &mut Ctx, who: &str, args: &[Value], ok: fn(&BigInt, &BigInt) -> bool) -> Value {
    let nums: Vec<BigInt> = args.iter().map(|&a| integer(ctx, who, a).big()).collect();
    Value::bool(nums.windows(2).all(|w| ok(&w[0], &w[1])))
}

primitive!(
    "=",
    scm_p_num_eq,
    1,
    VARIADIC,
    "Are all arguments equal?",
    |ctx, args| compare(ctx, "=", args, |a, b| a == b)
);
primitive!(
    "<",
    scm_p_lt,
    1,
    VARIADIC,
    "Are the arguments increasing?",
    |ctx, args| compare(ctx, "<", args, |a, b| a < b)
);
primitive!(
    ">",
    scm_p_gt,
    1,
    VARIADIC,
    "Are the arguments decreasing?",
    |ctx, args| compare(ctx, ">", args, |a, b| a > b)
);
primitive!(
    "<=",
    scm_p_le,
    1,
    VARIADIC,
    "Are the arguments non-decreasing?",
    |ctx, args| compare(ctx, "<=", args, |a, b| a <= b)
);
primitive!(
    ">=",
    scm_p_ge,
    1,
    VARIADIC,
    "Are the arguments non-increasing?",
    |ctx, args| compare(ctx, ">=", args, |a, b| a >= b)
);

fn test(ctx: &mut Ctx, who: &str, v: Value, ok: fn(&BigInt) -> bool) -> Value {
    let n = integer(ctx, who, v).big();
    Value::bool(ok(&n))
}

primitive!(
    "zero?",
    scm_p_zero_p,
    1,
    1,
    "Is the number zero?",
    |ctx, args| test(ctx, "zero?", args[0], |n| n.is_zero())
);
primitive!(
    "positive?",
    scm_p_positive_p,
    1,
    1,
    "Is the number above zero?",
    |ctx, args| test(ctx, "positive?", args[0], |n| n.is_positive())
);
primitive!(
    "negative?",
    scm_p_negative_p,
    1,
    1,
    "Is the number below zero?",
    |ctx, args| test(ctx, "negative?", args[0], |n| n.is_negative())
);
primitive!(
    "even?",
    scm_p_even_p,
    1,
    1,
    "Is the integer even?",
    |ctx, args| test(ctx, "even?", args[0], |n| n.is_even())
);
primitive!(
    "odd?",
    scm_p_odd_p,
    1,
    1,
    "Is the integer odd?",
    |ctx, args| test(ctx, "odd?", args[0], |n| n.is_odd())
);
primitive!(
    "number?",
    scm_p_number_p,
    1,
    1,
    "Is the value a number?",
    |_ctx, args| Value::bool(args[0].is_integer())
);
primitive!(
    "integer?",
    scm_p_integer_p,
    1,
    1,
    "Is the value an integer?",
    |_ctx, args| Value::bool(args[0].is_integer())
);

fn radix(ctx: &mut Ctx, who: &str, args: &[Value]) -> u32 {
    match args.get(1) {
        None => 10,
        Some(&r) if matches!(Integer::of(r), Some(Integer::Fix(2 | 8 | 10 | 16))) => {
            r.as_fixnum() as u32
        }
        Some(&r) => type_error(ctx, who, "a radix of 2, 8, 10 or 16", r),
    }
}

primitive!(
    "number->string",
    scm_p_number_to_string,
    1,
    2,
    "The digits of a number, in an optional radix.",
    |ctx, args| {
        let n = integer(ctx, "number->string", args[0]).big();
        let radix = radix(ctx, "number->string", args);
        ctx.make_string(n.to_str_radix(radix))
    }
);
primitive!(
    "string->number",
    scm_p_string_to_number,
    1,
    2,
    "The number a string spells, or #f.",
    |ctx, args| {
        let s = string_str(string(ctx, "string->number", args[0]));
        let radix = radix(ctx, "string->number", args);
        let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
        if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
            return Value::FALSE;
        }
        match BigInt::parse_bytes(s.as_bytes(), radix) {
            Some(n) => ctx.integer(Integer::Big(n)),
            None => Value::FALSE,
        }
    }
);
