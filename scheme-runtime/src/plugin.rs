//! Plugins: shared libraries of `#[scheme_fn]` primitives.
//!
//! A plugin is a `cdylib` that depends on this crate. It exports two
//! functions defined here (so a plugin author writes none):
//! `scm_plugin_header`, a `#[repr(C)]` header checked before anything else
//! is touched (magic, ABI version, layout hash, runtime version), and
//! `scm_plugin_primitives`, the plugin's own descriptors. The compiler
//! loads the library to read the descriptors; the compiled program loads
//! it again at start-up and resolves the primitives it uses.
//!
//! A plugin has no state of its own: every runtime function it runs works
//! on the host's `Ctx`, passed to each call.
//!
//! Search rules (the same at compile time and at run time): a name with a
//! `/` is a path, relative to the source file's directory at compile time
//! and recorded as an absolute path in the executable; a bare name is
//! looked for in each directory of `SCHEME_LIBRARY_PATH`, then in the
//! directory of the source file (compile time) or of the executable (run
//! time), then by the system's loader (`LD_LIBRARY_PATH`, system dirs).

use std::ffi::{c_char, CStr};
use std::path::{Path, PathBuf};

use crate::registry::{PrimDesc, PRIMITIVES};

/// Bumped whenever the plugin interface changes incompatibly.
pub const ABI_VERSION: u32 = 2;
pub const MAGIC: [u8; 8] = *b"SCMPLUG\0";
/// `scheme-runtime X.Y.Z`, NUL-terminated.
pub const RUNTIME_VERSION: &str = concat!("scheme-runtime ", env!("CARGO_PKG_VERSION"), "\0");
const THIS_CRATE: &str = env!("CARGO_CRATE_NAME");

/// The first thing the loader reads from a plugin; its layout never changes.
#[repr(C)]
pub struct PluginHeader {
    pub magic: [u8; 8],
    pub abi_version: u32,
    pub layout_hash: u64,
    pub runtime_version: *const c_char,
}

// SAFETY: the header only points at static, immutable data.
unsafe impl Sync for PluginHeader {}

/// A fingerprint of the layouts that host and plugin share.
pub const fn layout_hash() -> u64 {
    let parts: [u64; 12] = [
        std::mem::size_of::<crate::rt::Ctx>() as u64,
        std::mem::size_of::<PrimDesc>() as u64,
        std::mem::size_of::<crate::registry::ParamDesc>() as u64,
        std::mem::size_of::<crate::port::Port>() as u64,
        std::mem::size_of::<String>() as u64,
        crate::abi::TAG_PAIR,
        crate::abi::TAG_CLOSURE,
        crate::abi::TAG_OBJECT,
        crate::abi::FALSE,
        crate::abi::TYPE_BIGNUM,
        crate::abi::CTX_STACK_LIMIT as u64,
        ABI_VERSION as u64,
    ];
    // FNV-1a over the parts.
    let mut h: u64 = 0xcbf29ce484222325;
    let mut i = 0;
    while i < parts.len() {
        h ^= parts[i];
        h = h.wrapping_mul(0x100000001b3);
        i += 1;
    }
    h
}

static HEADER: PluginHeader = PluginHeader {
    magic: MAGIC,
    abi_version: ABI_VERSION,
    layout_hash: layout_hash(),
    runtime_version: RUNTIME_VERSION.as_ptr() as *const c_char,
};

/// Exported by every plugin (and harmlessly by every program).
#[no_mangle]
pub extern "C" fn scm_plugin_header() -> *const PluginHeader {
    &HEADER
}

/// The plugin's own primitives (the runtime's built-ins left out). Also
/// silences the plugin's panic hook: its trampolines report panics.
///
/// # Safety
/// `len` must be writable.
#[no_mangle]
pub unsafe extern "C" fn scm_plugin_primitives(len: *mut usize) -> *const &'static PrimDesc {
    std::panic::set_hook(Box::new(|_| {}));
    let own: Vec<&'static PrimDesc> = PRIMITIVES
        .iter()
        .filter(|p| p.origin != THIS_CRATE)
        .collect();
    // SAFETY: guaranteed by the caller.
    unsafe { *len = own.len() };
    own.leak().as_ptr()
}

