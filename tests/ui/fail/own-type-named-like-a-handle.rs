use scheme_runtime::{scheme_fn, SchemeObject};

// A type of your own named like one of the runtime's handles (`Vector`,
// `List`, `Symbol`...) gets the call's lifetime written in: name it with
// a path in the signature (`crate::Vector`).
struct Vector {
    x: f64,
}

impl SchemeObject for Vector {
    const TYPE_NAME: &'static str = "vec2";
}

#[scheme_fn]
fn vector_x(v: &Vector) -> f64 {
    v.x
}

#[scheme_fn]
fn vector_x_by_path(v: &crate::Vector) -> f64 {
    v.x
}

fn main() {}
