//! Tests: an expression compiled as a conditional jump (`if`, `and`, `or`,
//! `not`, comparisons and type predicates straight to flags), without
//! making a boolean.

use super::*;

impl<'a> Codegen<'a> {
    /// Jump to `false_label` when `e` is false; fall through otherwise.
    /// Returns the locals known to hold pairs wherever it jumps (what
    /// `known_pairs` holds on the way through is for the true side).
    pub(super) fn test(
        &mut self,
        p: &mut Proc,
        e: &'a Expr,
        d: usize,
        false_label: &str,
    ) -> Vec<VarId> {
        if let Expr::Const(c) = e {
            // `(and a b)` is `(if a b #f)`: its #f branch is a jump.
            if *c == Datum::Bool(false) {
                self.emit(p, &format!("jmp {false_label}"));
            }
            return self.known_pairs.clone();
        }
        if self.raw_comparison(e) {
            self.raw_compare(p, e, d, Some(false_label));
            return self.known_pairs.clone();
        }
        if !self.no_fuse {
            if let Some(leaves) = fuse::fusible_comparison(e, true) {
                self.fused_test(p, e, leaves, d, false_label);
                return self.known_pairs.clone();
            }
        }
        if let Some((first, rest)) = or_test(e) {
            // `(or first rest)`: a branch for each, no value made.
            let (next, done) = (self.label("or_next"), self.label("or_true"));
            let at_next = self.test(p, first, d, &next);
            let first_true = self.known_pairs.clone();
            self.emit(p, &format!("jmp {done}"));
            self.place(p, &next);
            self.known_pairs = at_next;
            let at_false = self.test(p, rest, d, false_label);
            let rest_true = std::mem::take(&mut self.known_pairs);
            self.place(p, &done);
            self.known_pairs = both(&first_true, &rest_true);
            return at_false;
        }
        if let Expr::If(c, a, b) = e {
            if matches!(&**b, Expr::Const(Datum::Bool(false))) {
                // `(and c a)`: both tests jump to the same place.
                let c_false = self.test(p, c, d, false_label);
                let a_false = self.test(p, a, d, false_label);
                return both(&c_false, &a_false);
            }
            let (other, done) = (self.label("test_else"), self.label("test_done"));
            let at_other = self.test(p, c, d, &other);
            let a_false = self.test(p, a, d, false_label);
            let a_true = self.known_pairs.clone();
            self.emit(p, &format!("jmp {done}"));
            self.place(p, &other);
            self.known_pairs = at_other;
            let b_false = self.test(p, b, d, false_label);
            let b_true = std::mem::take(&mut self.known_pairs);
            self.place(p, &done);
            self.known_pairs = both(&a_true, &b_true);
            return both(&a_false, &b_false);
        }
        if let Expr::Let(bindings, body) = e {
            // As for the leaves of a fused comparison (`bind_leaves`).
            self.bind_let(p, bindings, d);
            return self.test(p, body, d + bindings.len(), false_label);
        }
        if let Expr::Seq(es) = e {
            // A body (an inlined procedure's is one): the last form decides.
            if let Some((last, effects)) = es.split_last() {
                for x in effects {
                    self.expr(p, x, d, false);
                }
                return self.test(p, last, d, false_label);
            }
        }
        if let Expr::Inlined(i) = e {
            self.inlined_defined_check(p, i);
            let outer = self.enter_inlined(i);
            let at_false = self.test(p, &i.body, d, false_label);
            self.proc_info = outer;
            return at_false;
        }
        if let Expr::PrimCall(prim, args, span) = e {
            // Slow paths report errors at the primitive call.
            self.sites.push(*span);
            // `pair?` shows a pair only on the true side.
            let before = (prim.name == "pair?").then(|| self.known_pairs.clone());
            let done = self.test_prim(p, prim, args, d, false_label);
            self.sites.pop();
            if done {
                // Otherwise its operands ran before it jumps.
                return before.unwrap_or_else(|| self.known_pairs.clone());
            }
        }
        self.expr(p, e, d, false);
        self.emit(p, &format!("cmp rax, {:#x}", abi::FALSE));
        self.emit(p, &format!("je {false_label}"));
        self.known_pairs.clone()
    }

