use scheme_runtime::scheme_fn;
use std::time::Instant;

#[scheme_fn]
fn started(_n: i64) -> Instant {
    Instant::now()
}

fn main() {}
