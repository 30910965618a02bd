//! Fixnum arithmetic, comparison and conversion.

use super::{fixnum_result, int, primitive, string};
use crate::ctx::Ctx;
use crate::error::{fatal, type_error};
use crate::registry::VARIADIC;
use crate::text::string_str;
use crate::value::Value;

fn fold(
    ctx: &mut Ctx,
    who: &str,
    args: &[Value],
    init: i64,
    op: fn(i64, i64) -> Option<i64>,
) -> Value {
    let mut acc = Some(init);
    for &a in args {
        let n = int(ctx, who, a);
        acc = acc.and_then(|acc| op(acc, n));
    }
    fixnum_result(ctx, who, acc, args)
}

primitive!("+", scm_p_add, 0, VARIADIC, "Sum of the arguments.", |ctx, args| {
    fold(ctx, "+", args, 0, i64::checked_add)
});
primitive!("*", scm_p_mul, 0, VARIADIC, "Product of the arguments.", |ctx, args| {
    fold(ctx, "*", args, 1, i64::checked_mul)
});
primitive!("-", scm_p_sub, 1, VARIADIC, "Difference, or negation of one argument.", |ctx, args| {
    if args.len() == 1 {
        fold(ctx, "-", args, 0, i64::checked_sub)
    } else {
        let first = int(ctx, "-", args[0]);
        let rest = fold(ctx, "-", &args[1..], 0, i64::checked_add).as_fixnum();
        fixnum_result(ctx, "-", first.checked_sub(rest), args)
    }
});

fn divide(ctx: &mut Ctx, who: &str, args: &[Value], op: fn(i64, i64) -> Option<i64>) -> Value {
    let a = int(ctx, who, args[0]);
    let b = int(ctx, who, args[1]);
    if b == 0 {
        fatal(ctx, &format!("{who}: division by zero"));
    }
    fixnum_result(ctx, who, op(a, b), args)
}

primitive!("quotient", scm_p_quotient, 2, 2, "Integer division truncated toward zero.", |ctx, args| {
    divide(ctx, "quotient", args, i64::checked_div)
});
primitive!("remainder", scm_p_remainder, 2, 2, "Remainder with the sign of the dividend.", |ctx, args| {
    divide(ctx, "remainder", args, |a, b| Some(a.wrapping_rem(b)))
});
primitive!("modulo", scm_p_modulo, 2, 2, "Remainder with the sign of the divisor.", |ctx, args| {
    divide(ctx, "modulo", args, |a, b| {
        let r = a.wrapping_rem(b);
        Some(if r != 0 && (r < 0) != (b < 0) { r + b } else { r })
    })
});
primitive!("abs", scm_p_abs, 1, 1, "Absolute value.", |ctx, args| {
    let n = int(ctx, "abs", args[0]);
    fixnum_result(ctx, "abs", n.checked_abs(), args)
});
primitive!("min", scm_p_min, 1, VARIADIC, "Smallest argument.", |ctx, args| {
    let first = int(ctx, "min", args[0]);
    fold(ctx, "min", &args[1..], first, |a, b| Some(a.min(b)))
});
primitive!("max", scm_p_max, 1, VARIADIC, "Largest argument.", |ctx, args| {
    let first = int(ctx, "max", args[0]);
    fold(ctx, "max", &args[1..], first, |a, b| Some(a.max(b)))
});

fn compare(ctx: &mut Ctx, who: &str, args: &[Value], ok: fn(i64, i64) -> bool) -> Value {
    let nums: Vec<i64> = args.iter().map(|&a| int(ctx, who, a)).collect();
    Value::bool(nums.windows(2).all(|w| ok(w[0], w[1])))
}

