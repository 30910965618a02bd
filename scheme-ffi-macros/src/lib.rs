//! `#[scheme_fn]`: turns a Rust function into a Scheme primitive.
//!
//! Not written yet (issue 3); the crate exists so the workspace layout is
//! final from the start.
