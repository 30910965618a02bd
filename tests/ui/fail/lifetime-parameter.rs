use scheme_runtime::scheme_fn;

#[scheme_fn]
fn first_word<'a>(s: &'a str) -> &'a str {
    s.split(' ').next().unwrap_or("")
}

fn main() {}
