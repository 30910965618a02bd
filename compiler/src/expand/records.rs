//! `define-record-type` (R7RS 5.5): definitions over the runtime's record
//! primitives (scheme-runtime `record.rs`), spliced into the body or
//! program like a macro's output.
//!
//!   (define-record-type point (make-point x y) point? (x point-x set-point-x!) (y point-y))
//!     => (begin
//!          (define point (%make-record-type 'point '#(x y) 0))
//!          (define make-point (lambda (x' y') (%record point x' y')))
//!          (define point? (lambda (obj) (%record? obj point)))
//!          (define point-x (lambda (r) (%record-ref r point 0 'point-x)))
//!          (define set-point-x! (lambda (r v) (%record-set! r point 0 v 'set-point-x!)))
//!          (define point-y (lambda (r) (%record-ref r point 1 'point-y))))
//!
//! The constructor may be a bare name (all fields, in order) or `#f` (none),
//! the predicate `#f`; fields the constructor omits start as `#f`.
//! Parameter names hold a space, so no source name can capture them; the
//! core forms and primitives are aliases (`Expander::core`). `codegen`
//! compiles the record operations inline, and a direct call of an
//! accessor, modifier or predicate defined this way as the operation itself.

use super::guard::{list, sym};
use super::*;

fn quoted(q: &str, d: Sexp) -> Sexp {
    let span = d.span;
    list(vec![sym(q, span), d], span)
}

fn int(n: usize, span: Span) -> Sexp {
    Sexp {
        kind: SexpKind::Int(n as i64),
        span,
    }
}

impl Expander<'_> {
    /// The definitions `form`, a `define-record-type`, stands for, as a `begin`.
    pub(super) fn define_record_type(&mut self, form: &Sexp) -> Result<Sexp> {
        let span = form.span;
        let items = form.list().expect("a list");
        let [_, name, ctor, pred, fields @ ..] = items else {
            return err(
                span,
                "`define-record-type` needs a type name, a constructor, a predicate and fields: `(define-record-type point (make-point x y) point? (x point-x) (y point-y))`",
            );
        };
        if name.sym().is_none() {
            return err(name.span, "the record type name must be an identifier");
        }
        // (field accessor [modifier]) ...
        let mut specs: Vec<(&Sexp, &Sexp, Option<&Sexp>)> = Vec::new();
        for f in fields {
            match f.list() {
                Some([n, a, m @ ..])
                    if m.len() <= 1 && [n, a].into_iter().chain(m).all(|x| x.sym().is_some()) =>
                {
                    if specs.iter().any(|(o, _, _)| o.sym() == n.sym()) {
                        return err(
                            n.span,
                            format!("field `{}` is defined twice", n.sym().unwrap_or("")),
                        );
                    }
                    specs.push((n, a, m.first()));
                }
                _ => {
                    return err(
                        f.span,
                        "a record field is `(field accessor)` or `(field accessor modifier)`",
                    )
                }
            }
        }
        let c = |ex: &mut Self, n: &str| sym(&ex.core(n), span);
        let field_names: Vec<Sexp> = specs.iter().map(|(n, _, _)| (*n).clone()).collect();
        let make_type = list(
            vec![
                c(self, "%make-record-type"),
                quoted(&self.core("quote"), name.clone()),
                quoted(
                    &self.core("quote"),
                    Sexp {
                        kind: SexpKind::Vector(field_names),
                        span,
                    },
                ),
                int(0, span),
            ],
            span,
        );
        let define = self.core("define");
        let lambda = self.core("lambda");
        let def = |target: &Sexp, value: Sexp| {
            list(vec![sym(&define, span), target.clone(), value], span)
        };
        let lam = |params: Vec<Sexp>, body: Sexp| {
            list(vec![sym(&lambda, span), list(params, span), body], span)
        };
        let mut out = vec![c(self, "begin"), def(name, make_type)];
        // The constructor.
        let ctor_fields: Option<(&Sexp, Vec<&Sexp>)> = match &ctor.kind {
            SexpKind::Bool(false) => None,
            SexpKind::Sym(_) => Some((ctor, specs.iter().map(|(n, _, _)| *n).collect())),
            SexpKind::List(parts, None)
                if parts.iter().all(|p| p.sym().is_some()) && !parts.is_empty() =>
            {
                Some((&parts[0], parts[1..].iter().collect()))
            }
            _ => {
                return err(
                    ctor.span,
                    "the record constructor is `(make-name field ...)`, a name, or `#f`",
                )
            }
        };
        if let Some((ctor_name, args)) = ctor_fields {
            let param = |f: &Sexp| sym(&format!("record {}", f.sym().unwrap_or("")), span);
            for a in &args {
                if !specs.iter().any(|(n, _, _)| n.sym() == a.sym()) {
                    return err(
                        a.span,
                        format!(
                            "`{}` is not a field of this record type",
                            a.sym().unwrap_or("")
                        ),
                    );
                }
            }
            let mut make = vec![c(self, "%record"), name.clone()];
            for (n, _, _) in &specs {
                make.push(match args.iter().find(|a| a.sym() == n.sym()) {
                    Some(a) => param(a),
                    None => Sexp {
                        kind: SexpKind::Bool(false),
                        span,
                    },
                });
            }
            let params = args.iter().map(|a| param(a)).collect();
            out.push(def(ctor_name, lam(params, list(make, span))));
        }
        // The predicate.
        match &pred.kind {
            SexpKind::Bool(false) => {}
            SexpKind::Sym(_) => {
                let obj = sym("record obj", span);
                let test = list(vec![c(self, "%record?"), obj.clone(), name.clone()], span);
                out.push(def(pred, lam(vec![obj], test)));
            }
            _ => {
                return err(
                    pred.span,
                    "the record predicate must be an identifier or `#f`",
                )
            }
        }
        // Accessors and modifiers.
        let (r, v) = (sym("record r", span), sym("record v", span));
        for (i, (_, acc, modifier)) in specs.iter().enumerate() {
            let get = list(
                vec![
                    c(self, "%record-ref"),
                    r.clone(),
                    name.clone(),
                    int(i, span),
                    quoted(&self.core("quote"), (*acc).clone()),
                ],
                span,
            );
            out.push(def(acc, lam(vec![r.clone()], get)));
            if let Some(m) = modifier {
                let set = list(
                    vec![
                        c(self, "%record-set!"),
                        r.clone(),
                        name.clone(),
                        int(i, span),
                        v.clone(),
                        quoted(&self.core("quote"), (*m).clone()),
                    ],
                    span,
                );
                out.push(def(m, lam(vec![r.clone(), v.clone()], set)));
            }
        }
        Ok(list(out, span))
    }
}
