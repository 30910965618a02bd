//! The pipeline and the outside world: source => passes => assembly, then
//! `cc` to assemble and link against the runtime library.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::diag::{Diagnostic, SourceMap, Span};
use crate::primitives::PrimTable;
use crate::reader::{Sexp, SexpKind};
use crate::timing::phase;
use crate::{
    analyze, assemble, bind_leaves, codegen, expand, inline_calls, loader, prelude, reader,
};

/// File name of the runtime's static library.
pub const RUNTIME_LIB: &str = "libscheme_runtime.a";

/// The profile this schemec was built in (`target/<profile>/`).
const BUILT_PROFILE: &str = if cfg!(debug_assertions) {
    "debug"
} else {
    "release"
};

/// Stack for the compiling thread. Every pass recurses over the nesting of
/// the program, a few KiB per level in the worst pass; the reader refuses
/// nesting deeper than `reader::MAX_DEPTH`, which this covers. Only the
/// pages actually used are committed.
const COMPILER_STACK: usize = 8 << 30;

/// The program in `sources` (its first file; the files it includes and
/// the libraries it imports are added) => assembly text. `source_dir` is
/// where plugin paths are relative to; `library_dirs` (`-I`) are searched
/// for library files after the program's directory. Runs on a thread of its own with a
/// stack large enough for the deepest nesting the reader accepts.
pub fn compile(
    sources: &mut SourceMap,
    source_dir: Option<&Path>,
    library_dirs: &[PathBuf],
) -> Result<String, Vec<Diagnostic>> {
    compile_for(sources, source_dir, library_dirs, None, false).map(|c| c.chunks.concat())
}

/// `compile`, and the object schemec's assembler makes of the text while
/// the compiler writes it (for `build` and `run`).
pub fn compile_and_assemble(
    sources: &mut SourceMap,
    source_dir: Option<&Path>,
    library_dirs: &[PathBuf],
) -> Result<Compiled, Vec<Diagnostic>> {
    compile_for(sources, source_dir, library_dirs, None, true)
}

/// A compiled program or unit.
pub struct Compiled {
    /// The assembly text, in the pieces codegen wrote (a large program's
    /// text is hundreds of megabytes: not copied into one string).
    pub chunks: Vec<String>,
    /// For a unit: the text of its top-level macro definitions (later
    /// units get them back in `UnitEnv::macros`).
    pub macros: String,
    /// The object made of `asm` by schemec's assembler, if it was asked
    /// for; `Err`: a line it cannot translate (GNU as will).
    object: Option<Result<Vec<u8>, assemble::Unsupported>>,
}

impl Compiled {
    /// Assembly text from elsewhere (the launcher), assembled when linked.
    pub fn from_asm(asm: String) -> Self {
        Compiled {
            chunks: vec![asm],
            macros: String::new(),
            object: None,
        }
    }
}

/// What a unit is compiled for (`schemec unit`, run by `eval`, `load` and
/// the REPL of a running program).
#[derive(Default)]
pub struct UnitEnv {
    /// The interaction environment's global names; `None`: a restricted
    /// environment (private globals, standard bindings only).
    pub interaction: Option<Vec<String>>,
    /// The text of the macro definitions earlier units made (known here).
    pub macros: String,
    /// Plugins the program has loaded: their primitives are known.
    pub libraries: Vec<String>,
}

/// `compile` for a program (`unit` None) or a unit; with `assemble`,
/// schemec's assembler turns the text into an object on this thread while
/// the compiler thread writes it (a large program's build takes about the
/// longer of the two instead of their sum).
pub fn compile_for(
    sources: &mut SourceMap,
    source_dir: Option<&Path>,
    library_dirs: &[PathBuf],
    unit: Option<&UnitEnv>,
    assemble: bool,
) -> Result<Compiled, Vec<Diagnostic>> {
    let assemble = assemble && assembler_choice() != Some(Assembler::Gnu);
    // A few chunks in flight: the compiler runs ahead of the assembler
    // by at most this many megabytes of text.
    let (send, receive) = std::sync::mpsc::sync_channel::<String>(8);
    std::thread::scope(|scope| {
        let compiler = std::thread::Builder::new()
            .name("compiler".into())
            .stack_size(COMPILER_STACK)
            .spawn_scoped(scope, move || {
                compile_here(sources, source_dir, library_dirs, unit, &mut |chunk| {
                    // The receiver lives until this thread ends.
                    let _ = send.send(chunk);
                })
            })
            .expect("cannot start the compiler thread");
        let (chunks, object) = if assemble {
            let (chunks, object) = phase("assemble", || assemble::assemble_chunks(receive.iter()));
            (chunks, Some(object))
        } else {
            (receive.iter().collect(), None)
        };
        let macros = compiler
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
        Ok(Compiled {
            chunks,
            macros,
            object,
        })
    })
}

