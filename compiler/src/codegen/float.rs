//! Flonum fast paths of the inline arithmetic and comparisons.
//!
//! Inline `+ - * /` and `= < > <= >=` test for fixnums first; when that
//! test fails they jump here, out of line, so the fixnum path keeps its
//! length. This code handles two flonums, or a flonum and a fixnum, with
//! SSE2 (the fixnum converted to a double) and boxes an arithmetic result
//! with the inline allocator. Everything else jumps on to the generic
//! path (a call of the runtime primitive): two fixnums (overflow, or `/`
//! giving a ratio), any other type (the runtime reports the error), an
//! exact 0 operand (exact 0 is exact: `(* 0 1.5)` is 0, `(+ 0 -0.0)` is
//! -0.0, as in Chez), and, for comparisons, a fixnum that a double does
//! not hold exactly (the runtime compares exactly).
//!
//! Input: the operands in `rax` and `rcx`; slots from `d` on are free.

use std::fmt::Write;

use scheme_runtime::abi;

use super::{comparison, odd, Codegen, Operands};
use crate::ast::{Datum, Expr};

/// What to do with the two doubles in `xmm0` and `xmm1`.
#[derive(Clone, Copy)]
pub(super) enum FloatOp {
    Arith(&'static str),
    Compare(&'static str),
}

/// What a comparison's outcome becomes.
pub(super) enum Outcome<'l> {
    /// `#t` or `#f` in `rax`, then jump to `done`.
    Boolean,
    /// Jump to the label when false, else to `done`.
    Branch(&'l str),
}

impl FloatOp {
    /// The float op for a primitive compiled inline, if it has one.
    pub(super) fn of(name: &str) -> Option<FloatOp> {
        Some(match name {
            "+" => FloatOp::Arith("addsd"),
            "-" => FloatOp::Arith("subsd"),
            "*" => FloatOp::Arith("mulsd"),
            "/" => FloatOp::Arith("divsd"),
            _ => FloatOp::Compare(numeric_comparison(name)?),
        })
    }
}

/// The condition code of a numeric comparison (`=`, `<`, ...), from the
/// table of inline comparisons.
pub(super) fn numeric_comparison(name: &str) -> Option<&'static str> {
    match comparison(name)? {
        (Operands::Fixnums, cc) => Some(cc),
        _ => None,
    }
}

/// `ucomisd` for the comparison `cc` of `xmm0` with `xmm1`, and the
/// condition that holds when it is true. `ucomisd` sets CF for "below" and
/// all of ZF, PF, CF when unordered (a NaN): the operands are ordered so
/// that the true case needs CF = 0 ("a"/"ae"), which NaN never gives;
/// equality must also check PF (see `branch_if_false`).
pub(super) fn ucomisd(cc: &str) -> (String, &'static str) {
    let (first, second, cond) = match cc {
        "l" => ("xmm1", "xmm0", "a"),
        "le" => ("xmm1", "xmm0", "ae"),
        "g" => ("xmm0", "xmm1", "a"),
        "ge" => ("xmm0", "xmm1", "ae"),
        _ => ("xmm0", "xmm1", "e"),
    };
    (format!("ucomisd {first}, {second}"), cond)
}

/// Box the double in `xmm0` as a flonum in `rax` with the inline
/// allocator, or jump to `full` when the hole is full (`rax` and `rcx`
/// unchanged then: the operands).
fn box_or(t: &mut String, full: &str) {
    let _ = writeln!(
        t,
        "    mov rdx, qword ptr [r15 + {ptr}]\n    lea r8, [rdx + {size}]\n    cmp r8, qword ptr [r15 + {limit}]\n    ja {full}\n    mov qword ptr [r15 + {ptr}], r8\n    mov qword ptr [rdx], {header:#x}\n    movsd qword ptr [rdx + {bits}], xmm0\n    lea rax, [rdx + {tag}]",
        ptr = abi::CTX_ALLOC_PTR,
        limit = abi::CTX_ALLOC_LIMIT,
        size = abi::FLONUM_SIZE,
        header = abi::header(abi::TYPE_FLONUM, 0),
        bits = abi::FLONUM_BITS,
        tag = abi::TAG_FLONUM,
    );
}

/// `#t` or `#f` in `rax` for the comparison `cc` of `xmm0` with `xmm1`.
pub(super) fn compare_to_boolean(t: &mut String, cc: &str) {
    let (compare, cond) = ucomisd(cc);
    let _ = writeln!(
        t,
        "    {compare}\n    mov eax, {:#x}\n    mov edx, {:#x}\n    cmov{cond} eax, edx",
        abi::FALSE,
        abi::TRUE
    );
    if cond == "e" {
        let _ = writeln!(t, "    mov edx, {:#x}\n    cmovp eax, edx", abi::FALSE);
    }
}

/// Jumps to `false_label` when the comparison `ucomisd` made (true under
/// `cond`) is false, NaN included.
pub(super) fn branch_if_false(cond: &str, false_label: &str) -> Vec<String> {
    let not = match cond {
        "a" => "be",
        "ae" => "b",
        _ => "ne",
    };
    let mut jumps = vec![format!("j{not} {false_label}")];
    if cond == "e" {
        jumps.push(format!("jp {false_label}"));
    }
    jumps
}

impl Codegen<'_> {
    /// Where the non-fixnum cases of an inline two-operand operation go:
    /// the fused flonum path of the tree it is the root of (`fuse.rs`), if
    /// one is being compiled, else its `op_path`.
    pub(super) fn non_fixnum_path(
        &mut self,
        symbol: &str,
        op: FloatOp,
        args: &[Expr],
        done: &str,
        outcome: Outcome,
        d: usize,
    ) -> String {
        match self.fuse_entry.take() {
            Some(fused) => fused,
            None => self.op_path(symbol, op, [&args[0], &args[1]], done, outcome, d),
        }
    }

