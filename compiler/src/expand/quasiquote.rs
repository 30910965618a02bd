//! `quasiquote` => `cons`, `append`, `list->vector` calls around constants
//! folded bottom-up.

use super::*;

impl Expander<'_> {
    /// A template at quasiquote `depth`. Parts without an unquote come
    /// back as constants, folded bottom-up (a separate "has an unquote?"
    /// scan at every level made deep templates quadratic).
    pub(super) fn quasi(&mut self, t: &Sexp, depth: usize) -> Result<Expr> {
        match &t.kind {
            SexpKind::List(items, tail) => {
                if let ([head, arg], None) = (&items[..], tail) {
                    match head.sym().map(base_name) {
                        Some("unquote") if depth == 1 => return self.expr(arg),
                        // Not in a list, so nothing to splice into: as in
                        // Chez, `(unquote-splicing x)` is then an ordinary
                        // list whose `x` is a template element at this
                        // depth (`,@,x` => `(unquote-splicing 5)`).
                        Some("unquote-splicing") if depth == 1 => {}
                        Some(kw @ ("unquote" | "unquote-splicing")) => {
                            return self.quasi_keyword(kw, arg, depth - 1, t.span)
                        }
                        Some("quasiquote") => {
                            return self.quasi_keyword("quasiquote", arg, depth + 1, t.span)
                        }
                        _ => {}
                    }
                }
                self.quasi_list(items, tail.as_deref(), depth)
            }
            SexpKind::Vector(items) => {
                let list = self.quasi_list(items, None, depth)?;
                if let Expr::Const(d) = list {
                    let mut items = Vec::new();
                    let mut d = d;
                    while let Datum::Pair(car, cdr) = d {
                        items.push(*car);
                        d = *cdr;
                    }
                    return Ok(Expr::Const(Datum::Vector(items)));
                }
                let to_vector = self
                    .prims
                    .get("list->vector")
                    .expect("list->vector is a primitive");
                Ok(Expr::PrimCall(to_vector, vec![list], t.span))
            }
            _ => Ok(Expr::Const(datum(t))),
        }
    }

    /// The elements `items` (then `tail`) of a list template.
    pub(super) fn quasi_list(
        &mut self,
        items: &[Sexp],
        tail: Option<&Sexp>,
        depth: usize,
    ) -> Result<Expr> {
        let cons = self.prims.get("cons").expect("cons is a primitive");
        let mut result = match tail {
            Some(tail) => self.quasi(tail, depth)?,
            None => Expr::Const(Datum::Nil),
        };
        for item in items.iter().rev() {
            if let Some([head, arg]) = item.list() {
                if head.sym().map(base_name) == Some("unquote-splicing") && depth == 1 {
                    let spliced = self.expr(arg)?;
                    let append = self.prims.get("append").expect("append is a primitive");
                    result = Expr::PrimCall(append, vec![spliced, result], item.span);
                    continue;
                }
            }
            let x = self.quasi(item, depth)?;
            result = match (x, result) {
                (Expr::Const(car), Expr::Const(cdr)) => {
                    Expr::Const(Datum::Pair(Box::new(car), Box::new(cdr)))
                }
                (x, result) => Expr::PrimCall(cons, vec![x, result], item.span),
            };
        }
        Ok(result)
    }

    /// `(kw x)` rebuilt inside a nested quasiquote.
    pub(super) fn quasi_keyword(
        &mut self,
        kw: &str,
        arg: &Sexp,
        depth: usize,
        span: Span,
    ) -> Result<Expr> {
        let inner = self.quasi(arg, depth)?;
        let kw = Datum::Sym(kw.into());
        if let Expr::Const(d) = inner {
            let tail = Datum::Pair(Box::new(d), Box::new(Datum::Nil));
            return Ok(Expr::Const(Datum::Pair(Box::new(kw), Box::new(tail))));
        }
        let list = self.prims.get("list").expect("list is a primitive");
        Ok(Expr::PrimCall(list, vec![Expr::Const(kw), inner], span))
    }
}
