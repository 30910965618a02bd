//! `schemec`: compiles Scheme to x86-64 assembly.
//!
//! Passes, in order (each file states its contract):
//! `reader` (text => Sexp), `expand` (Sexp => core Expr, names resolved),
//! `analyze` (free variables, boxes), `codegen` (Expr => assembly);
//! `driver` runs them and links with the runtime.

pub mod analyze;
pub mod ast;
pub mod codegen;
pub mod diag;
pub mod driver;
pub mod expand;
pub mod primitives;
pub mod reader;
