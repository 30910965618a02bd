//! The registry of primitives. Every `#[scheme_fn]` adds a descriptor to
//! the `PRIMITIVES` distributed slice (linkme); the compiler reads it to
//! learn each primitive's name, symbols, arity and types. Nobody keeps a
//! list of primitives by hand.

use linkme::distributed_slice;

use crate::entry::PrimFn;

/// `max_args` value of a primitive that takes any number of extra arguments.
pub const VARIADIC: u32 = u32::MAX;

/// A parameter as Scheme sees it.
#[derive(Debug, Clone, Copy)]
pub struct ParamDesc {
    /// The parameter's name, as written in the Rust function.
    pub name: &'static str,
    /// What the argument must be: `integer`, `string`, `(list-of
    /// string)`, `any`, ... (a function: the names of generic types are
    /// built at run time).
    pub type_name: fn() -> String,
}

/// What the compiler needs to know to call a primitive.
#[derive(Debug)]
pub struct PrimDesc {
    /// Scheme name, e.g. `string-append`.
    pub name: &'static str,
    /// Linker symbol of the array entry, a `PrimFn` (`entry`).
    pub symbol: &'static str,
    /// Linker symbol of the register entry `(Ctx*, Value, ...) -> Value`,
    /// for fixed arity up to 5.
    pub fast_symbol: Option<&'static str>,
    /// The array entry itself (what `symbol` names).
    pub entry: PrimFn,
    /// Number of required parameters.
    pub min_args: u32,
    /// [`VARIADIC`] when there is a rest parameter.
    pub max_args: u32,
    /// Required then optional parameters.
    pub params: &'static [ParamDesc],
    /// The rest parameter, if there is one.
    pub rest: Option<ParamDesc>,
    /// What it returns: `string`, `unspecified`, ...
    pub result: fn() -> String,
    /// The function's doc comment.
    pub doc: &'static str,
    /// The crate that defined it.
    pub origin: &'static str,
    /// Whether its calls hold what they get (`scope.rs`): every plugin
    /// primitive; of the runtime's own, those that take `&mut Ctx` and a
    /// borrowed argument (the rest are audited to keep values in locals,
    /// and `Ctx::keep` them where they do not).
    pub holds: bool,
}

impl PrimDesc {
    /// Does a call with `argc` arguments fit the arity?
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

    /// `(string-repeat s n)`, with `[opt]` and `rest ...`.
    pub fn signature(&self) -> String {
        let mut s = format!("({}", self.name);
        for (i, p) in self.params.iter().enumerate() {
            if i < self.min_args as usize {
                s.push_str(&format!(" {}", p.name));
            } else {
                s.push_str(&format!(" [{}]", p.name));
            }
        }
        if let Some(r) = &self.rest {
            s.push_str(&format!(" {} ...", r.name));
        }
        s.push(')');
        s
    }

    /// `s: string, n: integer -> string`.
    pub fn types(&self) -> String {
        let mut parts: Vec<String> = self
            .params
            .iter()
            .map(|p| format!("{}: {}", p.name, (p.type_name)()))
            .collect();
        if let Some(r) = &self.rest {
            parts.push(format!("{} ...: {}", r.name, (r.type_name)()));
        }
        format!("{} -> {}", parts.join(", "), (self.result)())
    }
}

/// Every `#[scheme_fn]` linked into this binary (the runtime's own included).
#[distributed_slice]
pub static PRIMITIVES: [PrimDesc];

/// Look a primitive up by its Scheme name.
pub fn find(name: &str) -> Option<&'static PrimDesc> {
    PRIMITIVES.iter().find(|p| p.name == name)
}
