//! The generator of random well-formed programs: a typed AST, the Scheme
//! text of it, and a seeded generator.
//!
//! Well-formed means: every operation gets operands of the types it
//! takes (the generator is typed), partial operations are guarded
//! (`car` under `pair?`, indices taken `modulo` the length, divisors made
//! non-zero), loops and recursion carry a small literal bound, and the
//! output does not depend on what Scheme leaves unspecified. The last
//! point is the subtle one: the order in which the operands of a call are
//! evaluated is unspecified, so an operand may only have effects that no
//! other operand can see. `Ctx` tracks this: in an operand of a call with
//! several operands (`seq == false`), output is not generated and `set!`
//! may only assign variables bound inside that operand (index >= `floor`).
//! The reference interpreter still checks whatever the construction
//! missed (a run that would err or run too long is discarded).

use std::rc::Rc;

use crate::ast::*;

#[path = "data.rs"]
mod data;

/// SplitMix64: tiny, seedable, and the same on every machine and crate
/// version, so a seed names one program forever.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// 0 ..= n - 1.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    /// lo ..= hi.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next_u64() % (hi - lo + 1) as u64) as i64
    }
    pub fn chance(&mut self, num: usize, den: usize) -> bool {
        self.below(den) < num
    }
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

const DATA: &[Ty] = &[Ty::Int, Ty::Bool, Ty::Char, Ty::Str, Ty::List, Ty::Vector];

struct Var {
    name: String,
    ty: Ty,
    /// `set!` may assign it (not loop counters, fuel, temporaries,
    /// procedures).
    mutable: bool,
    /// Bound to a vector made right there, so no other variable shares
    /// it and `vector-set!` on it is as local as a `set!`.
    fresh_vector: bool,
    /// For a counter: the `floor` where it was made; calling it assigns
    /// variables at or above it.
    effect_floor: usize,
}

/// Where an expression is generated (see the module's doc comment).
#[derive(Clone, Copy)]
struct Ctx {
    depth: u32,
    /// Variables at this index of `Gen::env` or above may be assigned.
    floor: usize,
    /// Output and effects on older variables are sequenced here.
    seq: bool,
}

pub struct Gen {
    rng: Rng,
    env: Vec<Var>,
    /// Prefix of this program's global names, so that programs batched
    /// into one file do not clash.
    prefix: String,
    fresh: usize,
    /// Inside the body of a `Rec` procedure: its name and fuel parameter.
    recur: Option<(String, String)>,
    /// Inside the body of a long loop: no other long loop in it.
    in_long_loop: bool,
}

/// Characters of generated literals: `write` prints them the same way in
/// every Scheme (no `#\x...` names).
const CHARS: &[char] = &[
    'a', 'b', 'c', 'x', 'y', 'z', 'A', 'Q', 'Z', '0', '7', '9', ' ', '\n', '\t', '"', '\\', '!',
    '?', '-', '+', '*', '.', 'λ', 'é', 'ß',
];
const SYMBOLS: &[&str] = &["foo", "bar", "a-b", "x1", "hello!"];

impl Gen {
    pub fn new(seed: u64, prefix: &str) -> Gen {
        Gen {
            rng: Rng::new(seed),
            env: Vec::new(),
            prefix: prefix.to_string(),
            fresh: 0,
            recur: None,
            in_long_loop: false,
        }
    }

    /// A whole program: a few top-level definitions and statements.
    pub fn program(&mut self) -> Program {
        let top = Ctx {
            depth: self.rng.range(3, 5) as u32,
            floor: 0,
            seq: true,
        };
        let mut forms = Vec::new();
        for _ in 0..self.rng.range(1, 4) {
            let id = self.fresh_id();
            let name = format!("{}g{id}", self.prefix);
            let (value, ty) = match self.rng.below(5) {
                0 => (self.rec_procedure(&name), Ty::Rec),
                1 => {
                    let ty = self.rng.pick(&[Ty::Fn1, Ty::Fn2, Ty::Counter]);
                    (self.gen(ty, top), ty)
                }
                _ => {
                    let ty = self.rng.pick(DATA);
                    (self.gen(ty, top), ty)
                }
            };
            self.push_var(name.clone(), ty, &value, top);
            forms.push(Top::Define(name, value));
        }
        for _ in 0..self.rng.range(2, 6) {
            // Mostly printing, so that most of what runs is seen.
            if self.rng.chance(2, 3) {
                let e = self.any(top);
                forms.push(Top::Stmt(Stmt::Write(e)));
                forms.push(Top::Stmt(Stmt::Newline));
            } else {
                forms.push(Top::Stmt(self.stmt(top)));
            }
        }
        forms.push(Top::Stmt(Stmt::Newline));
        Program { forms }
    }

