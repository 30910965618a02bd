//! Arithmetic on unboxed loop variables (`unbox.rs` chooses them): their
//! slots hold raw doubles, so `(loop (+ i 1) (+ x 0.1))` allocates nothing.
//!
//! A *raw tree* is flonum-valued arithmetic (`unbox::flonum_valued`) that
//! reads an unboxed variable, directly or through raw subtrees. It is
//! computed in `xmm0` (`flonum`), operation by operation in the order
//! written, each intermediate result kept in a slot (a call in a later
//! operand may clobber every register). An operand that is not raw is
//! evaluated as usual and converted: a flonum's double, a nonzero fixnum
//! converted (`cvtsi2sd`); anything else (exact 0, a bignum, a ratio, a
//! non-number) takes the operation's slow path, which boxes the raw
//! operands and calls the program's shared path for that primitive (the
//! same result and error as the generic code; by `flonum_valued` the
//! result is a flonum, whose double goes on). A comparison with a raw
//! operand works the same way and branches or makes a boolean.
//!
//! A raw tree in a place that needs a value is boxed once at the end; an
//! unboxed variable read as a value (its loop's result) is boxed there.

use std::fmt::Write;

use scheme_runtime::abi;

use super::float::{branch_if_false, compare_to_boolean, numeric_comparison, ucomisd};
use super::float::{FloatOp, Outcome};
use super::{odd, slot, Codegen, Loc, Proc};
use crate::ast::{Expr, VarId};
use crate::unbox;

const BUDGET: usize = 64;

/// Where an operand of a raw operation is.
#[derive(Clone, Copy, PartialEq)]
enum Held {
    /// A raw double in this slot.
    Double(usize),
    /// A value (a flonum, or anything else for the slow path) in this slot.
    Value(usize),
    /// A flonum literal's bits.
    Literal(u64),
}

/// The SSE instruction of an arithmetic primitive.
fn instruction(name: &str) -> &'static str {
    match name {
        "+" => "addsd",
        "-" => "subsd",
        "*" => "mulsd",
        _ => "divsd",
    }
}

impl<'a> Codegen<'a> {
    /// Does `e` read an unboxed variable, directly or through raw trees?
    /// Looks at most at `BUDGET` nodes: past that the tree is compiled as
    /// usual (its unboxed variables boxed where read), so that checking
    /// every node of a deep tree stays linear.
    pub(super) fn involves_unboxed(&self, e: &Expr) -> bool {
        self.involves(e, &mut BUDGET.clone())
    }

    fn involves(&self, e: &Expr, budget: &mut usize) -> bool {
        *budget = budget.saturating_sub(1);
        match e {
            _ if *budget == 0 => false,
            Expr::Local(v) => self.unboxed.contains(v),
            Expr::PrimCall(_, args, _) if unbox::flonum_valued(e, &self.unboxed) => {
                args.iter().any(|a| self.involves(a, budget))
            }
            _ => false,
        }
    }

    /// Is `e` arithmetic to compute on raw doubles?
    pub(super) fn raw_tree(&self, e: &Expr) -> bool {
        matches!(e, Expr::PrimCall(..))
            && !self.unboxed.is_empty()
            && unbox::flonum_valued(e, &self.unboxed)
            && self.involves_unboxed(e)
    }

    /// Is `e` a two-operand comparison with a raw operand?
    pub(super) fn raw_comparison(&self, e: &Expr) -> bool {
        match e {
            Expr::PrimCall(prim, args, _) if args.len() == 2 && unbox::comparison(prim.name) => {
                !self.unboxed.is_empty()
                    && (self.involves_unboxed(&args[0]) || self.involves_unboxed(&args[1]))
            }
            _ => false,
        }
    }

    /// The slot of unboxed variable `v`.
    pub(super) fn unboxed_slot(p: &Proc, v: VarId) -> usize {
        match p.locs[&v] {
            Loc::Slot(k) => k,
            Loc::Free(_) => unreachable!("unboxed variables are never captured"),
        }
    }

