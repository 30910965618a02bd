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
//!
//!   this file       the program, expressions, simple operands
//!   globals.rs      known procedures, where globals are surely defined
//!   bindings.rs     variables, boxes, closures, `letrec`, allocation
//!   branch.rs       tests compiled as conditional jumps
//!   calls.rs        calls, tail calls, loop jumps, `apply`, call sites
//!   inline.rs       primitives compiled inline
//!   float.rs        their flonum paths; fuse.rs  flonum trees in registers
//!   unboxed.rs      arithmetic on unboxed loop variables
//!   record.rs       record operations; foreign.rs  C foreign procedures
//!   procedures.rs   procedure bodies, constants, import tables
//!   module.rs       the program's tables, units, the launcher

use std::collections::HashMap;
use std::fmt::Write;

use scheme_runtime::abi;
use scheme_runtime::registry::PrimDesc;

use crate::ast::*;
use crate::diag::{SourceMap, Span};
use crate::primitives::PrimTable;

mod bindings;
mod branch;
mod calls;
mod float;
mod foreign;
pub(crate) mod fuse;
mod globals;
mod inline;
mod jumps;
mod literal;
mod module;
mod peephole;
mod procedures;
mod record;
mod search;
mod unboxed;
use branch::{eqv_as_eq, mentions, mentions_any, object_type, or_test};
use float::{FloatOp, Outcome};
use globals::{known_globals, DefinitionOrder};
use literal::LiteralOperand;

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
    /// Where the known globals are defined (see `definition_order`).
    definition_order: DefinitionOrder,
    /// `letrec`-bound procedures that are never assigned.
    known_locals: HashMap<VarId, &'a Lambda>,
    /// Variables of static `letrec` groups (`analyze`): inner lambdas do
    /// not capture them; their value is the lambda's static closure.
    static_vars: HashMap<VarId, &'a Lambda>,
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
    /// Globals bound once to a new vector: always one once defined.
    known_vectors: std::collections::HashSet<GlobalId>,
    /// Locals bound once to a new vector (`globals::vector_locals`).
    vector_locals: std::collections::HashSet<VarId>,
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
    /// Locals known to hold a pair here: `car`/`cdr` of them went through
    /// their pair test on every path to this point, or `pair?` of them is
    /// true. Only for locals never assigned (a loop's parameters change
    /// only at its head). Every label (a join point) forgets them; a
    /// conditional, `or` or loop then restores what held before it.
    known_pairs: Vec<VarId>,
    /// Labels only an inline operation's own slow path jumps to (besides
    /// falling in), not yet placed: facts hold on across them. A few at
    /// most (operations nest), so a list.
    rejoins: Vec<String>,
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

/// The condition code that holds when `cc` (one codegen makes) does not.
fn negate(cc: &str) -> &'static str {
    jumps::negated(cc).unwrap_or_else(|| unreachable!("no negation for condition code {cc}"))
}

