//! More of R7RS's string procedures: case mapping and case-insensitive
//! comparisons, conversions to and from vectors, `string-copy!`,
//! `string-fill!`, `string-map` and `string-for-each`.

use super::chars_more::fold_full;
use super::strings::slice;
use super::{out_of_range, range};
use crate::convert::Rest;
use crate::print::to_string;
use crate::rt::Ctx;
use crate::rt::Value;
use crate::rt::{Procedure, SchemeString, Vector};
use crate::scheme_fn;
use crate::text::{string_char_count, string_str};

/// The string with its case folded (Unicode full case folding: `ß` is `ss`).
pub(crate) fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        fold_full(c, &mut out);
    }
    out
}

fn chain_ci(first: &str, rest: Rest<&str>, ok: fn(&str, &str) -> bool) -> bool {
    let mut prev = fold(first);
    for s in rest.0 {
        let s = fold(s);
        if !ok(&prev, &s) {
            return false;
        }
        prev = s;
    }
    true
}

/// Are the strings equal, ignoring case?
#[scheme_fn(name = "string-ci=?")]
fn string_ci_eq(first: &str, rest: Rest<&str>) -> bool {
    chain_ci(first, rest, |a, b| a == b)
}

/// Are the strings in increasing order, ignoring case?
#[scheme_fn(name = "string-ci<?")]
fn string_ci_lt(first: &str, rest: Rest<&str>) -> bool {
    chain_ci(first, rest, |a, b| a < b)
}

/// Are the strings in decreasing order, ignoring case?
#[scheme_fn(name = "string-ci>?")]
fn string_ci_gt(first: &str, rest: Rest<&str>) -> bool {
    chain_ci(first, rest, |a, b| a > b)
}

/// Are the strings in non-decreasing order, ignoring case?
#[scheme_fn(name = "string-ci<=?")]
fn string_ci_le(first: &str, rest: Rest<&str>) -> bool {
    chain_ci(first, rest, |a, b| a <= b)
}

/// Are the strings in non-increasing order, ignoring case?
#[scheme_fn(name = "string-ci>=?")]
fn string_ci_ge(first: &str, rest: Rest<&str>) -> bool {
    chain_ci(first, rest, |a, b| a >= b)
}

/// A new string in upper case (full Unicode mapping: `ß` is `SS`).
#[scheme_fn(name = "string-upcase")]
fn string_upcase(string: &str) -> String {
    string.to_uppercase()
}

/// A new string in lower case (full Unicode mapping, final sigma included).
#[scheme_fn(name = "string-downcase")]
fn string_downcase(string: &str) -> String {
    string.to_lowercase()
}

/// A new string with its case folded (Unicode full case folding).
#[scheme_fn(name = "string-foldcase")]
fn string_foldcase(string: &str) -> String {
    fold(string)
}

/// A new vector of the characters (optionally from start to end).
#[scheme_fn(name = "string->vector")]
fn string_to_vector(
    ctx: &mut Ctx,
    string: SchemeString,
    start: Option<usize>,
    end: Option<usize>,
) -> Result<Value, String> {
    let part = slice(string.0, start.unwrap_or(0), end)?;
    // The text stays put while `string` is alive (objects never move).
    let v = ctx.make_vector(part.chars().count(), Value::FALSE);
    for (i, c) in part.chars().enumerate() {
        v.vector_set(i, Value::char(c));
    }
    Ok(v)
}

/// A new string of the vector's characters (optionally from start to end).
#[scheme_fn(name = "vector->string")]
fn vector_to_string(
    vector: Vector,
    start: Option<usize>,
    end: Option<usize>,
) -> Result<String, String> {
    let v = vector.0;
    let (start, end) = range(v.header_length(), start, end, v)?;
    (start..end)
        .map(|i| {
            let c = v.vector_ref(i);
            if c.is_char() {
                Ok(c.as_char())
            } else {
                Err(format!(
                    "argument 1 (vector): expected vector of chars, got {}",
                    to_string(v, true)
                ))
            }
        })
        .collect()
}

/// Copy characters start to end of `from` into `to` at index `at`.
#[scheme_fn(name = "string-copy!")]
fn string_copy_into(
    ctx: &mut Ctx,
    to: SchemeString,
    at: usize,
    from: SchemeString,
    start: Option<usize>,
    end: Option<usize>,
) -> Result<(), String> {
    // Copied out first: `from` may be `to`, overlapping.
    let part: Vec<char> = slice(from.0, start.unwrap_or(0), end)?.chars().collect();
    let n = part.len();
    let len = string_char_count(to.0);
    if at > len {
        return Err(out_of_range(at, to.0));
    }
    if at + n > len {
        return Err(format!(
            "{n} characters do not fit at index {at} of {}",
            to_string(to.0, true)
        ));
    }
    for (i, c) in part.into_iter().enumerate() {
        ctx.string_set_char(to.0, at + i, c);
    }
    Ok(())
}

/// Store `fill` in every character of the string (optionally from start to end).
#[scheme_fn(name = "string-fill!")]
fn string_fill(
    ctx: &mut Ctx,
    string: SchemeString,
    fill: char,
    start: Option<usize>,
    end: Option<usize>,
) -> Result<(), String> {
    let (start, end) = range(string_char_count(string.0), start, end, string.0)?;
    for i in start..end {
        ctx.string_set_char(string.0, i, fill);
    }
    Ok(())
}

/// The characters of the strings, as a row per index up to the shortest
/// string (copied out: characters are not heap values, and `f` may change
/// the strings).
fn char_rows(first: &str, more: &[Value]) -> Result<Vec<Vec<char>>, String> {
    let mut strings = vec![first.chars().collect::<Vec<char>>()];
    for (i, &s) in more.iter().enumerate() {
        if !s.is_string() {
            return Err(format!(
                "argument {} (more): expected string, got {}",
                i + 3,
                to_string(s, true)
            ));
        }
        strings.push(string_str(s).chars().collect());
    }
    let n = strings.iter().map(Vec::len).min().unwrap_or(0);
    Ok((0..n)
        .map(|i| strings.iter().map(|s| s[i]).collect())
        .collect())
}

/// A new string of the characters `f` returns for the characters of the
/// strings at each index, up to the shortest string.
#[scheme_fn(name = "string-map")]
fn string_map(ctx: &mut Ctx, f: Procedure, string: &str, more: &[Value]) -> Result<String, String> {
    let mut out = String::new();
    let mut args = Vec::with_capacity(more.len() + 1);
    for row in char_rows(string, more)? {
        args.clear();
        args.extend(row.into_iter().map(Value::char));
        let r = ctx.call_or_unwind(f, &args);
        if !r.is_char() {
            return Err(format!(
                "the procedure returned {}, not a character",
                to_string(r, true)
            ));
        }
        out.push(r.as_char());
    }
    Ok(out)
}

/// Apply f to the characters of the strings at each index, in order, up to
/// the shortest string, for effect.
#[scheme_fn(name = "string-for-each")]
fn string_for_each(
    ctx: &mut Ctx,
    f: Procedure,
    string: &str,
    more: &[Value],
) -> Result<(), String> {
    let mut args = Vec::with_capacity(more.len() + 1);
    for row in char_rows(string, more)? {
        args.clear();
        args.extend(row.into_iter().map(Value::char));
        ctx.call_or_unwind(f, &args);
    }
    Ok(())
}
