//! x86-64 machine code for one instruction.
//!
//! Input: a mnemonic and its parsed operands. Output: the instruction's
//! bytes (with at most one 32-bit field left for the layout to fill: a
//! symbol's address relative to rip, or a call's target), or a branch to a
//! label whose size the layout chooses. `None` for a form this encoder
//! does not know. Where x86 offers several encodings, this one picks the
//! one GNU as picks, so the two can be compared byte for byte (the tests
//! do).

use super::parse::{Mem, Operand, Reg};

/// A 32-bit field to fill at layout: `symbol + addend - (end of field +
/// trailing)`, `trailing` being the immediate that follows the field.
#[derive(Clone, Copy, Debug)]
pub struct Fix<'a> {
    pub at: u8,
    pub symbol: &'a str,
    pub addend: i64,
    pub trailing: u8,
    /// A call or jump: a PLT32 relocation when the target is outside.
    pub call: bool,
}

#[derive(Clone, Copy, Debug)]
pub enum Insn<'a> {
    Code {
        bytes: [u8; 15],
        len: u8,
        fix: Option<Fix<'a>>,
    },
    /// `jmp` (`cc` None) or `jcc` to a label: 2 bytes if it reaches, else 5 or 6.
    Branch { cc: Option<u8>, target: &'a str },
}

/// The register field or the memory operand of a ModRM byte.
#[derive(Clone, Copy)]
enum Rm<'m, 'a> {
    Reg(u8),
    Mem(&'m Mem<'a>),
}

struct Out<'a> {
    bytes: [u8; 15],
    len: usize,
    fix: Option<Fix<'a>>,
}

impl<'a> Out<'a> {
    fn new() -> Self {
        Out {
            bytes: [0; 15],
            len: 0,
            fix: None,
        }
    }

    fn push(&mut self, b: u8) -> Option<()> {
        *self.bytes.get_mut(self.len)? = b;
        self.len += 1;
        Some(())
    }

    fn imm(&mut self, v: i64, size: u8) -> Option<()> {
        for b in &v.to_le_bytes()[..usize::from(size)] {
            self.push(*b)?;
        }
        Some(())
    }

    fn done(self) -> Option<Insn<'a>> {
        Some(Insn::Code {
            bytes: self.bytes,
            len: self.len as u8,
            fix: self.fix,
        })
    }
}

/// The operand-size and mandatory prefixes, REX, opcode, ModRM, SIB,
/// displacement and immediate (`(value, size)`) of one instruction.
fn emit<'a>(
    prefix: Option<u8>,
    wide: bool,
    force_rex: bool,
    opcode: &[u8],
    reg: u8,
    rm: Rm<'_, 'a>,
    imm: Option<(i64, u8)>,
) -> Option<Insn<'a>> {
    let mut out = Out::new();
    if let Some(p) = prefix {
        out.push(p)?;
    }
    let (x, b) = match rm {
        Rm::Reg(r) => (0, r >> 3),
        Rm::Mem(m) => (
            m.index.map_or(0, |(i, _)| i >> 3),
            m.base.map_or(0, |b| b >> 3),
        ),
    };
    let rex = 0x40 | u8::from(wide) << 3 | (reg >> 3) << 2 | x << 1 | b;
    if rex != 0x40 || force_rex {
        out.push(rex)?;
    }
    for &o in opcode {
        out.push(o)?;
    }
    let reg = (reg & 7) << 3;
    match rm {
        Rm::Reg(r) => out.push(0xC0 | reg | (r & 7))?,
        Rm::Mem(m) if m.rip => {
            out.push(reg | 5)?;
            match m.symbol {
                Some(symbol) => {
                    let trailing = imm.map_or(0, |(_, s)| s);
                    out.fix = Some(Fix {
                        at: out.len as u8,
                        symbol,
                        addend: m.disp,
                        trailing,
                        call: false,
                    });
                    out.imm(0, 4)?;
                }
                None => out.imm(i64::from(i32::try_from(m.disp).ok()?), 4)?,
            }
        }
        Rm::Mem(Mem {
            base: None,
            index: Some((index, scale)),
            disp,
            ..
        }) => {
            // No base: `[index*scale + disp32]`, base field 101.
            out.push(reg | 4)?;
            out.push(scale_bits(*scale) << 6 | (index & 7) << 3 | 5)?;
            out.imm(i64::from(i32::try_from(*disp).ok()?), 4)?;
        }
        Rm::Mem(m) => {
            let base = m.base?;
            let disp = i32::try_from(m.disp).ok()?;
            // rbp and r13 as a base have no form without a displacement.
            let mode = if disp == 0 && base & 7 != 5 {
                0x00
            } else if i8::try_from(disp).is_ok() {
                0x40
            } else {
                0x80
            };
            match m.index {
                Some((index, scale)) => {
                    out.push(mode | reg | 4)?;
                    out.push(scale_bits(scale) << 6 | (index & 7) << 3 | (base & 7))?;
                }
                // rsp and r12 as a base need a SIB byte.
                None if base & 7 == 4 => {
                    out.push(mode | reg | 4)?;
                    out.push(0x24)?;
                }
                None => out.push(mode | reg | (base & 7))?,
            }
            match mode {
                0x40 => out.imm(i64::from(disp), 1)?,
                0x80 => out.imm(i64::from(disp), 4)?,
                _ => {}
            }
        }
    }
    if let Some((v, size)) = imm {
        out.imm(v, size)?;
    }
    out.done()
}