    /// The flonum-valued `e` as a double in `xmm0`; slots from `d` on are
    /// free. Clobbers every register.
    pub(super) fn flonum(&mut self, p: &mut Proc, e: &'a Expr, d: usize) {
        match e {
            Expr::Const(c) => {
                let bits = unbox::flonum_literal(c)
                    .expect("flonum-valued constants are flonums")
                    .to_bits();
                self.emit(p, &format!("mov rax, {bits:#x}"));
                self.emit(p, "movq xmm0, rax");
            }
            Expr::Local(v) => {
                let k = Self::unboxed_slot(p, *v);
                self.emit(p, &format!("movsd xmm0, {}", slot(k)));
            }
            Expr::PrimCall(prim, args, span) => {
                self.sites.push(*span);
                match (prim.name, args.len()) {
                    ("-", 1) => {
                        self.flonum(p, &args[0], d);
                        self.emit(p, "movq rax, xmm0");
                        self.emit(p, "btc rax, 63");
                        self.emit(p, "movq xmm0, rax");
                    }
                    ("+", 1) => self.flonum(p, &args[0], d),
                    ("sqrt", 1) => {
                        self.flonum(p, &args[0], d);
                        self.emit(p, "sqrtsd xmm0, xmm0");
                    }
                    _ => {
                        // A left fold; between operations the running
                        // result waits in slot d (an operand may call).
                        let ins = instruction(prim.name);
                        let op = FloatOp::Arith(ins);
                        let mut held = self.operand(p, &args[0], d);
                        for (i, b) in args[1..].iter().enumerate() {
                            if i > 0 {
                                self.emit(p, &format!("movsd {}, xmm0", slot(d)));
                                held = Held::Double(d);
                            }
                            let next = self.operand(p, b, d + 1);
                            self.combine(p, prim.symbol, op, [held, next], d, None);
                        }
                    }
                }
                self.sites.pop();
            }
            _ => unreachable!("`flonum` of an expression that is not flonum-valued"),
        }
    }

    /// Where operand `e` is, evaluated now if needed into slot `k`: its
    /// double if it is flonum-valued, else its value. Variables and
    /// literals are read where they are.
    fn operand(&mut self, p: &mut Proc, e: &'a Expr, k: usize) -> Held {
        if let Expr::Local(v) = e {
            match p.locs.get(v) {
                Some(Loc::Slot(j)) if self.unboxed.contains(v) => return Held::Double(*j),
                Some(Loc::Slot(j)) if !self.program.vars[*v].boxed() => return Held::Value(*j),
                _ => {}
            }
        }
        if let Expr::Const(c) = e {
            if let Some(f) = unbox::flonum_literal(c) {
                return Held::Literal(f.to_bits());
            }
        }
        if unbox::flonum_valued(e, &self.unboxed) && self.involves_unboxed(e) {
            self.flonum(p, e, k);
            self.emit(p, &format!("movsd {}, xmm0", slot(k)));
            Held::Double(k)
        } else {
            self.expr(p, e, k, false);
            self.emit(p, &format!("mov {}, rax", slot(k)));
            Held::Value(k)
        }
    }

