//! Multiple values. One value is returned as itself, so the common case
//! costs nothing; zero or several travel as one `TYPE_VALUES` object that
//! `call-with-values` (and `let-values`, `receive`, `define-values`, which
//! the compiler expands into the same `%values->list`) spreads out again.

use crate::abi::TYPE_VALUES;
use crate::rt::Ctx;
use crate::rt::Procedure;
use crate::rt::Value;
use crate::scheme_fn;
use crate::value::Kind;

/// The values returned as a proper list.
fn values_list(ctx: &mut Ctx, v: Value) -> Value {
    if v.kind() != Kind::Values {
        return ctx.cons(v, Value::NIL);
    }
    let mut list = Value::NIL;
    for i in (0..v.header_length()).rev() {
        list = ctx.cons(v.vector_ref(i), list);
    }
    list
}

/// Return the arguments as the values of the expression.
#[scheme_fn]
fn values(ctx: &mut Ctx, vals: &[Value]) -> Value {
    ctx.values(vals)
}

/// The values an expression returned, as a list (used by the compiler's
/// expansion of `call-with-values`, `let-values` and `receive`).
#[scheme_fn(name = "%values->list")]
fn values_to_list(ctx: &mut Ctx, v: Value) -> Value {
    values_list(ctx, v)
}

/// Call `consumer` with the values that calling `producer` returns.
#[scheme_fn]
fn call_with_values(ctx: &mut Ctx, producer: Procedure, consumer: Procedure) -> Value {
    let v = ctx.call_or_unwind(producer, &[]);
    if v.kind() != Kind::Values {
        return ctx.call_or_unwind(consumer, &[v]);
    }
    let args: Vec<Value> = (0..v.header_length()).map(|i| v.vector_ref(i)).collect();
    // `v` (a local) keeps the values alive while the consumer runs.
    let result = ctx.call_or_unwind(consumer, &args);
    std::hint::black_box(v);
    result
}

impl<'s> crate::ctx::Ctx<'s> {
    /// The values, as a procedure returns them.
    pub fn values(&mut self, vals: &[crate::value::Value<'s>]) -> crate::value::Value<'s> {
        let ctx = self.rt();
        if let [one] = vals {
            return *one;
        }
        let n = vals.len() as u64;
        let v = ctx.alloc_object(TYPE_VALUES, n, n);
        // New: no write barrier.
        for (i, x) in vals.iter().enumerate() {
            v.init_word(1 + i, x.0);
        }
        v
    }
}
