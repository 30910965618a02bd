//! Characters.

use crate::convert::Rest;
use crate::rt::Value;
use crate::scheme_fn;

/// The character's Unicode scalar value.
#[scheme_fn(name = "char->integer")]
fn char_to_integer(c: char) -> u32 {
    c as u32
}

/// The character with this Unicode scalar value.
#[scheme_fn(name = "integer->char")]
fn integer_to_char(n: u32) -> Result<char, String> {
    char::from_u32(n).ok_or_else(|| format!("{n} is not a Unicode scalar value"))
}

fn chain(first: char, rest: Rest<char>, ok: fn(char, char) -> bool) -> bool {
    let mut prev = first;
    for c in rest.0 {
        if !ok(prev, c) {
            return false;
        }
        prev = c;
    }
    true
}

/// Are the characters equal?
#[scheme_fn(name = "char=?")]
fn char_eq(first: char, rest: Rest<char>) -> bool {
    chain(first, rest, |a, b| a == b)
}

/// Are the characters increasing?
#[scheme_fn(name = "char<?")]
fn char_lt(first: char, rest: Rest<char>) -> bool {
    chain(first, rest, |a, b| a < b)
}

/// Are the characters decreasing?
#[scheme_fn(name = "char>?")]
fn char_gt(first: char, rest: Rest<char>) -> bool {
    chain(first, rest, |a, b| a > b)
}

/// Are the characters non-decreasing?
#[scheme_fn(name = "char<=?")]
fn char_le(first: char, rest: Rest<char>) -> bool {
    chain(first, rest, |a, b| a <= b)
}

/// Are the characters non-increasing?
#[scheme_fn(name = "char>=?")]
fn char_ge(first: char, rest: Rest<char>) -> bool {
    chain(first, rest, |a, b| a >= b)
}

/// Simple (one-character) case mapping, as R7RS specifies.
fn map_case<I: Iterator<Item = char>>(c: char, mapped: impl Fn(char) -> I) -> char {
    let mut m = mapped(c);
    match (m.next(), m.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

/// Upper-case form of the character.
#[scheme_fn(name = "char-upcase")]
fn char_upcase(c: char) -> char {
    map_case(c, char::to_uppercase)
}

/// Lower-case form of the character.
#[scheme_fn(name = "char-downcase")]
fn char_downcase(c: char) -> char {
    map_case(c, char::to_lowercase)
}

/// Is the character a letter?
#[scheme_fn(name = "char-alphabetic?")]
fn char_alphabetic(c: char) -> bool {
    c.is_alphabetic()
}

/// Is the character a digit?
#[scheme_fn(name = "char-numeric?")]
fn char_numeric(c: char) -> bool {
    c.is_numeric()
}

/// Is the character white space?
#[scheme_fn(name = "char-whitespace?")]
fn char_whitespace(c: char) -> bool {
    c.is_whitespace()
}

/// Is the character upper case?
#[scheme_fn(name = "char-upper-case?")]
fn char_upper_case(c: char) -> bool {
    c.is_uppercase()
}

/// Is the character lower case?
#[scheme_fn(name = "char-lower-case?")]
fn char_lower_case(c: char) -> bool {
    c.is_lowercase()
}

/// Is the value a character?
#[scheme_fn]
fn is_char(v: Value) -> bool {
    v.is_char()
}
