//! The generator's productions of data: integers, booleans, characters,
//! strings, lists, vectors, and mixed values to print. A child module of
//! `gen`, so it sees the generator's private state.

use num_bigint::BigInt;

use super::*;

impl Gen {
    pub(super) fn int_literal(&mut self) -> BigInt {
        match self.rng.below(10) {
            0..=4 => BigInt::from(self.rng.range(-20, 20)),
            5 | 6 => BigInt::from(self.rng.range(-100_000, 100_000)),
            // Around the fixnum limits (61 bits here and in Chez) and
            // the machine word's.
            7 | 8 => {
                let base = BigInt::from(1) << self.rng.pick(&[59u32, 60, 61, 62, 63, 64]);
                let n = base + self.rng.range(-2, 1);
                if self.rng.chance(1, 2) {
                    -n
                } else {
                    n
                }
            }
            _ => {
                let digits: String = (0..self.rng.range(19, 40))
                    .map(|i| char::from(b'0' + self.rng.range(i64::from(i == 0), 9) as u8))
                    .collect();
                let n: BigInt = digits.parse().expect("digits");
                if self.rng.chance(1, 2) {
                    -n
                } else {
                    n
                }
            }
        }
    }

    /// A non-zero divisor.
    pub(super) fn divisor(&mut self, ctx: Ctx) -> Expr {
        match self.rng.below(3) {
            0 => {
                let n = self.int_literal();
                Expr::Int(if n == BigInt::from(0) {
                    BigInt::from(7)
                } else {
                    n
                })
            }
            k => {
                let e = self.gen(Ty::Int, Self::sub(ctx));
                let abs = Expr::Prim("abs", vec![e]);
                if k == 1 {
                    Expr::Prim("+", vec![Expr::Int(1.into()), abs])
                } else {
                    Expr::Prim("-", vec![Expr::Int((-1).into()), abs])
                }
            }
        }
    }

    /// `(let ((x e)) body)`, body made by `f` with `x` in scope: guards
    /// evaluate the guarded expression once.
    pub(super) fn with_let(
        &mut self,
        ty: Ty,
        init: Expr,
        ctx: Ctx,
        f: impl FnOnce(&mut Gen, &str) -> Expr,
    ) -> Expr {
        let name = format!("t{}", self.fresh_id());
        self.push_var(name.clone(), ty, &init, ctx);
        // The temporary is not for the rest of the body to assign.
        self.env.last_mut().expect("pushed").mutable = false;
        let result = f(self, &name);
        self.env.pop();
        Expr::Let(
            LetKind::Let,
            vec![(name, init)],
            Box::new(Body {
                defs: vec![],
                stmts: vec![],
                result,
            }),
        )
    }

