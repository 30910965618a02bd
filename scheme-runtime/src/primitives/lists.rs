//! Pairs and lists, and the procedures that call other procedures over them.

use crate::print::to_string;
use crate::rt::Ctx;
use crate::rt::Value;
use crate::rt::{Pair, Procedure};
use crate::scheme_fn;

use super::equality::{equal, eqv};

/// A new pair.
#[scheme_fn]
fn cons(ctx: &mut Ctx, car: Value, cdr: Value) -> Value {
    ctx.cons(car, cdr)
}

/// First field of a pair.
#[scheme_fn]
fn car(pair: Pair) -> Value {
    pair.0.car()
}

/// Second field of a pair.
#[scheme_fn]
fn cdr(pair: Pair) -> Value {
    pair.0.cdr()
}

/// Follow `car` (`a`) and `cdr` (`d`) steps, applied right to left.
pub(super) fn cxr(path: &str, v: Value) -> Result<Value, String> {
    let mut x = v;
    for step in path.bytes().rev() {
        if !x.is_pair() {
            return Err(format!(
                "expected a pair at every step, got {}",
                to_string(v, true)
            ));
        }
        x = if step == b'a' { x.car() } else { x.cdr() };
    }
    Ok(x)
}

/// (car (car x))
#[scheme_fn]
fn caar(x: Value) -> Result<Value, String> {
    cxr("aa", x)
}

/// (car (cdr x))
#[scheme_fn]
fn cadr(x: Value) -> Result<Value, String> {
    cxr("ad", x)
}

/// (cdr (car x))
#[scheme_fn]
fn cdar(x: Value) -> Result<Value, String> {
    cxr("da", x)
}

/// (cdr (cdr x))
#[scheme_fn]
fn cddr(x: Value) -> Result<Value, String> {
    cxr("dd", x)
}

/// (car (cdr (cdr x)))
#[scheme_fn]
fn caddr(x: Value) -> Result<Value, String> {
    cxr("add", x)
}

/// (cdr (cdr (cdr x)))
#[scheme_fn]
fn cdddr(x: Value) -> Result<Value, String> {
    cxr("ddd", x)
}

/// (car (cdr (cdr (cdr x))))
#[scheme_fn]
fn cadddr(x: Value) -> Result<Value, String> {
    cxr("addd", x)
}

/// Replace the car of a pair.
#[scheme_fn(name = "set-car!")]
fn set_car(pair: Pair, value: Value) {
    pair.0.set_car(value)
}

/// Replace the cdr of a pair.
#[scheme_fn(name = "set-cdr!")]
fn set_cdr(pair: Pair, value: Value) {
    pair.0.set_cdr(value)
}

/// Is the value a pair?
#[scheme_fn]
fn is_pair(v: Value) -> bool {
    v.is_pair()
}

/// Is the value the empty list?
#[scheme_fn]
fn is_null(v: Value) -> bool {
    v == Value::NIL
}

/// Is the value a proper (finite, `()`-terminated) list?
#[scheme_fn]
fn is_list(v: Value) -> bool {
    // Floyd's cycle check: a circular list is not a list.
    let (mut slow, mut fast) = (v, v);
    loop {
        for _ in 0..2 {
            if fast == Value::NIL {
                return true;
            }
            if !fast.is_pair() {
                return false;
            }
            fast = fast.cdr();
        }
        slow = slow.cdr();
        if fast == slow {
            return false;
        }
    }
}

/// A new list of the arguments.
#[scheme_fn]
fn list(ctx: &mut Ctx, items: &[Value]) -> Value {
    ctx.list(items)
}

/// `argument N (name): expected list, got V`, for a list checked by walking it.
fn not_a_list(index: usize, name: &str, list: Value) -> String {
    format!(
        "argument {index} ({name}): expected list, got {}",
        to_string(list, true)
    )
}

/// A walk over a list's pairs that cannot run forever: after the first
/// 1024 pairs it checks for a cycle (Brent's method: a mark jumps to the
/// walker after 1, 2, 4... steps and is met again only on a cycle). A
/// pair's cdr is read when the walk moves on, after the caller's work on
/// the pair (a predicate may have changed it).
pub(crate) struct ListWalk {
    /// The current pair (or what ended the list).
    v: Value,
    started: bool,
    n: usize,
    mark: Value,
    power: usize,
    steps: usize,
}

/// The list being walked is circular.
pub(crate) struct Circular;

impl ListWalk {
    pub(crate) fn new(list: Value) -> ListWalk {
        ListWalk {
            v: list,
            started: false,
            n: 0,
            mark: list,
            power: 1,
            steps: 0,
        }
    }

