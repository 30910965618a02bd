//! Multiple-value forms, expanded into the core language. The runtime's
//! `%values->list` turns what an expression returned (one value, or a
//! `values` object) into a list, and `apply` spreads it over a lambda,
//! whose arity check reports a wrong number of values:
//!
//!   (call-with-values p c)          => (apply c (%values->list (p)))
//!   (receive formals e body ...)    => (apply (lambda formals body ...) (%values->list e))
//!   (let-values ((f1 e1) (f2 e2)) body ...)
//!     => (let ((t1 (%values->list e1)) (t2 (%values->list e2)))
//!          (apply (lambda f1 (apply (lambda f2 body ...) t2)) t1))
//!   (let*-values ((f1 e1) (f2 e2)) body ...)
//!     => (apply (lambda f1 (let*-values ((f2 e2)) body ...)) (%values->list e1))
//!   (define-values (a b . c) e)     => (apply (lambda (t1 t2 . t3) (set! a t1) ...) (%values->list e))
//!
//! The temporaries are fresh variables that no source name can reach.

use super::*;

impl Expander<'_> {
    /// `(%values->list e)`.
    fn values_list(&self, e: Expr, span: Span) -> Expr {
        let prim = self
            .prims
            .get("%values->list")
            .expect("the runtime defines %values->list");
        Expr::PrimCall(prim, vec![e], span)
    }

    /// `(apply consumer (%values->list produced))`; but when `consumer` is
    /// a lambda of n fixed parameters and `produced` ends in a call
    /// `(values a1 ... an)` (inside `let`s and `begin`s), that call becomes
    /// `(let ((p1 a1) ... (pn an)) body)`: no values object, list or apply.
    fn spread_values(&self, consumer: Expr, produced: Expr, span: Span) -> Expr {
        match consumer {
            Expr::Lambda(l) if l.rest.is_none() && ends_in_values(&produced, l.params.len()) => {
                let Lambda { params, body, .. } = *l;
                bind_tail_values(produced, params, body)
            }
            consumer => {
                let list = self.values_list(produced, span);
                Expr::Apply(Box::new(consumer), vec![list], span)
            }
        }
    }

    /// `(call-with-values producer consumer)`.
    pub(super) fn call_with_values(&mut self, producer: Expr, consumer: Expr, span: Span) -> Expr {
        let produced = match producer {
            Expr::Lambda(l) if l.params.is_empty() && l.rest.is_none() => l.body,
            p => Expr::Call(Box::new(p), Vec::new(), span),
        };
        self.spread_values(consumer, produced, span)
    }

    /// `(receive formals expr body ...)` (SRFI 8).
    pub(super) fn receive(&mut self, args: &[Sexp], span: Span) -> Result<Expr> {
        let [formals, init, body @ ..] = args else {
            return err(span, "`receive` takes formals, an expression and a body: `(receive (a b) expr body ...)`");
        };
        if body.is_empty() {
            return err(span, "`receive` needs a body");
        }
        let produced = self.expr(init)?;
        let consumer = self.lambda(formals, body, "receive", span)?;
        Ok(self.spread_values(Expr::Lambda(Box::new(consumer)), produced, span))
    }

    /// `(let-values ...)` and, with `sequential`, `(let*-values ...)`.
    pub(super) fn let_values(
        &mut self,
        args: &[Sexp],
        span: Span,
        sequential: bool,
    ) -> Result<Expr> {
        let form = if sequential {
            "let*-values"
        } else {
            "let-values"
        };
        let [bindings, body @ ..] = args else {
            return err(span, format!("`{form}` needs bindings and a body"));
        };
        if body.is_empty() {
            return err(span, format!("`{form}` needs a body"));
        }
        let Some(items) = bindings.list() else {
            return err(
                bindings.span,
                format!("`{form}` bindings must be a list of (formals expression)"),
            );
        };
        let mut pairs = Vec::new();
        for b in items {
            match b.list() {
                Some([formals, init]) => pairs.push((formals, init)),
                _ => {
                    return err(
                        b.span,
                        format!("a `{form}` binding is (formals expression)"),
                    )
                }
            }
        }
        if sequential || pairs.len() == 1 {
            return self.let_star_values(form, &pairs, body, span);
        }
        let mut temps = Vec::new();
        for (_, init) in &pairs {
            let list = self.expr(init)?;
            temps.push((self.new_var(" values"), self.values_list(list, span)));
        }
        let vars: Vec<VarId> = temps.iter().map(|(v, _)| *v).collect();
        let inner = self.spread(&pairs, &vars, body, span)?;
        Ok(Expr::Let(temps, Box::new(inner)))
    }

    /// Bind the formals of `pairs[0]` to the list in `lists[0]`, and so on
    /// inward, around `body`.
    fn spread(
        &mut self,
        pairs: &[(&Sexp, &Sexp)],
        lists: &[VarId],
        body: &[Sexp],
        span: Span,
    ) -> Result<Expr> {
        let Some(((formals, _), rest)) = pairs.split_first() else {
            return self.body(body, span);
        };
        let consumer = self.lambda_with(formals, "let-values", span, |ex| {
            ex.spread(rest, &lists[1..], body, span)
        })?;
        Ok(Expr::Apply(
            Box::new(Expr::Lambda(Box::new(consumer))),
            vec![Expr::Local(lists[0])],
            span,
        ))
    }

    /// `form` names the consumer lambdas (for arity errors).
    fn let_star_values(
        &mut self,
        form: &str,
        pairs: &[(&Sexp, &Sexp)],
        body: &[Sexp],
        span: Span,
    ) -> Result<Expr> {
        let Some(((formals, init), rest)) = pairs.split_first() else {
            return self.body(body, span);
        };
        let produced = self.expr(init)?;
        let consumer = self.lambda_with(formals, form, span, |ex| {
            ex.let_star_values(form, rest, body, span)
        })?;
        Ok(self.spread_values(Expr::Lambda(Box::new(consumer)), produced, span))
    }

    /// `(define-values formals expr)`: assign each target (from `target`,
    /// which maps a name to its `set!`) from the values of `expr`.
    pub(super) fn define_values(
        &mut self,
        form: &Sexp,
        target: &mut dyn FnMut(&mut Self, &str, Expr) -> Expr,
    ) -> Result<Expr> {
        let items = form.list().expect("a define-values form is a list");
        let [_, formals, init] = items else {
            return err(
                form.span,
                "`define-values` takes formals and one expression: `(define-values (a b) expr)`",
            );
        };
        let (names, rest) = formal_names(formals)?;
        let produced = self.expr(init)?;
        let params: Vec<VarId> = names.iter().map(|_| self.new_var(" value")).collect();
        let rest_var = rest.as_ref().map(|_| self.new_var(" values"));
        let mut sets = Vec::new();
        for (name, v) in names.iter().zip(&params).chain(rest.iter().zip(&rest_var)) {
            sets.push(target(self, name, Expr::Local(*v)));
        }
        sets.push(Expr::Const(Datum::Unspecified));
        let consumer = Lambda {
            name: "define-values".into(),
            params,
            rest: rest_var,
            body: Expr::Seq(sets),
            free: Vec::new(),
            span: form.span,
        };
        Ok(self.spread_values(Expr::Lambda(Box::new(consumer)), produced, form.span))
    }
}

