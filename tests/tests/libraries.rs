//! R7RS libraries (`define-library`, `import` with `only`, `except`,
//! `prefix`, `rename`; library files; `include`). No reference implementation at hand runs
//! these programs (Chez 9.5.8 predates R7RS libraries; Guile 3.0.8 and
//! Gambit 4.9.3 reject `define-library` in a program file), so the
//! expected outputs follow R7RS 5.2 and 5.6 directly. Standard-library
//! imports are in the macro corpus, checked against Guile.
mod common;
use common::{check, check_compile_error, schemec, scratch, stderr, stdout};

const GEOMETRY: &str = "
(define-library (geometry point)
  (export make-point point-x (rename point-norm2 norm2) point?)
  (import (scheme base))
  (begin
    (define-record-type point (make-point x y) point? (x point-x) (y point-y))
    (define (square v) (* v v))
    (define (point-norm2 p) (+ (square (point-x p)) (square (point-y p))))))
";

#[test]
fn exports_with_prefix_and_rename() {
    check(
        &format!(
            "{GEOMETRY}
             (import (scheme base) (scheme write) (prefix (geometry point) g:))
             (define p (g:make-point 3 4))
             (write (list (g:norm2 p) (g:point-x p) (g:point? p) (g:point? 5) p '(g:norm2)))"
        ),
        "(25 3 #t #f #[point 3 4] (g:norm2))",
    );
}

#[test]
fn private_names_do_not_clash_or_leak() {
    // Both libraries define `square` and `helper`; the program defines its
    // own `square` too. Only exports are visible.
    check(
        &format!(
            "{GEOMETRY}
             (define-library (util)
               (export twice cube bump! counter-value)
               (import (scheme base))
               (begin
                 (define counter 0)
                 (define (bump!) (set! counter (+ counter 1)) counter)
                 (define (counter-value) counter)
                 (define (square x) (list 'not-a-number x))
                 (define (cube x) (* x (car (cdr (square x)))  x))
                 (define-syntax twice (syntax-rules () ((_ e) (begin e e))))))
             (import (scheme base) (scheme write) (geometry point) (except (util) counter-value))
             (define (square x) (string-append x x))
             (write (list (square \"ab\") (cube 3) (norm2 (make-point 1 2))))
             (twice (bump!))
             (write (bump!))"
        ),
        "(\"abab\" 27 5)3",
    );
}

#[test]
fn macros_exported_by_a_library_use_its_private_names() {
    check(
        "(define-library (stack)
           (export push! stack-contents)
           (import (scheme base))
           (begin
             (define items '())
             (define (add! x) (set! items (cons x items)))
             (define-syntax push! (syntax-rules () ((_ x ...) (begin (add! x) ...))))
             (define (stack-contents) items)))
         (import (scheme base) (scheme write) (only (stack) push! stack-contents))
         (define (add! x) 'the-program-s-own)
         (push! 1 2 3)
         (write (list (stack-contents) (add! 0)))",
        "((3 2 1) the-program-s-own)",
    );
}

#[test]
fn a_private_name_is_unbound_outside() {
    check_compile_error(
        &format!("{GEOMETRY}(import (scheme base) (geometry point))\n(point-norm2 2)"),
        "10:2",
        "unbound variable `point-norm2`",
    );
}

#[test]
fn an_unknown_library_is_a_compile_error() {
    check_compile_error(
        "(import (scheme base) (geometry vectors))",
        "1:23",
        "library `(geometry vectors)` not found; looked for ",
    );
}

/// Write `files` (path, text) into a fresh directory, run `main.scm` there
/// (plain and under `SCHEME_GC_STRESS=1`), return (stdout, stderr, status)
/// of each run.
fn run_files(files: &[(&str, &str)]) -> Vec<(String, String, Option<i32>)> {
    run_files_with(files, &[])
}

/// `run_files` with options before `run` (`-I DIR`).
fn run_files_with(files: &[(&str, &str)], options: &[&str]) -> Vec<(String, String, Option<i32>)> {
    let dir = scratch();
    for (path, text) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().expect("a directory")).expect("create dir");
        std::fs::write(p, text).expect("write file");
    }
    let out = [&[][..], &[("SCHEME_GC_STRESS", "1")][..]]
        .iter()
        .map(|env| {
            let o = std::process::Command::new(schemec())
                .current_dir(&dir)
                .args(options)
                .arg("run")
                .arg("main.scm")
                .envs(env.iter().copied())
                .output()
                .expect("run schemec");
            (stdout(&o), stderr(&o), o.status.code())
        })
        .collect();
    let _ = std::fs::remove_dir_all(&dir);
    out
}

const VECTORS_SLD: &str = "(define-library (geometry vectors)
  (export vec vec-add vec->list)
  (import (scheme base) (util strings))
  (include \"vectors-impl.scm\"))
";
const VECTORS_IMPL: &str = "(begin
  (define (vec x y) (cons x y))
  (define (vec-add a b) (vec (+ (car a) (car b)) (+ (cdr a) (cdr b))))
  (define (vec->list v) (list (shout \"vec\") (car v) (cdr v))))
";
const STRINGS_SLD: &str = "(define-library (util strings)
  (export shout)
  (import (scheme base) (scheme char))
  (begin
    (define (shout s) (string-append (string-upcase s) \"!\"))
    (define (vec x) 'private)))
";

#[test]
fn library_files_and_includes() {
    let runs = run_files(&[
        ("geometry/vectors.sld", VECTORS_SLD),
        ("geometry/vectors-impl.scm", VECTORS_IMPL),
        ("util/strings.sld", STRINGS_SLD),
        (
            "lib/helpers.scm",
            "(define (show . xs) (for-each display xs) (newline))\n",
        ),
        (
            "main.scm",
            "(import (scheme base) (scheme write) (geometry vectors))
(include \"lib/helpers.scm\")
(show (vec->list (vec-add (vec 1 2) (vec 3 4))))
",
        ),
    ]);
    for (out, err, status) in runs {
        assert_eq!(out, "(VEC! 4 6)\n", "stderr: {err}");
        assert_eq!(status, Some(0), "stderr: {err}");
    }
}

#[test]
fn errors_in_other_files_name_them() {
    // At compile time, in a library's included file.
    let runs = run_files(&[
        ("geometry/vectors.sld", VECTORS_SLD),
        (
            "geometry/vectors-impl.scm",
            &VECTORS_IMPL.replace("(cons x y)", "(cons x yy)"),
        ),
        ("util/strings.sld", STRINGS_SLD),
        ("main.scm", "(import (geometry vectors))\n(vec 1 2)\n"),
    ]);
    let (_, err, status) = &runs[0];
    assert_eq!(*status, Some(2), "stderr: {err}");
    assert!(
        err.starts_with("error: unbound variable `yy`; did you mean `y`?\n --> geometry/vectors-impl.scm:2:29\n  |\n2 |   (define (vec x y) (cons x yy))\n"),
        "stderr: {err}"
    );
    // At run time, in an included file, with the backtrace through both.
    let runs = run_files(&[
        (
            "lib/helpers.scm",
            "(define (fail) (vector-ref (vector 1 2) 5))\n",
        ),
        (
            "main.scm",
            "(include \"lib/helpers.scm\")\n(display \"x\")\n(fail)\n",
        ),
    ]);
    for (out, err, status) in runs {
        assert_eq!(out, "x");
        assert_eq!(status, Some(1), "stderr: {err}");
        assert!(
            err.starts_with(
                "error: vector-ref: index 5 out of range for #(1 2)\n --> lib/helpers.scm:1:16\n"
            ),
            "stderr: {err}"
        );
        assert!(
            err.contains("  fail at lib/helpers.scm:1:16\n  top level at main.scm:3:1\n"),
            "stderr: {err}"
        );
    }
}

#[test]
fn library_directories_from_the_command_line_and_the_environment() {
    let files = [
        ("libs/util/strings.sld", STRINGS_SLD),
        (
            "main.scm",
            "(import (scheme write) (util strings))\n(display (shout \"hey\"))\n",
        ),
    ];
    for (out, err, status) in run_files_with(&files, &["-I", "libs"]) {
        assert_eq!((out.as_str(), status), ("HEY!", Some(0)), "stderr: {err}");
    }
    // Without `-I`: not found, and the message says where it looked.
    let (_, err, status) = &run_files(&files)[0];
    assert_eq!(*status, Some(2));
    assert!(
        err.contains("library `(util strings)` not found; looked for "),
        "stderr: {err}"
    );
}

#[test]
fn an_import_cycle_is_a_compile_error() {
    let runs = run_files(&[
        (
            "a.sld",
            "(define-library (a) (export f) (import (b)) (begin (define (f) 1)))",
        ),
        (
            "b.sld",
            "(define-library (b) (export g) (import (a)) (begin (define (g) 2)))",
        ),
        ("main.scm", "(import (a))\n"),
    ]);
    let (_, err, status) = &runs[0];
    assert_eq!(*status, Some(2), "stderr: {err}");
    assert!(
        err.contains("library `(a)` imports itself"),
        "stderr: {err}"
    );
}

#[test]
fn only_a_name_that_is_not_exported_is_a_compile_error() {
    check_compile_error(
        &format!("{GEOMETRY}(import (only (geometry point) point-y))"),
        "9:9",
        "`point-y` is not exported by this import set",
    );
}

/// Once a standard library is imported, a built-in procedure with a
/// standard name is visible only if an import brings it in as itself;
/// schemec's own built-ins stay visible, and a program without imports
/// sees everything.
#[test]
fn standard_imports_restrict_what_is_visible() {
    check_compile_error(
        "(import (only (scheme base) car list))\n(display (car (list 1)))",
        "2:2",
        "unbound variable `display`: it is in `(scheme write)`, which no import brings in",
    );
    check_compile_error(
        "(import (prefix (scheme base) b:) (scheme write))\n(display (b:car (b:list 1)))\n(display (car (b:list 2)))",
        "3:11",
        "unbound variable `car`: it is in `(scheme base)`, which no import brings in",
    );
    check_compile_error(
        "(import (except (scheme base) cdr) (scheme write))\n(display (cdr (list 1 2)))",
        "2:11",
        "unbound variable `cdr`: it is in `(scheme base)`",
    );
    check_compile_error(
        "(import (rename (scheme base) (car first)) (scheme write))\n(display (first (list 1)))\n(display (car (list 1)))",
        "3:11",
        "unbound variable `car`",
    );
    check_compile_error(
        "(import (only (scheme base) car kar))",
        "1:9",
        "`kar` is not exported by this import set",
    );
    // schemec's own built-ins stay visible; a prelude procedure the
    // program leaves out and defines is the program's.
    check(
        &format!(
            "{GEOMETRY}(import (geometry point) (except (scheme base) map) (only (scheme write) display))
(define (map f l) (if (null? l) '() (cons (f (car l)) (map f (cdr l)))))
(define t (make-eqv-hashtable))
(hashtable-set! t 1 (point-x (make-point 3 4)))
(display (map (lambda (x) (* x x)) (list (hashtable-ref t 1 0) 2)))"
        ),
        "(9 4)",
    );
    // Without any import, everything is visible.
    check("(display (car (list 5)))", "5");
}

/// `include-ci` reads its file case-folded (R7RS 4.1.7); among a
/// library's declarations, `include-library-declarations` and
/// `cond-expand` are spliced (R7RS 5.6.1).
#[test]
fn include_ci_and_library_declarations() {
    let runs = run_files(&[
        (
            "util/strs.sld",
            r#"(define-library (util strs)
  (include-library-declarations "strs-decls.scm")
  (cond-expand
    ((and r7rs (library (scheme char)))
     (import (scheme char))
     (begin (define (shout s) (string-append (string-upcase s) "!"))))
    (else
     (begin (define (shout s) (string-append s "?"))))))
"#,
        ),
        (
            "util/strs-decls.scm",
            r#"(export shout whisper)
(import (scheme base))
(begin (define (whisper s) (string-append "(" s ")")))
"#,
        ),
        (
            "upper.scm",
            "(DEFINE (Twice X) (LIST X X))\n(WRITE (QUOTE MixedCase)) (WRITE #\\A)\n",
        ),
        (
            "main.scm",
            r#"(import (scheme base) (scheme write) (util strs))
(include-ci "upper.scm")
(display (shout "hey")) (display (whisper "psst")) (write (twice 1)) (newline)
"#,
        ),
    ]);
    for (out, err, status) in runs {
        assert_eq!(out, "mixedcase#\\AHEY!(psst)(1 1)\n", "stderr: {err}");
        assert_eq!(status, Some(0), "stderr: {err}");
    }
}
