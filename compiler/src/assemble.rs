//! The assembler: codegen's assembly text to an ELF relocatable object,
//! in the compiler's own process.
//!
//! Input: the assembly `schemec asm` prints (Intel syntax; the subset of
//! instructions and directives codegen writes). Output: the bytes of an
//! x86-64 ELF `.o`, the same code, data and relocations GNU as makes of
//! that text (the tests compare the two section by section).
//!
//! Why: GNU as takes 15 s on the 7 million lines of a 100,000-line
//! program, and its memory grows with every label; this pass does the
//! same work in well under a second. Anything it does not know (a new
//! instruction form in codegen) makes `assemble` return `Unsupported`,
//! and the driver falls back to GNU as, so a gap here costs time, never
//! a wrong program.
//!
//!   parse.rs   line => label, instruction or directive
//!   encode.rs  instruction => bytes, or a branch to size later
//!   this file  sections, branch sizes (short where they reach), symbol
//!              addresses, relocations, the object file
//!
//! Branches start short (2 bytes) and grow to 5 or 6 only when their
//! target is out of reach, repeating until nothing grows: the smallest
//! layout, the one GNU as finds too. Text never contains `.p2align`, so
//! growth is monotone and each round is linear.

mod encode;
mod parse;

use encode::{Fix, Insn};
use object::write::{Object, Relocation, Symbol, SymbolId, SymbolSection};
use object::{
    elf, Architecture, BinaryFormat, Endianness, RelocationFlags, SectionFlags, SectionKind,
    SymbolFlags, SymbolKind, SymbolScope,
};
use parse::{Quad, Statement};
use rustc_hash::FxHashMap;

/// A line `assemble` cannot translate: its number (1-based) and text.
#[derive(Debug)]
pub struct Unsupported {
    pub line: usize,
    pub text: String,
}

type LabelId = u32;

/// Where a label is: section, position among the section's fixed bytes,
/// and how many branches precede it.
#[derive(Clone, Copy)]
struct Place {
    section: usize,
    pos: u32,
    branches: u32,
}

struct Label<'a> {
    name: &'a str,
    place: Option<Place>,
    global: bool,
}

struct Branch {
    pos: u32,
    cc: Option<u8>,
    target: LabelId,
    long: bool,
    /// Its target is not a local label of this section: long, with a relocation.
    external: bool,
}

#[derive(Clone, Copy, PartialEq)]
enum FixKind {
    /// A 32-bit field relative to its own end plus `trailing`; `call` for
    /// call and jump targets.
    Rel32 { trailing: u8, call: bool },
    /// `.quad symbol + addend`.
    Abs64,
    /// `.quad symbol - .`.
    Pc64,
}

struct Fixup {
    pos: u32,
    branches: u32,
    kind: FixKind,
    target: LabelId,
    addend: i64,
}

struct Section<'a> {
    name: &'a str,
    bytes: Vec<u8>,
    branches: Vec<Branch>,
    fixups: Vec<Fixup>,
    align: u64,
}

impl Section<'_> {
    fn here(&self, index: usize) -> Place {
        Place {
            section: index,
            pos: self.bytes.len() as u32,
            branches: self.branches.len() as u32,
        }
    }
}

struct Assembler<'a> {
    /// Lines fed so far (for `Unsupported::line`).
    lines: usize,
    sections: Vec<Section<'a>>,
    current: usize,
    labels: Vec<Label<'a>>,
    ids: FxHashMap<&'a str, LabelId>,
    /// Labels `.Lname.N` by N.
    numbered: Vec<LabelId>,
}

const NONE: LabelId = LabelId::MAX;

/// N of a local label `.Lname.N`.
fn numbered(name: &str) -> Option<usize> {
    let digits = &name[name.rfind('.')? + 1..];
    if !name.starts_with(".L")
        || digits.is_empty()
        || digits.len() > 9
        || !digits.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    digits.parse().ok()
}

/// Assembles `asm` into an ELF object.
pub fn assemble(asm: &str) -> Result<Vec<u8>, Unsupported> {
    let mut a = Assembler::new();
    crate::timing::phase("feed", || a.feed(asm))?;
    crate::timing::phase("objfile", || a.finish()).map_err(|text| Unsupported { line: 0, text })
}

