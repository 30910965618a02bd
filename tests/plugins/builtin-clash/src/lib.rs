//! Defines `length`, which the runtime already has.

use scheme_runtime::scheme_fn;

/// A second `length`.
#[scheme_fn]
pub fn length(s: &str) -> usize {
    s.len()
}
