//! Calling C without Rust (issue 16): the C types that `foreign-procedure`
//! and `foreign-callable` name, shared objects and their symbols (the
//! compiler checks them at compile time, the program resolves them at
//! start-up, one implementation), and the conversions that compiled
//! foreign procedures leave to the runtime (their fast paths are inline).
//!
//! A foreign procedure is compiled code (`compiler/src/codegen/foreign.rs`):
//! it converts its arguments, calls the C function through a slot that
//! `scm_load_shared_objects` fills at start-up, and converts the result.

use std::ffi::CStr;
use std::path::{Path, PathBuf};

use num_bigint::BigInt;
use num_traits::ToPrimitive;

use crate::abi::ProcInfo;
use crate::exception::{raise_error, type_condition};
use crate::integer::Integer;
use crate::number::Number;
use crate::rt::Ctx;
use crate::rt::Value;

/// A C type as `foreign-procedure` and `foreign-callable` name it. The
/// compiler passes `code()` to the runtime's conversions.
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CType {
    I8,
    U8,
    I16,
    U16,
    I32,
    U32,
    I64,
    U64,
    Float,
    Double,
    /// A C `int`: 0 is `#f`, anything else `#t`; any value converts.
    Boolean,
    /// An 8-bit C `char`: a character below 256.
    Char,
    /// `char*`: a NUL-terminated UTF-8 copy (argument), copied into a
    /// Scheme string (result); `#f` is NULL.
    String,
    /// A bytevector passed by the address of its bytes; `#f` is NULL.
    U8Ptr,
    /// An address, as an exact integer (as in Chez Scheme).
    VoidPtr,
    /// The value's word itself.
    SchemeObject,
    /// Only as a result: the procedure returns no useful value.
    Void,
}

const ALL: [CType; 17] = [
    CType::I8,
    CType::U8,
    CType::I16,
    CType::U16,
    CType::I32,
    CType::U32,
    CType::I64,
    CType::U64,
    CType::Float,
    CType::Double,
    CType::Boolean,
    CType::Char,
    CType::String,
    CType::U8Ptr,
    CType::VoidPtr,
    CType::SchemeObject,
    CType::Void,
];

/// Every type name accepted, with its meaning on x86-64 Linux (LP64).
pub const TYPE_NAMES: &[(&str, CType)] = &[
    ("integer-8", CType::I8),
    ("unsigned-8", CType::U8),
    ("integer-16", CType::I16),
    ("unsigned-16", CType::U16),
    ("integer-32", CType::I32),
    ("unsigned-32", CType::U32),
    ("integer-64", CType::I64),
    ("unsigned-64", CType::U64),
    ("short", CType::I16),
    ("unsigned-short", CType::U16),
    ("int", CType::I32),
    ("unsigned", CType::U32),
    ("unsigned-int", CType::U32),
    ("long", CType::I64),
    ("unsigned-long", CType::U64),
    ("long-long", CType::I64),
    ("unsigned-long-long", CType::U64),
    ("iptr", CType::I64),
    ("uptr", CType::U64),
    ("size_t", CType::U64),
    ("ssize_t", CType::I64),
    ("ptrdiff_t", CType::I64),
    ("float", CType::Float),
    ("single-float", CType::Float),
    ("double", CType::Double),
    ("double-float", CType::Double),
    ("boolean", CType::Boolean),
    ("char", CType::Char),
    ("string", CType::String),
    ("utf-8", CType::String),
    ("u8*", CType::U8Ptr),
    ("void*", CType::VoidPtr),
    ("scheme-object", CType::SchemeObject),
    ("void", CType::Void),
];

impl CType {
    pub fn from_name(name: &str) -> Option<CType> {
        TYPE_NAMES.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
    }

    pub fn code(self) -> u8 {
        self as u8
    }

    pub fn from_code(code: u8) -> Option<CType> {
        ALL.get(code as usize).copied()
    }

    /// Passed in an SSE register (`xmm`), not an integer one.
    pub fn is_float(self) -> bool {
        matches!(self, CType::Float | CType::Double)
    }

