//! Three clean-ups of `rax` in straight-line code, looked at as each
//! instruction is emitted (`Codegen::emit`):
//!
//! - a reload: `mov rax, [rsp - N]` when `rax` already holds that slot,
//!   loaded a few instructions back with nothing since that writes `rax`
//!   or memory (a type test, a branch out, a scratch register) and no
//!   label (another way in);
//! - a dead write: `mov eax, 0x1f` (the value of a `set!` in a `begin`)
//!   right before an instruction that overwrites `rax` without reading it;
//! - a repeated type test: `test al, 7; jnz` or `lea ecx, [rax - 1];
//!   test cl, 7; jnz` (fixnum, pair) when the same test of the same `rax`
//!   fell through a few instructions back.

/// Instructions looked back over (a reload, an earlier type test).
const WINDOW: usize = 8;

/// The instructions of `code` from the last one back, skipping comments,
/// up to the last label.
fn recent(code: &str) -> impl Iterator<Item = &str> {
    code.lines()
        .rev()
        .filter(|l| !l.trim_start().starts_with('#'))
        .map(|l| l.split_once("  #").map_or(l, |(ins, _)| ins))
        .take_while(|l| l.starts_with("    "))
        .map(str::trim)
}

/// The destination and source of a two-operand instruction.
fn operands(ins: &str) -> Option<(&str, &str, &str)> {
    let (mnemonic, rest) = ins.split_once(' ')?;
    let (to, from) = rest.split_once(", ")?;
    Some((mnemonic, to, from))
}

fn is_rax(operand: &str) -> bool {
    matches!(operand, "rax" | "eax" | "ax" | "al" | "ah")
}

fn mentions_rax(operand: &str) -> bool {
    operand
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(is_rax)
}

/// Leaves `rax` and memory as they were (and may fall through).
fn keeps_rax_and_memory(ins: &str) -> bool {
    let mnemonic = ins.split(' ').next().unwrap_or("");
    if matches!(mnemonic, "test" | "cmp" | "ucomisd") {
        return true;
    }
    if mnemonic.starts_with('j') && mnemonic != "jmp" {
        return true;
    }
    match operands(ins) {
        Some((m, to, _)) => {
            matches!(
                m,
                "mov"
                    | "lea"
                    | "and"
                    | "or"
                    | "xor"
                    | "shr"
                    | "shl"
                    | "sar"
                    | "add"
                    | "sub"
                    | "movzx"
            ) && !to.contains('[')
                && !mentions_rax(to)
                && !to.contains("sp")
        }
        None => false,
    }
}

/// Leaves `rax` as it was (and may fall through); memory may change.
fn keeps_rax(ins: &str) -> bool {
    if keeps_rax_and_memory(ins) {
        return true;
    }
    // A store leaves its registers as they were.
    matches!(operands(ins), Some(("mov", to, _)) if to.contains('['))
}

/// The type tests of `rax` whose outcome stays while `rax` does.
const TESTS: [&[&str]; 2] = [&["test al, 7"], &["lea ecx, [rax - 1]", "test cl, 7"]];

/// When `ins` is the branch of a type test of `rax` that the same test,
/// a few instructions back, already passed (fell through): the length of
/// `code` without this test's first instructions (the branch is dropped
/// too).
pub(super) fn repeated_check(code: &str, ins: &str) -> Option<usize> {
    if !(ins.starts_with("jnz ") || ins.starts_with("jne ")) {
        return None;
    }
    let lines: Vec<&str> = recent(code).take(WINDOW + 4).collect();
    let test = TESTS
        .iter()
        .find(|t| t.len() <= lines.len() && t.iter().rev().zip(&lines).all(|(a, b)| a == b))?;
    let mut i = test.len();
    while i < lines.len() {
        let branch = lines[i];
        let earlier = lines.get(i + 1..i + 1 + test.len());
        if (branch.starts_with("jnz ") || branch.starts_with("jne "))
            && earlier.is_some_and(|e| test.iter().rev().zip(e).all(|(a, b)| a == b))
        {
            // Cut the test's lines, the last ones of `code` (unless a
            // comment came between them: then nothing is cut).
            let lines: String = test.iter().map(|l| format!("    {l}\n")).collect();
            return code.strip_suffix(&lines).map(str::len);
        }
        if !keeps_rax(branch) {
            return None;
        }
        i += 1;
    }
    None
}