    fn fresh_id(&mut self) -> usize {
        self.fresh += 1;
        self.fresh
    }

    /// A new local name; sometimes that of a visible variable, to shadow
    /// it (only assignable data: never a loop counter, a fuel parameter,
    /// a temporary of a guard or a global), but not one of `taken` (the
    /// names bound by the same form).
    fn local_name(&mut self, may_shadow: bool, taken: &[String]) -> String {
        if may_shadow && self.rng.chance(1, 6) {
            let vs = self.visible(|_, v| v.mutable);
            if !vs.is_empty() {
                let name = self.env[self.rng.pick(&vs)].name.clone();
                if !name.starts_with(&self.prefix) && !taken.contains(&name) {
                    return name;
                }
            }
        }
        format!("v{}", self.fresh_id())
    }

    fn push_var(&mut self, name: String, ty: Ty, init: &Expr, ctx: Ctx) {
        let fresh_vector = ty == Ty::Vector
            && matches!(init, Expr::Prim(p, _) if ["vector", "make-vector", "list->vector"].contains(p));
        // Not procedures: `(set! f (lambda (x) (f x)))` would not end.
        let mutable = matches!(ty, Ty::Int | Ty::Bool | Ty::Char | Ty::Str | Ty::List);
        self.env.push(Var {
            name,
            ty,
            mutable,
            fresh_vector,
            effect_floor: ctx.floor,
        });
    }

    /// Indices of the visible (not shadowed) variables that satisfy `ok`.
    fn visible(&self, ok: impl Fn(usize, &Var) -> bool) -> Vec<usize> {
        let mut out = Vec::new();
        for (i, v) in self.env.iter().enumerate() {
            let shadowed = self.env[i + 1..].iter().any(|w| w.name == v.name);
            if !shadowed && ok(i, v) {
                out.push(i);
            }
        }
        out
    }

    fn var_of(&mut self, ty: Ty) -> Option<String> {
        let vs = self.visible(|_, v| v.ty == ty);
        (!vs.is_empty()).then(|| self.env[self.rng.pick(&vs)].name.clone())
    }

    /// Context of an operand of a call with `n` operands: with several,
    /// unsequenced (see the module's doc comment).
    fn operand(&self, ctx: Ctx, n: usize) -> Ctx {
        let depth = ctx.depth.saturating_sub(1);
        if n > 1 {
            Ctx {
                depth,
                floor: self.env.len(),
                seq: false,
            }
        } else {
            Ctx { depth, ..ctx }
        }
    }

    fn sub(ctx: Ctx) -> Ctx {
        Ctx {
            depth: ctx.depth.saturating_sub(1),
            ..ctx
        }
    }

    fn gens(&mut self, ty: Ty, n: usize, ctx: Ctx) -> Vec<Expr> {
        let c = self.operand(ctx, n);
        (0..n).map(|_| self.gen(ty, c)).collect()
    }

    /// An expression of type `ty`.
    fn gen(&mut self, ty: Ty, ctx: Ctx) -> Expr {
        if ctx.depth == 0 || self.rng.chance(1, 5) {
            return self.leaf(ty, ctx);
        }
        // Forms of every type.
        match self.rng.below(14) {
            0 => {
                let c = self.gen(Ty::Bool, Self::sub(ctx));
                let (t, f) = (self.gen(ty, Self::sub(ctx)), self.gen(ty, Self::sub(ctx)));
                return Expr::If(Box::new(c), Box::new(t), Box::new(f));
            }
            1 if ty != Ty::Counter => return self.let_form(ty, ctx),
            2 if ty != Ty::Counter => {
                let n = self.rng.range(1, 3);
                let clauses = (0..n)
                    .map(|_| {
                        (
                            self.gen(Ty::Bool, Self::sub(ctx)),
                            self.gen(ty, Self::sub(ctx)),
                        )
                    })
                    .collect();
                return Expr::Cond(clauses, Box::new(self.gen(ty, Self::sub(ctx))));
            }
            3 if matches!(ty, Ty::Int | Ty::Str | Ty::List) => return self.named_let(ty, ctx),
            4 if ty != Ty::Counter => return self.case(ty, ctx),
            _ => {}
        }
        match ty {
            Ty::Int => self.int(ctx),
            Ty::Bool => self.bool(ctx),
            Ty::Char => self.char(ctx),
            Ty::Str => self.string(ctx),
            Ty::List => self.list(ctx),
            Ty::Vector => self.vector(ctx),
            Ty::Fn1 | Ty::Fn2 | Ty::Counter => self.lambda(ty, ctx),
            Ty::Rec => unreachable!("Rec procedures are only defined at the top"),
        }
    }

