//! Bodies and the top level: which forms are definitions.
//!
//! A body (or the program) is scanned first, in order: a macro use at the
//! head of a form is expanded until the form is not one, `begin` is
//! spliced, `define-syntax` defines its macro at once (later forms may use
//! it), and `define` / `define-values` are recorded. Then the definitions'
//! names are bound (globals, or a body's letrec* scope) and every form is
//! expanded. In a body, a name defined earlier in the same body is not a
//! keyword or macro for the forms after it.
//!
//!   body with definitions => Letrec (all lambdas) or Let + SetLocal
//!   top-level (define x e) => SetGlobal

use std::borrow::Cow;

use super::hygiene::{Local, Meaning};
use super::letrec::fixed_bindings;
use super::*;

/// A form of a body or of the program, after its head was expanded.
pub(super) struct Item<'s> {
    form: Cow<'s, Sexp>,
    kind: Kind,
    /// The macro uses that produced the form, outermost first.
    chain: Vec<(MacroId, Span)>,
}

enum Kind {
    /// `define`, and the name it defines if it is well formed.
    Define(Option<String>),
    /// `define-values`, and the names it defines if it is well formed.
    DefineValues(Option<Vec<String>>),
    /// `define-syntax`, done during the scan.
    Syntax,
    Expr,
}

/// What the scan of one body keeps.
#[derive(Default)]
struct BodyScan {
    /// Names defined so far (they shadow keywords and macros after them).
    defined: Vec<String>,
    /// Macros defined in the body, bound as they were met.
    macros: Vec<(String, MacroId)>,
}

/// The name a `define` form defines, if it is well formed.
fn defined_name(form: &Sexp) -> Option<&str> {
    let items = form.list()?;
    let mut target = items.get(1)?;
    // (define ((f a) b) ...) defines f.
    loop {
        match &target.kind {
            SexpKind::Sym(s) => return Some(s),
            SexpKind::List(items, _) if !items.is_empty() => target = &items[0],
            _ => return None,
        }
    }
}

