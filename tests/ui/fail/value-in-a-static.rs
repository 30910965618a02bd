use std::sync::Mutex;

use scheme_runtime::{scheme_fn, Value};

// A static is not seen by the collector: values cannot be kept there
// (keep them in a `Root`).
static KEPT: Mutex<Vec<Value>> = Mutex::new(Vec::new());

#[scheme_fn]
fn keep(v: Value) {
    KEPT.lock().unwrap().push(v);
}

fn main() {}
