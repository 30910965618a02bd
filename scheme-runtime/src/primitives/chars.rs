//! Characters.

use super::{character, int, primitive};
use crate::ctx::Ctx;
use crate::error::type_error;
use crate::registry::VARIADIC;
use crate::value::Value;

primitive!(
    "char->integer",
    scm_p_char_to_integer,
    1,
    1,
    "The character's Unicode scalar value.",
    |ctx, args| { Value::fixnum(character(ctx, "char->integer", args[0]) as i64) }
);
primitive!(
    "integer->char",
    scm_p_integer_to_char,
    1,
    1,
    "The character with this Unicode scalar value.",
    |ctx, args| {
        let n = int(ctx, "integer->char", args[0]);
        match u32::try_from(n).ok().and_then(char::from_u32) {
            Some(c) => Value::char(c),
            None => type_error(ctx, "integer->char", "a Unicode scalar value", args[0]),
        }
    }
);

fn compare(ctx: &mut Ctx, who: &str, args: &[Value], ok: fn(char, char) -> bool) -> Value {
    let cs: Vec<char> = args.iter().map(|&a| character(ctx, who, a)).collect();
    Value::bool(cs.windows(2).all(|w| ok(w[0], w[1])))
}

primitive!(
    "char=?",
    scm_p_char_eq,
    1,
    VARIADIC,
    "Are the characters equal?",
    |ctx, args| compare(ctx, "char=?", args, |a, b| a == b)
);
primitive!(
    "char<?",
    scm_p_char_lt,
    1,
    VARIADIC,
    "Are the characters increasing?",
    |ctx, args| compare(ctx, "char<?", args, |a, b| a < b)
);
primitive!(
    "char>?",
    scm_p_char_gt,
    1,
    VARIADIC,
    "Are the characters decreasing?",
    |ctx, args| compare(ctx, "char>?", args, |a, b| a > b)
);
primitive!(
    "char<=?",
    scm_p_char_le,
    1,
    VARIADIC,
    "Are the characters non-decreasing?",
    |ctx, args| compare(ctx, "char<=?", args, |a, b| a <= b)
);
primitive!(
    "char>=?",
    scm_p_char_ge,
    1,
    VARIADIC,
    "Are the characters non-increasing?",
    |ctx, args| compare(ctx, "char>=?", args, |a, b| a >= b)
);

/// Simple (one-character) case mapping, as R7RS `char-upcase` specifies.
fn map_case<I: Iterator<Item = char>>(c: char, mapped: impl Fn(char) -> I) -> char {
    let mut m = mapped(c);
    match (m.next(), m.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

primitive!(
    "char-upcase",
    scm_p_char_upcase,
    1,
    1,
    "Upper-case form of the character.",
    |ctx, args| {
        Value::char(map_case(
            character(ctx, "char-upcase", args[0]),
            char::to_uppercase,
        ))
    }
);
primitive!(
    "char-downcase",
    scm_p_char_downcase,
    1,
    1,
    "Lower-case form of the character.",
    |ctx, args| {
        Value::char(map_case(
            character(ctx, "char-downcase", args[0]),
            char::to_lowercase,
        ))
    }
);
primitive!(
    "char-alphabetic?",
    scm_p_char_alphabetic_p,
    1,
    1,
    "Is the character a letter?",
    |ctx, args| { Value::bool(character(ctx, "char-alphabetic?", args[0]).is_alphabetic()) }
);
primitive!(
    "char-numeric?",
    scm_p_char_numeric_p,
    1,
    1,
    "Is the character a decimal digit?",
    |ctx, args| { Value::bool(character(ctx, "char-numeric?", args[0]).is_numeric()) }
);
primitive!(
    "char-whitespace?",
    scm_p_char_whitespace_p,
    1,
    1,
    "Is the character white space?",
    |ctx, args| { Value::bool(character(ctx, "char-whitespace?", args[0]).is_whitespace()) }
);
primitive!(
    "char-upper-case?",
    scm_p_char_upper_case_p,
    1,
    1,
    "Is the character upper case?",
    |ctx, args| { Value::bool(character(ctx, "char-upper-case?", args[0]).is_uppercase()) }
);
primitive!(
    "char-lower-case?",
    scm_p_char_lower_case_p,
    1,
    1,
    "Is the character lower case?",
    |ctx, args| { Value::bool(character(ctx, "char-lower-case?", args[0]).is_lowercase()) }
);
