use scheme_runtime::{scheme_fn, Rest, Value};

#[scheme_fn]
fn both(a: &[Value], b: Rest<i64>) -> usize {
    a.len() + b.0.len()
}

fn main() {}
