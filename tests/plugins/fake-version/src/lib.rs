//! Exports a plugin header from an incompatible runtime (ABI 999), as a
//! plugin built against another version would.

use std::ffi::c_char;

#[repr(C)]
pub struct PluginHeader {
    magic: [u8; 8],
    abi_version: u32,
    layout_hash: u64,
    runtime_version: *const c_char,
}

// SAFETY: points at static data only.
unsafe impl Sync for PluginHeader {}

static HEADER: PluginHeader = PluginHeader {
    magic: *b"SCMPLUG\0",
    abi_version: 999,
    layout_hash: 0x1234,
    runtime_version: c"scheme-runtime 0.0.1-old".as_ptr(),
};

#[no_mangle]
pub extern "C" fn scm_plugin_header() -> *const PluginHeader {
    &HEADER
}
