use scheme_runtime::{scheme_fn, Value};

#[scheme_fn]
fn tagged(items: &[Value], tag: &str) -> usize {
    items.len() + tag.len()
}

fn main() {}
