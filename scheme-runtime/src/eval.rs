//! `eval`, `load` and the REPL: code compiled at run time and loaded into
//! the running process.
//!
//! ```text
//! (eval '(f 1) env) => text => `schemec unit` => unit.so => dlopen => its
//!                      entry closure, which the caller calls (a Scheme tail call)
//! ```
//!
//! A unit is what the compiler makes of some forms for a running program:
//! a shared object with the table `scheme_unit` (`abi::MODULE_*`) and no
//! `main`. Its undefined symbols are the runtime's entry points, which the
//! program exports (it is linked with the whole runtime and
//! `--export-dynamic` when it uses `eval`). Loading registers the unit's
//! roots, call sites and source files, and points each of its global
//! slots at the shared cell of that name: the program's globals (from its
//! `MODULE_GLOBALS` table) and cells made here for new names. So a
//! definition in one unit is seen by the next, and a redefinition replaces
//! the value in place. A unit for a restricted environment
//! (`environment`, `scheme-report-environment`) has private globals and
//! sees only the standard library.
//!
//! The compiler runs as a child process: the `schemec` that compiled the
//! program (its path is in the program's table), or `SCHEMEC`. What it
//! needs to know of earlier units is passed each time: the names of the
//! global cells, the text of the top-level macro definitions so far (it
//! writes those of each unit back), and the plugins loaded. Cost: a
//! process, the compiler, `as` and `ld -shared` per unit (about 10 ms).
//! Units are never unloaded: closures and frames may point into them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::abi::*;
use crate::exception::Error;
use crate::rt::Ctx;
use crate::rt::Value;

/// Cells made per block for global names the program does not have.
const CELLS_PER_BLOCK: usize = 512;

/// What `eval`, `load` and the REPL keep between units.
#[derive(Default)]
pub(crate) struct EvalState {
    /// Global value cells by name: the program's, then those made here.
    cells: HashMap<String, *mut u64>,
    cells_ready: bool,
    /// Next unused cell of the current block, and how many are left.
    next_cell: usize,
    cells_left: usize,
    /// The text of the top-level macro definitions units made.
    macros: String,
    /// Plugins loaded so far (the program's and units'), as loaded.
    pub(crate) libraries: Vec<String>,
    /// A private directory for the units' files, made on first use.
    dir: Option<PathBuf>,
    units: usize,
    /// Index of the first unit's source file in `Ctx::sources` (those
    /// before are the program's).
    pub(crate) first_unit_file: Option<u32>,
    /// The record type of environments, made on first use.
    environment_type: Option<crate::heap::Root>,
    /// Objects `eval`ed code refers to (`code_text`).
    objects: Vec<crate::heap::Root>,
    /// The REPL's line editor, made on first use.
    pub(crate) editor: Option<rustyline::DefaultEditor>,
}

/// An environment for `eval`: an opaque record (`#<environment>`) whose
/// field says whether it is the interaction environment (the program's
/// globals, shared by every unit) or a restricted one.
pub(crate) fn make_environment(ctx: &mut Ctx, interaction: bool) -> Value {
    let rtd = environment_type(ctx);
    ctx.make_record(rtd, &[Value::bool(interaction)])
}

fn environment_type(ctx: &mut Ctx) -> Value {
    if let Some(t) = &state(ctx).environment_type {
        return t.value();
    }
    let rtd = ctx.make_record_type("environment", &["interaction"], crate::record::OPAQUE);
    let root = ctx.root(rtd);
    state(ctx).environment_type = Some(root);
    rtd
}

/// Is `env` (an environment, or `#f` for the default) the interaction
/// environment?
pub(crate) fn is_interaction(ctx: &mut Ctx, env: Value) -> Result<bool, String> {
    if env == Value::FALSE {
        return Ok(true);
    }
    let rtd = environment_type(ctx);
    if crate::record::is_record_of(env, rtd) {
        Ok(crate::record::record_field(env, 0) != Value::FALSE)
    } else {
        Err(format!(
            "expected environment, got {}",
            crate::print::to_string(env, true)
        ))
    }
}

/// Where a unit's text comes from.
pub(crate) enum UnitSource<'a> {
    /// Text to compile, shown in positions as `name`.
    Text { text: &'a str, name: &'a str },
    /// A source file (`load`).
    File(&'a Path),
}

pub(crate) fn state(ctx: &mut Ctx) -> &mut EvalState {
    ctx.eval.get_or_insert_with(Default::default)
}

