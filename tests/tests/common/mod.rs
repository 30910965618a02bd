//! Shared helpers: compile Scheme source with the workspace's `schemec`,
//! run it, and compare what it printed.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

/// `target/<profile>/`, found from this test executable's path
/// (`target/<profile>/deps/<test>`).
pub fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    exe.parent()
        .and_then(Path::parent)
        .expect("target/<profile>/deps")
        .to_path_buf()
}

/// The `schemec` binary of the same build profile.
pub fn schemec() -> PathBuf {
    let path = target_dir().join("schemec");
    assert!(
        path.is_file() && target_dir().join("libscheme_runtime.a").is_file(),
        "{} or the runtime library is missing: run `cargo build --release` before \
         `cargo test --release` (the README's test command does both)",
        path.display()
    );
    path
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
        let err = stderr(&o);
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

/// The program does not compile: stderr starts with
/// `test.scm:LINE:COL: error: ` and contains `message`; status 2.
#[track_caller]
pub fn check_compile_error(src: &str, line_col: &str, message: &str) {
    let o = run(src);
    let err = stderr(&o);
    let prefix = format!("test.scm:{line_col}: error: ");
    let first = err.lines().next().unwrap_or("");
    assert!(
        first.contains(&prefix),
        "stderr of:\n{src}\nwas: {err}\nexpected position {line_col}"
    );
    assert!(
        first.contains(message),
        "stderr of:\n{src}\nwas: {err}\nexpected: {message}"
    );
    assert!(
        err.lines()
            .nth(2)
            .is_some_and(|l| l.trim_end().ends_with('^')),
        "caret line in: {err}"
    );
    assert_eq!(o.status.code(), Some(2), "status of:\n{src}\nstderr: {err}");
    assert!(!err.contains("panicked"), "the compiler panicked: {err}");
}
