use scheme_runtime::scheme_fn;

#[scheme_fn]
fn remember(s: &'static str) -> usize {
    s.len()
}

fn main() {}
