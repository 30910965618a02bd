//! The C foreign interface at compile time (issue 16): shared objects the
//! program loads (`load-shared-object`, opened here to check that the
//! functions it names exist) and the signatures of `foreign-procedure` and
//! `foreign-callable` forms, which `codegen/foreign.rs` compiles.

use std::path::Path;

use scheme_runtime::c_ffi::{self, CType, SharedObject};

/// The shared objects a program loads, in order.
#[derive(Default)]
pub struct SharedObjects {
    pub loaded: Vec<SharedObject>,
    /// How the executable finds each: an absolute path or a bare name.
    pub runtime_specs: Vec<String>,
}

impl SharedObjects {
    /// Open `spec` now (relative paths from `base_dir`) and record it.
    pub fn load(&mut self, spec: &str, base_dir: Option<&Path>) -> Result<(), String> {
        // SAFETY: the program names the library: trusted code, as the
        // program itself (the same rule as for plugins).
        let object = unsafe { c_ffi::open_shared_object(spec, base_dir)? };
        let runtime_spec = if spec.contains('/') {
            let path = scheme_runtime::plugin::candidates(spec, base_dir)
                .into_iter()
                .next()
                .unwrap_or_else(|| spec.into());
            std::fs::canonicalize(&path)
                .unwrap_or(path)
                .display()
                .to_string()
        } else {
            spec.to_owned()
        };
        self.loaded.push(object);
        self.runtime_specs.push(runtime_spec);
        Ok(())
    }

    /// `Err` with a message when no loaded object defines C function `name`.
    pub fn check(&self, name: &str) -> Result<(), String> {
        match c_ffi::lookup_symbol(&self.loaded, name) {
            Some(_) => Ok(()),
            None => Err(format!(
                "no C function `{name}` in {} (load the library that defines it first, e.g. `(load-shared-object \"libm.so.6\")`)",
                c_ffi::searched(&self.loaded)
            )),
        }
    }
}

/// A C function's name (for a callable, the name shown in errors) and types.
#[derive(Debug, Clone, PartialEq)]
pub struct ForeignSig {
    pub name: String,
    pub params: Vec<CType>,
    pub result: CType,
}

/// The type named `name`, or a message listing the names.
pub fn parse_type(name: &str) -> Result<CType, String> {
    CType::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = c_ffi::TYPE_NAMES.iter().map(|(n, _)| *n).collect();
        format!(
            "`{name}` is not a foreign type; the types are: {}",
            names.join(" ")
        )
    })
}
