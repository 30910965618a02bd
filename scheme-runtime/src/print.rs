//! The printed forms of values, as `display` and `write` show them (R7RS).
//!
//! Datum labels (R7RS 6.13.3): `write` and `display` label only the pairs
//! and vectors that are part of a cycle (`#0=(a . #0#)`), so they always
//! terminate; `write-shared` labels every pair or vector reached twice;
//! `write-simple` labels nothing (and loops on a cycle). Finding the
//! labels is one walk over the pairs and vectors of the datum, with an
//! explicit stack (a long list needs no deep recursion).

use std::collections::HashMap;
use std::fmt::Write;

use crate::abi::*;
use crate::rt::Value;
use crate::text::{string_str, symbol_str};
use crate::value::Kind;

/// Which objects get datum labels.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Labels {
    /// None (`write-simple`).
    None,
    /// Those on a cycle (`write`, `display`).
    Cycles,
    /// Every one reached more than once (`write-shared`).
    Shared,
}

/// Append the printed form of `v` to `out`; `write` selects machine-readable
/// syntax for strings, characters and symbols. Cycles are labelled.
pub fn print(out: &mut String, v: Value, write: bool) {
    print_labelled(out, v, write, Labels::Cycles)
}

/// `print` with the given choice of datum labels.
pub fn print_labelled(out: &mut String, v: Value, write: bool, labels: Labels) {
    let mut p = Printer {
        out,
        write,
        labels: find_labels(v, labels),
        next_label: 0,
    };
    p.print(v);
}

/// The pairs and vectors to label (`None`: no label written yet).
type LabelTable = HashMap<u64, Option<usize>>;

fn is_compound(v: Value) -> bool {
    v.is_pair() || (v.is_vector() && v.header_length() > 0)
}

/// The objects of `v` that need labels under `mode`.
fn find_labels(v: Value, mode: Labels) -> LabelTable {
    let mut labels = LabelTable::new();
    if mode == Labels::None || !is_compound(v) {
        return labels;
    }
    // Depth-first; `open` marks the objects on the current path.
    let mut open: HashMap<u64, bool> = HashMap::new();
    let mut stack: Vec<(Value, usize)> = vec![(v, 0)];
    open.insert(v.0, true);
    while let Some(top) = stack.last_mut() {
        let (obj, i) = *top;
        let n = if obj.is_pair() {
            2
        } else {
            obj.header_length()
        };
        if i == n {
            open.insert(obj.0, false);
            stack.pop();
            continue;
        }
        top.1 += 1;
        let child = if obj.is_pair() {
            if i == 0 {
                obj.car()
            } else {
                obj.cdr()
            }
        } else {
            obj.vector_ref(i)
        };
        if !is_compound(child) {
            continue;
        }
        match open.get(&child.0) {
            Some(&on_path) => {
                if on_path || mode == Labels::Shared {
                    labels.insert(child.0, None);
                }
            }
            None => {
                open.insert(child.0, true);
                stack.push((child, 0));
            }
        }
    }
    labels
}

struct Printer<'a> {
    out: &'a mut String,
    write: bool,
    labels: LabelTable,
    next_label: usize,
}

