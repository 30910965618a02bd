//! `guard` (R7RS 4.2.7), expanded into `call/cc` and the prelude's
//! `with-exception-handler`:
//!
//!   (guard (var clause ...) body ...)
//!     => ((call/cc
//!           (lambda (k)
//!             (with-exception-handler
//!               (lambda (c) (let ((var c)) (cond clause' ... [else (raise-continuable c)])))
//!               (lambda () (let ((v (let () body ...))) (lambda () v)))))))
//!
//!   clause' : (test b ...)  => (test (k (lambda () b ...)))
//!             (test => f)   => (test => (lambda (t) (k (lambda () (f t)))))
//!             (test)        => (test => (lambda (t) (k (lambda () t))))
//!             (else b ...)  => (else (k (lambda () b ...)))
//!
//! The clause bodies run in the continuation of the `guard` (through the
//! thunk passed to `k`); the tests run in the handler, in the dynamic
//! environment of the raise (R7RS evaluates them after returning to the
//! guard's; the difference shows only to `dynamic-wind` and parameters).
//! Without a matching clause the condition is raised again with
//! `raise-continuable` in the raise's environment, as R7RS says.
//! `k`, `c`, `v`, `t` are names no source text can spell (they hold a
//! space), so they capture nothing.

use super::*;

const K: &str = "guard k";
const C: &str = "guard c";
const V: &str = "guard v";
const T: &str = "guard t";

pub(super) fn sym(name: &str, span: Span) -> Sexp {
    Sexp {
        kind: SexpKind::Sym(name.into()),
        span,
    }
}

pub(super) fn list(items: Vec<Sexp>, span: Span) -> Sexp {
    Sexp {
        kind: SexpKind::List(items, None),
        span,
    }
}

/// The expansion's own identifiers, as aliases of the built-in forms and
/// procedures (`hygiene.rs`): a user's `lambda` or `cond` changes nothing.
struct Names {
    lambda: String,
    let_: String,
    cond: String,
    else_: String,
    arrow: String,
    callcc: String,
    handler: String,
    reraise: String,
}

/// `(k (lambda () body ...))`
fn to_guard(n: &Names, body: Vec<Sexp>, span: Span) -> Sexp {
    let thunk = list(
        [vec![sym(&n.lambda, span), list(vec![], span)], body].concat(),
        span,
    );
    list(vec![sym(K, span), thunk], span)
}

/// `(lambda (t) (k (lambda () <f t or t>)))`
fn receive_test(n: &Names, f: Option<&Sexp>, span: Span) -> Sexp {
    let value = match f {
        Some(f) => list(vec![f.clone(), sym(T, span)], span),
        None => sym(T, span),
    };
    list(
        vec![
            sym(&n.lambda, span),
            list(vec![sym(T, span)], span),
            to_guard(n, vec![value], span),
        ],
        span,
    )
}

impl Expander<'_> {
    pub(super) fn guard(&mut self, args: &[Sexp], span: Span) -> Result<Expr> {
        let Some((spec, body)) = args.split_first() else {
            return err(span, "`guard` needs `(variable clause ...)` and a body");
        };
        let Some([var, clauses @ ..]) = spec.list() else {
            return err(spec.span, "`guard` expects `(variable clause ...)`");
        };
        if var.sym().is_none() {
            return err(
                var.span,
                "`guard` expects a variable to bind the condition to",
            );
        }
        if body.is_empty() {
            return err(span, "`guard` has an empty body");
        }
        let n = Names {
            lambda: self.core("lambda"),
            let_: self.core("let"),
            cond: self.core("cond"),
            else_: self.core("else"),
            arrow: self.core("=>"),
            callcc: self.core("call/cc"),
            handler: self.core("with-exception-handler"),
            reraise: self.core("raise-continuable"),
        };
        let mut cond = vec![sym(&n.cond, span)];
        let mut has_else = false;
        for clause in clauses {
            let s = clause.span;
            let Some(items) = clause.list().filter(|i| !i.is_empty()) else {
                return err(
                    s,
                    "a `guard` clause is `(test body ...)`, `(test => f)` or `(else body ...)`",
                );
            };
            let test = items[0].clone();
            let out = match &items[1..] {
                _ if self.is(&test, "else") => {
                    has_else = true;
                    vec![test, to_guard(&n, items[1..].to_vec(), s)]
                }
                [arrow, f] if self.is(arrow, "=>") => {
                    vec![test, arrow.clone(), receive_test(&n, Some(f), s)]
                }
                [] => vec![test, sym(&n.arrow, s), receive_test(&n, None, s)],
                rest => vec![test, to_guard(&n, rest.to_vec(), s)],
            };
            cond.push(list(out, s));
        }
        if !has_else {
            let reraise = list(vec![sym(&n.reraise, span), sym(C, span)], span);
            cond.push(list(vec![sym(&n.else_, span), reraise], span));
        }
        let handler = list(
            vec![
                sym(&n.lambda, span),
                list(vec![sym(C, span)], span),
                list(
                    vec![
                        sym(&n.let_, span),
                        list(vec![list(vec![var.clone(), sym(C, span)], span)], span),
                        list(cond, span),
                    ],
                    span,
                ),
            ],
            span,
        );
        let body = list(
            [vec![sym(&n.let_, span), list(vec![], span)], body.to_vec()].concat(),
            span,
        );
        let thunk = list(
            vec![
                sym(&n.lambda, span),
                list(vec![], span),
                list(
                    vec![
                        sym(&n.let_, span),
                        list(vec![list(vec![sym(V, span), body], span)], span),
                        list(
                            vec![sym(&n.lambda, span), list(vec![], span), sym(V, span)],
                            span,
                        ),
                    ],
                    span,
                ),
            ],
            span,
        );
        let receiver = list(
            vec![
                sym(&n.lambda, span),
                list(vec![sym(K, span)], span),
                list(vec![sym(&n.handler, span), handler, thunk], span),
            ],
            span,
        );
        let callcc = list(vec![sym(&n.callcc, span), receiver], span);
        self.expr(&list(vec![callcc], span))
    }
}
