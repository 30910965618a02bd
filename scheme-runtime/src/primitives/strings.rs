//! Strings and symbols.

use super::{check_index, check_length, out_of_range};
use crate::convert::Rest;
use crate::rt::Ctx;
use crate::rt::{SchemeString, Symbol};
use crate::scheme_fn;
use std::borrow::Cow;

use crate::rt::Value;
use crate::text::{string_ascii, string_char, string_char_count, string_chars, string_str};

/// A new string of the character arguments.
#[scheme_fn]
fn string(chars: Rest<char>) -> String {
    chars.0.into_iter().collect()
}

/// A new string of k copies of a character (default space).
#[scheme_fn(name = "make-string")]
fn make_string(k: usize, fill: Option<char>) -> Result<String, String> {
    Ok(std::iter::repeat_n(fill.unwrap_or(' '), check_length(k)?).collect())
}

/// Number of characters.
#[scheme_fn(name = "string-length")]
fn string_length(string: SchemeString) -> usize {
    string_char_count(string.0)
}

/// Character k (from 0) of a string.
#[scheme_fn(name = "string-ref")]
fn string_ref(string: SchemeString, k: usize) -> Result<char, String> {
    let s = string.0;
    let i = check_index(k, string_char_count(s), s)?;
    Ok(string_char(s, i))
}

/// Replace character k of a string.
#[scheme_fn(name = "string-set!")]
fn string_set(ctx: &mut Ctx, string: SchemeString, k: usize, c: char) -> Result<(), String> {
    let s = string.0;
    let i = check_index(k, string_char_count(s), s)?;
    ctx.string_set_char(s, i, c);
    Ok(())
}

/// Characters start (inclusive) to end (exclusive, default the end), as
/// UTF-8 (borrowed from an ASCII string's storage, which must not change
/// while it is read).
pub(super) fn slice(
    s: Value,
    start: usize,
    end: Option<usize>,
) -> Result<Cow<'static, str>, String> {
    let len = string_char_count(s);
    let end = end.unwrap_or(len);
    if end > len {
        return Err(out_of_range(end, s));
    }
    if start > end {
        return Err(format!("start {start} is after end {end}"));
    }
    Ok(match string_ascii(s) {
        Some(text) => Cow::Borrowed(&text[start..end]),
        None => Cow::Owned(string_chars(s).skip(start).take(end - start).collect()),
    })
}

/// A new string of the characters from start to end.
#[scheme_fn]
fn substring(string: SchemeString, start: usize, end: Option<usize>) -> Result<String, String> {
    slice(string.0, start, end).map(Cow::into_owned)
}

/// A new string with the same characters (optionally from start to end).
#[scheme_fn(name = "string-copy")]
fn string_copy(
    string: SchemeString,
    start: Option<usize>,
    end: Option<usize>,
) -> Result<String, String> {
    slice(string.0, start.unwrap_or(0), end).map(Cow::into_owned)
}

/// A new string joining the arguments.
#[scheme_fn(name = "string-append")]
fn string_append(ctx: &mut Ctx, strings: &[Value]) -> Result<Value, String> {
    let mut out = String::new();
    for (i, &v) in strings.iter().enumerate() {
        if !v.is_string() {
            return Err(format!(
                "argument {} (strings): expected string, got {}",
                i + 1,
                crate::print::to_string(v, true)
            ));
        }
        out.push_str(&string_str(v));
    }
    Ok(ctx.make_string(out))
}

/// A new list of the characters (optionally from start to end).
#[scheme_fn(name = "string->list")]
fn string_to_list(
    ctx: &mut Ctx,
    string: SchemeString,
    start: Option<usize>,
    end: Option<usize>,
) -> Result<Value, String> {
    let mut list = Value::NIL;
    for c in slice(string.0, start.unwrap_or(0), end)?.chars().rev() {
        list = ctx.cons(Value::char(c), list);
    }
    Ok(list)
}

/// A new string of the list's characters.
#[scheme_fn(name = "list->string")]
fn list_to_string(ctx: &mut Ctx, chars: Value) -> Result<Value, String> {
    let mut out = String::new();
    let mut v = chars;
    while v.is_pair() {
        let c = v.car();
        if !c.is_char() {
            return Err(format!(
                "argument 1 (chars): expected list of chars, got {}",
                crate::print::to_string(chars, true)
            ));
        }
        out.push(c.as_char());
        v = v.cdr();
    }
    if v != Value::NIL {
        return Err(format!(
            "argument 1 (chars): expected list of chars, got {}",
            crate::print::to_string(chars, true)
        ));
    }
    Ok(ctx.make_string(out))
}

fn chain(first: &str, rest: Rest<&str>, ok: fn(&str, &str) -> bool) -> bool {
    let mut prev = first;
    for s in rest.0 {
        if !ok(prev, s) {
            return false;
        }
        prev = s;
    }
    true
}

/// Are the strings equal?
#[scheme_fn(name = "string=?")]
fn string_eq(first: &str, rest: Rest<&str>) -> bool {
    chain(first, rest, |a, b| a == b)
}

/// Are the strings in increasing order?
#[scheme_fn(name = "string<?")]
fn string_lt(first: &str, rest: Rest<&str>) -> bool {
    chain(first, rest, |a, b| a < b)
}

/// Are the strings in decreasing order?
#[scheme_fn(name = "string>?")]
fn string_gt(first: &str, rest: Rest<&str>) -> bool {
    chain(first, rest, |a, b| a > b)
}

/// Are the strings in non-decreasing order?
#[scheme_fn(name = "string<=?")]
fn string_le(first: &str, rest: Rest<&str>) -> bool {
    chain(first, rest, |a, b| a <= b)
}

/// Are the strings in non-increasing order?
#[scheme_fn(name = "string>=?")]
fn string_ge(first: &str, rest: Rest<&str>) -> bool {
    chain(first, rest, |a, b| a >= b)
}

/// Is the value a string?
#[scheme_fn]
fn is_string(v: Value) -> bool {
    v.is_string()
}

/// The symbol with this name.
#[scheme_fn(name = "string->symbol")]
fn string_to_symbol(ctx: &mut Ctx, name: &str) -> Value {
    ctx.intern(name)
}

/// The symbol's name, as a string (the same one every time).
#[scheme_fn(name = "symbol->string")]
fn symbol_to_string(ctx: &mut Ctx, symbol: Symbol) -> Value {
    ctx.symbol_string(symbol)
}

/// Is the value a symbol?
#[scheme_fn]
fn is_symbol(v: Value) -> bool {
    v.is_symbol()
}
