//! Reader: source text => `Sexp`s, through the runtime's `datum_syntax`
//! (the one reader, which `read` shares); its errors become diagnostics.

use crate::diag::Diagnostic;
pub use scheme_runtime::datum_syntax::{Sexp, SexpKind, MAX_DEPTH};

/// Read every datum in `source`. Errors that leave the structure intact
/// (a malformed number) are collected and reading goes on; any other
/// error ends reading and comes last.
pub fn read_all(source: &str) -> (Vec<Sexp>, Vec<Diagnostic>) {
    let (data, errors) = scheme_runtime::datum_syntax::read_all(source);
    let errors = errors
        .into_iter()
        .map(|e| Diagnostic::new(e.span, e.message))
        .collect();
    (data, errors)
}