/// Assembles the text arriving in `chunks` (each whole lines), while the
/// compiler is still writing the rest (`driver::compile_for`). Returns
/// the chunks too: the caller may need the whole text (GNU as, when this
/// assembler cannot translate a line; `schemec asm`).
pub fn assemble_chunks(
    chunks: impl Iterator<Item = String>,
) -> (Vec<String>, Result<Vec<u8>, Unsupported>) {
    // The assembler keeps names borrowed from the text: the arena keeps
    // every chunk in place while later ones arrive.
    let arena = typed_arena::Arena::new();
    let mut result = Ok(());
    let mut a = Assembler::new();
    for chunk in chunks {
        let text: &str = arena.alloc(chunk);
        if result.is_ok() {
            result = a.feed(text);
        }
    }
    let object = result.and_then(|()| {
        crate::timing::phase("objfile", || a.finish()).map_err(|text| Unsupported { line: 0, text })
    });
    (arena.into_vec(), object)
}

impl<'a> Assembler<'a> {
    fn new() -> Self {
        let mut a = Assembler {
            lines: 0,
            sections: Vec::new(),
            current: 0,
            labels: Vec::new(),
            ids: FxHashMap::default(),
            numbered: Vec::new(),
        };
        a.switch(".text");
        a
    }

    /// Assembles the lines of `text`.
    fn feed(&mut self, text: &'a str) -> Result<(), Unsupported> {
        for line in text.lines() {
            self.lines += 1;
            self.line(line).ok_or_else(|| Unsupported {
                line: self.lines,
                text: line.to_string(),
            })?;
        }
        Ok(())
    }

    fn switch(&mut self, name: &'a str) {
        self.current = match self.sections.iter().position(|s| s.name == name) {
            Some(i) => i,
            None => {
                self.sections.push(Section {
                    name,
                    bytes: Vec::new(),
                    branches: Vec::new(),
                    fixups: Vec::new(),
                    align: 1,
                });
                self.sections.len() - 1
            }
        };
    }

    fn id(&mut self, name: &'a str) -> LabelId {
        // Codegen numbers its local labels from one counter (`.Lret.17`):
        // the number finds most labels without hashing.
        let slot = numbered(name).filter(|&n| n < 1 << 26);
        if let Some(n) = slot {
            if self.numbered.len() <= n {
                self.numbered.resize((n + 1).next_power_of_two(), NONE);
            }
            match self.numbered[n] {
                NONE => {
                    let id = self.new_label(name);
                    self.numbered[n] = id;
                    return id;
                }
                id if self.labels[id as usize].name == name => return id,
                _ => {}
            }
        }
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.new_label(name);
        self.ids.insert(name, id);
        id
    }

    fn new_label(&mut self, name: &'a str) -> LabelId {
        self.labels.push(Label {
            name,
            place: None,
            global: false,
        });
        (self.labels.len() - 1) as LabelId
    }

