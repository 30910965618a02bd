//! Pass `expand`: `Sexp`s => core `Expr` (ast.rs), resolving every name.
//!
//! Rewrites (before => after):
//!   (define (f . ps) b ...)         => SetGlobal(f, Lambda) / a body binding
//!   (let ((x e) ...) b ...)         => Let
//!   (let name ((x e) ...) b ...)    => Letrec([name = Lambda], Call(name, e ...))
//!   (let* ...)                      => nested Let
//!   (letrec(*) ((f (lambda ..))) b) => Letrec;  other inits => Let + SetLocal
//!   (do ((x i s) ...) (t r ...) b)  => Letrec loop
//!   cond / case / and / or / when / unless => If (with Let temporaries)
//!   quasiquote                      => PrimCall(cons / append / list->vector)
//!   ((lambda (x ...) b) e ...)      => Let
//!   internal defines                => Letrec, or Let + SetLocal
//!   case-lambda                     => Lambda with a rest parameter (expand/case_lambda.rs)
//!   cond-expand                     => the chosen clause, as `begin` (expand/features.rs)
//!   define-record-type              => `begin` of definitions (expand/records.rs)
//!   parameterize, delay, delay-force => calls of prelude procedures (expand/prelude_forms.rs)
//!
//!   (define-syntax k (syntax-rules ...)), let-syntax, letrec-syntax
//!                                   => macros (expand/macros.rs); a use of
//!                                      `k` is its transcription, expanded
//!
//! Resolution order: local bindings, then top-level macros and
//! definitions, then special forms, then primitives. A special-form
//! keyword can be shadowed like any name. Identifiers that macros
//! introduce are aliases resolved where the macro was defined
//! (expand/hygiene.rs).
//!
//! Files: `body.rs` bodies and the top level (which forms are
//! definitions, macro uses at their head), `hygiene.rs` identifiers and
//! scopes, `macros.rs` defining and using macros, `syntax_rules.rs`
//! matching and transcription, `values.rs` multiple-value forms,
//! `conditionals.rs`, `binding_forms.rs`, `quasiquote.rs` the derived
//! forms of their names.

use std::collections::{HashMap, HashSet};

use crate::ast::*;
use crate::diag::{Diagnostic, Result, Span};
use crate::primitives::PrimTable;
use crate::reader::{Sexp, SexpKind};
use hygiene::{base_name, Alias, Binding, Meaning};
use letrec::recursive_bindings;
use macros::Macro;
use scheme_runtime::registry::PrimDesc;

mod binding_forms;
mod body;
mod case_lambda;
mod conditionals;
pub(crate) mod features;
mod foreign_forms;
mod guard;
mod hygiene;
mod letrec;
pub(crate) mod libraries;
mod macros;
mod prelude_forms;
mod quasiquote;
mod records;
mod syntax_rules;
mod values;

/// Index of a macro in `Expander::macros`.
type MacroId = usize;

const SPECIAL_FORMS: &[&str] = &[
    "quote",
    "quasiquote",
    "unquote",
    "unquote-splicing",
    "lambda",
    "define",
    "set!",
    "if",
    "cond",
    "case",
    "and",
    "or",
    "when",
    "unless",
    "let",
    "let*",
    "letrec",
    "letrec*",
    "begin",
    "do",
    "let-values",
    "let*-values",
    "receive",
    "define-values",
    "guard",
    "define-syntax",
    "let-syntax",
    "letrec-syntax",
    "syntax-rules",
    "case-lambda",
    "cond-expand",
    "syntax-error",
    "define-record-type",
    "parameterize",
    "delay",
    "delay-force",
    "else",
    "=>",
    "load-library",
    "load-shared-object",
    "foreign-procedure",
    "foreign-callable",
];

