//! `syntax-rules` (R7RS 4.3.2): a transformer's rules, matching a use
//! against the patterns, and transcribing a template. Pure: what an
//! identifier means is asked of the expander through two callbacks (are
//! a literal and an input identifier the same binding? what does a
//! template symbol become?), so hygiene lives in `hygiene.rs`.
//!
//! Patterns: a pattern variable (any identifier but a literal, `_` or the
//! ellipsis) matches anything; `_` matches anything and binds nothing; a
//! literal matches an identifier with the same binding; `(p ... pe <ellipsis>
//! q ...)` and `(p ... . px)` match lists (an ellipsis once per list, with
//! patterns after it; with a dotted tail after an ellipsis, `px` matches the
//! final cdr); `#(...)` the same over vectors; any other datum matches an
//! `equal?` datum. The ellipsis is `...` unless `(syntax-rules e (lit ...)
//! rule ...)` names another one.
//!
//! Templates: pattern variables are replaced by what they matched;
//! `t <ellipsis>` repeats `t` once per match of the variables under it
//! (`t ... ...` flattens two levels); `(... ...)` is `...` and `(... t)`
//! is `t` read with the ellipsis as an ordinary identifier; every other
//! symbol goes through `rename`. Nodes a template makes get the span of
//! the use; what a pattern variable matched keeps its own.

use std::collections::HashMap;

use super::hygiene::base_name;
use crate::diag::{Diagnostic, Result, Span};
use crate::reader::{Sexp, SexpKind};

pub struct SyntaxRules {
    /// A custom ellipsis; `None` is `...`.
    ellipsis: Option<String>,
    pub literals: Vec<String>,
    rules: Vec<Rule>,
}

struct Rule {
    /// The pattern without the keyword position.
    pattern: Sexp,
    template: Sexp,
}

/// What a pattern variable matched: one form, or one tree per repetition
/// of the ellipsis it is under.
pub enum Match {
    One(Sexp),
    Many(Vec<Match>),
}

type Bindings<'m> = HashMap<&'m str, &'m Match>;

/// Whether a literal of the macro (first) and an identifier of the use
/// (second) have the same binding.
pub type SameBinding<'a> = dyn Fn(&str, &str) -> bool + 'a;

fn err<T>(span: Span, msg: impl Into<String>) -> Result<T> {
    Err(Diagnostic::new(span, msg))
}

/// A list's elements and its final non-list tail, however the dots were
/// written (`(a . (b c))` is `(a b c)`).
fn flatten(s: &Sexp) -> (Vec<&Sexp>, Option<&Sexp>) {
    let mut items = Vec::new();
    let mut s = s;
    loop {
        match &s.kind {
            SexpKind::List(xs, tail) => {
                items.extend(xs.iter());
                match tail {
                    Some(t) => s = t,
                    None => return (items, None),
                }
            }
            _ => return (items, Some(s)),
        }
    }
}

fn list(items: Vec<Sexp>, tail: Option<Sexp>, span: Span) -> Sexp {
    let (mut items, mut tail) = (items, tail);
    // Keep lists in the reader's shape: a list tail is spliced in.
    while let Some(Sexp {
        kind: SexpKind::List(more, rest),
        ..
    }) = tail
    {
        items.extend(more);
        tail = rest.map(|r| *r);
    }
    Sexp {
        kind: SexpKind::List(items, tail.map(Box::new)),
        span,
    }
}

impl SyntaxRules {
    /// `args`: what follows `syntax-rules` in `(syntax-rules [ellipsis]
    /// (literal ...) (pattern template) ...)`.
    pub fn parse(args: &[Sexp], span: Span) -> Result<SyntaxRules> {
        let (ellipsis, args) = match args {
            [e, rest @ ..] if e.sym().is_some() => (e.sym().map(str::to_owned), rest),
            _ => (None, args),
        };
        let Some((lits, rules)) = args.split_first() else {
            return err(
                span,
                "`syntax-rules` needs a list of literals: `(syntax-rules (literal ...) (pattern template) ...)`",
            );
        };
        let Some(lits) = lits.list() else {
            return err(
                lits.span,
                "`syntax-rules` literals must be a list of identifiers",
            );
        };
        let mut literals = Vec::new();
        for l in lits {
            match l.sym() {
                Some(s) => literals.push(s.to_owned()),
                None => return err(l.span, "a `syntax-rules` literal must be an identifier"),
            }
        }
        let mut sr = SyntaxRules {
            ellipsis,
            literals,
            rules: Vec::new(),
        };
        for r in rules {
            let Some([pattern, template]) = r.list() else {
                return err(r.span, "a `syntax-rules` rule must be `(pattern template)`");
            };
            let pattern =
                match &pattern.kind {
                    SexpKind::List(items, tail) if !items.is_empty() => {
                        list(items[1..].to_vec(), tail.as_deref().cloned(), pattern.span)
                    }
                    _ => return err(
                        pattern.span,
                        "a `syntax-rules` pattern must be a list starting with the keyword or `_`",
                    ),
                };
            let mut seen = Vec::new();
            sr.check_pattern(&pattern, &mut seen)?;
            sr.rules.push(Rule {
                pattern,
                template: template.clone(),
            });
        }
        Ok(sr)
    }

