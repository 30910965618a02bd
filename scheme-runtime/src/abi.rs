//! The one source of truth for the value representation and the ABI shared
//! by compiled code, the runtime and (later) plugins. The compiler imports
//! these constants; no tag value is written anywhere else.
//!
//! A value is a 64-bit word; its low 3 bits are the tag:
//!
//! ```text
//!   ...........................................000  fixnum (value << 3)
//!   <-------- 8-byte aligned address -------->001  pair     [car][cdr]
//!   <-------- 8-byte aligned address -------->010  closure  [header][code][free...]
//!   <-------- 8-byte aligned address -------->011  object   [header][...] (header says which)
//!   <-------- 8-byte aligned address -------->100  flonum   [header][f64 bits]
//!   <----------- payload ------------><subtag>111  immediate: #f #t () chars ...
//! ```
//!
//! Object header word: `(length << 8) | type`, where `length` counts the
//! words after the header for vectors and closures (free variables).

/// Bits of a value that hold its tag.
pub const TAG_BITS: u32 = 3;
pub const TAG_MASK: u64 = 0b111;
pub const TAG_FIXNUM: u64 = 0b000;
pub const TAG_PAIR: u64 = 0b001;
pub const TAG_CLOSURE: u64 = 0b010;
pub const TAG_OBJECT: u64 = 0b011;
/// A boxed IEEE double: `[header(TYPE_FLONUM)][bits]`. A tag of its own so
/// compiled code tests for a flonum without loading the header.
pub const TAG_FLONUM: u64 = 0b100;
pub const TAG_IMMEDIATE: u64 = 0b111;

/// Fixnum range: 61-bit two's complement.
pub const FIXNUM_BITS: u32 = 64 - TAG_BITS;
pub const FIXNUM_MIN: i64 = -(1 << (FIXNUM_BITS - 1));
pub const FIXNUM_MAX: i64 = (1 << (FIXNUM_BITS - 1)) - 1;

/// Immediates (low byte; only characters use the bits above it).
pub const FALSE: u64 = 0x07;
pub const TRUE: u64 = 0x0F;
pub const NIL: u64 = 0x17;
pub const UNSPECIFIED: u64 = 0x1F;
pub const EOF: u64 = 0x27;
/// Marks a global that has not been defined yet; never seen by programs.
pub const UNBOUND: u64 = 0x2F;
/// Characters: `(scalar value << CHAR_SHIFT) | CHAR_TAG`.
pub const CHAR_TAG: u64 = 0x37;
pub const CHAR_SHIFT: u32 = 8;
pub const IMMEDIATE_MASK: u64 = 0xFF;
/// `#f` and `#t` differ in this bit only.
pub const BOOLEAN_BIT: u64 = 0x08;

/// Object types (low byte of the header word).
pub const TYPE_VECTOR: u64 = 1;
pub const TYPE_STRING: u64 = 2;
pub const TYPE_SYMBOL: u64 = 3;
pub const TYPE_BOX: u64 = 4;
pub const TYPE_CLOSURE: u64 = 5;
pub const TYPE_PORT: u64 = 6;
/// An integer outside the fixnum range, its digits in the heap:
/// `[header(length = 1 + digits)][sign: 0 or 1][u64 digits, least significant first]`.
pub const TYPE_BIGNUM: u64 = 7;
/// A Rust value held by Scheme: `[header][*mut ForeignBox]`.
pub const TYPE_FOREIGN: u64 = 8;
/// Raw bytes (a string's UTF-8 text): `length` words of data follow.
pub const TYPE_BYTES: u64 = 9;
/// The object of a flonum value (tag `TAG_FLONUM`): `[header][f64 bits]`.
pub const TYPE_FLONUM: u64 = 10;
/// An exact non-integer rational in lowest terms, denominator > 1:
/// `[header][numerator][denominator]`, both exact integer values.
pub const TYPE_RATNUM: u64 = 11;
/// Zero or several values returned together (`values`):
/// `[header(length)][values...]`. One value is never boxed this way.
pub const TYPE_VALUES: u64 = 12;
/// A captured piece of the Scheme stack (`call/cc`; see `control.rs`):
/// `[header(length = CONT_WORDS + n)][next][next offset][winders][handlers]
/// [boundary][start address][n][n stack words]`. The stack words are
/// scanned conservatively, the fields before them precisely.
pub const TYPE_CONTINUATION: u64 = 13;
/// A raised condition (`error`, runtime errors): `[header][kind symbol]
/// [who][message][irritants][argument position][expected]`.
pub const TYPE_CONDITION: u64 = 14;
/// A record (`define-record-type`, `record.rs`): `[header(length = 1 +
/// fields)][type descriptor][fields...]`. A type descriptor is itself a
/// record whose descriptor word is `#f`: `[header][#f][name symbol]
/// [field names vector][flags fixnum]`.
pub const TYPE_RECORD: u64 = 15;
/// A bytevector: `[header(length = 1 + data words)][byte length][bytes...]`,
/// the bytes zero-padded to whole words and never scanned by the collector.
pub const TYPE_BYTEVECTOR: u64 = 16;
/// A hash table: `[header(5)][buckets: vector of lists of (key . value)]
/// [count][kind][equivalence][hash]`, every field a value (traced).
pub const TYPE_HASHTABLE: u64 = 17;
/// Free space in an object block: `length` more words follow. A zero
/// word is a one-word filler, so fresh memory is walkable.
pub const TYPE_FILLER: u64 = 0;
pub const HEADER_LENGTH_SHIFT: u32 = 8;

