//! Errors and exit.

use crate::convert::Optional;
use crate::rt::Ctx;
use crate::rt::Value;
use crate::scheme_fn;
use crate::value::Kind;

/// The process status `exit` and `emergency-exit` give: no argument or #t
/// is 0, #f is 1, an integer is itself.
pub(super) fn exit_code(status: Optional<Value>) -> i32 {
    match status.0 {
        None => 0,
        Some(v) => match v.kind() {
            Kind::Fixnum => v.as_fixnum() as i32,
            Kind::Boolean if v.is_true() => 0,
            _ => 1,
        },
    }
}

/// End the program: no argument or #t is status 0, #f is 1, an integer is itself.
#[scheme_fn]
fn exit(ctx: &mut Ctx, status: Optional<Value>) {
    // R7RS: the `after` thunks of the active `dynamic-wind`s run first.
    if crate::control::rewind(ctx, Value::NIL).is_err() {
        // A thunk raised or jumped: exit anyway (after it, as Chez does).
    }
    ctx.exit(exit_code(status))
}