    /// Bits and signedness of an integer type.
    pub fn integer(self) -> Option<(u32, bool)> {
        Some(match self {
            CType::I8 => (8, true),
            CType::U8 => (8, false),
            CType::I16 => (16, true),
            CType::U16 => (16, false),
            CType::I32 => (32, true),
            CType::U32 => (32, false),
            CType::I64 => (64, true),
            CType::U64 | CType::VoidPtr => (64, false),
            _ => return None,
        })
    }

    /// The name errors use (the first of its names in `TYPE_NAMES`).
    pub fn name(self) -> &'static str {
        TYPE_NAMES
            .iter()
            .find(|(_, t)| *t == self)
            .map_or("?", |(n, _)| n)
    }

    /// Size in bytes as `foreign-sizeof` reports it.
    pub fn size(self) -> usize {
        match self {
            CType::I8 | CType::U8 | CType::Char => 1,
            CType::I16 | CType::U16 => 2,
            CType::I32 | CType::U32 | CType::Float | CType::Boolean => 4,
            CType::Void => 0,
            _ => 8,
        }
    }

    /// The range of an integer type.
    pub fn range(self) -> Option<(i128, i128)> {
        let (bits, signed) = self.integer()?;
        Some(if signed {
            (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1)
        } else {
            (0, (1i128 << bits) - 1)
        })
    }

    /// What an argument of this type must be, for error messages.
    pub fn expected(self) -> String {
        match self {
            CType::Float | CType::Double => "real number".into(),
            CType::Char => "character below 256".into(),
            CType::String => "string or #f".into(),
            CType::U8Ptr => "bytevector or #f".into(),
            _ => match self.range() {
                Some((lo, hi)) => format!("exact integer in [{lo}, {hi}]"),
                None => "value".into(),
            },
        }
    }
}

/// Raw C bits of `v` as an argument of type `t`, or `None` when `v` does
/// not convert. `String` is handled by [`c_string_bytes`].
pub fn to_c(v: Value, t: CType) -> Option<u64> {
    if let Some((lo, hi)) = t.range() {
        let n: i128 = match Integer::of(v)? {
            Integer::Fix(n) => n as i128,
            Integer::Big(b) => b.to_i128()?,
        };
        return (lo..=hi).contains(&n).then_some(n as u64);
    }
    match t {
        CType::Double | CType::Float => {
            let f = Number::of(v)?.to_f64();
            Some(if t == CType::Float {
                (f as f32).to_bits() as u64
            } else {
                f.to_bits()
            })
        }
        CType::Boolean => Some((v != Value::FALSE) as u64),
        CType::Char if v.is_char() && (v.as_char() as u32) < 256 => Some(v.as_char() as u64),
        CType::U8Ptr if v.is_bytevector() => Some(crate::bytevector::bytes(v).as_ptr() as u64),
        CType::U8Ptr if v == Value::FALSE => Some(0),
        CType::SchemeObject => Some(v.0),
        _ => None,
    }
}

/// The Scheme value of the raw C bits `raw` of type `t`, `Err` with what
/// is wrong when they do not make one (a string that is not UTF-8).
pub fn from_c(ctx: &mut Ctx, raw: u64, t: CType) -> Value {
    match t {
        CType::I8 => Value::fixnum(raw as i8 as i64),
        CType::U8 => Value::fixnum(raw as u8 as i64),
        CType::I16 => Value::fixnum(raw as i16 as i64),
        CType::U16 => Value::fixnum(raw as u16 as i64),
        CType::I32 => Value::fixnum(raw as i32 as i64),
        CType::U32 => Value::fixnum(raw as u32 as i64),
        CType::I64 => ctx.integer(Integer::Fix(raw as i64)),
        CType::U64 | CType::VoidPtr | CType::U8Ptr => ctx.integer(Integer::Big(BigInt::from(raw))),
        CType::Float => ctx.flonum(f32::from_bits(raw as u32) as f64),
        CType::Double => ctx.flonum(f64::from_bits(raw)),
        CType::Boolean => Value::bool(raw as u32 != 0),
        CType::Char => Value::char(raw as u8 as char),
        CType::String if raw == 0 => Value::FALSE,
        CType::String => {
            // SAFETY: the C function returned a NUL-terminated string (its
            // declared type); it is read before anything else runs.
            let s = unsafe { CStr::from_ptr(raw as *const std::ffi::c_char) };
            let text = String::from_utf8_lossy(s.to_bytes()).into_owned();
            ctx.make_string_from(&text)
        }
        // The C side promised a value (Chez's `scheme-object`): only
        // values that compiled code handed out can come back.
        CType::SchemeObject => Value::from_bits(raw),
        CType::Void => Value::UNSPECIFIED,
    }
}