/// Field offsets in bytes from the start of an object (add `-tag` to reach
/// them from a tagged value).
pub const PAIR_CAR: i64 = 0;
pub const PAIR_CDR: i64 = 8;
pub const PAIR_SIZE: u64 = 16;
pub const CLOSURE_CODE: i64 = 8;
pub const CLOSURE_FREE: i64 = 16;
pub const VECTOR_ELEMENTS: i64 = 8;
pub const BOX_VALUE: i64 = 8;
pub const BOX_SIZE: u64 = 16;
/// Offset of a flonum's bits from the start of its object.
pub const FLONUM_BITS: i64 = 8;
pub const FLONUM_SIZE: u64 = 16;
/// A record's type descriptor and its first field.
pub const RECORD_RTD: i64 = 8;
pub const RECORD_FIELDS: i64 = 16;
/// A string: `[header][width][char count][storage]` (`text.rs`): the width
/// (0 ASCII, 1 Latin-1: one byte per character; 4: UTF-32), the length in
/// characters, and the bytes object holding the characters (from its
/// word 1, `BYTES_DATA`).
pub const STRING_WIDTH: i64 = 8;
pub const STRING_CHAR_COUNT: i64 = 16;
pub const STRING_STORAGE: i64 = 24;
/// Where a bytes object's data starts.
pub const BYTES_DATA: i64 = 8;

/// A symbol's string for `symbol->string` (made at the first call; `#f`
/// until then): `[header][name ptr][name len][string or #f]`.
pub const SYMBOL_STRING: i64 = 24;

/// A bytevector's length in bytes, and where its bytes start.
pub const BYTEVECTOR_LENGTH: i64 = 8;
pub const BYTEVECTOR_DATA: i64 = 16;

/// The word just before a procedure's code holds the offset of its
/// [`ProcInfo`] from that word (position-independent: units are shared
/// objects), so errors and `write` can name the procedure; 0: none.
pub const CODE_INFO: i64 = -8;

/// Static description of a compiled procedure, emitted by the compiler.
#[repr(C)]
pub struct ProcInfo {
    pub name: *const u8,
    pub name_len: u64,
}

/// The low bit of a call site's info word (the frame table's fourth
/// word) when it points at an [`InlineFrame`] rather than a `ProcInfo`:
/// the call is in the body of a procedure the compiler inlined.
pub const INLINE_FRAME: u64 = 1;

/// A procedure inlined at a call (`compiler/src/inline_calls.rs`): its
/// name, where the call it replaces is, and the info word of the code it
/// was inlined into (a `ProcInfo`, another `InlineFrame` with
/// [`INLINE_FRAME`] set, or 0 for the top level).
#[repr(C)]
pub struct InlineFrame {
    pub info: ProcInfo,
    /// The call's position, as [`call_site_position`] encodes it.
    pub position: u64,
    pub outer: u64,
}

