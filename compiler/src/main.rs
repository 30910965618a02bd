//! The `schemec` command line.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use compiler::driver::Compiled;
use compiler::{diag, driver, primitives::PrimTable, run_cache};

#[derive(Parser)]
#[command(
    name = "schemec",
    version,
    about = "Compile Scheme to native x86-64 executables"
)]
struct Cli {
    /// The runtime library to link with (default: SCHEMEC_RUNTIME, or
    /// libscheme_runtime.a next to this executable).
    #[arg(long, global = true, value_name = "PATH")]
    runtime: Option<PathBuf>,
    /// A directory to find imported library files in (`(import (a b))`
    /// reads `DIR/a/b.sld`), after the program's own; repeatable.
    #[arg(short = 'I', global = true, value_name = "DIR")]
    library_dirs: Vec<PathBuf>,
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Compile FILE and run it, passing ARGS; `-` reads the program from stdin.
    Run {
        file: PathBuf,
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Compile FILE into a native executable.
    Build {
        file: PathBuf,
        /// The executable to write.
        #[arg(short, long, value_name = "OUT")]
        output: PathBuf,
        /// Keep the runtime library's debug information (for debugging
        /// the runtime itself with gdb; three times the size).
        #[arg(short = 'g', long)]
        debug_info: bool,
    },
    /// Print the assembly for FILE, with comments tying it to the source.
    Asm { file: PathBuf },
    /// Assemble FILE (assembly as `asm` prints it) into the ELF object OUT
    /// with schemec's own assembler (for comparing it with GNU as).
    #[command(hide = true)]
    Assemble {
        file: PathBuf,
        #[arg(short, long, value_name = "OUT")]
        output: PathBuf,
    },
    /// List every primitive with its signature, types and documentation.
    Primitives {
        /// List the primitives of this plugin library instead of the built-ins.
        #[arg(long, value_name = "PATH")]
        library: Option<PathBuf>,
    },
    /// Start an interactive session: each form is compiled to native code
    /// and run in one long-lived process. With standard input not a
    /// terminal, reads forms and prints their values without prompts.
    Repl,
    /// Compile a unit for a running program (used by `eval`, `load` and
    /// the REPL; not for direct use).
    #[command(hide = true)]
    Unit {
        file: PathBuf,
        /// The shared object to write.
        #[arg(short, long, value_name = "OUT")]
        output: PathBuf,
        /// The name positions show for FILE (default: its path).
        #[arg(long)]
        name: Option<String>,
        /// Compile for the interaction environment.
        #[arg(long)]
        interaction: bool,
        /// A file of the interaction environment's global names, one per line.
        #[arg(long, value_name = "FILE")]
        globals: Option<PathBuf>,
        /// A file of earlier units' macro definitions.
        #[arg(long, value_name = "FILE")]
        macros: Option<PathBuf>,
        /// Where to write this unit's top-level macro definitions.
        #[arg(long, value_name = "FILE")]
        macros_out: Option<PathBuf>,
        /// A plugin library the program has loaded; repeatable.
        #[arg(long, value_name = "SPEC")]
        library: Vec<String>,
        /// The directory relative paths in the forms are relative to.
        #[arg(long, value_name = "DIR")]
        base_dir: Option<PathBuf>,
    },
    /// Write a new plugin crate (Rust functions as Scheme primitives) in
    /// the directory DIR, named after it, with an example program.
    NewPlugin {
        dir: PathBuf,
        /// The scheme-runtime sources to build against (default: the ones
        /// this schemec was built from).
        #[arg(long, value_name = "PATH")]
        runtime_source: Option<PathBuf>,
    },
}

/// Exit status of a compile error.
const COMPILE_ERROR: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("schemec: error: {msg}");
            ExitCode::from(COMPILE_ERROR)
        }
    }
}

fn read_source(file: &Path) -> Result<(String, String), String> {
    if file == Path::new("-") {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| format!("cannot read stdin: {e}"))?;
        return Ok(("<stdin>".into(), s));
    }
    let s = std::fs::read_to_string(file)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    Ok((file.display().to_string(), s))
}

/// The source map of a program whose first file is `file` (shown as `name`).
fn source_map(file: &Path, name: &str, text: String) -> diag::SourceMap {
    let path = std::fs::canonicalize(file)
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let mut sources = diag::SourceMap::default();
    sources.add(name, &path, text);
    sources
}

/// Make `program` runnable (from the run cache when it can) and run it as
/// `name` with `args`: the program's exit status.
fn run_linked(
    program: &Compiled,
    runtime: &Path,
    name: &str,
    args: &[String],
) -> Result<ExitCode, String> {
    let dir = driver::tempfile_dir()?;
    let status = run_cache::runnable(program, runtime, &dir).and_then(|program| {
        program
            .command(name)
            .args(args)
            .status()
            .map_err(|e| format!("cannot run the compiled program: {e}"))
    });
    let _ = std::fs::remove_dir_all(&dir);
    Ok(ExitCode::from(exit_byte(status?)))
}

/// Compile (and assemble, with `assemble`) or report the diagnostics
/// (`Err(code)` once they are printed).
fn compile(
    file: &Path,
    library_dirs: &[PathBuf],
    assemble: bool,
) -> Result<Result<Compiled, ExitCode>, String> {
    let (name, source) = read_source(file)?;
    let dir = file
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .map(Path::to_path_buf);
    let dir = if file == Path::new("-") {
        std::env::current_dir().ok()
    } else {
        dir.or_else(|| std::env::current_dir().ok())
    };
    let mut sources = source_map(file, &name, source);
    match driver::compile_for(&mut sources, dir.as_deref(), library_dirs, None, assemble) {
        Ok(program) => Ok(Ok(program)),
        Err(diags) => {
            print_diagnostics(&sources, &diags);
            Ok(Err(ExitCode::from(COMPILE_ERROR)))
        }
    }
}

