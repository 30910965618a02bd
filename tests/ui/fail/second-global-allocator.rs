// A plugin shares Rust collections with the program that loads it, so both
// must allocate from the same (system) allocator: scheme-runtime sets it,
// and a second one is refused.
extern crate scheme_runtime;

#[global_allocator]
static FAST: std::alloc::System = std::alloc::System;

fn main() {}