fn scale_bits(scale: u8) -> u8 {
    match scale {
        1 => 0,
        2 => 1,
        4 => 2,
        _ => 3,
    }
}

/// Condition codes by suffix, as in `jcc`, `cmovcc` and `setcc`.
fn condition(suffix: &str) -> Option<u8> {
    Some(match suffix {
        "o" => 0,
        "no" => 1,
        "b" | "c" | "nae" => 2,
        "ae" | "nb" | "nc" => 3,
        "e" | "z" => 4,
        "ne" | "nz" => 5,
        "be" | "na" => 6,
        "a" | "nbe" => 7,
        "s" => 8,
        "ns" => 9,
        "p" | "pe" => 10,
        "np" | "po" => 11,
        "l" | "nge" => 12,
        "ge" | "nl" => 13,
        "le" | "ng" => 14,
        "g" | "nle" => 15,
        _ => return None,
    })
}

/// A register or memory operand and its size (0: not given).
fn rm_of<'m, 'a>(op: &'m Operand<'a>) -> Option<(Rm<'m, 'a>, u8, bool)> {
    match op {
        Operand::Reg(r) => Some((Rm::Reg(r.num), r.size, r.needs_rex)),
        Operand::Mem(m) => Some((Rm::Mem(m), m.size, false)),
        _ => None,
    }
}

fn size_prefix(size: u8) -> Option<u8> {
    (size == 2).then_some(0x66)
}

fn fits_i8(v: i64) -> bool {
    i8::try_from(v).is_ok()
}

/// An immediate for an operation of `size` bytes, as the CPU sees it after
/// sign extension (`0xffffffff` for a 32-bit operation is -1), or `None`
/// if it does not fit.
fn immediate(v: i64, size: u8) -> Option<i64> {
    match size {
        1 => (-128..=255)
            .contains(&v)
            .then_some(i64::from(v as u8 as i8)),
        2 => (-32768..=65535)
            .contains(&v)
            .then_some(i64::from(v as u16 as i16)),
        4 => (i64::from(i32::MIN)..=i64::from(u32::MAX))
            .contains(&v)
            .then_some(i64::from(v as u32 as i32)),
        8 => i32::try_from(v).is_ok().then_some(v),
        _ => None,
    }
}