    pub(super) fn int(&mut self, ctx: Ctx) -> Expr {
        let sub = Self::sub(ctx);
        match self.rng.below(17) {
            0 => {
                let n = self.rng.below(5);
                Expr::Prim("+", self.gens(Ty::Int, n, ctx))
            }
            1 => {
                let n = self.rng.range(1, 3) as usize;
                Expr::Prim("-", self.gens(Ty::Int, n, ctx))
            }
            2 => {
                let n = self.rng.below(4);
                Expr::Prim("*", self.gens(Ty::Int, n, ctx))
            }
            3 => {
                let op = self.rng.pick(&["quotient", "remainder", "modulo"]);
                let c = self.operand(ctx, 2);
                Expr::Prim(op, vec![self.gen(Ty::Int, c), self.divisor(c)])
            }
            4 => {
                let op = self.rng.pick(&["min", "max"]);
                let n = self.rng.range(1, 3) as usize;
                Expr::Prim(op, self.gens(Ty::Int, n, ctx))
            }
            5 => Expr::Prim("abs", vec![self.gen(Ty::Int, sub)]),
            6 => {
                let k = self.rng.range(0, 5);
                let c = self.operand(ctx, 2);
                Expr::Prim("expt", vec![self.gen(Ty::Int, c), Expr::Int(k.into())])
            }
            7 => {
                let (p, t) = self.rng.pick(&[
                    ("length", Ty::List),
                    ("string-length", Ty::Str),
                    ("vector-length", Ty::Vector),
                ]);
                Expr::Prim(p, vec![self.gen(t, sub)])
            }
            8 => {
                // (let ((t l)) (if (pair? t) (car t) d))
                let l = self.gen(Ty::List, sub);
                let d = self.gen(Ty::Int, sub);
                let op = self.rng.pick(&["car", "list-ref"]);
                self.with_let(Ty::List, l, sub, |g, t| {
                    let get = if op == "car" {
                        Expr::Prim("car", vec![Expr::Var(t.into())])
                    } else {
                        let i = g.gen(Ty::Int, g.operand(sub, 2));
                        let len = Expr::Prim("length", vec![Expr::Var(t.into())]);
                        Expr::Prim(
                            "list-ref",
                            vec![Expr::Var(t.into()), Expr::Prim("modulo", vec![i, len])],
                        )
                    };
                    Expr::If(
                        Box::new(Expr::Prim("pair?", vec![Expr::Var(t.into())])),
                        Box::new(get),
                        Box::new(d),
                    )
                })
            }
            9 => {
                let v = self.gen(Ty::Vector, sub);
                self.with_let(Ty::Vector, v, sub, |g, t| {
                    let i = g.gen(Ty::Int, g.operand(sub, 2));
                    let len = Expr::Prim("vector-length", vec![Expr::Var(t.into())]);
                    Expr::Prim(
                        "vector-ref",
                        vec![Expr::Var(t.into()), Expr::Prim("modulo", vec![i, len])],
                    )
                })
            }
            10 => Expr::Prim("char->integer", vec![self.gen(Ty::Char, sub)]),
            11 => self.call(ctx),
            12 => {
                // ((lambda (x) ...) e): a direct application.
                let Expr::Lambda(l) = self.lambda(Ty::Fn1, sub) else {
                    unreachable!()
                };
                Expr::AppLambda(l, vec![self.gen(Ty::Int, sub)])
            }
            13 if self.recur.is_some() => {
                let (f, n) = self.recur.clone().expect("checked");
                let c = self.operand(ctx, 2);
                let fuel = Expr::Prim("-", vec![Expr::Var(n), Expr::Int(1.into())]);
                Expr::App(f, vec![fuel, self.gen(Ty::Int, c)])
            }
            14 => Expr::Let(LetKind::Let, vec![], Box::new(self.body(Ty::Int, sub))),
            _ => self.leaf(Ty::Int, ctx),
        }
    }

    /// A call of a procedure variable that returns an integer.
    pub(super) fn call(&mut self, ctx: Ctx) -> Expr {
        let floor = ctx.floor;
        let procs = self.visible(|_, v| {
            matches!(v.ty, Ty::Fn1 | Ty::Fn2 | Ty::Rec)
                || (v.ty == Ty::Counter && v.effect_floor >= floor)
        });
        if procs.is_empty() {
            return self.leaf(Ty::Int, ctx);
        }
        let i = self.rng.pick(&procs);
        let (name, ty) = (self.env[i].name.clone(), self.env[i].ty);
        match ty {
            Ty::Fn1 => Expr::App(name, self.gens(Ty::Int, 1, ctx)),
            Ty::Fn2 => Expr::App(name, self.gens(Ty::Int, 2, ctx)),
            Ty::Rec => {
                let c = self.operand(ctx, 2);
                let fuel = Expr::Int(self.rng.range(0, 4).into());
                Expr::App(name, vec![fuel, self.gen(Ty::Int, c)])
            }
            _ => Expr::App(name, vec![]),
        }
    }

