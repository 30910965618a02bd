use scheme_runtime::scheme_fn;

#[scheme_fn]
fn shown(n: i64) -> impl std::fmt::Display {
    n
}

fn main() {}