    fn section(&mut self) -> &mut Section<'a> {
        &mut self.sections[self.current]
    }

    fn fixup(&mut self, at: usize, kind: FixKind, target: &'a str, addend: i64) {
        let target = self.id(target);
        let s = &mut self.sections[self.current];
        let branches = s.branches.len() as u32;
        s.fixups.push(Fixup {
            pos: at as u32,
            branches,
            kind,
            target,
            addend,
        });
    }

    fn line(&mut self, line: &'a str) -> Option<()> {
        let (label, rest) = parse::label(line);
        if let Some(name) = label {
            let id = self.id(name);
            let place = self.sections[self.current].here(self.current);
            let l = &mut self.labels[id as usize];
            if l.place.is_some() {
                return None;
            }
            l.place = Some(place);
        }
        let Some(statement) = parse::statement(rest)? else {
            return Some(());
        };
        match statement {
            Statement::Instruction(mnemonic, ops) => match encode::encode(mnemonic, &ops)? {
                Insn::Code { bytes, len, fix } => {
                    let start = self.section().bytes.len();
                    self.section()
                        .bytes
                        .extend_from_slice(&bytes[..usize::from(len)]);
                    if let Some(Fix {
                        at,
                        symbol,
                        addend,
                        trailing,
                        call,
                    }) = fix
                    {
                        self.fixup(
                            start + usize::from(at),
                            FixKind::Rel32 { trailing, call },
                            symbol,
                            addend,
                        );
                    }
                }
                Insn::Branch { cc, target } => {
                    let target = self.id(target);
                    let s = self.section();
                    let pos = s.bytes.len() as u32;
                    s.branches.push(Branch {
                        pos,
                        cc,
                        target,
                        long: false,
                        external: false,
                    });
                }
            },
            Statement::Quads(items) => {
                for item in items {
                    let at = self.section().bytes.len();
                    match item {
                        Quad::Number(_) => {}
                        Quad::Address(symbol, addend) => {
                            self.fixup(at, FixKind::Abs64, symbol, addend)
                        }
                        Quad::FromHere(symbol) => self.fixup(at, FixKind::Pc64, symbol, 0),
                    }
                    let value = if let Quad::Number(n) = item { n } else { 0 };
                    self.section().bytes.extend_from_slice(&value.to_le_bytes());
                }
            }
            Statement::Ascii(bytes, zero) => {
                let s = self.section();
                s.bytes.extend_from_slice(&bytes);
                if zero {
                    s.bytes.push(0);
                }
            }
            Statement::Align(p) => {
                let s = self.section();
                // Padding between branches would change with their sizes.
                if !s.branches.is_empty() {
                    return None;
                }
                let align = 1u64 << p;
                s.align = s.align.max(align);
                while !(s.bytes.len() as u64).is_multiple_of(align) {
                    s.bytes.push(0);
                }
            }
            Statement::Section(name) => self.switch(name),
            Statement::Global(name) => {
                let id = self.id(name);
                self.labels[id as usize].global = true;
            }
            Statement::Nothing => {}
        }
        Some(())
    }

    /// The local label `target` if it is in section `index`.
    fn local_in(&self, target: LabelId, index: usize) -> Option<Place> {
        let l = &self.labels[target as usize];
        l.place.filter(|p| p.section == index && !l.global)
    }

    /// Chooses each branch's size: short unless its target is out of reach.
    fn relax(&mut self, index: usize) -> Vec<u32> {
        for i in 0..self.sections[index].branches.len() {
            let target = self.sections[index].branches[i].target;
            if self.local_in(target, index).is_none() {
                let b = &mut self.sections[index].branches[i];
                b.long = true;
                b.external = true;
            }
        }
        loop {
            let prefix = branch_prefix(&self.sections[index].branches);
            let mut grew = false;
            for i in 0..self.sections[index].branches.len() {
                let b = &self.sections[index].branches[i];
                if b.long {
                    continue;
                }
                let to = self
                    .local_in(b.target, index)
                    .expect("external branches are long");
                let from = i64::from(b.pos) + i64::from(prefix[i]) + 2;
                let to = i64::from(to.pos) + i64::from(prefix[to.branches as usize]);
                if !fits_i8(to - from) {
                    self.sections[index].branches[i].long = true;
                    grew = true;
                }
            }
            if !grew {
                return prefix;
            }
        }
    }

    fn finish(mut self) -> Result<Vec<u8>, String> {
        let mut obj = Object::new(BinaryFormat::Elf, Architecture::X86_64, Endianness::Little);
        let mut section_ids = Vec::new();
        let mut prefixes = Vec::new();
        for index in 0..self.sections.len() {
            prefixes.push(self.relax(index));
            let s = &self.sections[index];
            let (kind, flags) = match s.name {
                ".text" => (SectionKind::Text, None),
                ".data" | ".data.rel.ro" => (SectionKind::Data, None),
                ".rodata" => (SectionKind::ReadOnlyData, None),
                ".note.GNU-stack" => (
                    SectionKind::Elf(elf::SHT_PROGBITS),
                    Some(SectionFlags::Elf { sh_flags: 0 }),
                ),
                other => return Err(format!("unknown section {other}")),
            };
            let id = obj.add_section(Vec::new(), s.name.as_bytes().to_vec(), kind);
            if let Some(flags) = flags {
                obj.section_mut(id).flags = flags;
            }
            section_ids.push(id);
        }
        // Addresses: a place's offset in its section once branches are sized.
        let offset = |p: Place, prefixes: &Vec<Vec<u32>>| {
            u64::from(p.pos) + u64::from(prefixes[p.section][p.branches as usize])
        };

        // Symbols: every named label (not `.L…`), and the undefined ones used.
        let mut symbols: Vec<Option<SymbolId>> = vec![None; self.labels.len()];
        for (i, l) in self.labels.iter().enumerate() {
            let Some(p) = l.place else { continue };
            if l.name.starts_with(".L") && !l.global {
                continue;
            }
            let text = self.sections[p.section].name == ".text";
            symbols[i] = Some(obj.add_symbol(Symbol {
                name: l.name.as_bytes().to_vec(),
                value: offset(p, &prefixes),
                size: 0,
                kind: if text {
                    SymbolKind::Text
                } else {
                    SymbolKind::Data
                },
                scope: if l.global {
                    SymbolScope::Dynamic
                } else {
                    SymbolScope::Compilation
                },
                weak: false,
                section: SymbolSection::Section(section_ids[p.section]),
                flags: SymbolFlags::None,
            }));
        }

        for index in 0..self.sections.len() {
            let prefix = &prefixes[index];
            let s = &self.sections[index];
            let mut out = Vec::with_capacity(s.bytes.len() + s.branches.len() * 6);
            let mut copied = 0usize;
            let mut relocations = Vec::new();
            for b in &s.branches {
                out.extend_from_slice(&s.bytes[copied..b.pos as usize]);
                copied = b.pos as usize;
                let start = out.len() as i64;
                let size: i64 = match (b.long, b.cc) {
                    (false, _) => 2,
                    (true, None) => 5,
                    (true, Some(_)) => 6,
                };
                let disp = match self.local_in(b.target, index) {
                    Some(to) if !b.external => offset(to, &prefixes) as i64 - (start + size),
                    _ => {
                        relocations.push((
                            start + size - 4,
                            FixKind::Rel32 {
                                trailing: 0,
                                call: true,
                            },
                            b.target,
                            0,
                        ));
                        0
                    }
                };
                match (b.long, b.cc) {
                    (false, None) => out.extend_from_slice(&[0xEB, disp as i8 as u8]),
                    (false, Some(cc)) => out.extend_from_slice(&[0x70 + cc, disp as i8 as u8]),
                    (true, None) => {
                        out.push(0xE9);
                        out.extend_from_slice(&(disp as i32).to_le_bytes());
                    }
                    (true, Some(cc)) => {
                        out.extend_from_slice(&[0x0F, 0x80 + cc]);
                        out.extend_from_slice(&(disp as i32).to_le_bytes());
                    }
                }
            }
            out.extend_from_slice(&s.bytes[copied..]);
            for f in &s.fixups {
                let at = i64::from(f.pos) + i64::from(prefix[f.branches as usize]);
                let same = self
                    .local_in(f.target, index)
                    .map(|p| offset(p, &prefixes) as i64);
                match (f.kind, same) {
                    (FixKind::Rel32 { trailing, .. }, Some(to)) => {
                        let v = to + f.addend - (at + 4 + i64::from(trailing));
                        let v = i32::try_from(v)
                            .map_err(|_| "displacement out of range".to_string())?;
                        out[at as usize..at as usize + 4].copy_from_slice(&v.to_le_bytes());
                    }
                    (FixKind::Pc64, Some(to)) => {
                        out[at as usize..at as usize + 8].copy_from_slice(&(to - at).to_le_bytes());
                    }
                    (kind, _) => relocations.push((at, kind, f.target, f.addend)),
                }
            }
            for (at, kind, target, addend) in relocations {
                let (r_type, bias) = match kind {
                    FixKind::Rel32 { trailing, call } => {
                        let t = self.labels[target as usize].place;
                        // Calls to what this object does not define go through the PLT.
                        let plt = call && t.is_none();
                        (
                            if plt {
                                elf::R_X86_64_PLT32
                            } else {
                                elf::R_X86_64_PC32
                            },
                            -4 - i64::from(trailing),
                        )
                    }
                    FixKind::Abs64 => (elf::R_X86_64_64, 0),
                    FixKind::Pc64 => (elf::R_X86_64_PC64, 0),
                };
                let l = &self.labels[target as usize];
                let (symbol, base) = match (l.place, l.global) {
                    // Local labels are addressed from their section's symbol, as GNU as does.
                    (Some(p), false) => (
                        obj.section_symbol(section_ids[p.section]),
                        offset(p, &prefixes) as i64,
                    ),
                    _ => {
                        let id = match symbols[target as usize] {
                            Some(id) => id,
                            None => {
                                let id = obj.add_symbol(Symbol {
                                    name: l.name.as_bytes().to_vec(),
                                    value: 0,
                                    size: 0,
                                    kind: SymbolKind::Unknown,
                                    scope: SymbolScope::Dynamic,
                                    weak: false,
                                    section: SymbolSection::Undefined,
                                    flags: SymbolFlags::None,
                                });
                                symbols[target as usize] = Some(id);
                                id
                            }
                        };
                        (id, 0)
                    }
                };
                obj.add_relocation(
                    section_ids[index],
                    Relocation {
                        offset: at as u64,
                        symbol,
                        addend: base + addend + bias,
                        flags: RelocationFlags::Elf { r_type },
                    },
                )
                .map_err(|e| e.to_string())?;
            }
            let align = s.align;
            obj.section_mut(section_ids[index]).set_data(out, align);
        }
        obj.write().map_err(|e| e.to_string())
    }
}

/// `prefix[k]`: the bytes the first `k` branches take.
fn branch_prefix(branches: &[Branch]) -> Vec<u32> {
    let mut prefix = Vec::with_capacity(branches.len() + 1);
    let mut total = 0u32;
    prefix.push(0);
    for b in branches {
        total += match (b.long, b.cc) {
            (false, _) => 2,
            (true, None) => 5,
            (true, Some(_)) => 6,
        };
        prefix.push(total);
    }
    prefix
}

fn fits_i8(v: i64) -> bool {
    i8::try_from(v).is_ok()
}
