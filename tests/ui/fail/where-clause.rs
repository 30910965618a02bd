use scheme_runtime::scheme_fn;

#[scheme_fn]
fn count(n: i64) -> i64
where
    i64: Copy,
{
    n
}

fn main() {}