/// Is `ins` a load of a frame slot into `rax` that it already holds?
pub(super) fn redundant_reload(code: &str, ins: &str) -> bool {
    let Some(("mov", "rax", slot)) = operands(ins) else {
        return false;
    };
    if !slot.starts_with("qword ptr [rsp - ") {
        return false;
    }
    let ins = ins.split_once("  #").map_or(ins, |(ins, _)| ins).trim();
    for prior in recent(code).take(WINDOW) {
        if prior == ins {
            return true;
        }
        if !keeps_rax_and_memory(prior) {
            return false;
        }
    }
    false
}

/// When `ins` overwrites `rax` without reading it and the instruction
/// before it only set `rax` to an immediate: the length of `code` without
/// that instruction.
pub(super) fn dead_rax_write(code: &str, ins: &str) -> Option<usize> {
    let (m, to, from) = operands(ins)?;
    if !(m == "mov" && matches!(to, "rax" | "eax") && !mentions_rax(from)) {
        return None;
    }
    let body = code.strip_suffix('\n')?;
    let start = body.rfind('\n').map_or(0, |n| n + 1);
    let last = &body[start..];
    let last = last.split_once("  #").map_or(last, |(ins, _)| ins);
    let (m, to, from) = operands(last.strip_prefix("    ")?)?;
    let immediate = from.starts_with("0x") || from.parse::<i64>().is_ok();
    (m == "mov" && matches!(to, "rax" | "eax") && immediate).then_some(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_pair_test_is_dropped() {
        let code = "    lea ecx, [rax - 1]\n    test cl, 7\n    jnz .Lelse.1\n    mov qword ptr [rsp - 8], rax\n    lea ecx, [rax - 1]\n    test cl, 7\n";
        let cut = repeated_check(code, "jnz .Lgeneric.2");
        let kept = "    lea ecx, [rax - 1]\n    test cl, 7\n    jnz .Lelse.1\n    mov qword ptr [rsp - 8], rax\n";
        assert_eq!(cut, Some(kept.len()));
        // `rax` changed in between, or another way in: kept.
        let changed = code.replace(
            "mov qword ptr [rsp - 8], rax",
            "mov rax, qword ptr [rax + 7]",
        );
        assert_eq!(repeated_check(&changed, "jnz .Lgeneric.2"), None);
        let label = code.replace("    mov qword ptr [rsp - 8], rax\n", ".Ldone.4:\n");
        assert_eq!(repeated_check(&label, "jnz .Lgeneric.2"), None);
        // A fixnum test is not a pair test.
        let other = "    test al, 7\n    jnz .L1\n    lea ecx, [rax - 1]\n    test cl, 7\n";
        assert_eq!(repeated_check(other, "jnz .L2"), None);
    }

    #[test]
    fn a_reload_across_a_type_test_is_dropped() {
        let code = "    mov rax, qword ptr [rsp - 8]\n    lea ecx, [rax - 1]\n    test cl, 7\n    jnz .Lelse.1\n";
        assert!(redundant_reload(code, "mov rax, qword ptr [rsp - 8]"));
        assert!(!redundant_reload(code, "mov rax, qword ptr [rsp - 16]"));
    }

    #[test]
    fn a_reload_after_a_write_or_a_label_is_kept() {
        for between in [
            "    mov rax, qword ptr [rax + 7]\n",
            "    mov qword ptr [rsp - 8], rcx\n",
            "    cmove eax, edx\n",
            "    call f\n",
            ".Ldone.3:\n",
            "    jmp .Lx\n",
        ] {
            let code = format!("    mov rax, qword ptr [rsp - 8]\n{between}");
            assert!(
                !redundant_reload(&code, "mov rax, qword ptr [rsp - 8]"),
                "{between}"
            );
        }
    }

    #[test]
    fn an_immediate_overwritten_at_once_is_dropped() {
        let code = "    add rax, 8\n    mov eax, 0x1f\n";
        let cut = dead_rax_write(code, "mov rax, qword ptr [rsp - 8]");
        assert_eq!(cut, Some("    add rax, 8\n".len()));
        assert_eq!(dead_rax_write(code, "mov rax, qword ptr [rax + 7]"), None);
        assert_eq!(dead_rax_write("    mov ecx, 0x1f\n", "mov rax, rcx"), None);
        assert_eq!(dead_rax_write("x:\n", "mov rax, rcx"), None);
    }
}
