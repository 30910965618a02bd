//! Reader: source text => `Sexp`s, through the runtime's `datum_syntax`
//! (the one reader, which `read` shares); its errors become diagnostics.

use crate::diag::Diagnostic;
pub use scheme_runtime::datum_syntax::{Sexp, SexpKind, MAX_DEPTH};

/// Read every datum in `source`. Errors that leave the structure intact
/// (a malformed number) are collected and reading goes on; any other
/// error ends reading and comes last.
pub fn read_all(source: &str) -> (Vec<Sexp>, Vec<Diagnostic>) {
    read_all_folding(source, false)
}

/// `read_all`, case-folded from the start if `fold_case` (`include-ci`).
pub fn read_all_folding(source: &str, fold_case: bool) -> (Vec<Sexp>, Vec<Diagnostic>) {
    let (data, errors) = scheme_runtime::datum_syntax::read_all_folding(source, fold_case);
    let errors = errors
        .into_iter()
        .map(|e| Diagnostic::new(e.span, e.message))
        .collect();
    (data, errors)
}

/// `read_all` of a file whose spans start at `base` (`diag::SourceMap`).
pub fn read_at(source: &str, base: usize) -> (Vec<Sexp>, Vec<Diagnostic>) {
    read_at_folding(source, base, false)
}

/// `read_at`, case-folded from the start if `fold_case`.
pub fn read_at_folding(source: &str, base: usize, fold_case: bool) -> (Vec<Sexp>, Vec<Diagnostic>) {
    let (mut data, mut errors) = read_all_folding(source, fold_case);
    if base > 0 {
        data.iter_mut().for_each(|d| shift(d, base));
        for e in &mut errors {
            e.span.start += base;
            e.span.end += base;
        }
    }
    (data, errors)
}

fn shift(d: &mut Sexp, base: usize) {
    d.span.start += base;
    d.span.end += base;
    match &mut d.kind {
        SexpKind::List(items, tail) => {
            items.iter_mut().for_each(|i| shift(i, base));
            if let Some(t) = tail {
                shift(t, base);
            }
        }
        SexpKind::Vector(items) => items.iter_mut().for_each(|i| shift(i, base)),
        SexpKind::Label(_, inner) => shift(inner, base),
        _ => {}
    }
}
