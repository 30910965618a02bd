//! `schemec`: compiles Scheme to x86-64 assembly.
//!
//! Passes, in order (each file states its contract):
//! `reader` (text => Sexp), `expand` (Sexp => core Expr, names resolved),
//! `bind_leaves` (leaves of flonum trees into variables), `analyze` (free variables, boxes), `codegen` (Expr => assembly);
//! `driver` runs them and links with the runtime.

pub mod analyze;
pub mod assemble;
pub mod ast;
pub mod bind_leaves;
pub mod codegen;
pub mod diag;
pub mod driver;
pub mod expand;
pub mod foreign;
pub mod inline_calls;
pub mod loader;
pub mod loops;
pub mod new_plugin;
pub mod prelude;
pub mod primitives;
pub mod reader;
pub mod run_cache;
pub mod timing;
pub mod unbox;
