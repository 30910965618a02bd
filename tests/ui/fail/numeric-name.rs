use scheme_runtime::scheme_fn;

#[scheme_fn(name = "-1+")]
fn decrement(n: i64) -> i64 {
    n - 1
}

fn main() {}