/// Does `e` end in a call `(values a1 ... an)` (inside `let`s and `begin`s)?
fn ends_in_values(e: &Expr, n: usize) -> bool {
    match e {
        Expr::PrimCall(p, args, _) => p.name == "values" && args.len() == n,
        Expr::Let(_, body) => ends_in_values(body, n),
        Expr::Seq(es) => es.last().is_some_and(|x| ends_in_values(x, n)),
        _ => false,
    }
}

/// `e` (which `ends_in_values`) with its `values` call replaced by
/// `(let ((p1 a1) ... (pn an)) body)`. Variables are unique, so `body`
/// cannot be captured by the bindings it moves inside.
fn bind_tail_values(e: Expr, params: Vec<VarId>, body: Expr) -> Expr {
    match e {
        // `(values)` for a consumer of no parameters.
        Expr::PrimCall(..) if params.is_empty() => body,
        Expr::PrimCall(_, args, _) => {
            Expr::Let(params.into_iter().zip(args).collect(), Box::new(body))
        }
        Expr::Let(bindings, inner) => {
            Expr::Let(bindings, Box::new(bind_tail_values(*inner, params, body)))
        }
        Expr::Seq(mut es) => {
            let last = es.pop().expect("ends_in_values saw a last form");
            es.push(bind_tail_values(last, params, body));
            Expr::Seq(es)
        }
        _ => unreachable!("bind_tail_values of an expression that does not end in values"),
    }
}

/// The names a `define-values` form (its head already checked) defines.
pub(super) fn define_values_names(form: &Sexp) -> Option<Vec<String>> {
    let items = form.list()?;
    let (mut names, rest) = formal_names(items.get(1)?).ok()?;
    names.extend(rest);
    Some(names)
}

/// The names of formals `(a b . c)`, `(a b)` or `c`: fixed ones and the rest.
fn formal_names(formals: &Sexp) -> Result<(Vec<String>, Option<String>)> {
    let name = |s: &Sexp| match s.sym() {
        Some(n) => Ok(n.to_owned()),
        None => err(s.span, "a formal must be a name"),
    };
    match &formals.kind {
        SexpKind::Sym(r) => Ok((Vec::new(), Some(r.clone()))),
        SexpKind::List(items, tail) => {
            let names = items.iter().map(name).collect::<Result<Vec<_>>>()?;
            let rest = tail.as_deref().map(name).transpose()?;
            Ok((names, rest))
        }
        _ => err(formals.span, "formals must be a list or a name"),
    }
}
