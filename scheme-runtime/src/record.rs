//! Records (`abi::TYPE_RECORD`): `[header][type descriptor][fields...]`.
//!
//! A record type descriptor (rtd) is a runtime object, itself a record
//! whose descriptor word is `#f`: `[header][#f][name][field names][flags]`.
//! `define-record-type` makes one when its definition runs; Rust code makes
//! them with [`Ctx::make_record_type`] (and keeps them in a `Root`). A
//! record's type is tested by identity of its descriptor word, which is
//! what compiled code does inline (`codegen`'s record operations).

use std::ffi::{c_char, CStr};

use crate::abi::*;
use crate::exception::{raise_error, type_condition};
use crate::print::print;
use crate::rt::Ctx;
use crate::rt::Value;
use crate::value::Kind;

const RTD_NAME: usize = 2;
const RTD_FIELD_NAMES: usize = 3;
const RTD_FLAGS: usize = 4;
const RTD_WORDS: u64 = 4;

/// Flag: the record prints as `#<name>`, its fields hidden (promises).
pub const OPAQUE: i64 = 1;

impl Ctx {
    /// A record type from its name (a symbol) and field names (a vector).
    pub(crate) fn record_type_from(&mut self, name: Value, names: Value, flags: i64) -> Value {
        let rtd = self.alloc_object(TYPE_RECORD, RTD_WORDS, RTD_WORDS);
        rtd.set_word(1, Value::FALSE.0);
        rtd.set_word(RTD_NAME, name.0);
        rtd.set_word(RTD_FIELD_NAMES, names.0);
        rtd.set_word(RTD_FLAGS, Value::fixnum(flags).0);
        rtd
    }

    /// A new record of type `rtd` (the caller gives one value per field).
    pub(crate) fn make_record(&mut self, rtd: Value, fields: &[Value]) -> Value {
        debug_assert_eq!(fields.len(), record_type_field_count(rtd));
        let n = fields.len() as u64 + 1;
        let r = self.alloc_object(TYPE_RECORD, n, n);
        // New: no write barrier.
        r.init_word(1, rtd.0);
        for (i, f) in fields.iter().enumerate() {
            r.init_word(2 + i, f.0);
        }
        r
    }
}

/// Is `v` a record type descriptor?
pub fn is_record_type(v: Value) -> bool {
    v.kind() == Kind::Record && v.word(1) == Value::FALSE.0
}

/// Is `v` a record of type `rtd`?
pub fn is_record_of(v: Value, rtd: Value) -> bool {
    v.kind() == Kind::Record && v.word(1) == rtd.0
}

/// The type descriptor of record `v`.
pub fn record_type(v: Value) -> Value {
    Value::from_bits(v.word(1))
}

/// Field `i` of record `v`.
pub fn record_field(v: Value, i: usize) -> Value {
    Value::from_bits(v.word(2 + i))
}

pub fn set_record_field(v: Value, i: usize, x: Value) {
    v.set_word(2 + i, x.0)
}

/// The name of record type `rtd`.
pub fn record_type_name<'a>(rtd: Value) -> &'a str {
    crate::text::symbol_str(Value::from_bits(rtd.word(RTD_NAME)))
}

/// How many fields records of type `rtd` have.
pub fn record_type_field_count(rtd: Value) -> usize {
    Value::from_bits(rtd.word(RTD_FIELD_NAMES)).header_length()
}

/// As Chez Scheme prints records: `#[point 1 2]`; a descriptor as
/// `#<record type point>`; an opaque record as `#<name>`.
pub fn print_record(out: &mut String, v: Value, write: bool) {
    if is_record_type(v) {
        out.push_str("#<record type ");
        out.push_str(record_type_name(v));
        out.push('>');
        return;
    }
    let rtd = record_type(v);
    if !is_record_type(rtd) {
        out.push_str("#<record>");
        return;
    }
    if Value::from_bits(rtd.word(RTD_FLAGS)).as_fixnum() & OPAQUE != 0 {
        out.push_str("#<");
        out.push_str(record_type_name(rtd));
        out.push('>');
        return;
    }
    out.push_str("#[");
    out.push_str(record_type_name(rtd));
    for i in 0..v.header_length() - 1 {
        out.push(' ');
        print(out, record_field(v, i), write);
    }
    out.push(']');
}

/// Raise `who: argument 1: expected NAME, got VALUE`: `got` is not a
/// record of type `rtd`.
#[cold]
pub fn record_type_error(ctx: &mut Ctx, who: &str, rtd: Value, got: Value) -> ! {
    let c = {
        let name = if is_record_type(rtd) {
            record_type_name(rtd).to_owned()
        } else {
            "record".to_owned()
        };
        type_condition(ctx, who, Some(1), None, &name, got)
    };
    raise_error(ctx, c)
}

fn c_str<'a>(p: *const c_char) -> &'a str {
    // SAFETY: compiled code passes a NUL-terminated UTF-8 name it emitted.
    unsafe { CStr::from_ptr(p) }.to_str().unwrap_or("?")
}