/// Compile `source` for `env` and load it: its entry closure, a procedure
/// of no arguments that runs the forms and returns the last one's values.
pub(crate) fn compile_and_load(
    ctx: &mut Ctx,
    source: UnitSource,
    interaction: bool,
) -> Result<Value, Error> {
    prepare_cells(ctx);
    let schemec = compiler_path(ctx)?;
    let dir = unit_dir(ctx)?;
    let st = state(ctx);
    st.units += 1;
    let n = st.units;
    let stem = dir.join(format!("unit-{n}"));
    let so = stem.with_extension("so");
    let macros_out = stem.with_extension("macros");
    let mut cmd = Command::new(&schemec);
    cmd.arg("unit").arg("-o").arg(&so);
    cmd.arg("--macros-out").arg(&macros_out);
    if let Ok(cwd) = std::env::current_dir() {
        cmd.arg("--base-dir").arg(&cwd).arg("-I").arg(&cwd);
    }
    for lib in &st.libraries {
        cmd.arg("--library").arg(lib);
    }
    if interaction {
        let globals = stem.with_extension("globals");
        let mut names: Vec<&str> = st.cells.keys().map(String::as_str).collect();
        names.sort_unstable();
        write(&globals, names.join("\n").as_bytes())?;
        cmd.arg("--interaction").arg("--globals").arg(&globals);
        let macros = stem.with_extension("known-macros");
        write(&macros, st.macros.as_bytes())?;
        cmd.arg("--macros").arg(&macros);
    }
    match source {
        UnitSource::Text { text, name } => {
            let path = stem.with_extension("scm");
            write(&path, text.as_bytes())?;
            cmd.arg("--name").arg(name).arg(&path);
        }
        UnitSource::File(path) => {
            if !path.is_file() {
                return Err(Error::file(format!(
                    "cannot open {}: no such file",
                    path.display()
                )));
            }
            cmd.arg(path);
        }
    }
    ctx.flush();
    let out = cmd.env("SCHEMEC_COLOR", "never").output().map_err(|e| {
        Error::other(format!(
            "cannot run the compiler {}: {e}",
            schemec.display()
        ))
    })?;
    let macro_text = std::fs::read_to_string(&macros_out);
    // Only the source stays (error reports show its lines).
    for ext in ["globals", "known-macros", "macros"] {
        let _ = std::fs::remove_file(stem.with_extension(ext));
    }
    if !out.status.success() {
        let text = String::from_utf8_lossy(&out.stderr);
        return Err(Error {
            kind: "syntax",
            message: text.trim_end().to_owned(),
        });
    }
    if let Ok(text) = macro_text {
        state(ctx).macros.push_str(&text);
    }
    // SAFETY: the compiler that built this program made the unit for it.
    let entry = unsafe { load_unit(ctx, &so) }.map_err(Error::other);
    let _ = std::fs::remove_file(&so);
    entry
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    std::fs::write(path, bytes)
        .map_err(|e| Error::file(format!("cannot write {}: {e}", path.display())))
}

/// The `schemec` to compile units with: `SCHEMEC`, else the one that
/// compiled the program.
pub(crate) fn compiler_path(ctx: &Ctx) -> Result<PathBuf, Error> {
    if let Some(p) = std::env::var_os("SCHEMEC") {
        return Ok(PathBuf::from(p));
    }
    if !ctx.program.is_null() {
        // SAFETY: `ctx.program` is the compiler's table; its compiler word
        // is a NUL-terminated path.
        let p = unsafe { *ctx.program.add(MODULE_COMPILER) };
        if p != 0 {
            let path = unsafe { std::ffi::CStr::from_ptr(p as *const std::ffi::c_char) };
            let path = PathBuf::from(path.to_string_lossy().into_owned());
            if path.is_file() {
                return Ok(path);
            }
        }
    }
    Err(Error::other(
        "cannot find the compiler to evaluate code at run time: the schemec that built \
         this program is gone; set SCHEMEC to the path of a schemec",
    ))
}

fn unit_dir(ctx: &mut Ctx) -> Result<PathBuf, Error> {
    let st = state(ctx);
    if let Some(d) = &st.dir {
        return Ok(d.clone());
    }
    let d = std::env::temp_dir().join(format!("schemec-eval-{}", std::process::id()));
    std::fs::create_dir_all(&d)
        .map_err(|e| Error::file(format!("cannot create {}: {e}", d.display())))?;
    st.dir = Some(d.clone());
    Ok(d)
}