primitive!("=", scm_p_num_eq, 1, VARIADIC, "Are all arguments equal?", |ctx, args| {
    compare(ctx, "=", args, |a, b| a == b)
});
primitive!("<", scm_p_lt, 1, VARIADIC, "Are the arguments increasing?", |ctx, args| {
    compare(ctx, "<", args, |a, b| a < b)
});
primitive!(">", scm_p_gt, 1, VARIADIC, "Are the arguments decreasing?", |ctx, args| {
    compare(ctx, ">", args, |a, b| a > b)
});
primitive!("<=", scm_p_le, 1, VARIADIC, "Are the arguments non-decreasing?", |ctx, args| {
    compare(ctx, "<=", args, |a, b| a <= b)
});
primitive!(">=", scm_p_ge, 1, VARIADIC, "Are the arguments non-increasing?", |ctx, args| {
    compare(ctx, ">=", args, |a, b| a >= b)
});

primitive!("zero?", scm_p_zero_p, 1, 1, "Is the number zero?", |ctx, args| {
    Value::bool(int(ctx, "zero?", args[0]) == 0)
});
primitive!("positive?", scm_p_positive_p, 1, 1, "Is the number above zero?", |ctx, args| {
    Value::bool(int(ctx, "positive?", args[0]) > 0)
});
primitive!("negative?", scm_p_negative_p, 1, 1, "Is the number below zero?", |ctx, args| {
    Value::bool(int(ctx, "negative?", args[0]) < 0)
});
primitive!("even?", scm_p_even_p, 1, 1, "Is the integer even?", |ctx, args| {
    Value::bool(int(ctx, "even?", args[0]) % 2 == 0)
});
primitive!("odd?", scm_p_odd_p, 1, 1, "Is the integer odd?", |ctx, args| {
    Value::bool(int(ctx, "odd?", args[0]) % 2 != 0)
});
primitive!("number?", scm_p_number_p, 1, 1, "Is the value a number?", |_ctx, args| {
    Value::bool(args[0].is_fixnum())
});
primitive!("integer?", scm_p_integer_p, 1, 1, "Is the value an integer?", |_ctx, args| {
    Value::bool(args[0].is_fixnum())
});

fn radix(ctx: &mut Ctx, who: &str, args: &[Value]) -> u32 {
    match args.get(1) {
        None => 10,
        Some(&r) => match int(ctx, who, r) {
            r @ (2 | 8 | 10 | 16) => r as u32,
            _ => type_error(ctx, who, "a radix of 2, 8, 10 or 16", r),
        },
    }
}

primitive!("number->string", scm_p_number_to_string, 1, 2, "The digits of a number, in an optional radix.", |ctx, args| {
    let n = int(ctx, "number->string", args[0]);
    let radix = radix(ctx, "number->string", args);
    let digits = match radix {
        2 => format!("{:b}", n.unsigned_abs()),
        8 => format!("{:o}", n.unsigned_abs()),
        16 => format!("{:x}", n.unsigned_abs()),
        _ => n.unsigned_abs().to_string(),
    };
    let sign = if n < 0 { "-" } else { "" };
    ctx.make_string(format!("{sign}{digits}"))
});
primitive!("string->number", scm_p_string_to_number, 1, 2, "The number a string spells, or #f.", |ctx, args| {
    let s = string_str(string(ctx, "string->number", args[0]));
    let radix = radix(ctx, "string->number", args);
    let digits = s.strip_prefix('+').unwrap_or(s);
    if digits.is_empty() || digits.starts_with(['+']) {
        return Value::FALSE;
    }
    match i64::from_str_radix(digits, radix) {
        Ok(n) => match Value::try_fixnum(n) {
            Some(v) => v,
            None => fatal(ctx, &format!("string->number: {s} is outside the fixnum range")),
        },
        Err(e) if matches!(e.kind(), std::num::IntErrorKind::PosOverflow | std::num::IntErrorKind::NegOverflow) => {
            fatal(ctx, &format!("string->number: {s} is outside the fixnum range"))
        }
        Err(_) => Value::FALSE,
    }
});
