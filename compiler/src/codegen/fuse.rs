//! Fused flonum expression trees: `(+ (* a b) c)` or
//! `(< (+ (* x x) (* y y)) 4.0)` computed in SSE registers with at most one
//! box (none for a comparison), instead of one box per operation.
//!
//! A tree is nested `+ - * /` (and a comparison at the root) over pure
//! leaves: constants, variables, and reads (`car`, `vector-ref`, ...,
//! arithmetic) that can be evaluated twice without anyone noticing. The
//! tree compiles as usual, inline, so the fixnum path is exactly what it
//! was; only the first inline operation's "not two fixnums" exit is
//! redirected to the fused path, out of line:
//!
//! ```text
//!   fused:   evaluate the leaves into slots d..
//!            any leaf not a flonum?  -> generic
//!            compute the tree in xmm registers, box the result (or branch)
//!            jmp done
//!   generic: the tree compiled as usual, without fusion (per-operation
//!            flonum paths, runtime calls); jmp done
//! ```
//!
//! With every leaf a flonum, every operation is a flonum operation, so the
//! result is bit for bit that of the operations done one at a time.

use std::fmt::Write;

use scheme_runtime::abi;

use super::float::{branch_if_false, numeric_comparison, ucomisd};
use super::{slot, Codegen, Proc};
use crate::ast::Expr;

/// Operations that are tree nodes (with two or more operands; `-` also
/// with one).
pub(crate) fn node_op(e: &Expr) -> Option<(&'static str, &[Expr])> {
    let Expr::PrimCall(prim, args, _) = e else {
        return None;
    };
    let ins = match (prim.name, args.len()) {
        ("-", 1) => "neg",
        ("+", 2..) => "addsd",
        ("-", 2..) => "subsd",
        ("*", 2..) => "mulsd",
        ("/", 2..) => "divsd",
        ("sqrt", 1) => "sqrtsd",
        _ => return None,
    };
    Some((ins, args))
}

/// A comparison at the root of a tree: its condition code.
pub(crate) fn root_comparison(e: &Expr) -> Option<(&'static str, &Expr, &Expr)> {
    let Expr::PrimCall(prim, args, _) = e else {
        return None;
    };
    let cc = numeric_comparison(prim.name)?;
    match &args[..] {
        [a, b] => Some((cc, a, b)),
        _ => None,
    }
}

/// Trees are looked at only this far (nodes and leaves' parts together),
/// so that checking every expression of a deeply nested program stays
/// linear; bigger trees would not fit the xmm registers anyway.
const BUDGET: usize = 64;

/// Take one unit of the look-ahead budget; false when it is spent.
fn spend(budget: &mut usize) -> bool {
    *budget = budget.saturating_sub(1);
    *budget > 0
}

/// Can `e` be evaluated again, with the same result and no effect?
fn pure(e: &Expr, budget: &mut usize) -> bool {
    if !spend(budget) {
        return false;
    }
    match e {
        Expr::Const(_) | Expr::Local(_) | Expr::Global(_) => true,
        Expr::PrimCall(prim, args, _) => {
            (super::inline::is_cxr(prim.name)
                || matches!(
                    prim.name,
                    "vector-ref"
                        | "vector-length"
                        | "+"
                        | "-"
                        | "*"
                        | "/"
                        | "="
                        | "<"
                        | ">"
                        | "<="
                        | ">="
                        | "not"
                        | "null?"
                        | "pair?"
                        | "eq?"
                ))
                && args.iter().all(|a| pure(a, budget))
        }
        _ => false,
    }
}