/// Remove the units' files (at exit).
pub(crate) fn cleanup(ctx: &mut Ctx) {
    if let Some(d) = ctx.eval.as_ref().and_then(|st| st.dir.as_ref()) {
        let _ = std::fs::remove_dir_all(d);
    }
}

/// Read the program's globals into the cell table, once.
fn prepare_cells(ctx: &mut Ctx) {
    let program = ctx.program;
    let st = state(ctx);
    if st.cells_ready {
        return;
    }
    st.cells_ready = true;
    if program.is_null() {
        return;
    }
    // SAFETY: `program` is the compiler's table: its globals word points
    // at a count and that many (name, cell address) pairs.
    unsafe {
        let table = *program.add(MODULE_GLOBALS) as *const u64;
        for (name, cell) in read_globals(table) {
            st.cells.insert(name, cell as *mut u64);
        }
    }
}

/// A `MODULE_GLOBALS` table's (name, address) pairs.
///
/// # Safety
/// `table` is such a table.
unsafe fn read_globals(table: *const u64) -> Vec<(String, u64)> {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let n = *table as usize;
        (0..n)
            .map(|i| {
                let name = *table.add(1 + 2 * i) as *const std::ffi::c_char;
                let name = std::ffi::CStr::from_ptr(name)
                    .to_string_lossy()
                    .into_owned();
                (name, *table.add(2 + 2 * i))
            })
            .collect()
    }
}

/// The cell of global `name`, made (unbound) if no unit or the program has it.
fn cell(ctx: &mut Ctx, name: &str) -> *mut u64 {
    if let Some(&c) = state(ctx).cells.get(name) {
        return c;
    }
    if state(ctx).cells_left == 0 {
        // A block the collector scans as roots; never freed (units point at it).
        let block: &'static mut [u64] =
            Box::leak(vec![UNBOUND; CELLS_PER_BLOCK].into_boxed_slice());
        let start = block.as_mut_ptr() as usize;
        ctx.heap()
            .regions
            .push((start, start + 8 * CELLS_PER_BLOCK));
        let st = state(ctx);
        st.next_cell = start;
        st.cells_left = CELLS_PER_BLOCK;
    }
    let st = state(ctx);
    let c = st.next_cell as *mut u64;
    st.next_cell += 8;
    st.cells_left -= 1;
    st.cells.insert(name.to_owned(), c);
    c
}

/// Map the unit at `path` into the process and register it.
///
/// # Safety
/// The unit was compiled by `schemec unit` for this program's runtime.
unsafe fn load_unit(ctx: &mut Ctx, path: &Path) -> Result<Value, String> {
    use libloading::os::unix::{Library, RTLD_LOCAL, RTLD_NOW};
    // SAFETY: guaranteed by the caller (the unit has no initialisers).
    let lib = unsafe { Library::open(Some(path), RTLD_NOW | RTLD_LOCAL) }
        .map_err(|e| format!("cannot load the compiled unit {}: {e}", path.display()))?;
    let symbol = format!("{UNIT_SYMBOL}\0");
    // SAFETY: a unit exports its table under this name.
    let tables = unsafe { lib.get::<*const u64>(symbol.as_bytes()) }
        .map_err(|e| format!("{} is not a compiled unit: {e}", path.display()))?;
    let tables: *const u64 = *tables;
    // Its code stays mapped for the rest of the run.
    std::mem::forget(lib);
    // SAFETY: the unit's table, as the compiler emits it.
    let word = |i: usize| unsafe { *tables.add(i) };
    ctx.heap().regions.push((
        word(MODULE_ROOTS_START) as usize,
        word(MODULE_ROOTS_END) as usize,
    ));
    let first_file = ctx.sources.len() as u32;
    state(ctx).first_unit_file.get_or_insert(first_file);
    // SAFETY: as above.
    unsafe {
        let sites = crate::backtrace::read_table(
            word(MODULE_FRAMES_START) as *const u64,
            word(MODULE_FRAMES_END) as *const u64,
        );
        ctx.frames.extend(sites.into_iter().map(|mut s| {
            s.file += first_file;
            s
        }));
        ctx.frames.sort_unstable();
        ctx.frame_cache.fill((0, 0));
        let sources = crate::entry::read_sources(word(MODULE_SOURCE) as *const u64);
        ctx.sources.extend(sources);
        for (name, slot) in read_globals(word(MODULE_GLOBALS) as *const u64) {
            let c = cell(ctx, &name);
            // The slot is a writable word of the unit's data.
            *(slot as *mut u64) = c as u64;
        }
    }
    Ok(Value::from_bits(word(MODULE_ENTRY)))
}

