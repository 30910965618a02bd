//! Program corpora under `tests/corpus/<topic>/`: each `NAME.scm` must
//! print exactly `NAME.out`, whose contents came from Chez Scheme (and
//! agree with Guile; see each directory's README). An `err-*` program
//! must also fail: stderr names what `NAME.err` holds, status 1.
//! Every corpus also runs under `SCHEME_GC_STRESS=1`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn corpus_dir(topic: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(topic)
}

/// Run every program of a corpus; report all failures at once.
fn run_corpus(topic: &str, env: &[(&str, &str)]) {
    let dir = corpus_dir(topic);
    let mut programs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("corpus directory")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "scm"))
        .collect();
    programs.sort();
    assert!(!programs.is_empty(), "no programs in {}", dir.display());
    let mut failures = Vec::new();
    for program in &programs {
        let mut cmd = Command::new(common::schemec());
        cmd.arg("run").arg(program);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("run schemec");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let expected = std::fs::read_to_string(program.with_extension("out")).expect(".out file");
        let name = program.file_stem().unwrap().to_string_lossy().into_owned();
        if stdout != expected {
            failures.push(format!("{name}: stdout differs\n--- got\n{stdout}--- expected\n{expected}--- stderr\n{stderr}"));
            continue;
        }
        match std::fs::read_to_string(program.with_extension("err")) {
            Ok(needle) => {
                if out.status.code() != Some(1) || !stderr.contains(needle.trim()) {
                    failures.push(format!(
                        "{name}: expected an error mentioning {:?} and status 1, got {:?}: {stderr}",
                        needle.trim(),
                        out.status.code()
                    ));
                }
            }
            Err(_) if !out.status.success() => {
                failures.push(format!("{name}: status {:?}: {stderr}", out.status.code()))
            }
            Err(_) => {}
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} programs failed:\n{}",
        failures.len(),
        programs.len(),
        failures.join("\n")
    );
}

#[test]
fn numbers() {
    run_corpus("numbers", &[]);
}

#[test]
fn numbers_under_gc_stress() {
    run_corpus("numbers", &[("SCHEME_GC_STRESS", "1")]);
}

#[test]
fn values() {
    run_corpus("values", &[]);
}

#[test]
fn values_under_gc_stress() {
    run_corpus("values", &[("SCHEME_GC_STRESS", "1")]);
}

#[test]
fn library() {
    run_corpus("library", &[]);
}

#[test]
fn library_under_gc_stress() {
    run_corpus("library", &[("SCHEME_GC_STRESS", "1")]);
}

#[test]
fn macros() {
    run_corpus("macros", &[]);
}

#[test]
fn macros_under_gc_stress() {
    run_corpus("macros", &[("SCHEME_GC_STRESS", "1")]);
}

#[test]
fn control() {
    run_corpus("control", &[]);
}

#[test]
fn control_under_gc_stress() {
    run_corpus("control", &[("SCHEME_GC_STRESS", "1")]);
}

#[test]
fn inline() {
    run_corpus("inline", &[]);
}

#[test]
fn inline_under_gc_stress() {
    run_corpus("inline", &[("SCHEME_GC_STRESS", "1")]);
}

#[test]
fn records() {
    run_corpus("records", &[]);
}

#[test]
fn records_under_gc_stress() {
    run_corpus("records", &[("SCHEME_GC_STRESS", "1")]);
}

#[test]
fn bytes() {
    run_corpus("bytes", &[]);
}

#[test]
fn bytes_under_gc_stress() {
    run_corpus("bytes", &[("SCHEME_GC_STRESS", "1")]);
}

#[test]
fn ports() {
    run_corpus("ports", &[]);
}

#[test]
fn ports_under_gc_stress() {
    run_corpus("ports", &[("SCHEME_GC_STRESS", "1")]);
}

#[test]
fn hashtables() {
    run_corpus("hashtables", &[]);
}

#[test]
fn hashtables_under_gc_stress() {
    run_corpus("hashtables", &[("SCHEME_GC_STRESS", "1")]);
}

#[test]
fn eval() {
    run_corpus("eval", &[]);
}

#[test]
fn eval_under_gc_stress() {
    run_corpus("eval", &[("SCHEME_GC_STRESS", "1")]);
}
