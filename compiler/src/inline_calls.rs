//! Pass `inline_calls`: core `Expr` => core `Expr`. After `expand`, before
//! `bind_leaves`.
//!
//! Removes the calls and closures that a program's shape makes needless,
//! as Chez Scheme's cp0 does (Waddell and Dybvig, "Fast and effective
//! procedure inlining"), in one walk:
//!
//! - A call of a known global procedure that is small, or called from one
//!   place only, becomes a copy of its body with fresh variables, its
//!   parameters bound to the arguments by a `let`. Known: defined by a
//!   top-level `(define g (lambda ...))` of an earlier top-level form
//!   (so it is defined when the call runs), never assigned, not recursive,
//!   and no later unit or `eval` can redefine it.
//! - A `let` variable bound to a lambda and referenced once, as the
//!   operator of a call, is not bound at all: the call becomes the
//!   lambda's body with its parameters bound to the arguments, and no
//!   closure is made. This is what inlining a procedure that takes
//!   procedures (`fold`, continuation-passing code) leaves behind.
//! - A `let` variable never assigned and bound to another such variable,
//!   a primitive or an immediate constant is replaced by its value; an
//!   unused one bound to a value without effects is dropped.
//! - A call of a primitive that reached the operator position becomes a
//!   primitive call (compiled inline where codegen can).
//!
//! Variables are unique (`VarId`), so moving a lambda next to its one
//! call cannot capture another binding, and a variable never assigned
//! holds the same value wherever it is read. A lambda has no effects, so
//! it may move past the evaluation of other expressions. Errors inside
//! inlined code are the same errors; backtraces lose the inlined frame,
//! as in Chez. `SCHEMEC_NO_INLINE=1` turns the pass off, to measure it.

use std::collections::{HashMap, HashSet};

use crate::ast::*;
use crate::diag::Span;

/// The procedure an inlined body comes from, and the call it replaces.
type Frame = (String, Span);

/// A known global whose body is at most this many nodes is inlined at
/// every call (Chez's `cp0-score-limit` is 20, over a coarser count).
const SMALL: usize = 40;
/// Inlined code is walked again and may inline further, this many deep.
const MAX_DEPTH: usize = 3;

/// Inline in `program`. `globals_may_change`: a later unit or `eval` may
/// redefine globals, so none is known. Globals defined at or after
/// `prelude_start` (the prelude's procedures) are left alone: their
/// frames are what backtraces hide. Returns the definitions it removed,
/// for the caller to free with the program (dropping big trees is a
/// measurable share of compile time, and not this pass's job).
pub fn inline_calls(
    program: &mut Program,
    globals_may_change: bool,
    prelude_start: usize,
) -> Vec<Expr> {
    let census = Census::of(program);
    let mut s = Inliner {
        vars: &mut program.vars,
        refs: census.refs,
        calls: census.calls,
        global_refs: census.global_refs,
        global_calls: census.global_calls,
        global_sets: census.global_sets,
        templates: HashMap::new(),
        ahead: HashMap::new(),
        used_up: Vec::new(),
        env: HashMap::new(),
        depth: 0,
        globals_may_change,
        prelude_start,
    };
    match take(&mut program.body) {
        Expr::Seq(forms) => {
            let early = called_before_definition(&forms);
            for f in &forms {
                s.foresee(f, &early);
            }
            let mut forms: Vec<Expr> = forms
                .into_iter()
                .map(|mut f| {
                    s.expr(&mut f);
                    unwrap_lambda(&mut f);
                    s.remember(&f);
                    f
                })
                .collect();
            let mut template = vec![false; program.globals.len()];
            for g in s.templates.keys().chain(&s.used_up) {
                template[*g] = true;
            }
            let dead = drop_dead_definitions(&mut forms, &template);
            program.body = Expr::Seq(forms);
            dead
        }
        mut e => {
            s.expr(&mut e);
            program.body = e;
            Vec::new()
        }
    }
}

