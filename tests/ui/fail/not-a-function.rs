use scheme_runtime::scheme_fn;

#[scheme_fn]
struct Point {
    x: i64,
}

fn main() {}
