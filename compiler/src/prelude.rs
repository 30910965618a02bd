//! The prelude: library procedures written in Scheme (`prelude/prelude.scm`),
//! added to a program before expansion, each only if the program uses its
//! name and does not define it.
//!
//! (define (dynamic-wind ...) ...)  => prepended to the program's forms
//!
//! Their spans all point at the end of the program's source: positions
//! there mean "the prelude" (no line of the user's file).

use std::collections::HashSet;

use crate::diag::Span;
use crate::reader::{self, Sexp, SexpKind};

const SOURCE: &str = include_str!("prelude/prelude.scm");

/// Primitives that call procedures and have a Scheme definition `%NAME`
/// in the prelude, which the expander uses where the Rust one would put a
/// Rust frame under the procedure (`expand::scheme_version`).
pub const SCHEME_VERSIONS: &[&str] = &[
    "map",
    "for-each",
    "vector-map",
    "vector-for-each",
    "string-for-each",
];

/// Names whose use needs prelude procedures: special forms whose expansion
/// uses them, and the primitives of `SCHEME_VERSIONS`.
const FORM_USES: &[(&str, &[&str])] = &[
    ("guard", &["with-exception-handler"]),
    ("map", &["%map"]),
    ("for-each", &["%for-each"]),
    ("vector-map", &["%vector-map"]),
    ("vector-for-each", &["%vector-for-each"]),
    ("string-for-each", &["%string-for-each"]),
    ("parameterize", &["%parameterize"]),
    ("delay", &["%make-promise"]),
    ("delay-force", &["%make-promise"]),
];

/// The prelude definitions `forms` need, to put before them.
pub fn needed(forms: &[Sexp], source_len: usize) -> Vec<Sexp> {
    needed_except(forms, source_len, &[])
}

/// `needed`, leaving out the names `existing` (globals a running program
/// already has, for a unit compiled for it).
pub fn needed_except(forms: &[Sexp], source_len: usize, existing: &[String]) -> Vec<Sexp> {
    let (prelude, errors) = reader::read_all(SOURCE);
    assert!(errors.is_empty(), "the prelude reads: {errors:?}");
    let mut defined: HashSet<&str> = forms.iter().filter_map(defined_name).collect();
    defined.extend(existing.iter().map(String::as_str));
    let mut used = HashSet::new();
    for f in forms {
        symbols(f, &mut used);
    }
    // Add what is used, then what the added definitions use, until no more.
    let mut taken = vec![false; prelude.len()];
    loop {
        let mut added = false;
        for (i, def) in prelude.iter().enumerate() {
            let name = defined_name(def).expect("the prelude holds definitions");
            if !taken[i] && used.contains(name) && !defined.contains(name) {
                taken[i] = true;
                added = true;
                symbols(def, &mut used);
            }
        }
        if !added {
            break;
        }
    }
    let at_end = Span::new(source_len, source_len);
    prelude
        .into_iter()
        .zip(taken)
        .filter(|(_, t)| *t)
        .map(|(mut def, _)| {
            respan(&mut def, at_end);
            def
        })
        .collect()
}

fn defined_name(form: &Sexp) -> Option<&str> {
    let items = form.list()?;
    if items.first()?.sym()? != "define" {
        return None;
    }
    match &items.get(1)?.kind {
        SexpKind::Sym(s) => Some(s),
        SexpKind::List(parts, _) => parts.first()?.sym(),
        _ => None,
    }
}

/// Every symbol in `e` outside quoted data (a use of a name: an
/// over-approximation, since any symbol in code counts), plus the prelude
/// names of the special forms it uses. Quoted data is left out: a symbol
/// `eval` in a quoted list must not bring in `eval`, which makes the whole
/// program one whose globals may change (no known procedures).
fn symbols(e: &Sexp, out: &mut HashSet<String>) {
    let mut stack = vec![e];
    while let Some(e) = stack.pop() {
        match &e.kind {
            SexpKind::Sym(s) => {
                if let Some((_, uses)) = FORM_USES.iter().find(|(f, _)| f == s) {
                    out.extend(uses.iter().map(|u| u.to_string()));
                }
                if !out.contains(s.as_str()) {
                    out.insert(s.clone());
                }
            }
            SexpKind::List(items, _) if items.first().and_then(Sexp::sym) == Some("quote") => {}
            SexpKind::List(items, tail) => {
                stack.extend(items);
                stack.extend(tail.as_deref());
            }
            _ => {}
        }
    }
}

fn respan(e: &mut Sexp, span: Span) {
    e.span = span;
    match &mut e.kind {
        SexpKind::List(items, tail) => {
            items.iter_mut().for_each(|i| respan(i, span));
            if let Some(t) = tail {
                respan(t, span);
            }
        }
        SexpKind::Vector(items) => items.iter_mut().for_each(|i| respan(i, span)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn needed_names(source: &str) -> Vec<String> {
        let (forms, errors) = reader::read_all(source);
        assert!(errors.is_empty());
        needed(&forms, source.len())
            .iter()
            .filter_map(|d| defined_name(d).map(str::to_owned))
            .collect()
    }

    #[test]
    fn quoted_symbols_need_nothing() {
        assert!(needed_names("(define x '(eval load (dynamic-wind))) (display x)").is_empty());
        assert!(needed_names("(display (vector 'eval))").is_empty());
        assert!(needed_names("(display (eval '(+ 1 2)))").contains(&"eval".to_string()));
        assert!(needed_names("(display `(a ,(eval 'b)))").contains(&"eval".to_string()));
    }
}