    fn leaf(&mut self, ty: Ty, ctx: Ctx) -> Expr {
        if self.rng.chance(1, 2) {
            if let Some(v) = self.var_of(ty) {
                return Expr::Var(v);
            }
        }
        match ty {
            Ty::Int => Expr::Int(self.int_literal()),
            Ty::Bool => Expr::Bool(self.rng.chance(1, 2)),
            Ty::Char => Expr::Char(self.rng.pick(CHARS)),
            Ty::Str => {
                let n = self.rng.range(0, 5);
                Expr::Str((0..n).map(|_| self.rng.pick(CHARS)).collect())
            }
            Ty::List => {
                let n = self.rng.range(0, 4);
                Expr::QuoteList((0..n).map(|_| self.int_literal()).collect())
            }
            Ty::Vector => {
                let n = self.rng.range(1, 3) as usize;
                Expr::Prim("vector", self.gens(Ty::Int, n, Ctx { depth: 0, ..ctx }))
            }
            Ty::Fn1 | Ty::Fn2 | Ty::Counter => self.lambda(ty, Ctx { depth: 0, ..ctx }),
            Ty::Rec => unreachable!(),
        }
    }

    /// A procedure: pure (`Fn1`, `Fn2`: only its own locals are
    /// assigned, so calls can be anywhere) or a counter (assigns what it
    /// captured: `let`-bound state around the lambda).
    fn lambda(&mut self, ty: Ty, ctx: Ctx) -> Expr {
        if ty == Ty::Counter {
            let init = self.gen(Ty::Int, Self::sub(ctx));
            let state = self.local_name(false, &[]);
            self.push_var(state.clone(), Ty::Int, &init, ctx);
            let c = Ctx {
                depth: ctx.depth.min(2),
                floor: ctx.floor,
                seq: false,
            };
            let step = self.gen(Ty::Int, c);
            let set = Stmt::Set(
                state.clone(),
                Expr::Prim("+", vec![Expr::Var(state.clone()), step]),
            );
            let mut b = self.body_with(Ty::Int, c, vec![set]);
            b.result = Expr::Var(state.clone());
            self.env.pop();
            let l = Expr::Lambda(Rc::new(Lambda {
                params: vec![],
                body: b,
            }));
            return Expr::Let(
                LetKind::Let,
                vec![(state, init)],
                Box::new(Body {
                    defs: vec![],
                    stmts: vec![],
                    result: l,
                }),
            );
        }
        let n = if ty == Ty::Fn1 { 1 } else { 2 };
        let mut params: Vec<String> = Vec::new();
        for _ in 0..n {
            let p = self.local_name(true, &params);
            params.push(p);
        }
        let mark = self.env.len();
        for p in &params {
            self.push_var(p.clone(), Ty::Int, &Expr::Bool(false), ctx);
        }
        let c = Ctx {
            depth: ctx.depth.min(3),
            floor: mark,
            seq: false,
        };
        let body = self.body(Ty::Int, c);
        self.env.truncate(mark);
        Expr::Lambda(Rc::new(Lambda { params, body }))
    }

    /// A top-level recursive procedure: `(define (f n x) (if (<= n 0)
    /// base step))`, where `step` may call `(f (- n 1) ...)`.
    fn rec_procedure(&mut self, name: &str) -> Expr {
        let n = format!("n{}", self.fresh_id());
        let x = format!("x{}", self.fresh_id());
        let mark = self.env.len();
        self.push_var(
            n.clone(),
            Ty::Int,
            &Expr::Bool(false),
            Ctx {
                depth: 0,
                floor: 0,
                seq: false,
            },
        );
        self.env.last_mut().expect("pushed").mutable = false;
        self.push_var(
            x.clone(),
            Ty::Int,
            &Expr::Bool(false),
            Ctx {
                depth: 0,
                floor: 0,
                seq: false,
            },
        );
        let c = Ctx {
            depth: 3,
            floor: mark,
            seq: false,
        };
        let base = self.gen(Ty::Int, c);
        self.recur = Some((name.to_string(), n.clone()));
        let step = self.gen(Ty::Int, c);
        self.recur = None;
        self.env.truncate(mark);
        let test = Expr::Prim("<=", vec![Expr::Var(n.clone()), Expr::Int(0.into())]);
        let result = Expr::If(Box::new(test), Box::new(base), Box::new(step));
        Expr::Lambda(Rc::new(Lambda {
            params: vec![n, x],
            body: Body {
                defs: vec![],
                stmts: vec![],
                result,
            },
        }))
    }

