use scheme_runtime::scheme_fn;

#[scheme_fn]
fn half(x: f64) -> i64 {
    (x / 2.0) as i64
}

fn main() {}