/// Gives the plugin's copy of this crate the host's card table (the write
/// barrier of `Value::set_word` writes there: `heap/cards.rs`). Called by
/// the loader before anything of the plugin runs.
///
/// # Safety
/// `cards` must be the host's `heap::card_table()`.
#[no_mangle]
pub unsafe extern "C" fn scm_plugin_attach(cards: *mut u8) {
    crate::heap::attach_cards(cards);
}

/// A loaded plugin. The library stays loaded for the life of the process
/// (its descriptors are `'static`).
pub struct Plugin {
    pub path: PathBuf,
    pub library: &'static libloading::Library,
    pub primitives: Vec<&'static PrimDesc>,
}

/// Where to look for library `spec`; `base_dir` is the source file's
/// directory (compile time) or the executable's (run time).
pub fn candidates(spec: &str, base_dir: Option<&Path>) -> Vec<PathBuf> {
    if spec.contains('/') {
        let p = Path::new(spec);
        return vec![match base_dir {
            Some(dir) if p.is_relative() => dir.join(p),
            _ => p.to_path_buf(),
        }];
    }
    let mut out = Vec::new();
    if let Some(dirs) = std::env::var_os("SCHEME_LIBRARY_PATH") {
        out.extend(
            std::env::split_paths(&dirs)
                .filter(|d| !d.as_os_str().is_empty())
                .map(|d| d.join(spec)),
        );
    }
    if let Some(dir) = base_dir {
        out.push(dir.join(spec));
    }
    out
}

/// Find and load library `spec` following the search rules.
///
/// # Safety
/// As for [`load`].
pub unsafe fn find_and_load(spec: &str, base_dir: Option<&Path>) -> Result<Plugin, String> {
    let mut tried = Vec::new();
    for path in candidates(spec, base_dir) {
        if path.exists() {
            // SAFETY: guaranteed by the caller.
            return unsafe { load(&path) };
        }
        tried.push(format!("{} (not found)", path.display()));
    }
    if !spec.contains('/') {
        // The system's loader: LD_LIBRARY_PATH and the default directories.
        // SAFETY: guaranteed by the caller.
        match unsafe { load(Path::new(spec)) } {
            Ok(p) => return Ok(p),
            Err(e) => tried.push(format!("system search for {spec}: {e}")),
        }
    }
    Err(format!(
        "cannot load library `{spec}`; tried:\n  {}",
        tried.join("\n  ")
    ))
}

/// Load the plugin at `path`, checking that it was built against a
/// compatible runtime before reading anything else.
///
/// # Safety
/// Loading runs the library's initialisers, and its primitives run when
/// called: the library must be trusted code, as any shared library a
/// program loads.
pub unsafe fn load(path: &Path) -> Result<Plugin, String> {
    let shown = path.display();
    // SAFETY: guaranteed by the caller.
    let library = unsafe { libloading::Library::new(path) }
        .map_err(|e| format!("cannot load {shown}: {e}"))?;
    let library: &'static libloading::Library = Box::leak(Box::new(library));
    // SAFETY: the symbol, if present, has this type in every plugin.
    let header_fn = unsafe { library.get::<extern "C" fn() -> *const PluginHeader>(b"scm_plugin_header\0") }
        .map_err(|_| format!("{shown} is not a Scheme plugin: it does not export `scm_plugin_header` (build it as a cdylib that depends on scheme-runtime)"))?;
    // SAFETY: the header's layout is fixed across versions.
    let header = unsafe { &*header_fn() };
    if header.magic != MAGIC {
        return Err(format!("{shown} is not a Scheme plugin: bad header"));
    }
    // SAFETY: `runtime_version` is a NUL-terminated static string.
    let theirs = unsafe { CStr::from_ptr(header.runtime_version) }
        .to_string_lossy()
        .into_owned();
    let ours = RUNTIME_VERSION.trim_end_matches('\0');
    if header.abi_version != ABI_VERSION || header.layout_hash != layout_hash() {
        return Err(format!(
            "{shown} was built against {theirs} (plugin ABI {}, layout {:016x}), but this program uses {ours} (plugin ABI {ABI_VERSION}, layout {:016x}); rebuild the plugin against this runtime",
            header.abi_version,
            header.layout_hash,
            layout_hash()
        ));
    }
    // SAFETY: the ABI check passed, so the plugin exports this function
    // with this type.
    unsafe {
        let attach = library
            .get::<unsafe extern "C" fn(*mut u8)>(b"scm_plugin_attach\0")
            .map_err(|e| format!("{shown}: missing `scm_plugin_attach`: {e}"))?;
        attach(crate::heap::card_table());
    }
    // SAFETY: the ABI check passed, so the descriptor types match.
    let primitives = unsafe {
        let get = library
            .get::<unsafe extern "C" fn(*mut usize) -> *const &'static PrimDesc>(
                b"scm_plugin_primitives\0",
            )
            .map_err(|e| format!("{shown}: missing `scm_plugin_primitives`: {e}"))?;
        let mut len = 0usize;
        let ptr = get(&mut len);
        std::slice::from_raw_parts(ptr, len).to_vec()
    };
    Ok(Plugin {
        path: path.to_path_buf(),
        library,
        primitives,
    })
}

