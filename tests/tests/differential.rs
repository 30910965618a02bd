//! Differential testing: random well-formed programs, compiled and run by
//! `schemec`, against the output a reference interpreter computes for them.
//!
//! `differential/gen.rs` generates a program from a seed (integers, fixnum
//! and bignum, booleans, characters, strings, lists, vectors, `let`,
//! `let*`, `letrec`, named `let`, `if`, `cond`, `case`, `and`, `or`,
//! `when`, `unless`, lambdas and closures, counters that `set!` what they
//! captured, internal and top-level `define`, recursion, `for-each`,
//! `write` and `display`); `differential/ast.rs` writes it as Scheme;
//! `differential/interp.rs` runs it on the same AST. Programs are batched
//! ten to a file (each prints a marker line first), so that a few hundred
//! cost a few dozen compilations.
//!
//! Environment variables:
//! - `DIFFERENTIAL_COUNT=N`: programs in the normal run (default 500);
//! - `DIFFERENTIAL_STRESS_COUNT=N`: programs run under
//!   `SCHEME_GC_STRESS=1` (default 60);
//! - `DIFFERENTIAL_SEED=S`: the first seed (default: 1 for the normal
//!   run, 1000001 for the stress run); the seeds are S, S+1, ...
//! - `DIFFERENTIAL_BATCH=N`: programs per file (default 10).
//!
//! On a mismatch the test prints the seed, the program, both outputs, and
//! saves the program in `target/differential-failures/`. To replay one
//! program: `DIFFERENTIAL_SEED=S DIFFERENTIAL_COUNT=1 cargo test --release
//! -p tests --test differential normal -- --nocapture` (it prints the
//! program's text with `DIFFERENTIAL_VERBOSE=1`).
//!
//! A long run: `DIFFERENTIAL_SEED=5000 DIFFERENTIAL_COUNT=20000 cargo test
//! --release -p tests --test differential normal`.
//!
//! The reference interpreter itself is checked against Chez Scheme
//! (`scheme --script`) where one is installed, by an ignored test:
//! `cargo test --release -p tests --test differential chez -- --ignored`.

#[path = "differential/ast.rs"]
mod ast;
mod common;
#[path = "differential/gen.rs"]
mod gen;
#[path = "differential/interp.rs"]
mod interp;

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Programs the interpreter refused (see `case`), for the summary line.
static DISCARDED: AtomicUsize = AtomicUsize::new(0);

/// A generated program: its seed, its Scheme text and what it prints.
struct Case {
    seed: u64,
    text: String,
    expected: String,
}

/// The program of `seed`: the first of its attempts that the interpreter
/// runs to the end (the others would err or run too long: discarded).
fn case(seed: u64) -> Case {
    if std::env::var_os("DIFFERENTIAL_TRACE").is_some() {
        eprintln!("generating {seed}");
    }
    for attempt in 0..50u64 {
        let mut g = gen::Gen::new(
            seed.wrapping_mul(1_000_003).wrapping_add(attempt),
            &format!("p{seed}-"),
        );
        let p = g.program();
        if std::env::var_os("DIFFERENTIAL_TRACE").is_some() {
            eprintln!("attempt {attempt}:\n{}", p.to_scheme());
        }
        if let Ok(expected) = interp::Interp::run(&p) {
            DISCARDED.fetch_add(attempt as usize, Ordering::Relaxed);
            return Case {
                seed,
                text: p.to_scheme(),
                expected,
            };
        }
    }
    panic!("seed {seed}: no attempt made a program the interpreter accepts");
}

/// The programs of seeds `first..first + count`, made on a thread with a
/// large stack: the interpreter recurses as the program does, and its
/// step limit should be what stops a runaway program.
fn cases(first: u64, count: u64) -> Vec<Case> {
    std::thread::Builder::new()
        .stack_size(1 << 30)
        .spawn(move || (first..first + count).map(case).collect())
        .expect("spawn")
        .join()
        .unwrap_or_else(|p| std::panic::resume_unwind(p))
}

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().map(|v| {
        v.parse()
            .unwrap_or_else(|_| panic!("{name} must be a number, not {v:?}"))
    })
}

fn marker(seed: u64) -> String {
    format!("@@ program {seed}\n")
}

/// The file of a batch, and what it should print.
fn batch(cases: &[Case]) -> (String, String) {
    let mut src = String::new();
    let mut expected = String::new();
    for c in cases {
        src.push_str(&format!("(display {:?})\n", marker(c.seed)));
        src.push_str(&c.text);
        expected.push_str(&marker(c.seed));
        expected.push_str(&c.expected);
    }
    (src, expected)
}

/// Split output at the markers: (seed, what that program printed).
fn per_program(out: &str) -> Vec<(u64, String)> {
    let mut parts: Vec<(u64, String)> = Vec::new();
    for line in out.split_inclusive('\n') {
        if let Some(seed) = line
            .strip_prefix("@@ program ")
            .and_then(|s| s.trim_end().parse().ok())
        {
            parts.push((seed, String::new()));
        } else if let Some(last) = parts.last_mut() {
            last.1.push_str(line);
        }
    }
    parts
}

/// Where failing programs are saved.
fn failure_dir() -> PathBuf {
    common::target_dir()
        .join("..")
        .join("differential-failures")
}

