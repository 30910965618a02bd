//! More of R7RS's list procedures: `make-list`, `list-copy`, `list-set!`.
//! (`member` and `assoc` with an equality predicate are in `lists.rs`.)

use super::{check_length, out_of_range};
use crate::convert::Optional;
use crate::rt::Ctx;
use crate::rt::Value;
use crate::scheme_fn;

/// A new list of k elements, each `fill` (default unspecified).
#[scheme_fn(name = "make-list")]
fn make_list(ctx: &mut Ctx, k: usize, fill: Optional<Value>) -> Result<Value, String> {
    let fill = fill.0.unwrap_or(Value::UNSPECIFIED);
    let mut list = Value::NIL;
    for _ in 0..check_length(k)? {
        list = ctx.cons(fill, list);
    }
    Ok(list)
}

/// A new list with the same elements: the pairs are copied, the elements
/// and an improper tail are shared; anything that is not a pair is
/// returned as it is.
#[scheme_fn(name = "list-copy")]
fn list_copy(ctx: &mut Ctx, obj: Value) -> Value {
    // Copy front to back; `head` and `tail` are locals, seen by the collector.
    let mut head = Value::NIL;
    let mut tail = Value::NIL;
    let mut v = obj;
    // A circular list has no end: stop after as many pairs as Floyd's check
    // needs to find the cycle, then share the rest.
    let mut slow = obj;
    let mut slow_moves = false;
    while v.is_pair() {
        let cell = ctx.cons(v.car(), Value::NIL);
        if tail.is_pair() {
            tail.set_cdr(cell);
        } else {
            head = cell;
        }
        tail = cell;
        v = v.cdr();
        // `slow` moves every other step: half as fast as `v`.
        if slow_moves {
            slow = slow.cdr();
            if slow == v {
                break;
            }
        }
        slow_moves = !slow_moves;
    }
    if tail.is_pair() {
        tail.set_cdr(v);
        head
    } else {
        obj
    }
}

/// Replace element k (from 0) of a list.
#[scheme_fn(name = "list-set!")]
fn list_set(list: Value, k: usize, obj: Value) -> Result<(), String> {
    let mut v = list;
    for _ in 0..k {
        if !v.is_pair() {
            return Err(out_of_range(k, list));
        }
        v = v.cdr();
    }
    if !v.is_pair() {
        return Err(out_of_range(k, list));
    }
    v.set_car(obj);
    Ok(())
}