/// Render diagnostics on standard error (coloured on a terminal).
fn print_diagnostics(sources: &diag::SourceMap, diags: &[diag::Diagnostic]) {
    let colour = scheme_runtime::backtrace::colour_stderr();
    for d in diags {
        eprint!("{}", sources.render(d, colour));
    }
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    match cli.command {
        Cmd::Repl => {
            let runtime = driver::find_runtime(cli.runtime.as_deref())?;
            let mut sources = diag::SourceMap::default();
            sources.add("<repl>", "", "(%repl)".into());
            let here = std::env::current_dir().ok();
            let program = match driver::compile_and_assemble(
                &mut sources,
                here.as_deref(),
                &cli.library_dirs,
            ) {
                Ok(program) => program,
                Err(diags) => {
                    print_diagnostics(&sources, &diags);
                    return Ok(ExitCode::from(COMPILE_ERROR));
                }
            };
            run_linked(&program, &runtime, "schemec", &[])
        }
        Cmd::Unit {
            file,
            output,
            name,
            interaction,
            globals,
            macros,
            macros_out,
            library,
            base_dir,
        } => {
            let read = |p: &Path| {
                std::fs::read_to_string(p).map_err(|e| format!("cannot read {}: {e}", p.display()))
            };
            let names = match &globals {
                Some(p) => read(p)?.lines().map(str::to_owned).collect(),
                None => Vec::new(),
            };
            let env = driver::UnitEnv {
                interaction: interaction.then_some(names),
                macros: match &macros {
                    Some(p) => read(p)?,
                    None => String::new(),
                },
                libraries: library,
            };
            let (shown, text) = read_source(&file)?;
            let mut sources = source_map(&file, name.as_deref().unwrap_or(&shown), text);
            let dir = base_dir.or_else(|| file.parent().map(Path::to_path_buf));
            let unit = driver::compile_for(
                &mut sources,
                dir.as_deref(),
                &cli.library_dirs,
                Some(&env),
                true,
            );
            match unit {
                Ok(unit) => {
                    if let Some(p) = macros_out {
                        std::fs::write(&p, &unit.macros)
                            .map_err(|e| format!("cannot write {}: {e}", p.display()))?;
                    }
                    driver::assemble_unit(&unit, &output)?;
                    Ok(ExitCode::SUCCESS)
                }
                Err(diags) => {
                    print_diagnostics(&sources, &diags);
                    Ok(ExitCode::from(COMPILE_ERROR))
                }
            }
        }
        Cmd::NewPlugin {
            dir,
            runtime_source,
        } => {
            compiler::new_plugin::create(&dir, runtime_source.as_deref())?;
            println!(
                "wrote the plugin crate {}: cd there and run `cargo build --release && schemec run example.scm`",
                dir.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Assemble { file, output } => {
            let asm = std::fs::read_to_string(&file)
                .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            let object = compiler::assemble::assemble(&asm).map_err(|u| {
                format!(
                    "{}:{}: cannot assemble: {}",
                    file.display(),
                    u.line,
                    u.text.trim()
                )
            })?;
            std::fs::write(&output, object)
                .map_err(|e| format!("cannot write {}: {e}", output.display()))?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Asm { file } => match compile(&file, &cli.library_dirs, false)? {
            Ok(program) => {
                for chunk in &program.chunks {
                    print_out(chunk);
                }
                Ok(ExitCode::SUCCESS)
            }
            Err(code) => Ok(code),
        },
        Cmd::Build {
            file,
            output,
            debug_info,
        } => {
            let program = match compile(&file, &cli.library_dirs, true)? {
                Ok(program) => program,
                Err(code) => return Ok(code),
            };
            let runtime = driver::find_runtime(cli.runtime.as_deref())?;
            driver::link(&program, &runtime, &output, debug_info)?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Run { file, args } => {
            let program = match compile(&file, &cli.library_dirs, true)? {
                Ok(program) => program,
                Err(code) => return Ok(code),
            };
            let runtime = driver::find_runtime(cli.runtime.as_deref())?;
            run_linked(&program, &runtime, &file.display().to_string(), &args)
        }
        Cmd::Primitives { library } => {
            let prims = match library {
                None => PrimTable::builtins().all(),
                Some(path) => {
                    let spec = path.display().to_string();
                    let here = std::env::current_dir().ok();
                    // SAFETY: the user names the library to list: trusted code.
                    let mut plugin =
                        unsafe { scheme_runtime::plugin::find_and_load(&spec, here.as_deref())? }
                            .primitives;
                    plugin.sort_by_key(|p| p.name);
                    plugin
                }
            };
            let mut text = String::new();
            for p in prims {
                text.push_str(&format!("{}\n    {}\n", p.signature(), p.types()));
                for line in p.doc.lines() {
                    text.push_str(&format!("    {line}\n"));
                }
            }
            print_out(&text);
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Write to stdout; a closed pipe (`schemec asm f.scm | head`) is not an error.
fn print_out(text: &str) {
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// The program's exit status, or 128 + signal as a shell reports it.
fn exit_byte(status: std::process::ExitStatus) -> u8 {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(c), _) => c as u8,
        (None, Some(sig)) => (128 + sig) as u8,
        _ => 1,
    }
}
