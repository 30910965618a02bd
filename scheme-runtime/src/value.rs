//! `Value`: a tagged word, and safe accessors over the layouts in `abi`.

use crate::abi::*;

/// A Scheme value: one tagged 64-bit word (see [`crate::abi`]).
///
/// Neither `Send` nor `Sync`: a value belongs to the running program's
/// thread, and cannot be kept in a `static` (where the collector would not
/// see it; keep it in a [`crate::Root`]).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
#[repr(transparent)]
pub struct Value<'s>(
    pub(crate) u64,
    std::marker::PhantomData<(*const (), &'s ())>,
);

/// What kind of object a value is, for dispatch in Rust code.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    /// A small exact integer, kept in the word itself (61 bits).
    Fixnum,
    /// A pair (`cons`).
    Pair,
    /// A procedure: a compiled closure, a primitive or a continuation.
    Closure,
    /// A vector.
    Vector,
    /// A string.
    String,
    /// A symbol.
    Symbol,
    /// A box: the cell of an assigned variable that a closure captures.
    Box,
    /// An input or output port.
    Port,
    /// An exact integer outside the fixnum range.
    Bignum,
    /// An exact non-integer rational (`1/3`).
    Ratnum,
    /// An inexact real (an IEEE double).
    Flonum,
    /// Zero or several values returned together (`values`).
    Values,
    /// A Rust value held by Scheme (a [`crate::SchemeObject`]).
    Foreign,
    /// Raw bytes holding a string's text (internal to strings).
    Bytes,
    /// A raised condition (`error`, runtime errors).
    Condition,
    /// A record or a record type descriptor (`record.rs`).
    Record,
    /// A bytevector.
    Bytevector,
    /// A hash table.
    Hashtable,
    /// Saved stack frames (only ever inside a continuation closure).
    Continuation,
    /// `#t` or `#f`.
    Boolean,
    /// The empty list `()`.
    Null,
    /// A character.
    Char,
    /// The unspecified value (what `set!` and friends return).
    Unspecified,
    /// The end-of-file object.
    Eof,
    /// The marker of a global not defined yet; programs never see it.
    Unbound,
}

impl<'s> Value<'s> {
    /// `#f`, the only false value.
    pub const FALSE: Self = Value::from_bits(FALSE);
    /// `#t`.
    pub const TRUE: Self = Value::from_bits(TRUE);
    /// The empty list `()`.
    pub const NIL: Self = Value::from_bits(NIL);
    /// The unspecified value (what `()` converts to).
    pub const UNSPECIFIED: Self = Value::from_bits(UNSPECIFIED);
    /// The end-of-file object.
    pub const EOF: Self = Value::from_bits(EOF);

    /// The value whose word is `w` (crate only: a word that is not a
    /// valid value must never reach safe code).
    #[inline(always)]
    pub(crate) const fn from_bits(w: u64) -> Self {
        Value(w, std::marker::PhantomData)
    }