/// Names the compiler turns into inline code, with the argument counts it inlines.
fn inlined(p: &PrimDesc, argc: usize) -> bool {
    (argc == 1 && inline::is_cxr(p.name))
        || matches!(
            (p.name, argc),
            (
                "null?"
                    | "pair?"
                    | "not"
                    | "zero?"
                    | "odd?"
                    | "even?"
                    | "positive?"
                    | "negative?"
                    | "vector-length"
                    | "char->integer"
                    | "procedure?"
                    | "symbol?"
                    | "string?"
                    | "vector?"
                    | "string-length"
                    | "symbol->string",
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
                        | "bytevector-u8-ref"
                        | "string-ref"
                        | "set-car!"
                        | "set-cdr!",
                    2
                )
                | ("vector-set!" | "string-set!" | "bytevector-u8-set!", 3)
                | ("vector" | "%record" | "list", 1..=16)
                | ("append", 2)
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
        let ((mut known_globals, mut known_foreign, mut known_vectors), mut definition_order) =
            known_globals(program);
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
            known_vectors.clear();
            definition_order = Default::default();
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
            definition_order,
            known_globals,
            known_foreign,
            known_vectors,
            vector_locals: globals::vector_locals(program),
            known_locals: HashMap::new(),
            static_vars: HashMap::new(),
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
            known_pairs: Vec::new(),
            rejoins: Default::default(),
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
        let entry = jumps::clean_jumps(&p.code);

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
        // `mov R, X` right after `mov X, S` (a value stored to memory and
        // read back at once): S holds it (no label between: a label is a
        // line of its own).
        let one_move = ins.strip_prefix("mov ").filter(|r| !r.contains('\n'));
        if let Some((reg, place)) = one_move.and_then(|r| r.split_once(", ")) {
            let last = p.code[..p.code.len().saturating_sub(1)]
                .rsplit('\n')
                .next()
                .unwrap_or("");
            let last = last.split_once("  #").map_or(last, |(ins, _)| ins);
            let stored = last
                .strip_prefix("    mov ")
                .and_then(|rest| rest.split_once(", "))
                .filter(|(to, from)| *to == place && place.contains('[') && !from.contains('['));
            if let Some(from) = stored.map(|(_, from)| from.to_string()) {
                if from != reg {
                    let _ = writeln!(p.code, "    mov {reg}, {from}");
                }
                return;
            }
        }
        if peephole::redundant_reload(&p.code, ins) {
            return;
        }
        if let Some(cut) = peephole::repeated_check(&p.code, ins) {
            p.code.truncate(cut);
            return;
        }
        if let Some(cut) = peephole::dead_rax_write(&p.code, ins) {
            p.code.truncate(cut);
        }
        let _ = writeln!(p.code, "    {ins}");
    }

    fn place(&mut self, p: &mut Proc, label: &str) {
        // A jump to this label just before it is not needed.
        let jump = p
            .code
            .strip_suffix('\n')
            .and_then(|c| c.strip_suffix(label));
        if let Some(code) = jump.and_then(|c| c.strip_suffix("    jmp ")) {
            p.code.truncate(code.len());
        }
        // `jCC label; jmp other; label:` is `jNCC other; label:`.
        if let Some((cut, inverted)) = jumps::invert_over_jump(&p.code, label) {
            p.code.truncate(cut);
            let _ = writeln!(p.code, "    {inverted}");
        }
        let _ = writeln!(p.code, "{label}:");
        // Other paths may join here.
        match self.rejoins.iter().rposition(|l| l == label) {
            Some(i) => {
                self.rejoins.swap_remove(i);
            }
            None => self.known_pairs.clear(),
        }
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

    /// Start compiling the body of a procedure inlined at a call: its call
    /// sites name an inline frame record instead of the enclosing
    /// procedure's `ProcInfo`. The record is a `ProcInfo` (the inlined
    /// procedure's name) followed by the call's position and the
    /// enclosing procedure's info word; the frame table tells it by its
    /// low bit (`abi::INLINE_FRAME`), and backtraces show one line for
    /// each procedure of the chain. Returns the enclosing info word, for
    /// the caller to restore.
    /// The check of an inline frame's `defined_check`, reported at the call.
    fn inlined_defined_check(&mut self, p: &mut Proc, i: &Inlined) {
        if let Some(g) = i.defined_check {
            if !self.surely_defined(p, g) {
                self.sites.push(i.call);
                self.check_defined(p, g);
                self.sites.pop();
            }
        }
    }

    fn enter_inlined(&mut self, i: &Inlined) -> String {
        let name = if i.name.is_empty() { "lambda" } else { &i.name };
        let name_label = self.cstring(name);
        let pos = match self.sources.locate(i.call.start) {
            Some((file, line, col)) => abi::call_site_position(file, line, col),
            None => 0,
        };
        let record = self.label("inline");
        let _ = writeln!(
            self.data,
            "    .p2align 3\n{record}:\n    .quad {name_label}, {}, {pos:#x}, {}",
            name.len(),
            self.proc_info
        );
        let inner = format!("{record} + {}", abi::INLINE_FRAME);
        std::mem::replace(&mut self.proc_info, inner)
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
                self.load_global(p, *g, reg);
                if !self.surely_defined(p, *g) {
                    let name = self.program.globals[*g].clone();
                    let stub = self.unbound_stub(&name);
                    self.emit(p, &format!("cmp {reg}, {:#x}", abi::UNBOUND));
                    self.emit(p, &format!("je {stub}"));
                }
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
        let Some(&loc) = p.locs.get(&v) else {
            let l = self.static_vars[&v];
            self.static_closure(p, l, reg);
            return;
        };
        match loc {
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
                self.closure(p, l, d, false);
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
                // `(if (not c) t f)` is `(if c f t)`: the test branches on
                // `c` itself (a fused comparison) instead of a boolean.
                let (mut c, mut t, mut f) = (&**c, &**t, &**f);
                while let Expr::PrimCall(prim, args, _) = c {
                    match (prim.name, &args[..]) {
                        ("not", [x]) => (c, t, f) = (x, f, t),
                        _ => break,
                    }
                }
                let else_l = self.label("else");
                let end_l = self.label("endif");
                let at_else = self.test(p, c, d, &else_l);
                self.expr(p, t, d, tail);
                let then_end = self.known_pairs.clone();
                if !tail {
                    self.emit(p, &format!("jmp {end_l}"));
                }
                self.place(p, &else_l);
                self.known_pairs = at_else;
                self.expr(p, f, d, tail);
                let else_end = std::mem::take(&mut self.known_pairs);
                self.place(p, &end_l);
                self.known_pairs = branch::both(&then_end, &else_end);
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
            Expr::Let(..) if or_test(e).is_some() => {
                let (first, rest) = or_test(e).expect("matched above");
                self.or_value(p, first, rest, d, tail);
                return;
            }
            Expr::Let(bindings, body) => {
                self.bind_let(p, bindings, d);
                self.expr(p, body, d + bindings.len(), tail);
                return;
            }
            Expr::Inlined(i) => {
                self.inlined_defined_check(p, i);
                let outer = self.enter_inlined(i);
                self.expr(p, &i.body, d, tail);
                self.proc_info = outer;
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
        } else if inlined(prim, args.len())
            || eqv_as_eq(prim, args)
            || search::search_key(prim, args).is_some()
        {
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
