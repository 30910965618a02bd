//! schemec's own assembler against GNU as: the same text must give the
//! same section bytes, relocations and symbols. The texts are the
//! assembly of every Scheme program in the repository's tests and
//! examples, and a list of every instruction form the encoder knows with
//! awkward registers (r12, r13, rsp, rbp, spl, xmm8…). Skipped (with a
//! message) when `as` is not installed.

use object::{Object, ObjectSection, ObjectSymbol, RelocationTarget, SectionKind};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

type Summary = (Vec<(String, Vec<u8>)>, BTreeSet<String>, BTreeSet<String>);

/// What an object says: allocated sections' bytes, relocations, named symbols.
fn summary(bytes: &[u8]) -> Summary {
    let file = object::File::parse(bytes).expect("an ELF object");
    let mut sections = Vec::new();
    let mut relocations = BTreeSet::new();
    for s in file.sections() {
        let name = s.name().unwrap().to_string();
        if name.starts_with(".rela") || name.is_empty() || s.kind() == SectionKind::Metadata {
            continue;
        }
        if !matches!(
            name.as_str(),
            ".text" | ".data" | ".rodata" | ".data.rel.ro" | ".note.GNU-stack"
        ) {
            continue;
        }
        sections.push((name.clone(), s.data().unwrap().to_vec()));
        for (offset, r) in s.relocations() {
            let target = match r.target() {
                RelocationTarget::Symbol(i) => {
                    let sym = file.symbol_by_index(i).unwrap();
                    if sym.kind() == object::SymbolKind::Section {
                        file.section_by_index(sym.section_index().unwrap())
                            .unwrap()
                            .name()
                            .unwrap()
                            .to_string()
                    } else {
                        sym.name().unwrap().to_string()
                    }
                }
                other => format!("{other:?}"),
            };
            relocations.insert(format!(
                "{name}+{offset:#x}: {:?} {target} {:+}",
                r.flags(),
                r.addend()
            ));
        }
    }
    sections.sort();
    let symbols = file
        .symbols()
        .filter(|s| s.kind() != object::SymbolKind::Section && s.kind() != object::SymbolKind::File)
        .filter(|s| !s.name().unwrap_or("").is_empty())
        .map(|s| {
            let section = s.section_index().map(|i| {
                file.section_by_index(i)
                    .unwrap()
                    .name()
                    .unwrap()
                    .to_string()
            });
            format!(
                "{} {:?} {:#x} global={}",
                s.name().unwrap(),
                section,
                s.address(),
                s.is_global()
            )
        })
        .collect();
    (sections, relocations, symbols)
}

fn gnu_as(asm: &str, dir: &Path) -> Option<Vec<u8>> {
    let src = dir.join("x.s");
    let obj = dir.join("x.o");
    std::fs::write(&src, asm).unwrap();
    let out = Command::new("as")
        .arg("-o")
        .arg(&obj)
        .arg(&src)
        .output()
        .ok()?;
    assert!(
        out.status.success(),
        "GNU as failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(std::fs::read(&obj).unwrap())
}

/// Assembles `asm` both ways and reports the first difference.
fn compare(what: &str, asm: &str, dir: &Path) -> Result<(), String> {
    let Some(theirs) = gnu_as(asm, dir) else {
        return Ok(());
    };
    let ours = compiler::assemble::assemble(asm)
        .map_err(|u| format!("{what}: line {}: unsupported: {}", u.line, u.text))?;
    let (a, b) = (summary(&ours), summary(&theirs));
    for ((na, da), (nb, db)) in a.0.iter().zip(&b.0) {
        if na != nb {
            return Err(format!("{what}: sections {na} and {nb}"));
        }
        if da != db {
            let at = da
                .iter()
                .zip(db)
                .position(|(x, y)| x != y)
                .unwrap_or(da.len().min(db.len()));
            return Err(format!(
                "{what}: section {na} differs at {at:#x} (sizes {} and {}): ours {:02x?}, GNU as {:02x?}",
                da.len(),
                db.len(),
                &da[at.saturating_sub(4)..(at + 8).min(da.len())],
                &db[at.saturating_sub(4)..(at + 8).min(db.len())]
            ));
        }
    }
    if a.0.len() != b.0.len() {
        return Err(format!(
            "{what}: {} sections against {}",
            a.0.len(),
            b.0.len()
        ));
    }
    if let Some(r) = a.1.symmetric_difference(&b.1).next() {
        return Err(format!("{what}: relocation only in one: {r}"));
    }
    if let Some(s) = a.2.symmetric_difference(&b.2).next() {
        return Err(format!("{what}: symbol only in one: {s}"));
    }
    Ok(())
}

fn has_as() -> bool {
    Command::new("as")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn scheme_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            scheme_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "scm") {
            out.push(p);
        }
    }
}

