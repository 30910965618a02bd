//! `and`, `or`, `cond` and `case` => `If` (with `Let` temporaries).

use super::*;

impl Expander<'_> {
    pub(super) fn and(&mut self, args: &[Sexp]) -> Result<Expr> {
        match args {
            [] => Ok(Expr::Const(Datum::Bool(true))),
            [e] => self.expr(e),
            [e, rest @ ..] => Ok(Expr::If(
                Box::new(self.expr(e)?),
                Box::new(self.and(rest)?),
                Box::new(Expr::Const(Datum::Bool(false))),
            )),
        }
    }

    pub(super) fn or(&mut self, args: &[Sexp]) -> Result<Expr> {
        match args {
            [] => Ok(Expr::Const(Datum::Bool(false))),
            [e] => self.expr(e),
            [e, rest @ ..] => {
                let first = self.expr(e)?;
                let rest = self.or(rest)?;
                Ok(self.test_or(first, rest))
            }
        }
    }

    /// `(let ((t first)) (if t t rest))`.
    pub(super) fn test_or(&mut self, first: Expr, rest: Expr) -> Expr {
        let t = self.new_var("or-value");
        Expr::Let(
            vec![(t, first)],
            Box::new(Expr::If(
                Box::new(Expr::Local(t)),
                Box::new(Expr::Local(t)),
                Box::new(rest),
            )),
        )
    }

    pub(super) fn cond(&mut self, clauses: &[Sexp]) -> Result<Expr> {
        let Some((clause, rest)) = clauses.split_first() else {
            return Ok(Expr::Const(Datum::Unspecified));
        };
        let Some(parts) = clause.list().filter(|p| !p.is_empty()) else {
            return err(
                clause.span,
                "a `cond` clause must be a list `(test expr ...)`",
            );
        };
        if self.is(&parts[0], "else") {
            if !rest.is_empty() {
                return err(rest[0].span, "`else` must be the last `cond` clause");
            }
            if parts.len() == 1 {
                return err(clause.span, "`else` clause needs at least one expression");
            }
            return Ok(Expr::Seq(self.exprs(&parts[1..])?));
        }
        let test = self.expr(&parts[0])?;
        let otherwise = self.cond(rest)?;
        match &parts[1..] {
            [] => Ok(self.test_or(test, otherwise)),
            [arrow, f] if self.is(arrow, "=>") => {
                let f = self.expr(f)?;
                let t = self.new_var("cond-value");
                Ok(Expr::Let(
                    vec![(t, test)],
                    Box::new(Expr::If(
                        Box::new(Expr::Local(t)),
                        Box::new(call(f, vec![Expr::Local(t)], clause.span)),
                        Box::new(otherwise),
                    )),
                ))
            }
            [arrow, ..] if self.is(arrow, "=>") => err(
                clause.span,
                "`=>` must be followed by exactly one expression",
            ),
            body => Ok(Expr::If(
                Box::new(test),
                Box::new(Expr::Seq(self.exprs(body)?)),
                Box::new(otherwise),
            )),
        }
    }

    pub(super) fn case(&mut self, args: &[Sexp], span: Span) -> Result<Expr> {
        let [key, clauses @ ..] = args else {
            return err(span, "`case` needs a key expression");
        };
        let key = self.expr(key)?;
        let t = self.new_var("case-key");
        // The data are literals, so `eq?` decides `eqv?` for all but the
        // numbers that are not fixnums (integers in the fixnum range are
        // always fixnums): bignums, ratios and flonums need `eqv?`.
        let eq = self.prims.get("eq?").expect("eq? is a primitive");
        let eqv = self.prims.get("eqv?").expect("eqv? is a primitive");
        let mut result = Expr::Const(Datum::Unspecified);
        for (i, clause) in clauses.iter().enumerate().rev() {
            let Some(parts) = clause.list().filter(|p| p.len() >= 2) else {
                return err(
                    clause.span,
                    "a `case` clause must be `((datum ...) expr ...)`",
                );
            };
            let body = match &parts[1..] {
                [arrow, f] if self.is(arrow, "=>") => {
                    call(self.expr(f)?, vec![Expr::Local(t)], clause.span)
                }
                body => Expr::Seq(self.exprs(body)?),
            };
            if self.is(&parts[0], "else") {
                if i != clauses.len() - 1 {
                    return err(clause.span, "`else` must be the last `case` clause");
                }
                result = body;
                continue;
            }
            let Some(data) = parts[0].list() else {
                return err(
                    parts[0].span,
                    "`case` clause data must be a list `(datum ...)`",
                );
            };
            let test = data
                .iter()
                .rev()
                .fold(Expr::Const(Datum::Bool(false)), |rest, d| {
                    let same = if matches!(d.kind, SexpKind::Number(_)) {
                        eqv
                    } else {
                        eq
                    };
                    let is =
                        Expr::PrimCall(same, vec![Expr::Local(t), Expr::Const(datum(d))], d.span);
                    Expr::If(
                        Box::new(is),
                        Box::new(Expr::Const(Datum::Bool(true))),
                        Box::new(rest),
                    )
                });
            result = Expr::If(Box::new(test), Box::new(body), Box::new(result));
        }
        Ok(Expr::Let(vec![(t, key)], Box::new(result)))
    }
}
