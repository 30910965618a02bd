//! An example plugin: string utilities for Scheme, written as ordinary
//! Rust functions. Build with `cargo build --release`, then in Scheme:
//!
//! ```scheme
//! (load-library "../target/release/libtext.so")
//! (display (string-repeat "ab" 3))   ; ababab
//! ```

use scheme_runtime::{scheme_fn, Rest};

/// Repeat `s` `n` times.
#[scheme_fn]
pub fn string_repeat(s: &str, n: usize) -> String {
    s.repeat(n)
}

/// The words of `s` (split at white space), as a list of fresh strings.
#[scheme_fn]
pub fn string_words(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_owned).collect()
}

/// Join the strings with `separator` between them.
#[scheme_fn]
pub fn string_join(separator: &str, parts: Rest<&str>) -> String {
    parts.0.join(separator)
}

/// The characters of `s` in reverse order.
#[scheme_fn]
pub fn string_reverse(s: &str) -> String {
    s.chars().rev().collect()
}

/// The integer written in `s`; an error if it is not one.
#[scheme_fn]
pub fn parse_integer(s: &str) -> Result<i64, String> {
    s.trim()
        .parse::<i64>()
        .map_err(|e| format!("cannot parse {s:?} as an integer: {e}"))
}

/// Does `s` read the same backwards (ignoring case and non-letters)?
#[scheme_fn]
pub fn is_palindrome(s: &str) -> bool {
    let letters: Vec<char> = s
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    letters.iter().eq(letters.iter().rev())
}
