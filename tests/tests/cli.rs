//! The `schemec` command line: subcommands, stdin, the runtime library and `cc`.
mod common;
use std::io::Write;
use std::process::{Command, Stdio};

use common::{schemec, scratch, stderr, stdout};

fn write_program(src: &str) -> std::path::PathBuf {
    let file = scratch().join("prog.scm");
    std::fs::write(&file, src).unwrap();
    file
}

#[test]
fn build_writes_a_native_executable() {
    let file = write_program("(display \"built\") (exit 4)");
    // Without the runtime's debug information, and with it (`-g`).
    let mut sizes = Vec::new();
    for flags in [&[][..], &["-g"][..]] {
        let exe = file.with_file_name("prog");
        let o = Command::new(schemec())
            .arg("build")
            .arg(&file)
            .arg("-o")
            .arg(&exe)
            .args(flags)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        let run = Command::new(&exe).output().unwrap();
        assert_eq!(
            (stdout(&run).as_str(), run.status.code()),
            ("built", Some(4))
        );
        sizes.push(std::fs::metadata(&exe).unwrap().len());
    }
    assert!(sizes[0] < sizes[1], "sizes without and with -g: {sizes:?}");
}

#[test]
fn run_reads_stdin_and_passes_status_through() {
    let mut child = Command::new(schemec())
        .args(["run", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"(display (+ 1 2)) (exit 5)")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!((stdout(&o).as_str(), o.status.code()), ("3", Some(5)));
}

#[test]
fn asm_prints_commented_assembly() {
    // Recursive, so the inliner keeps it a procedure.
    let file =
        write_program("(define (fact n) (if (= n 0) 1 (* n (fact (- n 1)))))\n(display (fact 7))");
    let o = Command::new(schemec())
        .arg("asm")
        .arg(&file)
        .output()
        .unwrap();
    let asm = stdout(&o);
    assert!(o.status.success());
    assert!(asm.contains(".intel_syntax noprefix"), "{asm}");
    assert!(asm.contains("# procedure `fact` (n), line 1"), "{asm}");
    assert!(asm.contains("# 2: (display (fact 7))"), "{asm}");
    assert!(asm.contains("imul"), "multiplication is inlined: {asm}");
}

#[test]
fn help_for_every_subcommand() {
    for sub in [
        &["--help"][..],
        &["run", "--help"],
        &["build", "--help"],
        &["asm", "--help"],
        &["primitives", "--help"],
    ] {
        let o = Command::new(schemec()).args(sub).output().unwrap();
        assert!(o.status.success(), "{sub:?}");
        assert!(
            stdout(&o).contains("Usage: schemec"),
            "{sub:?}: {}",
            stdout(&o)
        );
    }
}

#[test]
fn primitives_lists_the_registry() {
    let o = Command::new(schemec()).arg("primitives").output().unwrap();
    let text = stdout(&o);
    for entry in [
        "(substring string start [end])\n    string: string, start: non-negative integer, end: (optional non-negative integer) -> string\n",
        "(car pair)\n    pair: pair -> any\n    First field of a pair.\n",
        "(make-vector k [fill])\n    k: non-negative integer, fill: any -> any\n",
    ] {
        assert!(text.contains(entry), "missing {entry:?} in:\n{text}");
    }
}

#[test]
fn missing_runtime_library_is_a_clear_error() {
    let file = write_program("(display 1)");
    let o = Command::new(schemec())
        .env("SCHEMEC_RUNTIME", "/nonexistent/libscheme_runtime.a")
        .arg("run")
        .arg(&file)
        .output()
        .unwrap();
    let err = stderr(&o);
    assert!(
        err.contains("cannot find the runtime library") && err.contains("cargo build --release"),
        "{err}"
    );
    assert_eq!(o.status.code(), Some(2));
    let o = Command::new(schemec())
        .args(["--runtime", "/nope.a", "run"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(stderr(&o).contains("/nope.a"), "{}", stderr(&o));
}

#[test]
fn missing_cc_is_a_clear_error() {
    let file = write_program("(display 1)");
    let o = Command::new(schemec())
        .env("PATH", "/nonexistent")
        .arg("run")
        .arg(&file)
        .output()
        .unwrap();
    let err = stderr(&o);
    assert!(
        err.contains("cannot run `cc`") && err.contains("C compiler"),
        "{err}"
    );
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn missing_source_file() {
    let o = Command::new(schemec())
        .args(["run", "/nonexistent.scm"])
        .output()
        .unwrap();
    assert!(
        stderr(&o).contains("cannot read /nonexistent.scm"),
        "{}",
        stderr(&o)
    );
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn the_example_program_runs() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let o = Command::new(schemec())
        .arg("run")
        .arg(root.join("examples/hello.scm"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("30! = 265252859812191058636308480000000"),
        "{}",
        stdout(&o)
    );
}

/// `schemec new-plugin DIR` writes a crate whose README command builds it
/// and runs its example, and whose unit test passes.
#[test]
fn new_plugin_builds_loads_and_tests() {
    let dir = scratch().join("my-plugin");
    let o = Command::new(schemec())
        .arg("new-plugin")
        .arg(&dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    // The workspace's target directory: the runtime is compiled once.
    let target = common::target_dir().parent().unwrap().join("new-plugin");
    let profile_flag = common::profile_flag();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    for args in [&["build"][..], &["test", "--quiet"][..]] {
        let o = Command::new(&cargo)
            .args(args)
            .args(&profile_flag)
            .env("CARGO_TARGET_DIR", &target)
            .current_dir(&dir)
            .output()
            .unwrap();
        assert!(o.status.success(), "cargo {args:?}: {}", stderr(&o));
    }
    // The example names target/release/...: point it at the build.
    let lib = target
        .join(common::target_dir().file_name().unwrap())
        .join("libmy_plugin.so");
    let example = std::fs::read_to_string(dir.join("example.scm"))
        .unwrap()
        .replace("target/release/libmy_plugin.so", &lib.display().to_string());
    std::fs::write(dir.join("example.scm"), example).unwrap();
    let o = Command::new(schemec())
        .arg("run")
        .arg(dir.join("example.scm"))
        .output()
        .unwrap();
    assert_eq!(
        stdout(&o),
        "ababab\n42\n2\n\"forty-two\": invalid digit found in string\n",
        "{}",
        stderr(&o)
    );
    // An existing directory is refused.
    let o = Command::new(schemec())
        .arg("new-plugin")
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("already exists"), "{}", stderr(&o));
}

/// Reports are coloured only for a terminal (or `SCHEMEC_COLOR=always`),
/// at compile time and at run time; never when stderr is a pipe.
#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    for src in ["(display (squre 2))", "(define (f x) (car x))\n(f 5)"] {
        let file = write_program(src);
        let plain = Command::new(schemec())
            .arg("run")
            .arg(&file)
            .output()
            .unwrap();
        assert!(!stderr(&plain).contains('\x1b'), "{}", stderr(&plain));
        assert!(stderr(&plain).contains("error: "), "{}", stderr(&plain));
        let coloured = Command::new(schemec())
            .arg("run")
            .arg(&file)
            .env("SCHEMEC_COLOR", "always")
            .output()
            .unwrap();
        let err = stderr(&coloured);
        // `error` in bold bright red, the underline too.
        assert!(err.starts_with("\x1b[1m\x1b[91merror\x1b[0m"), "{err}");
        assert!(err.contains("\x1b[1m\x1b[91m^"), "{err}");
    }
}

/// A copy of schemec installed elsewhere (as `cargo install --path
/// compiler` leaves it) works from any directory: it finds the runtime
/// of the workspace it was built from.
#[test]
fn an_installed_copy_works_from_any_directory() {
    let bin = scratch().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let copy = bin.join("schemec");
    std::fs::copy(schemec(), &copy).unwrap();
    let file = write_program("(display (+ 1 2))");
    let o = Command::new(&copy)
        .arg("run")
        .arg(&file)
        .current_dir(scratch())
        .env_remove("SCHEMEC_RUNTIME")
        .output()
        .unwrap();
    assert_eq!(stdout(&o), "3", "{}", stderr(&o));
}

#[test]
fn run_keeps_programs_and_the_launcher_in_a_cache() {
    let cache = scratch();
    // One file (its path is part of the program: error positions).
    let file = scratch().join("prog.scm");
    let run = |src: &str, no_cache: bool| {
        std::fs::write(&file, src).unwrap();
        let mut cmd = Command::new(schemec());
        cmd.arg("run").arg(&file).env("SCHEMEC_CACHE_DIR", &cache);
        if no_cache {
            cmd.env("SCHEMEC_NO_CACHE", "1");
        }
        let o = cmd.output().unwrap();
        (stdout(&o), o.status.code())
    };
    // (launchers, programs) in the cache.
    let entries = || {
        let names: Vec<String> = std::fs::read_dir(&cache)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        let launchers = names.iter().filter(|n| n.starts_with("launcher-")).count();
        (launchers, names.len() - launchers)
    };
    assert_eq!(
        run("(display \"one\") (exit 3)", false),
        ("one".into(), Some(3))
    );
    assert_eq!(entries(), (1, 1));
    // The same program again: its shared object is reused.
    assert_eq!(
        run("(display \"one\") (exit 3)", false),
        ("one".into(), Some(3))
    );
    assert_eq!(entries(), (1, 1));
    // Another program gets its own entry and the same launcher;
    // SCHEMEC_NO_CACHE leaves the cache alone.
    assert_eq!(run("(display \"two\")", false), ("two".into(), Some(0)));
    assert_eq!(entries(), (1, 2));
    assert_eq!(run("(display \"three\")", true), ("three".into(), Some(0)));
    assert_eq!(entries(), (1, 2));
    // The program's command line is its file and its arguments, started
    // by the launcher or linked on its own.
    let line = format!("(\"{}\")", file.display());
    let src = "(write (command-line))";
    assert_eq!(run(src, false), (line.clone(), Some(0)));
    assert_eq!(run(src, true), (line, Some(0)));
}
