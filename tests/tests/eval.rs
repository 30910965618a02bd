//! `eval`, `load` and the environments (R7RS 6.12, 6.14): code compiled
//! at run time and loaded into the running program. The main corpus is
//! `tests/corpus/eval/` (outputs from Chez Scheme and Guile); these are
//! the cases a reference cannot show or that need files.
mod common;
use common::{check, check_runtime_error, run_with_env, schemec, scratch, stderr, stdout};

#[test]
fn objects_without_written_form_in_evaluated_code() {
    // As Guile 3.0.8 does (Chez 9.5.8 refuses: "invalid syntax").
    check(
        "(display (eval (list + 1 2) (interaction-environment))) (newline)
         (display (eval `(map ,(lambda (n) (* n n)) '(1 2 3)) (interaction-environment))) (newline)
         (display (+ 1 (call-with-current-continuation
                         (lambda (k) (eval `(+ 10 (,k 42)) (interaction-environment))))))
         (newline)",
        "3\n(1 4 9)\n43\n",
    );
    // Inside a quoted datum it would change the datum: an error.
    check(
        "(display (guard (e ((error-object? e) (error-object-message e)))
                    (eval `(quote (1 ,car)) (interaction-environment))))",
        "cannot evaluate a quoted datum holding #<procedure car>: it has no written form",
    );
}

#[test]
fn restricted_environments_see_only_the_standard_library() {
    check(
        "(define secret 42)
         (display (eval '(+ 1 2) (environment '(scheme base)))) (newline)
         (display (eval '(let ((x 2)) (* x x)) (scheme-report-environment 5))) (newline)
         (display (guard (e ((error-object? e) 'not-visible))
                    (eval 'secret (environment '(scheme base)))))
         (newline)
         ;; A definition there stays private to that eval.
         (display (eval '(begin (define secret 1) secret) (environment '(scheme base))))
         (display secret) (newline)",
        "3\n4\nnot-visible\n142\n",
    );
}

#[test]
fn errors_in_evaluated_code_are_raised_and_located() {
    // A compile error is a catchable condition whose message is the
    // rendered diagnostic.
    check(
        "(display (guard (e ((error-object? e) (error-object-message e)))
                    (eval '(if) (interaction-environment))))",
        "error: `if` takes a test, a consequent and an optional alternative
 --> eval:1:1
  |
1 | (if)
  | ^^^^",
    );
    // A runtime error inside: the position is in the evaluated code, and
    // the backtrace goes on into the program.
    let src = "(define (run form) (eval form (interaction-environment)))
(eval '(define (h y) (+ 1 (car y))) (interaction-environment))
(display \"start\")
(run '(h 5))";
    check_runtime_error(src, "start", "eval:1:20: error: car: argument 1 (pair)");
    let o = run_with_env(src, &[]);
    let err = common::located(&stderr(&o));
    assert!(err.contains("  h at eval:1:20\n"), "backtrace: {err}");
    assert!(err.contains("test.scm:4:1"), "backtrace: {err}");
}

#[test]
fn load_runs_a_file_in_the_interaction_environment() {
    let dir = scratch();
    std::fs::write(
        dir.join("lib.scm"),
        "(define (triple x) (* 3 x))
         (define-syntax unless2 (syntax-rules () ((_ c e) (if c #f e))))
         (display \"lib loaded\") (newline)",
    )
    .unwrap();
    let main = dir.join("main.scm");
    std::fs::write(
        &main,
        "(load \"lib.scm\")
         (display (eval '(triple 5) (interaction-environment))) (newline)
         (display (eval '(unless2 #f 'yes) (interaction-environment))) (newline)
         (display (guard (e ((file-error? e) 'no-file)) (load \"missing.scm\"))) (newline)",
    )
    .unwrap();
    for env in [&[][..], &[("SCHEME_GC_STRESS", "1")][..]] {
        let o = std::process::Command::new(schemec())
            .arg("run")
            .arg(&main)
            .current_dir(&dir)
            .envs(env.iter().copied())
            .output()
            .unwrap();
        assert_eq!(
            stdout(&o),
            "lib loaded\n15\nyes\nno-file\n",
            "{}",
            stderr(&o)
        );
        assert_eq!(o.status.code(), Some(0));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn many_evaluations_keep_their_definitions_and_values_alive() {
    // Every unit's constants and the cells of its globals are roots.
    check(
        "(define (make-adder n) (eval `(lambda (x) (+ x ,n)) (interaction-environment)))
         (define adders (map make-adder '(1 2 3 4 5 6 7 8)))
         (define junk (make-vector 100000 'x))
         (eval '(define names (list \"alpha\" \"beta\" (string-append \"gam\" \"ma\"))) (interaction-environment))
         (display (map (lambda (f) (f 10)) adders)) (newline)
         (display (eval 'names (interaction-environment))) (newline)",
        "(11 12 13 14 15 16 17 18)\n(alpha beta gamma)\n",
    );
}
