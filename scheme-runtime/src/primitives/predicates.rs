//! R7RS's `boolean=?` and `symbol=?`.

use crate::convert::{Rest, RestSlice};
use crate::rt::Symbol;
use crate::scheme_fn;

/// Are the arguments all the same boolean?
#[scheme_fn(name = "boolean=?")]
fn boolean_eq(first: bool, second: bool, more: RestSlice<bool>) -> Result<bool, String> {
    let mut same = first == second;
    for i in 0..more.values.len() {
        same &= more.get(i)? == first;
    }
    Ok(same)
}

/// Are the arguments all the same symbol?
#[scheme_fn(name = "symbol=?")]
fn symbol_eq(first: Symbol, second: Symbol, more: Rest<Symbol>) -> bool {
    first == second && more.0.iter().all(|&s| s == first)
}
