use scheme_runtime::scheme_fn;

#[scheme_fn]
fn sum((a, b): (i64, i64)) -> i64 {
    a + b
}

fn main() {}