    fn let_form(&mut self, ty: Ty, ctx: Ctx) -> Expr {
        let sub = Self::sub(ctx);
        let kind = self.rng.pick(&[
            LetKind::Let,
            LetKind::Let,
            LetKind::LetStar,
            LetKind::Letrec,
        ]);
        let n = self.rng.range(if kind == LetKind::Let { 0 } else { 1 }, 3) as usize;
        let mark = self.env.len();
        let mut bs: Vec<(String, Expr)> = Vec::new();
        let mut pending = Vec::new();
        for _ in 0..n {
            match kind {
                LetKind::Let => {
                    // Inits are unsequenced and see none of the new names.
                    let t = self.pick_binding_type();
                    let c = self.operand(sub, n);
                    let init = self.gen(t, c);
                    let taken: Vec<String> = bs.iter().map(|(n, _)| n.clone()).collect();
                    let name = self.local_name(true, &taken);
                    pending.push((name.clone(), t));
                    bs.push((name, init));
                }
                LetKind::LetStar => {
                    let t = self.pick_binding_type();
                    let init = self.gen(t, sub);
                    let name = self.local_name(true, &[]);
                    self.push_var(name.clone(), t, &init, sub);
                    bs.push((name, init));
                }
                LetKind::Letrec => {
                    // Lambdas that may call the earlier ones.
                    let t = self.rng.pick(&[Ty::Fn1, Ty::Fn2]);
                    let init = self.lambda(t, sub);
                    let name = format!("v{}", self.fresh_id());
                    self.push_var(name.clone(), t, &init, sub);
                    bs.push((name, init));
                }
            }
        }
        for ((name, t), (_, init)) in pending.into_iter().zip(&bs) {
            self.push_var(name, t, init, sub);
        }
        let b = self.body(ty, sub);
        self.env.truncate(mark);
        Expr::Let(kind, bs, Box::new(b))
    }

    fn pick_binding_type(&mut self) -> Ty {
        if self.rng.chance(1, 5) {
            self.rng.pick(&[Ty::Fn1, Ty::Fn2, Ty::Counter])
        } else {
            self.rng.pick(DATA)
        }
    }

    /// `(let loop ((i 0) (acc init)) ... (if (>= i k) acc (loop (+ i 1) step)))`
    fn named_let(&mut self, ty: Ty, ctx: Ctx) -> Expr {
        let sub = Self::sub(ctx);
        let init = self.gen(ty, self.operand(sub, 2));
        let (lp, i, acc) = (
            format!("loop{}", self.fresh_id()),
            format!("i{}", self.fresh_id()),
            self.local_name(false, &[]),
        );
        let mark = self.env.len();
        self.push_var(i.clone(), Ty::Int, &Expr::Bool(false), sub);
        self.env.last_mut().expect("pushed").mutable = false;
        self.push_var(acc.clone(), ty, &init, sub);
        // Sometimes a long loop (not inside another): tail calls in
        // constant space, and garbage enough to collect.
        let long = !self.in_long_loop && self.rng.chance(1, 8);
        let k = Expr::Int(
            if long {
                self.rng.range(100, 3000)
            } else {
                self.rng.range(0, 8)
            }
            .into(),
        );
        self.in_long_loop |= long;
        let mut b = self.body(ty, sub);
        let step = self.gen(ty, self.operand(sub, 2));
        if long {
            self.in_long_loop = false;
        }
        let next = Expr::Prim("+", vec![Expr::Var(i.clone()), Expr::Int(1.into())]);
        let test = Expr::Prim(">=", vec![Expr::Var(i.clone()), k]);
        // The body's own value is dropped: only its effects count.
        let again = Expr::App(lp.clone(), vec![next, step]);
        b.result = Expr::If(
            Box::new(test),
            Box::new(Expr::Var(acc.clone())),
            Box::new(again),
        );
        self.env.truncate(mark);
        Expr::NamedLet(lp, vec![(i, Expr::Int(0.into())), (acc, init)], Rc::new(b))
    }

