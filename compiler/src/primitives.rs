//! The primitives the compiler knows: the runtime's built-ins (its
//! registry) and those of the plugin libraries a program loads.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use scheme_runtime::plugin;
use scheme_runtime::registry::{PrimDesc, PRIMITIVES};

/// A plugin library a program loads.
pub struct Library {
    /// How the executable finds it: an absolute path, or a bare name to
    /// search for at run time.
    pub runtime_spec: String,
    pub path: PathBuf,
    pub primitives: Vec<&'static PrimDesc>,
}

pub struct PrimTable {
    by_name: HashMap<&'static str, &'static PrimDesc>,
    /// Where each primitive comes from: `None` for built-ins.
    library_of: HashMap<&'static str, usize>,
    pub libraries: Vec<Library>,
    /// Shared objects of `load-shared-object` (C functions).
    pub shared: crate::foreign::SharedObjects,
}

impl PrimTable {
    /// Every primitive's name.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.by_name.keys().copied()
    }

    /// The runtime's built-in primitives.
    pub fn builtins() -> PrimTable {
        PrimTable {
            by_name: PRIMITIVES.iter().map(|p| (p.name, p)).collect(),
            library_of: HashMap::new(),
            libraries: Vec::new(),
            shared: Default::default(),
        }
    }

    pub fn get(&self, name: &str) -> Option<&'static PrimDesc> {
        self.by_name.get(name).copied()
    }

    /// The index of the library that defines `prim`, if it is not built in.
    pub fn library_of(&self, prim: &PrimDesc) -> Option<usize> {
        self.library_of.get(prim.name).copied()
    }

    /// All primitives, sorted by name.
    pub fn all(&self) -> Vec<&'static PrimDesc> {
        let mut v: Vec<_> = self.by_name.values().copied().collect();
        v.sort_by_key(|p| p.name);
        v
    }

    /// Load library `spec` (searched from `base_dir`) and add its primitives.
    pub fn load_library(&mut self, spec: &str, base_dir: Option<&Path>) -> Result<(), String> {
        // SAFETY: the program names the library to load: it is trusted
        // code, as the program itself.
        let plugin = unsafe { plugin::find_and_load(spec, base_dir)? };
        let index = self.libraries.len();
        for p in &plugin.primitives {
            if let Some(&other) = self.library_of.get(p.name) {
                return Err(format!(
                    "`{}` is defined by both {} and {}",
                    p.name,
                    self.libraries[other].path.display(),
                    plugin.path.display()
                ));
            }
            if self.by_name.contains_key(p.name) {
                return Err(format!(
                    "`{}` in {} clashes with the built-in primitive `{}`",
                    p.name,
                    plugin.path.display(),
                    p.name
                ));
            }
        }
        for p in &plugin.primitives {
            self.by_name.insert(p.name, p);
            self.library_of.insert(p.name, index);
        }
        let runtime_spec = if spec.contains('/') {
            std::fs::canonicalize(&plugin.path)
                .unwrap_or(plugin.path.clone())
                .display()
                .to_string()
        } else {
            spec.to_owned()
        };
        self.libraries.push(Library {
            runtime_spec,
            path: plugin.path,
            primitives: plugin.primitives,
        });
        Ok(())
    }
}

/// The runtime's assembly entry for a built-in that follows the Scheme
/// calling convention itself (it works on the stack, which a Rust function
/// cannot): calls go to its static closure, never to the Rust function.
pub fn scheme_code(prim: &PrimDesc) -> Option<&'static str> {
    match prim.name {
        "call/cc" | "call-with-current-continuation" if prim.origin == "scheme_runtime" => {
            Some("scm_callcc_code")
        }
        _ => None,
    }
}
