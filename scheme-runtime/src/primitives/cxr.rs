//! The `c[ad]r` compositions of three and four steps that `lists.rs` does
//! not define (R7RS `(scheme cxr)`).

use super::lists::cxr;
use crate::rt::Value;
use crate::scheme_fn;

/// (car (car (car x)))
#[scheme_fn]
fn caaar(x: Value) -> Result<Value, String> {
    cxr("aaa", x)
}

/// (car (car (cdr x)))
#[scheme_fn]
fn caadr(x: Value) -> Result<Value, String> {
    cxr("aad", x)
}

/// (car (cdr (car x)))
#[scheme_fn]
fn cadar(x: Value) -> Result<Value, String> {
    cxr("ada", x)
}

/// (cdr (car (car x)))
#[scheme_fn]
fn cdaar(x: Value) -> Result<Value, String> {
    cxr("daa", x)
}

/// (cdr (car (cdr x)))
#[scheme_fn]
fn cdadr(x: Value) -> Result<Value, String> {
    cxr("dad", x)
}

/// (cdr (cdr (car x)))
#[scheme_fn]
fn cddar(x: Value) -> Result<Value, String> {
    cxr("dda", x)
}

/// (car (car (car (car x))))
#[scheme_fn]
fn caaaar(x: Value) -> Result<Value, String> {
    cxr("aaaa", x)
}

/// (car (car (car (cdr x))))
#[scheme_fn]
fn caaadr(x: Value) -> Result<Value, String> {
    cxr("aaad", x)
}

/// (car (car (cdr (car x))))
#[scheme_fn]
fn caadar(x: Value) -> Result<Value, String> {
    cxr("aada", x)
}

/// (car (car (cdr (cdr x))))
#[scheme_fn]
fn caaddr(x: Value) -> Result<Value, String> {
    cxr("aadd", x)
}

/// (car (cdr (car (car x))))
#[scheme_fn]
fn cadaar(x: Value) -> Result<Value, String> {
    cxr("adaa", x)
}

/// (car (cdr (car (cdr x))))
#[scheme_fn]
fn cadadr(x: Value) -> Result<Value, String> {
    cxr("adad", x)
}

/// (car (cdr (cdr (car x))))
#[scheme_fn]
fn caddar(x: Value) -> Result<Value, String> {
    cxr("adda", x)
}

/// (cdr (car (car (car x))))
#[scheme_fn]
fn cdaaar(x: Value) -> Result<Value, String> {
    cxr("daaa", x)
}

/// (cdr (car (car (cdr x))))
#[scheme_fn]
fn cdaadr(x: Value) -> Result<Value, String> {
    cxr("daad", x)
}

/// (cdr (car (cdr (car x))))
#[scheme_fn]
fn cdadar(x: Value) -> Result<Value, String> {
    cxr("dada", x)
}

/// (cdr (car (cdr (cdr x))))
#[scheme_fn]
fn cdaddr(x: Value) -> Result<Value, String> {
    cxr("dadd", x)
}

/// (cdr (cdr (car (car x))))
#[scheme_fn]
fn cddaar(x: Value) -> Result<Value, String> {
    cxr("ddaa", x)
}

/// (cdr (cdr (car (cdr x))))
#[scheme_fn]
fn cddadr(x: Value) -> Result<Value, String> {
    cxr("ddad", x)
}

/// (cdr (cdr (cdr (car x))))
#[scheme_fn]
fn cdddar(x: Value) -> Result<Value, String> {
    cxr("ddda", x)
}

/// (cdr (cdr (cdr (cdr x))))
#[scheme_fn]
fn cddddr(x: Value) -> Result<Value, String> {
    cxr("dddd", x)
}
