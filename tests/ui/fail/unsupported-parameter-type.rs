use scheme_runtime::scheme_fn;
use std::time::Duration;

#[scheme_fn]
fn seconds(d: Duration) -> u64 {
    d.as_secs()
}

fn main() {}