/// `expr` as source text for the compiler. Objects that have no written
/// form (procedures, records, ports...) are kept in the eval state and
/// written as `(%eval-object N)`, which evaluates to them, as Chez lets
/// `(eval (list + 1 2))` use the procedure itself; inside a quoted datum
/// that would change the datum, so it is an error there.
pub(crate) fn code_text(ctx: &mut Ctx, expr: Value) -> Result<String, Error> {
    if readable(expr) {
        // Also the data with cycles (labelled), as `write` prints them.
        return Ok(crate::print::to_string(expr, true));
    }
    let mut out = String::new();
    let mut path = Vec::new();
    write_code(ctx, expr, false, &mut out, &mut path)?;
    Ok(out)
}

/// Has every object in `v` a written form the reader reads back?
fn readable(v: Value) -> bool {
    use crate::value::Kind::*;
    let mut seen = std::collections::HashSet::new();
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v.kind() {
            Pair | Vector if !seen.insert(v.0) => {}
            Pair => stack.extend([v.car(), v.cdr()]),
            Vector => stack.extend((0..v.header_length()).map(|i| v.vector_ref(i))),
            Fixnum | Bignum | Ratnum | Flonum | String | Symbol | Bytevector | Boolean | Null
            | Char => {}
            _ => return false,
        }
    }
    true
}

fn write_code(
    ctx: &mut Ctx,
    v: Value,
    quoted: bool,
    out: &mut String,
    path: &mut Vec<u64>,
) -> Result<(), Error> {
    use crate::value::Kind::*;
    match v.kind() {
        Pair | Vector if path.contains(&v.0) => {
            return Err(Error::other("cannot evaluate a cyclic expression"))
        }
        Pair => {
            path.push(v.0);
            let head_quote =
                v.car().is_symbol() && crate::print::to_string(v.car(), false) == "quote";
            out.push('(');
            let mut l = v;
            let mut first = true;
            while l.is_pair() {
                if !first {
                    out.push(' ');
                }
                write_code(ctx, l.car(), quoted || (head_quote && !first), out, path)?;
                first = false;
                l = l.cdr();
            }
            if l != Value::NIL {
                out.push_str(" . ");
                write_code(ctx, l, quoted, out, path)?;
            }
            out.push(')');
            path.pop();
        }
        Vector => {
            path.push(v.0);
            out.push_str("#(");
            for i in 0..v.header_length() {
                if i > 0 {
                    out.push(' ');
                }
                write_code(ctx, v.vector_ref(i), true, out, path)?;
            }
            out.push(')');
            path.pop();
        }
        _ if readable(v) => out.push_str(&crate::print::to_string(v, true)),
        _ if quoted => {
            return Err(Error::other(format!(
                "cannot evaluate a quoted datum holding {}: it has no written form",
                crate::print::to_string(v, true)
            )))
        }
        _ => {
            let root = ctx.root(v);
            let st = state(ctx);
            st.objects.push(root);
            let _ = std::fmt::Write::write_fmt(
                out,
                format_args!("(%eval-object {})", st.objects.len() - 1),
            );
        }
    }
    Ok(())
}

/// Object `n` of `(%eval-object N)` (see `code_text`).
pub(crate) fn object(ctx: &mut Ctx, n: usize) -> Option<Value> {
    state(ctx).objects.get(n).map(crate::heap::Root::value)
}

/// The defined global or primitive nearest to `name` (within a third of
/// its length in edits), for "did you mean".
pub(crate) fn nearest_name(ctx: &mut Ctx, name: &str) -> Option<String> {
    let limit = (name.chars().count() / 3).max(1);
    let st = state(ctx);
    // SAFETY: cells hold values (the collector never frees them).
    let globals = st
        .cells
        .iter()
        .filter(|(_, &c)| unsafe { *c } != UNBOUND)
        .map(|(n, _)| n.as_str());
    let prims = crate::registry::PRIMITIVES.iter().map(|p| p.name);
    globals
        .chain(prims)
        .filter(|c| !c.starts_with('%') && *c != name)
        .map(|c| (strsim::damerau_levenshtein(name, c), c))
        .filter(|&(d, _)| d <= limit)
        .min()
        .map(|(_, c)| c.to_owned())
}