    fn is_ellipsis(&self, s: &Sexp) -> bool {
        let Some(name) = s.sym() else { return false };
        if self.literals.iter().any(|l| l == name) {
            return false;
        }
        match &self.ellipsis {
            Some(e) => e == name,
            None => base_name(name) == "...",
        }
    }

    fn is_underscore(&self, name: &str) -> bool {
        base_name(name) == "_" && !self.literals.iter().any(|l| l == name)
    }

    fn is_literal(&self, name: &str) -> bool {
        self.literals.iter().any(|l| l == name)
    }

    /// At most one ellipsis per list level, not first; no variable twice.
    fn check_pattern(&self, p: &Sexp, seen: &mut Vec<String>) -> Result<()> {
        let items = match &p.kind {
            SexpKind::Sym(name) => {
                if self.is_ellipsis(p) {
                    return err(p.span, "an ellipsis must follow a pattern");
                }
                if !self.is_literal(name) && !self.is_underscore(name) {
                    if seen.contains(name) {
                        return err(
                            p.span,
                            format!("pattern variable `{}` appears twice", base_name(name)),
                        );
                    }
                    seen.push(name.clone());
                }
                return Ok(());
            }
            SexpKind::List(..) => {
                let (items, tail) = flatten(p);
                if let Some(t) = tail {
                    self.check_pattern(t, seen)?;
                }
                items
            }
            SexpKind::Vector(items) => items.iter().collect(),
            _ => return Ok(()),
        };
        let mut ellipses = 0;
        for (i, item) in items.iter().enumerate() {
            if self.is_ellipsis(item) {
                ellipses += 1;
                if i == 0 || ellipses > 1 {
                    return err(
                        item.span,
                        "an ellipsis must follow a pattern, once per list or vector",
                    );
                }
            } else {
                self.check_pattern(item, seen)?;
            }
        }
        Ok(())
    }

    /// The first rule whose pattern `form` (a use, keyword included)
    /// matches: its index and the bindings of its pattern variables.
    pub fn find(&self, form: &Sexp, same: &SameBinding) -> Option<(usize, HashMap<String, Match>)> {
        let (items, tail) = flatten(form);
        let rest = list(
            items[1..].iter().map(|s| (*s).clone()).collect(),
            tail.cloned(),
            form.span,
        );
        self.rules.iter().enumerate().find_map(|(i, r)| {
            let mut b = HashMap::new();
            self.matches(&r.pattern, &rest, same, &mut b)
                .then_some((i, b))
        })
    }

    /// The template of rule `rule` with `bindings` (from `find`), for a
    /// use at `span`; `rename` gives what each introduced symbol becomes.
    /// At most `budget` nodes are made (each is counted off it).
    pub fn transcribe(
        &self,
        rule: usize,
        bindings: &HashMap<String, Match>,
        span: Span,
        rename: &mut dyn FnMut(&str) -> String,
        budget: &mut usize,
    ) -> std::result::Result<Sexp, String> {
        let b: Bindings = bindings.iter().map(|(k, v)| (k.as_str(), v)).collect();
        let mut t = Transcriber {
            sr: self,
            span,
            rename,
            budget,
        };
        t.template(&self.rules[rule].template, &b, false)
    }

    fn matches(
        &self,
        p: &Sexp,
        input: &Sexp,
        same: &SameBinding,
        out: &mut HashMap<String, Match>,
    ) -> bool {
        match &p.kind {
            SexpKind::Sym(name) => {
                if self.is_literal(name) {
                    input.sym().is_some_and(|i| same(name, i))
                } else {
                    if !self.is_underscore(name) {
                        out.insert(name.clone(), Match::One(input.clone()));
                    }
                    true
                }
            }
            SexpKind::List(..) => {
                // A non-list input is a list of no elements and that tail
                // (`(a ... . r)` matches `7`).
                let (ps, ptail) = flatten(p);
                let (xs, xtail) = flatten(input);
                self.match_sequence(&ps, ptail, &xs, xtail, input.span, same, out)
            }
            SexpKind::Vector(ps) => {
                let SexpKind::Vector(xs) = &input.kind else {
                    return false;
                };
                let ps: Vec<&Sexp> = ps.iter().collect();
                let xs: Vec<&Sexp> = xs.iter().collect();
                self.match_sequence(&ps, None, &xs, None, input.span, same, out)
            }
            kind => *kind == input.kind,
        }
    }

