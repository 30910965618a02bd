//! Every identifier of R7RS-small exists (issue 13): each name exported by
//! the sixteen standard libraries (R7RS appendix A, listed one per line in
//! `compiler/src/expand/r7rs-identifiers.txt`, the list the compiler
//! restricts imports with) is checked in a program that imports its
//! library. A procedure must compile as a first-class value and be a
//! procedure at run time; a syntactic keyword must compile and run in a
//! minimal use (`syntax-error` must stop the compile with its message).
//!
//! One program per library, each probe on its own line: schemec reports
//! every failing top-level form, so one compile names every missing
//! identifier of a library (the error's line says which probe failed). The
//! failing probes are dropped and the rest compiled again, until the
//! program compiles; then it runs and prints each probe's result.
//!
//! The test fails listing every missing identifier that is not in
//! `KNOWN_MISSING`, and every name of `KNOWN_MISSING` that is present.
mod common;
use common::{schemec, scratch, stderr, stdout};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::process::Command;

/// The list of R7RS-small's identifiers: `(scheme base) car` per line.
const IDENTIFIERS: &str = include_str!("../../compiler/src/expand/r7rs-identifiers.txt");

/// Identifiers schemec leaves out on purpose. The test reports them, and
/// fails if one of them turns up (then remove it from here).
const KNOWN_MISSING: &[(&str, &str)] = &[];

/// Files next to the program, for the `include` and `include-ci` probes.
const INCLUDED: &[(&str, &str)] = &[
    ("r7rs-include.scm", "(define r7rs-included 'included)\n"),
    // Lower case: this checks that `include-ci` exists, not that it folds.
    (
        "r7rs-include-ci.scm",
        "(define r7rs-included-ci 'included-ci)\n",
    ),
];

/// What a probe must do.
#[derive(Clone, Copy)]
enum Expect {
    /// `(define probe-N name)` compiles and `(procedure? probe-N)` is true.
    Procedure,
    /// The line (with `{v}` replaced by `probe-N`) compiles, defines
    /// `probe-N`, and `(write probe-N)` prints this.
    Value(&'static str, &'static str),
    /// The line stops the compile with an error containing this text.
    CompileError(&'static str, &'static str),
}

