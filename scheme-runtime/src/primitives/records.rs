//! What `define-record-type` expands into (`record.rs` has the layout).
//! Compiled code inlines `%record-ref`, `%record-set!` and `%record?`;
//! these serve first-class uses and non-constant arguments.

use crate::record::*;
use crate::rt::Ctx;
use crate::rt::Value;
use crate::rt::{Symbol, Vector};
use crate::scheme_fn;

/// A new record type with a name, a vector of field names and flags.
#[scheme_fn(name = "%make-record-type")]
fn make_record_type(ctx: &mut Ctx, name: Symbol, fields: Vector, flags: i64) -> Value {
    ctx.record_type_from(name.0, fields.0, flags)
}

/// A new record of type `rtd` with the given field values.
#[scheme_fn(name = "%record")]
fn record(ctx: &mut Ctx, rtd: Value, fields: &[Value]) -> Result<Value, String> {
    if !is_record_type(rtd) || record_type_field_count(rtd) != fields.len() {
        return Err("bad record type or field count".into());
    }
    Ok(ctx.make_record(rtd, fields))
}

/// Is `v` a record of type `rtd`?
#[scheme_fn(name = "%record?")]
fn is_record(v: Value, rtd: Value) -> bool {
    is_record_of(v, rtd)
}

/// Field `i` of `r`, a record of type `rtd`; `who` names the accessor.
#[scheme_fn(name = "%record-ref")]
fn record_ref(ctx: &mut Ctx, r: Value, rtd: Value, i: usize, who: Symbol) -> Value {
    if !is_record_of(r, rtd) {
        record_type_error(ctx, who.name(), rtd, r)
    }
    assert!(i < record_type_field_count(rtd), "no field {i}");
    record_field(r, i)
}

/// Set field `i` of `r`, a record of type `rtd`; `who` names the modifier.
#[scheme_fn(name = "%record-set!")]
fn record_set(ctx: &mut Ctx, r: Value, rtd: Value, i: usize, v: Value, who: Symbol) {
    if !is_record_of(r, rtd) {
        record_type_error(ctx, who.name(), rtd, r)
    }
    assert!(i < record_type_field_count(rtd), "no field {i}");
    set_record_field(r, i, v)
}