    /// `op` on two operands (the first evaluated at slot `d`, the second
    /// at `d + 1`): an arithmetic result ends in `xmm0`; a comparison
    /// branches to the false label or makes a boolean in `rax`
    /// (`outcome`). Slots from `d + 2` on are free.
    fn combine(
        &mut self,
        p: &mut Proc,
        symbol: &'static str,
        op: FloatOp,
        held: [Held; 2],
        d: usize,
        outcome: Option<Outcome>,
    ) {
        let compare = matches!(op, FloatOp::Compare(_));
        let slow = self.label("unboxed_slow");
        let done = self.label("unboxed_done");
        let mut t = String::new();
        for (i, (reg, xmm)) in [("rax", "xmm0"), ("rcx", "xmm1")].into_iter().enumerate() {
            match held[i] {
                Held::Double(k) => {
                    let _ = writeln!(t, "    movsd {xmm}, {}", slot(k));
                }
                Held::Literal(bits) => {
                    let _ = writeln!(t, "    mov rdx, {bits:#x}\n    movq {xmm}, rdx");
                }
                Held::Value(k) => {
                    let _ = writeln!(t, "    mov {reg}, {}", slot(k));
                    self.load_double(&mut t, reg, xmm, &slow, compare);
                }
            }
        }
        p.code.push_str(&t);
        match (op, &outcome) {
            (FloatOp::Arith(ins), _) => self.emit(p, &format!("{ins} xmm0, xmm1")),
            (FloatOp::Compare(cc), Some(Outcome::Branch(false_label))) => {
                let (compare, cond) = ucomisd(cc);
                self.emit(p, &compare);
                for jump in branch_if_false(cond, false_label) {
                    self.emit(p, &jump);
                }
            }
            (FloatOp::Compare(cc), _) => {
                let mut t = String::new();
                compare_to_boolean(&mut t, cc);
                p.code.push_str(&t);
            }
        }
        self.place(p, &done);
        if !held.iter().any(|h| matches!(h, Held::Value(_))) {
            return; // Two doubles: no slow path.
        }
        // Out of line: both operands as values in slots d and d + 1 (the
        // doubles boxed), then the shared path.
        let mut t = format!("{slow}:\n");
        for (i, h) in held.into_iter().enumerate() {
            match h {
                Held::Value(k) => {
                    let _ = writeln!(t, "    mov rax, {}\n    mov {}, rax", slot(k), slot(d + i));
                }
                Held::Double(k) => {
                    let boxed = self.label("boxed");
                    let _ = writeln!(t, "    movsd xmm0, {}", slot(k));
                    self.box_double(&mut t, &boxed, d + 2);
                    let _ = writeln!(t, "{boxed}:\n    mov {}, rax", slot(d + i));
                }
                Held::Literal(bits) => {
                    let boxed = self.label("boxed");
                    let _ = writeln!(t, "    mov rdx, {bits:#x}\n    movq xmm0, rdx");
                    self.box_double(&mut t, &boxed, d + 2);
                    let _ = writeln!(t, "{boxed}:\n    mov {}, rax", slot(d + i));
                }
            }
        }
        let shared = self.shared_op(symbol, op);
        let frame = odd(d + 2);
        let ret = self.site(frame);
        let _ = writeln!(
            t,
            "    mov rax, {}\n    mov rcx, {}\n    sub rsp, {bytes}\n    call {shared}\n{ret}:\n    add rsp, {bytes}",
            slot(d),
            slot(d + 1),
            bytes = 8 * frame
        );
        match (op, outcome) {
            (FloatOp::Arith(_), _) => {
                // A flonum (`unbox::flonum_valued`): its double goes on.
                let bits = abi::FLONUM_BITS - abi::TAG_FLONUM as i64;
                let _ = writeln!(t, "    movsd xmm0, qword ptr [rax + {bits}]");
            }
            (FloatOp::Compare(_), Some(Outcome::Branch(false_label))) => {
                let _ = writeln!(t, "    cmp rax, {:#x}\n    je {false_label}", abi::FALSE);
            }
            (FloatOp::Compare(_), _) => {}
        }
        let _ = writeln!(t, "    jmp {done}");
        self.text.push_str(&t);
    }

    /// A raw tree as a value: computed on doubles, boxed once.
    pub(super) fn raw_value(&mut self, p: &mut Proc, e: &'a Expr, d: usize) {
        self.flonum(p, e, d);
        self.box_xmm0(p, d);
    }

    /// Unboxed variable `v` as a value (boxed).
    pub(super) fn unboxed_value(&mut self, p: &mut Proc, v: VarId, d: usize) {
        let k = Self::unboxed_slot(p, v);
        self.emit(p, &format!("movsd xmm0, {}", slot(k)));
        self.box_xmm0(p, d);
    }

    fn box_xmm0(&mut self, p: &mut Proc, d: usize) {
        let done = self.label("boxed");
        let mut t = String::new();
        self.box_double(&mut t, &done, d);
        p.code.push_str(&t);
        self.place(p, &done);
    }

    /// A comparison with a raw operand (`raw_comparison`): branch to
    /// `false_label` when false, or (`None`) a boolean in `rax`.
    pub(super) fn raw_compare(
        &mut self,
        p: &mut Proc,
        e: &'a Expr,
        d: usize,
        false_label: Option<&str>,
    ) {
        let Expr::PrimCall(prim, args, span) = e else {
            unreachable!("raw comparisons are primitive calls")
        };
        let cc = numeric_comparison(prim.name).expect("a numeric comparison");
        self.sites.push(*span);
        let a = self.operand(p, &args[0], d);
        let b = self.operand(p, &args[1], d + 1);
        let outcome = match false_label {
            Some(l) => Outcome::Branch(l),
            None => Outcome::Boolean,
        };
        self.combine(
            p,
            prim.symbol,
            FloatOp::Compare(cc),
            [a, b],
            d,
            Some(outcome),
        );
        self.sites.pop();
    }
}
