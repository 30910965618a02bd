//! Pass `unbox`: the parameters of inline loops (`loops.rs`) that always
//! hold a flonum and are only ever read as numbers, so their slots can
//! hold the raw double: a loop accumulating a flonum then allocates
//! nothing per iteration (`codegen/unboxed.rs` compiles the arithmetic).
//!
//! A parameter `x` qualifies when it is never assigned and
//! - every value it gets (each jump's argument for it) is *flonum-valued*
//!   (`flonum_valued`): a flonum literal, a qualifying parameter, or
//!   arithmetic whose result is a flonum whatever else its operands are
//!   (or an error): `+`/`-` with a flonum-valued operand, `*`/`/` whose
//!   operands are all flonum-valued or nonzero fixnum literals (an exact 0
//!   makes an exact result: `(* 1.5 0)` is 0), `sqrt` of one;
//! - every read of it is an operand of flonum-valued arithmetic or of a
//!   two-operand comparison, the argument of a jump to a qualifying
//!   parameter, or in tail position of its own loop (the loop's value:
//!   boxed once, on the way out), and not inside a procedure of its own.
//!
//! Optimistic: every parameter starts qualifying and those that break a
//! rule are dropped, walking again until nothing changes (a drop can
//! break another parameter's rule). Past `MAX_ROUNDS` nothing qualifies,
//! so that the pass stays linear.

use std::collections::{HashMap, HashSet};

use crate::ast::{Datum, Expr, Lambda, Program, VarId};

const MAX_ROUNDS: usize = 8;

/// Trees are looked at only this deep (as `fuse.rs`), so that checking
/// every expression of a deeply nested program stays linear.
const BUDGET: usize = 64;

/// The inline-loop parameters whose slots hold raw doubles.
pub fn find(program: &Program, loops: &HashSet<VarId>) -> HashSet<VarId> {
    let mut w = Walker {
        program,
        loops,
        unboxed: HashSet::new(),
        procs: HashMap::new(),
        depth: HashMap::new(),
        lambdas: 0,
        stack: Vec::new(),
        drop: HashSet::new(),
    };
    // Every parameter of an inline loop that is never assigned.
    w.candidates(&program.body);
    for _ in 0..MAX_ROUNDS {
        w.walk(&program.body, 0, Use::Value);
        if w.drop.is_empty() {
            return w.unboxed;
        }
        for v in std::mem::take(&mut w.drop) {
            w.unboxed.remove(&v);
        }
    }
    HashSet::new()
}

/// The value of a flonum literal.
pub fn flonum_literal(d: &Datum) -> Option<f64> {
    match d {
        Datum::Number(text) => match scheme_runtime::number_syntax::parse(text, 10)? {
            scheme_runtime::Number::Flo(f) => Some(f),
            _ => None,
        },
        _ => None,
    }
}

/// A fixnum literal that is not 0 (an operand of `*` or `/` that keeps
/// a flonum result a flonum).
fn nonzero_fixnum(e: &Expr) -> bool {
    matches!(e, Expr::Const(Datum::Int(n)) if *n != 0)
}

/// Is `e` certainly a flonum (or an error), given the unboxed variables?
pub fn flonum_valued(e: &Expr, unboxed: &HashSet<VarId>) -> bool {
    valued(e, unboxed, &mut BUDGET.clone())
}

fn valued(e: &Expr, unboxed: &HashSet<VarId>, budget: &mut usize) -> bool {
    *budget = budget.saturating_sub(1);
    if *budget == 0 {
        return false;
    }
    match e {
        Expr::Const(d) => flonum_literal(d).is_some(),
        Expr::Local(v) => unboxed.contains(v),
        Expr::PrimCall(prim, args, _) => match (prim.name, args.len()) {
            ("+" | "-" | "sqrt", 1) => valued(&args[0], unboxed, budget),
            // A two-operand sum is a flonum if either operand is; a longer
            // one folds from the left and needs its first to be.
            ("+" | "-", 2) => {
                valued(&args[0], unboxed, budget) || valued(&args[1], unboxed, budget)
            }
            ("+" | "-", n) if n > 2 => valued(&args[0], unboxed, budget),
            ("*" | "/", n) if n >= 2 => {
                let mut any = false;
                for (i, a) in args.iter().enumerate() {
                    if valued(a, unboxed, budget) {
                        any = true;
                    } else if !nonzero_fixnum(a) || (i == 0 && n > 2) {
                        return false;
                    }
                }
                any
            }
            _ => false,
        },
        _ => false,
    }
}

/// Is `name` a comparison compiled on raw doubles when an operand is one?
pub fn comparison(name: &str) -> bool {
    matches!(name, "=" | "<" | ">" | "<=" | ">=")
}

/// How the value of the expression being walked is used.
#[derive(Clone, Copy, PartialEq)]
enum Use {
    /// Anything: a boxed value.
    Value,
    /// A raw double (an operand of flonum arithmetic or a comparison,
    /// or a jump's argument for an unboxed parameter).
    Double,
}

struct Walker<'a> {
    program: &'a Program,
    loops: &'a HashSet<VarId>,
    unboxed: HashSet<VarId>,
    /// The inline loops, by variable.
    procs: HashMap<VarId, &'a Lambda>,
    /// The procedure nesting (`lambdas`) each candidate is bound at.
    depth: HashMap<VarId, usize>,
    lambdas: usize,
    /// The loops being walked, innermost last: a position is in tail
    /// position for those at places `tail..`.
    stack: Vec<VarId>,
    /// Candidates that broke a rule this round.
    drop: HashSet<VarId>,
}