/// One primitive a compiled program uses from a library: the loader fills
/// in its entry points.
#[repr(C)]
pub struct ImportEntry {
    pub name: *const u8,
    pub name_len: u64,
    /// Receives the array entry (word 2 of the primitive's closure).
    pub array_slot: *mut u64,
    /// Receives the register entry, if the compiler used it (else null).
    pub fast_slot: *mut u64,
}

/// Called by a compiled program at start-up for each `(load-library ...)`:
/// load the library and fill in the entry points of the primitives in
/// `table` (`[count][ImportEntry; count]`).
///
/// # Safety
/// `spec` holds `spec_len` bytes of UTF-8; `table` is laid out as above
/// with writable slots.
#[no_mangle]
pub unsafe extern "C" fn scm_load_library(
    ctx: &mut crate::rt::Ctx,
    spec: *const u8,
    spec_len: u64,
    table: *const u64,
) {
    // SAFETY: guaranteed by the caller.
    let spec = unsafe {
        std::str::from_utf8_unchecked(std::slice::from_raw_parts(spec, spec_len as usize))
    };
    // Units compiled by `eval` later are compiled knowing it.
    let loaded = &mut crate::eval::state(ctx).libraries;
    if !loaded.iter().any(|l| l == spec) {
        loaded.push(spec.to_owned());
    }
    let exe_dir = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(Path::to_path_buf));
    // SAFETY: the compiled program names its libraries: trusted code.
    let plugin = match unsafe { find_and_load(spec, exe_dir.as_deref()) } {
        Ok(p) => p,
        Err(msg) => crate::error::fatal(ctx, &msg),
    };
    // SAFETY: guaranteed by the caller.
    let entries =
        unsafe { std::slice::from_raw_parts(table.add(1) as *const ImportEntry, *table as usize) };
    for e in entries {
        // SAFETY: the compiler emitted the name.
        let name = unsafe {
            std::str::from_utf8_unchecked(std::slice::from_raw_parts(e.name, e.name_len as usize))
        };
        let Some(desc) = plugin.primitives.iter().find(|p| p.name == name) else {
            let msg = format!(
                "{} does not define `{name}` any more; recompile the program",
                plugin.path.display()
            );
            crate::error::fatal(ctx, &msg);
        };
        // SAFETY: the slots are writable words in the program's data.
        unsafe { *e.array_slot = desc.entry as usize as u64 };
        if !e.fast_slot.is_null() {
            let fast = desc.fast_symbol.and_then(|s| {
                let sym = format!("{s}\0");
                // SAFETY: looked up by the symbol the macro exported.
                unsafe { plugin.library.get::<*const ()>(sym.as_bytes()) }
                    .ok()
                    .map(|f| *f as u64)
            });
            match fast {
                // SAFETY: as above.
                Some(f) => unsafe { *e.fast_slot = f },
                None => crate::error::fatal(
                    ctx,
                    &format!("{}: cannot resolve `{name}`", plugin.path.display()),
                ),
            }
        }
    }
}
