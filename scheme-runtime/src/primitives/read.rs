//! `read` (R7RS 6.13.2): one datum from a textual input port, parsed by
//! `datum_syntax` (the compiler's reader too) and built here as values.
//! Malformed text raises a condition that satisfies `read-error?`.
//!
//! Data are built from the front: a list's first pair, or a vector, is
//! allocated before its elements, so a datum label (`#0=(a . #0#)`) can
//! name the object while its elements are read, and everything built so far
//! hangs from a value held in a local (rule 2 of the heap) while the next
//! element is allocated.

use std::collections::HashMap;

use crate::datum_syntax::{Sexp, SexpKind};
use crate::exception::Error;
use crate::port::{port_mut, Port, ReadFailure};
use crate::rt::Ctx;
use crate::rt::Value;
use crate::scheme_fn;

/// The next datum from a port (default: current input), or the end-of-file
/// object when only white space and comments remain.
#[scheme_fn]
pub(super) fn read(ctx: &mut Ctx, port: Option<&mut Port>) -> Result<Value, Error> {
    let port = port.unwrap_or_else(|| port_mut(ctx.current_input));
    match port.read_datum() {
        Ok(Some(datum)) => {
            let mut labels = HashMap::new();
            build(ctx, &datum, &mut labels).map_err(Error::read)
        }
        Ok(None) => Ok(Value::EOF),
        Err(ReadFailure::Syntax(message)) => Err(Error::read(message)),
        Err(ReadFailure::Port(message)) => Err(Error::other(message)),
    }
}

/// The value `datum` denotes. `labels` maps datum labels to their objects;
/// each of them is also reachable from the datum being built.
fn build(ctx: &mut Ctx, datum: &Sexp, labels: &mut HashMap<u64, Value>) -> Result<Value, String> {
    Ok(match &datum.kind {
        SexpKind::Int(n) => Value::fixnum(*n),
        SexpKind::Number(n) => ctx.number(n.clone()),
        SexpKind::Bool(b) => Value::bool(*b),
        SexpKind::Char(c) => Value::char(*c),
        SexpKind::Str(s) => ctx.make_string_from(s),
        SexpKind::Sym(s) => ctx.intern(s),
        SexpKind::Bytevector(b) => ctx.make_bytevector_from(b),
        SexpKind::List(items, tail) => list(ctx, items, tail.as_deref(), None, labels)?,
        SexpKind::Vector(items) => vector(ctx, items, None, labels)?,
        SexpKind::Label(n, inner) => match &inner.kind {
            SexpKind::List(items, tail) if !items.is_empty() => {
                let head = ctx.cons(Value::UNSPECIFIED, Value::NIL);
                labels.insert(*n, head);
                list(ctx, items, tail.as_deref(), Some(head), labels)?
            }
            SexpKind::Vector(items) => {
                let v = ctx.make_vector(items.len(), Value::FALSE);
                labels.insert(*n, v);
                vector(ctx, items, Some(v), labels)?
            }
            SexpKind::LabelRef(m) if m == n => {
                return Err(format!("datum label #{n}= refers to itself"))
            }
            _ => {
                let v = build(ctx, inner, labels)?;
                labels.insert(*n, v);
                v
            }
        },
        SexpKind::LabelRef(n) => match labels.get(n) {
            Some(&v) => v,
            None => return Err(format!("datum label #{n}# is not defined")),
        },
    })
}

/// A list of `items` ending in `tail` (or `()`), its first pair `head` if
/// given (`items` is not empty then).
fn list(
    ctx: &mut Ctx,
    items: &[Sexp],
    tail: Option<&Sexp>,
    head: Option<Value>,
    labels: &mut HashMap<u64, Value>,
) -> Result<Value, String> {
    if items.is_empty() {
        return match tail {
            Some(t) => build(ctx, t, labels),
            None => Ok(Value::NIL),
        };
    }
    let head = match head {
        Some(h) => h,
        None => ctx.cons(Value::UNSPECIFIED, Value::NIL),
    };
    let mut last = head;
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            let pair = ctx.cons(Value::UNSPECIFIED, Value::NIL);
            last.set_cdr(pair);
            last = pair;
        }
        let v = build(ctx, item, labels)?;
        last.set_car(v);
    }
    if let Some(t) = tail {
        let v = build(ctx, t, labels)?;
        last.set_cdr(v);
    }
    Ok(head)
}

/// A vector of `items`, allocated here unless given.
fn vector(
    ctx: &mut Ctx,
    items: &[Sexp],
    v: Option<Value>,
    labels: &mut HashMap<u64, Value>,
) -> Result<Value, String> {
    let v = match v {
        Some(v) => v,
        None => ctx.make_vector(items.len(), Value::FALSE),
    };
    for (i, item) in items.iter().enumerate() {
        let x = build(ctx, item, labels)?;
        v.vector_set(i, x);
    }
    Ok(v)
}
