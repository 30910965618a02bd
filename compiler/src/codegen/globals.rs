//! Which globals are known procedures (defined once by a top-level
//! `define` of a lambda or a foreign procedure), and from which top-level
//! form on each global is surely defined.

use std::collections::{HashMap, HashSet};

use crate::ast::*;

/// For the references that need no "is it defined yet?" check: for each
/// global defined by a top-level form, the first form `i` whose code runs
/// only once it is defined, and for each lambda the first form `j` that
/// may call it: the first form from the one that makes it on that runs
/// code (a definition of a lambda or a literal runs none). Code in the
/// lambda runs only once the forms before `j` have run, so a global with
/// `i <= j` is defined there: `i` is the defining form when its value is
/// a lambda or a literal (a known procedure's own body included), else
/// the form after it.
#[derive(Default)]
pub(super) struct DefinitionOrder {
    pub(super) defined_by: HashMap<GlobalId, usize>,
    pub(super) form_of: HashMap<*const Lambda, usize>,
}

/// Globals assigned exactly once, by a top-level `(define g (lambda ...))`
/// (or `(define g h)` of such an `h` defined before it),
/// those assigned once by `(define g (foreign-procedure ...))` (with the
/// foreign procedure's id), and those assigned once by a call of a
/// primitive that returns a new vector or raises (`VECTOR_MAKERS`): once
/// defined, always a vector.
pub(super) type Known<'p> = (
    HashMap<GlobalId, &'p Lambda>,
    HashMap<GlobalId, usize>,
    HashSet<GlobalId>,
);

/// Primitives whose every return value is a vector.
const VECTOR_MAKERS: &[&str] = &[
    "make-vector",
    "vector",
    "list->vector",
    "vector-copy",
    "vector-append",
    "vector-map",
    "string->vector",
];

/// The known globals and where they are defined, from one walk of the
/// top-level forms.
pub(super) fn known_globals(program: &Program) -> (Known<'_>, DefinitionOrder) {
    let Expr::Seq(forms) = &program.body else {
        return Default::default();
    };
    let mut sets: HashMap<GlobalId, usize> = HashMap::new();
    let mut order = DefinitionOrder::default();
    for (i, form) in forms.iter().enumerate() {
        let mut stack = vec![form];
        while let Some(e) = stack.pop() {
            match e {
                Expr::SetGlobal(g, _) => *sets.entry(*g).or_default() += 1,
                Expr::Lambda(l) => {
                    order.form_of.insert(&**l, i);
                }
                Expr::Letrec(bs, _) => {
                    for (_, l) in bs {
                        order.form_of.insert(l, i);
                    }
                }
                _ => {}
            }
            e.for_each_child(|x| stack.push(x));
        }
    }
    // Evaluating a lambda or a literal runs no code that could reach the
    // global before the form defines it.
    let runs_no_code = |f: &Expr| match f {
        Expr::SetGlobal(_, x) => matches!(
            &**x,
            Expr::Lambda(_) | Expr::Const(_) | Expr::PrimRef(_) | Expr::Foreign(_)
        ),
        _ => false,
    };
    // A lambda made by form j is first called by the first form from j on
    // that runs code: the definitions between them have run by then.
    let mut first_run = vec![forms.len(); forms.len() + 1];
    for j in (0..forms.len()).rev() {
        first_run[j] = if runs_no_code(&forms[j]) {
            first_run[j + 1]
        } else {
            j
        };
    }
    for j in order.form_of.values_mut() {
        *j = first_run[*j];
    }
    let mut known: Known = Default::default();
    for (i, f) in forms.iter().enumerate() {
        if let Expr::SetGlobal(g, _) = f {
            order
                .defined_by
                .entry(*g)
                .or_insert(if runs_no_code(f) { i } else { i + 1 });
        }
        match f {
            Expr::SetGlobal(g, x) if sets.get(g) == Some(&1) => match &**x {
                Expr::Lambda(l) if l.free.is_empty() => {
                    known.0.insert(*g, &**l);
                }
                // `(define alias g)` of a known procedure defined before.
                Expr::Global(h) if known.0.contains_key(h) => {
                    known.0.insert(*g, known.0[h]);
                }
                Expr::Foreign(id) => {
                    known.1.insert(*g, *id);
                }
                Expr::PrimCall(prim, _, _) if VECTOR_MAKERS.contains(&prim.name) => {
                    known.2.insert(*g);
                }
                _ => {}
            },
            _ => {}
        }
    }
    (known, order)
}

/// Locals never assigned whose `let` binds them to a call of a primitive
/// that returns a new vector (`VECTOR_MAKERS`): always vectors.
pub(super) fn vector_locals(program: &Program) -> HashSet<VarId> {
    let mut found = HashSet::new();
    let mut stack = vec![&program.body];
    while let Some(e) = stack.pop() {
        if let Expr::Let(bindings, _) = e {
            for (v, init) in bindings {
                if let Expr::PrimCall(prim, _, _) = init {
                    if VECTOR_MAKERS.contains(&prim.name) && !program.vars[*v].mutated {
                        found.insert(*v);
                    }
                }
            }
        }
        e.for_each_child(|x| stack.push(x));
    }
    found
}
