//! The built-in library, grouped by what it works on. Every primitive is a
//! `PrimFn` (`extern "C" fn(&mut Ctx, argv, argc) -> Value`) defined with
//! [`primitive!`], which also registers its descriptor for the compiler.
//! The compiler inlines some of them (`car`, `+`, ...) where it can; the
//! functions here serve every other call, including first-class uses.

use crate::ctx::Ctx;
use crate::error::{range_error, type_error};
use crate::value::Value;

mod chars;
mod control;
mod equality;
mod io;
mod lists;
mod numbers;
mod strings;
mod vectors;

/// Define a primitive and register it.
///
/// `primitive!("name", symbol, MIN, MAX, "doc", |ctx, args| body)` where
/// `args: &[Value]` holds between MIN and MAX arguments (checked here).
macro_rules! primitive {
    ($name:literal, $sym:ident, $min:expr, $max:expr, $doc:literal, |$ctx:ident, $args:ident| $body:expr) => {
        #[doc = $doc]
        #[no_mangle]
        #[allow(unused_braces)]
        pub extern "C" fn $sym(
            ctx: &mut $crate::ctx::Ctx,
            argv: *const $crate::value::Value,
            argc: u64,
        ) -> $crate::value::Value {
            const DESC: $crate::registry::PrimDesc = $crate::registry::PrimDesc {
                name: $name,
                symbol: stringify!($sym),
                min_args: $min,
                max_args: $max,
                doc: $doc,
            };
            if !DESC.accepts(argc as usize) {
                $crate::error::arity_error(ctx, $name, &DESC.arity_text(), argc);
            }
            // SAFETY: compiled code passes `argc` values at `argv`.
            let $args: &[$crate::value::Value] =
                unsafe { std::slice::from_raw_parts(argv, argc as usize) };
            let $ctx = ctx;
            $body
        }
        const _: () = {
            #[linkme::distributed_slice($crate::registry::PRIMITIVES)]
            static DESC: $crate::registry::PrimDesc = $crate::registry::PrimDesc {
                name: $name,
                symbol: stringify!($sym),
                min_args: $min,
                max_args: $max,
                doc: $doc,
            };
        };
    };
}
pub(crate) use primitive;

// Argument checks shared by the modules: each returns the unpacked value or
// reports `who: expected ..., got ...` and exits.

pub fn int(ctx: &mut Ctx, who: &str, v: Value) -> i64 {
    if !v.is_fixnum() {
        type_error(ctx, who, "an integer", v);
    }
    v.as_fixnum()
}

pub fn pair(ctx: &mut Ctx, who: &str, v: Value) -> Value {
    if !v.is_pair() {
        type_error(ctx, who, "a pair", v);
    }
    v
}

pub fn string(ctx: &mut Ctx, who: &str, v: Value) -> Value {
    if !v.is_string() {
        type_error(ctx, who, "a string", v);
    }
    v
}

pub fn character(ctx: &mut Ctx, who: &str, v: Value) -> char {
    if !v.is_char() {
        type_error(ctx, who, "a character", v);
    }
    v.as_char()
}

pub fn vector(ctx: &mut Ctx, who: &str, v: Value) -> Value {
    if !v.is_vector() {
        type_error(ctx, who, "a vector", v);
    }
    v
}

pub fn procedure(ctx: &mut Ctx, who: &str, v: Value) -> Value {
    if !v.is_closure() {
        type_error(ctx, who, "a procedure", v);
    }
    v
}

/// A valid index into something of length `len`.
pub fn index(ctx: &mut Ctx, who: &str, v: Value, len: usize, object: Value) -> usize {
    if v.is_bignum() {
        range_error(ctx, who, v, object);
    }
    let i = int(ctx, who, v);
    if i < 0 || i as u64 >= len as u64 {
        range_error(ctx, who, v, object);
    }
    i as usize
}

/// A non-negative count (a length), at most `max`.
pub fn count(ctx: &mut Ctx, who: &str, v: Value, max: usize) -> usize {
    if !v.is_fixnum() {
        type_error(ctx, who, &format!("an integer from 0 to {max}"), v);
    }
    let n = v.as_fixnum();
    if n < 0 || n as u64 > max as u64 {
        type_error(ctx, who, &format!("an integer from 0 to {max}"), v);
    }
    n as usize
}

/// The elements of a proper list.
pub fn list_items(ctx: &mut Ctx, who: &str, list: Value) -> Vec<Value> {
    let mut items = Vec::new();
    let mut v = list;
    while v.is_pair() {
        items.push(v.car());
        v = v.cdr();
    }
    if v != Value::NIL {
        type_error(ctx, who, "a proper list", list);
    }
    items
}
