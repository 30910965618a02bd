use scheme_runtime::scheme_fn;
use std::collections::HashMap;

#[scheme_fn]
fn table(n: i64) -> HashMap<i64, i64> {
    HashMap::from([(n, n)])
}

fn main() {}