impl<'a> Walker<'a> {
    fn candidates(&mut self, e: &'a Expr) {
        // An explicit stack: programs nest deeply.
        let mut todo = vec![e];
        while let Some(e) = todo.pop() {
            match e {
                Expr::Const(_)
                | Expr::Local(_)
                | Expr::Global(_)
                | Expr::PrimRef(_)
                | Expr::Foreign(_) => {}
                Expr::SetLocal(_, x) | Expr::SetGlobal(_, x) | Expr::Callable(_, x, _) => {
                    todo.push(x)
                }
                Expr::Inlined(i) => todo.push(&i.body),
                Expr::If(c, t, f) => todo.extend([&**c, &**t, &**f]),
                Expr::Seq(xs) | Expr::PrimCall(_, xs, _) => todo.extend(xs),
                Expr::Call(f, xs, _) | Expr::Apply(f, xs, _) => {
                    todo.push(f);
                    todo.extend(xs);
                }
                Expr::Lambda(l) => todo.push(&l.body),
                Expr::Let(bs, body) => {
                    todo.extend(bs.iter().map(|(_, x)| x));
                    todo.push(body);
                }
                Expr::Letrec(bs, body) => {
                    if let [(v, l)] = bs.as_slice() {
                        if self.loops.contains(v) {
                            self.procs.insert(*v, l);
                            for p in &l.params {
                                if !self.program.vars[*p].mutated {
                                    self.unboxed.insert(*p);
                                }
                            }
                        }
                    }
                    todo.extend(bs.iter().map(|(_, l)| &l.body));
                    todo.push(body);
                }
            }
        }
    }

    /// Walk `e`, used as `how`; it is in tail position relative to the
    /// loops at places `tail..` of the stack.
    fn walk(&mut self, e: &'a Expr, tail: usize, how: Use) {
        let none = self.stack.len();
        match e {
            Expr::Const(_) | Expr::Global(_) | Expr::PrimRef(_) | Expr::Foreign(_) => {}
            Expr::Local(v) => self.read(*v, tail, how),
            Expr::SetLocal(_, x) | Expr::SetGlobal(_, x) | Expr::Callable(_, x, _) => {
                self.walk(x, none, Use::Value)
            }
            Expr::Inlined(i) => self.walk(&i.body, tail, how),
            Expr::If(c, t, f) => {
                self.walk(c, none, Use::Value);
                self.walk(t, tail, Use::Value);
                self.walk(f, tail, Use::Value);
            }
            Expr::Seq(xs) => {
                let (last, init) = xs.split_last().expect("sequences are not empty");
                for x in init {
                    self.walk(x, none, Use::Value);
                }
                self.walk(last, tail, Use::Value);
            }
            Expr::Lambda(l) => self.procedure(l),
            Expr::Call(f, args, _) => {
                let target = match **f {
                    Expr::Local(v) => self.procs.get(&v).copied(),
                    _ => None,
                };
                match target {
                    Some(l) => {
                        // A jump: each argument is its parameter's new value.
                        for (p, a) in l.params.iter().zip(args) {
                            if self.unboxed.contains(p) {
                                if !flonum_valued(a, &self.unboxed) {
                                    self.drop.insert(*p);
                                }
                                self.walk(a, none, Use::Double);
                            } else {
                                self.walk(a, none, Use::Value);
                            }
                        }
                    }
                    None => {
                        self.walk(f, none, Use::Value);
                        for a in args {
                            self.walk(a, none, Use::Value);
                        }
                    }
                }
            }
            Expr::PrimCall(prim, args, _) => {
                let raw =
                    (comparison(prim.name) && args.len() == 2) || flonum_valued(e, &self.unboxed);
                let how = if raw { Use::Double } else { Use::Value };
                for a in args {
                    self.walk(a, none, how);
                }
            }
            Expr::Apply(f, args, _) => {
                self.walk(f, none, Use::Value);
                for a in args {
                    self.walk(a, none, Use::Value);
                }
            }
            Expr::Let(bindings, body) => {
                for (_, init) in bindings {
                    self.walk(init, none, Use::Value);
                }
                self.walk(body, tail, Use::Value);
            }
            Expr::Letrec(bindings, body) => match bindings.as_slice() {
                [(v, l)] if self.loops.contains(v) => {
                    for p in &l.params {
                        self.depth.insert(*p, self.lambdas);
                    }
                    // The entry jump, then the body, in tail position of the loop.
                    self.walk(body, tail, Use::Value);
                    self.stack.push(*v);
                    self.walk(&l.body, tail, Use::Value);
                    self.stack.pop();
                }
                _ => {
                    for (_, l) in bindings {
                        self.procedure(l);
                    }
                    self.walk(body, tail, Use::Value);
                }
            },
        }
    }

    fn procedure(&mut self, l: &'a Lambda) {
        self.lambdas += 1;
        let saved = std::mem::take(&mut self.stack);
        self.walk(&l.body, 0, Use::Value);
        self.stack = saved;
        self.lambdas -= 1;
    }

    /// A read of `v`: fine as a double; as a value only on the way out of
    /// its loop (in tail position of the loop that binds it).
    fn read(&mut self, v: VarId, tail: usize, how: Use) {
        if !self.unboxed.contains(&v) {
            return;
        }
        if self.depth.get(&v) != Some(&self.lambdas) {
            self.drop.insert(v);
            return;
        }
        if how == Use::Double {
            return;
        }
        let own_loop = self
            .stack
            .iter()
            .rposition(|&l| self.procs[&l].params.contains(&v));
        if own_loop.is_none_or(|at| at < tail) {
            self.drop.insert(v);
        }
    }
}
