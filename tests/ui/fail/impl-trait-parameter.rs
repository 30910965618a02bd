use scheme_runtime::scheme_fn;

#[scheme_fn]
fn show(x: impl std::fmt::Display) -> String {
    x.to_string()
}

fn main() {}
