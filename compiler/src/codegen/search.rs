//! Inline `memq` and `assq`, and `memv`, `member`, `assv`, `assoc` when
//! their key is one they compare as `eq?` would (a literal, or a key checked
//! at run time: `search_key`): a loop over the list in compiled code, where
//! a call into the runtime cost more than the search of a short list (a
//! wrapper returning a `Result`, the call sequence, the walk's set-up).
//!
//! ```text
//!   rax = key, rcx = list; rdx walks, r8d counts down from 1024
//! loop: rdx not a pair?           -> end
//!       (assq: entry in r9, not a pair -> slow)
//!       car (of the entry) == key -> found
//!       rdx = cdr; --r8d != 0     -> loop
//!       else                      -> slow
//! end:  rdx == '()  ? #f : slow
//! ```
//!
//! Whatever is not a plain hit or miss within 1024 pairs (an improper
//! list, an entry that is not a pair, a long or circular list) goes to
//! the runtime's function with the original arguments, which searches
//! again from the start and returns the same result or reports the error
//! (`lists.rs`: the cycle check).

use scheme_runtime::abi;

use super::{Codegen, Proc};
use crate::ast::{Datum, Expr};
use scheme_runtime::registry::PrimDesc;

/// What the key of an inline search must be for `eq?` to decide it.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Key {
    /// Anything: `memq`, `assq`, or a literal the comparison treats as `eq?`.
    Any,
    /// Not a heap number (flonum, bignum, ratio): `memv`, `assv`.
    NotHeapNumber,
    /// A fixnum, character, symbol or other immediate: `member`, `assoc`
    /// (`equal?` compares those by identity).
    Atom,
}

/// Is `(prim key list)` a search `eq?` can do, and on what condition on
/// the key: `memq` and `assq` always; `memv`/`assv` and `member`/`assoc`
/// with a literal key the comparison treats as `eq?` (not a number; a
/// fixnum, symbol, boolean, character or the empty list), else when the
/// key checked at run time is one (`Key`).
pub(super) fn search_key(prim: &PrimDesc, args: &[Expr]) -> Option<Key> {
    let [key, _] = args else { return None };
    let literal = match key {
        Expr::Const(d) => Some(d),
        _ => None,
    };
    match (prim.name, literal) {
        ("memq" | "assq", _) => Some(Key::Any),
        ("memv" | "assv", None) => Some(Key::NotHeapNumber),
        ("memv" | "assv", Some(d)) => (!matches!(d, Datum::Number(_))).then_some(Key::Any),
        ("member" | "assoc", None) => Some(Key::Atom),
        ("member" | "assoc", Some(d)) => matches!(
            d,
            Datum::Int(_) | Datum::Sym(_) | Datum::Bool(_) | Datum::Char(_) | Datum::Nil
        )
        .then_some(Key::Any),
        _ => None,
    }
}

/// Pairs searched inline before the runtime takes over.
const INLINE_PAIRS: u32 = 1024;

impl<'a> Codegen<'a> {
    /// A search `search_key` allows, inline.
    pub(super) fn inline_search(
        &mut self,
        p: &mut Proc,
        prim: &PrimDesc,
        args: &'a [Expr],
        d: usize,
    ) {
        let assoc = prim.name.starts_with("ass");
        let key = search_key(prim, args).expect("an inline search");
        self.two(p, &args[0], &args[1], d);
        let (slow, done) = self.slow_to(prim.symbol, &["rax", "rcx"], d);
        self.check_key(p, key, &slow);
        let (top, end, found) = (
            self.label("search"),
            self.label("search_end"),
            self.label("found"),
        );
        let pair = abi::TAG_PAIR;
        let car = abi::PAIR_CAR - pair as i64;
        let cdr = abi::PAIR_CDR - pair as i64;
        self.emit(p, "mov rdx, rcx");
        self.emit(p, &format!("mov r8d, {INLINE_PAIRS}"));
        self.place(p, &top);
        self.emit(p, &format!("lea r9d, [rdx - {pair}]"));
        self.emit(p, "test r9b, 7");
        self.emit(p, &format!("jnz {end}"));
        if assoc {
            self.emit(p, &format!("mov r9, qword ptr [rdx + {car}]"));
            self.emit(p, &format!("lea r10d, [r9 - {pair}]"));
            self.emit(p, "test r10b, 7");
            self.emit(p, &format!("jnz {slow}"));
            self.emit(p, &format!("cmp qword ptr [r9 + {car}], rax"));
        } else {
            self.emit(p, &format!("cmp qword ptr [rdx + {car}], rax"));
        }
        self.emit(p, &format!("je {found}"));
        self.emit(p, &format!("mov rdx, qword ptr [rdx + {cdr}]"));
        self.emit(p, "sub r8d, 1");
        self.emit(p, &format!("jnz {top}"));
        self.emit(p, &format!("jmp {slow}"));
        self.place(p, &end);
        self.emit(p, &format!("cmp rdx, {:#x}", abi::NIL));
        self.emit(p, &format!("jne {slow}"));
        self.emit(p, &format!("mov eax, {:#x}", abi::FALSE));
        self.emit(p, &format!("jmp {done}"));
        self.place(p, &found);
        self.emit(p, &format!("mov rax, {}", if assoc { "r9" } else { "rdx" }));
        self.place(p, &done);
    }

    /// Jump to `slow` unless the key in `rax` is one `eq?` decides for the
    /// search (see `Key`). Uses `edx`.
    fn check_key(&mut self, p: &mut Proc, key: Key, slow: &str) {
        let obj = abi::TAG_OBJECT;
        let ok = self.label("key_ok");
        match key {
            Key::Any => return,
            Key::NotHeapNumber => {
                self.emit(p, "mov edx, eax");
                self.emit(p, "and edx, 7");
                self.emit(p, &format!("cmp edx, {}", abi::TAG_FLONUM));
                self.emit(p, &format!("je {slow}"));
                self.emit(p, &format!("cmp edx, {obj}"));
                self.emit(p, &format!("jne {ok}"));
                self.emit(p, &format!("movzx edx, byte ptr [rax - {obj}]"));
                self.emit(p, &format!("cmp edx, {}", abi::TYPE_BIGNUM));
                self.emit(p, &format!("je {slow}"));
                self.emit(p, &format!("cmp edx, {}", abi::TYPE_RATNUM));
                self.emit(p, &format!("je {slow}"));
            }
            Key::Atom => {
                const _: () = assert!(abi::TAG_FIXNUM == 0 && abi::TAG_IMMEDIATE == 7);
                self.emit(p, "mov edx, eax");
                self.emit(p, "and edx, 7");
                self.emit(p, &format!("jz {ok}"));
                self.emit(p, &format!("cmp edx, {}", abi::TAG_IMMEDIATE));
                self.emit(p, &format!("je {ok}"));
                self.emit(p, &format!("cmp edx, {obj}"));
                self.emit(p, &format!("jne {slow}"));
                self.emit(
                    p,
                    &format!("cmp byte ptr [rax - {obj}], {}", abi::TYPE_SYMBOL),
                );
                self.emit(p, &format!("jne {slow}"));
            }
        }
        self.place(p, &ok);
    }
}
