//! Strings and symbols.
//!
//! A string object is `[header][ptr][capacity][byte length][char count]`:
//! the raw parts of a Rust `String` holding UTF-8 text, plus its length in
//! characters so that `string-length` is O(1) and ASCII strings index in
//! O(1). A symbol is `[header][ptr][byte length]`, pointing at its interned,
//! never-freed name.

use crate::abi::*;
use crate::ctx::Ctx;
use crate::value::Value;

const STRING_WORDS: u64 = 4;
const SYMBOL_WORDS: u64 = 2;

impl Ctx {
    pub fn make_string(&mut self, s: String) -> Value {
        let chars = s.chars().count() as u64;
        let v = self.alloc_object(TYPE_STRING, 0, STRING_WORDS);
        store_string(v, s, chars);
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

fn store_string(v: Value, s: String, chars: u64) {
    let mut s = std::mem::ManuallyDrop::new(s);
    v.set_word(1, s.as_mut_ptr() as u64);
    v.set_word(2, s.capacity() as u64);
    v.set_word(3, s.len() as u64);
    v.set_word(4, chars);
}

/// The text of a string object. The borrow must not outlive the object or
/// cross a mutation of it.
pub fn string_str<'a>(v: Value) -> &'a str {
    // SAFETY: the fields were written by `store_string` from a valid String.
    unsafe {
        let bytes = std::slice::from_raw_parts(v.word(1) as *const u8, v.word(3) as usize);
        std::str::from_utf8_unchecked(bytes)
    }
}

/// Number of characters in a string object.
pub fn string_char_count(v: Value) -> usize {
    v.word(4) as usize
}

/// Change a string object's text in place.
pub fn string_mutate(v: Value, f: impl FnOnce(&mut String)) {
    // SAFETY: rebuilds the String that `store_string` took apart; it is put
    // back below, so ownership stays with the object.
    let mut s = unsafe {
        String::from_raw_parts(v.word(1) as *mut u8, v.word(3) as usize, v.word(2) as usize)
    };
    f(&mut s);
    let chars = s.chars().count() as u64;
    store_string(v, s, chars);
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
