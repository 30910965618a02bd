//! The printed forms of values, as `display` and `write` show them (R7RS).

use std::fmt::Write;

use crate::abi::*;
use crate::text::{string_str, symbol_str};
use crate::value::{Kind, Value};

/// Append the printed form of `v` to `out`; `write` selects machine-readable
/// syntax for strings, characters and symbols.
pub fn print(out: &mut String, v: Value, write: bool) {
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
        Kind::String if write => print_string_literal(out, string_str(v)),
        Kind::String => out.push_str(string_str(v)),
        Kind::Symbol if write => print_symbol(out, symbol_str(v)),
        Kind::Symbol => out.push_str(symbol_str(v)),
        Kind::Pair => print_list(out, v, write),
        Kind::Vector => {
            out.push_str("#(");
            for i in 0..v.header_length() {
                if i > 0 {
                    out.push(' ');
                }
                print(out, v.vector_ref(i), write);
            }
            out.push(')');
        }
        Kind::Closure
            if v.closure_code() == crate::control::scm_continuation_code as *const () as u64 =>
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
                out.push(' ');
                print(out, v.vector_ref(i), write);
            }
            out.push('>');
        }
        Kind::Bytes => out.push_str("#<bytes>"),
        Kind::Continuation => out.push_str("#<continuation>"),
        Kind::Condition => crate::exception::print_condition(out, v),
        Kind::Record => crate::record::print_record(out, v, write),
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

/// The printed form of `v` as a new string.
pub fn to_string(v: Value, write: bool) -> String {
    let mut s = String::new();
    print(&mut s, v, write);
    s
}

fn print_list(out: &mut String, v: Value, write: bool) {
    out.push('(');
    let mut v = v;
    loop {
        print(out, v.car(), write);
        let rest = v.cdr();
        if rest.is_pair() {
            out.push(' ');
            v = rest;
        } else {
            if rest.0 != NIL {
                out.push_str(" . ");
                print(out, rest, write);
            }
            break;
        }
    }
    out.push(')');
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
    // SAFETY: the compiler emits a `ProcInfo` pointer just before every
    // procedure's code (`abi::CODE_INFO`), not necessarily aligned (code
    // is not aligned: see `codegen`'s procedure layout).
    unsafe {
        let info = code.byte_offset(CODE_INFO as isize).read_unaligned() as *const ProcInfo;
        if info.is_null() || (*info).name_len == 0 {
            return None;
        }
        let bytes = std::slice::from_raw_parts((*info).name, (*info).name_len as usize);
        std::str::from_utf8(bytes).ok()
    }
}
