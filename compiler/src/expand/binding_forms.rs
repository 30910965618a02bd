//! `let`, named `let`, `let*`, `letrec`(`*`) and `do` => `Let`, `Letrec`
//! and loops.

use super::*;

impl Expander<'_> {
    /// `((name init) ...)`: the names and init forms.
    pub(super) fn bindings<'s>(
        &self,
        list: &'s Sexp,
        form: &str,
    ) -> Result<Vec<(String, &'s Sexp, Span)>> {
        let Some(items) = list.list() else {
            return err(
                list.span,
                format!("`{form}` bindings must be a list `((name value) ...)`"),
            );
        };
        let mut out: Vec<(String, &Sexp, Span)> = Vec::new();
        for b in items {
            match b.list() {
                Some([name, value]) if name.sym().is_some() => {
                    let name = name.sym().expect("checked").to_owned();
                    if form != "let*" && out.iter().any(|(n, _, _)| *n == name) {
                        return err(b.span, format!("`{name}` is bound twice in this `{form}`"));
                    }
                    out.push((name, value, b.span));
                }
                _ => {
                    return err(
                        b.span,
                        format!("malformed `{form}` binding: expected `(name value)`"),
                    )
                }
            }
        }
        Ok(out)
    }

    pub(super) fn let_form(&mut self, args: &[Sexp], span: Span) -> Result<Expr> {
        if let [name, bindings, body @ ..] = args {
            if let Some(name) = name.sym() {
                if body.is_empty() {
                    return err(span, "named `let` has an empty body");
                }
                return self.named_let(name, bindings, body, span);
            }
        }
        let [bindings, body @ ..] = args else {
            return err(
                span,
                "`let` needs bindings and a body: `(let ((x 1)) body ...)`",
            );
        };
        if body.is_empty() {
            return err(span, "`let` has an empty body");
        }
        let bs = self.bindings(bindings, "let")?;
        let mut inits = Vec::new();
        let mut scope = Vec::new();
        for (name, value, _) in &bs {
            inits.push(self.named_expr(value, name)?);
            scope.push((name.clone(), self.new_var(name)));
        }
        let body = self.with_scope(&scope, |ex| ex.body(body, span))?;
        Ok(Expr::Let(
            scope.into_iter().map(|(_, v)| v).zip(inits).collect(),
            Box::new(body),
        ))
    }

    pub(super) fn named_let(
        &mut self,
        name: &str,
        bindings: &Sexp,
        body: &[Sexp],
        span: Span,
    ) -> Result<Expr> {
        let bs = self.bindings(bindings, "let")?;
        let mut inits = Vec::new();
        for (_, value, _) in &bs {
            inits.push(self.expr(value)?);
        }
        let loop_var = self.new_var(name);
        let lambda = self.with_scope(&[(name.to_owned(), loop_var)], |ex| {
            let params: Vec<(String, VarId)> = bs
                .iter()
                .map(|(n, _, _)| (n.clone(), ex.new_var(n)))
                .collect();
            let body = ex.with_scope(&params, |ex| ex.body(body, span))?;
            Ok(Lambda {
                name: base_name(name).to_owned(),
                params: params.into_iter().map(|(_, v)| v).collect(),
                rest: None,
                body,
                free: Vec::new(),
                span,
            })
        })?;
        Ok(Expr::Letrec(
            vec![(loop_var, lambda)],
            Box::new(Expr::Call(Box::new(Expr::Local(loop_var)), inits, span)),
        ))
    }

    pub(super) fn let_star(&mut self, args: &[Sexp], span: Span) -> Result<Expr> {
        let [bindings, body @ ..] = args else {
            return err(span, "`let*` needs bindings and a body");
        };
        if body.is_empty() {
            return err(span, "`let*` has an empty body");
        }
        let bs = self.bindings(bindings, "let*")?;
        self.let_star_from(&bs, body, span)
    }

    pub(super) fn let_star_from(
        &mut self,
        bs: &[(String, &Sexp, Span)],
        body: &[Sexp],
        span: Span,
    ) -> Result<Expr> {
        let Some(((name, value, _), rest)) = bs.split_first() else {
            return self.body(body, span);
        };
        let init = self.named_expr(value, name)?;
        let v = self.new_var(name);
        let inner = self.with_scope(&[(name.clone(), v)], |ex| {
            ex.let_star_from(rest, body, span)
        })?;
        Ok(Expr::Let(vec![(v, init)], Box::new(inner)))
    }

    pub(super) fn letrec(&mut self, args: &[Sexp], span: Span, form: &str) -> Result<Expr> {
        let [bindings, body @ ..] = args else {
            return err(span, format!("`{form}` needs bindings and a body"));
        };
        if body.is_empty() {
            return err(span, format!("`{form}` has an empty body"));
        }
        let bs = self.bindings(bindings, form)?;
        let scope: Vec<(String, VarId)> = bs
            .iter()
            .map(|(n, _, _)| (n.clone(), self.new_var(n)))
            .collect();
        self.with_scope(&scope, |ex| {
            let mut inits = Vec::new();
            for (name, value, _) in &bs {
                inits.push(ex.named_expr(value, name)?);
            }
            let body = ex.body(body, span)?;
            let bindings: Vec<(VarId, Expr)> = scope.iter().map(|(_, v)| *v).zip(inits).collect();
            Ok(recursive_bindings(bindings, body, &mut ex.vars))
        })
    }

    pub(super) fn do_form(&mut self, args: &[Sexp], span: Span) -> Result<Expr> {
        let [specs, exit, body @ ..] = args else {
            return err(span, "`do` needs variable specs and an exit clause: `(do ((i 0 (+ i 1))) ((= i n) result) body ...)`");
        };
        let Some(specs) = specs.list() else {
            return err(
                specs.span,
                "`do` variables must be a list `((var init step) ...)`",
            );
        };
        let mut vars = Vec::new();
        for s in specs {
            match s.list() {
                Some([name, init, step @ ..]) if name.sym().is_some() && step.len() <= 1 => {
                    vars.push((name.sym().expect("checked").to_owned(), init, step.first()));
                }
                _ => {
                    return err(
                        s.span,
                        "malformed `do` variable: expected `(var init)` or `(var init step)`",
                    )
                }
            }
        }
        let Some([test, result @ ..]) = exit.list() else {
            return err(exit.span, "`do` exit clause must be `(test result ...)`");
        };
        let mut inits = Vec::new();
        for (_, init, _) in &vars {
            inits.push(self.expr(init)?);
        }
        let loop_var = self.new_var("do-loop");
        let params: Vec<(String, VarId)> = vars
            .iter()
            .map(|(n, _, _)| (n.clone(), self.new_var(n)))
            .collect();
        let lambda_body = self.with_scope(&params, |ex| {
            let test = ex.expr(test)?;
            let result = if result.is_empty() {
                Expr::Const(Datum::Unspecified)
            } else {
                Expr::Seq(ex.exprs(result)?)
            };
            let mut steps = Vec::new();
            for ((_, _, step), (_, v)) in vars.iter().zip(&params) {
                steps.push(match step {
                    Some(s) => ex.expr(s)?,
                    None => Expr::Local(*v),
                });
            }
            let mut seq = ex.exprs(body)?;
            seq.push(Expr::Call(Box::new(Expr::Local(loop_var)), steps, span));
            Ok(Expr::If(
                Box::new(test),
                Box::new(result),
                Box::new(Expr::Seq(seq)),
            ))
        })?;
        let lambda = Lambda {
            name: "do-loop".into(),
            params: params.into_iter().map(|(_, v)| v).collect(),
            rest: None,
            body: lambda_body,
            free: Vec::new(),
            span,
        };
        Ok(Expr::Letrec(
            vec![(loop_var, lambda)],
            Box::new(Expr::Call(Box::new(Expr::Local(loop_var)), inits, span)),
        ))
    }
}
