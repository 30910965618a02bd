use scheme_runtime::scheme_fn;

#[scheme_fn(name = "add one")]
fn add_one(n: i64) -> i64 {
    n + 1
}

fn main() {}