    fn case(&mut self, ty: Ty, ctx: Ctx) -> Expr {
        let sub = Self::sub(ctx);
        let key_ty = if self.rng.chance(2, 3) {
            Ty::Int
        } else {
            Ty::Char
        };
        let key = self.gen(key_ty, sub);
        let mut clauses = Vec::new();
        for _ in 0..self.rng.range(1, 3) {
            let data = (0..self.rng.range(1, 3))
                .map(|_| match key_ty {
                    Ty::Int if self.rng.chance(2, 3) => Expr::Int(self.rng.range(-3, 3).into()),
                    Ty::Int => Expr::Int(self.int_literal()),
                    _ => Expr::Char(self.rng.pick(CHARS)),
                })
                .collect();
            clauses.push((data, self.gen(ty, sub)));
        }
        Expr::Case(Box::new(key), clauses, Box::new(self.gen(ty, sub)))
    }

    fn body(&mut self, ty: Ty, ctx: Ctx) -> Body {
        self.body_with(ty, ctx, vec![])
    }

    /// Definitions, statements (`first` first), then a value of `ty`.
    fn body_with(&mut self, ty: Ty, ctx: Ctx, first: Vec<Stmt>) -> Body {
        let mark = self.env.len();
        let mut defs = Vec::new();
        if self.rng.chance(1, 4) {
            for _ in 0..self.rng.range(1, 2) {
                let t = self.pick_binding_type();
                // Definitions are letrec*: a fresh name, so that no
                // earlier init refers to a shadowed variable of that name.
                let name = format!("d{}", self.fresh_id());
                let init = self.gen(t, Self::sub(ctx));
                self.push_var(name.clone(), t, &init, ctx);
                defs.push((name, init));
            }
        }
        let mut stmts = first;
        if self.rng.chance(1, 3) {
            for _ in 0..self.rng.range(1, 2) {
                stmts.push(self.stmt(Self::sub(ctx)));
            }
        }
        let result = self.gen(ty, ctx);
        self.env.truncate(mark);
        Body {
            defs,
            stmts,
            result,
        }
    }

    fn stmt(&mut self, ctx: Ctx) -> Stmt {
        let sub = Self::sub(ctx);
        let floor = ctx.floor;
        for _ in 0..8 {
            match self.rng.below(9) {
                0 | 1 if ctx.seq => {
                    let e = self.any(sub);
                    return if self.rng.chance(1, 2) {
                        Stmt::Write(e)
                    } else {
                        Stmt::Display(e)
                    };
                }
                2 if ctx.seq => return Stmt::Newline,
                3 | 4 => {
                    let vs = self.visible(|i, v| i >= floor && v.mutable);
                    if !vs.is_empty() {
                        let i = self.rng.pick(&vs);
                        let (name, ty) = (self.env[i].name.clone(), self.env[i].ty);
                        return Stmt::Set(name, self.gen(ty, sub));
                    }
                }
                5 => {
                    let vs = self.visible(|i, v| i >= floor && v.fresh_vector);
                    if !vs.is_empty() {
                        let name = self.env[self.rng.pick(&vs)].name.clone();
                        let c = self.operand(sub, 2);
                        return Stmt::VectorSet(name, self.gen(Ty::Int, c), self.gen(Ty::Int, c));
                    }
                }
                6 if ctx.depth > 0 => {
                    let test = self.gen(Ty::Bool, sub);
                    let n = self.rng.range(1, 2);
                    let stmts = (0..n).map(|_| self.stmt(sub)).collect();
                    return Stmt::When(self.rng.chance(1, 2), test, stmts);
                }
                7 if ctx.depth > 0 => {
                    // The lambda runs in order on the elements: as
                    // sequenced as the `for-each` itself.
                    let list = self.gen(Ty::List, sub);
                    let x = self.local_name(true, &[]);
                    self.push_var(x.clone(), Ty::Int, &Expr::Bool(false), sub);
                    let n = self.rng.range(1, 2);
                    let stmts = (0..n).map(|_| self.stmt(sub)).collect();
                    self.env.pop();
                    return Stmt::ForEach(x, stmts, list);
                }
                8 => {
                    let vs = self.visible(|_, v| v.ty == Ty::Counter && v.effect_floor >= floor);
                    if !vs.is_empty() {
                        return Stmt::Call(self.env[self.rng.pick(&vs)].name.clone());
                    }
                }
                _ => {}
            }
        }
        if ctx.seq {
            Stmt::Newline
        } else {
            // A statement without effect, allowed anywhere.
            Stmt::When(false, Expr::Bool(false), vec![Stmt::Newline])
        }
    }
}