/// Offsets of the fields of [`crate::Ctx`] that compiled code reads;
/// `r15` holds the context pointer for the whole run.
pub const CTX_ALLOC_PTR: i64 = 0;
pub const CTX_ALLOC_LIMIT: i64 = 8;
pub const CTX_STACK_LIMIT: i64 = 16;
pub const CTX_PAIR_PTR: i64 = 24;
pub const CTX_PAIR_LIMIT: i64 = 32;
/// The slot holding the return address at the bottom of the live stack
/// segment (see `control.rs`).
pub const CTX_STACK_BASE: i64 = 40;
/// `rbp` of the innermost `scm_call_scheme` frame (a Rust-to-Scheme boundary).
pub const CTX_BOUNDARY_FRAME: i64 = 48;
/// `rsp` just before compiled code's latest call into the runtime: the
/// return address below it starts the chain of Scheme frames that error
/// messages show (`backtrace.rs`).
pub const CTX_NATIVE_SP: i64 = 56;
/// How many borrows Rust calls hold (`scope.rs`): inline `string-set!`
/// takes its fast path only at 0 (a borrowed string gets new storage).
pub const CTX_BORROW_COUNT: i64 = 64;
/// The write barrier's card table (`heap/cards.rs`): storing a value into
/// the object at `a` sets the byte at `cards + (a >> CARD_SHIFT)`.
pub const CTX_CARDS: i64 = 72;
pub const CARD_SHIFT: u32 = 15;
/// The continuation whose frames the live stack segment returns into, and
/// the word of it where the next frame starts (`control.rs`).
pub const CTX_CONT_NEXT: i64 = 80;
pub const CTX_CONT_OFFSET: i64 = 88;
/// Pointer to `control::FRAME_CACHE` pairs (return address, frame words).
pub const CTX_FRAME_CACHE: i64 = 96;
/// `with-exception-handler`'s handlers and `dynamic-wind`'s entries, and
/// the id of the innermost Rust-to-Scheme boundary (0: none): what
/// `call/cc` saves in a continuation.
pub const CTX_HANDLERS: i64 = 104;
pub const CTX_WINDERS: i64 = 112;
pub const CTX_BOUNDARY_ID: i64 = 120;
/// Fixed words of a continuation object before its stack words.
pub const CONT_WORDS: usize = 7;

/// Encode a fixnum (the caller checks the range).
pub const fn fixnum(n: i64) -> u64 {
    (n << TAG_BITS) as u64
}

/// Encode a character.
pub const fn character(c: char) -> u64 {
    ((c as u64) << CHAR_SHIFT) | CHAR_TAG
}

/// Header word for an object of `kind` with `length` trailing words.
pub const fn header(kind: u64, length: u64) -> u64 {
    (length << HEADER_LENGTH_SHIFT) | kind
}

/// Objects larger than this get heap blocks of their own (compiled code
/// allocates only smaller ones inline).
pub const LARGE_OBJECT_BYTES: usize = 8 << 10;

/// A call site's position word in the compiler's table: line in the high
/// half, then the source file's index (12 bits) and the column (20 bits;
/// longer columns are clamped). 0: no position (the prelude).
pub const fn call_site_position(file: usize, line: usize, col: usize) -> u64 {
    let col = if col > 0xF_FFFF { 0xF_FFFF } else { col };
    ((line as u64) << 32) | (((file as u64) & 0xFFF) << 20) | col as u64
}

/// Words of the table the compiler emits for a program (`scheme_program`,
/// passed to `scm_main`) or for a unit compiled at run time by `eval`,
/// `load` or the REPL (`scheme_unit`, read by `eval.rs`), in order:
/// - `MODULE_ENTRY`: a program's entry (a C-convention function); a unit's
///   entry closure (a tagged value: a procedure of no arguments that runs
///   the unit's forms and returns the last one's value(s));
/// - `MODULE_ROOTS_START`, `MODULE_ROOTS_END`: its globals and constants,
///   roots for the collector;
/// - `MODULE_FRAMES_START`, `MODULE_FRAMES_END`: its call-site table;
/// - `MODULE_SOURCE`: its source files (count, then name and path of each);
/// - `MODULE_GLOBALS`: its global variables by name, a count then `(name,
///   address)` pairs (NUL-terminated names): in a program, the address of
///   each global's value cell; in a unit compiled for the interaction
///   environment, of a word the loader sets to the shared cell's address;
/// - `MODULE_COMPILER`: the path of the `schemec` that compiled a program
///   (NUL-terminated; `eval` runs it), 0 in a unit.
pub const MODULE_ENTRY: usize = 0;
pub const MODULE_ROOTS_START: usize = 1;
pub const MODULE_ROOTS_END: usize = 2;
pub const MODULE_FRAMES_START: usize = 3;
pub const MODULE_FRAMES_END: usize = 4;
pub const MODULE_SOURCE: usize = 5;
pub const MODULE_GLOBALS: usize = 6;
pub const MODULE_COMPILER: usize = 7;
/// Number of words in the table.
pub const MODULE_WORDS: usize = 8;
/// The symbol a program's table is exported as (the launcher of `schemec
/// run` finds it there).
pub const PROGRAM_SYMBOL: &str = "scheme_program";
/// The symbol a unit's table is exported as.
pub const UNIT_SYMBOL: &str = "scheme_unit";