    /// `test` of a primitive call that has a test of its own (a
    /// comparison, a type predicate...): false if it has none.
    pub(super) fn test_prim(
        &mut self,
        p: &mut Proc,
        prim: &'a PrimDesc,
        args: &'a [Expr],
        d: usize,
        false_label: &str,
    ) -> bool {
        if let Some(lit) = LiteralOperand::of_comparison(prim.name, args) {
            let names = (prim.symbol, prim.name);
            self.compare_literal(p, names, args, lit, d, Some(false_label));
            return true;
        }
        if let (Some((operands, cc)), 2) = (comparison(prim.name), args.len()) {
            self.two(p, &args[0], &args[1], d);
            let done = self.label("compared");
            let slow = if let Some(op) = FloatOp::of(prim.name) {
                let outcome = Outcome::Branch(false_label);
                self.non_fixnum_path(prim.symbol, op, args, &done, outcome, d)
            } else {
                let after = Self::after_slow_call(Some(false_label), &done);
                self.slow_path(prim.symbol, &["rax", "rcx"], d, &after)
            };
            self.operand_check(p, operands, (&args[0], &args[1]), &slow);
            self.emit(p, "cmp rax, rcx");
            self.emit(p, &format!("j{} {false_label}", negate(cc)));
            self.place(p, &done);
            return true;
        }
        match (prim.name, args.len()) {
            ("eq?", 2) | ("eqv?", 2) if prim.name == "eq?" || eqv_as_eq(prim, args) => {
                self.two(p, &args[0], &args[1], d);
                self.emit(p, "cmp rax, rcx");
                self.emit(p, &format!("jne {false_label}"));
                return true;
            }
            ("null?", 1) => {
                self.expr(p, &args[0], d, false);
                self.emit(p, &format!("cmp rax, {:#x}", abi::NIL));
                self.emit(p, &format!("jne {false_label}"));
                return true;
            }
            ("not", 1) => {
                self.expr(p, &args[0], d, false);
                self.emit(p, &format!("cmp rax, {:#x}", abi::FALSE));
                self.emit(p, &format!("jne {false_label}"));
                return true;
            }
            ("pair?", 1) => {
                self.expr(p, &args[0], d, false);
                self.emit(p, &format!("lea ecx, [rax - {}]", abi::TAG_PAIR));
                self.emit(p, "test cl, 7");
                self.emit(p, &format!("jnz {false_label}"));
                self.learn_pair(&args[0]);
                return true;
            }
            (name, 1) if object_type(name).is_some() => {
                self.expr(p, &args[0], d, false);
                self.object_type_test(p, name, false_label);
                return true;
            }
            (name, 1) if inline::fixnum_predicate(name).is_some() => {
                self.number_predicate(p, prim, &args[0], d, Some(false_label));
                return true;
            }
            _ => {}
        }
        false
    }

    /// `(or first rest)` as a value: `first`'s value stays in `rax` when
    /// it is true (no temporary slot), and a predicate's true is `#t`
    /// made after its test jumps, with no boolean made before the test.
    pub(super) fn or_value(
        &mut self,
        p: &mut Proc,
        first: &'a Expr,
        rest: &'a Expr,
        d: usize,
        tail: bool,
    ) {
        let (next, done) = (self.label("or_next"), self.label("or_done"));
        let at_next = if yields_boolean(first) {
            let at_next = self.test(p, first, d, &next);
            self.emit(p, &format!("mov eax, {:#x}", abi::TRUE));
            at_next
        } else {
            self.expr(p, first, d, false);
            self.emit(p, &format!("cmp rax, {:#x}", abi::FALSE));
            self.emit(p, &format!("je {next}"));
            self.known_pairs.clone()
        };
        let first_true = self.known_pairs.clone();
        let leave = if tail {
            "ret".into()
        } else {
            format!("jmp {done}")
        };
        self.emit(p, &leave);
        self.place(p, &next);
        self.known_pairs = at_next;
        self.expr(p, rest, d, tail);
        let rest_end = std::mem::take(&mut self.known_pairs);
        self.place(p, &done);
        self.known_pairs = both(&first_true, &rest_end);
    }
}

