//! `letrec`, `letrec*` and internal definitions: which variables become a
//! `Letrec` of procedures, which plain `let` bindings, and which are
//! assigned in order (after Waddell, Sarkar and Dybvig, "Fixing Letrec").
//!
//! A body often mixes procedures with data:
//!
//! ```scheme
//! (define (rewrite term) ... (get-lemmas ...) ...)
//! (define rewrite-count 0)
//! (define (get-lemmas r) ...)
//! ```
//!
//! Bound to unspecified and assigned in order, every one of them is a
//! variable assigned once: a box, and each call of a procedure an unknown
//! call through it. When no data init can run any of the body's code
//! (`is_simple_init`), the order of evaluation cannot be seen, so the data
//! become nested `let`s, in order, around a `Letrec` of the procedures:
//! known procedures, and data in plain variables.

use std::collections::HashSet;

use crate::ast::*;

/// `letrec*` bindings: a `Letrec` when every value is a lambda; else, when
/// the data inits are simple, `let`s around a `Letrec`; else variables
/// bound to unspecified and assigned in order (marked `mutated` in `vars`).
pub(super) fn recursive_bindings(
    bindings: Vec<(VarId, Expr)>,
    body: Expr,
    vars: &mut [VarInfo],
) -> Expr {
    match fixed_bindings(bindings, body) {
        Ok(e) => e,
        Err((bindings, body)) => assigned_in_order(bindings, body, vars),
    }
}

/// The bindings as `let`s around a `Letrec`, when that cannot be told
/// from evaluating them in order; else the bindings back.
#[allow(clippy::type_complexity)]
pub(super) fn fixed_bindings(
    bindings: Vec<(VarId, Expr)>,
    body: Expr,
) -> Result<Expr, (Vec<(VarId, Expr)>, Expr)> {
    let all: HashSet<VarId> = bindings.iter().map(|(v, _)| *v).collect();
    let mut earlier = HashSet::new();
    for (v, e) in &bindings {
        if !matches!(e, Expr::Lambda(_)) {
            if !is_simple_init(e, &all, &earlier) {
                return Err((bindings, body));
            }
            earlier.insert(*v);
        }
    }
    let (lambdas, data): (Vec<_>, Vec<_>) = bindings
        .into_iter()
        .partition(|(_, e)| matches!(e, Expr::Lambda(_)));
    let lambdas: Vec<(VarId, Lambda)> = lambdas
        .into_iter()
        .map(|(v, e)| match e {
            Expr::Lambda(l) => (v, *l),
            _ => unreachable!("partitioned"),
        })
        .collect();
    let inner = if lambdas.is_empty() {
        body
    } else {
        Expr::Letrec(lambdas, Box::new(body))
    };
    Ok(data
        .into_iter()
        .rev()
        .fold(inner, |e, binding| Expr::Let(vec![binding], Box::new(e))))
}

/// Can the init `e` be evaluated before the body's procedures exist
/// without anyone noticing? It calls nothing but primitives (none that
/// captures a continuation), makes no procedure, and refers to none of the
/// variables being bound (`all`) but the data defined before it
/// (`earlier`).
fn is_simple_init(e: &Expr, all: &HashSet<VarId>, earlier: &HashSet<VarId>) -> bool {
    let mut stack = vec![e];
    while let Some(e) = stack.pop() {
        let ok = match e {
            Expr::Local(v) | Expr::SetLocal(v, _) => !all.contains(v) || earlier.contains(v),
            Expr::Call(..) | Expr::Apply(..) | Expr::Lambda(_) | Expr::Letrec(..) => false,
            Expr::Callable(..) | Expr::Inlined(_) => false,
            Expr::PrimCall(p, _, _) => {
                !matches!(p.name, "call/cc" | "call-with-current-continuation")
            }
            _ => true,
        };
        if !ok {
            return false;
        }
        e.for_each_child(|x| stack.push(x));
    }
    true
}

/// Every variable bound to unspecified, then assigned in order.
fn assigned_in_order(bindings: Vec<(VarId, Expr)>, body: Expr, vars: &mut [VarInfo]) -> Expr {
    for (v, _) in &bindings {
        vars[*v].mutated = true;
    }
    let unspecified = bindings
        .iter()
        .map(|(v, _)| (*v, Expr::Const(Datum::Unspecified)))
        .collect();
    let mut seq: Vec<Expr> = bindings
        .into_iter()
        .map(|(v, e)| Expr::SetLocal(v, Box::new(e)))
        .collect();
    seq.push(body);
    Expr::Let(unspecified, Box::new(Expr::Seq(seq)))
}