/// An inline record access (`codegen`) found `got` not of type `rtd`; an
/// unbound `rtd` means the accessor ran before its definition.
#[no_mangle]
pub extern "C" fn scm_error_record(ctx: &mut Ctx, who: *const c_char, rtd: Value, got: Value) -> ! {
    let who = c_str(who);
    if rtd.0 == UNBOUND {
        crate::error::raise(ctx, "unbound", who, "variable used before its definition")
    }
    record_type_error(ctx, who, rtd, got)
}

/// A Rust struct that Scheme sees as a record (`#[derive(SchemeRecord)]`
/// implements it, with `FromScheme` and `IntoScheme` that copy the
/// fields, and the primitives `make-NAME`, `NAME?`, `NAME-FIELD` and
/// `NAME-FIELD-set!`).
pub trait SchemeRecord: Sized {
    /// The record type's Scheme name: `point`.
    const NAME: &'static str;
    /// The field names, in order.
    const FIELDS: &'static [&'static str];
    /// Unique among all record types of the program: the Rust path.
    const KEY: &'static str;

    /// The record type descriptor (made on first use, kept for the run).
    fn record_type<'s>(ctx: &mut crate::ctx::Ctx<'s>) -> crate::value::Value<'s> {
        ctx.rt()
            .rust_record_type(Self::KEY, Self::NAME, Self::FIELDS)
    }

    /// Is `v` a record of this type?
    fn is(ctx: &mut crate::ctx::Ctx<'_>, v: crate::value::Value<'_>) -> bool {
        is_record_of(v.rt(), Self::record_type(ctx.rt()))
    }

    /// A new record of this type from one value per field. A wrong number
    /// of fields is a panic (caught as any panic in a `#[scheme_fn]`).
    fn make<'s>(
        ctx: &mut crate::ctx::Ctx<'s>,
        fields: &[crate::value::Value<'s>],
    ) -> crate::value::Value<'s> {
        let ctx = ctx.rt();
        let fields = crate::value::rt_slice(fields);
        assert_eq!(
            fields.len(),
            Self::FIELDS.len(),
            "a `{}` record has {} fields",
            Self::NAME,
            Self::FIELDS.len()
        );
        let rtd = Self::record_type(ctx);
        ctx.make_record(rtd, fields)
    }
}

impl Ctx {
    fn rust_record_type(&mut self, key: &'static str, name: &str, fields: &[&str]) -> Value {
        if let Some(root) = self.rust_record_types.get(key) {
            return root.value();
        }
        let rtd = self.make_record_type(name, fields, 0);
        let root = self.root(rtd);
        self.rust_record_types.insert(key, root);
        rtd
    }
}

/// A record of `T`'s type, as it is in the heap (no fields copied): the
/// parameter type of the generated accessors.
pub struct RecordOf<'s, T> {
    record: crate::value::Value<'s>,
    _type: std::marker::PhantomData<T>,
}

impl<'s, T: SchemeRecord> RecordOf<'s, T> {
    /// `v` if it is a record of `T`'s type.
    pub fn of(args: &mut crate::Args<'s>, v: crate::value::Value<'s>) -> Option<Self> {
        T::is(args.ctx(), v.rt()).then_some(RecordOf {
            record: v,
            _type: std::marker::PhantomData,
        })
    }

    /// The record itself.
    pub fn value(&self) -> crate::value::Value<'s> {
        self.record
    }

    /// Field `i` (in `T::FIELDS` order). Panics if there is no such field.
    pub fn field(&self, i: usize) -> crate::value::Value<'s> {
        assert!(i < T::FIELDS.len(), "no field {i} in a `{}`", T::NAME);
        record_field(self.record.rt(), i)
    }

    /// Set field `i` to `v` (a value the field's Rust type does not
    /// accept makes later conversions of the record fail, as a wrong
    /// record would). Panics if there is no such field.
    pub fn set_field(&self, i: usize, v: crate::value::Value<'s>) {
        assert!(i < T::FIELDS.len(), "no field {i} in a `{}`", T::NAME);
        set_record_field(self.record.rt(), i, v.rt());
    }
}

impl<'a, T: SchemeRecord> crate::FromScheme<'a> for RecordOf<'a, T> {
    const TYPE_NAME: &'static str = T::NAME;
    fn from_scheme(v: crate::value::Value<'a>, args: &mut crate::Args<'a>) -> Option<Self> {
        RecordOf::of(args, v)
    }
}

impl<'s> crate::ctx::Ctx<'s> {
    /// A new record type named `name` with these fields.
    pub fn make_record_type(
        &mut self,
        name: &str,
        fields: &[&str],
        flags: i64,
    ) -> crate::value::Value<'s> {
        let ctx = self.rt();
        let name = ctx.intern(name);
        let name = ctx.root(name);
        let names = ctx.make_vector(fields.len(), Value::FALSE);
        let names = ctx.root(names);
        for (i, f) in fields.iter().enumerate() {
            let sym = ctx.intern(f);
            names.value().vector_set(i, sym);
        }
        ctx.record_type_from(name.value(), names.value(), flags)
    }
}