#[derive(PartialEq)]
enum Assembler {
    /// GNU as only (`SCHEMEC_ASSEMBLER=gnu`).
    Gnu,
    /// schemec's own, a line it cannot translate is an error (`=own`).
    Own,
}

fn assembler_choice() -> Option<Assembler> {
    match std::env::var("SCHEMEC_ASSEMBLER").as_deref() {
        Ok("gnu") => Some(Assembler::Gnu),
        Ok("own") => Some(Assembler::Own),
        _ => None,
    }
}

/// `compile_for` on the current thread's stack.
fn compile_here(
    sources: &mut SourceMap,
    source_dir: Option<&Path>,
    library_dirs: &[PathBuf],
    unit: Option<&UnitEnv>,
    sink: &mut dyn FnMut(String),
) -> Result<String, Vec<Diagnostic>> {
    let (forms, mut errors) = phase("read", || reader::read_at(&sources.files[0].text, 0));
    let forms = if errors.is_empty() {
        phase("load", || loader::load(forms, sources, library_dirs))?
    } else {
        forms
    };
    let mut prims = PrimTable::builtins();
    let mut known_macros = Vec::new();
    if let Some(unit) = unit {
        for lib in &unit.libraries {
            if let Err(msg) = prims.load_library(lib, source_dir) {
                return Err(vec![Diagnostic::new(Span::new(0, 0), msg)]);
            }
        }
        if !unit.macros.is_empty() {
            let base = sources.end();
            sources.add("<earlier macros>", "", unit.macros.clone());
            let (forms, errors) = reader::read_at(&unit.macros, base);
            if !errors.is_empty() {
                return Err(errors);
            }
            known_macros = forms;
        }
    }
    if !errors.is_empty() {
        // Report the rest of the file's errors too.
        if let Err(more) = load_libraries(&forms, &mut prims, source_dir, sources)
            .and_then(|()| expand::expand_program(&forms, &prims).map(|_| ()))
        {
            errors.extend(more);
        }
        errors.sort_by_key(|d| d.span.start);
        return Err(errors);
    }
    load_libraries(&forms, &mut prims, source_dir, sources)?;
    let interaction = unit.and_then(|u| u.interaction.as_deref());
    let macros = unit
        .map(|_| macro_definitions(&forms, sources))
        .unwrap_or_default();
    let mut all = known_macros;
    let prelude_start = sources.end();
    all.extend(prelude::needed_except(
        &forms,
        prelude_start,
        interaction.unwrap_or_default(),
    ));
    all.extend(forms);
    let mut program = phase("expand", || {
        expand::expand_in(&all, &prims, prelude_start, interaction)
    })?;
    let output = match unit {
        Some(u) => codegen::Output::Unit {
            interaction: u.interaction.is_some(),
        },
        None => codegen::Output::Program {
            compiler: std::env::current_exe()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            // The prelude's `eval`, `load` or REPL is in the program.
            evaluates: ["eval", "load", "%repl"]
                .iter()
                .any(|n| program.globals.iter().any(|g| g == n)),
        },
    };
    let mut dead = Vec::new();
    if std::env::var_os("SCHEMEC_NO_INLINE").is_none_or(|v| v == "0") {
        dead = phase("inline", || {
            inline_calls::inline_calls(&mut program, output.globals_may_change(), prelude_start)
        });
    }
    phase("analyze", || {
        bind_leaves::bind_leaves(&mut program);
        analyze::analyze(&mut program);
    });
    phase("codegen", || {
        codegen::Codegen::for_output(&program, &prims, sources, output).program_to(sink)
    });
    phase("free", || drop((program, all, dead)));
    Ok(macros)
}

/// The source text of the top-level `define-syntax` forms (also inside
/// top-level `begin`s), for the units compiled after this one.
fn macro_definitions(forms: &[Sexp], sources: &SourceMap) -> String {
    let mut out = String::new();
    let mut stack: Vec<&Sexp> = forms.iter().rev().collect();
    while let Some(form) = stack.pop() {
        let Some(items) = form.list() else { continue };
        match items.first().and_then(Sexp::sym) {
            Some("define-syntax") => {
                if let Some(i) = sources.file_of(form.span.start) {
                    let f = &sources.files[i];
                    let text = &f.text[form.span.start - f.base..form.span.end - f.base];
                    out.push_str(text);
                    out.push('\n');
                }
            }
            Some("begin") => stack.extend(items[1..].iter().rev()),
            _ => {}
        }
    }
    out
}

