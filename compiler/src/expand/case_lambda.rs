//! `case-lambda` (R7RS 4.2.9): one procedure with a rest parameter that
//! dispatches on the number of arguments.
//!
//!   (case-lambda ((a) e1) ((a b . r) e2))
//!     => (lambda args
//!          (let ((n (length args)))
//!            (if (= n 1) (apply (lambda (a) e1) args)
//!                (if (>= n 2) (apply (lambda (a b . r) e2) args)
//!                    (error "case-lambda: no clause accepts this number of arguments:" n)))))
//!
//! `args` and `n` are fresh variables no source name can reach.

use super::*;

impl Expander<'_> {
    pub(super) fn case_lambda(&mut self, clauses: &[Sexp], span: Span) -> Result<Expr> {
        let p = |name: &str| self.prims.get(name).expect("built-in primitive");
        let (length, eq, ge, error) = (p("length"), p("="), p(">="), p("error"));
        let args = self.new_var("args");
        let n = self.new_var("argument-count");
        let mut result = Expr::PrimCall(
            error,
            vec![
                Expr::Const(Datum::Str(
                    "case-lambda: no clause accepts this number of arguments:".into(),
                )),
                Expr::Local(n),
            ],
            span,
        );
        for clause in clauses.iter().rev() {
            let Some([formals, body @ ..]) = clause.list().filter(|c| c.len() >= 2) else {
                return err(
                    clause.span,
                    "a `case-lambda` clause must be `(formals body ...)`",
                );
            };
            let l = self.lambda(formals, body, "case-lambda", clause.span)?;
            let k = Expr::Const(Datum::Int(l.params.len() as i64));
            let test = if l.rest.is_some() { ge } else { eq };
            let test = Expr::PrimCall(test, vec![Expr::Local(n), k], clause.span);
            let call = Expr::Apply(
                Box::new(Expr::Lambda(Box::new(l))),
                vec![Expr::Local(args)],
                clause.span,
            );
            result = Expr::If(Box::new(test), Box::new(call), Box::new(result));
        }
        let count = Expr::PrimCall(length, vec![Expr::Local(args)], span);
        Ok(Expr::Lambda(Box::new(Lambda {
            name: String::new(),
            params: Vec::new(),
            rest: Some(args),
            body: Expr::Let(vec![(n, count)], Box::new(result)),
            free: Vec::new(),
            span,
        })))
    }
}
