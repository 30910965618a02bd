//! Macros in the expander: defining them (`define-syntax`, `let-syntax`,
//! `letrec-syntax`), expanding a use, and the diagnostics of both.
//!
//!   (define-syntax k (syntax-rules ...))   => top-level or body macro `k`
//!   (let-syntax ((k (syntax-rules ...)) ...) body ...)
//!                                          => body with `k` bound; the
//!                                             transformers see the outside
//!   (letrec-syntax ...)                    => the same; they also see each other
//!   (k arg ...), `k` a macro               => its transcription, expanded again
//!
//! A use that no rule matches is an error at the use with a note at the
//! definition. An error at a node the template made (such nodes carry the
//! use's span) gets a note "in expansion of `k`". Expansions nested deeper
//! than `MAX_EXPANSION_DEPTH` stop with an error, as does a transcription
//! too large (`syntax_rules::MAX_OUTPUT`): a macro that expands forever is
//! a diagnostic, not a hang or a stack overflow.

use std::rc::Rc;

use super::hygiene::{base_name, Local};
use super::syntax_rules::SyntaxRules;
use super::*;

/// Macro uses expanded inside one another (a recursive macro over a list
/// of n elements nests n deep).
const MAX_EXPANSION_DEPTH: usize = 10_000;

/// Nodes the transcriptions of one top-level form may make. Real forms make
/// far fewer; a macro whose output grows at every step (doubling, or
/// nesting one level deeper: quadratic work) reaches this within seconds
/// instead of exhausting memory or time.
pub(super) const MAX_TRANSCRIBED: usize = 5_000_000;

pub(super) struct Macro {
    /// Its name, for messages.
    name: String,
    /// Where it is defined (its name in the definition).
    span: Span,
    rules: Rc<SyntaxRules>,
    /// Its environment: local bindings pushed before this serial.
    pub(super) limit: u32,
}

impl Expander<'_> {
    /// A macro named by `name` (an identifier) from the transformer `spec`,
    /// whose environment is the local bindings pushed before `limit`.
    pub(super) fn new_macro(&mut self, name: &Sexp, spec: &Sexp, limit: u32) -> Result<MacroId> {
        let Some(n) = name.sym() else {
            return err(name.span, "a macro's name must be an identifier");
        };
        let rules = match spec.list() {
            Some([head, args @ ..]) if self.is(head, "syntax-rules") => {
                SyntaxRules::parse(args, spec.span)?
            }
            _ => {
                return err(
                    spec.span,
                    "expected a `syntax-rules` transformer: `(syntax-rules (literal ...) (pattern template) ...)`",
                )
            }
        };
        self.macros.push(Macro {
            name: base_name(n).to_owned(),
            span: name.span,
            rules: Rc::new(rules),
            limit,
        });
        Ok(self.macros.len() - 1)
    }

    /// `(define-syntax name spec)`: the name and the new macro.
    pub(super) fn define_syntax(&mut self, form: &Sexp) -> Result<(String, MacroId)> {
        let Some([_, name, spec]) = form.list() else {
            return err(
                form.span,
                "`define-syntax` takes a name and a transformer: `(define-syntax name (syntax-rules ...))`",
            );
        };
        let id = self.new_macro(name, spec, self.scope_mark())?;
        Ok((name.sym().expect("checked by new_macro").to_owned(), id))
    }

    /// `(let-syntax bindings body ...)`, or `letrec-syntax` if `recursive`.
    pub(super) fn let_syntax(
        &mut self,
        args: &[Sexp],
        span: Span,
        recursive: bool,
    ) -> Result<Expr> {
        let form = if recursive {
            "letrec-syntax"
        } else {
            "let-syntax"
        };
        let [bindings, body @ ..] = args else {
            return err(span, format!("`{form}` needs bindings and a body"));
        };
        if body.is_empty() {
            return err(span, format!("`{form}` has an empty body"));
        }
        let Some(bindings) = bindings.list() else {
            return err(
                bindings.span,
                format!("`{form}` bindings must be a list `((name (syntax-rules ...)) ...)`"),
            );
        };
        let mark = self.scope_mark();
        let mut defined = Vec::new();
        for b in bindings {
            let Some([name, spec]) = b.list() else {
                return err(
                    b.span,
                    format!("a `{form}` binding is `(name (syntax-rules ...))`"),
                );
            };
            let id = self.new_macro(name, spec, mark)?;
            defined.push((name.sym().expect("checked by new_macro").to_owned(), id));
        }
        for (name, id) in &defined {
            self.push_local(name, Local::Macro(*id));
        }
        if recursive {
            for (_, id) in &defined {
                self.macros[*id].limit = self.scope_mark();
            }
        }
        let r = self.body(body, span);
        for (name, _) in defined.iter().rev() {
            self.pop_local(name);
        }
        r
    }

    /// What the use `form` of macro `m` expands into; `depth` counts the
    /// expansions it is nested in.
    pub(super) fn expand_use(&mut self, m: MacroId, form: &Sexp, depth: usize) -> Result<Sexp> {
        let mac = &self.macros[m];
        let (name, defined, limit, rules) =
            (mac.name.clone(), mac.span, mac.limit, mac.rules.clone());
        let here = format!("`{name}` is defined here");
        if depth >= MAX_EXPANSION_DEPTH {
            return Err(Diagnostic::new(
                form.span,
                format!(
                    "macro expansion nested more than {MAX_EXPANSION_DEPTH} deep in `{name}`; does it expand into itself forever?"
                ),
            )
            .with_label(defined, here));
        }
        let same =
            |literal: &str, id: &str| self.resolve_before(literal, limit) == self.resolve(id);
        let Some((rule, bindings)) = rules.find(form, &same) else {
            return Err(Diagnostic::new(
                form.span,
                format!("no rule of macro `{name}` matches this use"),
            )
            .with_label(defined, here));
        };
        self.expansions += 1;
        let n = self.expansions;
        let mut budget = self.transcribe_budget;
        let mut rename = |s: &str| self.alias(s, n, limit);
        let out = rules.transcribe(rule, &bindings, form.span, &mut rename, &mut budget);
        self.transcribe_budget = budget;
        out.map_err(|msg| {
            Diagnostic::new(form.span, format!("in expansion of `{name}`: {msg}"))
                .with_label(defined, here)
        })
    }

    /// The use `e` of macro `m` as an expression.
    pub(super) fn macro_use(&mut self, m: MacroId, e: &Sexp) -> Result<Expr> {
        let out = self.expand_use(m, e, self.expansion_depth)?;
        self.expansion_depth += 1;
        let r = self.expr(&out);
        self.expansion_depth -= 1;
        r.map_err(|d| self.in_expansion(d, m, e.span))
    }

    /// `d`, with a note if it is at a node that the expansion of macro
    /// `m` at `use_span` made.
    pub(super) fn in_expansion(&self, d: Diagnostic, m: MacroId, use_span: Span) -> Diagnostic {
        let mac = &self.macros[m];
        let note = format!("in expansion of `{}`, defined here", mac.name);
        // Once per definition: a recursive macro's uses share one span.
        if d.span != use_span || d.labels.iter().any(|l| l.span == mac.span) {
            return d;
        }
        d.with_label(mac.span, note)
    }

    /// `d` from a form that the chain of macro uses `chain` (outermost
    /// first) produced.
    pub(super) fn annotate(&self, d: Diagnostic, chain: &[(MacroId, Span)]) -> Diagnostic {
        chain
            .iter()
            .rev()
            .fold(d, |d, &(m, span)| self.in_expansion(d, m, span))
    }
}
