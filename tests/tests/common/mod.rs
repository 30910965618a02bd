//! Shared helpers: compile Scheme source with the workspace's `schemec`,
//! run it, and compare what it printed.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

/// `target/<profile>/`, found from this test executable's path
/// (`target/<profile>/deps/<test>`), with everything the end-to-end tests
/// drive built in it (`ensure_built`).
pub fn target_dir() -> PathBuf {
    let dir = profile_dir();
    ensure_built(&dir);
    dir
}

fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    exe.parent()
        .and_then(Path::parent)
        .expect("target/<profile>/deps")
        .to_path_buf()
}

/// Build `schemec`, the runtime library and the test plugins for this
/// test executable's profile, once per test executable: `cargo test` in
/// any profile builds only test targets, not the binary and the
/// `cdylib`s these tests run. A no-op (a fraction of a second) when they
/// are up to date.
fn ensure_built(dir: &Path) {
    static BUILT: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| {
        // Cargo tells tests which cargo runs them; fall back to PATH.
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut cmd = Command::new(cargo);
        cmd.current_dir(&workspace)
            .args(["build", "--workspace", "--quiet"])
            .env("CARGO_TARGET_DIR", dir.parent().expect("target/"))
            .args(profile_flag());
        let status = cmd
            .status()
            .expect("run cargo build for the end-to-end tests");
        assert!(
            status.success(),
            "`cargo build --workspace {}` failed: the end-to-end tests need schemec, \
             the runtime library and the test plugins",
            profile_flag().join(" ")
        );
    });
}

/// The cargo flags that select this test executable's profile.
pub fn profile_flag() -> Vec<String> {
    match profile_dir().file_name().and_then(|n| n.to_str()) {
        Some("debug") => vec![],
        Some("release") => vec!["--release".into()],
        Some(other) => vec!["--profile".into(), other.into()],
        None => vec![],
    }
}

/// The `schemec` binary of the same build profile.
pub fn schemec() -> PathBuf {
    target_dir().join("schemec")
}

/// A fresh scratch directory for one test.
pub fn scratch() -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "schemec-test-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

/// Write `src` to a file and `schemec run` it.
pub fn run(src: &str) -> Output {
    run_with_env(src, &[])
}

/// `run` with extra environment variables for the program.
pub fn run_with_env(src: &str, env: &[(&str, &str)]) -> Output {
    let dir = scratch();
    let file = dir.join("test.scm");
    std::fs::write(&file, src).expect("write source");
    let mut cmd = Command::new(schemec());
    cmd.arg("run").arg(&file);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run schemec");
    let _ = std::fs::remove_dir_all(&dir);
    out
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The program prints `expected` and exits with status 0.
#[track_caller]
pub fn check(src: &str, expected: &str) {
    // Also under `SCHEME_GC_STRESS=1` (a collection at every allocation),
    // so that no collector bug hides behind a lucky heap size.
    check_in(src, expected, &[&[], &[("SCHEME_GC_STRESS", "1")]]);
}

/// `check` without the stress run, for programs where a collection at
/// every allocation is quadratic (each scans a stack thousands of frames
/// deep).
#[track_caller]
pub fn check_without_stress(src: &str, expected: &str) {
    check_in(src, expected, &[&[]]);
}

#[track_caller]
fn check_in(src: &str, expected: &str, envs: &[&[(&str, &str)]]) {
    for &env in envs {
        let o = run_with_env(src, env);
        assert_eq!(
            stdout(&o),
            expected,
            "stdout of:\n{src}\nenvironment: {env:?}\nstderr: {}",
            stderr(&o)
        );
        assert_eq!(
            o.status.code(),
            Some(0),
            "status of:\n{src}\nenvironment: {env:?}\nstderr: {}",
            stderr(&o)
        );
    }
}

/// The program fails at run time: it prints `out` first, then one error
/// line containing `message`, and exits with status 1.
#[track_caller]
pub fn check_runtime_error(src: &str, out: &str, message: &str) {
    // Also under `SCHEME_GC_STRESS=1`, as `check`.
    for env in [&[][..], &[("SCHEME_GC_STRESS", "1")][..]] {
        let o = run_with_env(src, env);
        let err = located(&stderr(&o));
        assert_eq!(stdout(&o), out, "stdout of:\n{src}\nenvironment: {env:?}");
        // The first line says what and where; the source line, a caret
        // and a backtrace may follow.
        let first = err.lines().next().unwrap_or("");
        assert!(
            first.contains(message) && first.contains("error: "),
            "stderr of:\n{src}\nenvironment: {env:?}\nwas: {err}\nexpected to contain: {message}"
        );
        assert_eq!(o.status.code(), Some(1), "status of:\n{src}\nstderr: {err}");
    }
}

/// A report with each located message (`error: MSG` then ` --> PATH:L:C`)
/// on one line, `FILE:L:C: error: MSG` (the file name without its
/// directory), the form tests match positions and messages in.
pub fn located(err: &str) -> String {
    let lines: Vec<&str> = err.lines().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < lines.len() {
        // A message may go on over indented lines.
        let mut j = i + 1;
        while lines
            .get(j)
            .is_some_and(|l| l.starts_with("  ") && !l.trim_start().starts_with('|'))
        {
            j += 1;
        }
        let position = lines
            .get(j)
            .and_then(|l| l.trim_start().strip_prefix("--> "));
        match (lines[i].strip_prefix("error: "), position) {
            (Some(message), Some(position)) => {
                let file = position.rsplit('/').next().unwrap_or(position);
                out.push_str(&format!("{file}: error: {message}\n"));
                for more in &lines[i + 1..j] {
                    out.push_str(more);
                    out.push('\n');
                }
                i = j + 1;
            }
            _ => {
                out.push_str(lines[i]);
                out.push('\n');
                i += 1;
            }
        }
    }
    out
}

/// The program does not compile: stderr starts with `error: ` and
/// `message`, then ` --> .../test.scm:LINE:COL`, and underlines the place;
/// status 2.
#[track_caller]
pub fn check_compile_error(src: &str, line_col: &str, message: &str) {
    let o = run(src);
    let err = stderr(&o);
    let mut lines = err.lines();
    let first = lines.next().unwrap_or("");
    assert!(
        first.starts_with("error: ") && first.contains(message),
        "stderr of:\n{src}\nwas: {err}\nexpected: {message}"
    );
    let position = lines.next().unwrap_or("");
    assert!(
        position.trim_start().starts_with("--> ")
            && position.ends_with(&format!("test.scm:{line_col}")),
        "stderr of:\n{src}\nwas: {err}\nexpected position {line_col}"
    );
    assert!(
        err.lines()
            .any(|l| l.trim_start().starts_with('|') && l.trim_end().ends_with('^')),
        "underline in: {err}"
    );
    assert_eq!(o.status.code(), Some(2), "status of:\n{src}\nstderr: {err}");
    assert!(!err.contains("panicked"), "the compiler panicked: {err}");
}
