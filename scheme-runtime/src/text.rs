//! Strings and symbols.
//!
//! A string object is `[header][byte length][char count][bytes]`: `bytes`
//! is a bytes object `[header][UTF-8 data...]` in the heap, replaced when a
//! change needs more room, so a string owns no memory outside the heap
//! (nothing to free when it dies). The char count makes `string-length`
//! O(1) and indexing ASCII strings O(1). A symbol is `[header][ptr][byte
//! length]`, pointing at its interned, never-freed name.

use crate::abi::*;
use crate::ctx::Ctx;
use crate::value::Value;

const STRING_WORDS: u64 = 3;
const SYMBOL_WORDS: u64 = 2;
const BYTE_LEN_WORD: usize = 1;
const CHAR_COUNT_WORD: usize = (STRING_CHAR_COUNT / 8) as usize;
const BYTES_WORD: usize = 3;

impl Ctx {
    /// A new string object holding `s`.
    pub fn make_string_from(&mut self, s: &str) -> Value {
        let bytes = self.make_bytes(s.as_bytes());
        let v = self.alloc_object(TYPE_STRING, 0, STRING_WORDS);
        v.set_word(BYTE_LEN_WORD, s.len() as u64);
        v.set_word(CHAR_COUNT_WORD, char_count(s));
        v.set_word(BYTES_WORD, bytes.0);
        v
    }

    /// A new string object holding `s` (see [`Ctx::make_string_from`]).
    pub fn make_string(&mut self, s: String) -> Value {
        self.make_string_from(&s)
    }

    /// A bytes object holding `data`, zero-padded to whole words.
    fn make_bytes(&mut self, data: &[u8]) -> Value {
        let words = data.len().div_ceil(8).max(1) as u64;
        let b = self.alloc_object(TYPE_BYTES, words, words);
        // SAFETY: the object has `words * 8` bytes after its header.
        unsafe {
            let dst = ((b.0 & !TAG_MASK) + 8) as *mut u8;
            std::ptr::write_bytes(dst, 0, words as usize * 8);
            std::ptr::copy_nonoverlapping(data.as_ptr(), dst, data.len());
        }
        b
    }

    /// Replace the text of string object `v` (for `string-set!` and `&mut
    /// String` arguments): in place when it fits, else in a new bytes
    /// object; always in a new one while Rust code borrows the text
    /// (a `&str` argument: `scope.rs`).
    pub(crate) fn string_store(&mut self, v: Value, s: &str) {
        let old = Value::from_bits(v.word(BYTES_WORD));
        if s.len() <= old.header_length() * 8 && !self.is_borrowed(v) {
            // SAFETY: the bytes object has room for `s`.
            unsafe {
                std::ptr::copy_nonoverlapping(
                    s.as_ptr(),
                    ((old.0 & !TAG_MASK) + 8) as *mut u8,
                    s.len(),
                )
            };
        } else {
            let bytes = self.make_bytes(s.as_bytes());
            v.set_word(BYTES_WORD, bytes.0);
        }
        v.set_word(BYTE_LEN_WORD, s.len() as u64);
        v.set_word(CHAR_COUNT_WORD, char_count(s));
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

fn char_count(s: &str) -> u64 {
    if s.is_ascii() {
        s.len() as u64
    } else {
        s.chars().count() as u64
    }
}

/// The text of a string object. The borrow must not outlive the object or
/// cross a change to it.
pub fn string_str<'a>(v: Value) -> &'a str {
    let bytes = Value::from_bits(v.word(BYTES_WORD));
    // SAFETY: the bytes object holds `byte length` bytes of UTF-8, written
    // from a `&str`; objects do not move.
    unsafe {
        let data = std::slice::from_raw_parts(
            ((bytes.0 & !TAG_MASK) + 8) as *const u8,
            v.word(BYTE_LEN_WORD) as usize,
        );
        std::str::from_utf8_unchecked(data)
    }
}

/// The bytes object holding a string's text.
pub(crate) fn string_bytes(v: Value) -> Value {
    Value::from_bits(v.word(BYTES_WORD))
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