pub fn encode<'a>(mnemonic: &str, ops: &[Operand<'a>]) -> Option<Insn<'a>> {
    use Operand::{Imm, Reg as R, Symbol};
    match (mnemonic, ops) {
        ("mov", [a, b]) => mov(a, b),
        ("ret", []) => fixed(&[0xC3]),
        ("ud2", []) => fixed(&[0x0F, 0x0B]),
        ("cqo", []) => fixed(&[0x48, 0x99]),
        ("cdq", []) => fixed(&[0x99]),
        ("nop", []) => fixed(&[0x90]),
        ("jmp", [Symbol(t)]) => Some(Insn::Branch {
            cc: None,
            target: t,
        }),
        ("call", [Symbol(t)]) => {
            let mut out = Out::new();
            out.push(0xE8)?;
            out.fix = Some(Fix {
                at: 1,
                symbol: t,
                addend: 0,
                trailing: 0,
                call: true,
            });
            out.imm(0, 4)?;
            out.done()
        }
        ("jmp" | "call", [op]) => {
            let (rm, size, _) = rm_of(op)?;
            if !matches!((op, size), (R(_), 8) | (Operand::Mem(_), 8 | 0)) {
                return None;
            }
            emit(
                None,
                false,
                false,
                &[0xFF],
                if mnemonic == "jmp" { 4 } else { 2 },
                rm,
                None,
            )
        }
        (j, [Symbol(t)]) if j.starts_with('j') => Some(Insn::Branch {
            cc: Some(condition(&j[1..])?),
            target: t,
        }),
        ("add" | "or" | "adc" | "sbb" | "and" | "sub" | "xor" | "cmp", [a, b]) => {
            let n = ["add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"]
                .iter()
                .position(|&m| m == mnemonic)? as u8;
            alu(n, a, b)
        }
        ("test", [a, b]) => test(a, b),
        ("lea", [R(d), Operand::Mem(m)]) if d.size >= 4 => {
            emit(None, d.size == 8, false, &[0x8D], d.num, Rm::Mem(m), None)
        }
        ("imul", [R(d), src, Imm(i)]) if d.size >= 4 => {
            let (rm, size, _) = rm_of(src)?;
            (size == d.size || size == 0).then_some(())?;
            let wide = d.size == 8;
            match i8::try_from(*i) {
                Ok(_) => emit(None, wide, false, &[0x6B], d.num, rm, Some((*i, 1))),
                Err(_) => {
                    i32::try_from(*i).ok()?;
                    emit(None, wide, false, &[0x69], d.num, rm, Some((*i, 4)))
                }
            }
        }
        ("imul", [R(d), src]) if d.size >= 4 => {
            let (rm, size, _) = rm_of(src)?;
            (size == d.size || size == 0).then_some(())?;
            emit(None, d.size == 8, false, &[0x0F, 0xAF], d.num, rm, None)
        }
        ("rol" | "ror" | "shl" | "sal" | "shr" | "sar", [dst, count]) => {
            let n = match mnemonic {
                "rol" => 0,
                "ror" => 1,
                "shl" | "sal" => 4,
                "shr" => 5,
                _ => 7,
            };
            let (rm, size, rex) = rm_of(dst)?;
            let byte = size == 1;
            let wide = size == 8;
            match count {
                Imm(1) => emit(
                    size_prefix(size),
                    wide,
                    rex,
                    &[if byte { 0xD0 } else { 0xD1 }],
                    n,
                    rm,
                    None,
                ),
                Imm(c) if (0..64).contains(c) => emit(
                    size_prefix(size),
                    wide,
                    rex,
                    &[if byte { 0xC0 } else { 0xC1 }],
                    n,
                    rm,
                    Some((*c, 1)),
                ),
                R(crate::assemble::parse::Reg {
                    num: 1, size: 1, ..
                }) => emit(
                    size_prefix(size),
                    wide,
                    rex,
                    &[if byte { 0xD2 } else { 0xD3 }],
                    n,
                    rm,
                    None,
                ),
                _ => None,
            }
            .filter(|_| size != 0)
        }
        ("not" | "neg" | "mul" | "imul" | "div" | "idiv", [op]) => {
            let n = match mnemonic {
                "not" => 2,
                "neg" => 3,
                "mul" => 4,
                "imul" => 5,
                "div" => 6,
                _ => 7,
            };
            let (rm, size, rex) = rm_of(op)?;
            (size != 0).then_some(())?;
            emit(
                size_prefix(size),
                size == 8,
                rex,
                &[if size == 1 { 0xF6 } else { 0xF7 }],
                n,
                rm,
                None,
            )
        }
        ("bt" | "bts" | "btr" | "btc", [dst, Imm(bit)]) if (0..64).contains(bit) => {
            let n = match mnemonic {
                "bt" => 4,
                "bts" => 5,
                "btr" => 6,
                _ => 7,
            };
            let (rm, size, _) = rm_of(dst)?;
            (size >= 2).then_some(())?;
            emit(
                size_prefix(size),
                size == 8,
                false,
                &[0x0F, 0xBA],
                n,
                rm,
                Some((*bit, 1)),
            )
        }
        (c, [R(d), src]) if c.starts_with("cmov") && d.size >= 2 => {
            let cc = condition(&c[4..])?;
            let (rm, size, _) = rm_of(src)?;
            (size == d.size || size == 0).then_some(())?;
            emit(
                size_prefix(d.size),
                d.size == 8,
                false,
                &[0x0F, 0x40 + cc],
                d.num,
                rm,
                None,
            )
        }
        (s, [dst]) if s.starts_with("set") => {
            let cc = condition(&s[3..])?;
            let (rm, size, rex) = rm_of(dst)?;
            (size == 1).then_some(())?;
            emit(None, false, rex, &[0x0F, 0x90 + cc], 0, rm, None)
        }
        ("movzx" | "movsx", [R(d), src]) if d.size >= 2 => {
            let (rm, size, rex) = rm_of(src)?;
            let op = match (mnemonic, size) {
                ("movzx", 1) => 0xB6,
                ("movzx", 2) => 0xB7,
                ("movsx", 1) => 0xBE,
                ("movsx", 2) => 0xBF,
                _ => return None,
            };
            (size < d.size).then_some(())?;
            emit(
                size_prefix(d.size),
                d.size == 8,
                rex,
                &[0x0F, op],
                d.num,
                rm,
                None,
            )
        }
        ("movsxd", [R(d), src]) if d.size == 8 => {
            let (rm, size, _) = rm_of(src)?;
            (size == 4).then_some(())?;
            emit(None, true, false, &[0x63], d.num, rm, None)
        }
        ("push" | "pop", [R(r)]) if r.size == 8 => {
            let base = if mnemonic == "push" { 0x50 } else { 0x58 };
            let mut out = Out::new();
            if r.num >= 8 {
                out.push(0x41)?;
            }
            out.push(base + (r.num & 7))?;
            out.done()
        }
        _ => sse(mnemonic, ops),
    }
}

