//! Numbers stored in bytevectors (R6RS 2.5, as in Chez Scheme): integers of
//! 8 to 64 bits and IEEE floats at a byte index, in native order
//! (`bytevector-s32-native-ref`, index a multiple of the size) or in the
//! order a symbol names (`(bytevector-u16-ref bv k 'big)`). They are how a
//! program lays out the memory a C function reads through `u8*`.
//!
//! Values are checked and converted as `foreign-procedure` arguments are
//! (`c_ffi::to_c`): an integer outside the field's range is an error.

use super::bytevectors::writable;
use crate::bytevector::bytes;
use crate::c_ffi::{from_c, to_c, CType};
use crate::print::to_string;
use crate::rt::Bytevector;
use crate::rt::Ctx;
use crate::rt::Value;
use crate::scheme_fn;
use crate::Symbol;

/// Byte order of a field.
#[derive(Clone, Copy)]
enum Order {
    /// Native (little-endian on x86-64); the index must be aligned.
    Native,
    Big,
    Little,
}

fn order(endianness: Symbol, position: usize) -> Result<Order, String> {
    match endianness.name() {
        "big" => Ok(Order::Big),
        "little" => Ok(Order::Little),
        other => Err(format!(
            "argument {position} (endianness): expected big or little, got {other}"
        )),
    }
}

/// The bytes `k..k + size` of `bv`'s `len`, checked.
fn field(bv: Value, len: usize, k: usize, size: usize, order: Order) -> Result<usize, String> {
    if matches!(order, Order::Native) && !k.is_multiple_of(size) {
        return Err(format!(
            "argument 2 (k): index {k} is not a multiple of {size} for {}",
            to_string(bv, true)
        ));
    }
    if k.checked_add(size).is_none_or(|end| end > len) {
        return Err(format!(
            "argument 2 (k): index {k} out of range for a {size}-byte field of {}",
            to_string(bv, true)
        ));
    }
    Ok(k)
}

fn big_endian(order: Order) -> bool {
    matches!(order, Order::Big)
}

fn read(ctx: &mut Ctx, bv: Bytevector, k: usize, t: CType, order: Order) -> Result<Value, String> {
    let data = bytes(bv.0);
    let size = t.size();
    let k = field(bv.0, data.len(), k, size, order)?;
    let mut word = [0u8; 8];
    word[..size].copy_from_slice(&data[k..k + size]);
    if big_endian(order) {
        word[..size].reverse();
    }
    Ok(from_c(ctx, u64::from_le_bytes(word), t))
}

fn write(
    ctx: &Ctx,
    bv: Bytevector,
    k: usize,
    v: Value,
    t: CType,
    order: Order,
) -> Result<(), String> {
    let Some(raw) = to_c(v, t) else {
        return Err(format!(
            "argument 3: expected {}, got {}",
            t.expected(),
            to_string(v, true)
        ));
    };
    let data = writable(ctx, bv, 1)?;
    let size = t.size();
    let k = field(bv.0, data.len(), k, size, order)?;
    let mut word = raw.to_le_bytes();
    if big_endian(order) {
        word[..size].reverse();
    }
    data[k..k + size].copy_from_slice(&word[..size]);
    Ok(())
}

/// The byte order of this machine: `little`.
#[scheme_fn(name = "native-endianness")]
fn native_endianness(ctx: &mut Ctx) -> Value {
    ctx.intern("little")
}

