//! Jump clean-up over a procedure's finished code: a jump to a label
//! whose first instruction is `jmp M` goes to `M` directly (what the
//! branch compilation of `and`, `or` and `cond` leaves), and a `jmp` to a
//! label that follows it with no instruction between is dropped.
//!
//! Input and output: the assembly text of one procedure body, a line per
//! instruction (`    ins`), label (`name:`) or comment (`    # ...`).
//! Labels are never removed: out-of-line paths elsewhere may jump to them.

use std::collections::HashMap;

/// The label a line defines.
fn label_of(line: &str) -> Option<&str> {
    (!line.starts_with(' '))
        .then(|| line.strip_suffix(':'))
        .flatten()
}

/// The instruction on a line (none for labels, comments and blank lines).
fn instruction(line: &str) -> Option<&str> {
    let ins = line.strip_prefix("    ")?;
    (!ins.starts_with('#') && !ins.is_empty()).then_some(ins)
}

/// A conditional or unconditional jump to a label: (mnemonic, label).
fn jump(ins: &str) -> Option<(&str, &str)> {
    let (op, target) = ins.split_once(' ')?;
    let is_jump = op.starts_with('j') && !target.contains(['[', ' ', ',']);
    is_jump.then_some((op, target))
}

pub(super) fn clean_jumps<'c>(code: &'c str) -> String {
    // Most code has no label whose first line jumps (a quick search; the
    // jumps to the next line are dropped as they are made, in `place`).
    if !code.contains(":\n    jmp ") {
        return code.to_owned();
    }
    let lines: Vec<&'c str> = code.lines().collect();
    // label -> target of the `jmp` that is its first instruction.
    let mut forward: HashMap<&'c str, &'c str> = HashMap::new();
    let mut pending: Vec<&'c str> = Vec::new();
    for line in &lines {
        if let Some(l) = label_of(line) {
            pending.push(l);
        } else if let Some(ins) = instruction(line) {
            if let Some(("jmp", target)) = jump(ins) {
                for l in pending.drain(..) {
                    forward.insert(l, target);
                }
            }
            pending.clear();
        }
    }
    let resolve = |target: &'c str| -> &'c str {
        let mut t = target;
        // Bounded: a cycle of jumps (an empty infinite loop) stays as it is.
        for _ in 0..8 {
            match forward.get(t) {
                Some(&next) if next != t => t = next,
                _ => break,
            }
        }
        t
    };
    let mut out = String::with_capacity(code.len());
    for (i, line) in lines.iter().enumerate() {
        let Some((op, target)) = instruction(line).and_then(jump) else {
            out.push_str(line);
            out.push('\n');
            continue;
        };
        let target = resolve(target);
        if op == "jmp" && falls_into(&lines[i + 1..], target) {
            continue;
        }
        out.push_str("    ");
        out.push_str(op);
        out.push(' ');
        out.push_str(target);
        out.push('\n');
    }
    out
}

/// When `code` ends in `jCC label` and `jmp other`, with `label` about to be
/// placed next: where to cut `code` and the `jNCC other` that replaces both.
pub(super) fn invert_over_jump(code: &str, label: &str) -> Option<(usize, String)> {
    // Called at every label: find the last two lines by hand, from the
    // end (short lines), and give up early unless the last is a `jmp`.
    let bytes = code.as_bytes();
    let line_start = |end: usize| {
        let mut i = end;
        while i > 0 && bytes[i - 1] != b'\n' {
            i -= 1;
        }
        i
    };
    let end = bytes.len().checked_sub(1).filter(|&e| bytes[e] == b'\n')?;
    let last_start = line_start(end);
    if !bytes[last_start..end].starts_with(b"    jmp ") || last_start == 0 {
        return None;
    }
    let (_, other) = jump(instruction(&code[last_start..end])?)?;
    let start = line_start(last_start - 1);
    let (op, target) = jump(instruction(&code[start..last_start - 1])?)?;
    let inverted = negated(op.strip_prefix('j')?)?;
    (target == label).then(|| (start, format!("j{inverted} {other}")))
}

/// The condition code that holds when `cc` does not.
pub(super) fn negated(cc: &str) -> Option<&'static str> {
    const PAIRS: [(&str, &str); 9] = [
        ("e", "ne"),
        ("z", "nz"),
        ("l", "ge"),
        ("g", "le"),
        ("b", "ae"),
        ("a", "be"),
        ("s", "ns"),
        ("p", "np"),
        ("o", "no"),
    ];
    PAIRS.iter().find_map(|&(a, b)| {
        if cc == a {
            Some(b)
        } else if cc == b {
            Some(a)
        } else {
            None
        }
    })
}

/// Do `rest` reach label `target` before any instruction?
fn falls_into(rest: &[&str], target: &str) -> bool {
    for line in rest {
        if label_of(line) == Some(target) {
            return true;
        }
        if instruction(line).is_some() {
            return false;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::{clean_jumps, invert_over_jump};

    #[test]
    fn threads_jumps_and_drops_jumps_to_the_next_line() {
        let code = "    cmp rax, 7\n    je .La.1\n    jmp .Lb.2\n.La.1:\n    jmp .Lc.3\n    # comment\n.Lb.2:\n    mov eax, 1\n.Lc.3:\n    ret\n";
        let want = "    cmp rax, 7\n    je .Lc.3\n    jmp .Lb.2\n.La.1:\n    jmp .Lc.3\n    # comment\n.Lb.2:\n    mov eax, 1\n.Lc.3:\n    ret\n";
        assert_eq!(clean_jumps(code), want);
        let next = ".Lg.8:\n    jmp .Ld.4\n    # c\n.Lx.5:\n.Ld.4:\n    ret\n";
        assert_eq!(
            clean_jumps(next),
            ".Lg.8:\n    # c\n.Lx.5:\n.Ld.4:\n    ret\n"
        );
        let indirect = ".Lh.9:\n    jmp qword ptr [rdi + 6]\n.Le.6:\n    ret\n";
        assert_eq!(clean_jumps(indirect), indirect);
        let cycle = ".Lf.7:\n    jmp .Lf.7\n";
        assert_eq!(clean_jumps(cycle), cycle);
    }

    #[test]
    fn inverts_a_conditional_jump_over_a_jump() {
        let code = "    cmp rax, rcx\n    jne .La.1\n    jmp .Lb.2\n";
        assert_eq!(
            invert_over_jump(code, ".La.1"),
            Some((17, "je .Lb.2".to_owned()))
        );
        assert_eq!(invert_over_jump(code, ".Lc.3"), None);
        let jae = "    jae .La.1\n    jmp .Lb.2\n";
        assert_eq!(
            invert_over_jump(jae, ".La.1"),
            Some((0, "jb .Lb.2".to_owned()))
        );
        let indirect = "    jne .La.1\n    jmp qword ptr [rdi + 6]\n";
        assert_eq!(invert_over_jump(indirect, ".La.1"), None);
        let two = "    jmp .La.1\n    jmp .Lb.2\n";
        assert_eq!(invert_over_jump(two, ".La.1"), None);
    }
}
