use scheme_runtime::scheme_fn;

#[scheme_fn(name = "")]
fn nothing() {}

fn main() {}
