//! Runtime of the `schemec` Scheme compiler, and the library that Rust
//! code uses to expose functions to Scheme.
//!
//! Built twice: as a static library linked into every compiled program, and
//! as an rlib from which the compiler reads the ABI constants (`abi`) and
//! the primitive registry (`registry`), and on which plugins depend.
//!
//! ```
//! use scheme_runtime::{registry, scheme_fn, scheme_methods, SchemeObject, SchemeRecord};
//!
//! /// Repeat `s` `n` times.
//! #[scheme_fn]
//! fn string_repeat(s: &str, n: usize) -> String {      // (string-repeat "ab" 3)
//!     s.repeat(n)
//! }
//!
//! /// A counter Scheme holds as an object.
//! struct Counter(i64);
//! impl SchemeObject for Counter {
//!     const TYPE_NAME: &'static str = "counter";
//! }
//!
//! #[scheme_methods]
//! impl Counter {
//!     #[new]
//!     fn new() -> Self {                                  // (make-counter)
//!         Counter(0)
//!     }
//!     fn bump(&mut self) -> i64 {                         // (counter-bump! c)
//!         self.0 += 1;
//!         self.0
//!     }
//! }
//!
//! /// A point, passed by value as a Scheme record.
//! #[derive(SchemeRecord)]
//! struct Point {                                          // (make-point 1.0 2.0)
//!     x: f64,
//!     y: f64,
//! }
//!
//! // The functions stay ordinary Rust, and each is registered for the
//! // compiler with its Scheme name and types.
//! assert_eq!(string_repeat("ab", 3), "ababab");
//! let d = registry::find("string-repeat").expect("registered");
//! assert_eq!(d.types(), "s: string, n: non-negative integer -> string");
//! assert_eq!(registry::find("counter-bump!").unwrap().types(), "counter: counter -> integer");
//! assert_eq!(registry::find("point-x").unwrap().signature(), "(point-x point)");
//! ```
//!
//! # Safety
//!
//! Safe Rust against this API cannot cause undefined behaviour. Values
//! carry the lifetime of the call that got them ([`Value<'s>`](Value),
//! [`Ctx<'s>`](Ctx), the handles; `#[scheme_fn]` writes it into the
//! signature where it is left out), so a value kept past its call without
//! a [`Root`] or a [`Traced`] (in a `thread_local`, a foreign object's
//! field) does not compile. Every value a call gets (allocated through
//! [`Ctx`], returned by [`Ctx::call`], read with [`Ctx::car`] and the
//! other accessors, converted from an argument) stays alive until the
//! call returns, wherever Rust keeps it; borrowed arguments (`&str`,
//! `&[u8]`, `&T` of a [`SchemeObject`]) are borrow-checked at run time and
//! cannot dangle or change under Rust; panics anywhere in a call, in
//! conversions and in a foreign object's `Drop` or `trace` are caught. A
//! [`Traced`] value that its object's `trace` does not mark is collected
//! and reads as `None`. The only `unsafe` APIs are [`plugin::load`] (it
//! runs a library's code) and what `#[scheme_fn]` expansions call.

// Lets `#[scheme_fn]`'s `::scheme_runtime::...` paths work inside this crate.
#![warn(missing_docs)]
extern crate self as scheme_runtime;

#[allow(missing_docs)] // compiler-facing: layouts and tables the compiler reads
pub mod abi;
pub(crate) mod access;
pub mod backtrace;
pub(crate) mod bytevector;
#[allow(missing_docs)] // compiler-facing: layouts and tables the compiler reads
pub mod c_callable;
#[allow(missing_docs)] // compiler-facing: layouts and tables the compiler reads
pub mod c_ffi;
pub mod callback;
pub(crate) mod control;
pub mod convert;
pub mod convert_std;
pub mod ctx;
#[allow(missing_docs)] // compiler-facing: layouts and tables the compiler reads
pub mod datum_syntax;
pub mod diagnostic;
pub(crate) mod entry;
pub(crate) mod error;
pub(crate) mod eval;
pub(crate) mod exception;
pub mod foreign;
pub(crate) mod hashtable;
pub(crate) mod heap;
pub(crate) mod integer;
pub(crate) mod number;
#[allow(missing_docs)] // compiler-facing: layouts and tables the compiler reads
pub mod number_syntax;
#[allow(missing_docs)] // compiler-facing: layouts and tables the compiler reads
pub mod plugin;
pub(crate) mod port;
pub(crate) mod primitives;
pub(crate) mod print;
pub(crate) mod record;
pub mod registry;
pub(crate) mod repl;
pub(crate) mod scope;
pub(crate) mod support;
pub(crate) mod text;
pub mod value;

/// The runtime's own code works at one brand, `'static`: it is trusted to
/// keep values only where the collector sees them. Public methods take and
/// give values at the caller's brand (see [`Value`]).
pub(crate) mod rt {
    /// A value at the runtime's brand.
    pub(crate) type Value = crate::value::Value<'static>;
    /// The context at the runtime's brand.
    pub(crate) type Ctx = crate::ctx::Ctx<'static>;
    pub(crate) type Pair = crate::convert::Pair<'static>;
    pub(crate) type Vector = crate::convert::Vector<'static>;
    pub(crate) type Symbol = crate::convert::Symbol<'static>;
    pub(crate) type Procedure = crate::convert::Procedure<'static>;
    pub(crate) type Bytevector = crate::convert::Bytevector<'static>;
    pub(crate) type Hashtable = crate::convert::Hashtable<'static>;
    pub(crate) type SchemeString = crate::convert::SchemeString<'static>;
    pub(crate) type List = crate::convert::List<'static>;
}

#[doc(hidden)]
pub mod __private;

pub use access::AlreadyBorrowed;
pub use callback::IntoArgs;
pub use control::Exception;
pub use convert::{
    Args, Bytevector, FromScheme, Hashtable, IntoScheme, List, Optional, Pair, Plain, Procedure,
    Raise, Rest, RestSlice, SchemeString, Symbol, Truthy, Vector,
};
pub use ctx::Ctx;
pub use exception::Error;
pub use foreign::{SchemeObject, Tracer};
pub use heap::{Root, Traced};
pub use integer::Integer;
pub use number::Number;
pub use primitives::system::FEATURES;
pub use record::{RecordOf, SchemeRecord};
pub use scheme_ffi_macros::{scheme_fn, scheme_methods, SchemeRecord, SchemeSymbol};
pub use value::Value;

/// Every process that links this crate (a compiled program, `schemec`, a
/// plugin) allocates Rust memory from the system allocator. A plugin runs
/// its own copy of the runtime's code on the program's `Ctx`, so either
/// side may grow or free a collection the other made (the output buffer,
/// the handle scope, the symbol table...), and the registry hands the
/// compiler `String`s a plugin made. Setting the allocator here makes that
/// shared allocator a rule the compiler enforces: a second
/// `#[global_allocator]` anywhere in a plugin's or program's crate graph is
/// a compile error ("conflicts with global allocator in: scheme_runtime").
#[global_allocator]
static SYSTEM_ALLOCATOR: std::alloc::System = std::alloc::System;

/// The big-number crates whose types cross the boundary (`BigInt`,
/// `BigRational`), re-exported so plugins use the same versions.
pub use {num_bigint, num_rational};