    /// The same word at the runtime's own brand (crate only: the runtime's
    /// code works at `'static`, see `crate::rt`).
    #[inline(always)]
    pub(crate) const fn rt(self) -> Value<'static> {
        Value::from_bits(self.0)
    }

    /// The tag: the word's low 3 bits (see [`crate::abi`]).
    #[inline]
    pub fn tag(self) -> u64 {
        self.0 & TAG_MASK
    }
    /// What kind of value this is (reads an object's header).
    #[inline]
    pub fn kind(self) -> Kind {
        match self.tag() {
            TAG_FIXNUM => Kind::Fixnum,
            TAG_PAIR => Kind::Pair,
            TAG_CLOSURE => Kind::Closure,
            TAG_FLONUM => Kind::Flonum,
            TAG_OBJECT => match self.header() & IMMEDIATE_MASK {
                TYPE_VECTOR => Kind::Vector,
                TYPE_STRING => Kind::String,
                TYPE_SYMBOL => Kind::Symbol,
                TYPE_BOX => Kind::Box,
                TYPE_PORT => Kind::Port,
                TYPE_BIGNUM => Kind::Bignum,
                TYPE_RATNUM => Kind::Ratnum,
                TYPE_VALUES => Kind::Values,
                TYPE_FOREIGN => Kind::Foreign,
                TYPE_BYTES => Kind::Bytes,
                TYPE_CONDITION => Kind::Condition,
                TYPE_CONTINUATION => Kind::Continuation,
                TYPE_RECORD => Kind::Record,
                TYPE_BYTEVECTOR => Kind::Bytevector,
                TYPE_HASHTABLE => Kind::Hashtable,
                other => unreachable!("corrupt object header type {other}"),
            },
            _ => match self.0 & IMMEDIATE_MASK {
                FALSE | TRUE => Kind::Boolean,
                NIL => Kind::Null,
                CHAR_TAG => Kind::Char,
                EOF => Kind::Eof,
                UNBOUND => Kind::Unbound,
                _ => Kind::Unspecified,
            },
        }
    }
    /// Is it anything but `#f` (Scheme's notion of true)?
    #[inline]
    pub fn is_true(self) -> bool {
        self.0 != FALSE
    }
    /// `#t` if `b`, else `#f`.
    #[inline]
    pub fn bool(b: bool) -> Self {
        if b {
            Value::TRUE
        } else {
            Value::FALSE
        }
    }

    // Fixnums.
    /// Is it a fixnum (an exact integer in the 61-bit fixnum range)?
    #[inline]
    pub fn is_fixnum(self) -> bool {
        self.tag() == TAG_FIXNUM
    }
    /// The fixnum `n`, which must be in the fixnum range: outside it the top
    /// bits are lost and the value is wrong (use [`Value::try_fixnum`], or
    /// [`crate::Ctx::integer`] for any `i64`).
    #[inline]
    pub fn fixnum(n: i64) -> Self {
        Value::from_bits(fixnum(n))
    }
    /// A fixnum if `n` fits, else `None`.
    #[inline]
    pub fn try_fixnum(n: i64) -> Option<Self> {
        // `n` fits when shifting the tag in and out gives it back.
        let tagged = n.wrapping_shl(TAG_BITS);
        ((tagged >> TAG_BITS) == n).then_some(Value::from_bits(tagged as u64))
    }
    /// The integer in a fixnum; a meaningless number for any other value
    /// (check [`Value::is_fixnum`] first).
    #[inline]
    pub fn as_fixnum(self) -> i64 {
        (self.0 as i64) >> TAG_BITS
    }

    // Characters.
    /// Is it a character?
    #[inline]
    pub fn is_char(self) -> bool {
        self.0 & IMMEDIATE_MASK == CHAR_TAG
    }
    /// The character `c`.
    #[inline]
    pub fn char(c: char) -> Self {
        Value::from_bits(character(c))
    }
    /// The character in a char; a meaningless one (or U+FFFD) for any other
    /// value (check [`Value::is_char`] first).
    #[inline]
    pub fn as_char(self) -> char {
        char::from_u32((self.0 >> CHAR_SHIFT) as u32).unwrap_or('\u{FFFD}')
    }

    // Heap objects.
    /// Is it a pair?
    #[inline]
    pub fn is_pair(self) -> bool {
        self.tag() == TAG_PAIR
    }
    /// Is it a procedure (a compiled closure, a primitive or a continuation)?
    #[inline]
    pub fn is_closure(self) -> bool {
        self.tag() == TAG_CLOSURE
    }
    #[inline]
    fn addr(self) -> *mut u64 {
        (self.0 & !TAG_MASK) as *mut u64
    }
    /// Word `i` of the object (0 is the header, or the car of a pair).
    #[inline]
    pub(crate) fn word(self, i: usize) -> u64 {
        // SAFETY: callers only index heap values within their layout; values
        // come from the heap or from compiled code, which keeps them valid.
        unsafe { *self.addr().add(i) }
    }
    /// Write word `i` of an object allocated with no allocation since: it
    /// is young, so no write barrier is needed (`heap/cards.rs`).
    #[inline]
    pub(crate) fn init_word(self, i: usize, w: u64) {
        // SAFETY: as for `word`.
        unsafe { *self.addr().add(i) = w }
    }
    /// `init_word` for `words.len()` words from word `i` on.
    #[inline]
    pub(crate) fn init_words(self, i: usize, words: &[u64]) {
        // SAFETY: as for `word`; `words` is not in the new object.
        unsafe { std::ptr::copy_nonoverlapping(words.as_ptr(), self.addr().add(i), words.len()) }
    }
    #[inline]
    pub(crate) fn set_word(self, i: usize, w: u64) {
        // SAFETY: as for `word`.
        unsafe { *self.addr().add(i) = w }
        crate::heap::write_barrier(self.addr() as usize);
    }
    #[inline]
    pub(crate) fn header(self) -> u64 {
        self.word(0)
    }
    #[inline]
    fn is_object_of(self, ty: u64) -> bool {
        self.tag() == TAG_OBJECT && self.header() & IMMEDIATE_MASK == ty
    }
    /// Is it a vector?
    #[inline]
    pub fn is_vector(self) -> bool {
        self.is_object_of(TYPE_VECTOR)
    }
    /// Is it a string?
    #[inline]
    pub fn is_string(self) -> bool {
        self.is_object_of(TYPE_STRING)
    }
    /// Is it a symbol?
    #[inline]
    pub fn is_symbol(self) -> bool {
        self.is_object_of(TYPE_SYMBOL)
    }
    /// Is it a foreign object (a Rust value held by Scheme)?
    #[inline]
    pub fn is_foreign(self) -> bool {
        self.is_object_of(TYPE_FOREIGN)
    }
    /// Is it a bignum (an exact integer outside the fixnum range)?
    #[inline]
    pub fn is_bignum(self) -> bool {
        self.is_object_of(TYPE_BIGNUM)
    }
    /// A fixnum or a bignum (an exact integer).
    #[inline]
    pub fn is_integer(self) -> bool {
        self.is_fixnum() || self.is_bignum()
    }
    /// Is it a ratnum (an exact non-integer rational)?
    #[inline]
    pub fn is_ratnum(self) -> bool {
        self.is_object_of(TYPE_RATNUM)
    }
    /// Is it a flonum (an inexact real)?
    #[inline]
    pub fn is_flonum(self) -> bool {
        self.tag() == TAG_FLONUM
    }
    /// The double in a flonum (the caller checked `is_flonum`).
    #[inline]
    pub(crate) fn as_flonum(self) -> f64 {
        f64::from_bits(self.word(1))
    }
    /// Any number: fixnum, bignum, ratnum or flonum.
    #[inline]
    pub fn is_number(self) -> bool {
        self.is_fixnum() || self.is_flonum() || self.is_bignum() || self.is_ratnum()
    }
    /// Is it a bytevector?
    #[inline]
    pub fn is_bytevector(self) -> bool {
        self.is_object_of(TYPE_BYTEVECTOR)
    }
    /// Is it a hash table?
    #[inline]
    pub fn is_hashtable(self) -> bool {
        self.is_object_of(TYPE_HASHTABLE)
    }
    /// Is it a port?
    #[inline]
    pub fn is_port(self) -> bool {
        self.is_object_of(TYPE_PORT)
    }
    #[inline]
    pub(crate) fn car(self) -> Self {
        Value::from_bits(self.word(0))
    }
    #[inline]
    pub(crate) fn cdr(self) -> Self {
        Value::from_bits(self.word(1))
    }
    #[inline]
    pub(crate) fn set_car(self, v: Self) {
        self.set_word(0, v.0)
    }
    #[inline]
    pub(crate) fn set_cdr(self, v: Self) {
        self.set_word(1, v.0)
    }
    /// Length field of an object header (vector length, closure free count).
    #[inline]
    pub(crate) fn header_length(self) -> usize {
        (self.header() >> HEADER_LENGTH_SHIFT) as usize
    }
    #[inline]
    pub(crate) fn vector_ref(self, i: usize) -> Self {
        Value::from_bits(self.word(1 + i))
    }
    #[inline]
    pub(crate) fn vector_set(self, i: usize, v: Self) {
        self.set_word(1 + i, v.0)
    }
    /// Code address of a closure.
    #[inline]
    pub(crate) fn closure_code(self) -> u64 {
        self.word(1)
    }
}

/// `values` at the runtime's own brand (see [`Value::rt`]).
#[inline(always)]
pub(crate) fn rt_slice<'v>(values: &'v [Value<'_>]) -> &'v [Value<'static>] {
    // SAFETY: `Value` is `repr(transparent)` over a `u64` at every brand:
    // the same length and layout.
    unsafe { std::slice::from_raw_parts(values.as_ptr().cast::<Value<'static>>(), values.len()) }
}

impl std::fmt::Debug for Value<'_> {
    #[inline]
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Value::from_bits({:#x})", self.0)
    }
}
