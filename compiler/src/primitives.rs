//! The primitives the compiler knows: every descriptor in the runtime's
//! registry (and, later, those of loaded plugins), by Scheme name.

use std::collections::HashMap;

use scheme_runtime::registry::{PrimDesc, PRIMITIVES};

pub struct PrimTable {
    by_name: HashMap<&'static str, &'static PrimDesc>,
}

impl PrimTable {
    /// The runtime's built-in primitives.
    pub fn builtins() -> PrimTable {
        PrimTable {
            by_name: PRIMITIVES.iter().map(|p| (p.name, p)).collect(),
        }
    }

    pub fn get(&self, name: &str) -> Option<&'static PrimDesc> {
        self.by_name.get(name).copied()
    }

    /// All primitives, sorted by name.
    pub fn all(&self) -> Vec<&'static PrimDesc> {
        let mut v: Vec<_> = self.by_name.values().copied().collect();
        v.sort_by_key(|p| p.name);
        v
    }
}
