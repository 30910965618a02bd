//! Pass `analyze`: finds each lambda's free variables (in a fixed order,
//! which becomes the closure layout) and marks variables captured by an
//! inner lambda. With `mutated` from the expander this decides which
//! variables live in boxes (`VarInfo::boxed`).
//!
//! A `letrec` group of procedures that need nothing from outside the
//! group (their free variables, if the group's own were constants, are
//! none) is static: each procedure is a closure object in the data
//! section, and a reference to one of the group's variables from an inner
//! lambda is that constant (codegen's `static_vars`), not a free variable.
//! So `(define (f ...) (define (loop ...) ... (loop ...)) ...)` makes no
//! closure for `loop`, and the lambdas inside `loop` do not capture it.

use std::collections::BTreeSet;

use crate::ast::*;

/// Fill in `Lambda::free` everywhere and `VarInfo::captured`.
pub fn analyze(program: &mut Program) {
    let mut owner = vec![usize::MAX; program.vars.len()];
    let mut statics = vec![false; program.vars.len()];
    let mut a = Analyzer {
        vars: &mut program.vars,
        owner: &mut owner,
        statics: &mut statics,
        trials: 0,
        next_lambda: 1,
    };
    a.expr(&mut program.body, 0);
}

struct Analyzer<'a> {
    vars: &'a mut Vec<VarInfo>,
    /// The lambda (numbered as met) that binds each variable; 0 is the top level.
    owner: &'a mut Vec<usize>,
    /// Variables of a static `letrec` group (or of one being tried).
    statics: &'a mut Vec<bool>,
    /// Groups being tried as static around the current point: each try
    /// may walk its lambdas twice, so nesting is bounded.
    trials: usize,
    next_lambda: usize,
}

/// Nested static tries at most (each can double the walk below it).
const MAX_TRIALS: usize = 3;

impl Analyzer<'_> {
    /// Walk `e` inside lambda `current`; returns the variables it references
    /// that belong to enclosing lambdas.
    fn expr(&mut self, e: &mut Expr, current: usize) -> BTreeSet<VarId> {
        match e {
            Expr::Const(_) | Expr::Global(_) | Expr::PrimRef(_) | Expr::Foreign(_) => {
                BTreeSet::new()
            }
            Expr::Callable(_, x, _) => self.expr(x, current),
            Expr::Inlined(i) => self.expr(&mut i.body, current),
            Expr::Local(v) => self.reference(*v, current),
            Expr::SetLocal(v, x) => {
                let mut free = self.expr(x, current);
                free.extend(self.reference(*v, current));
                free
            }
            Expr::SetGlobal(_, x) => self.expr(x, current),
            Expr::If(c, t, f) => {
                let mut free = self.expr(c, current);
                free.extend(self.expr(t, current));
                free.extend(self.expr(f, current));
                free
            }
            Expr::Seq(xs) => self.all(xs, current),
            Expr::Call(f, args, _) | Expr::Apply(f, args, _) => {
                let mut free = self.expr(f, current);
                free.extend(self.all(args, current));
                free
            }
            Expr::PrimCall(_, args, _) => self.all(args, current),
            Expr::Lambda(l) => self.lambda(l, current),
            Expr::Let(bindings, body) => {
                let mut free = BTreeSet::new();
                for (v, init) in bindings.iter_mut() {
                    free.extend(self.expr(init, current));
                    self.owner[*v] = current;
                }
                free.extend(self.expr(body, current));
                free
            }
            Expr::Letrec(bindings, body) => {
                for (v, _) in bindings.iter() {
                    self.owner[*v] = current;
                }
                let mut free = self.static_group(bindings, current).unwrap_or_else(|| {
                    bindings
                        .iter_mut()
                        .flat_map(|(_, l)| self.lambda(l, current))
                        .collect()
                });
                free.extend(self.expr(body, current));
                free
            }
        }
    }

    /// Walk the group's lambdas taking its variables as constants: if no
    /// lambda is then left with a free variable, the group is static (its
    /// variables stay marked). `None`: not static, nothing marked.
    fn static_group(
        &mut self,
        bindings: &mut [(VarId, Lambda)],
        current: usize,
    ) -> Option<BTreeSet<VarId>> {
        if self.trials >= MAX_TRIALS || bindings.iter().any(|(v, _)| self.vars[*v].mutated) {
            return None;
        }
        bindings.iter().for_each(|(v, _)| self.statics[*v] = true);
        self.trials += 1;
        let free: BTreeSet<VarId> = bindings
            .iter_mut()
            .flat_map(|(_, l)| self.lambda(l, current))
            .collect();
        self.trials -= 1;
        if bindings.iter().all(|(_, l)| l.free.is_empty()) {
            return Some(free);
        }
        bindings.iter().for_each(|(v, _)| self.statics[*v] = false);
        None
    }

    fn all(&mut self, xs: &mut [Expr], current: usize) -> BTreeSet<VarId> {
        xs.iter_mut().flat_map(|x| self.expr(x, current)).collect()
    }

    fn reference(&mut self, v: VarId, current: usize) -> BTreeSet<VarId> {
        if self.owner[v] == current || self.statics[v] {
            BTreeSet::new()
        } else {
            self.vars[v].captured = true;
            BTreeSet::from([v])
        }
    }

    fn lambda(&mut self, l: &mut Lambda, current: usize) -> BTreeSet<VarId> {
        let id = self.next_lambda;
        self.next_lambda += 1;
        for &p in l.params.iter().chain(&l.rest) {
            self.owner[p] = id;
        }
        let free = self.expr(&mut l.body, id);
        l.free = free.iter().copied().collect();
        // What this lambda needs from outside `current` is free in `current` too.
        free.into_iter()
            .filter(|&v| self.owner[v] != current)
            .collect()
    }
}
