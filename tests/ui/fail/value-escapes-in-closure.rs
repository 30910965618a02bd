use std::cell::RefCell;

use scheme_runtime::{scheme_fn, Ctx, Value};

// A boxed closure that captured a value is no way out either.
thread_local! {
    static LATER: RefCell<Option<Box<dyn Fn() -> i64>>> = const { RefCell::new(None) };
}

#[scheme_fn]
fn keep_for_later(ctx: &mut Ctx, n: i64) {
    let pair = ctx.cons(Value::fixnum(n), Value::NIL);
    LATER.with(|l| *l.borrow_mut() = Some(Box::new(move || pair.as_fixnum())));
}

fn main() {}