/// Accessors of one field type: a native pair and, for types wider than a
/// byte, a pair that takes the byte order.
macro_rules! accessors {
    ($t:expr, $ref_name:tt, $ref_fn:ident, $set_name:tt, $set_fn:ident) => {
        /// The number stored at byte index k (native order: k a multiple of its size).
        #[scheme_fn(name = $ref_name)]
        fn $ref_fn(ctx: &mut Ctx, bytevector: Bytevector, k: usize) -> Result<Value, String> {
            read(ctx, bytevector, k, $t, Order::Native)
        }

        /// Store a number at byte index k (native order: k a multiple of its size).
        #[scheme_fn(name = $set_name)]
        fn $set_fn(
            ctx: &mut Ctx,
            bytevector: Bytevector,
            k: usize,
            v: Value,
        ) -> Result<(), String> {
            write(ctx, bytevector, k, v, $t, Order::Native)
        }
    };
    ($t:expr, $ref_name:tt, $ref_fn:ident, $set_name:tt, $set_fn:ident,
     $oref_name:tt, $oref_fn:ident, $oset_name:tt, $oset_fn:ident) => {
        accessors!($t, $ref_name, $ref_fn, $set_name, $set_fn);

        /// The number stored at byte index k in the byte order named (big or little).
        #[scheme_fn(name = $oref_name)]
        fn $oref_fn(
            ctx: &mut Ctx,
            bytevector: Bytevector,
            k: usize,
            endianness: Symbol,
        ) -> Result<Value, String> {
            read(ctx, bytevector, k, $t, order(endianness, 3)?)
        }

        /// Store a number at byte index k in the byte order named (big or little).
        #[scheme_fn(name = $oset_name)]
        fn $oset_fn(
            ctx: &mut Ctx,
            bytevector: Bytevector,
            k: usize,
            v: Value,
            endianness: Symbol,
        ) -> Result<(), String> {
            write(ctx, bytevector, k, v, $t, order(endianness, 4)?)
        }
    };
}

accessors!(
    CType::I8,
    "bytevector-s8-ref",
    s8_ref,
    "bytevector-s8-set!",
    s8_set
);
accessors!(
    CType::U16,
    "bytevector-u16-native-ref",
    u16_native_ref,
    "bytevector-u16-native-set!",
    u16_native_set,
    "bytevector-u16-ref",
    u16_ref,
    "bytevector-u16-set!",
    u16_set
);
accessors!(
    CType::I16,
    "bytevector-s16-native-ref",
    s16_native_ref,
    "bytevector-s16-native-set!",
    s16_native_set,
    "bytevector-s16-ref",
    s16_ref,
    "bytevector-s16-set!",
    s16_set
);
accessors!(
    CType::U32,
    "bytevector-u32-native-ref",
    u32_native_ref,
    "bytevector-u32-native-set!",
    u32_native_set,
    "bytevector-u32-ref",
    u32_ref,
    "bytevector-u32-set!",
    u32_set
);
accessors!(
    CType::I32,
    "bytevector-s32-native-ref",
    s32_native_ref,
    "bytevector-s32-native-set!",
    s32_native_set,
    "bytevector-s32-ref",
    s32_ref,
    "bytevector-s32-set!",
    s32_set
);
accessors!(
    CType::U64,
    "bytevector-u64-native-ref",
    u64_native_ref,
    "bytevector-u64-native-set!",
    u64_native_set,
    "bytevector-u64-ref",
    u64_ref,
    "bytevector-u64-set!",
    u64_set
);
accessors!(
    CType::I64,
    "bytevector-s64-native-ref",
    s64_native_ref,
    "bytevector-s64-native-set!",
    s64_native_set,
    "bytevector-s64-ref",
    s64_ref,
    "bytevector-s64-set!",
    s64_set
);
accessors!(
    CType::Float,
    "bytevector-ieee-single-native-ref",
    single_native_ref,
    "bytevector-ieee-single-native-set!",
    single_native_set,
    "bytevector-ieee-single-ref",
    single_ref,
    "bytevector-ieee-single-set!",
    single_set
);
accessors!(
    CType::Double,
    "bytevector-ieee-double-native-ref",
    double_native_ref,
    "bytevector-ieee-double-native-set!",
    double_native_set,
    "bytevector-ieee-double-ref",
    double_ref,
    "bytevector-ieee-double-set!",
    double_set
);