    /// The next pair, or `None` past the last one (`tail` is then what
    /// ended the list).
    pub(crate) fn next(&mut self) -> Result<Option<Value>, Circular> {
        if self.started {
            self.v = self.v.cdr();
            self.n += 1;
            if self.n == 1024 {
                self.mark = self.v;
            } else if self.n > 1024 {
                if self.v == self.mark {
                    return Err(Circular);
                }
                self.steps += 1;
                if self.steps == self.power {
                    (self.mark, self.power, self.steps) = (self.v, 2 * self.power, 0);
                }
            }
        }
        self.started = true;
        Ok(self.v.is_pair().then_some(self.v))
    }

    /// A walk that checks from its first pair on (the caller walked the
    /// list's first 1024 pairs itself).
    fn checking(v: Value) -> ListWalk {
        ListWalk {
            n: 1024,
            ..ListWalk::new(v)
        }
    }

    pub(crate) fn tail(&self) -> Value {
        self.v
    }
}

/// The first pair of `list` for which `hit` is true (`Ok(Ok(pair))`), or
/// what ended the list (`Ok(Err(tail))`). The first 1024 pairs are walked
/// without the cycle check: short lists pay nothing for it.
fn find_pair(
    list: Value,
    mut hit: impl FnMut(Value) -> bool,
) -> Result<Result<Value, Value>, Circular> {
    let mut v = list;
    for _ in 0..1024 {
        if !v.is_pair() {
            return Ok(Err(v));
        }
        if hit(v) {
            return Ok(Ok(v));
        }
        v = v.cdr();
    }
    let mut walk = ListWalk::checking(v);
    while let Some(p) = walk.next()? {
        if hit(p) {
            return Ok(Ok(p));
        }
    }
    Ok(Err(walk.tail()))
}

fn circular(index: usize, name: &str, list: Value) -> String {
    format!(
        "argument {index} ({name}): expected list, got a circular list: {}",
        to_string(list, true)
    )
}

/// Number of elements of a proper list; a circular list is an error.
#[scheme_fn]
fn length(list: Value) -> Result<usize, String> {
    let mut n = 0;
    let end = find_pair(list, |_| {
        n += 1;
        false
    })
    .map_err(|_| circular(1, "list", list))?;
    match end {
        Err(tail) if tail == Value::NIL => Ok(n),
        _ => Err(not_a_list(1, "list", list)),
    }
}

/// A list of the elements of all the lists; the last argument is shared,
/// not copied.
#[scheme_fn]
fn append(ctx: &mut Ctx, lists: &[Value]) -> Result<Value, String> {
    let Some((&last, init)) = lists.split_last() else {
        return Ok(Value::NIL);
    };
    // Copy front to back; `head` and `tail` are locals, seen by the collector.
    let mut head = Value::NIL;
    let mut tail = Value::NIL;
    for (i, &l) in init.iter().enumerate() {
        let mut walk = ListWalk::new(l);
        while let Some(v) = walk.next().map_err(|_| circular(i + 1, "lists", l))? {
            let cell = ctx.cons(v.car(), Value::NIL);
            if tail.is_pair() {
                tail.set_cdr(cell);
            } else {
                head = cell;
            }
            tail = cell;
        }
        if walk.tail() != Value::NIL {
            return Err(not_a_list(i + 1, "lists", l));
        }
    }
    if tail.is_pair() {
        tail.set_cdr(last);
        Ok(head)
    } else {
        Ok(last)
    }
}

/// `(append a b)` for compiled code, without the primitive call's
/// overhead: a copy of `a` ending in `b`, its pairs allocated 16 at a time.
/// Returns 0 (and allocates nothing) unless `a` is a proper list of at most
/// 1024 pairs; compiled code then calls `append`, which reports errors and
/// handles long and circular lists.
#[no_mangle]
pub extern "C" fn scm_append2(ctx: &mut Ctx, a: Value, b: Value) -> u64 {
    const CHUNK: usize = 16;
    let mut n = 0;
    let mut v = a;
    while v.is_pair() {
        if n == 1024 {
            return 0;
        }
        n += 1;
        v = v.cdr();
    }
    if v != Value::NIL {
        return 0;
    }
    // `a`, `b` and `head` are in locals (conservative roots) across the
    // allocations; `a`'s pairs are read again as the copy goes.
    let (mut head, mut last) = (b, Value::NIL);
    let mut from = a;
    while n > 0 {
        let k = n.min(CHUNK);
        let bytes = k as u64 * crate::abi::PAIR_SIZE;
        let p = if ctx.pair_ptr + bytes <= ctx.pair_limit {
            let p = ctx.pair_ptr;
            ctx.pair_ptr += bytes;
            p
        } else {
            crate::heap::scm_alloc_pairs_slow(ctx, bytes)
        };
        for i in 0..k {
            let cell = p + 16 * i as u64;
            let cdr = if i + 1 < k {
                (cell + 16) | crate::abi::TAG_PAIR
            } else {
                b.0
            };
            // SAFETY: `p` is `k` fresh pairs; new objects need no barrier.
            unsafe {
                *(cell as *mut u64) = from.car().0;
                *((cell + 8) as *mut u64) = cdr;
            }
            from = from.cdr();
        }
        let first = Value::from_bits(p | crate::abi::TAG_PAIR);
        if last == Value::NIL {
            head = first;
        } else {
            // The previous chunk may be older than this allocation: barrier.
            last.set_cdr(first);
        }
        last = Value::from_bits((p + 16 * (k as u64 - 1)) | crate::abi::TAG_PAIR);
        n -= k;
    }
    head.0
}

