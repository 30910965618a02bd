use scheme_runtime::{scheme_fn, Optional, Value};

#[scheme_fn]
fn fill(_value: Optional<Value>, n: usize) -> usize {
    n
}

fn main() {}
