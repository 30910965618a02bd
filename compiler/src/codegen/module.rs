//! What surrounds the code: the module table (`abi::MODULE_*`) of a
//! program (with `main`) or of a unit compiled for a running program
//! (`eval`, `load`, the REPL), and where globals live.
//!
//! - Program: each global is a word of the roots region, `global_N`.
//! - Unit for the interaction environment: `global_N` is a word the
//!   runtime sets, when it loads the unit, to the address of the shared
//!   cell of that name; code reads and writes through it.
//! - Unit for a restricted environment: globals as in a program (private).

use std::collections::HashSet;
use std::fmt::Write;

use scheme_runtime::abi;

use super::{Codegen, Proc};
use crate::ast::{Expr, GlobalId, Program};

/// What the code generator makes.
#[derive(Clone, Debug)]
pub enum Output {
    /// An executable's code; `compiler` is the path of this schemec
    /// (`eval` in the program runs it). With `evaluates`, code compiled
    /// at run time may redefine its globals, so every call goes through
    /// the global (no direct calls of known procedures).
    Program { compiler: String, evaluates: bool },
    /// A unit to load into a running program; `interaction`: its globals
    /// are the interaction environment's shared cells.
    Unit { interaction: bool },
}

impl Output {
    pub(super) fn is_unit(&self) -> bool {
        matches!(self, Output::Unit { .. })
    }

    /// Are globals the shared cells of the interaction environment?
    pub(super) fn shared_globals(&self) -> bool {
        matches!(self, Output::Unit { interaction: true })
    }

    /// May code compiled later redefine the globals?
    pub(super) fn globals_may_change(&self) -> bool {
        match self {
            Output::Program { evaluates, .. } => *evaluates,
            Output::Unit { interaction } => *interaction,
        }
    }
}

/// The second line of a program's assembly when it compiles code at run
/// time (`eval`, `load`, the REPL): the driver then links it with the
/// whole runtime, exported to the units.
pub(super) const EVALUATES: &str = "# evaluates: units compiled at run time call the runtime";

/// Does the program `asm` compile code at run time (see `EVALUATES`)?
pub fn evaluates(asm: &str) -> bool {
    asm.lines().nth(1) == Some(EVALUATES)
}