    /// Patterns `ps` (then `ptail`) against elements `xs` (then `xtail`).
    #[allow(clippy::too_many_arguments)]
    fn match_sequence(
        &self,
        ps: &[&Sexp],
        ptail: Option<&Sexp>,
        xs: &[&Sexp],
        xtail: Option<&Sexp>,
        span: Span,
        same: &SameBinding,
        out: &mut HashMap<String, Match>,
    ) -> bool {
        let empty = || list(Vec::new(), None, span);
        let Some(e) = ps.iter().position(|p| self.is_ellipsis(p)) else {
            let n = ps.len();
            let fits = match ptail {
                None => xs.len() == n && xtail.is_none(),
                Some(_) => xs.len() >= n,
            };
            if !fits
                || !ps
                    .iter()
                    .zip(xs)
                    .all(|(p, x)| self.matches(p, x, same, out))
            {
                return false;
            }
            return match ptail {
                None => true,
                Some(pt) => {
                    let rest = match (&xs[n..], xtail) {
                        ([], Some(t)) => t.clone(),
                        (rest, t) => list(
                            rest.iter().map(|s| (*s).clone()).collect(),
                            t.cloned(),
                            span,
                        ),
                    };
                    self.matches(pt, &rest, same, out)
                }
            };
        };
        // ps = before.. pe <ellipsis> after..
        let (before, pe, after) = (&ps[..e - 1], ps[e - 1], &ps[e + 1..]);
        if xs.len() < before.len() + after.len() {
            return false;
        }
        match (ptail, xtail) {
            (None, Some(_)) => return false,
            (Some(pt), xt) => {
                let t = xt.cloned().unwrap_or_else(empty);
                if !self.matches(pt, &t, same, out) {
                    return false;
                }
            }
            (None, None) => {}
        }
        let reps = xs.len() - before.len() - after.len();
        if !before
            .iter()
            .zip(xs)
            .all(|(p, x)| self.matches(p, x, same, out))
        {
            return false;
        }
        if !after
            .iter()
            .zip(&xs[before.len() + reps..])
            .all(|(p, x)| self.matches(p, x, same, out))
        {
            return false;
        }
        let mut vars = Vec::new();
        self.pattern_vars(pe, &mut vars);
        let mut seqs: Vec<Vec<Match>> = vars.iter().map(|_| Vec::new()).collect();
        for x in &xs[before.len()..before.len() + reps] {
            let mut one = HashMap::new();
            if !self.matches(pe, x, same, &mut one) {
                return false;
            }
            for (v, seq) in vars.iter().zip(&mut seqs) {
                seq.push(
                    one.remove(v)
                        .expect("every variable of a matched pattern is bound"),
                );
            }
        }
        for (v, seq) in vars.into_iter().zip(seqs) {
            out.insert(v, Match::Many(seq));
        }
        true
    }

    fn pattern_vars(&self, p: &Sexp, out: &mut Vec<String>) {
        match &p.kind {
            SexpKind::Sym(name)
                if !self.is_literal(name) && !self.is_underscore(name) && !self.is_ellipsis(p) =>
            {
                out.push(name.clone());
            }
            SexpKind::List(items, tail) => {
                for i in items {
                    self.pattern_vars(i, out);
                }
                if let Some(t) = tail {
                    self.pattern_vars(t, out);
                }
            }
            SexpKind::Vector(items) => {
                for i in items {
                    self.pattern_vars(i, out);
                }
            }
            _ => {}
        }
    }
}

struct Transcriber<'a, 'r> {
    sr: &'a SyntaxRules,
    /// The use's span, given to the nodes the template makes.
    span: Span,
    rename: &'r mut dyn FnMut(&str) -> String,
    /// Nodes that may still be made.
    budget: &'r mut usize,
}

type Out<T> = std::result::Result<T, String>;

impl Transcriber<'_, '_> {
    fn count(&mut self, n: usize) -> Out<()> {
        match self.budget.checked_sub(n) {
            Some(left) => {
                *self.budget = left;
                Ok(())
            }
            None => Err(
                "macro expansion made too many forms; does a macro grow its input at every step?"
                    .into(),
            ),
        }
    }

