use scheme_runtime::scheme_fn;

#[scheme_fn]
fn fixed<const N: usize>() -> usize {
    N
}

fn main() {}