impl Codegen<'_> {
    /// Emit the globals' words; returns the globals table
    /// (`MODULE_GLOBALS`): each global by name with its word's address,
    /// in a program that evaluates and a unit for the interaction
    /// environment (a program's names made private by libraries left out).
    pub(super) fn globals(&mut self) -> String {
        let shared = self.output.shared_globals();
        let used = if shared {
            used_globals(self.program)
        } else {
            HashSet::new()
        };
        let mut rows = Vec::new();
        for (g, name) in self.program.globals.iter().enumerate() {
            if shared {
                if !used.contains(&g) {
                    continue;
                }
                let _ = writeln!(
                    self.data,
                    "    .p2align 3\nglobal_{g}:  # {name} (its cell)\n    .quad 0"
                );
            } else {
                let _ = writeln!(
                    self.roots,
                    "global_{g}:  # {name}\n    .quad {:#x}",
                    abi::UNBOUND
                );
            }
            let listed = match self.output {
                // Only `eval` reads a program's table.
                Output::Program { evaluates, .. } => evaluates && !name.contains('\0'),
                // Every slot of a unit is set from its table.
                Output::Unit { interaction } => interaction,
            };
            if listed {
                let label = self.cstring(name);
                rows.push(format!("    .quad {label}, global_{g}"));
            }
        }
        format!(
            "    .p2align 3\n# globals by name: count, then (name, address)\nscheme_globals:\n    .quad {}\n{}\n",
            rows.len(),
            rows.join("\n")
        )
    }

    /// The module table, and `main` for a program.
    pub(super) fn module_table(&mut self) -> String {
        let (entry, compiler) = match self.output.clone() {
            Output::Program { compiler, .. } => {
                ("scheme_entry".to_owned(), self.cstring(&compiler))
            }
            Output::Unit { .. } => (
                format!("scheme_entry_closure + {}", abi::TAG_CLOSURE),
                "0".to_owned(),
            ),
        };
        let mut words = vec![String::new(); abi::MODULE_WORDS];
        words[abi::MODULE_ENTRY] = entry;
        words[abi::MODULE_ROOTS_START] = "scheme_roots_start".into();
        words[abi::MODULE_ROOTS_END] = "scheme_roots_end".into();
        words[abi::MODULE_FRAMES_START] = "scheme_frames_start".into();
        words[abi::MODULE_FRAMES_END] = "scheme_frames_end".into();
        words[abi::MODULE_SOURCE] = "scheme_source".into();
        words[abi::MODULE_GLOBALS] = "scheme_globals".into();
        words[abi::MODULE_COMPILER] = compiler;
        let mut out = String::new();
        match self.output {
            Output::Program { .. } => {
                let _ = writeln!(
                    out,
                    "    .globl main\nmain:\n    lea rdi, [rip + scheme_program]\n    jmp scm_main\n"
                );
                let _ = writeln!(
                    self.data,
                    "    .p2align 3\n# the program's tables (abi::MODULE_*)\nscheme_program:\n    .quad {}",
                    words.join(", ")
                );
            }
            Output::Unit { .. } => {
                let _ = writeln!(
                    self.data,
                    "    .p2align 3\n# the unit's entry: a procedure of no arguments\nscheme_entry_closure:\n    .quad {:#x}, scheme_entry\n    .globl {sym}\n    .p2align 3\n# the unit's tables (abi::MODULE_*)\n{sym}:\n    .quad {}",
                    abi::header(abi::TYPE_CLOSURE, 0),
                    words.join(", "),
                    sym = abi::UNIT_SYMBOL,
                );
            }
        }
        let name = if self.output.is_unit() {
            "eval"
        } else {
            "main"
        };
        let _ = writeln!(self.rodata, "scheme_entry.name:\n    .ascii \"{name}\"");
        let _ = writeln!(
            self.data,
            "    .p2align 3\nscheme_entry.info:\n    .quad scheme_entry.name, {}",
            name.len()
        );
        out
    }

    /// Load global `g`'s value into `reg`.
    pub(super) fn load_global(&mut self, p: &mut Proc, g: GlobalId, reg: &str) {
        let name = self.program.globals[g].clone();
        if self.output.shared_globals() {
            self.emit(
                p,
                &format!("mov {reg}, qword ptr [rip + global_{g}]  # {name}"),
            );
            self.emit(p, &format!("mov {reg}, qword ptr [{reg}]"));
        } else {
            self.emit(
                p,
                &format!("mov {reg}, qword ptr [rip + global_{g}]  # {name}"),
            );
        }
    }

    /// The memory operand of global `g`'s value (may use `r11`).
    pub(super) fn global_cell(&mut self, p: &mut Proc, g: GlobalId) -> String {
        let name = self.program.globals[g].clone();
        if self.output.shared_globals() {
            self.emit(
                p,
                &format!("mov r11, qword ptr [rip + global_{g}]  # {name}"),
            );
            "[r11]".to_owned()
        } else {
            format!("[rip + global_{g}]")
        }
    }
}

/// The globals `program` reads or assigns.
fn used_globals(program: &Program) -> HashSet<GlobalId> {
    let mut used = HashSet::new();
    let mut stack = vec![&program.body];
    while let Some(e) = stack.pop() {
        match e {
            Expr::Global(g) => {
                used.insert(*g);
            }
            Expr::SetGlobal(g, x) => {
                used.insert(*g);
                stack.push(x);
            }
            Expr::Const(_) | Expr::Local(_) | Expr::PrimRef(_) | Expr::Foreign(_) => {}
            Expr::SetLocal(_, x) | Expr::Callable(_, x, _) => stack.push(x),
            Expr::If(c, t, f) => stack.extend([&**c, &**t, &**f]),
            Expr::Seq(xs) | Expr::PrimCall(_, xs, _) => stack.extend(xs),
            Expr::Call(f, xs, _) | Expr::Apply(f, xs, _) => {
                stack.push(f);
                stack.extend(xs);
            }
            Expr::Lambda(l) => stack.push(&l.body),
            Expr::Let(bs, body) => {
                stack.extend(bs.iter().map(|(_, x)| x));
                stack.push(body);
            }
            Expr::Letrec(bs, body) => {
                stack.extend(bs.iter().map(|(_, l)| &l.body));
                stack.push(body);
            }
        }
    }
    used
}
