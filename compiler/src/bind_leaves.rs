//! Pass `bind_leaves`: core `Expr` => core `Expr`. Before `analyze`.
//!
//! A flonum tree (`codegen/fuse.rs`) re-evaluates its leaves on the fused
//! path, so its leaves must be variables or constants. This pass binds
//! every other leaf to a fresh variable first, so both paths read a slot:
//!
//!   (+ s (* (vector-ref a k) (f x)))  =>  (let ((t1 (vector-ref a k)) (t2 (f x))) (+ s (* t1 t2)))
//!
//! The leaves are still evaluated once each, left to right; only the
//! arithmetic between them moves after them, and arithmetic has no effect
//! but its result or an error (R7RS leaves the order of evaluating
//! operands unspecified).

use crate::ast::*;
use crate::codegen::fuse::{fusible_comparison, fusible_value, node_op, root_comparison};

/// Rewrite every fusible tree in the program.
pub fn bind_leaves(program: &mut Program) {
    let mut body = std::mem::replace(&mut program.body, Expr::Const(Datum::Unspecified));
    walk(&mut body, &mut program.vars);
    program.body = body;
}

fn walk(e: &mut Expr, vars: &mut Vec<VarInfo>) {
    if fusible_value(e, false).is_some() || fusible_comparison(e, false).is_some() {
        let mut bindings = Vec::new();
        if root_comparison(e).is_some() {
            if let Expr::PrimCall(_, args, _) = e {
                args.iter_mut()
                    .for_each(|a| bind_tree(a, vars, &mut bindings));
            }
        } else {
            bind_tree(e, vars, &mut bindings);
        }
        // A leaf may hold trees of its own: `(+ (f (* a b c)) x)`.
        bindings.iter_mut().for_each(|(_, x)| walk(x, vars));
        if !bindings.is_empty() {
            let tree = std::mem::replace(e, Expr::Const(Datum::Unspecified));
            *e = Expr::Let(bindings, Box::new(tree));
        }
        return;
    }
    match e {
        Expr::Const(_) | Expr::Local(_) | Expr::Global(_) | Expr::PrimRef(_) | Expr::Foreign(_) => {
        }
        Expr::SetLocal(_, x) | Expr::SetGlobal(_, x) | Expr::Callable(_, x, _) => walk(x, vars),
        Expr::Inlined(i) => walk(&mut i.body, vars),
        Expr::If(c, t, f) => {
            walk(c, vars);
            walk(t, vars);
            walk(f, vars);
        }
        Expr::Seq(xs) => xs.iter_mut().for_each(|x| walk(x, vars)),
        Expr::Lambda(l) => walk(&mut l.body, vars),
        Expr::Call(f, args, _) | Expr::Apply(f, args, _) => {
            walk(f, vars);
            args.iter_mut().for_each(|x| walk(x, vars));
        }
        Expr::PrimCall(_, args, _) => args.iter_mut().for_each(|x| walk(x, vars)),
        Expr::Let(bindings, body) => {
            bindings.iter_mut().for_each(|(_, x)| walk(x, vars));
            walk(body, vars);
        }
        Expr::Letrec(bindings, body) => {
            bindings
                .iter_mut()
                .for_each(|(_, l)| walk(&mut l.body, vars));
            walk(body, vars);
        }
    }
}

/// Replace the leaves of the tree `e` that are not variables or constants
/// by fresh variables, in evaluation order.
fn bind_tree(e: &mut Expr, vars: &mut Vec<VarInfo>, bindings: &mut Vec<(VarId, Expr)>) {
    if node_op(e).is_some() {
        if let Expr::PrimCall(_, args, _) = e {
            args.iter_mut().for_each(|a| bind_tree(a, vars, bindings));
        }
        return;
    }
    if matches!(e, Expr::Const(_) | Expr::Local(_) | Expr::Global(_)) {
        return;
    }
    let v = vars.len();
    vars.push(VarInfo {
        name: "leaf".into(),
        mutated: false,
        assigned: false,
        captured: false,
    });
    let leaf = std::mem::replace(e, Expr::Local(v));
    bindings.push((v, leaf));
}
