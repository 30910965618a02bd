//! Forms that expand into calls of prelude procedures (`prelude.scm`):
//!
//!   (parameterize ((p e) ...) body ...)
//!                       => (%parameterize (list p ...) (list e ...) (lambda () body ...))
//!   (delay-force e)     => (%make-promise #f (lambda () e))
//!   (delay e)           => (%make-promise #f (lambda () (%make-promise #t e)))
//!
//! `%parameterize` converts the values and swaps them in and out with
//! `dynamic-wind`, so escapes restore them; promises follow R7RS 7.3
//! (iterative forcing). The names are aliases of the prelude's globals.

use super::guard::{list, sym};
use super::*;

impl Expander<'_> {
    pub(super) fn parameterize(&mut self, args: &[Sexp], span: Span) -> Result<Expr> {
        let usage = "`parameterize` expects `((parameter value) ...)` and a body";
        let Some((bindings, body)) = args.split_first() else {
            return err(span, usage);
        };
        let Some(bindings) = bindings.list() else {
            return err(bindings.span, usage);
        };
        if body.is_empty() {
            return err(span, "`parameterize` has an empty body");
        }
        let (mut params, mut values) = (vec![sym(&self.core("list"), span)], vec![]);
        values.push(sym(&self.core("list"), span));
        for b in bindings {
            let Some([p, v]) = b.list() else {
                return err(b.span, "a `parameterize` binding is `(parameter value)`");
            };
            params.push(p.clone());
            values.push(v.clone());
        }
        let thunk = list(
            [
                vec![sym(&self.core("lambda"), span), list(vec![], span)],
                body.to_vec(),
            ]
            .concat(),
            span,
        );
        let call = list(
            vec![
                sym(&self.core("%parameterize"), span),
                list(params, span),
                list(values, span),
                thunk,
            ],
            span,
        );
        self.expr(&call)
    }

    /// `delay` (`force_later` false) and `delay-force`.
    pub(super) fn delay(&mut self, args: &[Sexp], span: Span, force_later: bool) -> Result<Expr> {
        let [e] = args else {
            let name = if force_later { "delay-force" } else { "delay" };
            return err(span, format!("`{name}` takes one expression"));
        };
        let make = self.core("%make-promise");
        let flag = |b| Sexp {
            kind: SexpKind::Bool(b),
            span,
        };
        let e = if force_later {
            e.clone()
        } else {
            list(vec![sym(&make, span), flag(true), e.clone()], span)
        };
        let thunk = list(
            vec![sym(&self.core("lambda"), span), list(vec![], span), e],
            span,
        );
        self.expr(&list(vec![sym(&make, span), flag(false), thunk], span))
    }
}