fn fixed<'a>(bytes: &[u8]) -> Option<Insn<'a>> {
    let mut out = Out::new();
    for &b in bytes {
        out.push(b)?;
    }
    out.done()
}

fn mov<'a>(a: &Operand<'a>, b: &Operand<'a>) -> Option<Insn<'a>> {
    use Operand::{Imm, Mem as M, Reg as R};
    match (a, b) {
        (R(d), R(s)) if d.size == s.size => {
            let op = if d.size == 1 { 0x88 } else { 0x89 };
            emit(
                size_prefix(d.size),
                d.size == 8,
                d.needs_rex || s.needs_rex,
                &[op],
                s.num,
                Rm::Reg(d.num),
                None,
            )
        }
        (R(d), M(m)) if m.size == d.size || m.size == 0 => {
            let op = if d.size == 1 { 0x8A } else { 0x8B };
            emit(
                size_prefix(d.size),
                d.size == 8,
                d.needs_rex,
                &[op],
                d.num,
                Rm::Mem(m),
                None,
            )
        }
        (M(m), R(s)) if m.size == s.size || m.size == 0 => {
            let op = if s.size == 1 { 0x88 } else { 0x89 };
            emit(
                size_prefix(s.size),
                s.size == 8,
                s.needs_rex,
                &[op],
                s.num,
                Rm::Mem(m),
                None,
            )
        }
        (R(d), Imm(v)) if d.size == 8 && i32::try_from(*v).is_err() => {
            // movabs: the only form with a 64-bit immediate.
            let mut out = Out::new();
            out.push(0x48 | d.num >> 3)?;
            out.push(0xB8 + (d.num & 7))?;
            out.imm(*v, 8)?;
            out.done()
        }
        (R(d), Imm(v)) if d.size == 8 => {
            emit(None, true, false, &[0xC7], 0, Rm::Reg(d.num), Some((*v, 4)))
        }
        (R(d), Imm(v)) => {
            let v = immediate(*v, d.size)?;
            let mut out = Out::new();
            if d.size == 2 {
                out.push(0x66)?;
            }
            if d.num >= 8 || d.needs_rex {
                out.push(0x40 | d.num >> 3)?;
            }
            out.push(if d.size == 1 { 0xB0 } else { 0xB8 } + (d.num & 7))?;
            out.imm(v, d.size)?;
            out.done()
        }
        (M(m), Imm(v)) if m.size != 0 => {
            let v = immediate(*v, m.size)?;
            let op = if m.size == 1 { 0xC6 } else { 0xC7 };
            emit(
                size_prefix(m.size),
                m.size == 8,
                false,
                &[op],
                0,
                Rm::Mem(m),
                Some((v, m.size.min(4))),
            )
        }
        _ => None,
    }
}

