use scheme_runtime::scheme_fn;

#[scheme_fn(name = twice)]
fn twice(n: i64) -> i64 {
    n * 2
}

fn main() {}
