//! Pass `codegen`: core `Expr` => x86-64 assembly (GNU as, Intel syntax).
//!
//! Calling convention (Scheme to Scheme), see ARCHITECTURE.md:
//!   - `r15` holds the runtime `Ctx*` for the whole run;
//!   - a caller passes the closure in `rdi`, the argument count in `esi`,
//!     argument i at `[rsp - 8(i+1)]` as seen by the callee on entry
//!     (just below its return address), and `call`s the closure's code;
//!   - the callee never moves `rsp`: slot k of its frame is
//!     `[rsp - 8(k+1)]` (parameters first, then locals and temporaries);
//!     around a call it lowers `rsp` past its live slots by an odd number
//!     of words so every callee starts with `rsp` = 8 mod 16 and every C
//!     call is made with `rsp` 16-byte aligned;
//!   - a tail call stores its arguments over the caller's own parameter
//!     slots and `jmp`s; the result is returned in `rax`.
//!
//! Primitives that are not inlined are C functions
//! `(Ctx*, const Value* argv, u64 argc) -> Value`.

use std::collections::HashMap;
use std::fmt::Write;

use scheme_runtime::abi;
use scheme_runtime::registry::PrimDesc;

use crate::ast::*;
use crate::diag::{SourceMap, Span};
use crate::primitives::PrimTable;

mod float;
mod foreign;
pub(crate) mod fuse;
mod module;
mod record;
mod unboxed;
use float::{FloatOp, Outcome};

/// Bytes of procedure text `program_to` hands on at a time.
const CHUNK: usize = 1 << 20;
pub use module::{evaluates, launcher_assembly, Output};

/// Where a variable lives inside the procedure being compiled.
#[derive(Clone, Copy)]
enum Loc {
    Slot(usize),
    /// Free variable j of the current closure.
    Free(usize),
}

/// Globals assigned exactly once, by a top-level `(define g (lambda ...))`,
/// and those assigned once by `(define g (foreign-procedure ...))` (with
/// the foreign procedure's id).
type Known<'p> = (HashMap<GlobalId, &'p Lambda>, HashMap<GlobalId, usize>);

fn known_globals(program: &Program) -> Known<'_> {
    fn count(e: &Expr, sets: &mut HashMap<GlobalId, usize>) {
        match e {
            Expr::Const(_)
            | Expr::Local(_)
            | Expr::Global(_)
            | Expr::PrimRef(_)
            | Expr::Foreign(_) => {}
            Expr::SetLocal(_, x) | Expr::Callable(_, x, _) => count(x, sets),
            Expr::SetGlobal(g, x) => {
                *sets.entry(*g).or_default() += 1;
                count(x, sets);
            }
            Expr::If(c, t, f) => [c, t, f].iter().for_each(|x| count(x, sets)),
            Expr::Seq(xs) | Expr::PrimCall(_, xs, _) => xs.iter().for_each(|x| count(x, sets)),
            Expr::Call(f, xs, _) | Expr::Apply(f, xs, _) => {
                count(f, sets);
                xs.iter().for_each(|x| count(x, sets));
            }
            Expr::Lambda(l) => count(&l.body, sets),
            Expr::Let(bs, body) => {
                bs.iter().for_each(|(_, x)| count(x, sets));
                count(body, sets);
            }
            Expr::Letrec(bs, body) => {
                bs.iter().for_each(|(_, l)| count(&l.body, sets));
                count(body, sets);
            }
        }
    }
    let mut sets = HashMap::new();
    count(&program.body, &mut sets);
    let Expr::Seq(forms) = &program.body else {
        return Default::default();
    };
    let mut known: Known = Default::default();
    for f in forms {
        match f {
            Expr::SetGlobal(g, x) if sets.get(g) == Some(&1) => match &**x {
                Expr::Lambda(l) if l.free.is_empty() => {
                    known.0.insert(*g, &**l);
                }
                Expr::Foreign(id) => {
                    known.1.insert(*g, *id);
                }
                _ => {}
            },
            _ => {}
        }
    }
    known
}

/// State of the procedure being compiled.
struct Proc {
    /// The lambda being compiled (none for the top level).
    lambda: Option<*const Lambda>,
    code: String,
    locs: HashMap<VarId, Loc>,
    /// Slot holding the procedure's own closure, if it has free variables.
    closure_slot: Option<usize>,
}

