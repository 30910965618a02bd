//! `#[scheme_fn]` at compile time: every misuse fails with its own spanned
//! message (`ui/fail/<message>.rs` and its `.stderr`), and the accepted
//! forms compile, register and run (`ui/pass/`).

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/fail/*.rs");
    t.pass("ui/pass/*.rs");
}
