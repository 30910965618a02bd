//! Strings and symbols.
//!
//! A string object is `[header][width][char count][storage]`: `storage` is
//! a bytes object in the heap holding the characters at a fixed width, so
//! `string-ref` and `string-set!` are O(1) whatever the text (as Python's
//! compact strings): one byte per character while every character is
//! below 256 (`ASCII`, or `LATIN1` once one is not ASCII), four bytes
//! (UTF-32) once one is not. A string owns no memory outside the heap.
//! The text as UTF-8 (`string_str`) is the storage itself for ASCII
//! strings, else a copy made on demand. The char count (word 2, read by
//! compiled code) makes `string-length` O(1). A symbol is `[header][ptr]
//! [byte length]`, pointing at its interned, never-freed name.

use std::borrow::Cow;

use crate::abi::*;
use crate::rt::Ctx;
use crate::rt::Value;

const STRING_WORDS: u64 = 3;
/// `[h][name ptr][name len][string from symbol->string, or #f]`.
const SYMBOL_WORDS: u64 = 3;
const SYMBOL_STRING_WORD: usize = (SYMBOL_STRING / 8) as usize;
const WIDTH_WORD: usize = (STRING_WIDTH / 8) as usize;
const CHAR_COUNT_WORD: usize = (STRING_CHAR_COUNT / 8) as usize;
const STORAGE_WORD: usize = (STRING_STORAGE / 8) as usize;

/// How a string stores its characters (the value of its width word).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub(crate) enum Width {
    /// One byte per character, every one ASCII: the storage is UTF-8.
    Ascii = 0,
    /// One byte per character, all below 256.
    Latin1 = 1,
    /// Four bytes per character (UTF-32, native order).
    Wide = 4,
}

impl Width {
    /// The narrowest width that holds `c`.
    fn of_char(c: char) -> Width {
        match c as u32 {
            0..=0x7f => Width::Ascii,
            0x80..=0xff => Width::Latin1,
            _ => Width::Wide,
        }
    }

    fn bytes_per_char(self) -> usize {
        if self == Width::Wide {
            4
        } else {
            1
        }
    }
}

/// The narrowest width for `s` and its number of characters.
fn measure(s: &str) -> (Width, usize) {
    if s.is_ascii() {
        return (Width::Ascii, s.len());
    }
    let mut width = Width::Ascii;
    let mut count = 0;
    for c in s.chars() {
        width = width.max(Width::of_char(c));
        count += 1;
    }
    (width, count)
}

impl Ctx {
    fn string_object(&mut self, width: Width, count: usize, storage: Value) -> Value {
        let v = self.alloc_object(TYPE_STRING, 0, STRING_WORDS);
        v.init_word(WIDTH_WORD, width as u64);
        v.init_word(CHAR_COUNT_WORD, count as u64);
        v.init_word(STORAGE_WORD, storage.0);
        v
    }

    /// A bytes object holding `count` characters at `width`, zero-padded to
    /// whole words.
    fn make_storage(
        &mut self,
        width: Width,
        count: usize,
        chars: impl Iterator<Item = char>,
    ) -> Value {
        let data = self.make_bytes_zeroed(count * width.bytes_per_char());
        let base = bytes_ptr(data);
        for (i, c) in chars.take(count).enumerate() {
            // SAFETY: the object has room for `count` characters at
            // `width`, and `i < count`.
            unsafe { store_char(base, i, width, c) }
        }
        data
    }

    /// A bytes object of `len` zero bytes (at least one word).
    fn make_bytes_zeroed(&mut self, len: usize) -> Value {
        let words = len.div_ceil(8).max(1) as u64;
        let b = self.alloc_object(TYPE_BYTES, words, words);
        // SAFETY: the object has `words * 8` bytes after its header.
        unsafe { std::ptr::write_bytes(bytes_ptr(b), 0, words as usize * 8) };
        b
    }