pub struct Expander<'p> {
    prims: &'p PrimTable,
    vars: Vec<VarInfo>,
    /// Each local name's bindings (variables and macros), innermost last:
    /// one lookup per name, however deeply scopes nest.
    locals: HashMap<String, Vec<Binding>>,
    /// Serial of the next local binding pushed (hygiene.rs).
    serial: u32,
    globals: HashMap<String, GlobalId>,
    global_names: Vec<String>,
    top_macros: HashMap<String, MacroId>,
    macros: Vec<Macro>,
    aliases: HashMap<String, Alias>,
    /// Macro uses expanded so far (numbers each expansion's aliases).
    expansions: usize,
    /// Macro uses being expanded, nested, around the current form.
    expansion_depth: usize,
    /// Nodes transcriptions may still make for the current top-level form
    /// (`macros::MAX_TRANSCRIBED`).
    transcribe_budget: usize,
    /// Libraries defined so far (`libraries.rs`).
    libraries: libraries::Libraries,
    /// Once a standard library is imported: the standard names imported
    /// as themselves (the others are hidden from the program's code).
    standard_imported: Option<HashSet<String>>,
    /// Where the prelude's forms start (offsets of spans): code before is
    /// the program's, which imports restrict.
    prelude_start: usize,
    /// Is the top-level form being expanded the program's?
    in_program_code: bool,
    /// Names the prelude's forms define (built-ins written in Scheme).
    prelude_names: HashSet<String>,
    foreign: Vec<crate::foreign::ForeignSig>,
    callables: Vec<crate::foreign::ForeignSig>,
    /// Compiling for the interaction environment of a running program: a
    /// name bound nowhere here is a global (defined by the program or a
    /// later unit, else unbound when read).
    open: bool,
}

/// Expand a whole program (no prelude forms); reports every top-level
/// form that fails.
pub fn expand_program(
    forms: &[Sexp],
    prims: &PrimTable,
) -> std::result::Result<Program, Vec<Diagnostic>> {
    expand_in(forms, prims, usize::MAX, None)
}

/// Expand a program, or with `interaction` the forms of a unit for the
/// interaction environment of a running program, whose globals are
/// those names (and any name bound nowhere). Forms at offsets from
/// `prelude_start` on are the prelude's.
pub fn expand_in(
    forms: &[Sexp],
    prims: &PrimTable,
    prelude_start: usize,
    interaction: Option<&[String]>,
) -> std::result::Result<Program, Vec<Diagnostic>> {
    let mut ex = Expander {
        prims,
        vars: Vec::new(),
        locals: HashMap::new(),
        serial: 0,
        globals: HashMap::new(),
        global_names: Vec::new(),
        top_macros: HashMap::new(),
        macros: Vec::new(),
        aliases: HashMap::new(),
        expansions: 0,
        expansion_depth: 0,
        transcribe_budget: macros::MAX_TRANSCRIBED,
        libraries: libraries::Libraries::default(),
        standard_imported: None,
        prelude_start,
        in_program_code: true,
        prelude_names: prelude_definitions(forms, prelude_start),
        foreign: Vec::new(),
        callables: Vec::new(),
        open: interaction.is_some(),
    };
    for name in interaction.unwrap_or_default() {
        ex.global(name);
    }
    let clean = |mut ds: Vec<Diagnostic>| {
        ds = ds.into_iter().map(hygiene::clean_names).collect();
        ds.sort_by_key(|d| d.span.start);
        ds
    };
    let forms = ex.libraries(forms).map_err(clean)?;
    let mut body = ex.program(&forms).map_err(|ds| {
        let mut ds: Vec<Diagnostic> = ds.into_iter().map(hygiene::clean_names).collect();
        ds.sort_by_key(|d| d.span.start);
        ds
    })?;
    if body.is_empty() {
        body.push(Expr::Const(Datum::Unspecified));
    }
    Ok(Program {
        globals: ex.global_names,
        vars: ex.vars,
        body: Expr::Seq(body),
        foreign: ex.foreign,
        callables: ex.callables,
    })
}