/// Make the inline frame of `e` (what `apply` made of a call of global
/// `g`, defined by a later form) check that `g` is defined.
fn check_defined(e: &mut Expr, g: GlobalId) {
    match e {
        Expr::Inlined(i) => i.defined_check = Some(g),
        Expr::Let(_, body) => check_defined(body, g),
        _ => unreachable!("apply of a call with the right argument count makes an inline frame"),
    }
}

/// `(define g <inline frame of a lambda>)` (a call of a procedure that
/// returns a lambda, inlined) is `(define g lambda)`: making a lambda
/// reports no error, so the frame shows nothing, and `g` is then known.
fn unwrap_lambda(form: &mut Expr) {
    let Expr::SetGlobal(_, x) = form else { return };
    let Expr::Inlined(i) = &mut **x else { return };
    if i.defined_check.is_some() {
        return;
    }
    // A body of one form is a `Seq` of it.
    let body = match &mut i.body {
        Expr::Seq(forms) if forms.len() == 1 => &mut forms[0],
        body => body,
    };
    if matches!(body, Expr::Lambda(_)) {
        **x = take(body);
    }
}

/// The globals defined by a top-level form that an earlier form calls
/// (the only ones worth a template before their definition).
fn called_before_definition(forms: &[Expr]) -> HashSet<GlobalId> {
    let mut defined_at = HashMap::new();
    for (i, form) in forms.iter().enumerate() {
        if let Expr::SetGlobal(g, _) = form {
            defined_at.entry(*g).or_insert(i);
        }
    }
    let mut early = HashSet::new();
    for (i, form) in forms.iter().enumerate() {
        let mut stack = vec![form];
        while let Some(e) = stack.pop() {
            if let Expr::Call(f, _, _) = e {
                if let Expr::Global(g) = **f {
                    if defined_at.get(&g).is_some_and(|&j| j > i) {
                        early.insert(g);
                    }
                }
            }
            e.for_each_child(|x| stack.push(x));
        }
    }
    early
}

/// Move `e` out, leaving a constant.
fn take(e: &mut Expr) -> Expr {
    std::mem::replace(e, Expr::Const(Datum::Unspecified))
}

/// A template's definition that no reference is left to (every call was
/// inlined) is dead code: compiling it would double the work of a
/// procedure called from one place. Nothing else can read the global
/// (templates exist only where no `eval` or later unit can).
fn drop_dead_definitions(forms: &mut [Expr], template: &[bool]) -> Vec<Expr> {
    let mut refs = vec![0u32; template.len()];
    let mut stack: Vec<&Expr> = forms.iter().collect();
    while let Some(e) = stack.pop() {
        match e {
            Expr::Global(g) => refs[*g] += 1,
            Expr::Inlined(i) => i.defined_check.iter().for_each(|&g| refs[g] += 1),
            _ => {}
        }
        e.for_each_child(|x| stack.push(x));
    }
    let mut dead = Vec::new();
    for form in forms.iter_mut() {
        if let Expr::SetGlobal(g, _) = form {
            if refs[*g] == 0 && template[*g] {
                dead.push(take(form));
            }
        }
    }
    dead
}

/// How often each variable and global is referenced, and called.
struct Census {
    refs: Vec<u32>,
    calls: Vec<u32>,
    global_refs: Vec<u32>,
    global_calls: Vec<u32>,
    global_sets: Vec<u32>,
}

impl Census {
    fn of(program: &Program) -> Census {
        let mut c = Census {
            refs: vec![0; program.vars.len()],
            calls: vec![0; program.vars.len()],
            global_refs: vec![0; program.globals.len()],
            global_calls: vec![0; program.globals.len()],
            global_sets: vec![0; program.globals.len()],
        };
        let mut stack = vec![&program.body];
        while let Some(e) = stack.pop() {
            match e {
                Expr::Local(v) => c.refs[*v] += 1,
                Expr::Global(g) => c.global_refs[*g] += 1,
                Expr::SetGlobal(g, _) => c.global_sets[*g] += 1,
                Expr::Call(f, _, _) => match **f {
                    Expr::Local(v) => c.calls[v] += 1,
                    Expr::Global(g) => c.global_calls[g] += 1,
                    _ => {}
                },
                _ => {}
            }
            e.for_each_child(|x| stack.push(x));
        }
        c
    }
}

