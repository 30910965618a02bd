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
struct ListBuilder<'s> {
    head: crate::heap::Root,
    tail: Value<'s>,
}

impl<'s> ListBuilder<'s> {
    fn new(ctx: &mut Ctx<'s>) -> ListBuilder<'s> {
        ListBuilder {
            head: ctx.root(Value::NIL),
            tail: Value::NIL,
        }
    }

    fn push(&mut self, ctx: &mut Ctx<'s>, v: Value<'s>) {
        let cell = ctx.cons(v, Value::NIL);
        if self.tail == Value::NIL {
            self.head.set(cell);
        } else {
            self.tail.set_cdr(cell);
        }
        self.tail = cell;
    }

    fn finish(self, ctx: &mut Ctx<'s>) -> Value<'s> {
        self.head.get(ctx)
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
            fn from_scheme(v: Value<'a>, args: &mut Args<'a>) -> Option<Self> {
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

        impl<'s, $($t: IntoScheme<'s>),+> IntoScheme<'s> for ($($t,)+) {
            const TYPE_NAME: &'static str = "list";
            fn describe() -> String {
                let parts: Vec<String> = vec![$($t::describe()),+];
                format!("(list {})", parts.join(" "))
            }
            fn into_scheme(self, ctx: &mut Ctx<'s>) -> Value<'s> {
                let mut list = ListBuilder::new(ctx);
                $(
                    let item = self.$i.into_scheme(ctx);
                    list.push(ctx, item);
                )+
                list.finish(ctx)
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
fn entries<'a>(v: Value<'a>, args: &mut Args<'a>) -> Option<Vec<(Value<'a>, Value<'a>)>> {
    if v.is_hashtable() {
        return Some(args.ctx().table_entries(v.rt()));
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
fn table_of<'s, K: IntoScheme<'s>, V: IntoScheme<'s>>(
    ctx: &mut Ctx<'s>,
    items: impl Iterator<Item = (K, V)>,
) -> Value<'s> {
    let t = ctx
        .rt()
        .make_hashtable(TableKind::Equal, Value::FALSE, Value::FALSE);
    let t = ctx.root(t);
    for (k, v) in items {
        let k = k.into_scheme(ctx);
        let k = ctx.root(k);
        let v = v.into_scheme(ctx);
        let v = ctx.root(v);
        // An `equal?` table hashes in Rust: this cannot fail.
        let _ = ctx.rt().table_set(t.value(), k.value(), v.value());
    }
    t.get(ctx)
}

macro_rules! maps {
    ($map:ident, $($bound:path),+) => {
        impl<'a, K: FromScheme<'a> $(+ $bound)+, V: FromScheme<'a>> FromScheme<'a> for $map<K, V> {
            const TYPE_NAME: &'static str = "hash table";
            fn describe() -> String {
                format!("(hash-table {} {})", K::describe(), V::describe())
            }
            fn from_scheme(v: Value<'a>, args: &mut Args<'a>) -> Option<Self> {
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

        impl<'s, K: IntoScheme<'s>, V: IntoScheme<'s>> IntoScheme<'s> for $map<K, V> {
            const TYPE_NAME: &'static str = "hash table";
            fn describe() -> String {
                format!("(hash-table {} {})", K::describe(), V::describe())
            }
            fn into_scheme(self, ctx: &mut Ctx<'s>) -> Value<'s> {
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
    fn from_scheme(v: Value<'a>, args: &mut Args<'a>) -> Option<Self> {
        String::from_scheme(v, args).map(PathBuf::from)
    }
}
impl<'s> IntoScheme<'s> for PathBuf {
    const TYPE_NAME: &'static str = "string";
    fn into_scheme(self, ctx: &mut Ctx<'s>) -> Value<'s> {
        ctx.make_string_from(&self.to_string_lossy())
    }
}

impl<'a> FromScheme<'a> for Box<str> {
    const TYPE_NAME: &'static str = "string";
    fn from_scheme(v: Value<'a>, args: &mut Args<'a>) -> Option<Self> {
        String::from_scheme(v, args).map(String::into_boxed_str)
    }
}
impl<'s> IntoScheme<'s> for Box<str> {
    const TYPE_NAME: &'static str = "string";
    fn into_scheme(self, ctx: &mut Ctx<'s>) -> Value<'s> {
        ctx.make_string_from(&self)
    }
}

impl<'a> FromScheme<'a> for Cow<'a, str> {
    const TYPE_NAME: &'static str = "string";
    fn from_scheme(v: Value<'a>, args: &mut Args<'a>) -> Option<Self> {
        <&'a str>::from_scheme(v, args).map(Cow::Borrowed)
    }
}
impl<'s> IntoScheme<'s> for Cow<'_, str> {
    const TYPE_NAME: &'static str = "string";
    fn into_scheme(self, ctx: &mut Ctx<'s>) -> Value<'s> {
        ctx.make_string_from(&self)
    }
}
