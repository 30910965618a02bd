//! Strings and symbols.

use super::vectors::MAX_LENGTH;
use super::{character, count, index, list_items, primitive, string};
use crate::ctx::Ctx;
use crate::error::type_error;
use crate::registry::VARIADIC;
use crate::text::{string_byte_offset, string_char_count, string_mutate, string_str, symbol_str};
use crate::value::Value;

primitive!(
    "string",
    scm_p_string,
    0,
    VARIADIC,
    "A new string of the character arguments.",
    |ctx, args| {
        let s: String = args.iter().map(|&c| character(ctx, "string", c)).collect();
        ctx.make_string(s)
    }
);
primitive!(
    "make-string",
    scm_p_make_string,
    1,
    2,
    "A new string of k copies of a character (or spaces).",
    |ctx, args| {
        let n = count(ctx, "make-string", args[0], MAX_LENGTH);
        let c = match args.get(1) {
            Some(&c) => character(ctx, "make-string", c),
            None => ' ',
        };
        ctx.make_string(std::iter::repeat_n(c, n).collect())
    }
);
primitive!(
    "string-length",
    scm_p_string_length,
    1,
    1,
    "Number of characters.",
    |ctx, args| { Value::fixnum(string_char_count(string(ctx, "string-length", args[0])) as i64) }
);
primitive!(
    "string-ref",
    scm_p_string_ref,
    2,
    2,
    "Character k of a string.",
    |ctx, args| {
        let s = string(ctx, "string-ref", args[0]);
        let i = index(ctx, "string-ref", args[1], string_char_count(s), s);
        let at = string_byte_offset(s, i);
        Value::char(string_str(s)[at..].chars().next().expect("index checked"))
    }
);
primitive!(
    "string-set!",
    scm_p_string_set,
    3,
    3,
    "Replace character k of a string.",
    |ctx, args| {
        let s = string(ctx, "string-set!", args[0]);
        let i = index(ctx, "string-set!", args[1], string_char_count(s), s);
        let c = character(ctx, "string-set!", args[2]);
        let at = string_byte_offset(s, i);
        string_mutate(s, |text| {
            let old = text[at..].chars().next().expect("index checked");
            let mut buf = [0u8; 4];
            text.replace_range(at..at + old.len_utf8(), c.encode_utf8(&mut buf));
        });
        Value::UNSPECIFIED
    }
);

/// Byte range of characters `start..end` given as optional arguments.
fn char_range(
    ctx: &mut Ctx,
    who: &str,
    s: Value,
    start: Option<Value>,
    end: Option<Value>,
) -> (usize, usize) {
    let len = string_char_count(s);
    let end = match end {
        Some(e) => count(ctx, who, e, len),
        None => len,
    };
    let start = match start {
        Some(b) => count(ctx, who, b, end),
        None => 0,
    };
    (string_byte_offset(s, start), string_byte_offset(s, end))
}

primitive!(
    "substring",
    scm_p_substring,
    2,
    3,
    "A new string of characters start (inclusive) to end (exclusive).",
    |ctx, args| {
        let s = string(ctx, "substring", args[0]);
        let (a, b) = char_range(ctx, "substring", s, Some(args[1]), args.get(2).copied());
        ctx.make_string(string_str(s)[a..b].to_owned())
    }
);
primitive!(
    "string-copy",
    scm_p_string_copy,
    1,
    3,
    "A new string with the same characters.",
    |ctx, args| {
        let s = string(ctx, "string-copy", args[0]);
        let (a, b) = char_range(
            ctx,
            "string-copy",
            s,
            args.get(1).copied(),
            args.get(2).copied(),
        );
        ctx.make_string(string_str(s)[a..b].to_owned())
    }
);
primitive!(
    "string-append",
    scm_p_string_append,
    0,
    VARIADIC,
    "A new string joining the arguments.",
    |ctx, args| {
        let mut out = String::new();
        for &a in args {
            out.push_str(string_str(string(ctx, "string-append", a)));
        }
        ctx.make_string(out)
    }
);
primitive!(
    "string->list",
    scm_p_string_to_list,
    1,
    1,
    "A new list of the characters.",
    |ctx, args| {
        let s = string(ctx, "string->list", args[0]);
        let chars: Vec<Value> = string_str(s).chars().map(Value::char).collect();
        ctx.list(&chars)
    }
);
primitive!(
    "list->string",
    scm_p_list_to_string,
    1,
    1,
    "A new string of the list's characters.",
    |ctx, args| {
        let items = list_items(ctx, "list->string", args[0]);
        let s: String = items
            .iter()
            .map(|&c| character(ctx, "list->string", c))
            .collect();
        ctx.make_string(s)
    }
);

fn compare(ctx: &mut Ctx, who: &str, args: &[Value], ok: fn(&str, &str) -> bool) -> Value {
    let strs: Vec<&str> = args
        .iter()
        .map(|&a| string_str(string(ctx, who, a)))
        .collect();
    Value::bool(strs.windows(2).all(|w| ok(w[0], w[1])))
}

primitive!(
    "string=?",
    scm_p_string_eq,
    1,
    VARIADIC,
    "Are the strings equal?",
    |ctx, args| compare(ctx, "string=?", args, |a, b| a == b)
);
primitive!(
    "string<?",
    scm_p_string_lt,
    1,
    VARIADIC,
    "Are the strings in increasing order?",
    |ctx, args| compare(ctx, "string<?", args, |a, b| a < b)
);
primitive!(
    "string>?",
    scm_p_string_gt,
    1,
    VARIADIC,
    "Are the strings in decreasing order?",
    |ctx, args| compare(ctx, "string>?", args, |a, b| a > b)
);
primitive!(
    "string<=?",
    scm_p_string_le,
    1,
    VARIADIC,
    "Are the strings in non-decreasing order?",
    |ctx, args| compare(ctx, "string<=?", args, |a, b| a <= b)
);
primitive!(
    "string>=?",
    scm_p_string_ge,
    1,
    VARIADIC,
    "Are the strings in non-increasing order?",
    |ctx, args| compare(ctx, "string>=?", args, |a, b| a >= b)
);

primitive!(
    "string->symbol",
    scm_p_string_to_symbol,
    1,
    1,
    "The symbol with this name.",
    |ctx, args| {
        let s = string_str(string(ctx, "string->symbol", args[0]));
        ctx.intern(s)
    }
);
primitive!(
    "symbol->string",
    scm_p_symbol_to_string,
    1,
    1,
    "A new string holding the symbol's name.",
    |ctx, args| {
        if !args[0].is_symbol() {
            type_error(ctx, "symbol->string", "a symbol", args[0]);
        }
        ctx.make_string(symbol_str(args[0]).to_owned())
    }
);