/// The leaves of the tree rooted at `e`, in evaluation order, and the
/// number of xmm registers it needs; `None` if a leaf is not pure (when
/// `pure_only`) or the tree is too big.
fn leaves<'e>(
    e: &'e Expr,
    reg: usize,
    out: &mut Vec<&'e Expr>,
    budget: &mut usize,
    pure_only: bool,
) -> Option<usize> {
    match node_op(e) {
        Some((_, args)) => {
            if !spend(budget) {
                return None;
            }
            let mut need = leaves(&args[0], reg, out, budget, pure_only)?;
            for a in &args[1..] {
                need = need.max(leaves(a, reg + 1, out, budget, pure_only)?);
            }
            Some(need)
        }
        None if !pure_only || pure(e, budget) => {
            out.push(e);
            Some(reg + 1)
        }
        None => None,
    }
}

/// Does fusing `e` (a value) save boxes: a tree with two or more nodes, or
/// one node with three or more operands? Flonum constants are not worth it
/// on their own, so a leaf must be something other than a constant.
fn worth_fusing(e: &Expr) -> bool {
    match node_op(e) {
        Some((_, args)) => args.len() >= 3 || args.iter().any(|a| node_op(a).is_some()),
        None => false,
    }
}

/// The leaves of a fusible tree, or `None`. With `pure_only` false, any
/// leaf will do (`bind_leaves` then binds it to a variable).
pub(crate) fn fusible_value(e: &Expr, pure_only: bool) -> Option<Vec<&Expr>> {
    if !worth_fusing(e) {
        return None;
    }
    let mut out = Vec::new();
    let mut budget = BUDGET;
    let need = leaves(e, 0, &mut out, &mut budget, pure_only)?;
    (need <= 14 && out.iter().any(|l| !matches!(l, Expr::Const(_)))).then_some(out)
}

/// The leaves of a fusible comparison `(op tree tree)`, or `None`: one
/// side at least must be a node.
pub(crate) fn fusible_comparison(e: &Expr, pure_only: bool) -> Option<Vec<&Expr>> {
    let (_, a, b) = root_comparison(e)?;
    if node_op(a).is_none() && node_op(b).is_none() {
        return None;
    }
    let mut out = Vec::new();
    let mut budget = BUDGET;
    let need = leaves(a, 0, &mut out, &mut budget, pure_only)?.max(leaves(
        b,
        1,
        &mut out,
        &mut budget,
        pure_only,
    )?);
    (need <= 14).then_some(out)
}

impl<'a> Codegen<'a> {
    /// A scratch procedure state to compile out-of-line code with.
    fn scratch(p: &Proc) -> Proc {
        Proc {
            lambda: p.lambda,
            code: String::new(),
            locs: p.locs.clone(),
            closure_slot: p.closure_slot,
        }
    }