    /// A bytes object holding `data` (for the UTF-8 copies of non-ASCII
    /// strings that `&str` arguments borrow).
    pub(crate) fn make_bytes(&mut self, data: &[u8]) -> Value {
        let b = self.make_bytes_zeroed(data.len());
        // SAFETY: the object has room for `data`.
        unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), bytes_ptr(b), data.len()) };
        b
    }

    /// Replace the text of string object `v` (for `&mut String` arguments,
    /// `string-fill!`, `string-copy!`): always in new storage, so a `&str`
    /// that Rust code holds of the old text stays as it was.
    pub(crate) fn string_store(&mut self, v: Value, s: &str) {
        let (width, count) = measure(s);
        let storage = self.make_storage(width, count, s.chars());
        v.set_word(WIDTH_WORD, width as u64);
        v.set_word(CHAR_COUNT_WORD, count as u64);
        v.set_word(STORAGE_WORD, storage.0);
    }

    /// Set character `i` (in range) of string `v` to `c`: in place, O(1),
    /// unless `c` needs a wider storage (then the storage is widened once)
    /// or Rust code borrows the text (then it gets a copy).
    pub(crate) fn string_set_char(&mut self, v: Value, i: usize, c: char) {
        let width = string_width(v);
        let needed = Width::of_char(c);
        let fits = needed <= width || (width == Width::Ascii && needed == Width::Latin1);
        if !fits || self.is_borrowed(v) {
            let mut chars: Vec<char> = string_chars(v).collect();
            chars[i] = c;
            let width = width.max(needed);
            let storage = self.make_storage(width, chars.len(), chars.into_iter());
            v.set_word(WIDTH_WORD, width as u64);
            v.set_word(STORAGE_WORD, storage.0);
            return;
        }
        if width == Width::Ascii && needed == Width::Latin1 {
            v.set_word(WIDTH_WORD, Width::Latin1 as u64);
        }
        // SAFETY: `i` is below the char count, and the storage holds that
        // many characters at the string's width, which holds `c`.
        unsafe { store_char(bytes_ptr(string_storage(v)), i, width, c) }
    }
}

/// The text of a string that is not ASCII as UTF-8, in a bytes object
/// kept until the running primitive call returns: what a `&str`
/// argument borrows.
pub(crate) fn utf8_copy<'a>(ctx: &mut Ctx, v: Value) -> &'a str {
    let text = string_str(v).into_owned();
    let copy = ctx.make_bytes(text.as_bytes());
    ctx.keep(copy);
    // SAFETY: the bytes object holds `text` (valid UTF-8); it is kept (so
    // alive, and nothing changes it: no Scheme value refers to it) until
    // the call whose argument this is returns; objects do not move.
    unsafe {
        std::str::from_utf8_unchecked(std::slice::from_raw_parts(bytes_ptr(copy), text.len()))
    }
}

/// Store `c` as character `i` of storage data at `base`, at `width`.
///
/// # Safety
/// The storage has room for character `i` at `width`, and `c` fits it.
unsafe fn store_char(base: *mut u8, i: usize, width: Width, c: char) {
    // SAFETY: guaranteed by the caller.
    unsafe {
        match width {
            Width::Wide => (base as *mut u32).add(i).write_unaligned(c as u32),
            _ => base.add(i).write(c as u32 as u8),
        }
    }
}

/// The first data byte of bytes object `b`.
fn bytes_ptr(b: Value) -> *mut u8 {
    ((b.0 & !TAG_MASK) + BYTES_DATA as u64) as *mut u8
}

/// How string `v` stores its characters.
pub(crate) fn string_width(v: Value) -> Width {
    match v.word(WIDTH_WORD) {
        0 => Width::Ascii,
        1 => Width::Latin1,
        _ => Width::Wide,
    }
}

/// The storage object holding a string's characters.
pub(crate) fn string_storage(v: Value) -> Value {
    Value::from_bits(v.word(STORAGE_WORD))
}

/// Number of characters in a string object.
pub fn string_char_count(v: Value) -> usize {
    v.word(CHAR_COUNT_WORD) as usize
}

/// The storage of a one-byte-wide string as bytes.
fn narrow_bytes<'a>(v: Value) -> &'a [u8] {
    // SAFETY: the storage holds `char count` bytes for a narrow string;
    // objects do not move.
    unsafe { std::slice::from_raw_parts(bytes_ptr(string_storage(v)), string_char_count(v)) }
}

/// The storage of a wide string as UTF-32 code units.
fn wide_units(v: Value) -> impl Iterator<Item = u32> {
    let base = bytes_ptr(string_storage(v)) as *const u32;
    // SAFETY: the storage holds `char count` u32s for a wide string.
    (0..string_char_count(v)).map(move |i| unsafe { base.add(i).read_unaligned() })
}

/// Character `i` (which must be below the char count) of string `v`: O(1).
pub fn string_char(v: Value, i: usize) -> char {
    assert!(
        i < string_char_count(v),
        "string index checked by the caller"
    );
    let base = bytes_ptr(string_storage(v));
    // SAFETY: `i` is in range (checked above) for the storage's width; a
    // wide string holds only valid scalar values (written from `char`s).
    unsafe {
        match string_width(v) {
            Width::Wide => char::from_u32_unchecked((base as *const u32).add(i).read_unaligned()),
            _ => *base.add(i) as char,
        }
    }
}