    /// The out-of-line path of an inline two-operand `+ - * /` or numeric
    /// comparison, taken unless both operands are fixnums (and, for
    /// arithmetic, the result fits): a call of the program's shared path
    /// for that primitive (`shared_op`), from a call site of its own so
    /// that errors show this position. Returns its label; it ends at
    /// `done` with the result in `rax`, or for `Outcome::Branch` at the
    /// false label or `done`.
    pub(super) fn op_path(
        &mut self,
        symbol: &str,
        op: FloatOp,
        operands: [&Expr; 2],
        done: &str,
        outcome: Outcome,
        d: usize,
    ) -> String {
        let shared = self.shared_op(symbol, op);
        let entry = self.label("flonum");
        if operands
            .iter()
            .any(|e| matches!(e, Expr::Const(Datum::Int(_))))
        {
            // A fixnum literal operand: never two flonums.
            return self.shared_call(&entry, &shared, done, outcome, d);
        }
        let call = self.label("mixed");
        let mut t = format!("{entry}:\n");
        // Two flonums, inline: the low 3 bits of both, less the flonum
        // tag, are 0.
        let tag = abi::TAG_FLONUM;
        let _ = writeln!(
            t,
            "    lea edx, [rax - {tag}]\n    lea r8d, [rcx - {tag}]\n    or edx, r8d\n    test dl, 7\n    jnz {call}"
        );
        let bits = abi::FLONUM_BITS - abi::TAG_FLONUM as i64;
        let _ = writeln!(t, "    movsd xmm0, qword ptr [rax + {bits}]");
        let _ = writeln!(t, "    movsd xmm1, qword ptr [rcx + {bits}]");
        match (op, &outcome) {
            (FloatOp::Arith(ins), _) => {
                let _ = writeln!(t, "    {ins} xmm0, xmm1");
                box_or(&mut t, &call);
                let _ = writeln!(t, "    jmp {done}");
            }
            (FloatOp::Compare(cc), Outcome::Boolean) => {
                compare_to_boolean(&mut t, cc);
                let _ = writeln!(t, "    jmp {done}");
            }
            (FloatOp::Compare(cc), Outcome::Branch(false_label)) => {
                let (compare, cond) = ucomisd(cc);
                let _ = writeln!(t, "    {compare}");
                for jump in branch_if_false(cond, false_label) {
                    let _ = writeln!(t, "    {jump}");
                }
                let _ = writeln!(t, "    jmp {done}");
            }
        }
        // Anything else: the shared path.
        self.text.push_str(&t);
        self.shared_call(&call, &shared, done, outcome, d);
        entry
    }

