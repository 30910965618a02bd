//! `cond-expand` (R7RS 4.2.1): the first clause whose feature requirement
//! holds, spliced like `begin` (in a body or at the top level) or as a
//! `begin` expression.
//!
//!   (cond-expand (req form ...) ... [(else form ...)]) => (begin form ...)
//!
//! Requirements: a feature identifier (`FEATURES`), `(and req ...)`,
//! `(or req ...)`, `(not req)`, `(library name)` (true for the standard
//! libraries). Also among library declarations (`loader.rs`).

use super::hygiene::base_name;
use super::*;

/// What this implementation provides (the runtime's `(features)` list).
pub use scheme_runtime::FEATURES;

/// The forms of the first clause of `(cond-expand clause ...)` whose
/// requirement holds (none if no clause does).
pub(crate) fn cond_expand(form: &Sexp) -> Result<&[Sexp]> {
    let clauses = &form.list().expect("a cond-expand form is a list")[1..];
    for (i, clause) in clauses.iter().enumerate() {
        let Some([req, forms @ ..]) = clause.list() else {
            return err(
                clause.span,
                "a `cond-expand` clause must be `(feature-requirement form ...)`",
            );
        };
        if req.sym().map(base_name) == Some("else") {
            if i + 1 != clauses.len() {
                return err(clause.span, "`else` must be the last `cond-expand` clause");
            }
            return Ok(forms);
        }
        if holds(req)? {
            return Ok(forms);
        }
    }
    Ok(&[])
}

fn holds(req: &Sexp) -> Result<bool> {
    if let Some(name) = req.sym() {
        return Ok(FEATURES.contains(&base_name(name)));
    }
    let bad = || {
        err(
            req.span,
            "a feature requirement is a feature name, `(and req ...)`, `(or req ...)`, `(not req)` or `(library name)`",
        )
    };
    let Some([head, args @ ..]) = req.list() else {
        return bad();
    };
    match (head.sym().map(base_name), args) {
        (Some("and"), reqs) => {
            for r in reqs {
                if !holds(r)? {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        (Some("or"), reqs) => {
            for r in reqs {
                if holds(r)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        (Some("not"), [r]) => Ok(!holds(r)?),
        // The standard libraries are always there; a library of the
        // program's own is not known here (documented).
        (Some("library"), [name]) => {
            let name = super::libraries::library_name(name)?;
            Ok(super::libraries::STANDARD.contains(&name.as_str()))
        }
        _ => bad(),
    }
}
