use scheme_runtime::{scheme_fn, Value};

// Reading an object's words is the runtime's business: plugins use the
// checked, held accessors on `Ctx` (`ctx.car(pair)`).
#[scheme_fn]
fn first(list: Value) -> Value {
    list.car()
}

fn main() {}
