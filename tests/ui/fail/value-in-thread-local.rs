use std::cell::RefCell;

use scheme_runtime::{scheme_fn, Value};

// A value carries its call's lifetime: it cannot be kept in a
// `thread_local` (or anywhere else that outlives the call) without a `Root`.
thread_local! {
    static KEPT: RefCell<Vec<Value<'static>>> = const { RefCell::new(Vec::new()) };
}

#[scheme_fn]
fn keep(v: Value) {
    KEPT.with(|k| k.borrow_mut().push(v));
}

fn main() {}