    pub(super) fn bool(&mut self, ctx: Ctx) -> Expr {
        let sub = Self::sub(ctx);
        match self.rng.below(10) {
            0 => {
                let op = self.rng.pick(&["=", "<", ">", "<=", ">="]);
                let n = self.rng.range(2, 3) as usize;
                Expr::Prim(op, self.gens(Ty::Int, n, ctx))
            }
            1 => Expr::Prim("not", vec![self.gen(Ty::Bool, sub)]),
            2 | 3 => {
                let n = self.rng.below(4);
                let es = (0..n).map(|_| self.gen(Ty::Bool, sub)).collect();
                if self.rng.chance(1, 2) {
                    Expr::And(es)
                } else {
                    Expr::Or(es)
                }
            }
            4 => {
                let op = self
                    .rng
                    .pick(&["zero?", "even?", "odd?", "positive?", "negative?"]);
                Expr::Prim(op, vec![self.gen(Ty::Int, sub)])
            }
            5 => {
                let op = self.rng.pick(&["null?", "pair?"]);
                Expr::Prim(op, vec![self.gen(Ty::List, sub)])
            }
            6 => {
                let t = self.rng.pick(DATA);
                Expr::Prim("equal?", self.gens(t, 2, ctx))
            }
            7 => {
                let op = self.rng.pick(&["string=?", "string<?", "char=?", "char<?"]);
                let t = if op.starts_with("string") {
                    Ty::Str
                } else {
                    Ty::Char
                };
                Expr::Prim(op, self.gens(t, 2, ctx))
            }
            8 => {
                let op = self.rng.pick(&[
                    "number?", "string?", "pair?", "vector?", "char?", "boolean?",
                ]);
                Expr::Prim(op, vec![self.any(sub)])
            }
            _ => self.leaf(Ty::Bool, ctx),
        }
    }

    pub(super) fn char(&mut self, ctx: Ctx) -> Expr {
        let sub = Self::sub(ctx);
        match self.rng.below(4) {
            0 => {
                let op = self.rng.pick(&["char-upcase", "char-downcase"]);
                Expr::Prim(op, vec![self.gen(Ty::Char, sub)])
            }
            1 => {
                let s = self.gen(Ty::Str, sub);
                let d = self.gen(Ty::Char, sub);
                self.with_let(Ty::Str, s, sub, |g, t| {
                    let i = g.gen(Ty::Int, g.operand(sub, 2));
                    let len = Expr::Prim("string-length", vec![Expr::Var(t.into())]);
                    let get = Expr::Prim(
                        "string-ref",
                        vec![Expr::Var(t.into()), Expr::Prim("modulo", vec![i, len])],
                    );
                    let empty = Expr::Prim(
                        "zero?",
                        vec![Expr::Prim("string-length", vec![Expr::Var(t.into())])],
                    );
                    Expr::If(Box::new(empty), Box::new(d), Box::new(get))
                })
            }
            2 => {
                let i = self.gen(Ty::Int, sub);
                let code = Expr::Prim(
                    "+",
                    vec![
                        Expr::Int(97.into()),
                        Expr::Prim("modulo", vec![i, Expr::Int(26.into())]),
                    ],
                );
                Expr::Prim("integer->char", vec![code])
            }
            _ => self.leaf(Ty::Char, ctx),
        }
    }

    pub(super) fn string(&mut self, ctx: Ctx) -> Expr {
        let sub = Self::sub(ctx);
        match self.rng.below(7) {
            0 => {
                let n = self.rng.below(4);
                Expr::Prim("string-append", self.gens(Ty::Str, n, ctx))
            }
            1 => Expr::Prim("number->string", vec![self.gen(Ty::Int, sub)]),
            2 => {
                let c = self.operand(ctx, 2);
                let radix = Expr::Int(self.rng.pick(&[2, 8, 10, 16]).into());
                Expr::Prim("number->string", vec![self.gen(Ty::Int, c), radix])
            }
            3 => {
                let n = self.rng.below(4);
                Expr::Prim("string", self.gens(Ty::Char, n, ctx))
            }
            4 => {
                let n = self.rng.below(4);
                Expr::Prim(
                    "list->string",
                    vec![Expr::Prim("list", self.gens(Ty::Char, n, ctx))],
                )
            }
            5 => {
                let s = self.gen(Ty::Str, sub);
                self.with_let(Ty::Str, s, sub, |_, t| {
                    let len = Expr::Prim("string-length", vec![Expr::Var(t.into())]);
                    let half = Expr::Prim("quotient", vec![len, Expr::Int(2.into())]);
                    Expr::Prim(
                        "substring",
                        vec![Expr::Var(t.into()), Expr::Int(0.into()), half],
                    )
                })
            }
            _ => self.leaf(Ty::Str, ctx),
        }
    }