/// A new list with the elements in reverse order.
#[scheme_fn]
fn reverse(ctx: &mut Ctx, list: Value) -> Result<Value, String> {
    let (mut out, mut walk) = (Value::NIL, ListWalk::new(list));
    while let Some(v) = walk.next().map_err(|_| circular(1, "list", list))? {
        out = ctx.cons(v.car(), out);
    }
    if walk.tail() != Value::NIL {
        return Err(not_a_list(1, "list", list));
    }
    Ok(out)
}

/// Reverse a list in place, reusing its pairs; returns the new head.
#[scheme_fn(name = "reverse!")]
fn reverse_in_place(list: Value) -> Result<Value, String> {
    let (mut out, mut v) = (Value::NIL, list);
    while v.is_pair() {
        let next = v.cdr();
        v.set_cdr(out);
        out = v;
        v = next;
    }
    if v != Value::NIL {
        return Err(not_a_list(1, "list", list));
    }
    Ok(out)
}

fn tail(list: Value, k: usize) -> Result<Value, String> {
    let mut v = list;
    for _ in 0..k {
        if !v.is_pair() {
            return Err(super::out_of_range(k, list));
        }
        v = v.cdr();
    }
    Ok(v)
}

/// The list without its first k elements.
#[scheme_fn(name = "list-tail")]
fn list_tail(list: Value, k: usize) -> Result<Value, String> {
    tail(list, k)
}

/// Element k (from 0) of a list.
#[scheme_fn(name = "list-ref")]
fn list_ref(list: Value, k: usize) -> Result<Value, String> {
    match tail(list, k)? {
        t if t.is_pair() => Ok(t.car()),
        _ => Err(super::out_of_range(k, list)),
    }
}

/// The first pair of `list` whose car is `same` as `x`. The list is re-read
/// after every test, which may be a Scheme predicate that changes it.
fn member_by(
    x: Value,
    list: Value,
    mut same: impl FnMut(Value, Value) -> bool,
) -> Result<Value, String> {
    match find_pair(list, |v| same(x, v.car())).map_err(|_| circular(2, "list", list))? {
        Ok(pair) => Ok(pair),
        Err(tail) if tail == Value::NIL => Ok(Value::FALSE),
        Err(_) => Err(not_a_list(2, "list", list)),
    }
}

/// The first entry of `alist` whose key is `same` as `x`, re-reading the
/// list after every test (as `member_by`).
fn assoc_by(
    x: Value,
    alist: Value,
    mut same: impl FnMut(Value, Value) -> bool,
) -> Result<Value, String> {
    let mut bad_entry = false;
    let found = find_pair(alist, |v| {
        let entry = v.car();
        bad_entry = !entry.is_pair();
        bad_entry || same(x, entry.car())
    })
    .map_err(|_| circular(2, "alist", alist))?;
    match found {
        _ if bad_entry => Err(format!(
            "argument 2 (alist): expected list of pairs, got {}",
            to_string(alist, true)
        )),
        Ok(pair) => Ok(pair.car()),
        Err(tail) if tail == Value::NIL => Ok(Value::FALSE),
        Err(_) => Err(format!(
            "argument 2 (alist): expected list, got {}",
            to_string(alist, true)
        )),
    }
}

fn eq(a: Value, b: Value) -> bool {
    a == b
}

/// The first pair of the list whose car is `eq?` to x, or #f.
#[scheme_fn]
fn memq(x: Value, list: Value) -> Result<Value, String> {
    member_by(x, list, eq)
}

/// The first pair of the list whose car is `eqv?` to x, or #f.
#[scheme_fn]
fn memv(x: Value, list: Value) -> Result<Value, String> {
    if boxed_number(x) {
        member_by(x, list, eqv)
    } else {
        member_by(x, list, eq)
    }
}

/// Is `x` a number in the heap? Anything else is `eqv?` to exactly the
/// values it is `eq?` to, so `memv` and `assv` compare words.
fn boxed_number(x: Value) -> bool {
    use crate::value::Kind;
    x.tag() == crate::abi::TAG_FLONUM || matches!(x.kind(), Kind::Bignum | Kind::Ratnum)
}