    /// Out of line: the negation of the value in `rcx` if it is a flonum
    /// (a new flonum in `rax`), then `done`; anything else, or a full
    /// allocation hole, goes to `slow` with `rcx` unchanged. Returns its label.
    pub(super) fn negated_flonum_path(&mut self, slow: &str, done: &str) -> String {
        let entry = self.label("negate");
        let tag = abi::TAG_FLONUM;
        let bits = abi::FLONUM_BITS - tag as i64;
        let mut t = format!(
            "{entry}:\n    lea edx, [rcx - {tag}]\n    test dl, 7\n    jnz {slow}\n    mov rdx, qword ptr [rcx + {bits}]\n    btc rdx, 63\n    movq xmm0, rdx\n"
        );
        box_or(&mut t, slow);
        let _ = writeln!(t, "    jmp {done}");
        self.text.push_str(&t);
        entry
    }

    /// At `label`, call the shared path `shared` from a call site of this
    /// position, then go on to `done` (or the false label of a branch).
    fn shared_call(
        &mut self,
        label: &str,
        shared: &str,
        done: &str,
        outcome: Outcome,
        d: usize,
    ) -> String {
        let frame = odd(d);
        let ret = self.site(frame);
        let bytes = 8 * frame;
        let _ = write!(
            self.text,
            "{label}:\n    sub rsp, {bytes}\n    call {shared}\n{ret}:\n    add rsp, {bytes}\n"
        );
        if let Outcome::Branch(false_label) = outcome {
            let _ = writeln!(
                self.text,
                "    cmp rax, {:#x}\n    je {false_label}",
                abi::FALSE
            );
        }
        let _ = writeln!(self.text, "    jmp {done}");
        label.to_owned()
    }

    /// The shared path of primitive `symbol` (emitted once per program):
    /// operands in `rax` and `rcx`, result in `rax`; clobbers `rdx`, `r8`,
    /// `xmm0`, `xmm1`. Two flonums, or a flonum and a fixnum, are computed
    /// here with SSE2 and boxed with the inline allocator; everything else
    /// (two fixnums: overflow or a ratio; other types: the runtime reports
    /// the error; an exact 0; a full allocation hole) calls the runtime
    /// primitive. Its frame (three words) is in the frame table with no
    /// position, so backtraces and continuations pass through it.
    pub(super) fn shared_op(&mut self, symbol: &str, op: FloatOp) -> String {
        if let Some(l) = self.shared_ops.get(symbol) {
            return l.clone();
        }
        let l = format!("scheme_op_{}", self.shared_ops.len());
        self.shared_ops.insert(symbol.to_owned(), l.clone());
        let generic = format!("{l}.generic");
        let mut t = format!(
            "\n# `{symbol}` unless both operands are fixnums (every inline use calls this)\n{l}:\n"
        );
        let _ = writeln!(
            t,
            "    mov edx, eax\n    or edx, ecx\n    test dl, 7\n    jz {generic}"
        );
        let compare = matches!(op, FloatOp::Compare(_));
        for (reg, xmm) in [("rax", "xmm0"), ("rcx", "xmm1")] {
            self.load_double(&mut t, reg, xmm, &generic, compare);
        }
        match op {
            FloatOp::Arith(ins) => {
                let _ = writeln!(t, "    {ins} xmm0, xmm1");
                box_or(&mut t, &generic);
            }
            FloatOp::Compare(cc) => compare_to_boolean(&mut t, cc),
        }
        let _ = writeln!(t, "    ret");
        // The runtime primitive, on the two operands (argv order) in this
        // frame; aligned: rsp is 8 mod 16 on entry.
        let _ = writeln!(
            t,
            "{generic}:\n    sub rsp, 24\n    mov qword ptr [rsp], rax\n    mov qword ptr [rsp + 8], rcx\n    mov qword ptr [r15 + {native}], rsp\n    mov rdi, r15\n    mov rsi, rsp\n    mov edx, 2\n    call {symbol}\n{l}.ret:\n    add rsp, 24\n    ret",
            native = abi::CTX_NATIVE_SP
        );
        let _ = writeln!(self.frame_table, "    .quad {l}.ret, 3, 0x0, 0");
        self.text.push_str(&t);
        l
    }