/// The bytes of `v` as a C string argument: its UTF-8 text and a NUL;
/// `Ok(None)` for `#f` (NULL); `Err` when it is neither or holds a NUL.
pub fn c_string_bytes(v: Value) -> Result<Option<Vec<u8>>, &'static str> {
    if v == Value::FALSE {
        return Ok(None);
    }
    if !v.is_string() {
        return Err("string or #f");
    }
    let text = crate::text::string_str(v);
    if text.contains('\0') {
        return Err("string without NUL characters");
    }
    let mut bytes = Vec::with_capacity(text.len() + 1);
    bytes.extend_from_slice(text.as_bytes());
    bytes.push(0);
    Ok(Some(bytes))
}

fn proc_name<'a>(info: *const ProcInfo) -> &'a str {
    // SAFETY: compiled foreign procedures pass their own `ProcInfo`.
    unsafe {
        let info = &*info;
        std::str::from_utf8(std::slice::from_raw_parts(
            info.name,
            info.name_len as usize,
        ))
        .unwrap_or("?")
    }
}

#[cold]
fn argument_error(
    ctx: &mut Ctx,
    info: *const ProcInfo,
    position: u64,
    expected: &str,
    v: Value,
) -> ! {
    let c = type_condition(
        ctx,
        proc_name(info),
        Some(position as usize),
        None,
        expected,
        v,
    );
    raise_error(ctx, c)
}

/// A compiled foreign procedure's argument that the inline fast path did
/// not convert: `code` is the type's code plus the argument's position
/// (1-based) shifted left by 8. Raises the argument error.
#[no_mangle]
pub extern "C" fn scm_foreign_arg(
    ctx: &mut Ctx,
    v: Value,
    code: u64,
    info: *const ProcInfo,
) -> u64 {
    let t = CType::from_code(code as u8).expect("the compiler emits valid type codes");
    match to_c(v, t) {
        Some(raw) => raw,
        None => argument_error(ctx, info, code >> 8, &t.expected(), v),
    }
}

/// A `string` argument: a bytevector holding its UTF-8 text and a NUL
/// (the compiled code keeps it in its frame for the call and passes the
/// address of its bytes), or `#f` for `#f` (NULL).
#[no_mangle]
pub extern "C" fn scm_foreign_string_arg(
    ctx: &mut Ctx,
    v: Value,
    code: u64,
    info: *const ProcInfo,
) -> Value {
    match c_string_bytes(v) {
        Ok(Some(bytes)) => ctx.make_bytevector_from(&bytes),
        Ok(None) => Value::FALSE,
        Err(expected) => argument_error(ctx, info, code >> 8, expected, v),
    }
}

/// A compiled foreign procedure's result that the inline path did not
/// convert (an integer outside the fixnum range, a string, a float).
#[no_mangle]
pub extern "C" fn scm_foreign_result(ctx: &mut Ctx, raw: u64, code: u64) -> Value {
    let t = CType::from_code(code as u8).expect("the compiler emits valid type codes");
    from_c(ctx, raw, t)
}

// ---- shared objects ----------------------------------------------------

/// A shared library opened by `load-shared-object`; it stays loaded for
/// the life of the process.
pub struct SharedObject {
    /// The name it was given, as shown in messages.
    pub spec: String,
    library: libloading::Library,
}

