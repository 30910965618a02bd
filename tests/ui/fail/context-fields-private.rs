use scheme_runtime::{scheme_fn, Ctx, Value};

// `Ctx` exposes methods, not fields.
#[scheme_fn]
fn handlers(ctx: &mut Ctx) -> Value {
    ctx.handlers
}

fn main() {}