    pub(super) fn list(&mut self, ctx: Ctx) -> Expr {
        let sub = Self::sub(ctx);
        match self.rng.below(9) {
            0 => {
                let n = self.rng.below(5);
                Expr::Prim("list", self.gens(Ty::Int, n, ctx))
            }
            1 => {
                let c = self.operand(ctx, 2);
                Expr::Prim("cons", vec![self.gen(Ty::Int, c), self.gen(Ty::List, c)])
            }
            2 => {
                let n = self.rng.below(4);
                Expr::Prim("append", self.gens(Ty::List, n, ctx))
            }
            3 => Expr::Prim("reverse", vec![self.gen(Ty::List, sub)]),
            4 => {
                let c = self.operand(ctx, 2);
                Expr::Prim("map", vec![self.gen(Ty::Fn1, c), self.gen(Ty::List, c)])
            }
            5 => {
                let l = self.gen(Ty::List, sub);
                self.with_let(Ty::List, l, sub, |_, t| {
                    let test = Expr::Prim("pair?", vec![Expr::Var(t.into())]);
                    let cdr = Expr::Prim("cdr", vec![Expr::Var(t.into())]);
                    Expr::If(Box::new(test), Box::new(cdr), Box::new(Expr::Var(t.into())))
                })
            }
            6 => Expr::Prim("vector->list", vec![self.gen(Ty::Vector, sub)]),
            _ => self.leaf(Ty::List, ctx),
        }
    }

    pub(super) fn vector(&mut self, ctx: Ctx) -> Expr {
        match self.rng.below(4) {
            0 => {
                let n = self.rng.range(1, 4) as usize;
                Expr::Prim("vector", self.gens(Ty::Int, n, ctx))
            }
            1 => {
                let c = self.operand(ctx, 2);
                let k = Expr::Int(self.rng.range(1, 4).into());
                Expr::Prim("make-vector", vec![k, self.gen(Ty::Int, c)])
            }
            2 => {
                let c = self.operand(ctx, 2);
                let l = Expr::Prim("cons", vec![self.gen(Ty::Int, c), self.gen(Ty::List, c)]);
                Expr::Prim("list->vector", vec![l])
            }
            _ => self.leaf(Ty::Vector, ctx),
        }
    }

    /// Any printable value, including mixed lists, pairs and symbols.
    pub(super) fn any(&mut self, ctx: Ctx) -> Expr {
        match self.rng.below(10) {
            0 => {
                let n = self.rng.below(4);
                let c = self.operand(ctx, n);
                Expr::Prim("list", (0..n).map(|_| self.any(Self::sub(c))).collect())
            }
            1 => {
                let c = self.operand(ctx, 2);
                Expr::Prim("cons", vec![self.any(Self::sub(c)), self.any(Self::sub(c))])
            }
            2 => {
                let n = self.rng.below(3);
                let c = self.operand(ctx, n);
                Expr::Prim("vector", (0..n).map(|_| self.any(Self::sub(c))).collect())
            }
            3 => Expr::Sym(self.rng.pick(SYMBOLS)),
            _ => {
                let t = self.rng.pick(DATA);
                self.gen(t, ctx)
            }
        }
    }
}