    /// Is `t` an ellipsis here (`escaped`: inside `(... t)`, it is not)?
    fn ellipsis(&self, t: &Sexp, escaped: bool) -> bool {
        !escaped && self.sr.is_ellipsis(t)
    }

    fn template(&mut self, t: &Sexp, b: &Bindings<'_>, escaped: bool) -> Out<Sexp> {
        self.count(1)?;
        let kind = match &t.kind {
            SexpKind::Sym(name) => match b.get(name.as_str()) {
                Some(Match::One(x)) => {
                    self.count(size(x))?;
                    return Ok(x.clone());
                }
                Some(Match::Many(_)) => {
                    return Err(format!(
                        "pattern variable `{}` is used with too few ellipses in the template",
                        base_name(name)
                    ))
                }
                None => SexpKind::Sym((self.rename)(name)),
            },
            SexpKind::List(items, tail) => {
                if let [e, inner] = &items[..] {
                    if tail.is_none() && self.ellipsis(e, escaped) {
                        return self.template(inner, b, true);
                    }
                }
                let items = self.elements(items, b, escaped)?;
                let tail = match tail {
                    Some(t) => Some(self.template(t, b, escaped)?),
                    None => None,
                };
                return Ok(list(items, tail, self.span));
            }
            SexpKind::Vector(items) => SexpKind::Vector(self.elements(items, b, escaped)?),
            other => other.clone(),
        };
        Ok(Sexp {
            kind,
            span: self.span,
        })
    }

    /// Elements of a list or vector template, each followed by its ellipses.
    fn elements(&mut self, items: &[Sexp], b: &Bindings<'_>, escaped: bool) -> Out<Vec<Sexp>> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < items.len() {
            let mut depth = 0;
            while items
                .get(i + 1 + depth)
                .is_some_and(|e| self.ellipsis(e, escaped))
            {
                depth += 1;
            }
            if depth == 0 && self.ellipsis(&items[i], escaped) {
                return Err("an ellipsis in a template must follow a subtemplate".into());
            }
            self.repeat(&items[i], depth, b, escaped, &mut out)?;
            i += 1 + depth;
        }
        Ok(out)
    }

    /// `t` followed by `depth` ellipses, into `out`.
    fn repeat<'m>(
        &mut self,
        t: &Sexp,
        depth: usize,
        b: &Bindings<'m>,
        escaped: bool,
        out: &mut Vec<Sexp>,
    ) -> Out<()> {
        if depth == 0 {
            out.push(self.template(t, b, escaped)?);
            return Ok(());
        }
        let mut names = Vec::new();
        symbols(t, &mut names);
        let iterated: Vec<(&'m str, &'m Vec<Match>)> = names
            .iter()
            .filter_map(|n| {
                let (&name, &m) = b.get_key_value(n.as_str())?;
                match m {
                    Match::Many(seq) => Some((name, seq)),
                    Match::One(_) => None,
                }
            })
            .collect();
        let Some(&(first, seq)) = iterated.first() else {
            return Err(
                "no pattern variable under this ellipsis matched a repetition (too many ellipses in the template)"
                    .into(),
            );
        };
        let n = seq.len();
        if let Some((other, s)) = iterated.iter().find(|(_, s)| s.len() != n) {
            return Err(format!(
                "pattern variables `{}` and `{}` are repeated together but matched {n} and {} forms",
                base_name(first),
                base_name(other),
                s.len()
            ));
        }
        for i in 0..n {
            let mut inner: Bindings<'m> = b.clone();
            for (name, seq) in &iterated {
                inner.insert(name, &seq[i]);
            }
            self.repeat(t, depth - 1, &inner, escaped, out)?;
        }
        Ok(())
    }
}

/// Every symbol in `t` (the candidates for pattern variables).
fn symbols(t: &Sexp, out: &mut Vec<String>) {
    match &t.kind {
        SexpKind::Sym(s) if !out.contains(s) => out.push(s.clone()),
        SexpKind::List(items, tail) => {
            for i in items {
                symbols(i, out);
            }
            if let Some(t) = tail {
                symbols(t, out);
            }
        }
        SexpKind::Vector(items) => {
            for i in items {
                symbols(i, out);
            }
        }
        _ => {}
    }
}

/// Nodes in `s`.
fn size(s: &Sexp) -> usize {
    match &s.kind {
        SexpKind::List(items, tail) => {
            1 + items.iter().map(size).sum::<usize>() + tail.as_deref().map_or(0, size)
        }
        SexpKind::Vector(items) => 1 + items.iter().map(size).sum::<usize>(),
        _ => 1,
    }
}