/// A minimal use of each syntactic keyword of R7RS-small; every other
/// identifier is a procedure.
fn syntax_probe(name: &str) -> Option<Expect> {
    use Expect::{CompileError, Value};
    Some(match name {
        "..." => Value(
            "(define-syntax {v}-m (syntax-rules () ((_ x ...) (list x ...)))) (define {v} ({v}-m 1 2 3))",
            "(1 2 3)",
        ),
        "_" => Value(
            "(define-syntax {v}-m (syntax-rules () ((_ _ y) y))) (define {v} ({v}-m 1 2))",
            "2",
        ),
        "=>" => Value(
            "(define {v} (cond ((assv 2 '((1 . a) (2 . b))) => cdr) (else 'no)))",
            "b",
        ),
        "else" => Value("(define {v} (case 9 ((1) 'one) (else 'other)))", "other"),
        "and" => Value("(define {v} (and 1 2))", "2"),
        "or" => Value("(define {v} (or #f 2))", "2"),
        "begin" => Value(
            "(begin (define {v}-a 1)) (define {v} (begin {v}-a 2))",
            "2",
        ),
        "case" => Value(
            "(define {v} (case 3 ((1 2) 'low) ((3 4) 'mid) (else 'high)))",
            "mid",
        ),
        "cond" => Value("(define {v} (cond (#f 1) ((= 1 1) 2) (else 3)))", "2"),
        "cond-expand" => Value(
            "(cond-expand (r7rs (define {v} 'r7rs)) (else (define {v} 'other)))",
            "r7rs",
        ),
        "define" => Value(
            "(define ({v}-f x) (* x 2)) (define {v} ({v}-f 21))",
            "42",
        ),
        "define-record-type" => Value(
            "(define-record-type {v}-t (make-{v}-t a) {v}-t? (a {v}-t-a set-{v}-t-a!)) \
             (define {v} (let ((r (make-{v}-t 1))) (set-{v}-t-a! r 2) (list ({v}-t? r) ({v}-t? 5) ({v}-t-a r))))",
            "(#t #f 2)",
        ),
        "define-syntax" => Value(
            "(define-syntax {v}-m (syntax-rules () ((_ x) (* x 2)))) (define {v} ({v}-m 21))",
            "42",
        ),
        "define-values" => Value(
            "(define-values ({v}-a {v}-b) (values 1 2)) (define {v} (list {v}-a {v}-b))",
            "(1 2)",
        ),
        "do" => Value(
            "(define {v} (do ((i 0 (+ i 1)) (acc '() (cons i acc))) ((= i 3) acc)))",
            "(2 1 0)",
        ),
        "guard" => Value(
            "(define {v} (guard (e ((symbol? e) (list 'caught e))) (raise 'oops)))",
            "(caught oops)",
        ),
        "if" => Value("(define {v} (if #f 1 2))", "2"),
        "include" => Value(
            "(include \"r7rs-include.scm\") (define {v} r7rs-included)",
            "included",
        ),
        "include-ci" => Value(
            "(include-ci \"r7rs-include-ci.scm\") (define {v} r7rs-included-ci)",
            "included-ci",
        ),
        "lambda" => Value("(define {v} ((lambda (x . r) (list x r)) 1 2))", "(1 (2))"),
        "let" => Value(
            "(define {v} (list (let ((x 1) (y 2)) (+ x y)) (let loop ((i 0)) (if (< i 5) (loop (+ i 1)) i))))",
            "(3 5)",
        ),
        "let*" => Value("(define {v} (let* ((x 1) (y (+ x 1))) y))", "2"),
        "let*-values" => Value(
            "(define {v} (let*-values (((a b) (values 1 2)) ((c) (values (+ a b)))) c))",
            "3",
        ),
        "let-values" => Value(
            "(define {v} (let-values (((a b) (values 1 2)) ((c . d) (values 3 4))) (list a b c d)))",
            "(1 2 3 (4))",
        ),
        "let-syntax" => Value(
            "(define {v} (let-syntax ((m (syntax-rules () ((_ x) (+ x 1))))) (m 1)))",
            "2",
        ),
        "letrec" => Value(
            "(define {v} (letrec ((ev? (lambda (n) (if (= n 0) #t (od? (- n 1))))) \
             (od? (lambda (n) (if (= n 0) #f (ev? (- n 1)))))) (ev? 10)))",
            "#t",
        ),
        "letrec*" => Value("(define {v} (letrec* ((a 1) (b (+ a 1))) b))", "2"),
        "letrec-syntax" => Value(
            "(define {v} (letrec-syntax ((m (syntax-rules () ((_) 0) ((_ x y ...) (+ 1 (m y ...)))))) (m a b c)))",
            "3",
        ),
        "parameterize" => Value(
            "(define {v}-p (make-parameter 1)) (define {v} (list (parameterize (({v}-p 2)) ({v}-p)) ({v}-p)))",
            "(2 1)",
        ),
        "quasiquote" => Value("(define {v} (quasiquote (1 x)))", "(1 x)"),
        "unquote" => Value("(define {v} (quasiquote (1 (unquote (+ 1 1)))))", "(1 2)"),
        "unquote-splicing" => Value(
            "(define {v} (quasiquote (1 (unquote-splicing (list 2 3)))))",
            "(1 2 3)",
        ),
        "quote" => Value("(define {v} (quote (a b)))", "(a b)"),
        "set!" => Value("(define {v} (let ((x 1)) (set! x 2) x))", "2"),
        "syntax-rules" => Value(
            "(define-syntax {v}-m (syntax-rules () ((_ a b) (list b a)))) (define {v} ({v}-m 1 2))",
            "(2 1)",
        ),
        "syntax-error" => CompileError(
            "(define-syntax {v}-m (syntax-rules () ((_ x) x) ((_ x y) (syntax-error \"r7rs probe: two arguments\" x y)))) ({v}-m 1 2)",
            "r7rs probe: two arguments",
        ),
        "when" => Value("(define {v} (when (= 1 1) 'ran))", "ran"),
        "unless" => Value("(define {v} (unless (= 1 2) 'ran))", "ran"),
        "case-lambda" => Value(
            "(define {v}-f (case-lambda ((x) (list 'one x)) ((x y) (list 'two x y)) ((x . r) (list 'many x r)))) \
             (define {v} (list ({v}-f 1) ({v}-f 1 2) ({v}-f 1 2 3)))",
            "((one 1) (two 1 2) (many 1 (2 3)))",
        ),
        "delay" => Value("(define {v} (force (delay (+ 1 2))))", "3"),
        "delay-force" => Value("(define {v} (force (delay-force (delay (+ 1 2)))))", "3"),
        _ => return None,
    })
}

/// `(library, identifier)` pairs in the order of the list.
fn identifiers() -> Vec<(&'static str, &'static str)> {
    IDENTIFIERS
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with(';'))
        .map(|l| {
            let close = l.find(')').unwrap_or_else(|| panic!("bad line: {l}"));
            (&l[..=close], l[close + 1..].trim())
        })
        .collect()
}

/// One probe: which identifier, its line of Scheme, what it must do.
struct Probe {
    name: &'static str,
    line: String,
    expect: Expect,
}

