//! Pass `analyze`: finds each lambda's free variables (in a fixed order,
//! which becomes the closure layout) and marks variables captured by an
//! inner lambda. With `mutated` from the expander this decides which
//! variables live in boxes (`VarInfo::boxed`).

use std::collections::BTreeSet;

use crate::ast::*;

/// Fill in `Lambda::free` everywhere and `VarInfo::captured`.
pub fn analyze(program: &mut Program) {
    let mut owner = vec![usize::MAX; program.vars.len()];
    let mut a = Analyzer {
        vars: &mut program.vars,
        owner: &mut owner,
        next_lambda: 1,
    };
    a.expr(&mut program.body, 0);
}

struct Analyzer<'a> {
    vars: &'a mut Vec<VarInfo>,
    /// The lambda (numbered as met) that binds each variable; 0 is the top level.
    owner: &'a mut Vec<usize>,
    next_lambda: usize,
}

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
                let mut free = BTreeSet::new();
                for (_, l) in bindings.iter_mut() {
                    free.extend(self.lambda(l, current));
                }
                free.extend(self.expr(body, current));
                free
            }
        }
    }

    fn all(&mut self, xs: &mut [Expr], current: usize) -> BTreeSet<VarId> {
        xs.iter_mut().flat_map(|x| self.expr(x, current)).collect()
    }

    fn reference(&mut self, v: VarId, current: usize) -> BTreeSet<VarId> {
        if self.owner[v] == current {
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
