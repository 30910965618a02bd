use scheme_runtime::{scheme_fn, Root, SchemeObject, Value};

// A root gives its value back only for a call (`root.get(ctx)`), which
// holds it: the value cannot outlive the call, even if the root is dropped.
struct Holder {
    root: Root,
}

impl SchemeObject for Holder {
    const TYPE_NAME: &'static str = "holder";
}

#[scheme_fn]
fn holder_value(h: &Holder) -> Value {
    h.root.get()
}

fn main() {}