impl<'p> Expander<'p> {
    /// Scan `form` into `items`; `body` is `None` at the top level.
    fn scan<'s>(
        &mut self,
        form: Cow<'s, Sexp>,
        mut chain: Vec<(MacroId, Span)>,
        mut body: Option<&mut BodyScan>,
        items: &mut Vec<Item<'s>>,
    ) -> Result<()> {
        let mut form = form;
        loop {
            let head = match form.list() {
                Some([head, ..]) => head.sym(),
                _ => None,
            };
            let meaning = match head {
                Some(h)
                    if !body
                        .as_ref()
                        .is_some_and(|b| b.defined.iter().any(|d| d == h)) =>
                {
                    self.resolve(h)
                }
                _ => Meaning::Unbound(String::new()),
            };
            let kind = match meaning {
                Meaning::Macro(m) => {
                    let depth = self.expansion_depth + chain.len();
                    let out = self
                        .expand_use(m, &form, depth)
                        .map_err(|d| self.annotate(d, &chain))?;
                    chain.push((m, form.span));
                    form = Cow::Owned(out);
                    continue;
                }
                Meaning::Special(k @ ("begin" | "cond-expand")) => {
                    // The forms spliced in place of this one.
                    let subforms: Vec<Cow<'s, Sexp>> = match form {
                        Cow::Borrowed(f) => {
                            let forms = if k == "begin" {
                                &f.list().expect("a list")[1..]
                            } else {
                                features::cond_expand(f).map_err(|d| self.annotate(d, &chain))?
                            };
                            forms.iter().map(Cow::Borrowed).collect()
                        }
                        Cow::Owned(f) if k == "cond-expand" => {
                            let forms =
                                features::cond_expand(&f).map_err(|d| self.annotate(d, &chain))?;
                            forms.iter().cloned().map(Cow::Owned).collect()
                        }
                        Cow::Owned(Sexp {
                            kind: SexpKind::List(fs, _),
                            ..
                        }) => fs.into_iter().skip(1).map(Cow::Owned).collect(),
                        Cow::Owned(_) => unreachable!("a list"),
                    };
                    for f in subforms {
                        self.scan(f, chain.clone(), body.as_deref_mut(), items)?;
                    }
                    return Ok(());
                }
                Meaning::Special("define-record-type") => {
                    let out = self
                        .define_record_type(&form)
                        .map_err(|d| self.annotate(d, &chain))?;
                    form = Cow::Owned(out);
                    continue;
                }
                Meaning::Special("define") => {
                    let name = defined_name(&form).map(str::to_owned);
                    if let Some(name) = &name {
                        self.defining(name, body.as_deref_mut());
                    }
                    Kind::Define(name)
                }
                Meaning::Special("define-values") => {
                    let names = values::define_values_names(&form);
                    for name in names.iter().flatten() {
                        self.defining(name, body.as_deref_mut());
                    }
                    Kind::DefineValues(names)
                }
                Meaning::Special("define-syntax") => {
                    let (name, m) = self
                        .define_syntax(&form)
                        .map_err(|d| self.annotate(d, &chain))?;
                    match body.as_deref_mut() {
                        Some(b) => {
                            self.push_local(&name, Local::Macro(m));
                            // It sees itself and the body's earlier macros
                            // now, and its definitions once they are bound.
                            self.macros[m].limit = self.scope_mark();
                            b.defined.retain(|d| *d != name);
                            b.macros.push((name, m));
                        }
                        None => {
                            self.top_macros.insert(name, m);
                        }
                    }
                    Kind::Syntax
                }
                _ => Kind::Expr,
            };
            items.push(Item { form, kind, chain });
            return Ok(());
        }
    }

    /// Record a definition of `name` met in the scan.
    fn defining(&mut self, name: &str, body: Option<&mut BodyScan>) {
        match body {
            Some(b) => b.defined.push(name.to_owned()),
            None => {
                self.global(name);
                self.top_macros.remove(name);
            }
        }
    }

    /// The program's forms, each expanded; reports every form that fails.
    pub(super) fn program(
        &mut self,
        forms: &[Sexp],
    ) -> std::result::Result<Vec<Expr>, Vec<Diagnostic>> {
        let mut items = Vec::new();
        let mut errors = Vec::new();
        for f in forms {
            self.transcribe_budget = macros::MAX_TRANSCRIBED;
            self.in_program_code = f.span.start < self.prelude_start;
            if let Err(d) = self.scan(Cow::Borrowed(f), Vec::new(), None, &mut items) {
                errors.push(d);
            }
        }
        let mut body = Vec::new();
        for item in &items {
            self.transcribe_budget = macros::MAX_TRANSCRIBED;
            self.in_program_code = item.form.span.start < self.prelude_start;
            match self.top_level(item) {
                Ok(Some(e)) => body.push(e),
                Ok(None) => {}
                Err(d) => errors.push(self.annotate(d, &item.chain)),
            }
        }
        if errors.is_empty() {
            Ok(body)
        } else {
            Err(errors)
        }
    }

    fn top_level(&mut self, item: &Item) -> Result<Option<Expr>> {
        let form = item.form.as_ref();
        match &item.kind {
            Kind::Define(_) => {
                let (name, value) = self.define_form(form, form.list().expect("a list"))?;
                let g = self.globals[&name];
                Ok(Some(Expr::SetGlobal(g, Box::new(value))))
            }
            Kind::DefineValues(_) => Ok(Some(self.define_values(form, &mut |ex, name, v| {
                Expr::SetGlobal(ex.globals[name], Box::new(v))
            })?)),
            Kind::Syntax => Ok(None),
            Kind::Expr => {
                if let Some([head, ..]) = form.list() {
                    if self.is(head, "load-library") || self.is(head, "load-shared-object") {
                        // Loaded by the driver before expansion; the program loads it at start-up.
                        return Ok(None);
                    }
                }
                Ok(Some(self.expr(form)?))
            }
        }
    }

    /// A body: internal definitions (letrec* semantics), then expressions.
    pub(super) fn body(&mut self, forms: &[Sexp], span: Span) -> Result<Expr> {
        let mut scan = BodyScan::default();
        let mut items = Vec::new();
        let mut r = Ok(());
        for f in forms {
            r = self.scan(Cow::Borrowed(f), Vec::new(), Some(&mut scan), &mut items);
            if r.is_err() {
                break;
            }
        }
        let r = r.and_then(|()| self.body_items(items, forms, span, &scan));
        for (name, _) in scan.macros.iter().rev() {
            self.pop_local(name);
        }
        r
    }

    fn body_items(
        &mut self,
        items: Vec<Item>,
        forms: &[Sexp],
        span: Span,
        scan: &BodyScan,
    ) -> Result<Expr> {
        let any_syntax = items.iter().any(|i| matches!(i.kind, Kind::Syntax));
        let items: Vec<Item> = items
            .into_iter()
            .filter(|i| !matches!(i.kind, Kind::Syntax))
            .collect();
        let is_def = |i: &Item| matches!(i.kind, Kind::Define(_) | Kind::DefineValues(_));
        if items.is_empty() && !any_syntax {
            // Only empty `(begin)`s, e.g. `(lambda () (begin))`.
            let at = forms.last().map_or(span, |f| f.span);
            return err(
                at,
                "invalid syntax `(begin)`: a body needs at least one expression",
            );
        }
        if items.last().is_none_or(is_def) {
            return err(span, "a body must end with an expression, not a definition");
        }
        if !items.iter().any(is_def) {
            let mut body = Vec::new();
            for i in &items {
                body.push(self.expr(&i.form).map_err(|d| self.annotate(d, &i.chain))?);
            }
            return Ok(Expr::Seq(body));
        }
        let mut scope: Vec<(String, VarId)> = Vec::new();
        for i in &items {
            let names = match &i.kind {
                Kind::Define(Some(name)) => vec![name.clone()],
                Kind::DefineValues(Some(names)) => names.clone(),
                Kind::Define(None) => return err(i.form.span, "malformed `define`"),
                Kind::DefineValues(None) => return err(i.form.span, "malformed `define-values`"),
                Kind::Syntax | Kind::Expr => continue,
            };
            for name in names {
                if scope.iter().any(|(n, _)| *n == name) {
                    return err(
                        i.form.span,
                        format!("`{}` is defined twice in this body", base_name(&name)),
                    );
                }
                let v = self.new_var(&name);
                scope.push((name, v));
            }
        }
        let any_values = items
            .iter()
            .any(|i| matches!(i.kind, Kind::DefineValues(_)));
        self.with_scope(&scope, |ex| {
            // The body's macros see its definitions.
            for (_, m) in &scan.macros {
                ex.macros[*m].limit = ex.scope_mark();
            }
            let mut defs = Vec::new();
            let mut seq = Vec::new();
            for i in &items {
                let f = i.form.as_ref();
                let annotate = |ex: &Self, d| ex.annotate(d, &i.chain);
                match i.kind {
                    Kind::Define(_) => {
                        let (name, value) = ex
                            .define_form(f, f.list().expect("is a list"))
                            .map_err(|d| annotate(ex, d))?;
                        let v = scope
                            .iter()
                            .find(|(n, _)| *n == name)
                            .expect("collected above")
                            .1;
                        defs.push((v, value));
                        seq.push(None);
                    }
                    Kind::DefineValues(_) => {
                        let set = ex
                            .define_values(f, &mut |ex, name, value| {
                                let v = scope
                                    .iter()
                                    .find(|(n, _)| n == name)
                                    .expect("collected above")
                                    .1;
                                ex.vars[v].mutated = true;
                                Expr::SetLocal(v, Box::new(value))
                            })
                            .map_err(|d| annotate(ex, d))?;
                        seq.push(Some(set));
                    }
                    Kind::Syntax => {}
                    Kind::Expr => seq.push(Some(ex.expr(f).map_err(|d| annotate(ex, d))?)),
                }
            }
            // Definitions first, then expressions (the usual body): as
            // `letrec*` (`letrec.rs`).
            let defs_first = seq.iter().skip_while(|i| i.is_none()).all(Option::is_some);
            let defs = if !any_values && defs_first {
                let body: Vec<Expr> = seq.iter_mut().filter_map(Option::take).collect();
                match fixed_bindings(defs, Expr::Seq(body)) {
                    Ok(e) => return Ok(e),
                    Err((defs, Expr::Seq(body))) => {
                        seq.truncate(defs.len());
                        seq.extend(body.into_iter().map(Some));
                        defs
                    }
                    Err(_) => unreachable!("the body given back"),
                }
            } else {
                defs
            };
            // General case: bind to unspecified, then assign in order.
            let mut defs = defs.into_iter();
            let mut body = Vec::new();
            for item in seq {
                match item {
                    Some(e) => body.push(e),
                    None => {
                        let (v, e) = defs.next().expect("one per define");
                        ex.vars[v].mutated = true;
                        body.push(Expr::SetLocal(v, Box::new(e)));
                    }
                }
            }
            let vars = scope
                .iter()
                .map(|(_, v)| (*v, Expr::Const(Datum::Unspecified)))
                .collect();
            Ok(Expr::Let(vars, Box::new(Expr::Seq(body))))
        })
    }
}