#[test]
fn every_instruction_form_matches_gnu_as() {
    if !has_as() {
        eprintln!("skipped: GNU as is not installed");
        return;
    }
    let regs64 = ["rax", "rcx", "rsp", "rbp", "rsi", "r8", "r12", "r13", "r15"];
    let regs32 = [
        "eax", "ecx", "esp", "ebp", "edi", "r8d", "r12d", "r13d", "r15d",
    ];
    let regs8 = ["al", "cl", "spl", "bpl", "sil", "dil", "r8b", "r13b"];
    let mems = [
        "[rax]",
        "[rsp]",
        "[rbp]",
        "[r12]",
        "[r13]",
        "[rsp - 0]",
        "[rsp - 8]",
        "[rbp + 127]",
        "[rax - 128]",
        "[r15 + 128]",
        "[rdi - 129]",
        "[r11 + 70000]",
        "[rax + rcx*8 + 14]",
        "[r12 + r9*4 - 3]",
        "[r13 + rax]",
        "[rbp + r14*2 + 400]",
        "[rip + here]",
        "[rip + here + 24]",
        "[rip + elsewhere + 2]",
        "[rip + there]",
        "[rdx * 8]",
        "[rax + -1]",
        "[r9*2 + 16]",
    ];
    let imms = [
        "0",
        "1",
        "-1",
        "7",
        "127",
        "128",
        "-128",
        "-129",
        "1000",
        "0x7fffffff",
        "-0x80000000",
    ];
    let mut lines = vec![
        "ret",
        "ud2",
        "cqo",
        "cdq",
        "nop",
        "call elsewhere",
        "jmp elsewhere",
        "call here",
        "jmp here",
        "je there",
    ]
    .into_iter()
    .map(String::from)
    .collect::<Vec<_>>();
    let size_name = |s: usize| ["", "byte", "word", "", "dword", "", "", "", "qword"][s];
    for (regs, size) in [(&regs64[..], 8), (&regs32[..], 4), (&regs8[..], 1)] {
        for &r in regs {
            for &s in regs {
                lines.push(format!("mov {r}, {s}"));
                for op in ["add", "or", "and", "sub", "xor", "cmp", "test"] {
                    lines.push(format!("{op} {r}, {s}"));
                }
            }
            for &i in &imms {
                let fits = match size {
                    1 => matches!(i, "0" | "1" | "-1" | "7" | "127" | "-128"),
                    _ => true,
                };
                if fits {
                    for op in ["mov", "add", "or", "and", "sub", "xor", "cmp", "test"] {
                        lines.push(format!("{op} {r}, {i}"));
                    }
                }
            }
            for &m in &mems {
                let m = format!("{} ptr {m}", size_name(size));
                lines.push(format!("mov {r}, {m}"));
                lines.push(format!("mov {m}, {r}"));
                for op in ["add", "sub", "cmp", "and", "or", "xor"] {
                    lines.push(format!("{op} {r}, {m}"));
                    lines.push(format!("{op} {m}, {r}"));
                }
                lines.push(format!("test {m}, {r}"));
                lines.push(format!("cmp {m}, 7"));
                lines.push(format!("mov {m}, 7"));
                if size != 1 {
                    lines.push(format!("cmp {m}, 1000"));
                    lines.push(format!("mov {m}, -1000"));
                }
                lines.push(format!("idiv {m}"));
                lines.push(format!("sar {m}, 1"));
                lines.push(format!("shl {m}, 3"));
            }
            for op in ["sar", "shl", "shr"] {
                lines.push(format!("{op} {r}, 1"));
                lines.push(format!("{op} {r}, 3"));
                lines.push(format!("{op} {r}, cl"));
            }
            lines.push(format!("idiv {r}"));
            lines.push(format!("neg {r}"));
            if size == 1 {
                lines.push(format!("sete {r}"));
            }
        }
    }
    lines.push("mov rax, 0x80000000".into());
    lines.push("mov r9, 0x123456789abcdef".into());
    lines.push("mov rcx, 0xffffffffffffffff".into());
    lines.push("mov r10d, 0xffffffff".into());
    lines.push("and eax, 0xffffff80".into());
    for &r in &regs64 {
        for &s in &regs64 {
            lines.push(format!("imul {r}, {s}"));
            lines.push(format!("imul {r}, {s}, 8"));
            lines.push(format!("imul {r}, {s}, -1000"));
            lines.push(format!("cmove {r}, {s}"));
        }
        for &m in &mems {
            lines.push(format!("lea {r}, {m}"));
            lines.push(format!("imul {r}, qword ptr {m}"));
            lines.push(format!("imul {r}, qword ptr {m}, 24"));
            lines.push(format!("movzx {r}, byte ptr {m}"));
            lines.push(format!("movsx {r}, byte ptr {m}"));
            lines.push(format!("movsxd {r}, dword ptr {m}"));
            lines.push(format!("cvtsi2sd xmm9, qword ptr {m}"));
            lines.push(format!("cvttsd2si {r}, qword ptr {m}"));
        }
        lines.push(format!("btc {r}, 63"));
        lines.push(format!("bt {r}, 2"));
        lines.push(format!("jmp {r}"));
        lines.push(format!("call {r}"));
        lines.push(format!("push {r}"));
        lines.push(format!("pop {r}"));
    }
    for &r in &regs32 {
        for &s in &regs32 {
            for cc in [
                "o", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g",
                "z", "nz",
            ] {
                if s == "ecx" {
                    lines.push(format!("cmov{cc} {r}, {s}"));
                }
            }
        }
        for &m in &mems {
            lines.push(format!("lea {r}, {m}"));
            lines.push(format!("movzx {r}, byte ptr {m}"));
            lines.push(format!("movzx {r}, word ptr {m}"));
        }
    }
    for &m in &mems {
        lines.push(format!("jmp qword ptr {m}"));
        lines.push(format!("call qword ptr {m}"));
    }
    let xmms = ["xmm0", "xmm1", "xmm7", "xmm8", "xmm15"];
    for &x in &xmms {
        for &y in &xmms {
            for op in [
                "movsd", "addsd", "mulsd", "subsd", "divsd", "sqrtsd", "minsd", "maxsd", "ucomisd",
                "comisd", "xorpd", "andpd", "cvtss2sd", "cvtsd2ss", "movq", "movss", "pxor",
            ] {
                lines.push(format!("{op} {x}, {y}"));
            }
        }
        for &m in &mems {
            for op in [
                "movsd", "addsd", "mulsd", "subsd", "divsd", "ucomisd", "movq",
            ] {
                lines.push(format!("{op} {x}, qword ptr {m}"));
            }
            lines.push(format!("movsd qword ptr {m}, {x}"));
            lines.push(format!("movq qword ptr {m}, {x}"));
        }
        for &r in &regs64 {
            lines.push(format!("movq {r}, {x}"));
            lines.push(format!("movq {x}, {r}"));
            lines.push(format!("cvtsi2sd {x}, {r}"));
            lines.push(format!("cvttsd2si {r}, {x}"));
        }
        for &r in &regs32 {
            lines.push(format!("movd {r}, {x}"));
            lines.push(format!("cvtsi2sd {x}, {r}"));
            lines.push(format!("cvttsd2si {r}, {x}"));
        }
    }
    let mut asm = String::from("    .intel_syntax noprefix\n    .text\nhere:\n");
    for l in &lines {
        asm.push_str("    ");
        asm.push_str(l);
        asm.push('\n');
    }
    asm.push_str(
        "there:\n    ret\n    .data\n    .quad 1, -2, here, there + 8, here - ., elsewhere\n",
    );
    let dir = tempdir("forms");
    if let Err(e) = compare("instruction forms", &asm, &dir) {
        // Narrow down to the first line that differs.
        for l in &lines {
            let one =
                format!("    .intel_syntax noprefix\n    .text\nhere:\n    {l}\nthere:\n    ret\n");
            if let Err(e) = compare(l, &one, &dir) {
                panic!("{e}");
            }
        }
        panic!("{e}");
    }
}

#[test]
fn every_test_program_assembles_as_gnu_as_does() {
    if !has_as() {
        eprintln!("skipped: GNU as is not installed");
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut files = Vec::new();
    for d in ["tests/corpus", "examples", "bench"] {
        scheme_files(&root.join(d), &mut files);
    }
    files.sort();
    assert!(files.len() > 50, "found only {} programs", files.len());
    let dir = tempdir("programs");
    let mut compared = 0;
    for f in &files {
        let out = Command::new(env!("CARGO_BIN_EXE_schemec"))
            .arg("asm")
            .arg(f)
            .current_dir(f.parent().unwrap())
            .output()
            .unwrap();
        if !out.status.success() {
            continue; // programs that test compile errors
        }
        let asm = String::from_utf8(out.stdout).unwrap();
        if let Err(e) = compare(&f.display().to_string(), &asm, &dir) {
            panic!("{e}");
        }
        compared += 1;
    }
    assert!(compared > 50, "compared only {compared} programs");
}

fn tempdir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("schemec-assembler-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
