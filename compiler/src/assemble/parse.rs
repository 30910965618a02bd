//! Statements of the assembly codegen writes, one line at a time.
//!
//! Input: a line of schemec's assembly (Intel syntax, `noprefix`).
//! Output: a label, an instruction with typed operands, a directive, or
//! `None` for anything this parser does not know (the caller then hands
//! the whole file to GNU as). Nothing is allocated: names borrow the line.

/// A general-purpose register: its number (0 = rax … 15 = r15) and size in
/// bytes. `needs_rex` marks spl, bpl, sil and dil, which exist only with a
/// REX prefix.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Reg {
    pub num: u8,
    pub size: u8,
    pub needs_rex: bool,
}

/// A memory operand: `size ptr [base + index*scale + disp]`, or
/// `[rip + symbol + disp]`. `size` is 0 when the text gives none (`lea`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mem<'a> {
    pub size: u8,
    pub base: Option<u8>,
    pub index: Option<(u8, u8)>,
    pub disp: i64,
    pub rip: bool,
    pub symbol: Option<&'a str>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Operand<'a> {
    Reg(Reg),
    Xmm(u8),
    Imm(i64),
    Mem(Mem<'a>),
    /// A label or an external symbol: the target of a jump or call.
    Symbol(&'a str),
}

/// An instruction's operands (at most three), without allocating.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Operands<'a> {
    ops: [Operand<'a>; 3],
    len: usize,
}

impl<'a> std::ops::Deref for Operands<'a> {
    type Target = [Operand<'a>];
    fn deref(&self) -> &[Operand<'a>] {
        &self.ops[..self.len]
    }
}

/// An item of a `.quad` list.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Quad<'a> {
    Number(i64),
    /// `symbol + addend`: the symbol's address.
    Address(&'a str, i64),
    /// `symbol - .`: the distance from here to the symbol.
    FromHere(&'a str),
}

#[derive(Debug, PartialEq)]
pub enum Statement<'a> {
    Instruction(&'a str, Operands<'a>),
    Quads(Vec<Quad<'a>>),
    /// `.ascii` (`zero` false) or `.asciz` bytes.
    Ascii(Vec<u8>, bool),
    Align(u32),
    Section(&'a str),
    Global(&'a str),
    /// Directives with no effect on the object (`.intel_syntax noprefix`).
    Nothing,
}

/// Splits a line into its label (if it starts with one) and the rest.
pub fn label(line: &str) -> (Option<&str>, &str) {
    let t = line.trim_start();
    let end = t
        .bytes()
        .position(|b| !(b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b == b'$'))
        .unwrap_or(t.len());
    if end > 0 && t.as_bytes().get(end) == Some(&b':') {
        (Some(&t[..end]), &t[end + 1..])
    } else {
        (None, t)
    }
}

/// Parses what follows a line's label: `Some(None)` for a blank or
/// comment-only rest, `None` for text this parser does not know.
pub fn statement(rest: &str) -> Option<Option<Statement<'_>>> {
    let t = rest.trim_start();
    if t.is_empty() || t.starts_with('#') {
        return Some(None);
    }
    if t.starts_with('.') {
        return directive(t).map(Some);
    }
    // Instructions never contain `#`: what follows it is a comment.
    let t = t.split('#').next().unwrap_or("").trim_end();
    let (mnemonic, ops) = match t.find(' ') {
        Some(i) => (&t[..i], t[i + 1..].trim()),
        None => (t, ""),
    };
    let mut operands = Operands {
        ops: [Operand::Imm(0); 3],
        len: 0,
    };
    if !ops.is_empty() {
        for op in ops.split(',') {
            *operands.ops.get_mut(operands.len)? = operand(op.trim())?;
            operands.len += 1;
        }
    }
    Some(Some(Statement::Instruction(mnemonic, operands)))
}

fn directive(t: &str) -> Option<Statement<'_>> {
    let (name, args) = match t.find(|c: char| c.is_ascii_whitespace()) {
        Some(i) => (&t[..i], t[i..].trim_start()),
        None => (t, ""),
    };
    match name {
        ".ascii" | ".asciz" => {
            let (bytes, rest) = string_literal(args)?;
            comment_only(rest)?;
            Some(Statement::Ascii(bytes, name == ".asciz"))
        }
        _ => {
            let args = args.split('#').next().unwrap_or("").trim();
            match name {
                ".quad" => args
                    .split(',')
                    .map(|a| quad(a.trim()))
                    .collect::<Option<_>>()
                    .map(Statement::Quads),
                ".p2align" => Some(Statement::Align(args.parse().ok().filter(|&n| n < 16)?)),
                ".text" | ".data" if args.is_empty() => Some(Statement::Section(name)),
                ".section" => Some(Statement::Section(args.split(',').next()?.trim())),
                ".globl" if is_symbol(args) => Some(Statement::Global(args)),
                ".intel_syntax" if args == "noprefix" => Some(Statement::Nothing),
                _ => None,
            }
        }
    }
}

fn comment_only(rest: &str) -> Option<()> {
    let r = rest.trim_start();
    (r.is_empty() || r.starts_with('#')).then_some(())
}

/// A `"…"` literal with the escapes codegen writes (`\\`, `\"`, octal).
fn string_literal(t: &str) -> Option<(Vec<u8>, &str)> {
    let b = t.as_bytes();
    if b.first() != Some(&b'"') {
        return None;
    }
    let mut out = Vec::new();
    let mut i = 1;
    while i < b.len() {
        match b[i] {
            b'"' => return Some((out, &t[i + 1..])),
            b'\\' => {
                i += 1;
                match *b.get(i)? {
                    c @ (b'\\' | b'"') => {
                        out.push(c);
                        i += 1;
                    }
                    b'n' => {
                        out.push(b'\n');
                        i += 1;
                    }
                    b't' => {
                        out.push(b'\t');
                        i += 1;
                    }
                    b'0'..=b'7' => {
                        let mut v: u32 = 0;
                        let mut n = 0;
                        while n < 3 && i < b.len() && (b'0'..=b'7').contains(&b[i]) {
                            v = v * 8 + u32::from(b[i] - b'0');
                            i += 1;
                            n += 1;
                        }
                        out.push(u8::try_from(v).ok()?);
                    }
                    _ => return None,
                }
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    None
}

fn quad(a: &str) -> Option<Quad<'_>> {
    if let Some(n) = number(a) {
        return Some(Quad::Number(n));
    }
    if let Some(sym) = a.strip_suffix('.') {
        let sym = sym.trim_end().strip_suffix('-')?.trim_end();
        return is_symbol(sym).then_some(Quad::FromHere(sym));
    }
    let (sym, addend) = symbol_plus(a)?;
    Some(Quad::Address(sym, addend))
}

/// `symbol`, `symbol + n` or `symbol - n`.
fn symbol_plus(a: &str) -> Option<(&str, i64)> {
    match a.find(['+', '-']) {
        None => is_symbol(a).then_some((a, 0)),
        Some(i) => {
            let sym = a[..i].trim_end();
            let n = number(a[i + 1..].trim())?;
            let n = if a.as_bytes()[i] == b'-' {
                n.checked_neg()?
            } else {
                n
            };
            is_symbol(sym).then_some((sym, n))
        }
    }
}

fn is_symbol(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && !b[0].is_ascii_digit()
        && b.iter()
            .all(|&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'.' || c == b'$')
        && s != "."
}

/// A decimal or `0x` hexadecimal integer, perhaps negative.
pub fn number(s: &str) -> Option<i64> {
    let (neg, digits) = match s.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, s),
    };
    let magnitude: u64 = if let Some(h) = digits.strip_prefix("0x") {
        u64::from_str_radix(h, 16).ok()?
    } else if !digits.is_empty() && digits.bytes().all(|c| c.is_ascii_digit()) {
        digits.parse().ok()?
    } else {
        return None;
    };
    if neg {
        0i64.checked_sub_unsigned(magnitude)
    } else {
        // Hexadecimal constants up to 2^64 - 1 stand for their bit pattern.
        Some(magnitude as i64)
    }
}

fn operand(op: &str) -> Option<Operand<'_>> {
    if let Some(r) = register(op) {
        return Some(r);
    }
    if let Some(n) = number(op) {
        return Some(Operand::Imm(n));
    }
    let sized = [
        ("qword ptr ", 8),
        ("dword ptr ", 4),
        ("byte ptr ", 1),
        ("word ptr ", 2),
        ("xmmword ptr ", 16),
    ]
    .iter()
    .find_map(|&(prefix, size)| op.strip_prefix(prefix).map(|rest| (size, rest.trim())));
    let (size, rest) = sized.unwrap_or((0, op));
    if let Some(inner) = rest.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
        return memory(size, inner).map(Operand::Mem);
    }
    (size == 0 && is_symbol(op)).then_some(Operand::Symbol(op))
}

fn register(name: &str) -> Option<Operand<'static>> {
    let reg = |num: u8, size: u8| {
        Some(Operand::Reg(Reg {
            num,
            size,
            needs_rex: size == 1 && (4..8).contains(&num),
        }))
    };
    // A match on the name: the compiler sorts the comparisons by length.
    match name {
        "rax" => reg(0, 8),
        "rcx" => reg(1, 8),
        "rdx" => reg(2, 8),
        "rbx" => reg(3, 8),
        "rsp" => reg(4, 8),
        "rbp" => reg(5, 8),
        "rsi" => reg(6, 8),
        "rdi" => reg(7, 8),
        "eax" => reg(0, 4),
        "ecx" => reg(1, 4),
        "edx" => reg(2, 4),
        "ebx" => reg(3, 4),
        "esp" => reg(4, 4),
        "ebp" => reg(5, 4),
        "esi" => reg(6, 4),
        "edi" => reg(7, 4),
        "ax" => reg(0, 2),
        "cx" => reg(1, 2),
        "dx" => reg(2, 2),
        "bx" => reg(3, 2),
        "sp" => reg(4, 2),
        "bp" => reg(5, 2),
        "si" => reg(6, 2),
        "di" => reg(7, 2),
        "al" => reg(0, 1),
        "cl" => reg(1, 1),
        "dl" => reg(2, 1),
        "bl" => reg(3, 1),
        "spl" => reg(4, 1),
        "bpl" => reg(5, 1),
        "sil" => reg(6, 1),
        "dil" => reg(7, 1),
        _ => {
            if let Some(n) = name.strip_prefix("xmm") {
                return n.parse().ok().filter(|&n: &u8| n < 16).map(Operand::Xmm);
            }
            let rest = name.strip_prefix('r')?;
            let digits = rest
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len());
            let n: u8 = rest[..digits]
                .parse()
                .ok()
                .filter(|n| (8..16).contains(n))?;
            match &rest[digits..] {
                "" => reg(n, 8),
                "d" => reg(n, 4),
                "w" => reg(n, 2),
                "b" => reg(n, 1),
                _ => None,
            }
        }
    }
}