/// What a variable's references become.
enum Subst {
    /// Its one reference is a call: the call becomes this lambda's body.
    Pending(Lambda),
    /// A variable, primitive or immediate constant.
    Value(Expr),
}

/// A known global that calls may be replaced by.
struct Template {
    lambda: Lambda,
    /// Inlined at every call; otherwise at its one call only.
    small: bool,
}

struct Inliner<'p> {
    vars: &'p mut Vec<VarInfo>,
    refs: Vec<u32>,
    calls: Vec<u32>,
    global_refs: Vec<u32>,
    global_calls: Vec<u32>,
    global_sets: Vec<u32>,
    templates: HashMap<GlobalId, Template>,
    /// Small procedures a later top-level form defines, called by an
    /// earlier one: calls before the definition inline a copy too, in an
    /// inline frame that checks the global is defined (`defined_check`).
    ahead: HashMap<GlobalId, Lambda>,
    /// Templates inlined at their one call, and removed.
    used_up: Vec<GlobalId>,
    env: HashMap<VarId, Subst>,
    depth: usize,
    globals_may_change: bool,
    prelude_start: usize,
}

impl Inliner<'_> {
    /// Walk `e` in place: nodes are rebuilt only where they change.
    fn expr(&mut self, e: &mut Expr) {
        match e {
            Expr::Const(_) | Expr::Global(_) | Expr::PrimRef(_) | Expr::Foreign(_) => {}
            Expr::Local(v) => match self.env.get(v) {
                Some(Subst::Value(x)) => *e = x.clone(),
                // Not reached (a pending lambda's one reference is a
                // call), but correct: the lambda where it was bound.
                Some(Subst::Pending(_)) => {
                    let Some(Subst::Pending(mut l)) = self.env.remove(v) else {
                        unreachable!("matched above")
                    };
                    self.expr(&mut l.body);
                    *e = Expr::Lambda(Box::new(l));
                }
                None => {}
            },
            Expr::SetLocal(_, x) | Expr::SetGlobal(_, x) | Expr::Callable(_, x, _) => self.expr(x),
            Expr::If(c, t, f) => {
                self.expr(c);
                self.expr(t);
                self.expr(f);
            }
            Expr::Seq(xs) | Expr::PrimCall(_, xs, _) => xs.iter_mut().for_each(|x| self.expr(x)),
            Expr::Apply(f, xs, _) => {
                self.expr(f);
                xs.iter_mut().for_each(|x| self.expr(x));
            }
            Expr::Lambda(l) => self.expr(&mut l.body),
            Expr::Inlined(i) => self.expr(&mut i.body),
            Expr::Letrec(bindings, body) => {
                bindings
                    .iter_mut()
                    .for_each(|(_, l)| self.expr(&mut l.body));
                self.expr(body);
            }
            Expr::Let(bindings, body) => {
                let mut walked = Vec::with_capacity(bindings.len());
                for (v, init) in std::mem::take(bindings) {
                    match init {
                        // Walked where it is called.
                        Expr::Lambda(l) if self.inlinable_at_call(v, &l) => {
                            self.env.insert(v, Subst::Pending(*l));
                        }
                        mut init => {
                            self.expr(&mut init);
                            walked.push((v, init));
                        }
                    }
                }
                *e = self.bind(walked, take(body), None);
            }
            Expr::Call(..) => self.call(e),
        }
    }

    /// Is `v`, bound to `l`, referenced once, as a call's operator?
    fn inlinable_at_call(&self, v: VarId, l: &Lambda) -> bool {
        !self.vars[v].mutated && l.rest.is_none() && self.refs[v] == 1 && self.calls[v] == 1
    }

    /// A `let` of walked initial values around `body` (not yet walked):
    /// bindings that can be substituted go into `env` instead. With
    /// `frame`, `body` is a procedure's, inlined at a call.
    fn bind(&mut self, walked: Vec<(VarId, Expr)>, mut body: Expr, frame: Option<Frame>) -> Expr {
        let mut kept = Vec::with_capacity(walked.len());
        for (v, init) in walked {
            if !self.vars[v].mutated {
                match init {
                    Expr::Lambda(l) if self.inlinable_at_call(v, &l) => {
                        self.env.insert(v, Subst::Pending(*l));
                        continue;
                    }
                    Expr::Local(u) if !self.vars[u].mutated => {
                        // `v`'s references become `u`'s; this one goes.
                        self.refs[u] = self.refs[u] + self.refs[v] - 1;
                        self.calls[u] += self.calls[v];
                        self.env.insert(v, Subst::Value(init));
                        continue;
                    }
                    Expr::PrimRef(_) => {
                        self.env.insert(v, Subst::Value(init));
                        continue;
                    }
                    // A known procedure an earlier form defined: it has
                    // that value wherever `v` is read.
                    Expr::Global(h) if self.templates.contains_key(&h) => {
                        self.env.insert(v, Subst::Value(init));
                        continue;
                    }
                    Expr::Const(ref d) if immediate(d) => {
                        self.env.insert(v, Subst::Value(init));
                        continue;
                    }
                    ref init if self.refs[v] == 0 && pure(init) => continue,
                    _ => {}
                }
            }
            kept.push((v, init));
        }
        self.expr(&mut body);
        if let Some((name, call)) = frame {
            body = Expr::Inlined(Box::new(Inlined {
                name,
                call,
                body,
                defined_check: None,
            }));
        }
        if kept.is_empty() {
            body
        } else {
            Expr::Let(kept, Box::new(body))
        }
    }

    /// Walk the call `e` in place: inline it if its operator allows.
    fn call(&mut self, e: &mut Expr) {
        let Expr::Call(f, args, span) = e else {
            unreachable!("a call")
        };
        let span = *span;
        args.iter_mut().for_each(|a| self.expr(a));
        if let Expr::Local(v) = **f {
            // A variable bound to a global or primitive: call that.
            if let Some(Subst::Value(x)) = self.env.get(&v) {
                **f = x.clone();
            }
        }
        let inlined = match &**f {
            Expr::Local(v) if matches!(self.env.get(v), Some(Subst::Pending(_))) => {
                let Some(Subst::Pending(l)) = self.env.remove(v) else {
                    unreachable!("matched above")
                };
                Some((l, true))
            }
            Expr::Lambda(_) => {
                let Expr::Lambda(l) = take(f) else {
                    unreachable!("matched above")
                };
                Some((*l, false))
            }
            Expr::Global(g) if self.depth < MAX_DEPTH && self.template_fits(*g, args.len()) => {
                let g = *g;
                let l = if self.templates[&g].small {
                    self.templates[&g].lambda.clone()
                } else {
                    // Its one call: no more copies.
                    self.used_up.push(g);
                    self.templates.remove(&g).expect("fits").lambda
                };
                *e = self.inline_copy(l, std::mem::take(args), span);
                return;
            }
            Expr::Global(g)
                if self.depth < MAX_DEPTH
                    && self
                        .ahead
                        .get(g)
                        .is_some_and(|l| l.params.len() == args.len()) =>
            {
                let g = *g;
                *e = self.inline_copy(self.ahead[&g].clone(), std::mem::take(args), span);
                check_defined(e, g);
                return;
            }
            _ => None,
        };
        if let Some((l, frame)) = inlined {
            *e = self.apply(l, std::mem::take(args), span, frame);
            return;
        }
        self.expr(f);
        if let Expr::PrimRef(p) = **f {
            if plain_primitive(p, args.len()) {
                *e = Expr::PrimCall(p, std::mem::take(args), span);
            }
        }
    }

    /// A call of a global's template `l` (a copy of it) with `args`
    /// walked: the copy renamed, inlined and walked one level deeper.
    fn inline_copy(&mut self, mut l: Lambda, args: Vec<Expr>, span: Span) -> Expr {
        self.rename(&mut l);
        self.depth += 1;
        let inlined = self.apply(l, args, span, true);
        self.depth -= 1;
        inlined
    }

    fn template_fits(&self, g: GlobalId, nargs: usize) -> bool {
        self.templates
            .get(&g)
            .is_some_and(|t| t.lambda.params.len() == nargs)
    }

    /// `((lambda params body) args...)` with `args` walked: a `let`,
    /// with an inline frame for `l` if `frame`.
    fn apply(&mut self, mut l: Lambda, args: Vec<Expr>, span: Span, frame: bool) -> Expr {
        if l.rest.is_some() || l.params.len() != args.len() {
            // The call reports the wrong number of arguments.
            self.expr(&mut l.body);
            return Expr::Call(Box::new(Expr::Lambda(Box::new(l))), args, span);
        }
        let walked = l.params.iter().copied().zip(args).collect();
        let frame = frame.then_some((l.name, span));
        self.bind(walked, l.body, frame)
    }

    /// Before any form is walked: note the small procedures top-level
    /// form `form` defines, for calls in earlier forms (`ahead`).
    fn foresee(&mut self, form: &Expr, early: &HashSet<GlobalId>) {
        let Expr::SetGlobal(g, x) = form else { return };
        let Expr::Lambda(l) = &**x else { return };
        if early.contains(g) && self.inlinable(*g, l) && size_at_most(&l.body, SMALL) {
            self.ahead.insert(*g, (**l).clone());
        }
    }

    /// May calls of global `g`, defined once as `l`, be inlined?
    fn inlinable(&self, g: GlobalId, l: &Lambda) -> bool {
        !(self.globals_may_change
            || self.global_sets[g] != 1
            || l.rest.is_some()
            || l.span.start >= self.prelude_start
            || record_operation(&l.body)
            || refers_to(&l.body, g))
    }

    /// After top-level form `form` is walked: is it the definition of a
    /// global that later calls may inline?
    fn remember(&mut self, form: &Expr) {
        let Expr::SetGlobal(g, x) = form else { return };
        // From here on, calls see the definition itself.
        self.ahead.remove(g);
        if let Expr::Global(h) = &**x {
            // `(define alias g)` of a small known procedure: the same template.
            let small = self.templates.get(h).filter(|t| t.small);
            if let Some(t) = small.filter(|_| !self.globals_may_change && self.global_sets[*g] == 1)
            {
                let lambda = t.lambda.clone();
                self.templates.insert(
                    *g,
                    Template {
                        lambda,
                        small: true,
                    },
                );
            }
            return;
        }
        let Expr::Lambda(l) = &**x else { return };
        let g = *g;
        if !self.inlinable(g, l) {
            return;
        }
        let small = size_at_most(&l.body, SMALL);
        if small || (self.global_refs[g] == 1 && self.global_calls[g] == 1) {
            self.templates.insert(
                g,
                Template {
                    lambda: (**l).clone(),
                    small,
                },
            );
        }
    }

    /// Give every variable `l` binds a fresh number (a copy of it is about
    /// to be inlined), and count the references to the new ones.
    fn rename(&mut self, l: &mut Lambda) {
        let mut map = Renaming {
            new: HashMap::new(),
            first: self.vars.len(),
        };
        self.rename_lambda(l, &mut map);
    }

    fn fresh(&mut self, v: VarId, map: &mut Renaming) -> VarId {
        let mut info = self.vars[v].clone();
        info.captured = false;
        let n = self.vars.len();
        self.vars.push(info);
        self.refs.push(0);
        self.calls.push(0);
        map.new.insert(v, n);
        n
    }

    fn rename_lambda(&mut self, l: &mut Lambda, map: &mut Renaming) {
        for p in l.params.iter_mut().chain(l.rest.iter_mut()) {
            *p = self.fresh(*p, map);
        }
        self.rename_expr(&mut l.body, map);
    }

    fn rename_expr(&mut self, e: &mut Expr, map: &mut Renaming) {
        match e {
            Expr::Const(_) | Expr::Global(_) | Expr::PrimRef(_) | Expr::Foreign(_) => {}
            Expr::Local(v) => {
                if let Some(&n) = map.new.get(v) {
                    *v = n;
                    self.refs[n] += 1;
                }
            }
            Expr::SetLocal(v, x) => {
                if let Some(&n) = map.new.get(v) {
                    *v = n;
                }
                self.rename_expr(x, map);
            }
            Expr::SetGlobal(_, x) | Expr::Callable(_, x, _) => self.rename_expr(x, map),
            Expr::If(c, t, f) => {
                self.rename_expr(c, map);
                self.rename_expr(t, map);
                self.rename_expr(f, map);
            }
            Expr::Seq(xs) | Expr::PrimCall(_, xs, _) => {
                xs.iter_mut().for_each(|x| self.rename_expr(x, map))
            }
            Expr::Call(f, xs, _) => {
                self.rename_expr(f, map);
                if let Expr::Local(v) = **f {
                    if map.first <= v {
                        self.calls[v] += 1;
                    }
                }
                xs.iter_mut().for_each(|x| self.rename_expr(x, map));
            }
            Expr::Apply(f, xs, _) => {
                self.rename_expr(f, map);
                xs.iter_mut().for_each(|x| self.rename_expr(x, map));
            }
            Expr::Lambda(l) => self.rename_lambda(l, map),
            Expr::Inlined(i) => self.rename_expr(&mut i.body, map),
            Expr::Let(bindings, body) => {
                for (_, init) in bindings.iter_mut() {
                    self.rename_expr(init, map);
                }
                for (v, _) in bindings.iter_mut() {
                    *v = self.fresh(*v, map);
                }
                self.rename_expr(body, map);
            }
            Expr::Letrec(bindings, body) => {
                for (v, _) in bindings.iter_mut() {
                    *v = self.fresh(*v, map);
                }
                for (_, l) in bindings.iter_mut() {
                    self.rename_lambda(l, map);
                }
                self.rename_expr(body, map);
            }
        }
    }
}

