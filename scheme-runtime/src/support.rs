//! Runtime entry points that only compiled code calls: literals, rest
//! arguments, `apply` and errors of inline operations. (The `scm_error_*`
//! functions live in `error`.)

use crate::error::type_error;
use crate::rt::Ctx;
use crate::rt::Value;

fn literal_str<'a>(ptr: *const u8, len: u64) -> &'a str {
    // SAFETY: the compiler emits valid UTF-8 of exactly `len` bytes.
    unsafe { std::str::from_utf8_unchecked(std::slice::from_raw_parts(ptr, len as usize)) }
}

fn literal_bytes<'a>(ptr: *const u8, len: u64) -> &'a [u8] {
    // SAFETY: the compiler emits exactly `len` bytes at `ptr`.
    unsafe { std::slice::from_raw_parts(ptr, len as usize) }
}

/// A string literal (built once, at start-up).
#[no_mangle]
pub extern "C" fn scm_string_literal(ctx: &mut Ctx, ptr: *const u8, len: u64) -> Value {
    ctx.make_string_from(literal_str(ptr, len))
}

/// A quoted symbol (interned once, at start-up).
#[no_mangle]
pub extern "C" fn scm_symbol_literal(ctx: &mut Ctx, ptr: *const u8, len: u64) -> Value {
    ctx.intern(literal_str(ptr, len))
}

/// A bytevector literal (`#u8(...)`).
#[no_mangle]
pub extern "C" fn scm_bytevector_literal(ctx: &mut Ctx, ptr: *const u8, len: u64) -> Value {
    ctx.make_bytevector_from(literal_bytes(ptr, len))
}

/// A number literal that is not a fixnum, in its written form (which the
/// compiler produced with the same `number_syntax`).
#[no_mangle]
pub extern "C" fn scm_number_literal(ctx: &mut Ctx, ptr: *const u8, len: u64) -> Value {
    let n = crate::number_syntax::parse(literal_str(ptr, len), 10)
        .expect("the compiler checked the number");
    ctx.number(n)
}

/// Box the double with these bits (the allocation slow path of inline
/// flonum arithmetic).
#[no_mangle]
pub extern "C" fn scm_make_flonum(ctx: &mut Ctx, bits: u64) -> Value {
    ctx.flonum(f64::from_bits(bits))
}

/// Entry of a procedure with a rest parameter: the list of arguments
/// `required..argc`, which the caller stored downwards from `frame` (the
/// address of the return address): argument i is at `frame - 8(i+1)`.
///
/// # Safety
/// `argc` values are stored below `frame`.
#[no_mangle]
pub unsafe extern "C" fn scm_collect_rest(
    ctx: &mut Ctx,
    frame: *const Value,
    argc: u64,
    required: u64,
) -> Value {
    let mut list = Value::NIL;
    for i in (required..argc).rev() {
        // SAFETY: the caller stored `argc` arguments below `frame`.
        let arg = unsafe { *frame.sub(i as usize + 1) };
        list = ctx.cons(arg, list);
    }
    list
}

/// Length of the last argument of `apply`, which must be a proper list.
#[no_mangle]
pub extern "C" fn scm_apply_length(ctx: &mut Ctx, list: Value) -> u64 {
    // The walk checks for a cycle: a circular list is not a proper list.
    let mut walk = crate::primitives::ListWalk::new(list);
    let mut n = 0;
    while let Ok(Some(_)) = walk.next() {
        n += 1;
    }
    if walk.tail() != Value::NIL {
        type_error(ctx, "apply", "a proper list as its last argument", list);
    }
    n
}

/// An inline two-operand fixnum operation got a non-fixnum.
///
/// # Safety
/// `who` is a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn scm_error_fixnum2(
    ctx: &mut Ctx,
    who: *const std::ffi::c_char,
    a: Value,
    b: Value,
) -> ! {
    // SAFETY: the compiler passes a NUL-terminated name.
    let who = unsafe { std::ffi::CStr::from_ptr(who) }
        .to_str()
        .unwrap_or("?")
        .to_owned();
    let bad = if a.is_fixnum() { b } else { a };
    type_error(ctx, &who, "an integer", bad)
}