/// The inside of `[…]`: terms joined by `+` and `-`.
fn memory(size: u8, inner: &str) -> Option<Mem<'_>> {
    let mut mem = Mem {
        size,
        base: None,
        index: None,
        disp: 0,
        rip: false,
        symbol: None,
    };
    let mut negative = false;
    let mut rest = inner.trim();
    loop {
        // A sign after the operator: `[rax + -1]`.
        if let Some(r) = rest.trim_start().strip_prefix('-') {
            negative = !negative;
            rest = r;
        }
        let end = rest.find(['+', '-']).unwrap_or(rest.len());
        let term = rest[..end].trim();
        if term.is_empty() {
            return None;
        }
        if let Some(n) = number(term) {
            mem.disp = if negative {
                mem.disp.checked_sub(n)?
            } else {
                mem.disp.checked_add(n)?
            };
        } else if negative {
            return None;
        } else if term == "rip" && mem.base.is_none() && !mem.rip {
            mem.rip = true;
        } else if let Some((r, scale)) = term.split_once('*') {
            let Some(Operand::Reg(Reg { num, size: 8, .. })) = register(r.trim()) else {
                return None;
            };
            let scale: u8 = scale
                .trim()
                .parse()
                .ok()
                .filter(|s| matches!(s, 1 | 2 | 4 | 8))?;
            if mem.index.is_some() || num == 4 {
                return None;
            }
            mem.index = Some((num, scale));
        } else if let Some(Operand::Reg(Reg { num, size: 8, .. })) = register(term) {
            if mem.base.is_none() && !mem.rip {
                mem.base = Some(num);
            } else if mem.index.is_none() && num != 4 {
                mem.index = Some((num, 1));
            } else {
                return None;
            }
        } else if is_symbol(term) && mem.symbol.is_none() {
            mem.symbol = Some(term);
        } else {
            return None;
        }
        if end == rest.len() {
            break;
        }
        negative = rest.as_bytes()[end] == b'-';
        rest = &rest[end + 1..];
    }
    // A symbol is only addressed relative to rip, and rip stands alone.
    let valid = if mem.rip {
        mem.index.is_none()
    } else {
        mem.symbol.is_none() && (mem.base.is_some() || mem.index.is_some())
    };
    valid.then_some(mem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operands_and_labels() {
        assert_eq!(label("proc_1.loop:  # x"), (Some("proc_1.loop"), "  # x"));
        assert_eq!(label("    mov rax, rcx"), (None, "mov rax, rcx"));
        let Some(Some(Statement::Instruction("mov", ops))) =
            statement("mov qword ptr [rdx + rcx*8 + 14], r9  # loop")
        else {
            panic!()
        };
        assert_eq!(
            ops[0],
            Operand::Mem(Mem {
                size: 8,
                base: Some(2),
                index: Some((1, 8)),
                disp: 14,
                rip: false,
                symbol: None
            })
        );
        assert_eq!(
            ops[1],
            Operand::Reg(Reg {
                num: 9,
                size: 8,
                needs_rex: false
            })
        );
        let Some(Some(Statement::Instruction("lea", ops))) =
            statement("lea rax, [rip + f.closure + 2]")
        else {
            panic!()
        };
        assert!(matches!(
            ops[1],
            Operand::Mem(Mem {
                rip: true,
                symbol: Some("f.closure"),
                disp: 2,
                ..
            })
        ));
        assert_eq!(
            statement(".quad a.info - ., 3, -0x10, b + 8")
                .unwrap()
                .unwrap(),
            Statement::Quads(vec![
                Quad::FromHere("a.info"),
                Quad::Number(3),
                Quad::Number(-16),
                Quad::Address("b", 8)
            ])
        );
        assert_eq!(
            statement(".ascii \"a\\\"#\\\\\\303\"  # x")
                .unwrap()
                .unwrap(),
            Statement::Ascii(b"a\"#\\\xc3".to_vec(), false)
        );
        assert_eq!(statement("mov rax, [rsp - rcx]"), None);
        assert_eq!(statement(".weird 3"), None);
        assert_eq!(number("0xffffffffffffffff"), Some(-1));
        assert_eq!(number("-9223372036854775808"), Some(i64::MIN));
    }
}