/// Process the top-level `(load-library "...")` forms first, so that their
/// primitives are known everywhere in the program, and the
/// `(load-shared-object "...")` forms, so that `foreign-procedure` can
/// check the C functions it names.
fn load_libraries(
    forms: &[Sexp],
    prims: &mut PrimTable,
    source_dir: Option<&Path>,
    sources: &SourceMap,
) -> Result<(), Vec<Diagnostic>> {
    let mut errors = Vec::new();
    for form in forms {
        let Some(items) = form.list() else { continue };
        let head = items.first().and_then(Sexp::sym);
        if head != Some("load-library") && head != Some("load-shared-object") {
            continue;
        }
        let head = head.expect("checked");
        let spec = match &items[1..] {
            [Sexp {
                kind: SexpKind::Str(s),
                ..
            }] => s,
            _ => {
                errors.push(Diagnostic::new(
                    form.span,
                    format!("`{head}` takes one string literal naming the library, e.g. `({head} \"libfoo.so\")`"),
                ));
                continue;
            }
        };
        // Relative to the file the form is in: the program, or a library
        // file whose declarations load it (`loader.rs`).
        let dir = match sources.file_of(form.span.start) {
            Some(i) if i > 0 => Path::new(&sources.files[i].path).parent(),
            _ => source_dir,
        };
        let loaded = if head == "load-library" {
            prims.load_library(spec, dir)
        } else {
            prims.shared.load(spec, dir)
        };
        if let Err(msg) = loaded {
            errors.push(Diagnostic::new(items[1].span, msg));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Where the runtime library is: `explicit` (flag), `SCHEMEC_RUNTIME`, or
/// next to the `schemec` executable (where a workspace build leaves it).
pub fn find_runtime(explicit: Option<&Path>) -> Result<PathBuf, String> {
    let mut tried = Vec::new();
    let candidates: Vec<PathBuf> = if let Some(p) = explicit {
        vec![p.to_path_buf()]
    } else if let Some(p) = std::env::var_os("SCHEMEC_RUNTIME") {
        vec![PathBuf::from(p)]
    } else {
        let exe_dir = std::env::current_exe()
            .ok()
            .and_then(|e| e.parent().map(Path::to_path_buf))
            .unwrap_or_default();
        // Then the workspace this schemec was built from, for a copy
        // installed elsewhere (`cargo install --path compiler`).
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target");
        vec![
            exe_dir.join(RUNTIME_LIB),
            exe_dir.join("..").join(RUNTIME_LIB),
            workspace.join(BUILT_PROFILE).join(RUNTIME_LIB),
            workspace.join("release").join(RUNTIME_LIB),
        ]
    };
    for c in candidates {
        if c.is_file() {
            return Ok(c);
        }
        tried.push(c.display().to_string());
    }
    Err(format!(
        "cannot find the runtime library `{RUNTIME_LIB}` (looked at: {}).\n\
         Build it with `cargo build --release` in the schemec workspace, or point \
         `--runtime PATH` or the SCHEMEC_RUNTIME environment variable at it.",
        tried.join(", ")
    ))
}

/// Assemble `asm` and link it with the runtime into the executable `out`;
/// without the runtime's debug information unless `debug_info`: nothing
/// reads it (Scheme backtraces come from the program's own tables), it
/// triples the executable (7 MB => 21 MB) and makes up a third of the
/// link time (230 ms => 145 ms for a 10,000-line program).
pub fn link(
    program: &Compiled,
    runtime: &Path,
    out: &Path,
    debug_info: bool,
) -> Result<(), String> {
    let strip: &[&str] = if debug_info {
        &[]
    } else {
        &["-Wl,--strip-debug"]
    };
    link_with(program, runtime, out, strip)
}

/// `link` for `schemec run` (no debug information).
pub fn link_for_run(program: &Compiled, runtime: &Path, out: &Path) -> Result<(), String> {
    link(program, runtime, out, false)
}

fn link_with(program: &Compiled, runtime: &Path, out: &Path, extra: &[&str]) -> Result<(), String> {
    let dir = tempfile_dir()?;
    let input = object_or_assembly(program, &dir.join("program"))?;
    let mut cc = Command::new("cc");
    if has_gold() {
        // gold links the large runtime archive about a third faster.
        cc.arg("-fuse-ld=gold");
    }
    cc.arg("-no-pie").arg("-o").arg(out).arg(&input);
    if codegen::evaluates(program.chunks.first().map_or("", String::as_str)) {
        // Units compiled at run time call any runtime entry point: the
        // program has them all, and exports them to the units.
        cc.arg("-rdynamic")
            .arg("-Wl,--whole-archive")
            .arg(runtime)
            .arg("-Wl,--no-whole-archive");
    } else {
        cc.arg(runtime);
    }
    let result = phase("link", || {
        cc.args(["-lpthread", "-ldl", "-lm"]).args(extra).output()
    });
    let _ = std::fs::remove_dir_all(&dir);
    cc_result(result)
}

/// Assemble a unit (`schemec unit`), or a program for the launcher
/// (`run_cache.rs`), into the shared object `out`. Its undefined symbols
/// are the runtime's, resolved against the executable that loads it.
pub fn assemble_unit(unit: &Compiled, out: &Path) -> Result<(), String> {
    let dir = tempfile_dir()?;
    let input = object_or_assembly(unit, &dir.join("unit"))?;
    let obj = dir.join("unit.o");
    // GNU as only when schemec's assembler did not make the object.
    let assembled = if input == obj {
        None
    } else {
        match Command::new("as").arg("-o").arg(&obj).arg(&input).output() {
            Ok(o) if o.status.success() => None,
            other => Some(other),
        }
    };
    // `ld` directly takes half the time of the `cc` driver (5 ms against
    // 10 per unit); `cc` when binutils are not on the PATH.
    let direct = match assembled {
        Some(failed) => failed,
        None => Command::new("ld")
            .arg("-shared")
            .arg("-o")
            .arg(out)
            .arg(&obj)
            .output(),
    };
    let result = match direct {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Command::new("cc")
            .args(["-shared", "-nostdlib", "-o"])
            .arg(out)
            .arg(&input)
            .output(),
        other => other,
    };
    let _ = std::fs::remove_dir_all(&dir);
    cc_result(result)
}

/// Writes `stem.o` made by schemec's assembler (while compiling, or now),
/// or `stem.s` for GNU as when the assembler does not know a line (or
/// `SCHEMEC_ASSEMBLER=gnu` asks for GNU as); returns the path written.
fn object_or_assembly(program: &Compiled, stem: &Path) -> Result<PathBuf, String> {
    let choice = assembler_choice();
    let made;
    let object = match (&choice, &program.object) {
        (Some(Assembler::Gnu), _) => None,
        (_, Some(object)) => Some(object),
        (_, None) => {
            made = phase("assemble", || assemble::assemble(&program.chunks.concat()));
            Some(&made)
        }
    };
    let (path, pieces): (PathBuf, Vec<&[u8]>) = match object {
        Some(Ok(object)) => (stem.with_extension("o"), vec![object]),
        Some(Err(u)) if choice == Some(Assembler::Own) => {
            return Err(format!(
                "schemec's assembler cannot translate line {}: {}",
                u.line, u.text
            ))
        }
        _ => (
            stem.with_extension("s"),
            program.chunks.iter().map(|c| c.as_bytes()).collect(),
        ),
    };
    let written = phase("write", || {
        use std::io::Write;
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path)?);
        for piece in pieces {
            file.write_all(piece)?;
        }
        file.flush()
    });
    written.map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

fn cc_result(result: std::io::Result<std::process::Output>) -> Result<(), String> {
    match result {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(
            "cannot run `cc`: schemec needs a C compiler driver (GCC or Clang) with GNU as \
             to assemble and link programs; install one (e.g. `apt-get install gcc`)"
                .into(),
        ),
        Err(e) => Err(format!("cannot run `cc`: {e}")),
        Ok(o) if !o.status.success() => Err(format!(
            "`cc` failed to assemble or link the program:\n{}",
            String::from_utf8_lossy(&o.stderr)
        )),
        Ok(_) => Ok(()),
    }
}

/// Is GNU gold on the PATH?
fn has_gold() -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|d| d.join("ld.gold").is_file()))
}

/// A fresh private directory for intermediate files.
pub fn tempfile_dir() -> Result<PathBuf, String> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("schemec-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    Ok(dir)
}
