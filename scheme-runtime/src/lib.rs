//! Runtime of the `schemec` Scheme compiler, and the library that Rust
//! code uses to expose functions to Scheme.
//!
//! Built twice: as a static library linked into every compiled program, and
//! as an rlib from which the compiler reads the ABI constants (`abi`) and
//! the primitive registry (`registry`), and on which plugins depend.
//!
//! ```ignore
//! use scheme_runtime::scheme_fn;
//!
//! /// Repeat `s` `n` times.
//! #[scheme_fn]
//! fn string_repeat(s: &str, n: usize) -> String {
//!     s.repeat(n)
//! }
//! ```

// Lets `#[scheme_fn]`'s `::scheme_runtime::...` paths work inside this crate.
extern crate self as scheme_runtime;

pub mod abi;
pub mod backtrace;
pub mod bytevector;
pub mod control;
pub mod convert;
pub mod ctx;
pub mod datum_syntax;
pub mod entry;
pub mod error;
pub mod exception;
pub mod foreign;
pub mod hashtable;
pub mod heap;
pub mod integer;
pub mod number;
pub mod number_syntax;
pub mod plugin;
pub mod port;
pub mod primitives;
pub mod print;
pub mod record;
pub mod registry;
pub mod support;
pub mod text;
pub mod value;

#[doc(hidden)]
pub mod __private;

pub use control::Exception;
pub use convert::{
    Bytevector, FromScheme, Hashtable, IntoScheme, List, Optional, Pair, Procedure, Raise, Rest,
    RestSlice, SchemeString, Symbol, Truthy, Vector,
};
pub use ctx::Ctx;
pub use exception::Error;
pub use foreign::SchemeObject;
pub use heap::Root;
pub use integer::Integer;
pub use number::Number;
pub use scheme_ffi_macros::scheme_fn;
pub use value::Value;

/// The big-number crates whose types cross the boundary (`BigInt`,
/// `BigRational`), re-exported so plugins use the same versions.
pub use {num_bigint, num_rational};
