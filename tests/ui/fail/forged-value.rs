use scheme_runtime::{scheme_fn, Ctx, Pair, Value};

// A value cannot be made from raw bits, nor a handle from an unchecked value.
#[scheme_fn]
fn forge(ctx: &mut Ctx) -> Value {
    let p = Pair(Value(0x1001));
    ctx.car(p)
}

fn main() {}