fn probes(names: &[&'static str]) -> Vec<Probe> {
    names
        .iter()
        .enumerate()
        .map(|(i, &name)| {
            let v = format!("probe-{i}");
            let expect = syntax_probe(name).unwrap_or(Expect::Procedure);
            let line = match expect {
                Expect::Procedure => format!("(define {v} {name})"),
                Expect::Value(src, _) | Expect::CompileError(src, _) => src.replace("{v}", &v),
            };
            Probe { name, line, expect }
        })
        .collect()
}

/// Compile and run `src` (with the files of `INCLUDED` beside it).
fn run(src: &str) -> std::process::Output {
    let dir = scratch();
    for (file, text) in INCLUDED {
        std::fs::write(dir.join(file), text).expect("write included file");
    }
    let file = dir.join("test.scm");
    std::fs::write(&file, src).expect("write source");
    let out = Command::new(schemec())
        .current_dir(&dir)
        .args(["run", "test.scm"])
        .output()
        .expect("run schemec");
    let _ = std::fs::remove_dir_all(&dir);
    out
}

/// `(line, message)` of each `test.scm:LINE:COL: error: MESSAGE` in stderr.
fn compile_errors(err: &str) -> Vec<(usize, String)> {
    common::located(err)
        .lines()
        .filter_map(|l| {
            let rest = l.strip_prefix("test.scm:")?;
            let (line, rest) = rest.split_once(':')?;
            let (_col, rest) = rest.split_once(':')?;
            let message = rest.strip_prefix(" error: ")?;
            Some((line.parse().ok()?, message.to_string()))
        })
        .collect()
}

/// The outcome for one library.
#[derive(Default)]
struct LibraryResult {
    /// Why the `(import ...)` of the library failed, if it did.
    import_error: Option<String>,
    /// Missing (or broken) identifiers, each with what went wrong.
    missing: BTreeMap<&'static str, String>,
}

/// Check every identifier `names` of `library` in one program (compiled
/// again without the probes that failed, until it compiles).
fn check_library(library: &str, names: &[&'static str]) -> LibraryResult {
    let probes = probes(names);
    let mut result = LibraryResult::default();
    let mut live: Vec<usize> = (0..probes.len()).collect();
    let mut import_library = true;
    // A CompileError probe stops the compile by design: check it alone.
    for (i, p) in probes.iter().enumerate() {
        if let Expect::CompileError(_, message) = p.expect {
            live.retain(|&j| j != i);
            let src = format!("(import (scheme base) {library})\n{}\n", p.line);
            let o = run(&src);
            let err = stderr(&o);
            let errors = compile_errors(&err);
            let ok = o.status.code() == Some(2)
                && errors.iter().any(|(l, m)| *l == 2 && m.contains(message))
                && !err.contains("unbound variable");
            if !ok {
                result.missing.insert(
                    p.name,
                    format!(
                        "expected a compile error `{message}`, got status {:?}: {}",
                        o.status.code(),
                        err.lines().next().unwrap_or("")
                    ),
                );
            }
        }
    }
    loop {
        let imports = if import_library {
            format!("(import (scheme base) (scheme write) {library})")
        } else {
            "(import (scheme base) (scheme write))".to_string()
        };
        let mut src = format!("{imports}\n");
        // Probe `live[k]` is on line k + 2, its check after all probes.
        for &i in &live {
            src.push_str(&probes[i].line);
            src.push('\n');
        }
        for &i in &live {
            let check = match probes[i].expect {
                Expect::Procedure => format!("(procedure? probe-{i})"),
                _ => format!("probe-{i}"),
            };
            writeln!(src, "(display \"{i} \") (write {check}) (newline)").unwrap();
        }
        let o = run(&src);
        let err = stderr(&o);
        match o.status.code() {
            Some(2) => {
                let errors = compile_errors(&err);
                let mut dropped = BTreeSet::new();
                for (line, message) in &errors {
                    if *line == 1 && import_library {
                        result.import_error = Some(message.clone());
                        import_library = false;
                        dropped.insert(usize::MAX);
                    } else if let Some(&i) = line.checked_sub(2).and_then(|k| live.get(k)) {
                        result
                            .missing
                            .entry(probes[i].name)
                            .or_insert(message.clone());
                        dropped.insert(i);
                    }
                }
                assert!(
                    !dropped.is_empty(),
                    "{library}: compile errors outside the probes:\n{err}\nprogram:\n{src}"
                );
                live.retain(|i| !dropped.contains(i));
            }
            status => {
                let out = stdout(&o);
                let printed: BTreeMap<usize, &str> = out
                    .lines()
                    .filter_map(|l| {
                        let (i, v) = l.split_once(' ')?;
                        Some((i.parse().ok()?, v))
                    })
                    .collect();
                for &i in &live {
                    let p = &probes[i];
                    let expected = match p.expect {
                        Expect::Procedure => "#t",
                        Expect::Value(_, v) => v,
                        Expect::CompileError(..) => unreachable!(),
                    };
                    match printed.get(&i) {
                        Some(&got) if got == expected => {}
                        Some(&got) => {
                            let what = match p.expect {
                                Expect::Procedure => "not a procedure".to_string(),
                                _ => format!("printed {got}, expected {expected}"),
                            };
                            result.missing.insert(p.name, what);
                        }
                        None => {
                            result.missing.insert(
                                p.name,
                                format!("no result: the program exited with {status:?}: {err}"),
                            );
                        }
                    }
                }
                return result;
            }
        }
    }
}

#[test]
fn every_r7rs_small_identifier_exists() {
    let ids = identifiers();
    let mut by_library: BTreeMap<&str, Vec<&'static str>> = BTreeMap::new();
    for &(library, name) in &ids {
        by_library.entry(library).or_default().push(name);
    }
    // The list is the report's: 16 libraries, 557 exports, 339 names.
    let unique: BTreeSet<&str> = ids.iter().map(|&(_, n)| n).collect();
    assert_eq!(by_library.len(), 16, "libraries in the list");
    assert_eq!(ids.len(), 557, "(library, identifier) pairs in the list");
    assert_eq!(unique.len(), 339, "distinct identifiers in the list");
    for &(library, name) in KNOWN_MISSING {
        assert!(
            ids.contains(&(library, name)),
            "KNOWN_MISSING has {library} {name}, which is not in the list"
        );
    }

    // Two libraries at a time (the bulk of the time is compiling).
    let libraries: Vec<(&str, Vec<&'static str>)> = by_library.into_iter().collect();
    let results: Vec<(&str, LibraryResult)> = std::thread::scope(|s| {
        let handles: Vec<_> = libraries
            .chunks(libraries.len().div_ceil(2))
            .map(|chunk| {
                s.spawn(move || {
                    chunk
                        .iter()
                        .map(|(library, names)| (*library, check_library(library, names)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a checking thread panicked"))
            .collect()
    });

    let mut report = String::new();
    let mut unexpected = Vec::new();
    let mut known = Vec::new();
    for (library, result) in &results {
        if let Some(e) = &result.import_error {
            unexpected.push(format!("{library}: (import {library}) fails: {e}"));
        }
        for (name, why) in &result.missing {
            if KNOWN_MISSING.contains(&(library, name)) {
                known.push(format!("{library} {name}"));
            } else {
                unexpected.push(format!("{library} {name}: {why}"));
            }
        }
    }
    let present_but_known: Vec<String> = KNOWN_MISSING
        .iter()
        .filter(|(library, name)| {
            results
                .iter()
                .any(|(l, r)| l == library && !r.missing.contains_key(name))
        })
        .map(|(library, name)| format!("{library} {name}"))
        .collect();
    writeln!(
        report,
        "checked {} identifiers ({} distinct) of {} libraries; {} known missing:",
        ids.len(),
        unique.len(),
        results.len(),
        known.len()
    )
    .unwrap();
    for k in &known {
        writeln!(report, "  {k}").unwrap();
    }
    println!("{report}");
    let mut failure = String::new();
    if !unexpected.is_empty() {
        writeln!(
            failure,
            "missing R7RS-small identifiers ({}):",
            unexpected.len()
        )
        .unwrap();
        for u in &unexpected {
            writeln!(failure, "  {}", u.trim_end()).unwrap();
        }
    }
    if !present_but_known.is_empty() {
        writeln!(
            failure,
            "present, but listed in KNOWN_MISSING (remove them from it): {}",
            present_but_known.join(", ")
        )
        .unwrap();
    }
    assert!(failure.is_empty(), "{report}{failure}");
}

/// A program importing all sixteen standard libraries at once compiles
/// and runs.
#[test]
fn every_standard_library_can_be_imported_together() {
    let mut libraries: Vec<&str> = identifiers().iter().map(|&(l, _)| l).collect();
    libraries.dedup();
    let src = format!(
        "(import {})\n(write (list (car '(1 2)) (char-upcase #\\a) (caddr '(1 2 3)) (sqrt 16) (force (delay 5))))\n",
        libraries.join(" ")
    );
    let o = run(&src);
    assert_eq!(
        (stdout(&o).as_str(), o.status.code()),
        ("(1 #\\A 3 4 5)", Some(0)),
        "program:\n{src}\nstderr: {}",
        stderr(&o)
    );
}