    /// The flonum path of an n-ary `+ - *` whose operands are in `slots`
    /// (in order): all flonums fold in `xmm0`, anything else goes to
    /// `generic`. Returns its label.
    pub(super) fn float_nary(
        &mut self,
        ins: &str,
        slots: &[String],
        generic: &str,
        done: &str,
        d: usize,
    ) -> String {
        let entry = self.label("flonum");
        let mut t = format!("{entry}:\n");
        for s in slots {
            let _ = writeln!(
                t,
                "    mov rax, {s}\n    mov edx, eax\n    and edx, 7\n    cmp edx, {}\n    jne {generic}",
                abi::TAG_FLONUM
            );
        }
        let bits = abi::FLONUM_BITS - abi::TAG_FLONUM as i64;
        for (i, s) in slots.iter().enumerate() {
            let op = if i == 0 { "movsd" } else { ins };
            let _ = writeln!(
                t,
                "    mov rax, {s}\n    {op} xmm0, qword ptr [rax + {bits}]"
            );
        }
        self.box_double(&mut t, done, d);
        self.text.push_str(&t);
        entry
    }

    /// The double of the flonum or fixnum in `reg` into `xmm`; anything
    /// else goes to `generic`. For arithmetic so does a fixnum 0 (an exact
    /// result); for a comparison, a fixnum the double does not hold exactly.
    pub(super) fn load_double(
        &mut self,
        t: &mut String,
        reg: &str,
        xmm: &str,
        generic: &str,
        compare: bool,
    ) {
        let fixnum = self.label("fixnum");
        let loaded = self.label("loaded");
        let low = if reg == "rax" { "eax" } else { "ecx" };
        let byte = if reg == "rax" { "al" } else { "cl" };
        let bits = abi::FLONUM_BITS - abi::TAG_FLONUM as i64;
        let _ = writeln!(
            t,
            "    mov edx, {low}\n    and edx, 7\n    cmp edx, {}\n    jne {fixnum}\n    movsd {xmm}, qword ptr [{reg} + {bits}]\n    jmp {loaded}",
            abi::TAG_FLONUM
        );
        let _ = writeln!(t, "{fixnum}:\n    test {byte}, 7\n    jnz {generic}",);
        if !compare {
            let _ = writeln!(t, "    test {reg}, {reg}\n    jz {generic}");
        }
        let _ = writeln!(
            t,
            "    mov rdx, {reg}\n    sar rdx, {}\n    cvtsi2sd {xmm}, rdx",
            abi::TAG_BITS
        );
        if compare {
            let _ = writeln!(
                t,
                "    cvttsd2si r8, {xmm}\n    cmp r8, rdx\n    jne {generic}"
            );
        }
        let _ = writeln!(t, "{loaded}:");
    }

    /// Box the double in `xmm0` as a flonum in `rax` (clobbers `rdx`, `r8`),
    /// then jump to `done`; a full hole calls the runtime to box it.
    pub(super) fn box_double(&mut self, t: &mut String, done: &str, d: usize) {
        let slow = self.label("flonum_alloc");
        box_or(t, &slow);
        let _ = writeln!(t, "    jmp {done}");
        // The allocator's slow path may collect; the double is not a value,
        // so it travels in a register to a runtime function that boxes it.
        let call = self.call_text("scm_make_flonum", odd(d), true);
        let _ = writeln!(
            t,
            "{slow}:\n    mov rdi, r15\n    movq rsi, xmm0\n{call}    jmp {done}"
        );
    }
}