impl Printer<'_> {
    /// Write `#n#` for an object already shown, or `#n=` before one shown
    /// now; true when the object itself is not to be printed.
    fn label(&mut self, v: Value) -> bool {
        match self.labels.get_mut(&v.0) {
            Some(Some(n)) => {
                let _ = write!(self.out, "#{n}#");
                true
            }
            Some(slot @ None) => {
                *slot = Some(self.next_label);
                let _ = write!(self.out, "#{}=", self.next_label);
                self.next_label += 1;
                false
            }
            None => false,
        }
    }

    fn print(&mut self, v: Value) {
        if !self.labels.is_empty() && is_compound(v) && self.label(v) {
            return;
        }
        let (out, write) = (&mut *self.out, self.write);
        match v.kind() {
            Kind::Fixnum => {
                let _ = write!(out, "{}", v.as_fixnum());
            }
            Kind::Bignum | Kind::Ratnum | Kind::Flonum => {
                if let Some(n) = crate::number::Number::of(v) {
                    out.push_str(&crate::number_syntax::format(&n, 10));
                }
            }
            Kind::Boolean => out.push_str(if v.is_true() { "#t" } else { "#f" }),
            Kind::Null => out.push_str("()"),
            Kind::Char if write => print_char_literal(out, v.as_char()),
            Kind::Char => out.push(v.as_char()),
            Kind::String if write => print_string_literal(out, &string_str(v)),
            Kind::String => out.push_str(&string_str(v)),
            Kind::Symbol if write => print_symbol(out, symbol_str(v)),
            Kind::Symbol => out.push_str(symbol_str(v)),
            Kind::Pair => self.print_list(v),
            Kind::Vector => {
                out.push_str("#(");
                for i in 0..v.header_length() {
                    if i > 0 {
                        self.out.push(' ');
                    }
                    self.print(v.vector_ref(i));
                }
                self.out.push(')');
            }
            Kind::Closure
                if v.closure_code()
                    == crate::control::scm_continuation_code as *const () as u64 =>
            {
                out.push_str("#<continuation>")
            }
            Kind::Closure => {
                out.push_str("#<procedure");
                if let Some(name) = procedure_name(v) {
                    out.push(' ');
                    out.push_str(name);
                }
                out.push('>');
            }
            Kind::Box => out.push_str("#<box>"),
            Kind::Values => {
                out.push_str("#<values");
                for i in 0..v.header_length() {
                    self.out.push(' ');
                    self.print(v.vector_ref(i));
                }
                self.out.push('>');
            }
            Kind::Bytes => out.push_str("#<bytes>"),
            Kind::Bytevector => crate::bytevector::print_bytevector(out, v),
            Kind::Hashtable => out.push_str("#<hashtable>"),
            Kind::Continuation => out.push_str("#<continuation>"),
            Kind::Condition => crate::exception::print_condition(out, v),
            Kind::Record => crate::record::print_record(out, v, self.write),
            Kind::Foreign => {
                let _ = write!(out, "#<{}>", crate::foreign::foreign_box(v).type_name);
            }
            Kind::Port => {
                let _ = write!(out, "#<port {}>", crate::port::port_mut(v).name());
            }
            Kind::Unspecified => {}
            Kind::Eof => out.push_str("#<eof>"),
            Kind::Unbound => out.push_str("#<unbound>"),
        }
    }

    fn print_list(&mut self, v: Value) {
        self.out.push('(');
        let mut v = v;
        loop {
            self.print(v.car());
            let rest = v.cdr();
            if rest.is_pair() && !self.labels.contains_key(&rest.0) {
                self.out.push(' ');
                v = rest;
            } else {
                if rest.0 != NIL {
                    self.out.push_str(" . ");
                    self.print(rest);
                }
                break;
            }
        }
        self.out.push(')');
    }
}

/// The printed form of `v` as a new string.
pub fn to_string(v: Value, write: bool) -> String {
    let mut s = String::new();
    print(&mut s, v, write);
    s
}

fn print_char_literal(out: &mut String, c: char) {
    out.push_str("#\\");
    match c {
        ' ' => out.push_str("space"),
        '\n' => out.push_str("newline"),
        '\t' => out.push_str("tab"),
        '\r' => out.push_str("return"),
        '\0' => out.push_str("null"),
        '\x7f' => out.push_str("delete"),
        '\x1b' => out.push_str("escape"),
        '\x07' => out.push_str("alarm"),
        '\x08' => out.push_str("backspace"),
        c if c.is_control() => {
            let _ = write!(out, "x{:x}", c as u32);
        }
        c => out.push(c),
    }
}

/// `s` as a string literal: `"a\"b"`.
pub fn write_string_literal(s: &str) -> String {
    let mut out = String::new();
    print_string_literal(&mut out, s);
    out
}

fn print_string_literal(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\x{:x};", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn print_symbol(out: &mut String, name: &str) {
    let plain = !name.is_empty()
        && name
            .chars()
            .all(|c| !c.is_whitespace() && !"()\"';`,|".contains(c))
        && name.parse::<i64>().is_err();
    if plain {
        out.push_str(name);
    } else {
        out.push('|');
        for c in name.chars() {
            if c == '|' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('|');
    }
}

/// The name a compiled procedure was given, read from its code's info word.
pub fn procedure_name<'a>(closure: Value) -> Option<&'a str> {
    let code = closure.closure_code() as *const u64;
    if std::ptr::eq(
        code as *const (),
        crate::entry::scm_prim_adapter as *const (),
    ) {
        // Primitive closures carry their info in word 3.
        let info = closure.word(3) as *const ProcInfo;
        // SAFETY: the compiler emits a `ProcInfo` for every primitive closure.
        let bytes = unsafe { std::slice::from_raw_parts((*info).name, (*info).name_len as usize) };
        return std::str::from_utf8(bytes).ok();
    }
    // SAFETY: the compiler emits, just before every procedure's code
    // (`abi::CODE_INFO`), the offset of its `ProcInfo` from that word, not
    // necessarily aligned (code is not aligned: see `codegen`'s procedure
    // layout).
    unsafe {
        let at = code.byte_offset(CODE_INFO as isize);
        let offset = at.read_unaligned() as isize;
        if offset == 0 {
            return None;
        }
        let info = at.byte_offset(offset) as *const ProcInfo;
        if (*info).name_len == 0 {
            return None;
        }
        let bytes = std::slice::from_raw_parts((*info).name, (*info).name_len as usize);
        std::str::from_utf8(bytes).ok()
    }
}
