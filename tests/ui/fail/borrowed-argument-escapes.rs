use std::cell::RefCell;

use scheme_runtime::scheme_fn;

thread_local! {
    static KEPT: RefCell<Vec<&'static str>> = RefCell::new(Vec::new());
}

// A borrowed argument lives for the call only: it cannot be stored.
#[scheme_fn]
fn keep(s: &str) {
    KEPT.with(|k| k.borrow_mut().push(s));
}

fn main() {}
