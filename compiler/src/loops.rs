//! Pass `loops`: finds the local procedures that codegen compiles as
//! loops inside the procedure that binds them, with no closure, no call
//! and no frame of their own (named `let`, `do`, a one-procedure
//! `letrec` that only ever jumps to itself).
//!
//! A `letrec` of one procedure `v` qualifies when `v` is never assigned,
//! takes a fixed number of arguments, and every reference to `v` is the
//! operator of a call with that many arguments in tail position relative
//! to the `letrec` (in its body, or in `v`'s own body). Such a call is a
//! jump: the arguments go to `v`'s parameter slots in the enclosing frame.
//!
//! Tail position passes into an inner loop's body only if that inner
//! loop qualifies too, which is known only once its whole body has been
//! walked: a reference to an outer loop found there waits on the inner
//! one (`Candidate::pending`) and is settled when the inner one is
//! decided. One walk; a reference moves up once per loop it waits on.

use std::collections::{HashMap, HashSet};

use crate::ast::{Expr, Program, VarId};

/// The `letrec` variables codegen compiles as loops.
pub fn find(program: &Program) -> HashSet<VarId> {
    let mut f = Finder {
        program,
        stack: Vec::new(),
        index: HashMap::new(),
        in_body: Vec::new(),
        bad: HashSet::new(),
        loops: HashSet::new(),
    };
    f.walk(&program.body, 0);
    f.loops
}

struct Candidate {
    var: VarId,
    params: usize,
    /// Calls of enclosing candidates, in tail position within this one's
    /// procedure body: good if this one becomes a loop.
    pending: Vec<VarId>,
}

struct Finder<'a> {
    program: &'a Program,
    /// The candidates enclosing the expression being walked, innermost last.
    stack: Vec<Candidate>,
    /// Each candidate's place in `stack`.
    index: HashMap<VarId, usize>,
    /// The candidates whose procedure body (not the `letrec` body) is
    /// being walked: their places in `stack`, innermost last.
    in_body: Vec<usize>,
    /// Candidates referenced some other way: not loops.
    bad: HashSet<VarId>,
    loops: HashSet<VarId>,
}

impl Finder<'_> {
    /// Walk `e`; it is in tail position relative to the candidates at
    /// places `tail..` of the stack.
    fn walk(&mut self, e: &Expr, tail: usize) {
        let none = self.stack.len();
        match e {
            Expr::Const(_) | Expr::Global(_) | Expr::PrimRef(_) | Expr::Foreign(_) => {}
            Expr::Local(v) => self.refuse(*v),
            Expr::SetLocal(v, x) => {
                self.refuse(*v);
                self.walk(x, none);
            }
            Expr::SetGlobal(_, x) | Expr::Callable(_, x, _) => self.walk(x, none),
            Expr::Inlined(i) => self.walk(&i.body, tail),
            Expr::If(c, t, f) => {
                self.walk(c, none);
                self.walk(t, tail);
                self.walk(f, tail);
            }
            Expr::Seq(xs) => {
                let (last, init) = xs.split_last().expect("sequences are not empty");
                for x in init {
                    self.walk(x, none);
                }
                self.walk(last, tail);
            }
            Expr::Lambda(l) => self.walk(&l.body, none),
            Expr::Call(f, args, _) => {
                match **f {
                    Expr::Local(v) if self.index.contains_key(&v) => self.call(v, args.len(), tail),
                    _ => self.walk(f, none),
                }
                for a in args {
                    self.walk(a, none);
                }
            }
            Expr::PrimCall(_, args, _) => {
                for a in args {
                    self.walk(a, none);
                }
            }
            Expr::Apply(f, args, _) => {
                self.walk(f, none);
                for a in args {
                    self.walk(a, none);
                }
            }
            Expr::Let(bindings, body) => {
                for (_, init) in bindings {
                    self.walk(init, none);
                }
                self.walk(body, tail);
            }
            Expr::Letrec(bindings, body) => match bindings.as_slice() {
                [(v, l)] if l.rest.is_none() && !self.program.vars[*v].mutated => {
                    self.candidate(*v, l.params.len(), &l.body, body, tail)
                }
                _ => {
                    for (_, l) in bindings {
                        self.walk(&l.body, none);
                    }
                    self.walk(body, tail);
                }
            },
        }
    }

    /// A reference to `v` that is not a jump: `v` is no loop.
    fn refuse(&mut self, v: VarId) {
        if self.index.contains_key(&v) {
            self.bad.insert(v);
        }
    }

    /// A call of candidate `v` with `argc` arguments.
    fn call(&mut self, v: VarId, argc: usize, tail: usize) {
        let at = self.index[&v];
        let c = &self.stack[at];
        if at < tail || argc != c.params {
            self.bad.insert(v);
            return;
        }
        self.wait_or_settle(v, at);
    }

    /// A tail call of the candidate at place `at`: it waits on the
    /// innermost candidate whose procedure body is being walked, if that
    /// one is inside `at`; else it is a good jump.
    fn wait_or_settle(&mut self, v: VarId, at: usize) {
        if let Some(&inner) = self.in_body.last() {
            if inner > at {
                self.stack[inner].pending.push(v);
            }
        }
    }

    fn candidate(&mut self, v: VarId, params: usize, proc_body: &Expr, body: &Expr, tail: usize) {
        let at = self.stack.len();
        self.stack.push(Candidate {
            var: v,
            params,
            pending: Vec::new(),
        });
        self.index.insert(v, at);
        self.in_body.push(at);
        self.walk(proc_body, tail);
        self.in_body.pop();
        self.walk(body, tail);
        self.index.remove(&v);
        let c = self.stack.pop().expect("pushed above");
        let is_loop = !self.bad.contains(&c.var);
        if is_loop {
            self.loops.insert(c.var);
        }
        for outer in c.pending {
            if is_loop {
                let outer_at = self.index[&outer];
                self.wait_or_settle(outer, outer_at);
            } else {
                self.bad.insert(outer);
            }
        }
    }
}
