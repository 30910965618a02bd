use scheme_runtime::{scheme_fn, Value};

// A value lives for its call: it cannot be asked for as `'static`.
#[scheme_fn]
fn keep(v: Value<'static>) -> i64 {
    v.as_fixnum()
}

fn main() {}
