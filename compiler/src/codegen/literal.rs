//! Inline comparisons, `+` and `-` with a literal operand: `(< i 10)`,
//! `(- n 1)`, `(char=? c #\a)`. The literal is an immediate of the
//! instruction instead of a register loaded for it, and only the other
//! operand's type is tested:
//!
//! ```text
//!   test al, 7 ; jnz fix         |  fix:  mov rcx, LIT   (the operand the
//!   sub rax, LIT ; jo undo       |        jmp slow        slow path wants)
//!                                |  undo: add rax, LIT ; jmp fix
//! ```
//!
//! The slow paths are the usual ones (`float.rs`, the runtime call): they
//! still receive both operands, `a` in `rax` and `b` in `rcx`, so results
//! and errors are those of the general code. An overflowing `add`/`sub`
//! is undone by the inverse operation, which wraps back exactly.

use std::fmt::Write;

use scheme_runtime::abi;

use super::float::{FloatOp, Outcome};
use super::{comparison, immediate, negate, Codegen, Operands, Proc};
use crate::ast::{Datum, Expr};

/// The word of `e` when it is a literal of the kind `operands` compares
/// and fits an instruction's 32-bit immediate.
fn literal_word(operands: Operands, e: &Expr) -> Option<i64> {
    let Expr::Const(d) = e else { return None };
    let kind_ok = match operands {
        Operands::Fixnums => matches!(d, Datum::Int(_)),
        Operands::Chars => matches!(d, Datum::Char(_)),
    };
    let word = immediate(d)? as i64;
    (kind_ok && i32::try_from(word).is_ok()).then_some(word)
}

/// The condition code for the operands swapped (`a < b` is `b > a`).
fn mirror(cc: &str) -> &'static str {
    match cc {
        "l" => "g",
        "g" => "l",
        "le" => "ge",
        "ge" => "le",
        _ => "e",
    }
}

/// Where the literal of a comparison is, and its word.
pub(super) struct LiteralOperand {
    word: i64,
    /// Is the literal the second operand (else the first)?
    second: bool,
}

impl LiteralOperand {
    /// A literal operand of the comparison `name` of `args`, when exactly
    /// one of them is.
    pub(super) fn of_comparison(name: &str, args: &[Expr]) -> Option<LiteralOperand> {
        let (operands, _) = comparison(name)?;
        let [a, b] = args else { return None };
        match (literal_word(operands, a), literal_word(operands, b)) {
            (None, Some(word)) => Some(LiteralOperand { word, second: true }),
            (Some(word), None) => Some(LiteralOperand {
                word,
                second: false,
            }),
            _ => None,
        }
    }
}

impl<'a> Codegen<'a> {
    /// A stub that puts the literal back in its register and jumps to
    /// `slow`, out of line; its label.
    fn literal_fix(&mut self, lit: &LiteralOperand, slow: &str) -> String {
        let l = self.label("lit_operand");
        let reg = if lit.second { "rcx" } else { "rax" };
        let _ = writeln!(
            self.text,
            "{l}:\n    mov {reg}, {:#x}\n    jmp {slow}",
            lit.word
        );
        l
    }

    /// An inline comparison `prim` of `args` with one literal operand:
    /// jumps to `false_label` when false (`Some`), or leaves `#t`/`#f` in
    /// `rax` (`None`).
    pub(super) fn compare_literal(
        &mut self,
        p: &mut Proc,
        (symbol, name): (&str, &str),
        args: &'a [Expr],
        lit: LiteralOperand,
        d: usize,
        false_label: Option<&str>,
    ) {
        let (operands, cc) = comparison(name).expect("a comparison");
        // The other operand, in the register it has in the general code.
        let reg = if lit.second {
            self.expr(p, &args[0], d, false);
            "rax"
        } else {
            self.expr(p, &args[1], d, false);
            self.emit(p, "mov rcx, rax");
            "rcx"
        };
        let done = self.label("compared");
        let slow = match (FloatOp::of(name), false_label) {
            (Some(op), Some(no)) => {
                self.non_fixnum_path(symbol, op, args, &done, Outcome::Branch(no), d)
            }
            (Some(op), None) => self.non_fixnum_path(symbol, op, args, &done, Outcome::Boolean, d),
            (None, no) => {
                let after = Self::after_slow_call(no, &done);
                self.slow_path(symbol, &["rax", "rcx"], d, &after)
            }
        };
        let fix = self.literal_fix(&lit, &slow);
        let low = if lit.second { "al" } else { "cl" };
        // The other operand's type test: jnz and jne are one instruction.
        match operands {
            Operands::Fixnums => self.emit(p, &format!("test {low}, 7")),
            Operands::Chars => self.emit(p, &format!("cmp {low}, {:#x}", abi::CHAR_TAG)),
        }
        self.emit(p, &format!("jne {fix}"));
        self.emit(p, &format!("cmp {reg}, {:#x}", lit.word));
        let cc = if lit.second { cc } else { mirror(cc) };
        match false_label {
            Some(no) => self.emit(p, &format!("j{} {no}", negate(cc))),
            None => self.boolean_from_flags(p, cc),
        }
        self.place(p, &done);
    }

    /// Inline `(+ a LIT)`, `(- a LIT)` or `(+ LIT a)`, when one operand is
    /// a fixnum literal; false (nothing emitted) otherwise.
    pub(super) fn add_literal(
        &mut self,
        p: &mut Proc,
        name: &str,
        symbol: &str,
        args: &'a [Expr],
        d: usize,
    ) -> bool {
        let [a, b] = args else { return false };
        let lit = match (
            literal_word(Operands::Fixnums, a),
            literal_word(Operands::Fixnums, b),
        ) {
            (None, Some(word)) => LiteralOperand { word, second: true },
            (Some(word), None) if name == "+" => LiteralOperand {
                word,
                second: false,
            },
            _ => return false,
        };
        let (ins, inverse) = if name == "+" {
            ("add", "sub")
        } else {
            ("sub", "add")
        };
        // The other operand in rax; for `(+ LIT a)` the slow path wants it
        // in rcx and the literal in rax.
        let other = if lit.second { a } else { b };
        self.expr(p, other, d, false);
        let done = self.label("done");
        let op = FloatOp::of(name).expect("+ and - have float ops");
        let slow = self.non_fixnum_path(symbol, op, args, &done, Outcome::Boolean, d);
        let fix = if lit.second {
            self.literal_fix(&lit, &slow)
        } else {
            let l = self.label("lit_operand");
            let _ = writeln!(
                self.text,
                "{l}:\n    mov rcx, rax\n    mov rax, {:#x}\n    jmp {slow}",
                lit.word
            );
            l
        };
        let undo = self.label("overflow");
        let _ = writeln!(
            self.text,
            "{undo}:\n    {inverse} rax, {:#x}\n    jmp {fix}",
            lit.word
        );
        self.emit(p, "test al, 7");
        self.emit(p, &format!("jnz {fix}"));
        self.emit(p, &format!("{ins} rax, {:#x}", lit.word));
        self.emit(p, &format!("jo {undo}"));
        self.place(p, &done);
        true
    }
}
