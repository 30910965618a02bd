//! Strings and symbols.
//!
//! A string object is `[header][String][char count]`: a Rust `String` (three
//! words, layout private to Rust: compiled code never reads it) holding the
//! UTF-8 text, and its length in characters so that `string-length` is
//! O(1) and ASCII strings index in O(1). A symbol is
//! `[header][ptr][byte length]`, pointing at its interned, never-freed name.

use crate::abi::*;
use crate::ctx::Ctx;
use crate::value::Value;

const STRING_WORDS: u64 = 4;
const SYMBOL_WORDS: u64 = 2;
const CHAR_COUNT_WORD: usize = (STRING_CHAR_COUNT / 8) as usize;
const _: () = assert!(std::mem::size_of::<String>() == 24);

impl Ctx {
    pub fn make_string(&mut self, s: String) -> Value {
        let chars = s.chars().count() as u64;
        self.external_bytes += s.capacity() as u64;
        let v = self.alloc_object(TYPE_STRING, 0, STRING_WORDS);
        // SAFETY: the object has room for a String at word 1.
        unsafe { std::ptr::write(string_ptr(v), s) };
        v.set_word(CHAR_COUNT_WORD, chars);
        v
    }

    /// The symbol named `name`, interned.
    pub fn intern(&mut self, name: &str) -> Value {
        if let Some(&sym) = self.symbols.get(name) {
            return sym;
        }
        let name: &'static str = Box::leak(name.to_owned().into_boxed_str());
        let sym = self.alloc_object(TYPE_SYMBOL, 0, SYMBOL_WORDS);
        sym.set_word(1, name.as_ptr() as u64);
        sym.set_word(2, name.len() as u64);
        self.symbols.insert(name, sym);
        sym
    }
}

fn string_ptr(v: Value) -> *mut String {
    ((v.0 & !TAG_MASK) + 8) as *mut String
}

/// The text of a string object. The borrow must not outlive the object or
/// cross a mutation of it.
pub fn string_str<'a>(v: Value) -> &'a str {
    // SAFETY: `make_string` stored a valid String at word 1.
    unsafe { (*string_ptr(v)).as_str() }
}

/// Mutable access to a string object's text; call [`string_changed`]
/// after changing it.
pub fn string_mut<'a>(v: Value) -> &'a mut String {
    // SAFETY: as for `string_str`; callers hold the only borrow.
    unsafe { &mut *string_ptr(v) }
}

/// Refresh the cached character count after a change through [`string_mut`].
pub fn string_changed(v: Value) {
    let chars = string_str(v).chars().count() as u64;
    v.set_word(CHAR_COUNT_WORD, chars);
}

/// Number of characters in a string object.
pub fn string_char_count(v: Value) -> usize {
    v.word(CHAR_COUNT_WORD) as usize
}

/// Byte offset of character `index` (which must be in range).
pub fn string_byte_offset(v: Value, index: usize) -> usize {
    let s = string_str(v);
    if s.len() == string_char_count(v) {
        index
    } else {
        s.char_indices().nth(index).map_or(s.len(), |(i, _)| i)
    }
}

/// The name of a symbol object.
pub fn symbol_str<'a>(v: Value) -> &'a str {
    // SAFETY: the name was leaked by `intern` and is never freed.
    unsafe {
        let bytes = std::slice::from_raw_parts(v.word(1) as *const u8, v.word(2) as usize);
        std::str::from_utf8_unchecked(bytes)
    }
}
