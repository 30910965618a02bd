//! The registry of primitives. Each primitive registers a descriptor next to
//! its definition (a `linkme` distributed slice); the compiler reads the
//! slice to learn every primitive's name, symbol and arity. Nobody keeps a
//! list of primitives by hand.

use linkme::distributed_slice;

/// `max_args` value of a primitive that takes any number of extra arguments.
pub const VARIADIC: u32 = u32::MAX;

/// What the compiler needs to know to call a primitive.
#[derive(Debug)]
pub struct PrimDesc {
    /// Scheme name, e.g. `string-append`.
    pub name: &'static str,
    /// Linker symbol of its `PrimFn` (see `entry::PrimFn`).
    pub symbol: &'static str,
    pub min_args: u32,
    /// [`VARIADIC`] when there is a rest parameter.
    pub max_args: u32,
    /// One line of documentation.
    pub doc: &'static str,
}

impl PrimDesc {
    pub fn accepts(&self, argc: usize) -> bool {
        argc as u64 >= self.min_args as u64 && (argc as u64) <= self.max_args as u64
    }
    /// Human-readable arity: `2`, `1 to 2`, `at least 1`.
    pub fn arity_text(&self) -> String {
        match (self.min_args, self.max_args) {
            (min, VARIADIC) => format!("at least {min}"),
            (min, max) if min == max => format!("{min}"),
            (min, max) => format!("{min} to {max}"),
        }
    }
}

#[distributed_slice]
pub static PRIMITIVES: [PrimDesc];

/// Look a primitive up by its Scheme name.
pub fn find(name: &str) -> Option<&'static PrimDesc> {
    PRIMITIVES.iter().find(|p| p.name == name)
}
