use scheme_runtime::{scheme_fn, Ctx, Procedure, Value};

// A callback could read or change the bytevector while Rust holds it.
#[scheme_fn]
fn fill_then_call(ctx: &mut Ctx, data: &mut [u8], f: Procedure) -> Value {
    data.fill(0);
    ctx.call(f, &[]).unwrap_or(Value::FALSE)
}

fn main() {}