/// Report the first program whose output differs, save it, and panic.
fn report(
    cases: &[Case],
    src: &str,
    actual: &str,
    env: &[(&str, &str)],
    stderr: &str,
    status: Option<i32>,
) -> ! {
    let got = per_program(actual);
    let bad = cases
        .iter()
        .enumerate()
        .find(|(i, c)| {
            got.get(*i).map(|(s, o)| (*s, o.as_str())) != Some((c.seed, c.expected.as_str()))
        })
        .map(|(_, c)| c)
        .unwrap_or(&cases[0]);
    let got_out = got
        .iter()
        .find(|(s, _)| *s == bad.seed)
        .map(|(_, o)| o.as_str())
        .unwrap_or("<nothing: the run ended before this program>");
    let dir = failure_dir();
    let _ = std::fs::create_dir_all(&dir);
    let file = dir.join(format!("seed-{}.scm", bad.seed));
    // The whole file too: a bug may need several programs together.
    let _ = std::fs::write(dir.join(format!("batch-{}.scm", cases[0].seed)), src);
    let _ = std::fs::write(
        &file,
        format!(
            ";; expected output:\n{}\n{}",
            comment(&bad.expected),
            bad.text
        ),
    );
    panic!(
        "schemec and the reference interpreter disagree on seed {seed} (environment {env:?}, status {status:?})\n\
         ---- program (saved in {file}):\n{text}\n---- expected:\n{expected}\n---- schemec printed:\n{got_out}\n\
         ---- stderr:\n{stderr}\n---- replay: DIFFERENTIAL_SEED={seed} DIFFERENTIAL_COUNT=1 \
         cargo test --release -p tests --test differential",
        seed = bad.seed,
        file = file.display(),
        text = bad.text,
        expected = bad.expected,
    );
}

fn comment(text: &str) -> String {
    text.lines().map(|l| format!(";; {l}\n")).collect()
}

/// Generate `count` programs from seed `first` on and check each batch.
fn run_differential(first: u64, count: u64, env: &[(&str, &str)]) {
    let per_file = env_u64("DIFFERENTIAL_BATCH").unwrap_or(10).max(1) as usize;
    let cases = cases(first, count);
    if std::env::var_os("DIFFERENTIAL_VERBOSE").is_some() {
        for c in &cases {
            eprintln!(
                ";; seed {}\n{}\n;; expected:\n{}",
                c.seed,
                c.text,
                comment(&c.expected)
            );
        }
    }
    let output: usize = cases.iter().map(|c| c.expected.len()).sum();
    eprintln!(
        "differential: {count} programs from seed {first}, {} discarded so far, {output} bytes of expected output",
        DISCARDED.load(Ordering::Relaxed)
    );
    for chunk in cases.chunks(per_file) {
        let (src, expected) = batch(chunk);
        let o = common::run_with_env(&src, env);
        let (out, err) = (common::stdout(&o), common::stderr(&o));
        if out != expected || !o.status.success() || !err.is_empty() {
            report(chunk, &src, &out, env, &err, o.status.code());
        }
    }
}

#[test]
fn normal() {
    let first = env_u64("DIFFERENTIAL_SEED").unwrap_or(1);
    let count = env_u64("DIFFERENTIAL_COUNT").unwrap_or(500);
    run_differential(first, count, &[]);
}

#[test]
fn gc_stress() {
    let first = env_u64("DIFFERENTIAL_SEED").unwrap_or(1_000_001);
    let count = env_u64("DIFFERENTIAL_STRESS_COUNT").unwrap_or(60);
    run_differential(first, count, &[("SCHEME_GC_STRESS", "1")]);
}

/// The reference interpreter against Chez Scheme, on the same programs:
/// run where `scheme` is installed, with `--ignored`.
#[test]
#[ignore = "needs Chez Scheme (`scheme`); checks the test's own interpreter"]
fn chez_agrees_with_interpreter() {
    if Command::new("scheme").arg("--version").output().is_err() {
        eprintln!("no `scheme` on the PATH: skipped");
        return;
    }
    let first = env_u64("DIFFERENTIAL_SEED").unwrap_or(1);
    let count = env_u64("DIFFERENTIAL_COUNT").unwrap_or(300);
    let cases = cases(first, count);
    let dir = common::scratch();
    for chunk in cases.chunks(50) {
        let (src, expected) = batch(chunk);
        let file = dir.join("chez.scm");
        std::fs::write(&file, &src).expect("write");
        let o = Command::new("scheme")
            .arg("--script")
            .arg(&file)
            .output()
            .expect("run scheme");
        let out = common::stdout(&o);
        if out != expected {
            report(
                chunk,
                &src,
                &out,
                &[("chez", "")],
                &common::stderr(&o),
                o.status.code(),
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Programs the generator found bugs with, kept as plain tests.
mod regressions {
    use super::common::check;

    /// Seed 20189: `case` compared its data with `eq?`, so a bignum (or
    /// ratio, or flonum) datum never matched an equal key.
    #[test]
    fn case_with_non_fixnum_data() {
        check(
            "(write (case (+ 9223372036854775808 1) ((9223372036854775809) 'yes) (else 'no)))
             (write (case 9223372036854775809 ((1 9223372036854775809) 'yes) (else 'no)))
             (write (case (/ 1 3) ((1/3) 'yes) (else 'no)))
             (write (case (* 1.5 1) ((1.5) 'yes) (else 'no)))
             (write (case 5 ((9223372036854775809 5) 'yes) (else 'no)))
             (write (case 'a ((a) 'yes) (else 'no)))",
            "yesyesyesyesyesyes",
        );
    }
}