/// The characters of string `v`, in order. The string must not change
/// while they are read.
pub(crate) fn string_chars<'a>(v: Value) -> impl Iterator<Item = char> + 'a {
    let (narrow, wide) = match string_width(v) {
        Width::Wide => (None, Some(wide_units(v))),
        _ => (Some(narrow_bytes(v).iter()), None),
    };
    // SAFETY: wide storage holds only valid scalar values.
    narrow.into_iter().flatten().map(|&b| b as char).chain(
        wide.into_iter()
            .flatten()
            .map(|u| unsafe { char::from_u32_unchecked(u) }),
    )
}

/// The text of string `v` as UTF-8: borrowed from the storage for an ASCII
/// string, else a copy. A borrow must not outlive the object or cross a
/// change to it.
pub fn string_str<'a>(v: Value) -> Cow<'a, str> {
    match string_ascii(v) {
        Some(s) => Cow::Borrowed(s),
        None => Cow::Owned(string_chars(v).collect()),
    }
}

/// The text of an ASCII string, borrowed from its storage.
pub(crate) fn string_ascii<'a>(v: Value) -> Option<&'a str> {
    // SAFETY: ASCII storage is valid UTF-8.
    (string_width(v) == Width::Ascii)
        .then(|| unsafe { std::str::from_utf8_unchecked(narrow_bytes(v)) })
}

/// Do the two strings hold the same characters?
pub(crate) fn strings_equal(a: Value, b: Value) -> bool {
    if string_char_count(a) != string_char_count(b) {
        return false;
    }
    let (wa, wb) = (string_width(a), string_width(b));
    if (wa == Width::Wide) == (wb == Width::Wide) {
        if wa == Width::Wide {
            return wide_units(a).eq(wide_units(b));
        }
        return narrow_bytes(a) == narrow_bytes(b);
    }
    string_chars(a).eq(string_chars(b))
}

/// The name of a symbol object.
pub fn symbol_str<'a>(v: Value) -> &'a str {
    // SAFETY: the name was leaked by `intern` and is never freed.
    unsafe {
        let bytes = std::slice::from_raw_parts(v.word(1) as *const u8, v.word(2) as usize);
        std::str::from_utf8_unchecked(bytes)
    }
}

impl<'s> crate::ctx::Ctx<'s> {
    /// A new string object holding `s`.
    pub fn make_string_from(&mut self, s: &str) -> crate::value::Value<'s> {
        let ctx = self.rt();
        let (width, count) = measure(s);
        let storage = if width == Width::Ascii {
            // One byte per character, the bytes of `s` themselves.
            let data = ctx.make_bytes_zeroed(s.len());
            // SAFETY: the object has room for `s.len()` bytes; `s` is not
            // in the new object.
            unsafe { std::ptr::copy_nonoverlapping(s.as_ptr(), bytes_ptr(data), s.len()) };
            data
        } else {
            ctx.make_storage(width, count, s.chars())
        };
        ctx.string_object(width, count, storage)
    }

    /// A new string object holding `s` (see [`Ctx::make_string_from`]).
    pub fn make_string(&mut self, s: String) -> crate::value::Value<'s> {
        let ctx = self.rt();
        ctx.make_string_from(&s)
    }

    /// The symbol's name as a string: the same string object every time,
    /// made at the first call (R7RS: it is an error to mutate it; as in
    /// Chez Scheme, a mutation shows in later calls, never in the symbol).
    pub fn symbol_string(&mut self, symbol: crate::convert::Symbol<'s>) -> crate::value::Value<'s> {
        let ctx = self.rt();
        let symbol = symbol.0.rt();
        let cached = Value::from_bits(symbol.word(SYMBOL_STRING_WORD));
        if cached.is_string() {
            return cached;
        }
        let s = ctx.make_string_from(symbol_str(symbol));
        symbol.set_word(SYMBOL_STRING_WORD, s.0);
        s
    }

    /// The symbol named `name`, interned.
    pub fn intern(&mut self, name: &str) -> crate::value::Value<'s> {
        let ctx = self.rt();
        if let Some(&sym) = ctx.symbols.get(name) {
            return sym;
        }
        let name: &'static str = Box::leak(name.to_owned().into_boxed_str());
        let sym = ctx.alloc_object(TYPE_SYMBOL, 0, SYMBOL_WORDS);
        sym.init_word(1, name.as_ptr() as u64);
        sym.init_word(2, name.len() as u64);
        sym.init_word(SYMBOL_STRING_WORD, Value::FALSE.0);
        ctx.symbols.insert(name, sym);
        sym
    }
}
