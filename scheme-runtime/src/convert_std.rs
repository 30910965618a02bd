//! Conversions of standard Rust types beyond the basic ones of
//! `convert.rs`:
//!
//! | Rust type | Scheme argument | as a result |
//! |---|---|---|
//! | `(A, B, ...)` (up to 8) | a list of that length | a list |
//! | `HashMap<K, V>`, `BTreeMap<K, V>` | a hash table or an association list | a new `equal?` hash table |
//! | `PathBuf` | string | string |
//! | `Box<str>`, `Cow<str>` | string (`Cow` borrows it) | string |
//!
//! A path that is not UTF-8 becomes a string with U+FFFD in place of the
//! bytes that are not (Scheme strings are text).

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;
use std::path::PathBuf;

use crate::convert::{sequence_items, Args, FromScheme, IntoScheme};
use crate::ctx::Ctx;
use crate::hashtable::TableKind;
use crate::value::Value;

// ---- tuples -----------------------------------------------------------------

/// Builds a list front to back: the head is rooted, so every element
/// consed on stays alive while the next one is converted.
struct ListBuilder {
    head: crate::heap::Root,
    tail: Value,
}

impl ListBuilder {
    fn new(ctx: &mut Ctx) -> ListBuilder {
        ListBuilder {
            head: ctx.root(Value::NIL),
            tail: Value::NIL,
        }
    }

    fn push(&mut self, ctx: &mut Ctx, v: Value) {
        let cell = ctx.cons(v, Value::NIL);
        if self.tail == Value::NIL {
            self.head.set(cell);
        } else {
            self.tail.set_cdr(cell);
        }
        self.tail = cell;
    }

    fn finish(self) -> Value {
        self.head.get()
    }
}

macro_rules! tuples {
    ($(($n:literal; $($t:ident $i:tt),+))*) => {$(
        impl<'a, $($t: FromScheme<'a>),+> FromScheme<'a> for ($($t,)+) {
            const TYPE_NAME: &'static str = "list";
            fn describe() -> String {
                let parts: Vec<String> = vec![$($t::describe()),+];
                format!("(list {})", parts.join(" "))
            }
            fn from_scheme(v: Value, args: &mut Args<'a>) -> Option<Self> {
                if v.is_vector() {
                    return None;
                }
                let items = sequence_items(v)?;
                if items.len() != $n {
                    return None;
                }
                // Held: the list may lose them while Rust holds what they
                // convert to.
                Some(($({
                    let x = args.hold(items[$i]);
                    $t::from_scheme(x, args)?
                },)+))
            }
        }

        impl<$($t: IntoScheme),+> IntoScheme for ($($t,)+) {
            const TYPE_NAME: &'static str = "list";
            fn describe() -> String {
                let parts: Vec<String> = vec![$($t::describe()),+];
                format!("(list {})", parts.join(" "))
            }
            fn into_scheme(self, ctx: &mut Ctx) -> Value {
                let mut list = ListBuilder::new(ctx);
                $(
                    let item = self.$i.into_scheme(ctx);
                    list.push(ctx, item);
                )+
                list.finish()
            }
        }
    )*};
}

tuples! {
    (1; A 0)
    (2; A 0, B 1)
    (3; A 0, B 1, C 2)
    (4; A 0, B 1, C 2, D 3)
    (5; A 0, B 1, C 2, D 3, E 4)
    (6; A 0, B 1, C 2, D 3, E 4, F 5)
    (7; A 0, B 1, C 2, D 3, E 4, F 5, G 6)
    (8; A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7)
}

// ---- maps -------------------------------------------------------------------

/// The entries of a hash table, or of an association list (the first
/// entry of a key wins, as `assoc` finds it).
fn entries(v: Value, args: &mut Args<'_>) -> Option<Vec<(Value, Value)>> {
    if v.is_hashtable() {
        return Some(args.ctx().table_entries(v));
    }
    if v.is_vector() {
        return None;
    }
    let items = sequence_items(v)?;
    let mut out = Vec::with_capacity(items.len());
    for item in items.into_iter().rev() {
        if !item.is_pair() {
            return None;
        }
        out.push((item.car(), item.cdr()));
    }
    Some(out)
}

