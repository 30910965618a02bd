//! Pairs and lists.

use super::{count, list_items, pair, primitive, procedure};
use crate::ctx::Ctx;
use crate::entry::call_procedure;
use crate::error::{fatal, type_error};
use crate::registry::VARIADIC;
use crate::value::Value;

primitive!("cons", scm_p_cons, 2, 2, "A new pair.", |ctx, args| ctx
    .cons(args[0], args[1]));
primitive!(
    "car",
    scm_p_car,
    1,
    1,
    "First field of a pair.",
    |ctx, args| pair(ctx, "car", args[0]).car()
);
primitive!(
    "cdr",
    scm_p_cdr,
    1,
    1,
    "Second field of a pair.",
    |ctx, args| pair(ctx, "cdr", args[0]).cdr()
);

/// Follow a path of `car` (`a`) and `cdr` (`d`) steps, applied right to left.
fn cxr(ctx: &mut Ctx, who: &str, path: &str, v: Value) -> Value {
    path.bytes().rev().fold(v, |v, step| {
        if !v.is_pair() {
            type_error(ctx, who, "a pair", v);
        }
        if step == b'a' {
            v.car()
        } else {
            v.cdr()
        }
    })
}

primitive!("caar", scm_p_caar, 1, 1, "(car (car x))", |ctx, args| cxr(
    ctx, "caar", "aa", args[0]
));
primitive!("cadr", scm_p_cadr, 1, 1, "(car (cdr x))", |ctx, args| cxr(
    ctx, "cadr", "ad", args[0]
));
primitive!("cdar", scm_p_cdar, 1, 1, "(cdr (car x))", |ctx, args| cxr(
    ctx, "cdar", "da", args[0]
));
primitive!("cddr", scm_p_cddr, 1, 1, "(cdr (cdr x))", |ctx, args| cxr(
    ctx, "cddr", "dd", args[0]
));
primitive!(
    "caddr",
    scm_p_caddr,
    1,
    1,
    "(car (cdr (cdr x)))",
    |ctx, args| cxr(ctx, "caddr", "add", args[0])
);
primitive!(
    "cdddr",
    scm_p_cdddr,
    1,
    1,
    "(cdr (cdr (cdr x)))",
    |ctx, args| cxr(ctx, "cdddr", "ddd", args[0])
);
primitive!(
    "cadddr",
    scm_p_cadddr,
    1,
    1,
    "(car (cdr (cdr (cdr x))))",
    |ctx, args| cxr(ctx, "cadddr", "addd", args[0])
);

primitive!(
    "set-car!",
    scm_p_set_car,
    2,
    2,
    "Replace the car of a pair.",
    |ctx, args| {
        pair(ctx, "set-car!", args[0]).set_car(args[1]);
        Value::UNSPECIFIED
    }
);
primitive!(
    "set-cdr!",
    scm_p_set_cdr,
    2,
    2,
    "Replace the cdr of a pair.",
    |ctx, args| {
        pair(ctx, "set-cdr!", args[0]).set_cdr(args[1]);
        Value::UNSPECIFIED
    }
);
primitive!(
    "pair?",
    scm_p_pair_p,
    1,
    1,
    "Is the value a pair?",
    |_ctx, args| Value::bool(args[0].is_pair())
);
primitive!(
    "null?",
    scm_p_null_p,
    1,
    1,
    "Is the value the empty list?",
    |_ctx, args| Value::bool(args[0] == Value::NIL)
);
primitive!(
    "list?",
    scm_p_list_p,
    1,
    1,
    "Is the value a proper list?",
    |_ctx, args| {
        // Floyd's cycle check: a circular list is not a list.
        let (mut slow, mut fast) = (args[0], args[0]);
        loop {
            if fast == Value::NIL {
                return Value::TRUE;
            }
            if !fast.is_pair() {
                return Value::FALSE;
            }
            fast = fast.cdr();
            if fast == Value::NIL {
                return Value::TRUE;
            }
            if !fast.is_pair() {
                return Value::FALSE;
            }
            fast = fast.cdr();
            slow = slow.cdr();
            if fast == slow {
                return Value::FALSE;
            }
        }
    }
);
primitive!(
    "list",
    scm_p_list,
    0,
    VARIADIC,
    "A new list of the arguments.",
    |ctx, args| ctx.list(args)
);
primitive!(
    "length",
    scm_p_length,
    1,
    1,
    "Number of elements of a proper list.",
    |ctx, args| { Value::fixnum(list_items(ctx, "length", args[0]).len() as i64) }
);
primitive!(
    "append",
    scm_p_append,
    0,
    VARIADIC,
    "Concatenation of lists; the last argument is shared.",
    |ctx, args| {
        let Some((&last, init)) = args.split_last() else {
            return Value::NIL;
        };
        let mut items = Vec::new();
        for &list in init {
            items.extend(list_items(ctx, "append", list));
        }
        items
            .iter()
            .rev()
            .fold(last, |tail, &item| ctx.cons(item, tail))
    }
);
primitive!(
    "reverse",
    scm_p_reverse,
    1,
    1,
    "A new list with the elements in reverse order.",
    |ctx, args| {
        let items = list_items(ctx, "reverse", args[0]);
        items
            .iter()
            .fold(Value::NIL, |tail, &item| ctx.cons(item, tail))
    }
);