    /// Evaluate the leaves into slots `d..`, then jump to `generic` unless
    /// all are flonums.
    fn fused_leaves(&mut self, q: &mut Proc, leaves: &[&'a Expr], d: usize, generic: &str) {
        for (k, leaf) in leaves.iter().enumerate() {
            self.expr(q, leaf, d + leaves.len(), false);
            self.emit(q, &format!("mov {}, rax", slot(d + k)));
        }
        for k in 0..leaves.len() {
            self.emit(q, &format!("mov rax, {}", slot(d + k)));
            self.emit(q, "mov edx, eax");
            self.emit(q, "and edx, 7");
            self.emit(q, &format!("cmp edx, {}", abi::TAG_FLONUM));
            self.emit(q, &format!("jne {generic}"));
        }
    }

    /// Compute the tree `e` into `xmm{reg}`; its leaves are in slots from
    /// `*next` on (already checked to be flonums).
    fn fused_tree(&mut self, q: &mut Proc, e: &Expr, reg: usize, d: usize, next: &mut usize) {
        match node_op(e) {
            Some(("sqrtsd", args)) => {
                self.fused_tree(q, &args[0], reg, d, next);
                self.emit(q, &format!("sqrtsd xmm{reg}, xmm{reg}"));
            }
            Some(("neg", args)) => {
                self.fused_tree(q, &args[0], reg, d, next);
                self.emit(q, &format!("movq rax, xmm{reg}"));
                self.emit(q, "btc rax, 63");
                self.emit(q, &format!("movq xmm{reg}, rax"));
            }
            Some((ins, args)) => {
                self.fused_tree(q, &args[0], reg, d, next);
                for a in &args[1..] {
                    self.fused_tree(q, a, reg + 1, d, next);
                    self.emit(q, &format!("{ins} xmm{reg}, xmm{}", reg + 1));
                }
            }
            None => {
                let bits = abi::FLONUM_BITS - abi::TAG_FLONUM as i64;
                self.emit(q, &format!("mov rax, {}", slot(d + *next)));
                self.emit(q, &format!("movsd xmm{reg}, qword ptr [rax + {bits}]"));
                *next += 1;
            }
        }
    }

    /// `e`, a fusible tree, as a value in `rax`.
    pub(super) fn fused_value(
        &mut self,
        p: &mut Proc,
        e: &'a Expr,
        leaves: Vec<&'a Expr>,
        d: usize,
    ) {
        let fused = self.label("fused");
        let done = self.label("fused_done");
        // The out-of-line paths start before `e`: only what held there holds.
        let before = self.known_pairs.clone();
        self.fuse_entry = Some(fused.clone());
        self.no_fuse = true;
        self.expr(p, e, d, false);
        self.no_fuse = false;
        self.place(p, &done);
        if self.fuse_entry.take().is_some() {
            return; // Nothing jumps to the fused path.
        }
        let generic = self.label("fused_generic");
        let mut q = Self::scratch(p);
        self.known_pairs.clone_from(&before);
        self.fused_leaves(&mut q, &leaves, d, &generic);
        let mut next = 0;
        self.fused_tree(&mut q, e, 0, d, &mut next);
        let mut t = String::new();
        self.box_double(&mut t, &done, d);
        q.code.push_str(&t);
        let _ = writeln!(q.code, "{generic}:");
        self.known_pairs.clone_from(&before);
        self.no_fuse = true;
        self.expr(&mut q, e, d, false);
        self.no_fuse = false;
        self.emit(&mut q, &format!("jmp {done}"));
        let _ = writeln!(self.text, "{fused}:\n{}", q.code);
        self.known_pairs = before;
    }

    /// `e`, a fusible comparison, as a test: jump to `false_label` when
    /// false, fall through when true.
    pub(super) fn fused_test(
        &mut self,
        p: &mut Proc,
        e: &'a Expr,
        leaves: Vec<&'a Expr>,
        d: usize,
        false_label: &str,
    ) {
        let fused = self.label("fused");
        let done = self.label("fused_true");
        // The out-of-line paths start before `e`: only what held there holds.
        let before = self.known_pairs.clone();
        self.fuse_entry = Some(fused.clone());
        self.no_fuse = true;
        self.test(p, e, d, false_label);
        self.no_fuse = false;
        self.place(p, &done);
        if self.fuse_entry.take().is_some() {
            return;
        }
        let generic = self.label("fused_generic");
        let mut q = Self::scratch(p);
        self.known_pairs.clone_from(&before);
        self.fused_leaves(&mut q, &leaves, d, &generic);
        let (cc, a, b) = root_comparison(e).expect("a fusible comparison");
        let mut next = 0;
        self.fused_tree(&mut q, a, 0, d, &mut next);
        self.fused_tree(&mut q, b, 1, d, &mut next);
        let (compare, cond) = ucomisd(cc);
        self.emit(&mut q, &compare);
        for jump in branch_if_false(cond, false_label) {
            self.emit(&mut q, &jump);
        }
        self.emit(&mut q, &format!("jmp {done}"));
        let _ = writeln!(q.code, "{generic}:");
        self.known_pairs.clone_from(&before);
        self.no_fuse = true;
        self.test(&mut q, e, d, false_label);
        self.no_fuse = false;
        self.emit(&mut q, &format!("jmp {done}"));
        let _ = writeln!(self.text, "{fused}:\n{}", q.code);
        self.known_pairs = before;
    }
}
