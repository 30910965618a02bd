use scheme_runtime::{scheme_fn, Ctx, Value};

#[scheme_fn]
fn pair_up(a: Value, ctx: &mut Ctx) -> Value {
    ctx.cons(a, a)
}

fn main() {}