pub struct Codegen<'a> {
    program: &'a Program,
    prims: &'a PrimTable,
    /// Per loaded library: the primitives used, with their closure label
    /// (word 2 receives the array entry) and register-entry slot.
    imports: Vec<Vec<(&'static PrimDesc, String, Option<String>)>>,
    /// The program's files: positions of calls and procedures.
    sources: &'a SourceMap,
    /// Finished procedures.
    text: String,
    /// Shared error stubs, by what they report.
    stubs: HashMap<String, String>,
    stub_text: String,
    /// `.quad return_label, frame_words` lines: the frame table that
    /// restores a continuation's frames (`control.rs` in the runtime).
    frame_table: String,
    /// Spans of the calls being compiled, innermost last: the position a
    /// call instruction is recorded with.
    sites: Vec<Span>,
    /// The `ProcInfo` label of the procedure being compiled ("0": top level).
    proc_info: String,
    data: String,
    /// Globals and constant slots: the collector scans them as roots.
    roots: String,
    rodata: String,
    labels: usize,
    cstrings: HashMap<String, String>,
    prim_closures: HashMap<&'static str, String>,
    /// Heap constants: data slot label and the datum to build at start-up.
    constants: Vec<(String, Datum)>,
    /// Lambdas waiting to be compiled, with their code labels.
    pending: Vec<(&'a Lambda, String)>,
    lambda_labels: HashMap<*const Lambda, String>,
    /// Globals defined once, by a top-level `define` of a lambda, and never
    /// assigned: calls to them jump straight past the arity check.
    known_globals: HashMap<GlobalId, &'a Lambda>,
    /// `letrec`-bound procedures that are never assigned.
    known_locals: HashMap<VarId, &'a Lambda>,
    /// `letrec` procedures compiled as loops in the procedure that binds
    /// them (`loops.rs`; none with `SCHEMEC_NO_LOOPS=1`, to measure).
    loops: std::collections::HashSet<VarId>,
    /// The loops being compiled: head label, first parameter slot, parameters.
    loop_heads: HashMap<VarId, (String, usize, &'a [VarId])>,
    /// Inline-loop parameters whose slots hold raw doubles (`unbox.rs`;
    /// none with `SCHEMEC_NO_UNBOX=1`).
    unboxed: std::collections::HashSet<VarId>,
    /// Globals bound once to a foreign procedure: its id.
    known_foreign: HashMap<GlobalId, usize>,
    /// The shared out-of-line paths of inline two-operand arithmetic and
    /// comparisons (`float.rs`), by primitive symbol.
    shared_ops: HashMap<String, String>,
    /// `label.entry` words already emitted.
    direct_entries: std::collections::HashSet<String>,
    /// The fused flonum path (`fuse.rs`) that the next inline arithmetic
    /// operation's non-fixnum exit jumps to, and whether fusing is off
    /// (inside a tree being compiled the usual way).
    fuse_entry: Option<String>,
    no_fuse: bool,
    /// What is being made: a program, or a unit for a running one.
    output: Output,
}

fn slot(k: usize) -> String {
    format!("qword ptr [rsp - {}]", 8 * (k + 1))
}

/// Smallest odd number of words >= `n`: lowering `rsp` by that many words
/// keeps calls aligned (see the module comment).
fn odd(n: usize) -> usize {
    n | 1
}

/// Immediate encoding of a datum, if it has one.
fn immediate(d: &Datum) -> Option<u64> {
    Some(match d {
        Datum::Int(n) => abi::fixnum(*n),
        Datum::Bool(true) => abi::TRUE,
        Datum::Bool(false) => abi::FALSE,
        Datum::Char(c) => abi::character(*c),
        Datum::Nil => abi::NIL,
        Datum::Unspecified => abi::UNSPECIFIED,
        _ => return None,
    })
}

/// What both operands of an inline comparison must be.
#[derive(Clone, Copy)]
enum Operands {
    Fixnums,
    Chars,
}

/// Two-operand comparisons compiled inline: the operand check, and the
/// condition code that holds when the comparison is true (tagged fixnums
/// and characters order as their values do).
fn comparison(name: &str) -> Option<(Operands, &'static str)> {
    use Operands::*;
    Some(match name {
        "=" => (Fixnums, "e"),
        "<" => (Fixnums, "l"),
        ">" => (Fixnums, "g"),
        "<=" => (Fixnums, "le"),
        ">=" => (Fixnums, "ge"),
        "char=?" => (Chars, "e"),
        "char<?" => (Chars, "l"),
        "char>?" => (Chars, "g"),
        "char<=?" => (Chars, "le"),
        "char>=?" => (Chars, "ge"),
        _ => return None,
    })
}

/// The condition code that holds when `cc` does not.
fn negate(cc: &str) -> &'static str {
    match cc {
        "e" => "ne",
        "l" => "ge",
        "g" => "le",
        "le" => "g",
        _ => "l",
    }
}

/// Names the compiler turns into inline code, with the argument counts it inlines.
fn inlined(p: &PrimDesc, argc: usize) -> bool {
    matches!(
        (p.name, argc),
        (
            "car"
                | "cdr"
                | "caar"
                | "cadr"
                | "cdar"
                | "cddr"
                | "caddr"
                | "null?"
                | "pair?"
                | "not"
                | "zero?"
                | "vector-length"
                | "char->integer"
                | "procedure?"
                | "string-length",
            1
        ) | ("-", 1)
            | ("+" | "-" | "*", 3..=64)
            | (
                "cons"
                    | "+"
                    | "-"
                    | "*"
                    | "/"
                    | "="
                    | "<"
                    | ">"
                    | "<="
                    | ">="
                    | "eq?"
                    | "char=?"
                    | "char<?"
                    | "char>?"
                    | "char<=?"
                    | "char>=?"
                    | "quotient"
                    | "remainder"
                    | "modulo"
                    | "vector-ref"
                    | "string-ref"
                    | "set-car!"
                    | "set-cdr!",
                2
            )
            | ("vector-set!" | "string-set!", 3)
            | ("vector" | "%record", 1..=16)
    )
}

fn escape_ascii(bytes: &[u8]) -> String {
    let mut s = String::new();
    for &b in bytes {
        match b {
            b'"' | b'\\' => {
                s.push('\\');
                s.push(b as char);
            }
            0x20..=0x7e => s.push(b as char),
            _ => {
                let _ = write!(s, "\\{b:03o}");
            }
        }
    }
    s
}

impl<'a> Codegen<'a> {
    pub fn new(program: &'a Program, prims: &'a PrimTable, sources: &'a SourceMap) -> Codegen<'a> {
        let output = Output::Program {
            compiler: String::new(),
            evaluates: false,
        };
        Codegen::for_output(program, prims, sources, output)
    }

    /// A code generator for `output`.
    pub fn for_output(
        program: &'a Program,
        prims: &'a PrimTable,
        sources: &'a SourceMap,
        output: Output,
    ) -> Codegen<'a> {
        let (mut known_globals, mut known_foreign) = known_globals(program);
        // Each optimisation can be turned off, to measure it.
        let off = |var: &str| std::env::var_os(var).is_some_and(|v| v != "0");
        let loops = if off("SCHEMEC_NO_LOOPS") {
            Default::default()
        } else {
            crate::loops::find(program)
        };
        if output.globals_may_change() {
            // A later unit may redefine any global: calls go through it.
            known_globals.clear();
            known_foreign.clear();
        }
        Codegen {
            program,
            prims,
            imports: vec![Vec::new(); prims.libraries.len()],
            sources,
            text: String::new(),
            stubs: HashMap::new(),
            stub_text: String::new(),
            frame_table: String::new(),
            sites: Vec::new(),
            proc_info: "0".into(),
            data: String::new(),
            roots: String::new(),
            rodata: String::new(),
            labels: 0,
            cstrings: HashMap::new(),
            prim_closures: HashMap::new(),
            constants: Vec::new(),
            pending: Vec::new(),
            lambda_labels: HashMap::new(),
            known_globals,
            known_foreign,
            known_locals: HashMap::new(),
            unboxed: if off("SCHEMEC_NO_UNBOX") {
                Default::default()
            } else {
                crate::unbox::find(program, &loops)
            },
            loops,
            loop_heads: HashMap::new(),
            direct_entries: std::collections::HashSet::new(),
            shared_ops: HashMap::new(),
            fuse_entry: None,
            no_fuse: false,
            output,
        }
    }

    /// Compile the whole program into one assembly file.
    pub fn program(self) -> String {
        let mut out = String::new();
        self.program_to(&mut |chunk| out.push_str(&chunk));
        out
    }

    /// `program`, handed to `sink` in pieces of whole lines as it is
    /// written, so the assembler can start on the procedures while the
    /// rest is compiled (`driver::compile_for`). The first piece is the
    /// header (`module::evaluates` reads it); the procedures follow, then
    /// the entry, the tables and the data.
    pub fn program_to(mut self, sink: &mut dyn FnMut(String)) {
        let mut header = String::from("# generated by schemec\n");
        if let Output::Program {
            evaluates: true, ..
        } = self.output
        {
            let _ = writeln!(header, "{}", module::EVALUATES);
        }
        let _ = writeln!(header, "    .intel_syntax noprefix\n    .text");
        sink(header);
        let globals_table = self.globals();
        // The entry procedure: constants, then the top-level forms in order.
        let mut p = Proc {
            lambda: None,
            code: String::new(),
            locs: HashMap::new(),
            closure_slot: None,
        };
        // Plugin libraries first: constants and code may use their primitives.
        for (i, lib) in self.prims.libraries.iter().enumerate() {
            let spec = self.literal_bytes(lib.runtime_spec.as_bytes());
            let _ = writeln!(p.code, "    # (load-library \"{}\")", lib.runtime_spec);
            self.emit(&mut p, "mov rdi, r15");
            self.emit(&mut p, &format!("lea rsi, [rip + {spec}]"));
            self.emit(&mut p, &format!("mov edx, {}", lib.runtime_spec.len()));
            self.emit(&mut p, &format!("lea rcx, [rip + library_{i}.imports]"));
            self.emit(&mut p, "sub rsp, 8");
            self.emit(&mut p, "call scm_load_library");
            self.emit(&mut p, "add rsp, 8");
        }
        let shared = self.load_shared_objects();
        p.code.push_str(&shared);
        self.emit(&mut p, "sub rsp, 8");
        self.emit(&mut p, "call scheme_init_constants");
        self.emit(&mut p, "add rsp, 8");
        let Expr::Seq(forms) = &self.program.body else {
            unreachable!("the expander returns a sequence")
        };
        for form in forms {
            self.expr(&mut p, form, 0, false);
        }
        if !self.output.is_unit() {
            let _ = writeln!(p.code, "    mov eax, {:#x}", abi::UNSPECIFIED);
        }
        // A unit returns the last form's value(s).
        let _ = writeln!(p.code, "    ret");
        let entry = p.code;

        while let Some((lambda, label)) = self.pending.pop() {
            self.lambda_code(lambda, &label);
            if self.text.len() >= CHUNK {
                sink(std::mem::take(&mut self.text));
            }
        }
        self.foreign_code();
        let init = self.constants_code();
        self.import_tables();
        let mut source_table = format!("{}", self.sources.files.len());
        for f in &self.sources.files {
            let name = self.cstring(&f.name);
            let path = self.cstring(&f.path);
            source_table.push_str(&format!(", {name}, {path}"));
        }

        // Sized once: a big program's text is hundreds of megabytes.
        let mut out = String::with_capacity(
            self.text.len()
                + self.stub_text.len()
                + self.data.len()
                + self.rodata.len()
                + self.frame_table.len()
                + self.roots.len()
                + globals_table.len()
                + 4096,
        );
        out.push_str(&self.module_table());
        let _ = writeln!(
            out,
            "# the top-level forms, in order\n    .quad scheme_entry.info - .\nscheme_entry:\n{entry}"
        );
        let _ = writeln!(out, "# builds the quoted data and string literals once, at start-up\nscheme_init_constants:\n{init}");
        out.push_str(&self.text);
        let _ = writeln!(
            out,
            "# error paths (they do not return)\n{}",
            self.stub_text
        );
        let _ = writeln!(
            out,
            "    .data\n# globals and constants: roots for the collector\n    .p2align 3\nscheme_roots_start:\n{}scheme_roots_end:\n{}",
            self.roots, self.data
        );
        out.push_str(&globals_table);
        let _ = writeln!(out, "    .section .rodata\n{}", self.rodata);
        // Tables of addresses: read-only once relocated (a unit is a
        // shared object: no relocations in `.rodata`, no text relocations).
        let _ = writeln!(out, "    .section .data.rel.ro,\"aw\"");
        let _ = writeln!(
            out,
            "# call sites: return address, frame size in words, line << 32 | column,\n# procedure info (continuations, error positions, backtraces)\n    .p2align 3\nscheme_frames_start:\n{}scheme_frames_end:",
            self.frame_table
        );
        let _ = writeln!(
            out,
            "# the source files: count, then each one's name as shown and path\nscheme_source:\n    .quad {source_table}"
        );
        let _ = writeln!(out, "    .section .note.GNU-stack,\"\",@progbits");
        sink(out);
    }

    fn label(&mut self, prefix: &str) -> String {
        self.labels += 1;
        format!(".L{prefix}.{}", self.labels)
    }

    fn emit(&mut self, p: &mut Proc, ins: &str) {
        let _ = writeln!(p.code, "    {ins}");
    }

    fn place(&mut self, p: &mut Proc, label: &str) {
        let _ = writeln!(p.code, "{label}:");
    }

    /// A `# source` comment for the form at `span`.
    fn comment(&mut self, p: &mut Proc, span: Span) {
        let line = self
            .sources
            .locate(span.start)
            .map_or(0, |(_, line, _)| line);
        // At most 70 characters of the first line: a deeply nested form
        // may be one very long line.
        let short = self.sources.rest_of_line(span.start, 70);
        let _ = writeln!(p.code, "    # {line}: {short}");
    }

    fn cstring(&mut self, s: &str) -> String {
        if let Some(l) = self.cstrings.get(s) {
            return l.clone();
        }
        let l = format!(".Lstr.{}", self.cstrings.len());
        let _ = writeln!(
            self.rodata,
            "{l}:\n    .asciz \"{}\"",
            escape_ascii(s.as_bytes())
        );
        self.cstrings.insert(s.to_owned(), l.clone());
        l
    }

    /// A shared error stub; `body` is its code after the alignment.
    fn stub(&mut self, key: String, body: impl FnOnce(&mut Self) -> String) -> String {
        if let Some(l) = self.stubs.get(&key) {
            return l.clone();
        }
        let l = format!(".Lerror.{}", self.stubs.len());
        self.stubs.insert(key.clone(), l.clone());
        let code = body(self);
        // Reached where `rsp` points at a return address: the runtime's
        // backtrace starts there (`Ctx::native_sp` is `rsp` before a call).
        let _ = writeln!(
            self.stub_text,
            "{l}:  # {key}\n    lea r11, [rsp + 8]\n    mov qword ptr [r15 + {}], r11\n    and rsp, -16\n{code}",
            abi::CTX_NATIVE_SP
        );
        l
    }

    // ---- values -------------------------------------------------------

    /// Expressions that compute without calls, allocation or writes.
    fn is_simple(&self, e: &Expr) -> bool {
        match e {
            Expr::Local(v) if self.unboxed.contains(v) => false,
            Expr::Const(_)
            | Expr::Local(_)
            | Expr::Global(_)
            | Expr::PrimRef(_)
            | Expr::Foreign(_) => true,
            Expr::Lambda(l) => l.free.is_empty(),
            _ => false,
        }
    }

    /// Simple and independent of the frame's slots.
    fn is_constant(&self, e: &Expr) -> bool {
        self.is_simple(e) && !matches!(e, Expr::Local(_))
    }

    /// Load a simple expression into `reg` (clobbers only `reg`).
    fn load_simple(&mut self, p: &mut Proc, e: &'a Expr, reg: &str) {
        match e {
            Expr::Const(d) => match immediate(d) {
                Some(imm) => self.emit(p, &format!("mov {reg}, {imm:#x}")),
                None => {
                    let l = format!("constant_{}", self.constants.len());
                    self.constants.push((l.clone(), d.clone()));
                    let _ = writeln!(self.roots, "{l}:\n    .quad 0");
                    self.emit(p, &format!("mov {reg}, qword ptr [rip + {l}]"));
                }
            },
            Expr::Local(v) => {
                self.load_raw(p, *v, reg);
                if self.program.vars[*v].boxed() {
                    self.emit(
                        p,
                        &format!(
                            "mov {reg}, qword ptr [{reg} + {}]",
                            abi::BOX_VALUE - abi::TAG_OBJECT as i64
                        ),
                    );
                }
            }
            Expr::Global(g) => {
                let name = self.program.globals[*g].clone();
                let stub = self.unbound_stub(&name);
                self.load_global(p, *g, reg);
                self.emit(p, &format!("cmp {reg}, {:#x}", abi::UNBOUND));
                self.emit(p, &format!("je {stub}"));
            }
            Expr::PrimRef(prim) => {
                let l = self.prim_closure(prim);
                self.emit(
                    p,
                    &format!(
                        "lea {reg}, [rip + {l} + {}]  # {}",
                        abi::TAG_CLOSURE,
                        prim.name
                    ),
                );
            }
            Expr::Lambda(l) => self.static_closure(p, l, reg),
            Expr::Foreign(id) => {
                let l = Self::foreign_label(*id);
                let name = &self.program.foreign[*id].name;
                self.emit(
                    p,
                    &format!(
                        "lea {reg}, [rip + {l}.closure + {}]  # {name}",
                        abi::TAG_CLOSURE
                    ),
                );
            }
            _ => unreachable!("load_simple on a complex expression"),
        }
    }

    /// The word stored for variable `v` (a box pointer for boxed variables).
    fn load_raw(&mut self, p: &mut Proc, v: VarId, reg: &str) {
        match p.locs[&v] {
            Loc::Slot(k) => self.emit(p, &format!("mov {reg}, {}", slot(k))),
            Loc::Free(j) => {
                let c = p.closure_slot.expect("free variables imply a closure slot");
                self.emit(p, &format!("mov {reg}, {}", slot(c)));
                let off = abi::CLOSURE_FREE + 8 * j as i64 - abi::TAG_CLOSURE as i64;
                self.emit(
                    p,
                    &format!(
                        "mov {reg}, qword ptr [{reg} + {off}]  # {}",
                        self.program.vars[v].name
                    ),
                );
            }
        }
    }

    /// Static closure object for a primitive used as a value.
    fn prim_closure(&mut self, prim: &'static PrimDesc) -> String {
        if let Some(l) = self.prim_closures.get(prim.name) {
            return l.clone();
        }
        let l = format!("primitive_{}", self.prim_closures.len());
        let name = format!(".Lname.{l}");
        // A plugin's entry is filled in when the program loads the library.
        let library = self.prims.library_of(prim);
        let entry = if library.is_some() { "0" } else { prim.symbol };
        let code = crate::primitives::scheme_code(prim).unwrap_or("scm_prim_adapter");
        let _ = writeln!(
            self.data,
            "    .p2align 3\n{l}:  # {}\n    .quad {:#x}, {code}, {entry}, {l}.info\n{l}.info:\n    .quad {name}, {}",
            prim.name,
            abi::header(abi::TYPE_CLOSURE, 2),
            prim.name.len()
        );
        if let Some(lib) = library {
            let fast = prim.fast_symbol.map(|_| {
                let slot = format!("{l}.fast");
                let _ = writeln!(self.data, "{slot}:\n    .quad 0");
                slot
            });
            self.imports[lib].push((prim, l.clone(), fast));
        }
        let _ = writeln!(
            self.rodata,
            "{name}:\n    .ascii \"{}\"",
            escape_ascii(prim.name.as_bytes())
        );
        self.prim_closures.insert(prim.name, l.clone());
        l
    }

    /// A closure without free variables is a static object.
    fn static_closure(&mut self, p: &mut Proc, l: &'a Lambda, reg: &str) {
        let code = self.lambda_label(l);
        let clo = format!("{code}.closure");
        self.emit(
            p,
            &format!("lea {reg}, [rip + {clo} + {}]", abi::TAG_CLOSURE),
        );
    }

    fn lambda_label(&mut self, l: &'a Lambda) -> String {
        let key = l as *const Lambda;
        if let Some(label) = self.lambda_labels.get(&key) {
            return label.clone();
        }
        let clean: String = l
            .name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        let label = format!("proc_{}_{clean}", self.lambda_labels.len());
        self.lambda_labels.insert(key, label.clone());
        self.pending.push((l, label.clone()));
        if l.free.is_empty() {
            let _ = writeln!(
                self.data,
                "    .p2align 3\n{label}.closure:\n    .quad {:#x}, {label}",
                abi::header(abi::TYPE_CLOSURE, 0)
            );
        }
        label
    }

    // ---- expressions --------------------------------------------------

    /// Compile `e` with slots `0..d` live; the value ends in `rax`. In tail
    /// position the code returns (or tail-calls) instead.
    fn expr(&mut self, p: &mut Proc, e: &'a Expr, d: usize, tail: bool) {
        match e {
            Expr::Local(v) if self.unboxed.contains(v) => self.unboxed_value(p, *v, d),
            Expr::Const(_)
            | Expr::Local(_)
            | Expr::Global(_)
            | Expr::PrimRef(_)
            | Expr::Foreign(_) => self.load_simple(p, e, "rax"),
            Expr::Callable(id, x, span) => {
                self.sites.push(*span);
                self.expr(p, x, d, false);
                let code = self.make_callable(*id, d);
                p.code.push_str(&code);
                self.sites.pop();
            }
            Expr::Lambda(l) if l.free.is_empty() => self.load_simple(p, e, "rax"),
            Expr::Lambda(l) => {
                self.closure(p, l, d);
                self.fill_closure(p, l);
            }
            Expr::SetLocal(v, x) => {
                self.expr(p, x, d, false);
                self.store_var(p, *v);
                self.emit(p, &format!("mov eax, {:#x}", abi::UNSPECIFIED));
            }
            Expr::SetGlobal(g, x) => {
                self.expr(p, x, d, false);
                let cell = self.global_cell(p, *g);
                self.emit(p, &format!("mov qword ptr {cell}, rax"));
                self.emit(p, &format!("mov eax, {:#x}", abi::UNSPECIFIED));
            }
            Expr::If(c, t, f) => {
                let else_l = self.label("else");
                let end_l = self.label("endif");
                self.test(p, c, d, &else_l);
                self.expr(p, t, d, tail);
                if !tail {
                    self.emit(p, &format!("jmp {end_l}"));
                }
                self.place(p, &else_l);
                self.expr(p, f, d, tail);
                self.place(p, &end_l);
                return;
            }
            Expr::Seq(xs) => {
                let (last, init) = xs.split_last().expect("sequences are not empty");
                for x in init {
                    self.expr(p, x, d, false);
                }
                self.expr(p, last, d, tail);
                return;
            }
            Expr::Call(f, args, span) => {
                self.comment(p, *span);
                if let Expr::Local(v) = **f {
                    if let Some((head, base, params)) = self.loop_heads.get(&v).cloned() {
                        self.loop_jump(p, &head, base, params, args, d);
                        return;
                    }
                }
                self.sites.push(*span);
                if let Some(op) = self.inline_callee(f, args) {
                    self.record_op(p, op, d);
                    self.sites.pop();
                    if tail {
                        self.emit(p, "ret");
                    }
                    return;
                }
                if tail {
                    self.tail_call(p, f, args, d);
                    self.sites.pop();
                    return;
                }
                self.call(p, f, args, d);
                self.sites.pop();
            }
            Expr::Apply(f, args, span) => {
                self.comment(p, *span);
                self.sites.push(*span);
                self.apply(p, f, args, d, tail);
                self.sites.pop();
                if tail {
                    return;
                }
            }
            Expr::PrimCall(prim, args, span) => {
                self.sites.push(*span);
                self.prim_call_expr(p, e, prim, args, *span, d);
                self.sites.pop();
            }
            Expr::Let(bindings, body) => {
                self.bind_let(p, bindings, d);
                self.expr(p, body, d + bindings.len(), tail);
                return;
            }
            Expr::Letrec(bindings, body)
                if bindings.len() == 1 && self.loops.contains(&bindings[0].0) =>
            {
                let (v, l) = &bindings[0];
                self.inline_loop(p, *v, l, body, d, tail);
                return;
            }
            Expr::Letrec(bindings, body) => {
                self.letrec(p, bindings, d);
                self.expr(p, body, d + bindings.len(), tail);
                return;
            }
        }
        if tail {
            self.emit(p, "ret");
        }
    }

    fn prim_call_expr(
        &mut self,
        p: &mut Proc,
        e: &'a Expr,
        prim: &'static PrimDesc,
        args: &'a [Expr],
        span: Span,
        d: usize,
    ) {
        let fusible = if self.no_fuse {
            None
        } else {
            fuse::fusible_value(e, true)
        };
        if self.raw_tree(e) {
            self.raw_value(p, e, d);
        } else if self.raw_comparison(e) {
            self.raw_compare(p, e, d, None);
        } else if let Some(leaves) = fusible {
            self.fused_value(p, e, leaves, d);
        } else if let Some(op) = record::RecordOp::of(prim, args.iter().collect()) {
            self.record_op(p, op, d);
        } else if inlined(prim, args.len()) {
            self.inline_prim(p, prim, args, d);
        } else {
            if prim.name == "sqrt" && self.fuse_entry.is_some() {
                // First operation of a fused tree: a flonum argument
                // takes the fused path (`fuse.rs`), anything else the call.
                let fused = self.fuse_entry.take().expect("checked");
                self.expr(p, &args[0], d, false);
                self.emit(p, "mov edx, eax");
                self.emit(p, "and edx, 7");
                self.emit(p, &format!("cmp edx, {}", abi::TAG_FLONUM));
                self.emit(p, &format!("je {fused}"));
            }
            self.comment(p, span);
            self.prim_call(p, prim, args, d);
        }
    }
}

impl<'a> Codegen<'a> {
    // ---- variables, boxes, closures -------------------------------------

    /// Evaluate `let` bindings into slots `d..` and bind their variables.
    fn bind_let(&mut self, p: &mut Proc, bindings: &'a [(VarId, Expr)], d: usize) {
        for (i, (v, init)) in bindings.iter().enumerate() {
            self.expr(p, init, d + i, false);
            let name = &self.program.vars[*v].name;
            self.emit(p, &format!("mov {}, rax  # {name}", slot(d + i)));
        }
        for (i, (v, _)) in bindings.iter().enumerate() {
            p.locs.insert(*v, Loc::Slot(d + i));
            self.box_slot(p, *v, d + i, d + bindings.len());
        }
    }

    /// Store `rax` into variable `v` (through its box if it has one).
    fn store_var(&mut self, p: &mut Proc, v: VarId) {
        let name = self.program.vars[v].name.clone();
        if self.program.vars[v].boxed() {
            self.load_raw(p, v, "rcx");
            self.emit(
                p,
                &format!(
                    "mov qword ptr [rcx + {}], rax  # set! {name}",
                    abi::BOX_VALUE - abi::TAG_OBJECT as i64
                ),
            );
        } else {
            match p.locs[&v] {
                Loc::Slot(k) => self.emit(p, &format!("mov {}, rax  # set! {name}", slot(k))),
                Loc::Free(_) => unreachable!("assigned captured variables are boxed"),
            }
        }
    }

    /// If `v` (now in slot `k`) is boxed, replace its value by a box holding it.
    fn box_slot(&mut self, p: &mut Proc, v: VarId, k: usize, d: usize) {
        if !self.program.vars[v].boxed() {
            return;
        }
        self.alloc(p, abi::BOX_SIZE, d);
        self.emit(p, &format!("mov rcx, {:#x}", abi::header(abi::TYPE_BOX, 0)));
        self.emit(p, "mov qword ptr [rax], rcx");
        self.emit(p, &format!("mov rcx, {}", slot(k)));
        self.emit(p, "mov qword ptr [rax + 8], rcx");
        self.emit(p, &format!("or rax, {}", abi::TAG_OBJECT));
        self.emit(
            p,
            &format!(
                "mov {}, rax  # box for {}",
                slot(k),
                self.program.vars[v].name
            ),
        );
    }

    /// Inline bump allocation of `bytes`; the untagged address ends in `rax`.
    /// Clobbers `rdx` (and every caller-saved register on the slow path).
    fn alloc(&mut self, p: &mut Proc, bytes: u64, d: usize) {
        if bytes as usize > scheme_runtime::abi::LARGE_OBJECT_BYTES {
            // Too big for a hole: the runtime gives it blocks of its own.
            self.emit(p, "mov rdi, r15");
            self.emit(p, &format!("mov esi, {bytes}"));
            self.runtime_call(p, "scm_alloc_slow", odd(d));
            return;
        }
        self.bump(
            p,
            bytes,
            d,
            abi::CTX_ALLOC_PTR,
            abi::CTX_ALLOC_LIMIT,
            "scm_alloc_slow",
        );
    }

    /// Inline bump allocation of a pair; the untagged address ends in `rax`.
    fn alloc_pair(&mut self, p: &mut Proc, d: usize) {
        self.bump(
            p,
            abi::PAIR_SIZE,
            d,
            abi::CTX_PAIR_PTR,
            abi::CTX_PAIR_LIMIT,
            "scm_alloc_pair_slow",
        );
    }

    /// The allocation fast path: bump `ctx[ptr]` if it stays within
    /// `ctx[limit]`, else call `slow` (which may collect: no live value may
    /// be in a register here). Clobbers `rdx`, and every caller-saved
    /// register on the slow path.
    fn bump(&mut self, p: &mut Proc, bytes: u64, d: usize, ptr: i64, limit: i64, slow_fn: &str) {
        let slow = self.label("alloc_slow");
        let done = self.label("alloc_done");
        self.emit(
            p,
            &format!("mov rax, qword ptr [r15 + {ptr}]  # allocate {bytes} bytes"),
        );
        self.emit(p, &format!("lea rdx, [rax + {bytes}]"));
        self.emit(p, &format!("cmp rdx, qword ptr [r15 + {limit}]"));
        self.emit(p, &format!("ja {slow}"));
        self.emit(p, &format!("mov qword ptr [r15 + {ptr}], rdx"));
        self.place(p, &done);
        // The slow path sits out of line, after the procedure.
        // A collection may raise "heap exhausted": a call site like others.
        let call = self.call_text(slow_fn, odd(d), true);
        let _ = write!(
            self.text,
            "{slow}:\n    mov rdi, r15\n    mov esi, {bytes}\n{call}    jmp {done}\n"
        );
    }

    /// Allocate the closure object for `l` (free variables zeroed); tagged in `rax`.
    fn closure(&mut self, p: &mut Proc, l: &'a Lambda, d: usize) {
        let code = self.lambda_label(l);
        let n = l.free.len();
        self.alloc(p, 16 + 8 * n as u64, d);
        self.emit(
            p,
            &format!("mov rcx, {:#x}", abi::header(abi::TYPE_CLOSURE, n as u64)),
        );
        self.emit(p, "mov qword ptr [rax], rcx");
        self.emit(p, &format!("lea rcx, [rip + {code}]"));
        self.emit(p, "mov qword ptr [rax + 8], rcx");
        for j in 0..n {
            self.emit(p, &format!("mov qword ptr [rax + {}], 0", 16 + 8 * j));
        }
        self.emit(p, &format!("or rax, {}", abi::TAG_CLOSURE));
    }

    /// Store the free variables of `l` into the closure in `rax`.
    fn fill_closure(&mut self, p: &mut Proc, l: &Lambda) {
        for (j, &v) in l.free.iter().enumerate() {
            self.load_raw(p, v, "rcx");
            let off = abi::CLOSURE_FREE + 8 * j as i64 - abi::TAG_CLOSURE as i64;
            self.emit(p, &format!("mov qword ptr [rax + {off}], rcx"));
        }
    }

    /// Bind mutually recursive procedures in slots `d..`: allocate every
    /// closure first, then fill in the free variables.
    fn letrec(&mut self, p: &mut Proc, bindings: &'a [(VarId, Lambda)], d: usize) {
        let n = bindings.len();
        for (v, l) in bindings {
            if !self.program.vars[*v].mutated {
                self.known_locals.insert(*v, l);
            }
        }
        for (i, (v, _)) in bindings.iter().enumerate() {
            p.locs.insert(*v, Loc::Slot(d + i));
            if self.program.vars[*v].boxed() {
                self.emit(p, &format!("mov eax, {:#x}", abi::UNSPECIFIED));
                self.emit(p, &format!("mov {}, rax", slot(d + i)));
                self.box_slot(p, *v, d + i, d + n);
            }
        }
        for (i, (v, l)) in bindings.iter().enumerate() {
            if l.free.is_empty() {
                self.static_closure(p, l, "rax");
            } else {
                self.closure(p, l, d + n);
            }
            if self.program.vars[*v].boxed() {
                self.emit(p, &format!("mov rcx, {}", slot(d + i)));
                self.emit(
                    p,
                    &format!(
                        "mov qword ptr [rcx + {}], rax",
                        abi::BOX_VALUE - abi::TAG_OBJECT as i64
                    ),
                );
            } else {
                self.emit(
                    p,
                    &format!("mov {}, rax  # {}", slot(d + i), self.program.vars[*v].name),
                );
            }
        }
        for (i, (v, l)) in bindings.iter().enumerate() {
            if l.free.is_empty() {
                continue;
            }
            self.emit(p, &format!("mov rax, {}", slot(d + i)));
            if self.program.vars[*v].boxed() {
                self.emit(
                    p,
                    &format!(
                        "mov rax, qword ptr [rax + {}]",
                        abi::BOX_VALUE - abi::TAG_OBJECT as i64
                    ),
                );
            }
            self.fill_closure(p, l);
        }
    }

    // ---- tests ----------------------------------------------------------

    /// Jump to `false_label` when `e` is false; fall through otherwise.
    fn test(&mut self, p: &mut Proc, e: &'a Expr, d: usize, false_label: &str) {
        if self.raw_comparison(e) {
            self.raw_compare(p, e, d, Some(false_label));
            return;
        }
        if !self.no_fuse {
            if let Some(leaves) = fuse::fusible_comparison(e, true) {
                self.fused_test(p, e, leaves, d, false_label);
                return;
            }
        }
        if let Expr::Let(bindings, body) = e {
            // As for the leaves of a fused comparison (`bind_leaves`).
            self.bind_let(p, bindings, d);
            self.test(p, body, d + bindings.len(), false_label);
            return;
        }
        if let Expr::PrimCall(prim, args, _) = e {
            if let (Some((operands, cc)), 2) = (comparison(prim.name), args.len()) {
                self.two(p, &args[0], &args[1], d);
                let done = self.label("compared");
                let slow = if let Some(op) = FloatOp::of(prim.name) {
                    let outcome = Outcome::Branch(false_label);
                    self.non_fixnum_path(prim.symbol, op, args, &done, outcome, d)
                } else {
                    let after = format!(
                        "    cmp rax, {:#x}\n    je {false_label}\n    jmp {done}\n",
                        abi::FALSE
                    );
                    self.slow_path(prim.symbol, &["rax", "rcx"], d, &after)
                };
                self.operand_check(p, operands, &slow);
                self.emit(p, "cmp rax, rcx");
                self.emit(p, &format!("j{} {false_label}", negate(cc)));
                self.place(p, &done);
                return;
            }
            match (prim.name, args.len()) {
                ("eq?", 2) => {
                    self.two(p, &args[0], &args[1], d);
                    self.emit(p, "cmp rax, rcx");
                    self.emit(p, &format!("jne {false_label}"));
                    return;
                }
                ("null?", 1) => {
                    self.expr(p, &args[0], d, false);
                    self.emit(p, &format!("cmp rax, {:#x}", abi::NIL));
                    self.emit(p, &format!("jne {false_label}"));
                    return;
                }
                ("not", 1) => {
                    self.expr(p, &args[0], d, false);
                    self.emit(p, &format!("cmp rax, {:#x}", abi::FALSE));
                    self.emit(p, &format!("jne {false_label}"));
                    return;
                }
                ("pair?", 1) => {
                    self.expr(p, &args[0], d, false);
                    self.emit(p, &format!("lea ecx, [rax - {}]", abi::TAG_PAIR));
                    self.emit(p, "test cl, 7");
                    self.emit(p, &format!("jnz {false_label}"));
                    return;
                }
                _ => {}
            }
        }
        self.expr(p, e, d, false);
        self.emit(p, &format!("cmp rax, {:#x}", abi::FALSE));
        self.emit(p, &format!("je {false_label}"));
    }

    // ---- calls ----------------------------------------------------------

    /// Evaluate `args` that are not simple into slots from `base` on;
    /// returns where each one went.
    fn eval_to_temps(
        &mut self,
        p: &mut Proc,
        args: &'a [Expr],
        base: usize,
        keep: impl Fn(&Self, &Expr) -> bool,
    ) -> (Vec<Option<usize>>, usize) {
        let mut next = base;
        let mut homes = Vec::new();
        for a in args {
            if keep(self, a) {
                homes.push(None);
            } else {
                self.expr(p, a, next, false);
                self.emit(p, &format!("mov {}, rax", slot(next)));
                homes.push(Some(next));
                next += 1;
            }
        }
        (homes, next)
    }

    fn load_home(&mut self, p: &mut Proc, e: &'a Expr, home: Option<usize>, reg: &str) {
        match home {
            Some(k) => self.emit(p, &format!("mov {reg}, {}", slot(k))),
            None => self.load_simple(p, e, reg),
        }
    }

    /// Check that `rdi` holds a procedure.
    fn check_procedure(&mut self, p: &mut Proc) {
        let stub = self
            .site_stub("    mov rsi, rdi\n    mov rdi, r15\n    call scm_error_not_procedure\n");
        self.emit(p, "mov eax, edi");
        self.emit(p, "and eax, 7");
        self.emit(p, &format!("cmp eax, {}", abi::TAG_CLOSURE));
        self.emit(p, &format!("jne {stub}"));
    }

    /// The lambda that a call's operator is known to be, when the call can
    /// enter it directly (past the arity check).
    fn known_callee(&self, f: &Expr, argc: usize) -> Option<&'a Lambda> {
        let l = match f {
            Expr::Local(v) if !self.program.vars[*v].mutated => *self.known_locals.get(v)?,
            Expr::Global(g) => *self.known_globals.get(g)?,
            _ => return None,
        };
        (l.rest.is_none() && l.params.len() == argc).then_some(l)
    }

    /// A data word holding the address of `label.direct`.
    fn direct_entry(&mut self, label: &str) -> String {
        let entry = format!("{label}.entry");
        if !self.direct_entries.contains(&entry) {
            let _ = writeln!(
                self.data,
                "    .p2align 3\n{entry}:\n    .quad {label}.direct"
            );
            self.direct_entries.insert(entry.clone());
        }
        entry
    }

    /// The shared error path for global `name` read before its definition ran.
    fn unbound_stub(&mut self, name: &str) -> String {
        let n = self.cstring(name);
        // In the interaction environment a global may be defined nowhere.
        let error = if self.output.shared_globals() {
            "scm_error_not_bound"
        } else {
            "scm_error_unbound"
        };
        self.site_stub(&format!(
            "    lea rsi, [rip + {n}]\n    mov rdi, r15\n    call {error}\n"
        ))
    }

    /// An error path of its own for this call site, so the error has its
    /// position. Reached by a jump from the procedure's body, where `rsp`
    /// points at the procedure's return address; `code` calls the runtime.
    fn site_stub(&mut self, code: &str) -> String {
        let l = self.label("site_error");
        let ret = self.site(1);
        let _ = writeln!(
            self.stub_text,
            "{l}:\n    sub rsp, 8\n    mov qword ptr [r15 + {}], rsp\n{code}{ret}:\n    ud2",
            abi::CTX_NATIVE_SP
        );
        l
    }

    /// For a direct call of `l` through `f`: check that a global is
    /// defined, and put the closure in `rdi` if `l` needs it.
    fn prepare_direct(&mut self, p: &mut Proc, f: &'a Expr, home: Option<usize>, l: &'a Lambda) {
        match f {
            Expr::Global(g) => self.check_defined(p, *g),
            _ if !l.free.is_empty() => self.load_home(p, f, home, "rdi"),
            _ => {}
        }
    }

    /// The foreign procedure id of a call's operator, when it is a global
    /// bound once to a foreign procedure taking `argc` arguments.
    fn known_foreign_callee(&self, f: &Expr, argc: usize) -> Option<(GlobalId, usize)> {
        let Expr::Global(g) = f else { return None };
        let id = *self.known_foreign.get(g)?;
        (self.program.foreign[id].params.len() == argc).then_some((*g, id))
    }

    /// Jump to the unbound-variable error unless global `g` is defined.
    fn check_defined(&mut self, p: &mut Proc, g: GlobalId) {
        let name = self.program.globals[g].clone();
        let stub = self.unbound_stub(&name);
        let cell = self.global_cell(p, g);
        self.emit(p, &format!("cmp qword ptr {cell}, {:#x}", abi::UNBOUND));
        self.emit(p, &format!("je {stub}"));
    }

    fn call(&mut self, p: &mut Proc, f: &'a Expr, args: &'a [Expr], d: usize) {
        if let Some((g, id)) = self.known_foreign_callee(f, args.len()) {
            if self.inline_foreign_call(p, g, id, args, d) {
                return;
            }
        }
        let all: Vec<&'a Expr> = std::iter::once(f).chain(args).collect();
        let mut next = d;
        let mut homes = Vec::new();
        for a in &all {
            if self.is_simple(a) {
                homes.push(None);
            } else {
                self.expr(p, a, next, false);
                self.emit(p, &format!("mov {}, rax", slot(next)));
                homes.push(Some(next));
                next += 1;
            }
        }
        let frame = odd(next);
        for (i, a) in args.iter().enumerate() {
            self.load_home(p, a, homes[i + 1], "rax");
            self.emit(
                p,
                &format!("mov qword ptr [rsp - {}], rax", 8 * (frame + 2 + i)),
            );
        }
        if let Some(l) = self.known_callee(f, args.len()) {
            self.prepare_direct(p, f, homes[0], l);
            let label = self.lambda_label(l);
            let entry = self.direct_entry(&label);
            // Through memory: on this project's machine (AMD EPYC) a direct
            // `call` made 1,000,000-deep recursion ~25% slower than a
            // memory-indirect one (bench/compare.sh, 21-deep-recursion-tree).
            self.scheme_call(p, &format!("qword ptr [rip + {entry}]"), frame);
            return;
        }
        if let Some((g, id)) = self.known_foreign_callee(f, args.len()) {
            // A foreign procedure: past its argument count check.
            self.check_defined(p, g);
            let entry = self.direct_entry(&Self::foreign_label(id));
            self.scheme_call(p, &format!("qword ptr [rip + {entry}]"), frame);
            return;
        }
        self.load_home(p, f, homes[0], "rdi");
        self.check_procedure(p);
        self.emit(p, &format!("mov esi, {}", args.len()));
        let code = abi::CLOSURE_CODE - abi::TAG_CLOSURE as i64;
        self.scheme_call(p, &format!("qword ptr [rdi + {code}]"), frame);
    }

    /// Call Scheme code with `frame` words of this frame live, and record
    /// the call site (see `site`).
    fn scheme_call(&mut self, p: &mut Proc, target: &str, frame: usize) {
        let call = self.call_text(target, frame, false);
        p.code.push_str(&call);
    }

    /// Call runtime code that may raise: as `scheme_call`, and tell the
    /// runtime where the Scheme frames start (`Ctx::native_sp`).
    fn runtime_call(&mut self, p: &mut Proc, target: &str, frame: usize) {
        let call = self.call_text(target, frame, true);
        p.code.push_str(&call);
    }

    /// The lines of a call made with `frame` words live: lower `rsp` past
    /// them, store it in `Ctx::native_sp` if `runtime` (a call into the
    /// runtime that may raise), call, and restore `rsp`; the return
    /// address is a call site (`site`). Out-of-line paths use it too.
    pub(crate) fn call_text(&mut self, target: &str, frame: usize, runtime: bool) -> String {
        let ret = self.site(frame);
        let bytes = 8 * frame;
        let native = if runtime {
            format!("    mov qword ptr [r15 + {}], rsp\n", abi::CTX_NATIVE_SP)
        } else {
            String::new()
        };
        format!("    sub rsp, {bytes}\n{native}    call {target}\n{ret}:\n    add rsp, {bytes}\n")
    }

    /// A label for the return address of a call made with `frame` words
    /// live, entered in the frame table with the innermost call's position
    /// and the procedure being compiled.
    fn site(&mut self, frame: usize) -> String {
        let ret = self.label("ret");
        let pos = match self.sites.last().and_then(|s| self.sources.locate(s.start)) {
            Some((file, line, col)) => abi::call_site_position(file, line, col),
            // The prelude, or no call: no position.
            None => 0,
        };
        let _ = writeln!(
            self.frame_table,
            "    .quad {ret}, {frame}, {pos:#x}, {}",
            self.proc_info
        );
        ret
    }

    fn tail_call(&mut self, p: &mut Proc, f: &'a Expr, args: &'a [Expr], d: usize) {
        if let Some((g, id)) = self.known_foreign_callee(f, args.len()) {
            if self.inline_foreign_call(p, g, id, args, d) {
                self.emit(p, "ret");
                return;
            }
        }
        let n = args.len();
        let known = self.known_callee(f, n);
        if let Some(l) = known.filter(|&l| p.lambda == Some(l as *const Lambda)) {
            // A self call: a loop.
            let head = format!("{}.loop", self.lambda_label(l));
            self.loop_jump(p, &head, 0, &[], args, d.max(n));
            return;
        }
        let in_place = |cg: &Self, pr: &Proc, i: usize, a: &Expr| cg.in_slot(pr, a, i);
        let mut next = d.max(n);
        let mut homes = Vec::new();
        for (i, a) in args.iter().enumerate() {
            if self.is_constant(a) || in_place(self, p, i, a) {
                homes.push(None);
            } else {
                self.expr(p, a, next, false);
                self.emit(p, &format!("mov {}, rax", slot(next)));
                homes.push(Some(next));
                next += 1;
            }
        }
        let f_home = if self.is_constant(f) {
            None
        } else {
            self.expr(p, f, next, false);
            self.emit(p, &format!("mov {}, rax", slot(next)));
            Some(next)
        };
        match known {
            Some(l) => self.prepare_direct(p, f, f_home, l),
            None => {
                self.load_home(p, f, f_home, "rdi");
                self.check_procedure(p);
            }
        }
        for (i, a) in args.iter().enumerate() {
            if homes[i].is_none() && in_place(self, p, i, a) {
                continue;
            }
            self.load_home(p, a, homes[i], "rax");
            self.emit(p, &format!("mov {}, rax", slot(i)));
        }
        if let Some(l) = known {
            let label = self.lambda_label(l);
            self.emit(p, &format!("jmp {label}.direct"));
            return;
        }
        self.emit(p, &format!("mov esi, {n}"));
        self.emit(
            p,
            &format!(
                "jmp qword ptr [rdi + {}]",
                abi::CLOSURE_CODE - abi::TAG_CLOSURE as i64
            ),
        );
    }

    /// Is `a` a variable already in slot `k` (an argument that needs no move)?
    fn in_slot(&self, p: &Proc, a: &Expr, k: usize) -> bool {
        match a {
            Expr::Local(v) => {
                !self.program.vars[*v].boxed()
                    && matches!(p.locs.get(v), Some(Loc::Slot(j)) if *j == k)
            }
            _ => false,
        }
    }

    /// A jump to a loop's `head` whose parameters (`params`, when they are
    /// known) are slots `base..`: a self tail call, or a call of a loop
    /// compiled inline (`inline_loop`). Slots from `d` on are free (and `d`
    /// is past the parameters). An unboxed parameter gets a raw double.
    fn loop_jump(
        &mut self,
        p: &mut Proc,
        head: &str,
        base: usize,
        params: &[VarId],
        args: &'a [Expr],
        d: usize,
    ) {
        let raw = |cg: &Self, i: usize| params.get(i).is_some_and(|v| cg.unboxed.contains(v));
        let computed = |cg: &Self, pr: &Proc, i: usize, a: &Expr| {
            !cg.in_slot(pr, a, base + i) && (raw(cg, i) || !cg.is_constant(a))
        };
        // The last computed argument stays in `rax` (`xmm0`) and is stored
        // last, instead of through a temporary slot.
        let last = args
            .iter()
            .enumerate()
            .rposition(|(i, a)| computed(self, p, i, a));
        let mut next = d;
        let mut homes = Vec::new();
        for (i, a) in args.iter().enumerate() {
            if !computed(self, p, i, a) {
                homes.push(None);
            } else if last == Some(i) {
                // Kept in `rax`, or `xmm0` for a raw double.
                if raw(self, i) {
                    self.flonum(p, a, next);
                } else {
                    self.expr(p, a, next, false);
                }
                homes.push(None);
            } else if raw(self, i) {
                self.flonum(p, a, next);
                self.emit(p, &format!("movsd {}, xmm0", slot(next)));
                homes.push(Some(next));
                next += 1;
            } else {
                self.expr(p, a, next, false);
                self.emit(p, &format!("mov {}, rax", slot(next)));
                homes.push(Some(next));
                next += 1;
            }
        }
        for (i, a) in args.iter().enumerate() {
            if last == Some(i) || (homes[i].is_none() && self.in_slot(p, a, base + i)) {
                continue;
            }
            self.load_home(p, a, homes[i], "rcx");
            self.emit(p, &format!("mov {}, rcx", slot(base + i)));
        }
        if let Some(i) = last {
            if raw(self, i) {
                self.emit(p, &format!("movsd {}, xmm0", slot(base + i)));
            } else {
                self.emit(p, &format!("mov {}, rax", slot(base + i)));
            }
        }
        self.emit(p, &format!("jmp {head}"));
    }

    /// A `letrec` of one procedure that `loops.rs` found is only ever
    /// jumped to: its parameters take slots `d..` of this frame, its body
    /// follows the code of the `letrec` body, and its calls are jumps
    /// (`loop_jump`). No closure, no call, no frame of its own.
    fn inline_loop(
        &mut self,
        p: &mut Proc,
        v: VarId,
        l: &'a Lambda,
        body: &'a Expr,
        d: usize,
        tail: bool,
    ) {
        let n = l.params.len();
        let head = self.label("loop");
        let end = self.label("loop_end");
        self.loop_heads.insert(v, (head.clone(), d, &l.params));
        let _ = writeln!(p.code, "    # loop {}", l.name);
        self.expr(p, body, d + n, tail);
        if !tail {
            self.emit(p, &format!("jmp {end}"));
        }
        self.place(p, &head);
        for (i, &param) in l.params.iter().enumerate() {
            p.locs.insert(param, Loc::Slot(d + i));
        }
        for (i, &param) in l.params.iter().enumerate() {
            self.box_slot(p, param, d + i, d + n);
        }
        self.expr(p, &l.body, d + n, tail);
        if !tail {
            self.place(p, &end);
        }
        self.loop_heads.remove(&v);
    }

    /// `(apply f a ... list)`: spread the list into the outgoing arguments.
    fn apply(&mut self, p: &mut Proc, f: &'a Expr, args: &'a [Expr], d: usize, tail: bool) {
        let (list, fixed) = args.split_last().expect("apply has a list argument");
        let k = fixed.len();
        let base = if tail { d.max(k) } else { d };
        let all: Vec<&'a Expr> = std::iter::once(f).chain(args).collect();
        for (i, a) in all.iter().enumerate() {
            self.expr(p, a, base + i, false);
            self.emit(p, &format!("mov {}, rax", slot(base + i)));
        }
        let next = base + all.len();
        let list_slot = slot(next - 1);
        let frame = odd(next);
        self.emit(p, "mov rdi, r15");
        self.emit(p, &format!("mov rsi, {list_slot}"));
        self.runtime_call(p, "scm_apply_length", frame);
        self.emit(p, "mov rdx, rax");
        self.emit(p, &format!("mov rdi, {}", slot(base)));
        self.check_procedure(p);
        let _ = list;
        // Outgoing argument i goes to [rsp - out(i)].
        let out = |i: usize| {
            if tail {
                8 * (i + 1)
            } else {
                8 * (frame + 2 + i)
            }
        };
        self.emit(p, &format!("mov rcx, {list_slot}"));
        for i in 0..k {
            self.emit(p, &format!("mov rax, {}", slot(base + 1 + i)));
            self.emit(p, &format!("mov qword ptr [rsp - {}], rax", out(i)));
        }
        let lp = self.label("spread");
        let done = self.label("spread_done");
        self.emit(p, &format!("lea r8, [rsp - {}]", out(k)));
        self.place(p, &lp);
        self.emit(p, &format!("cmp rcx, {:#x}", abi::NIL));
        self.emit(p, &format!("je {done}"));
        self.emit(p, &format!("mov rax, qword ptr [rcx - {}]", abi::TAG_PAIR));
        self.emit(p, "mov qword ptr [r8], rax");
        self.emit(p, "sub r8, 8");
        self.emit(
            p,
            &format!(
                "mov rcx, qword ptr [rcx + {}]",
                abi::PAIR_CDR - abi::TAG_PAIR as i64
            ),
        );
        self.emit(p, &format!("jmp {lp}"));
        self.place(p, &done);
        self.emit(p, &format!("lea esi, [rdx + {k}]"));
        let code = abi::CLOSURE_CODE - abi::TAG_CLOSURE as i64;
        if tail {
            self.emit(p, &format!("jmp qword ptr [rdi + {code}]"));
        } else {
            self.scheme_call(p, &format!("qword ptr [rdi + {code}]"), frame);
        }
    }

    /// Call a primitive's C function with `argv` in the frame.
    fn prim_call(&mut self, p: &mut Proc, prim: &'static PrimDesc, args: &'a [Expr], d: usize) {
        let n = args.len();
        // Plugin primitives are called through slots filled at load time.
        let (fast_target, array_target) = match self.prims.library_of(prim) {
            Some(_) => {
                let closure = self.prim_closure(prim);
                let fast = self
                    .imports
                    .iter()
                    .flatten()
                    .find(|i| i.1 == closure)
                    .and_then(|i| i.2.clone());
                (
                    fast.map(|f| format!("qword ptr [rip + {f}]")),
                    format!("qword ptr [rip + {closure} + 16]"),
                )
            }
            None => (prim.fast_symbol.map(str::to_owned), prim.symbol.to_owned()),
        };
        if let Some(fast) = fast_target {
            // Register entry: (ctx, arg0, ..., arg4) in rdi, rsi, rdx, rcx, r8, r9.
            const REGS: [&str; 5] = ["rsi", "rdx", "rcx", "r8", "r9"];
            let (homes, next) = self.eval_to_temps(p, args, d, |cg, e| cg.is_simple(e));
            for (i, a) in args.iter().enumerate() {
                self.load_home(p, a, homes[i], REGS[i]);
            }
            let frame = odd(next);
            self.emit(p, "mov rdi, r15");
            self.runtime_call(p, &fast, frame);
            return;
        }
        // Argument i goes to slot d+n-1-i so that argv ascends in memory.
        for (i, a) in args.iter().enumerate() {
            self.expr(p, a, d + n, false);
            self.emit(p, &format!("mov {}, rax", slot(d + n - 1 - i)));
        }
        let frame = odd(d + n);
        self.emit(p, "mov rdi, r15");
        self.emit(p, &format!("lea rsi, [rsp - {}]", 8 * (d + n)));
        self.emit(p, &format!("mov edx, {n}"));
        self.runtime_call(p, &array_target, frame);
    }

    // ---- inline primitives ------------------------------------------------

    /// Evaluate `a` into `rax` and `b` into `rcx`.
    fn two(&mut self, p: &mut Proc, a: &'a Expr, b: &'a Expr, d: usize) {
        if self.is_simple(b) {
            self.expr(p, a, d, false);
            self.load_simple(p, b, "rcx");
        } else if self.is_simple(a) {
            self.expr(p, b, d, false);
            self.emit(p, "mov rcx, rax");
            self.load_simple(p, a, "rax");
        } else {
            self.expr(p, a, d, false);
            self.emit(p, &format!("mov {}, rax", slot(d)));
            self.expr(p, b, d + 1, false);
            self.emit(p, "mov rcx, rax");
            self.emit(p, &format!("mov rax, {}", slot(d)));
        }
    }

    /// Out-of-line call of the primitive `symbol` on the values in `regs`,
    /// followed by `after`; returns its label. Inline arithmetic jumps
    /// here when an operand is not a fixnum or the result overflows: the
    /// runtime then computes with bignums or reports the type error.
    fn slow_path(&mut self, symbol: &str, regs: &[&str], d: usize, after: &str) -> String {
        let slow = self.label("generic");
        let n = regs.len();
        let _ = writeln!(self.text, "{slow}:");
        for (i, r) in regs.iter().enumerate() {
            let _ = writeln!(self.text, "    mov {}, {r}", slot(d + n - 1 - i));
        }
        let call = self.call_text(symbol, odd(d + n), true);
        let _ = write!(
            self.text,
            "    mov rdi, r15\n    lea rsi, [rsp - {}]\n    mov edx, {n}\n{call}{after}",
            8 * (d + n)
        );
        slow
    }

    /// A generic slow path that returns to `done` with the result in `rax`.
    fn slow_to(&mut self, symbol: &str, regs: &[&str], d: usize) -> (String, String) {
        let done = self.label("done");
        let slow = self.slow_path(symbol, regs, d, &format!("    jmp {done}\n"));
        (slow, done)
    }

    fn operand_check(&mut self, p: &mut Proc, operands: Operands, slow: &str) {
        match operands {
            Operands::Fixnums => self.fixnum_check(p, slow),
            Operands::Chars => self.char_check(p, slow),
        }
    }

    /// Jump to `slow` unless both `rax` and `rcx` are characters.
    fn char_check(&mut self, p: &mut Proc, slow: &str) {
        self.emit(p, &format!("cmp al, {:#x}", abi::CHAR_TAG));
        self.emit(p, &format!("jne {slow}"));
        self.emit(p, &format!("cmp cl, {:#x}", abi::CHAR_TAG));
        self.emit(p, &format!("jne {slow}"));
    }

    /// Jump to `slow` unless both `rax` and `rcx` are fixnums.
    fn fixnum_check(&mut self, p: &mut Proc, slow: &str) {
        self.emit(p, "mov edx, eax");
        self.emit(p, "or edx, ecx");
        self.emit(p, "test dl, 7");
        self.emit(p, &format!("jnz {slow}"));
    }

    /// Jump to `slow` unless `rax` is a pair (clobbers `ecx`).
    fn check_pair(&mut self, p: &mut Proc, slow: &str) {
        self.emit(p, &format!("lea ecx, [rax - {}]", abi::TAG_PAIR));
        self.emit(p, "test cl, 7");
        self.emit(p, &format!("jnz {slow}"));
    }

    /// Jump to `slow` unless `rax` is a vector; leaves its length
    /// (untagged) in `rdx`.
    fn check_vector(&mut self, p: &mut Proc, slow: &str) {
        self.emit(p, "mov edx, eax");
        self.emit(p, "and edx, 7");
        self.emit(p, &format!("cmp edx, {}", abi::TAG_OBJECT));
        self.emit(p, &format!("jne {slow}"));
        self.emit(
            p,
            &format!("mov rdx, qword ptr [rax - {}]", abi::TAG_OBJECT),
        );
        self.emit(p, &format!("cmp dl, {}", abi::TYPE_VECTOR));
        self.emit(p, &format!("jne {slow}"));
        self.emit(p, &format!("shr rdx, {}", abi::HEADER_LENGTH_SHIFT));
    }

    /// The three arguments of an inline `vector-set!` or `string-set!` in
    /// `rax`, `rcx` and `r9`, and the labels of its slow path (which calls
    /// `prim` with them) and of its end.
    fn three(
        &mut self,
        p: &mut Proc,
        prim: &PrimDesc,
        args: &'a [Expr],
        d: usize,
    ) -> (String, String) {
        let (homes, _) = self.eval_to_temps(p, args, d, |cg, e| cg.is_constant(e));
        let d = d + homes.iter().flatten().count();
        self.load_home(p, &args[0], homes[0], "rax");
        self.load_home(p, &args[1], homes[1], "rcx");
        self.load_home(p, &args[2], homes[2], "r9");
        self.slow_to(prim.symbol, &["rax", "rcx", "r9"], d)
    }

    /// Jump to `slow` unless `rax` is a string; leaves its length in
    /// characters in `rdx` (for `check_index`).
    fn check_string(&mut self, p: &mut Proc, slow: &str) {
        let obj = abi::TAG_OBJECT as i64;
        self.emit(p, "mov edx, eax");
        self.emit(p, "and edx, 7");
        self.emit(p, &format!("cmp edx, {}", abi::TAG_OBJECT));
        self.emit(p, &format!("jne {slow}"));
        self.emit(
            p,
            &format!("cmp byte ptr [rax - {obj}], {}", abi::TYPE_STRING),
        );
        self.emit(p, &format!("jne {slow}"));
        self.emit(
            p,
            &format!(
                "mov rdx, qword ptr [rax + {}]",
                abi::STRING_CHAR_COUNT - obj
            ),
        );
    }

    /// Jump to `slow` unless `rcx` indexes the vector in `rax` (length in
    /// `rdx`); leaves the untagged index in `r8`.
    fn check_index(&mut self, p: &mut Proc, slow: &str) {
        self.emit(p, "test cl, 7");
        self.emit(p, &format!("jnz {slow}"));
        self.emit(p, "mov r8, rcx");
        self.emit(p, &format!("sar r8, {}", abi::TAG_BITS));
        self.emit(p, "cmp r8, rdx");
        self.emit(p, &format!("jae {slow}"));
    }

    fn boolean_from_flags(&mut self, p: &mut Proc, cc: &str) {
        self.emit(p, &format!("mov eax, {:#x}", abi::FALSE));
        self.emit(p, &format!("mov edx, {:#x}", abi::TRUE));
        self.emit(p, &format!("cmov{cc} eax, edx"));
    }

    /// Inline code for a primitive. Whenever an argument is of the wrong
    /// type (or arithmetic overflows) it jumps to a slow path that calls the
    /// primitive's runtime function with the same arguments, which computes
    /// the general case or reports the error, in exactly the words a
    /// non-inlined call would use.
    fn inline_prim(&mut self, p: &mut Proc, prim: &PrimDesc, args: &'a [Expr], d: usize) {
        let who = prim.name;
        let car = abi::PAIR_CAR - abi::TAG_PAIR as i64;
        let cdr = abi::PAIR_CDR - abi::TAG_PAIR as i64;
        match (who, args.len()) {
            ("car" | "cdr" | "caar" | "cadr" | "cdar" | "cddr" | "caddr", 1) => {
                self.expr(p, &args[0], d, false);
                self.emit(p, "mov rdx, rax");
                let (slow, done) = self.slow_to(prim.symbol, &["rdx"], d);
                // c[ad]+r: apply the letters right to left.
                for step in who[1..who.len() - 1].chars().rev() {
                    self.check_pair(p, &slow);
                    let off = if step == 'a' { car } else { cdr };
                    self.emit(p, &format!("mov rax, qword ptr [rax + {off}]"));
                }
                self.place(p, &done);
            }
            ("set-car!" | "set-cdr!", 2) => {
                self.two(p, &args[0], &args[1], d);
                let (slow, done) = self.slow_to(prim.symbol, &["rax", "rcx"], d);
                self.emit(p, &format!("lea edx, [rax - {}]", abi::TAG_PAIR));
                self.emit(p, "test dl, 7");
                self.emit(p, &format!("jnz {slow}"));
                let off = if who == "set-car!" { car } else { cdr };
                self.emit(p, &format!("mov qword ptr [rax + {off}], rcx"));
                self.emit(p, &format!("mov eax, {:#x}", abi::UNSPECIFIED));
                self.place(p, &done);
            }
            ("cons", 2) => {
                let (homes, next) = self.eval_to_temps(p, args, d, |cg, e| cg.is_simple(e));
                self.alloc_pair(p, next);
                self.load_home(p, &args[0], homes[0], "rcx");
                self.emit(p, &format!("mov qword ptr [rax + {}], rcx", abi::PAIR_CAR));
                self.load_home(p, &args[1], homes[1], "rcx");
                self.emit(p, &format!("mov qword ptr [rax + {}], rcx", abi::PAIR_CDR));
                self.emit(p, &format!("or rax, {}", abi::TAG_PAIR));
            }
            ("vector" | "%record", n) => {
                // Allocated inline like `cons`: no call, no argument array.
                // A record is laid out as a vector of its descriptor and fields.
                let (homes, next) = self.eval_to_temps(p, args, d, |cg, e| cg.is_simple(e));
                self.alloc(p, 8 * (n as u64 + 1), next);
                let ty = if who == "vector" {
                    abi::TYPE_VECTOR
                } else {
                    abi::TYPE_RECORD
                };
                let header = abi::header(ty, n as u64);
                self.emit(p, &format!("mov rcx, {header:#x}"));
                self.emit(p, "mov qword ptr [rax], rcx");
                for (i, a) in args.iter().enumerate() {
                    self.load_home(p, a, homes[i], "rcx");
                    let off = abi::VECTOR_ELEMENTS + 8 * i as i64;
                    self.emit(p, &format!("mov qword ptr [rax + {off}], rcx"));
                }
                self.emit(p, &format!("or rax, {}", abi::TAG_OBJECT));
            }
            ("+" | "-" | "*", n) if n > 2 => {
                // All operands into slots (argv order), then inline steps; any
                // unusual case calls the runtime with every operand, so the
                // result and the error are those of the whole call.
                for (i, a) in args.iter().enumerate() {
                    self.expr(p, a, d + n, false);
                    self.emit(p, &format!("mov {}, rax", slot(d + n - 1 - i)));
                }
                let slow = self.label("generic");
                let done = self.label("done");
                let call = self.call_text(prim.symbol, odd(d + n), true);
                let _ = write!(
                    self.text,
                    "{slow}:\n    mov rdi, r15\n    lea rsi, [rsp - {}]\n    mov edx, {n}\n{call}    jmp {done}\n",
                    8 * (d + n)
                );
                let slow = match self.fuse_entry.take() {
                    Some(fused) => fused,
                    None => {
                        let ins = match who {
                            "+" => "addsd",
                            "-" => "subsd",
                            _ => "mulsd",
                        };
                        let slots: Vec<String> = (0..n).map(|i| slot(d + n - 1 - i)).collect();
                        self.float_nary(ins, &slots, &slow, &done, d + n)
                    }
                };
                self.emit(p, &format!("mov rax, {}", slot(d + n - 1)));
                for i in 1..n {
                    self.emit(p, &format!("mov rcx, {}", slot(d + n - 1 - i)));
                    self.fixnum_check(p, &slow);
                    match who {
                        "+" => self.emit(p, "add rax, rcx"),
                        "-" => self.emit(p, "sub rax, rcx"),
                        _ => {
                            self.emit(p, &format!("sar rax, {}", abi::TAG_BITS));
                            self.emit(p, "imul rax, rcx");
                        }
                    }
                    self.emit(p, &format!("jo {slow}"));
                }
                self.place(p, &done);
            }
            ("+" | "-" | "*", _) => {
                let (slow, done) = if args.len() == 2 {
                    self.two(p, &args[0], &args[1], d);
                    let done = self.label("done");
                    let op = FloatOp::of(who).expect("+ - * have float ops");
                    (
                        self.non_fixnum_path(prim.symbol, op, args, &done, Outcome::Boolean, d),
                        done,
                    )
                } else {
                    // (- x) is (- 0 x) for fixnums; the runtime negates
                    // anything else (so `(- 0.0)` is -0.0).
                    self.expr(p, &args[0], d, false);
                    self.emit(p, "mov rcx, rax");
                    self.emit(p, "mov eax, 0");
                    self.slow_to(prim.symbol, &["rcx"], d)
                };
                self.fixnum_check(p, &slow);
                self.emit(p, "mov rdx, rax");
                match who {
                    "+" => self.emit(p, "add rdx, rcx"),
                    "-" => self.emit(p, "sub rdx, rcx"),
                    _ => {
                        self.emit(p, &format!("sar rdx, {}", abi::TAG_BITS));
                        self.emit(p, "imul rdx, rcx");
                    }
                }
                self.emit(p, &format!("jo {slow}"));
                self.emit(p, "mov rax, rdx");
                self.place(p, &done);
            }
            ("/", 2) => {
                // Two fixnums make a ratio: only flonums are inline.
                self.two(p, &args[0], &args[1], d);
                let done = self.label("done");
                let op = FloatOp::of(who).expect("/ has a float op");
                let slow = self.non_fixnum_path(prim.symbol, op, args, &done, Outcome::Boolean, d);
                self.emit(p, &format!("jmp {slow}"));
                self.place(p, &done);
            }
            ("quotient" | "remainder" | "modulo", 2) => {
                self.two(p, &args[0], &args[1], d);
                let (slow, done) = self.slow_to(prim.symbol, &["rax", "rcx"], d);
                self.fixnum_check(p, &slow);
                // Division by 0, and by -1 (which can overflow), go the slow way.
                self.emit(p, "lea rdx, [rcx + 8]");
                self.emit(p, "cmp rdx, 8");
                self.emit(p, &format!("jbe {slow}"));
                self.emit(p, "mov r8, rcx");
                self.emit(p, &format!("sar rax, {}", abi::TAG_BITS));
                self.emit(p, &format!("sar r8, {}", abi::TAG_BITS));
                self.emit(p, "cqo");
                self.emit(p, "idiv r8");
                match who {
                    "quotient" => {}
                    "remainder" => self.emit(p, "mov rax, rdx"),
                    _ => {
                        // modulo: a non-zero remainder takes the divisor's sign.
                        let keep = self.label("modulo_done");
                        self.emit(p, "mov rax, rdx");
                        self.emit(p, "test rdx, rdx");
                        self.emit(p, &format!("je {keep}"));
                        self.emit(p, "xor rdx, r8");
                        self.emit(p, &format!("jns {keep}"));
                        self.emit(p, "add rax, r8");
                        self.place(p, &keep);
                    }
                }
                self.emit(p, &format!("shl rax, {}", abi::TAG_BITS));
                self.place(p, &done);
            }
            (name, 2) if comparison(name).is_some() => {
                let (operands, cc) = comparison(name).expect("checked");
                self.two(p, &args[0], &args[1], d);
                let (slow, done) = match FloatOp::of(name) {
                    Some(op) => {
                        let done = self.label("done");
                        let slow =
                            self.non_fixnum_path(prim.symbol, op, args, &done, Outcome::Boolean, d);
                        (slow, done)
                    }
                    None => self.slow_to(prim.symbol, &["rax", "rcx"], d),
                };
                self.operand_check(p, operands, &slow);
                self.emit(p, "cmp rax, rcx");
                self.boolean_from_flags(p, cc);
                self.place(p, &done);
            }
            ("eq?", 2) => {
                self.two(p, &args[0], &args[1], d);
                self.emit(p, "cmp rax, rcx");
                self.boolean_from_flags(p, "e");
            }
            ("null?" | "not", 1) => {
                self.expr(p, &args[0], d, false);
                let v = if who == "null?" { abi::NIL } else { abi::FALSE };
                self.emit(p, &format!("cmp rax, {v:#x}"));
                self.boolean_from_flags(p, "e");
            }
            ("pair?" | "procedure?", 1) => {
                self.expr(p, &args[0], d, false);
                let tag = if who == "pair?" {
                    abi::TAG_PAIR
                } else {
                    abi::TAG_CLOSURE
                };
                self.emit(p, "and eax, 7");
                self.emit(p, &format!("cmp eax, {tag}"));
                self.boolean_from_flags(p, "e");
            }
            ("zero?", 1) => {
                self.expr(p, &args[0], d, false);
                let (slow, done) = self.slow_to(prim.symbol, &["rax"], d);
                self.emit(p, "test al, 7");
                self.emit(p, &format!("jnz {slow}"));
                self.emit(p, "test rax, rax");
                self.boolean_from_flags(p, "z");
                self.place(p, &done);
            }
            ("char->integer", 1) => {
                self.expr(p, &args[0], d, false);
                let (slow, done) = self.slow_to(prim.symbol, &["rax"], d);
                self.emit(p, &format!("cmp al, {:#x}", abi::CHAR_TAG));
                self.emit(p, &format!("jne {slow}"));
                self.emit(p, &format!("shr rax, {}", abi::CHAR_SHIFT));
                self.emit(p, &format!("shl rax, {}", abi::TAG_BITS));
                self.place(p, &done);
            }
            ("string-length", 1) => {
                self.expr(p, &args[0], d, false);
                let (slow, done) = self.slow_to(prim.symbol, &["rax"], d);
                self.emit(p, "mov edx, eax");
                self.emit(p, "and edx, 7");
                self.emit(p, &format!("cmp edx, {}", abi::TAG_OBJECT));
                self.emit(p, &format!("jne {slow}"));
                self.emit(
                    p,
                    &format!(
                        "cmp byte ptr [rax - {}], {}",
                        abi::TAG_OBJECT,
                        abi::TYPE_STRING
                    ),
                );
                self.emit(p, &format!("jne {slow}"));
                self.emit(
                    p,
                    &format!(
                        "mov rax, qword ptr [rax + {}]",
                        abi::STRING_CHAR_COUNT - abi::TAG_OBJECT as i64
                    ),
                );
                self.emit(p, &format!("shl rax, {}", abi::TAG_BITS));
                self.place(p, &done);
            }
            ("vector-length", 1) => {
                self.expr(p, &args[0], d, false);
                let (slow, done) = self.slow_to(prim.symbol, &["rax"], d);
                self.check_vector(p, &slow);
                self.emit(p, &format!("lea rax, [rdx * {}]", 1 << abi::TAG_BITS));
                self.place(p, &done);
            }
            ("vector-ref", 2) => {
                self.two(p, &args[0], &args[1], d);
                let (slow, done) = self.slow_to(prim.symbol, &["rax", "rcx"], d);
                self.check_vector(p, &slow);
                self.check_index(p, &slow);
                let off = abi::VECTOR_ELEMENTS - abi::TAG_OBJECT as i64;
                self.emit(p, &format!("mov rax, qword ptr [rax + r8 * 8 + {off}]"));
                self.place(p, &done);
            }
            ("string-ref", 2) => {
                // O(1) at either width (`text.rs`): a byte, or a UTF-32
                // unit, made a character.
                self.two(p, &args[0], &args[1], d);
                let (slow, done) = self.slow_to(prim.symbol, &["rax", "rcx"], d);
                let wide = self.label("wide");
                let loaded = self.label("loaded");
                let obj = abi::TAG_OBJECT as i64;
                self.check_string(p, &slow);
                self.check_index(p, &slow);
                self.emit(
                    p,
                    &format!("mov rdx, qword ptr [rax + {}]", abi::STRING_STORAGE - obj),
                );
                self.emit(
                    p,
                    &format!("cmp qword ptr [rax + {}], 4", abi::STRING_WIDTH - obj),
                );
                self.emit(p, &format!("je {wide}"));
                self.emit(
                    p,
                    &format!("movzx eax, byte ptr [rdx + r8 + {}]", abi::BYTES_DATA - obj),
                );
                self.emit(p, &format!("jmp {loaded}"));
                self.place(p, &wide);
                self.emit(
                    p,
                    &format!(
                        "mov eax, dword ptr [rdx + r8 * 4 + {}]",
                        abi::BYTES_DATA - obj
                    ),
                );
                self.place(p, &loaded);
                self.emit(p, &format!("shl rax, {}", abi::CHAR_SHIFT));
                self.emit(p, &format!("or rax, {:#x}", abi::CHAR_TAG));
                self.place(p, &done);
            }
            ("string-set!", 3) => {
                // In place (`text.rs`) when the character fits the
                // string's width and no Rust call borrows any object;
                // anything else (widening, a borrow, an error) is the
                // runtime's. Every jump to `slow` leaves rax, rcx, r9 as
                // the arguments.
                let (slow, done) = self.three(p, prim, args, d);
                let wide = self.label("wide");
                let narrow = self.label("narrow");
                let obj = abi::TAG_OBJECT as i64;
                let data = abi::BYTES_DATA - obj;
                self.check_string(p, &slow);
                self.check_index(p, &slow);
                self.emit(
                    p,
                    &format!("cmp qword ptr [r15 + {}], 0", abi::CTX_BORROW_COUNT),
                );
                self.emit(p, &format!("jne {slow}"));
                self.emit(p, &format!("cmp r9b, {:#x}", abi::CHAR_TAG));
                self.emit(p, &format!("jne {slow}"));
                self.emit(p, "mov rdx, r9");
                self.emit(p, &format!("shr rdx, {}", abi::CHAR_SHIFT));
                self.emit(
                    p,
                    &format!("mov r11, qword ptr [rax + {}]", abi::STRING_WIDTH - obj),
                );
                self.emit(p, "cmp r11, 4");
                self.emit(p, &format!("je {wide}"));
                self.emit(p, "cmp rdx, 128");
                self.emit(p, &format!("jb {narrow}"));
                self.emit(p, "cmp rdx, 256");
                self.emit(p, &format!("jae {slow}"));
                self.emit(p, "cmp r11, 1");
                self.emit(p, &format!("jne {slow}"));
                self.place(p, &narrow);
                self.emit(
                    p,
                    &format!("mov r11, qword ptr [rax + {}]", abi::STRING_STORAGE - obj),
                );
                self.emit(p, &format!("mov byte ptr [r11 + r8 + {data}], dl"));
                self.emit(p, &format!("mov eax, {:#x}", abi::UNSPECIFIED));
                self.emit(p, &format!("jmp {done}"));
                self.place(p, &wide);
                self.emit(
                    p,
                    &format!("mov r11, qword ptr [rax + {}]", abi::STRING_STORAGE - obj),
                );
                self.emit(p, &format!("mov dword ptr [r11 + r8 * 4 + {data}], edx"));
                self.emit(p, &format!("mov eax, {:#x}", abi::UNSPECIFIED));
                self.place(p, &done);
            }
            ("vector-set!", 3) => {
                let (slow, done) = self.three(p, prim, args, d);
                self.check_vector(p, &slow);
                self.check_index(p, &slow);
                let off = abi::VECTOR_ELEMENTS - abi::TAG_OBJECT as i64;
                self.emit(p, &format!("mov qword ptr [rax + r8 * 8 + {off}], r9"));
                self.emit(p, &format!("mov eax, {:#x}", abi::UNSPECIFIED));
                self.place(p, &done);
            }
            _ => unreachable!("`inlined` and `inline_prim` agree"),
        }
    }

    // ---- procedures and constants ------------------------------------------

    /// The shared error path of a procedure called with a wrong number of
    /// arguments (closure in `rdi`, count in `esi`).
    fn arity_stub(&mut self) -> String {
        self.stub("wrong number of arguments".into(), |_| {
            "    mov rdx, rsi\n    mov rsi, rdi\n    mov rdi, r15\n    call scm_error_arity\n"
                .into()
        })
    }

    fn overflow_stub(&mut self) -> String {
        self.stub("stack overflow".into(), |_| {
            "    mov rdi, r15\n    call scm_error_stack_overflow\n".into()
        })
    }

    fn lambda_code(&mut self, l: &'a Lambda, label: &str) {
        let outer_info = std::mem::replace(&mut self.proc_info, format!("{label}.info"));
        self.lambda_body(l, label);
        self.proc_info = outer_info;
    }

    fn lambda_body(&mut self, l: &'a Lambda, label: &str) {
        let n = l.params.len();
        let mut p = Proc {
            lambda: Some(l as *const Lambda),
            code: String::new(),
            locs: HashMap::new(),
            closure_slot: None,
        };
        for (i, &v) in l.params.iter().enumerate() {
            p.locs.insert(v, Loc::Slot(i));
        }
        let arity_stub = self.arity_stub();
        let overflow_stub = self.overflow_stub();
        let mut d = n;
        if let Some(rest) = l.rest {
            self.emit(&mut p, &format!("cmp esi, {n}"));
            self.emit(&mut p, &format!("jb {arity_stub}"));
            self.emit(
                &mut p,
                &format!("cmp rsp, qword ptr [r15 + {}]", abi::CTX_STACK_LIMIT),
            );
            self.emit(&mut p, &format!("jb {overflow_stub}"));
            // Collect the extra arguments into a list in slot n (below the
            // arguments, so the call cannot overwrite them).
            self.emit(&mut p, "mov rbx, rdi  # keep the closure");
            self.emit(&mut p, "mov r12, rsp");
            self.emit(&mut p, "mov edx, esi");
            self.emit(&mut p, "lea rax, [rdx * 8 + 8]");
            self.emit(&mut p, "sub rsp, rax");
            self.emit(&mut p, "and rsp, -16");
            self.emit(&mut p, "mov rdi, r15");
            self.emit(&mut p, "mov rsi, r12");
            self.emit(&mut p, &format!("mov ecx, {n}"));
            self.emit(&mut p, "call scm_collect_rest");
            self.emit(&mut p, "mov rsp, r12");
            self.emit(
                &mut p,
                &format!(
                    "mov {}, rax  # rest: {}",
                    slot(n),
                    self.program.vars[rest].name
                ),
            );
            self.emit(&mut p, "mov rdi, rbx");
            p.locs.insert(rest, Loc::Slot(n));
            d += 1;
        } else {
            self.emit(&mut p, &format!("cmp esi, {n}"));
            self.emit(&mut p, &format!("jne {arity_stub}"));
            // Known callers (arity checked at compile time) enter here.
            self.place(&mut p, &format!("{label}.direct"));
            self.emit(
                &mut p,
                &format!("cmp rsp, qword ptr [r15 + {}]", abi::CTX_STACK_LIMIT),
            );
            self.emit(&mut p, &format!("jb {overflow_stub}"));
        }
        if !l.free.is_empty() {
            self.emit(&mut p, &format!("mov {}, rdi  # own closure", slot(d)));
            p.closure_slot = Some(d);
            for (j, &v) in l.free.iter().enumerate() {
                p.locs.insert(v, Loc::Free(j));
            }
            d += 1;
        }
        // Self tail calls jump here with the new arguments in place.
        self.place(&mut p, &format!("{label}.loop"));
        for (i, &v) in l.params.iter().chain(&l.rest).enumerate() {
            self.box_slot(&mut p, v, i, d);
        }
        self.expr(&mut p, &l.body, d, true);

        let name = if l.name.is_empty() { "lambda" } else { &l.name };
        let name_label = format!("{label}.name");
        let _ = writeln!(
            self.rodata,
            "{name_label}:\n    .ascii \"{}\"",
            escape_ascii(name.as_bytes())
        );
        let _ = writeln!(
            self.data,
            "    .p2align 3\n{label}.info:\n    .quad {name_label}, {}",
            name.len()
        );
        let line = self
            .sources
            .locate(l.span.start)
            .map_or(0, |(_, line, _)| line);
        let params: Vec<&str> = l
            .params
            .iter()
            .map(|&v| self.program.vars[v].name.as_str())
            .collect();
        let rest = l
            .rest
            .map(|v| format!(" . {}", self.program.vars[v].name))
            .unwrap_or_default();
        // No alignment directive: GNU as relaxes branches in passes over
        // the whole section, and alignment padding between branches made
        // the number of passes grow with the program (a 10,000-line
        // program took 5 s to assemble, a 100,000-line one minutes). The
        // `ProcInfo` word before the code is read unaligned.
        let _ = writeln!(
            self.text,
            "\n# procedure `{name}` ({}{rest}), line {line}\n    .quad {label}.info - .\n{label}:\n{}",
            params.join(" "),
            p.code
        );
    }

    /// Code of `scheme_init_constants`: build each heap constant and store
    /// it in its data slot.
    fn constants_code(&mut self) -> String {
        let mut p = Proc {
            lambda: None,
            code: String::new(),
            locs: HashMap::new(),
            closure_slot: None,
        };
        for (label, datum) in std::mem::take(&mut self.constants) {
            self.build_datum(&mut p, &datum, 0);
            self.emit(&mut p, &format!("mov qword ptr [rip + {label}], rax"));
        }
        self.emit(&mut p, "ret");
        p.code
    }

    /// `library_N.imports: [count][name, len, array slot, fast slot]...`,
    /// read by `scm_load_library`.
    fn import_tables(&mut self) {
        for (i, uses) in std::mem::take(&mut self.imports).into_iter().enumerate() {
            let _ = writeln!(
                self.data,
                "    .p2align 3\nlibrary_{i}.imports:\n    .quad {}",
                uses.len()
            );
            for (prim, closure, fast) in uses {
                let name = self.literal_bytes(prim.name.as_bytes());
                let fast = fast.unwrap_or_else(|| "0".into());
                let _ = writeln!(
                    self.data,
                    "    .quad {name}, {}, {closure} + 16, {fast}",
                    prim.name.len()
                );
            }
        }
    }

    fn literal_bytes(&mut self, bytes: &[u8]) -> String {
        let l = self.label("literal");
        let _ = writeln!(self.rodata, "{l}:\n    .ascii \"{}\"", escape_ascii(bytes));
        l
    }

    /// Build `datum` into `rax` (slots `d..` are free).
    fn build_datum(&mut self, p: &mut Proc, datum: &Datum, d: usize) {
        if let Some(imm) = immediate(datum) {
            self.emit(p, &format!("mov rax, {imm:#x}"));
            return;
        }
        let frame = 8 * odd(d);
        match datum {
            Datum::Str(_) | Datum::Sym(_) | Datum::Number(_) | Datum::Bytevector(_) => {
                let (s, f) = match datum {
                    Datum::Str(s) => (s.as_bytes(), "scm_string_literal"),
                    Datum::Sym(s) => (s.as_bytes(), "scm_symbol_literal"),
                    Datum::Bytevector(b) => (b.as_slice(), "scm_bytevector_literal"),
                    Datum::Number(s) => (s.as_bytes(), "scm_number_literal"),
                    _ => unreachable!("matched above"),
                };
                let l = self.literal_bytes(s);
                self.emit(p, "mov rdi, r15");
                self.emit(p, &format!("lea rsi, [rip + {l}]"));
                self.emit(p, &format!("mov edx, {}", s.len()));
                self.emit(p, &format!("sub rsp, {frame}"));
                self.emit(p, &format!("call {f}"));
                self.emit(p, &format!("add rsp, {frame}"));
            }
            Datum::Pair(..) => {
                // Walk the spine, then cons from the end (no deep recursion).
                let mut items = Vec::new();
                let mut tail = datum;
                while let Datum::Pair(a, b) = tail {
                    items.push(a.as_ref());
                    tail = b;
                }
                self.build_datum(p, tail, d);
                for item in items.into_iter().rev() {
                    // cons(item, rest): argv = [item, rest] ascending.
                    self.emit(p, &format!("mov {}, rax", slot(d)));
                    self.build_datum(p, item, d + 2);
                    self.emit(p, &format!("mov {}, rax", slot(d + 1)));
                    let cons = self.prims.get("cons").expect("cons is built in").symbol;
                    self.raw_prim_call(p, cons, d, 2);
                }
            }
            Datum::Vector(items) => {
                let n = items.len();
                for (i, item) in items.iter().enumerate() {
                    self.build_datum(p, item, d + n);
                    self.emit(p, &format!("mov {}, rax", slot(d + n - 1 - i)));
                }
                let vector = self.prims.get("vector").expect("vector is built in").symbol;
                self.raw_prim_call(p, vector, d, n);
            }
            _ => unreachable!("immediates handled above"),
        }
    }

    /// Call primitive `symbol` on the `n` arguments in slots `d+n-1 .. d`.
    fn raw_prim_call(&mut self, p: &mut Proc, symbol: &str, d: usize, n: usize) {
        let frame = 8 * odd(d + n);
        self.emit(p, "mov rdi, r15");
        self.emit(p, &format!("lea rsi, [rsp - {}]", 8 * (d + n)));
        self.emit(p, &format!("mov edx, {n}"));
        self.emit(p, &format!("sub rsp, {frame}"));
        self.emit(p, &format!("call {symbol}"));
        self.emit(p, &format!("add rsp, {frame}"));
    }
}
