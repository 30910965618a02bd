//! Defines `string-repeat`, as the example text plugin does.

use scheme_runtime::scheme_fn;

/// Another `string-repeat`.
#[scheme_fn]
pub fn string_repeat(s: &str, n: usize) -> String {
    s.repeat(n)
}