/// The first pair of the list whose car is `equal?` to x (or for which
/// `(compare x element)` is true), or #f.
#[scheme_fn]
fn member(
    ctx: &mut Ctx,
    x: Value,
    list: Value,
    compare: Option<Procedure>,
) -> Result<Value, String> {
    match compare {
        None => member_by(x, list, equal),
        Some(f) => member_by(x, list, |a, b| ctx.call_or_unwind(f, &[a, b]).is_true()),
    }
}

/// The first entry of the association list whose key is `eq?` to x, or #f.
#[scheme_fn]
fn assq(x: Value, alist: Value) -> Result<Value, String> {
    assoc_by(x, alist, eq)
}

/// The first entry of the association list whose key is `eqv?` to x, or #f.
#[scheme_fn]
fn assv(x: Value, alist: Value) -> Result<Value, String> {
    if boxed_number(x) {
        assoc_by(x, alist, eqv)
    } else {
        assoc_by(x, alist, eq)
    }
}

/// The first entry of the association list whose key is `equal?` to x (or
/// for which `(compare x key)` is true), or #f.
#[scheme_fn]
fn assoc(
    ctx: &mut Ctx,
    x: Value,
    alist: Value,
    compare: Option<Procedure>,
) -> Result<Value, String> {
    match compare {
        None => assoc_by(x, alist, equal),
        Some(f) => assoc_by(x, alist, |a, b| ctx.call_or_unwind(f, &[a, b]).is_true()),
    }
}

/// Walk one or more lists in step, calling `each` with the elements at
/// each position, up to the shortest list. The lists are read in place (no
/// copies); each cursor is kept for the call (`Ctx::keep`): `each` may cut
/// a list, leaving its rest reachable only from `cursors`.
fn walk(
    ctx: &mut Ctx,
    lists: &[Value],
    mut each: impl FnMut(&mut Ctx, &[Value]),
) -> Result<(), String> {
    let mut cursors: Vec<Value> = lists.to_vec();
    let mut row: Vec<Value> = Vec::with_capacity(lists.len());
    loop {
        row.clear();
        for (i, c) in cursors.iter_mut().enumerate() {
            if !c.is_pair() {
                if *c != Value::NIL {
                    return Err(format!(
                        "argument {} (list): expected list, got {}",
                        i + 2,
                        to_string(lists[i], true)
                    ));
                }
                return Ok(());
            }
            row.push(c.car());
            *c = ctx.keep(c.cdr());
        }
        each(ctx, &row);
    }
}

/// The results of f applied to the elements of the lists, in order.
#[scheme_fn]
fn map(ctx: &mut Ctx, f: Procedure, list: Value, more: &[Value]) -> Result<Value, String> {
    // The results so far are a Scheme list held in a local, so the collector
    // sees them while `f` allocates.
    let mut reversed = Value::NIL;
    if more.is_empty() {
        let mut l = list;
        while l.is_pair() {
            let result = ctx.call_or_unwind(f, &[l.car()]);
            reversed = ctx.cons(result, reversed);
            l = l.cdr();
        }
        if l != Value::NIL {
            return Err(format!(
                "argument 2 (list): expected list, got {}",
                to_string(list, true)
            ));
        }
    } else {
        let mut lists = vec![list];
        lists.extend_from_slice(more);
        walk(ctx, &lists, |ctx, row| {
            let result = ctx.call_or_unwind(f, row);
            reversed = ctx.cons(result, reversed);
        })?;
    }
    let mut out = Value::NIL;
    while reversed.is_pair() {
        let next = reversed.cdr();
        reversed.set_cdr(out);
        out = reversed;
        reversed = next;
    }
    Ok(out)
}

/// Apply f to the elements of the lists, in order, for effect.
#[scheme_fn(name = "for-each")]
fn for_each(ctx: &mut Ctx, f: Procedure, list: Value, more: &[Value]) -> Result<(), String> {
    let mut lists = vec![list];
    lists.extend_from_slice(more);
    walk(ctx, &lists, |ctx, row| {
        ctx.call_or_unwind(f, row);
    })
}

/// Call f with the arguments, the last of which is a list to spread out.
#[scheme_fn]
fn apply(ctx: &mut Ctx, f: Procedure, arg: Value, more: &[Value]) -> Result<Value, String> {
    let mut all = vec![arg];
    all.extend_from_slice(more);
    let list = all.pop().expect("at least one argument");
    match crate::convert::sequence_items(list).filter(|_| !list.is_vector()) {
        Some(items) => all.extend(items),
        None => {
            return Err(format!(
                "expected a proper list as its last argument, got {}",
                to_string(list, true)
            ))
        }
    }
    Ok(ctx.call_or_unwind(f, &all))
}
