//! Runtime of the `schemec` Scheme compiler.
//!
//! Built twice: as a static library linked into every compiled program, and
//! as an rlib from which the compiler reads the ABI constants (`abi`) and
//! the primitive registry (`registry`).

pub mod abi;
pub mod ctx;
pub mod entry;
pub mod error;
pub mod heap;
pub mod integer;
pub mod primitives;
pub mod print;
pub mod registry;
pub mod support;
pub mod text;
pub mod value;

pub use ctx::Ctx;
pub use value::Value;