/// add, or, adc, sbb, and, sub, xor, cmp: operation `n` of the group.
fn alu<'a>(n: u8, a: &Operand<'a>, b: &Operand<'a>) -> Option<Insn<'a>> {
    use Operand::{Imm, Mem as M, Reg as R};
    match (a, b) {
        (_, R(s)) => {
            let (rm, size, rex) = rm_of(a)?;
            (size == s.size || size == 0).then_some(())?;
            let op = n * 8 + if s.size == 1 { 0 } else { 1 };
            emit(
                size_prefix(s.size),
                s.size == 8,
                rex || s.needs_rex,
                &[op],
                s.num,
                rm,
                None,
            )
        }
        (R(d), M(m)) if m.size == d.size || m.size == 0 => {
            let op = n * 8 + if d.size == 1 { 2 } else { 3 };
            emit(
                size_prefix(d.size),
                d.size == 8,
                d.needs_rex,
                &[op],
                d.num,
                Rm::Mem(m),
                None,
            )
        }
        (_, Imm(v)) => {
            let (rm, size, rex) = rm_of(a)?;
            let v = immediate(*v, size)?;
            let accumulator = matches!(a, R(Reg { num: 0, .. }));
            if size == 1 {
                if accumulator {
                    return fixed(&[n * 8 + 4, v as u8]);
                }
                return emit(None, false, rex, &[0x80], n, rm, Some((v, 1)));
            }
            let wide = size == 8;
            if fits_i8(v) {
                emit(size_prefix(size), wide, rex, &[0x83], n, rm, Some((v, 1)))
            } else if accumulator {
                let mut out = Out::new();
                if size == 2 {
                    out.push(0x66)?;
                }
                if wide {
                    out.push(0x48)?;
                }
                out.push(n * 8 + 5)?;
                out.imm(v, size.min(4))?;
                out.done()
            } else {
                emit(
                    size_prefix(size),
                    wide,
                    rex,
                    &[0x81],
                    n,
                    rm,
                    Some((v, size.min(4))),
                )
            }
        }
        _ => None,
    }
}

fn test<'a>(a: &Operand<'a>, b: &Operand<'a>) -> Option<Insn<'a>> {
    use Operand::{Imm, Reg as R};
    let (rm, size, rex) = rm_of(a)?;
    match b {
        R(s) if size == s.size || size == 0 => {
            let op = if s.size == 1 { 0x84 } else { 0x85 };
            emit(
                size_prefix(s.size),
                s.size == 8,
                rex || s.needs_rex,
                &[op],
                s.num,
                rm,
                None,
            )
        }
        Imm(v) => {
            let v = immediate(*v, size)?;
            let accumulator = matches!(a, R(Reg { num: 0, .. }));
            let isize = size.min(4);
            if accumulator {
                let mut out = Out::new();
                if size == 2 {
                    out.push(0x66)?;
                }
                if size == 8 {
                    out.push(0x48)?;
                }
                out.push(if size == 1 { 0xA8 } else { 0xA9 })?;
                out.imm(v, isize)?;
                out.done()
            } else {
                let op = if size == 1 { 0xF6 } else { 0xF7 };
                emit(
                    size_prefix(size),
                    size == 8,
                    rex,
                    &[op],
                    0,
                    rm,
                    Some((v, isize)),
                )
            }
        }
        _ => None,
    }
}

