use scheme_runtime::scheme_fn;

static mut KEPT: Option<&'static str> = None;

// A `&str` argument borrows the Scheme string for the call only, so it
// cannot be stored beyond it.
#[scheme_fn]
fn keep(s: &str) {
    unsafe { KEPT = Some(s) };
}

fn main() {}