/// A new `equal?` hash table of the entries, each converted as it is
/// stored (the table, rooted, keeps what it holds).
fn table_of<K: IntoScheme, V: IntoScheme>(
    ctx: &mut Ctx,
    items: impl Iterator<Item = (K, V)>,
) -> Value {
    let t = ctx.make_hashtable(TableKind::Equal, Value::FALSE, Value::FALSE);
    let t = ctx.root(t);
    for (k, v) in items {
        let k = k.into_scheme(ctx);
        let k = ctx.root(k);
        let v = v.into_scheme(ctx);
        let v = ctx.root(v);
        // An `equal?` table hashes in Rust: this cannot fail.
        let _ = ctx.table_set(t.get(), k.get(), v.get());
    }
    t.get()
}

macro_rules! maps {
    ($map:ident, $($bound:path),+) => {
        impl<'a, K: FromScheme<'a> $(+ $bound)+, V: FromScheme<'a>> FromScheme<'a> for $map<K, V> {
            const TYPE_NAME: &'static str = "hash table";
            fn describe() -> String {
                format!("(hash-table {} {})", K::describe(), V::describe())
            }
            fn from_scheme(v: Value, args: &mut Args<'a>) -> Option<Self> {
                let mut out = $map::new();
                for (k, x) in entries(v, args)? {
                    // Held: the table may lose them while Rust holds what
                    // they convert to.
                    let k = args.hold(k);
                    let x = args.hold(x);
                    let key = K::from_scheme(k, args)?;
                    let value = V::from_scheme(x, args)?;
                    out.insert(key, value);
                }
                Some(out)
            }
        }

        impl<K: IntoScheme, V: IntoScheme> IntoScheme for $map<K, V> {
            const TYPE_NAME: &'static str = "hash table";
            fn describe() -> String {
                format!("(hash-table {} {})", K::describe(), V::describe())
            }
            fn into_scheme(self, ctx: &mut Ctx) -> Value {
                table_of(ctx, self.into_iter())
            }
        }
    };
}

maps!(HashMap, Eq, Hash);
maps!(BTreeMap, Ord);

// ---- text -------------------------------------------------------------------

impl<'a> FromScheme<'a> for PathBuf {
    const TYPE_NAME: &'static str = "string";
    fn from_scheme(v: Value, args: &mut Args<'a>) -> Option<Self> {
        String::from_scheme(v, args).map(PathBuf::from)
    }
}
impl IntoScheme for PathBuf {
    const TYPE_NAME: &'static str = "string";
    fn into_scheme(self, ctx: &mut Ctx) -> Value {
        ctx.make_string_from(&self.to_string_lossy())
    }
}

impl<'a> FromScheme<'a> for Box<str> {
    const TYPE_NAME: &'static str = "string";
    fn from_scheme(v: Value, args: &mut Args<'a>) -> Option<Self> {
        String::from_scheme(v, args).map(String::into_boxed_str)
    }
}
impl IntoScheme for Box<str> {
    const TYPE_NAME: &'static str = "string";
    fn into_scheme(self, ctx: &mut Ctx) -> Value {
        ctx.make_string_from(&self)
    }
}

impl<'a> FromScheme<'a> for Cow<'a, str> {
    const TYPE_NAME: &'static str = "string";
    fn from_scheme(v: Value, args: &mut Args<'a>) -> Option<Self> {
        <&'a str>::from_scheme(v, args).map(Cow::Borrowed)
    }
}
impl IntoScheme for Cow<'_, str> {
    const TYPE_NAME: &'static str = "string";
    fn into_scheme(self, ctx: &mut Ctx) -> Value {
        ctx.make_string_from(&self)
    }
}