/// The names the prelude's forms (from `prelude_start` on) define.
fn prelude_definitions(forms: &[Sexp], prelude_start: usize) -> HashSet<String> {
    let mut names = HashSet::new();
    let mut stack: Vec<&Sexp> = forms
        .iter()
        .filter(|f| f.span.start >= prelude_start)
        .collect();
    while let Some(form) = stack.pop() {
        let Some(items) = form.list() else { continue };
        match items.first().and_then(Sexp::sym) {
            Some("define" | "define-syntax") => {
                let target = items.get(1);
                let name = target.and_then(|t| t.sym().or_else(|| t.list()?.first()?.sym()));
                names.extend(name.map(str::to_owned));
            }
            Some("begin") => stack.extend(&items[1..]),
            _ => {}
        }
    }
    names
}

fn err<T>(span: Span, msg: impl Into<String>) -> Result<T> {
    Err(Diagnostic::new(span, msg))
}

impl Expander<'_> {
    fn global(&mut self, name: &str) -> GlobalId {
        if let Some(&g) = self.globals.get(name) {
            return g;
        }
        let g = self.global_names.len();
        self.global_names.push(base_name(name).to_owned());
        self.globals.insert(name.to_owned(), g);
        g
    }

    fn new_var(&mut self, name: &str) -> VarId {
        self.vars.push(VarInfo {
            name: base_name(name).to_owned(),
            mutated: false,
            assigned: false,
            captured: false,
        });
        self.vars.len() - 1
    }

    /// `(define name expr)` / `(define (name . params) body ...)`: the name
    /// and the expanded value.
    fn define_form(&mut self, form: &Sexp, items: &[Sexp]) -> Result<(String, Expr)> {
        let Some(target) = items.get(1) else {
            return err(form.span, "`define` needs a name: `(define name value)` or `(define (name arg ...) body ...)`");
        };
        match &target.kind {
            SexpKind::Sym(name) => {
                let value = match &items[2..] {
                    [] => Expr::Const(Datum::Unspecified),
                    [value] => self.named_expr(value, name)?,
                    [_, extra, ..] => {
                        return err(extra.span, "`define` takes one value expression")
                    }
                };
                Ok((name.clone(), value))
            }
            SexpKind::List(parts, tail) if !parts.is_empty() => {
                if items.len() < 3 {
                    return err(form.span, "procedure definition has an empty body");
                }
                // (define (head . params) body ...) where head may itself be a list (curried define).
                let params = Sexp {
                    kind: SexpKind::List(parts[1..].to_vec(), tail.clone()),
                    span: target.span,
                };
                let head = &parts[0];
                let lambda_form = Sexp {
                    kind: SexpKind::List(
                        [
                            vec![
                                Sexp {
                                    kind: SexpKind::Sym(self.core("lambda")),
                                    span: form.span,
                                },
                                params,
                            ],
                            items[2..].to_vec(),
                        ]
                        .concat(),
                        None,
                    ),
                    span: form.span,
                };
                let define = Sexp {
                    kind: SexpKind::List(vec![items[0].clone(), head.clone(), lambda_form], None),
                    span: form.span,
                };
                self.define_form(&define, define.list().expect("built as a list"))
            }
            _ => err(target.span, "`define` expects a name or `(name arg ...)`"),
        }
    }

    /// Expand `e`; a lambda gets `name` for error messages.
    fn named_expr(&mut self, e: &Sexp, name: &str) -> Result<Expr> {
        let mut x = self.expr(e)?;
        if let Expr::Lambda(l) = &mut x {
            l.name = base_name(name).to_owned();
        }
        Ok(x)
    }

    fn symbol_ref(&mut self, name: &str, span: Span) -> Result<Expr> {
        match self.resolve(name) {
            Meaning::Var(v) => Ok(Expr::Local(v)),
            Meaning::Global(g) => Ok(Expr::Global(g)),
            Meaning::Prim(p) => Ok(self.scheme_version(p).unwrap_or(Expr::PrimRef(p))),
            Meaning::Special(k) => err(span, format!("`{k}` is a special form, not a variable")),
            Meaning::Macro(_) => err(
                span,
                format!("`{}` is a macro, not a variable", base_name(name)),
            ),
            Meaning::Unbound(n) if self.open => Ok(Expr::Global(self.global(&n))),
            Meaning::Unbound(n) => err(span, self.unbound(&n)),
        }
    }

    /// "unbound variable `squar`", with "did you mean `square`?" when a
    /// name in scope (local, global, macro, special form, primitive) is
    /// within a third of its length in edits.
    fn unbound(&self, name: &str) -> String {
        let name = base_name(name);
        let locals = self
            .locals
            .iter()
            .filter(|(_, bs)| !bs.is_empty())
            .map(|(n, _)| n.as_str());
        let prims: Vec<&str> = self.prims.names().collect();
        let candidates = locals
            .chain(self.globals.keys().map(String::as_str))
            .chain(self.top_macros.keys().map(String::as_str))
            .chain(SPECIAL_FORMS.iter().copied())
            .chain(prims)
            .map(base_name)
            .filter(|c| !c.starts_with('%') && *c != name);
        let limit = (name.chars().count() / 3).max(1);
        let best = candidates
            .map(|c| (strsim::damerau_levenshtein(name, c), c))
            .filter(|&(d, _)| d <= limit)
            .min();
        if self.hidden(name) {
            if let Some(library) = libraries::standard_library_of(name) {
                return format!(
                    "unbound variable `{name}`: it is in `{library}`, which no import brings in"
                );
            }
        }
        match best {
            Some((_, c)) => format!("unbound variable `{name}`; did you mean `{c}`?"),
            None => format!("unbound variable `{name}`"),
        }
    }

    pub fn expr(&mut self, e: &Sexp) -> Result<Expr> {
        match &e.kind {
            SexpKind::Sym(name) => self.symbol_ref(name, e.span),
            SexpKind::List(items, None) if items.is_empty() => err(
                e.span,
                "empty combination `()`; write `'()` for the empty list",
            ),
            SexpKind::List(_, Some(_)) => err(e.span, "a dotted list is not an expression"),
            SexpKind::List(items, None) => {
                if let Some(head) = items[0].sym() {
                    match self.resolve(head) {
                        Meaning::Special(k) => return self.special_form(k, e, items),
                        Meaning::Macro(m) => return self.macro_use(m, e),
                        _ => {}
                    }
                }
                self.application(e, items)
            }
            _ => Ok(Expr::Const(datum(e))),
        }
    }

    fn exprs(&mut self, es: &[Sexp]) -> Result<Vec<Expr>> {
        es.iter().map(|e| self.expr(e)).collect()
    }

    /// The prelude's Scheme definition of a primitive that calls procedures
    /// (`%map` for `map`, ...), if the program has it: used where the
    /// primitive would call back through a Rust frame (first-class uses,
    /// several lists), so that continuations captured in the procedure can
    /// be re-entered after the call returns (see `control.rs`).
    fn scheme_version(&self, p: &PrimDesc) -> Option<Expr> {
        if !crate::prelude::SCHEME_VERSIONS.contains(&p.name) {
            return None;
        }
        let g = self.globals.get(&format!("%{}", p.name))?;
        Some(Expr::Global(*g))
    }

    fn application(&mut self, e: &Sexp, items: &[Sexp]) -> Result<Expr> {
        // A primitive in operator position stays one (`scheme_version` is
        // for its other uses).
        let f = match items[0].sym().map(|s| self.resolve(s)) {
            Some(Meaning::Prim(p)) => Expr::PrimRef(p),
            _ => self.expr(&items[0])?,
        };
        let args = self.exprs(&items[1..])?;
        match f {
            Expr::PrimRef(p) => {
                if !p.accepts(args.len()) {
                    let n = args.len();
                    return err(
                        e.span,
                        format!(
                            "`{}` expects {} argument{}, got {n}; its signature is {}",
                            p.name,
                            p.arity_text(),
                            if p.min_args == 1 && p.max_args == 1 {
                                ""
                            } else {
                                "s"
                            },
                            p.signature()
                        ),
                    );
                }
                if p.name == "apply" {
                    let mut args = args;
                    let f = args.remove(0);
                    return Ok(Expr::Apply(Box::new(f), args, e.span));
                }
                if p.name == "call-with-values" {
                    let mut args = args.into_iter();
                    let (producer, consumer) = (args.next().expect("2"), args.next().expect("2"));
                    return Ok(self.call_with_values(producer, consumer, e.span));
                }
                if matches!(p.name, "map" | "for-each") && args.len() == 2 {
                    return Ok(self.inline_map(p, args, e.span));
                }
                if let Some(g) = self.scheme_version(p) {
                    return Ok(Expr::Call(Box::new(g), args, e.span));
                }
                if crate::primitives::scheme_code(p).is_some() {
                    // Written in assembly with the Scheme convention: an
                    // ordinary call of its static closure.
                    return Ok(Expr::Call(Box::new(Expr::PrimRef(p)), args, e.span));
                }
                Ok(Expr::PrimCall(p, args, e.span))
            }
            // ((lambda (x ...) body) arg ...) binds directly.
            Expr::Lambda(l) if l.rest.is_none() && l.params.len() == args.len() => {
                let l = *l;
                Ok(Expr::Let(
                    l.params.into_iter().zip(args).collect(),
                    Box::new(l.body),
                ))
            }
            f => Ok(Expr::Call(Box::new(f), args, e.span)),
        }
    }

    /// `(map f l)` / `(for-each f l)` with one list, as a compiled loop, so
    /// that calling `f` is an ordinary Scheme call:
    ///   (let ((f* f) (l* l))
    ///     (let loop ((x l*))
    ///       (if (pair? x) (cons (f* (car x)) (loop (cdr x)))
    ///           (if (null? x) '() (map list l*)))))
    /// An improper list ends in the runtime `map` (with `list`, which has no
    /// effects), so the error is the one a call of `map` reports.
    fn inline_map(&mut self, prim: &'static PrimDesc, mut args: Vec<Expr>, span: Span) -> Expr {
        let p = |name: &str| self.prims.get(name).expect("built-in primitive");
        let (pair_p, null_p, car, cdr, cons, list) = (
            p("pair?"),
            p("null?"),
            p("car"),
            p("cdr"),
            p("cons"),
            p("list"),
        );
        let is_map = prim.name == "map";
        let l_init = args.pop().expect("two arguments");
        let f_init = args.pop().expect("two arguments");
        let (f, l, lp, x) = (
            self.new_var("map-procedure"),
            self.new_var("map-list"),
            self.new_var(if is_map { "map-loop" } else { "for-each-loop" }),
            self.new_var("map-rest"),
        );
        let call_f = Expr::Call(
            Box::new(Expr::Local(f)),
            vec![Expr::PrimCall(car, vec![Expr::Local(x)], span)],
            span,
        );
        let next = Expr::PrimCall(cdr, vec![Expr::Local(x)], span);
        let (step, done, params, inits) = if is_map {
            // Not tail-recursive, and no accumulator to reverse in place:
            // a continuation captured in `f` and re-entered after `map`
            // returned builds a fresh list, leaving earlier results alone.
            let rest = Expr::Call(Box::new(Expr::Local(lp)), vec![next], span);
            let step = Expr::PrimCall(cons, vec![call_f, rest], span);
            (step, Expr::Const(Datum::Nil), vec![x], vec![Expr::Local(l)])
        } else {
            let step = Expr::Seq(vec![
                call_f,
                Expr::Call(Box::new(Expr::Local(lp)), vec![next], span),
            ]);
            (
                step,
                Expr::Const(Datum::Unspecified),
                vec![x],
                vec![Expr::Local(l)],
            )
        };
        let error = Expr::PrimCall(prim, vec![Expr::PrimRef(list), Expr::Local(l)], span);
        let body = Expr::If(
            Box::new(Expr::PrimCall(pair_p, vec![Expr::Local(x)], span)),
            Box::new(step),
            Box::new(Expr::If(
                Box::new(Expr::PrimCall(null_p, vec![Expr::Local(x)], span)),
                Box::new(done),
                Box::new(error),
            )),
        );
        let lambda = Lambda {
            name: prim.name.to_owned(),
            params,
            rest: None,
            body,
            free: Vec::new(),
            span,
        };
        Expr::Let(
            vec![(f, f_init), (l, l_init)],
            Box::new(Expr::Letrec(
                vec![(lp, lambda)],
                Box::new(Expr::Call(Box::new(Expr::Local(lp)), inits, span)),
            )),
        )
    }

    fn special_form(&mut self, head: &str, e: &Sexp, items: &[Sexp]) -> Result<Expr> {
        let span = e.span;
        let args = &items[1..];
        match head {
            "quote" => match args {
                [d] => Ok(Expr::Const(datum(d))),
                _ => err(span, "`quote` takes exactly one datum"),
            },
            "quasiquote" => match args {
                [t] => self.quasi(t, 1),
                _ => err(span, "`quasiquote` takes exactly one template"),
            },
            "unquote" | "unquote-splicing" => {
                err(span, format!("`{head}` outside of a quasiquote"))
            }
            "guard" => self.guard(args, span),
            "else" | "=>" => err(
                span,
                format!("`{head}` is only allowed in `cond` or `case` clauses"),
            ),
            "lambda" => match args {
                [params, body @ ..] if !body.is_empty() => {
                    Ok(Expr::Lambda(Box::new(self.lambda(params, body, "", span)?)))
                }
                _ => err(
                    span,
                    "`lambda` needs parameters and a body: `(lambda (x ...) body ...)`",
                ),
            },
            "define" => err(
                span,
                "`define` is only allowed at the top level or at the start of a body",
            ),
            "set!" => match args {
                [target, value] => {
                    let Some(name) = target.sym() else {
                        return err(target.span, "`set!` needs a variable name");
                    };
                    let value = Box::new(self.named_expr(value, name)?);
                    match self.resolve(name) {
                        Meaning::Var(v) => {
                            self.vars[v].mutated = true;
                            self.vars[v].assigned = true;
                            Ok(Expr::SetLocal(v, value))
                        }
                        Meaning::Global(g) => Ok(Expr::SetGlobal(g, value)),
                        Meaning::Prim(p) => err(target.span, format!("cannot `set!` the primitive `{}`; `define` it first to replace it", p.name)),
                        Meaning::Special(k) => err(target.span, format!("cannot `set!` `{k}`: it is a special form, not a variable")),
                        Meaning::Macro(_) => err(target.span, format!("cannot `set!` `{}`: it is a macro, not a variable", base_name(name))),
                        Meaning::Unbound(n) if self.open => Ok(Expr::SetGlobal(self.global(&n), value)),
                        Meaning::Unbound(n) => err(target.span, self.unbound(&n)),
                    }
                }
                _ => err(
                    span,
                    "`set!` takes a variable and a value: `(set! x value)`",
                ),
            },
            "if" => match args {
                [c, t] => Ok(Expr::If(
                    Box::new(self.expr(c)?),
                    Box::new(self.expr(t)?),
                    Box::new(Expr::Const(Datum::Unspecified)),
                )),
                [c, t, f] => Ok(Expr::If(
                    Box::new(self.expr(c)?),
                    Box::new(self.expr(t)?),
                    Box::new(self.expr(f)?),
                )),
                _ => err(
                    span,
                    "`if` takes a test, a consequent and an optional alternative",
                ),
            },
            "begin" => {
                // Only a top-level or body `(begin)` may be empty (it is
                // spliced away); as an expression it has no value (Chez:
                // "invalid syntax").
                if args.is_empty() {
                    return err(span, "invalid syntax `(begin)`: an expression `begin` needs at least one expression");
                }
                Ok(Expr::Seq(self.exprs(args)?))
            }
            "when" | "unless" => {
                let [test, body @ ..] = args else {
                    return err(span, format!("`{head}` needs a test"));
                };
                let test = self.expr(test)?;
                let body = if body.is_empty() {
                    Expr::Const(Datum::Unspecified)
                } else {
                    Expr::Seq(self.exprs(body)?)
                };
                let none = Expr::Const(Datum::Unspecified);
                Ok(if head == "when" {
                    Expr::If(Box::new(test), Box::new(body), Box::new(none))
                } else {
                    Expr::If(Box::new(test), Box::new(none), Box::new(body))
                })
            }
            "and" => self.and(args),
            "or" => self.or(args),
            "cond" => self.cond(args),
            "case" => self.case(args, span),
            "let" => self.let_form(args, span),
            "let*" => self.let_star(args, span),
            "letrec" | "letrec*" => self.letrec(args, span, head),
            "do" => self.do_form(args, span),
            "let-values" => self.let_values(args, span, false),
            "let*-values" => self.let_values(args, span, true),
            "receive" => self.receive(args, span),
            "define-values" => err(
                span,
                "`define-values` is only allowed at the top level or at the start of a body",
            ),
            "load-library" | "load-shared-object" => err(
                span,
                format!("`{head}` is only allowed at the top level of a program"),
            ),
            "foreign-procedure" => self.foreign_procedure(args, span),
            "foreign-callable" => self.foreign_callable(args, span),
            "define-syntax" => err(
                span,
                "`define-syntax` is only allowed at the top level or at the start of a body",
            ),
            "let-syntax" => self.let_syntax(args, span, false),
            "case-lambda" => self.case_lambda(args, span),
            "define-record-type" => err(
                span,
                "`define-record-type` is only allowed at the top level or in a body's definitions",
            ),
            "parameterize" => self.parameterize(args, span),
            "delay" => self.delay(args, span, false),
            "delay-force" => self.delay(args, span, true),
            "cond-expand" => match features::cond_expand(e)? {
                [] => Ok(Expr::Const(Datum::Unspecified)),
                forms => Ok(Expr::Seq(self.exprs(forms)?)),
            },
            "letrec-syntax" => self.let_syntax(args, span, true),
            "syntax-error" => self.syntax_error(args, span),
            "syntax-rules" => err(
                span,
                "`syntax-rules` is only allowed as the transformer of `define-syntax`, `let-syntax` or `letrec-syntax`",
            ),
            _ => unreachable!("special form list and match agree"),
        }
    }

    /// `(syntax-error "message" form ...)` (R7RS 4.3.3): a compile error
    /// where it is expanded, with the message and the forms written.
    fn syntax_error(&self, args: &[Sexp], span: Span) -> Result<Expr> {
        let Some((message, irritants)) = args.split_first() else {
            return err(
                span,
                "`syntax-error` needs a message: `(syntax-error \"message\" form ...)`",
            );
        };
        let SexpKind::Str(message) = &message.kind else {
            return err(
                message.span,
                "the message of `syntax-error` is a string literal",
            );
        };
        let mut text = message.clone();
        for i in irritants {
            text.push(' ');
            text.push_str(&sexp_text(i));
        }
        err(span, text)
    }

    fn lambda(&mut self, params: &Sexp, body: &[Sexp], name: &str, span: Span) -> Result<Lambda> {
        self.lambda_with(params, name, span, |ex| ex.body(body, span))
    }

    /// A lambda with `params` whose body `body` expands in their scope.
    fn lambda_with(
        &mut self,
        params: &Sexp,
        name: &str,
        span: Span,
        body: impl FnOnce(&mut Self) -> Result<Expr>,
    ) -> Result<Lambda> {
        let (names, rest) = match &params.kind {
            SexpKind::Sym(r) => (Vec::new(), Some(r.clone())),
            SexpKind::List(items, tail) => {
                let mut names = Vec::new();
                for p in items {
                    match p.sym() {
                        Some(n) => names.push((n.to_owned(), p.span)),
                        None => return err(p.span, "a parameter must be a name"),
                    }
                }
                let rest = match tail {
                    None => None,
                    Some(t) => match t.sym() {
                        Some(n) => Some(n.to_owned()),
                        None => return err(t.span, "a rest parameter must be a name"),
                    },
                };
                (names, rest)
            }
            _ => return err(params.span, "`lambda` parameters must be a list or a name"),
        };
        for (i, (n, s)) in names.iter().enumerate() {
            if names[..i].iter().any(|(m, _)| m == n) || rest.as_deref() == Some(n) {
                return err(*s, format!("parameter `{n}` appears twice"));
            }
        }
        let mut scope: Vec<(String, VarId)> = names
            .iter()
            .map(|(n, _)| (n.clone(), self.new_var(n)))
            .collect();
        let rest_var = rest.map(|r| {
            let v = self.new_var(&r);
            scope.push((r, v));
            v
        });
        let body = self.with_scope(&scope, body)?;
        let params = scope.iter().take(names.len()).map(|(_, v)| *v).collect();
        Ok(Lambda {
            name: base_name(name).to_owned(),
            params,
            rest: rest_var,
            body,
            free: Vec::new(),
            span,
        })
    }
}

