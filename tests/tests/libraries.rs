//! R7RS libraries in one file (`define-library`, `import` with `only`,
//! `except`, `prefix`, `rename`). No reference implementation at hand runs
//! these programs (Chez 9.5.8 predates R7RS libraries; Guile 3.0.8 and
//! Gambit 4.9.3 reject `define-library` in a program file), so the
//! expected outputs follow R7RS 5.2 and 5.6 directly. Standard-library
//! imports are in the macro corpus, checked against Guile.
mod common;
use common::{check, check_compile_error};

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
        "library `(geometry vectors)` is not defined",
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