/// The list after dropping `k` pairs, checking each step.
fn tail(ctx: &mut Ctx, who: &str, list: Value, k: Value) -> Value {
    let n = count(ctx, who, k, usize::MAX >> 3);
    let mut v = list;
    for _ in 0..n {
        if !v.is_pair() {
            fatal(
                ctx,
                &format!(
                    "{who}: index {} out of range for {}",
                    n,
                    crate::print::to_string(list, true)
                ),
            );
        }
        v = v.cdr();
    }
    v
}

primitive!(
    "list-tail",
    scm_p_list_tail,
    2,
    2,
    "The list without its first k elements.",
    |ctx, args| { tail(ctx, "list-tail", args[0], args[1]) }
);
primitive!(
    "list-ref",
    scm_p_list_ref,
    2,
    2,
    "Element k of a list.",
    |ctx, args| {
        let t = tail(ctx, "list-ref", args[0], args[1]);
        if !t.is_pair() {
            fatal(
                ctx,
                &format!(
                    "list-ref: index {} out of range for {}",
                    args[1].as_fixnum(),
                    crate::print::to_string(args[0], true)
                ),
            );
        }
        t.car()
    }
);

fn member(
    ctx: &mut Ctx,
    who: &str,
    x: Value,
    list: Value,
    same: fn(Value, Value) -> bool,
) -> Value {
    let mut v = list;
    while v.is_pair() {
        if same(x, v.car()) {
            return v;
        }
        v = v.cdr();
    }
    if v != Value::NIL {
        type_error(ctx, who, "a proper list", list);
    }
    Value::FALSE
}

fn assoc(ctx: &mut Ctx, who: &str, x: Value, list: Value, same: fn(Value, Value) -> bool) -> Value {
    let mut v = list;
    while v.is_pair() {
        let entry = v.car();
        if !entry.is_pair() {
            type_error(ctx, who, "a list of pairs", list);
        }
        if same(x, entry.car()) {
            return entry;
        }
        v = v.cdr();
    }
    if v != Value::NIL {
        type_error(ctx, who, "a proper list", list);
    }
    Value::FALSE
}

use super::equality::{equal, eqv};
fn eq(a: Value, b: Value) -> bool {
    a == b
}

primitive!(
    "memq",
    scm_p_memq,
    2,
    2,
    "First pair whose car is eq? to x, or #f.",
    |ctx, args| member(ctx, "memq", args[0], args[1], eq)
);
primitive!(
    "memv",
    scm_p_memv,
    2,
    2,
    "First pair whose car is eqv? to x, or #f.",
    |ctx, args| member(ctx, "memv", args[0], args[1], eqv)
);
primitive!(
    "member",
    scm_p_member,
    2,
    2,
    "First pair whose car is equal? to x, or #f.",
    |ctx, args| member(ctx, "member", args[0], args[1], equal)
);
primitive!(
    "assq",
    scm_p_assq,
    2,
    2,
    "First entry whose key is eq? to x, or #f.",
    |ctx, args| assoc(ctx, "assq", args[0], args[1], eq)
);
primitive!(
    "assv",
    scm_p_assv,
    2,
    2,
    "First entry whose key is eqv? to x, or #f.",
    |ctx, args| assoc(ctx, "assv", args[0], args[1], eqv)
);
primitive!(
    "assoc",
    scm_p_assoc,
    2,
    2,
    "First entry whose key is equal? to x, or #f.",
    |ctx, args| assoc(ctx, "assoc", args[0], args[1], equal)
);

/// The argument lists of `map`/`for-each`: one list per row, stopping at the
/// shortest list.
fn rows(ctx: &mut Ctx, who: &str, lists: &[Value]) -> Vec<Vec<Value>> {
    let columns: Vec<Vec<Value>> = lists.iter().map(|&l| list_items(ctx, who, l)).collect();
    let n = columns.iter().map(Vec::len).min().unwrap_or(0);
    (0..n)
        .map(|i| columns.iter().map(|c| c[i]).collect())
        .collect()
}

primitive!(
    "map",
    scm_p_map,
    2,
    VARIADIC,
    "The results of f applied to the elements of the lists, in order.",
    |ctx, args| {
        let f = procedure(ctx, "map", args[0]);
        let results: Vec<Value> = rows(ctx, "map", &args[1..])
            .iter()
            .map(|row| call_procedure(ctx, f, row))
            .collect();
        ctx.list(&results)
    }
);
primitive!(
    "for-each",
    scm_p_for_each,
    2,
    VARIADIC,
    "Apply f to the elements of the lists, in order.",
    |ctx, args| {
        let f = procedure(ctx, "for-each", args[0]);
        for row in rows(ctx, "for-each", &args[1..]) {
            call_procedure(ctx, f, &row);
        }
        Value::UNSPECIFIED
    }
);
primitive!(
    "apply",
    scm_p_apply,
    2,
    VARIADIC,
    "Call f with the arguments, the last one a list spread out.",
    |ctx, args| {
        let f = procedure(ctx, "apply", args[0]);
        let (&list, fixed) = args[1..].split_last().expect("arity checked");
        let mut all = fixed.to_vec();
        all.extend(list_items(ctx, "apply", list));
        call_procedure(ctx, f, &all)
    }
);