fn call(f: Expr, args: Vec<Expr>, span: Span) -> Expr {
    match f {
        Expr::PrimRef(p) if p.accepts(args.len()) => Expr::PrimCall(p, args, span),
        f => Expr::Call(Box::new(f), args, span),
    }
}

/// The datum a quoted `Sexp` denotes.
pub fn datum(e: &Sexp) -> Datum {
    match &e.kind {
        SexpKind::Int(n) => Datum::Int(*n),
        SexpKind::Number(n) => Datum::Number(scheme_runtime::number_syntax::format(n, 10)),
        SexpKind::Bool(b) => Datum::Bool(*b),
        SexpKind::Char(c) => Datum::Char(*c),
        SexpKind::Str(s) => Datum::Str(s.clone()),
        SexpKind::Sym(s) => Datum::Sym(base_name(s).to_owned()),
        SexpKind::List(items, tail) => {
            let end = tail.as_deref().map_or(Datum::Nil, datum);
            items.iter().rev().fold(end, |rest, i| {
                Datum::Pair(Box::new(datum(i)), Box::new(rest))
            })
        }
        SexpKind::Vector(items) => Datum::Vector(items.iter().map(datum).collect()),
        SexpKind::Bytevector(bytes) => Datum::Bytevector(bytes.clone()),
        SexpKind::Label(..) | SexpKind::LabelRef(_) => {
            unreachable!("programs are read without datum labels")
        }
    }
}

/// A form as `write` would show it, for messages (hygiene marks dropped).
fn sexp_text(s: &Sexp) -> String {
    let items = |v: &[Sexp]| v.iter().map(sexp_text).collect::<Vec<_>>().join(" ");
    match &s.kind {
        SexpKind::Int(n) => n.to_string(),
        SexpKind::Number(n) => scheme_runtime::number_syntax::format(n, 10),
        SexpKind::Bool(b) => if *b { "#t" } else { "#f" }.into(),
        SexpKind::Char(c) => format!("#\\{c}"),
        SexpKind::Str(t) => format!("{t:?}"),
        SexpKind::Sym(name) => hygiene::base_name(name).to_owned(),
        SexpKind::List(v, None) => format!("({})", items(v)),
        SexpKind::List(v, Some(tail)) => format!("({} . {})", items(v), sexp_text(tail)),
        SexpKind::Vector(v) => format!("#({})", items(v)),
        SexpKind::Bytevector(b) => format!(
            "#u8({})",
            b.iter().map(u8::to_string).collect::<Vec<_>>().join(" ")
        ),
        SexpKind::Label(n, d) => format!("#{n}={}", sexp_text(d)),
        SexpKind::LabelRef(n) => format!("#{n}#"),
    }
}
