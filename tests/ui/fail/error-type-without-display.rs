use scheme_runtime::scheme_fn;

#[derive(Debug)]
struct ParseError {
    line: usize,
}

#[scheme_fn]
fn parse(text: &str) -> Result<i64, ParseError> {
    text.parse().map_err(|_| ParseError { line: 1 })
}

fn main() {}
