use scheme_runtime::scheme_fn;

#[scheme_fn]
fn first<T>(items: Vec<T>) -> usize {
    items.len()
}

fn main() {}
