//! More of R7RS's character procedures: `digit-value`, case folding and
//! the case-insensitive comparisons (`(scheme char)`).

use crate::convert::Rest;
use crate::scheme_fn;

/// The code points of the digit zeros of Unicode's decimal digits (general
/// category Nd, as of Unicode 15.0): every decimal digit is one of these
/// plus 0..=9.
const DIGIT_ZEROS: &[u32] = &[
    0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66,
    0xDE6, 0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
    0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
    0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650,
    0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x11F50, 0x16A60, 0x16AC0,
    0x16B50, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E4F0, 0x1E950,
    0x1FBF0,
];

/// The value of a decimal digit (any script), or #f.
#[scheme_fn(name = "digit-value")]
fn digit_value(c: char) -> Option<u32> {
    let c = c as u32;
    // The zero at or below c, if any.
    let i = DIGIT_ZEROS.partition_point(|&z| z <= c);
    let zero = *DIGIT_ZEROS.get(i.checked_sub(1)?)?;
    (c - zero < 10).then_some(c - zero)
}

/// Cherokee is the one script whose case folding goes to upper case.
fn cherokee_fold(c: char) -> Option<char> {
    let u = c as u32;
    let folded = match u {
        0x13F8..=0x13FD => u - 8,
        0xAB70..=0xABBF => u - 0xAB70 + 0x13A0,
        0x13A0..=0x13F5 => u,
        _ => return None,
    };
    char::from_u32(folded)
}

/// Unicode simple case folding of one character: lower case of upper
/// case (so `ſ` and `ς` fold as `s` and `σ` do), except for the few
/// characters where that is not the folding.
pub(super) fn fold_char(c: char) -> char {
    if let Some(f) = cherokee_fold(c) {
        return f;
    }
    match c {
        // Dotless i and the dotted capital I have no simple folding.
        '\u{131}' | '\u{130}' => c,
        _ => {
            let mut up = c.to_uppercase();
            let (Some(u), None) = (up.next(), up.next()) else {
                return single(c, c.to_lowercase());
            };
            single(c, u.to_lowercase())
        }
    }
}

/// The one character of a mapping, or `c` if it maps to several.
fn single(c: char, mut m: impl Iterator<Item = char>) -> char {
    match (m.next(), m.next()) {
        (Some(x), None) => x,
        _ => c,
    }
}

/// Full case folding of one character, appended to `out` (for strings:
/// `ß` folds to `ss`).
pub(super) fn fold_full(c: char, out: &mut String) {
    if let Some(f) = cherokee_fold(c) {
        out.push(f);
        return;
    }
    match c {
        '\u{131}' => out.push(c),
        '\u{130}' => out.push_str("i\u{307}"),
        // Capital sharp s: its upper case is itself, its folding `ss`.
        '\u{1E9E}' => out.push_str("ss"),
        _ => out.extend(c.to_uppercase().flat_map(char::to_lowercase)),
    }
}

/// The character with its case folded (Unicode simple case folding).
#[scheme_fn(name = "char-foldcase")]
fn char_foldcase(c: char) -> char {
    fold_char(c)
}

fn chain_ci(first: char, rest: Rest<char>, ok: fn(char, char) -> bool) -> bool {
    let mut prev = fold_char(first);
    for c in rest.0 {
        let c = fold_char(c);
        if !ok(prev, c) {
            return false;
        }
        prev = c;
    }
    true
}

/// Are the characters equal, ignoring case?
#[scheme_fn(name = "char-ci=?")]
fn char_ci_eq(first: char, rest: Rest<char>) -> bool {
    chain_ci(first, rest, |a, b| a == b)
}

/// Are the characters increasing, ignoring case?
#[scheme_fn(name = "char-ci<?")]
fn char_ci_lt(first: char, rest: Rest<char>) -> bool {
    chain_ci(first, rest, |a, b| a < b)
}

/// Are the characters decreasing, ignoring case?
#[scheme_fn(name = "char-ci>?")]
fn char_ci_gt(first: char, rest: Rest<char>) -> bool {
    chain_ci(first, rest, |a, b| a > b)
}

/// Are the characters non-decreasing, ignoring case?
#[scheme_fn(name = "char-ci<=?")]
fn char_ci_le(first: char, rest: Rest<char>) -> bool {
    chain_ci(first, rest, |a, b| a <= b)
}

/// Are the characters non-increasing, ignoring case?
#[scheme_fn(name = "char-ci>=?")]
fn char_ci_ge(first: char, rest: Rest<char>) -> bool {
    chain_ci(first, rest, |a, b| a >= b)
}