/// The SSE2 scalar instructions codegen writes for flonums.
fn sse<'a>(mnemonic: &str, ops: &[Operand<'a>]) -> Option<Insn<'a>> {
    use Operand::{Mem as M, Reg as R, Xmm};
    // xmm, xmm/m64 arithmetic: (mandatory prefix, opcode).
    let arith = match mnemonic {
        "addsd" => Some((0xF2, 0x58)),
        "mulsd" => Some((0xF2, 0x59)),
        "subsd" => Some((0xF2, 0x5C)),
        "minsd" => Some((0xF2, 0x5D)),
        "divsd" => Some((0xF2, 0x5E)),
        "maxsd" => Some((0xF2, 0x5F)),
        "sqrtsd" => Some((0xF2, 0x51)),
        "cvtsd2ss" => Some((0xF2, 0x5A)),
        "cvtss2sd" => Some((0xF3, 0x5A)),
        "ucomisd" => Some((0x66, 0x2E)),
        "comisd" => Some((0x66, 0x2F)),
        "andpd" => Some((0x66, 0x54)),
        "andnpd" => Some((0x66, 0x55)),
        "orpd" => Some((0x66, 0x56)),
        "xorpd" => Some((0x66, 0x57)),
        "pxor" => Some((0x66, 0xEF)),
        _ => None,
    };
    let xmm_rm = |op: &'_ Operand<'a>| -> Option<(u8, bool)> {
        match op {
            Xmm(x) => Some((*x, false)),
            M(_) => Some((0, true)),
            _ => None,
        }
    };
    match (mnemonic, ops) {
        (_, [Xmm(d), src]) if arith.is_some() => {
            let (prefix, op) = arith?;
            let rm = match src {
                Xmm(s) => Rm::Reg(*s),
                M(m) if m.size == 0
                    || m.size == 8
                    || (m.size == 4 && prefix == 0xF3)
                    || m.size == 16 =>
                {
                    Rm::Mem(m)
                }
                _ => return None,
            };
            xmm_rm(src)?;
            emit(Some(prefix), false, false, &[0x0F, op], *d, rm, None)
        }
        ("movsd" | "movss", [Xmm(d), Xmm(s)]) => emit(
            Some(if mnemonic == "movsd" { 0xF2 } else { 0xF3 }),
            false,
            false,
            &[0x0F, 0x10],
            *d,
            Rm::Reg(*s),
            None,
        ),
        ("movsd" | "movss", [Xmm(d), M(m)]) => emit(
            Some(if mnemonic == "movsd" { 0xF2 } else { 0xF3 }),
            false,
            false,
            &[0x0F, 0x10],
            *d,
            Rm::Mem(m),
            None,
        ),
        ("movsd" | "movss", [M(m), Xmm(s)]) => emit(
            Some(if mnemonic == "movsd" { 0xF2 } else { 0xF3 }),
            false,
            false,
            &[0x0F, 0x11],
            *s,
            Rm::Mem(m),
            None,
        ),
        ("cvtsi2sd" | "cvtsi2ss", [Xmm(d), src]) => {
            let (rm, size, _) = rm_of(src)?;
            (size == 4 || size == 8).then_some(())?;
            let prefix = if mnemonic == "cvtsi2sd" { 0xF2 } else { 0xF3 };
            emit(Some(prefix), size == 8, false, &[0x0F, 0x2A], *d, rm, None)
        }
        ("cvttsd2si" | "cvtsd2si", [R(d), src]) if d.size >= 4 => {
            let rm = match src {
                Xmm(s) => Rm::Reg(*s),
                M(m) if m.size == 8 || m.size == 0 => Rm::Mem(m),
                _ => return None,
            };
            let op = if mnemonic == "cvttsd2si" { 0x2C } else { 0x2D };
            emit(Some(0xF2), d.size == 8, false, &[0x0F, op], d.num, rm, None)
        }
        ("movq" | "movd", [R(r), Xmm(x)]) if r.size == if mnemonic == "movq" { 8 } else { 4 } => {
            emit(
                Some(0x66),
                r.size == 8,
                false,
                &[0x0F, 0x7E],
                *x,
                Rm::Reg(r.num),
                None,
            )
        }
        ("movq" | "movd", [Xmm(x), R(r)]) if r.size == if mnemonic == "movq" { 8 } else { 4 } => {
            emit(
                Some(0x66),
                r.size == 8,
                false,
                &[0x0F, 0x6E],
                *x,
                Rm::Reg(r.num),
                None,
            )
        }
        ("movq", [Xmm(d), Xmm(s)]) => emit(
            Some(0xF3),
            false,
            false,
            &[0x0F, 0x7E],
            *d,
            Rm::Reg(*s),
            None,
        ),
        ("movq", [Xmm(d), M(m)]) if m.size == 8 || m.size == 0 => emit(
            Some(0xF3),
            false,
            false,
            &[0x0F, 0x7E],
            *d,
            Rm::Mem(m),
            None,
        ),
        ("movq", [M(m), Xmm(s)]) if m.size == 8 || m.size == 0 => emit(
            Some(0x66),
            false,
            false,
            &[0x0F, 0xD6],
            *s,
            Rm::Mem(m),
            None,
        ),
        _ => None,
    }
}
