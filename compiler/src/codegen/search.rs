//! Inline `memq` and `assq`, and `memv`, `member`, `assv`, `assoc` with a
//! literal key they compare as `eq?` would (`by_eq`): a loop over the list in compiled code, where
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

/// Is `(prim key list)` a search by `eq?`: `memq` or `assq`, or
/// `memv`/`assv` with a literal key that is not a heap number, or
/// `member`/`assoc` with a literal key that `equal?` compares by identity
/// (a fixnum, symbol, boolean, character or the empty list)?
pub(super) fn by_eq(prim: &PrimDesc, args: &[Expr]) -> bool {
    let [key, _] = args else { return false };
    match prim.name {
        "memq" | "assq" => true,
        "memv" | "assv" => matches!(key, Expr::Const(d) if !matches!(d, Datum::Number(_))),
        "member" | "assoc" => matches!(
            key,
            Expr::Const(
                Datum::Int(_) | Datum::Sym(_) | Datum::Bool(_) | Datum::Char(_) | Datum::Nil
            )
        ),
        _ => false,
    }
}

/// Pairs searched inline before the runtime takes over.
const INLINE_PAIRS: u32 = 1024;

impl<'a> Codegen<'a> {
    /// A search `by_eq`, inline.
    pub(super) fn inline_search(
        &mut self,
        p: &mut Proc,
        prim: &PrimDesc,
        args: &'a [Expr],
        d: usize,
    ) {
        let assoc = prim.name.starts_with("ass");
        self.two(p, &args[0], &args[1], d);
        let (slow, done) = self.slow_to(prim.symbol, &["rax", "rcx"], d);
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
}