/// The fresh numbers of a copy's variables.
struct Renaming {
    new: HashMap<VarId, VarId>,
    /// The first fresh number.
    first: VarId,
}

/// Constants that copies of are the same object (`eq?`).
fn immediate(d: &Datum) -> bool {
    matches!(
        d,
        Datum::Int(_)
            | Datum::Bool(_)
            | Datum::Char(_)
            | Datum::Nil
            | Datum::Unspecified
            | Datum::Sym(_)
    )
}

/// Evaluating `e` has no effect and cannot fail.
fn pure(e: &Expr) -> bool {
    matches!(
        e,
        Expr::Const(_) | Expr::Local(_) | Expr::PrimRef(_) | Expr::Lambda(_) | Expr::Foreign(_)
    )
}

/// A call of primitive `p` with `n` arguments that the expander would
/// have made a `PrimCall` (see `expand::application`).
fn plain_primitive(p: &scheme_runtime::registry::PrimDesc, n: usize) -> bool {
    p.accepts(n)
        && !matches!(p.name, "apply" | "call-with-values")
        && !crate::prelude::SCHEME_VERSIONS.contains(&p.name)
        && crate::primitives::scheme_code(p).is_none()
}

/// Is `e` one record operation? A call of a procedure that is one
/// (`define-record-type`'s accessors, modifiers and predicates) is
/// already compiled as the operation, with errors at the call
/// (`codegen/record.rs`).
fn record_operation(mut e: &Expr) -> bool {
    while let Expr::Seq(xs) = e {
        match &xs[..] {
            [x] => e = x,
            _ => return false,
        }
    }
    matches!(e, Expr::PrimCall(p, _, _) if matches!(p.name, "%record-ref" | "%record-set!" | "%record?"))
}

/// Does `e` mention global `g`?
fn refers_to(e: &Expr, g: GlobalId) -> bool {
    let mut stack = vec![e];
    while let Some(e) = stack.pop() {
        if matches!(e, Expr::Global(h) | Expr::SetGlobal(h, _) if *h == g) {
            return true;
        }
        e.for_each_child(|x| stack.push(x));
    }
    false
}

/// Has `e` at most `limit` nodes?
fn size_at_most(e: &Expr, limit: usize) -> bool {
    let mut n = 0;
    let mut stack = vec![e];
    while let Some(e) = stack.pop() {
        n += 1;
        if n > limit {
            return false;
        }
        e.for_each_child(|x| stack.push(x));
    }
    true
}