/// The locals in both `a` and `b`: what holds where two paths join.
pub(super) fn both(a: &[VarId], b: &[VarId]) -> Vec<VarId> {
    a.iter().filter(|v| b.contains(v)).copied().collect()
}

/// Is `e`'s value always a boolean (a predicate's, or a conditional's
/// whose branches are)?
pub(super) fn yields_boolean(e: &Expr) -> bool {
    match e {
        Expr::Const(c) => matches!(c, Datum::Bool(_)),
        Expr::PrimCall(prim, args, _) => {
            comparison(prim.name).is_some()
                || object_type(prim.name).is_some()
                || (args.len() == 1 && inline::fixnum_predicate(prim.name).is_some())
                || matches!(
                    prim.name,
                    "eq?" | "eqv?" | "equal?" | "null?" | "not" | "pair?"
                )
        }
        Expr::If(_, a, b) => yields_boolean(a) && yields_boolean(b),
        Expr::Let(_, body) => yields_boolean(body),
        Expr::Seq(es) => es.last().is_some_and(yields_boolean),
        Expr::Inlined(i) => yields_boolean(&i.body),
        _ => false,
    }
}

/// `(let ((t first)) (if t t rest))` with `t` not in `rest` (what `or`
/// expands to): `(first, rest)`.
pub(super) fn or_test(e: &Expr) -> Option<(&Expr, &Expr)> {
    let Expr::Let(bindings, body) = e else {
        return None;
    };
    let ([(t, first)], Expr::If(c, a, rest)) = (&bindings[..], &**body) else {
        return None;
    };
    let is_t = |x: &Expr| matches!(x, Expr::Local(v) if v == t);
    (is_t(c) && is_t(a) && !mentions(rest, *t)).then_some((first, &**rest))
}

/// Does `e` refer to (or assign) local `v`?
pub(super) fn mentions(e: &Expr, v: VarId) -> bool {
    mentions_any(e, |x| x == v)
}

/// Does `e` refer to (or assign) a local for which `hit` is true (a
/// lambda refers to its free variables)?
pub(super) fn mentions_any(e: &Expr, hit: impl Fn(VarId) -> bool) -> bool {
    let mut stack = vec![e];
    while let Some(e) = stack.pop() {
        match e {
            Expr::Local(x) | Expr::SetLocal(x, _) if hit(*x) => return true,
            Expr::Lambda(l) if l.free.iter().any(|&x| hit(x)) => return true,
            _ => {}
        }
        e.for_each_child(|x| stack.push(x));
    }
    false
}

/// The header type of the objects a type predicate is true of, for the
/// predicates compiled as a tag and header test.
pub(super) fn object_type(predicate: &str) -> Option<u64> {
    match predicate {
        "symbol?" => Some(abi::TYPE_SYMBOL),
        "string?" => Some(abi::TYPE_STRING),
        "vector?" => Some(abi::TYPE_VECTOR),
        _ => None,
    }
}

/// `(eqv? a b)` with an operand that is a literal other than a number in
/// the heap (a symbol, fixnum, character, boolean...): `eqv?` is then
/// `eq?` (only heap numbers are `eqv?` without being the same word).
pub(super) fn eqv_as_eq(prim: &PrimDesc, args: &[Expr]) -> bool {
    prim.name == "eqv?"
        && args.len() == 2
        && args
            .iter()
            .any(|a| matches!(a, Expr::Const(c) if !matches!(c, Datum::Number(_))))
}