/// Open shared library `spec`: a path (relative to `base_dir`), or a bare
/// name searched in `SCHEME_LIBRARY_PATH`, then `base_dir`, then by the
/// system's loader (`LD_LIBRARY_PATH`, the default directories): the rules
/// of plugins. `Err` lists the paths tried.
///
/// # Safety
/// Opening runs the library's initialisers: it must be trusted code.
pub unsafe fn open_shared_object(
    spec: &str,
    base_dir: Option<&Path>,
) -> Result<SharedObject, String> {
    let mut tried = Vec::new();
    let mut attempts: Vec<PathBuf> = crate::plugin::candidates(spec, base_dir);
    if !spec.contains('/') {
        attempts.push(PathBuf::from(spec));
    }
    for path in attempts {
        let system = path.as_os_str() == spec && !spec.contains('/');
        if !system && !path.exists() {
            tried.push(format!("{} (not found)", path.display()));
            continue;
        }
        // SAFETY: guaranteed by the caller.
        match unsafe { libloading::Library::new(&path) } {
            Ok(library) => {
                return Ok(SharedObject {
                    spec: spec.to_owned(),
                    library,
                })
            }
            Err(e) if system => tried.push(format!("system search for {spec}: {e}")),
            Err(e) => tried.push(format!("{}: {e}", path.display())),
        }
    }
    Err(format!(
        "cannot load shared object `{spec}`; tried:\n  {}",
        tried.join("\n  ")
    ))
}

/// The address of C function `name`: from the shared objects in order,
/// then from the program itself and the libraries it links (the C
/// library, libm).
pub fn lookup_symbol(objects: &[SharedObject], name: &str) -> Option<u64> {
    let sym = format!("{name}\0");
    for o in objects {
        // SAFETY: only the address is read; nothing is called here.
        if let Ok(f) = unsafe { o.library.get::<*const ()>(sym.as_bytes()) } {
            return Some(*f as u64);
        }
    }
    let this = libloading::os::unix::Library::this();
    // SAFETY: as above.
    unsafe { this.get::<*const ()>(sym.as_bytes()) }
        .ok()
        .map(|f| *f as u64)
}

/// Where a C function is looked for, for messages: `libm.so.6, the C library`.
pub fn searched(objects: &[SharedObject]) -> String {
    let mut names: Vec<String> = objects.iter().map(|o| format!("`{}`", o.spec)).collect();
    names.push("the C library".into());
    names.join(", ")
}

#[repr(C)]
struct SymbolEntry {
    name: *const u8,
    name_len: u64,
    slot: *mut u64,
}

fn literal<'a>(ptr: *const u8, len: u64) -> &'a str {
    // SAFETY: the compiler emits valid UTF-8 of exactly `len` bytes.
    unsafe { std::str::from_utf8_unchecked(std::slice::from_raw_parts(ptr, len as usize)) }
}

/// Start-up: open the program's shared objects (`objects`: count, then
/// pointer and length of each spec) and fill each foreign procedure's slot
/// (`symbols`: count, then name, length, slot). A failure ends the program
/// naming the library or function and where it looked.
///
/// # Safety
/// The tables are the compiler's, laid out as above.
#[no_mangle]
pub unsafe extern "C" fn scm_load_shared_objects(
    ctx: &mut Ctx,
    objects: *const u64,
    symbols: *const u64,
) {
    let exe_dir = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(Path::to_path_buf));
    let mut opened = Vec::new();
    // SAFETY: guaranteed by the caller.
    let specs =
        unsafe { std::slice::from_raw_parts(objects.add(1) as *const [u64; 2], *objects as usize) };
    for &[ptr, len] in specs {
        let spec = literal(ptr as *const u8, len);
        // SAFETY: the program names its libraries: trusted code.
        match unsafe { open_shared_object(spec, exe_dir.as_deref()) } {
            Ok(o) => opened.push(o),
            Err(msg) => crate::error::fatal(ctx, &msg),
        }
    }
    // SAFETY: guaranteed by the caller.
    let entries = unsafe {
        std::slice::from_raw_parts(symbols.add(1) as *const SymbolEntry, *symbols as usize)
    };
    for e in entries {
        let name = literal(e.name, e.name_len);
        match lookup_symbol(&opened, name) {
            // SAFETY: the slot is a writable word of the program's data.
            Some(addr) => unsafe { *e.slot = addr },
            None => {
                let msg = format!("no C function `{name}` in {}", searched(&opened));
                crate::error::fatal(ctx, &msg)
            }
        }
    }
    // The libraries stay loaded: their functions are called until exit.
    std::mem::forget(opened);
}
