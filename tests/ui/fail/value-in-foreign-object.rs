use scheme_runtime::{scheme_fn, Ctx, SchemeObject, Value};

// A foreign object lives as long as Scheme holds it: a value made during
// one call cannot be stored in it (store a `Root`).
#[derive(Default)]
struct Memo {
    kept: Vec<Value<'static>>,
}

impl SchemeObject for Memo {
    const TYPE_NAME: &'static str = "memo";
}

#[scheme_fn(name = "memo-keep!")]
fn memo_keep(ctx: &mut Ctx, memo: &mut Memo, text: &str) {
    let v = ctx.make_string_from(text);
    memo.kept.push(v);
}

fn main() {}
