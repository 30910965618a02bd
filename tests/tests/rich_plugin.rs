//! A plugin written as Rust users write them (`tests/plugins/rich`):
//! `#[scheme_methods]`, `#[derive(SchemeRecord)]`, `#[derive(SchemeSymbol)]`,
//! tuples, maps, paths and typed callbacks, driven from Scheme, also under
//! `SCHEME_GC_STRESS=1`. Records print as Chez Scheme prints the records
//! of `define-record-type` (`#[point 3.0 4.0]`).
mod common;
use common::{check, check_runtime_error, target_dir};

fn with_plugin(src: &str) -> String {
    format!(
        "(load-library \"{}\")\n{src}",
        target_dir().join("libschemerich.so").display()
    )
}

#[test]
fn methods_records_symbols_tuples_maps_and_callbacks() {
    check(
        &with_plugin(
            r#"(define (show x) (write x) (newline))
(define db (make-db))
(show (list (db-empty? db) (db-size db) (db-get db "a")))
(db-set! db "b" 2)
(db-set! db "a" 1)
(show (list (db-empty? db) (db-size db) (db-get db "a") (db-entries db)))
(show (db-remove! db "a"))
(show (db-entries (db-with-keys 3)))
(db-for-each (db-with-keys 2) (lambda (k v) (display k) (display "=") (display v) (display " ")))
(newline)
(show db)
(define p (make-point 3 4))
(show (list p (point? p) (point? 5) (point-x p) (point-norm p)))
(point-x-set! p 6.5)
(show (point-add p (make-point 1 1)))
(define l (label "origin" (make-point 0 0)))
(show (list l (labelled-name l) (labelled-tags l) (point? (labelled-at l))))
(show (list (mode-flags 'read) (mode-flags 'append-only) (all-modes)))
(show (list (divmod 17 5) (divmod -7 2) (pair-sum '(1 2.5))))
(define t (word-counts '("a" "b" "a" "c" "a")))
(show (list (hash-table? t) (hash-table-ref/default t "a" 0) (hash-table-ref/default t "c" 0)))
(show (sorted-entries t))
(show (sorted-entries '(("z" . 1) ("y" . 2) ("z" . 3))))
(show (count-if (lambda (w) (> (string-length w) 2)) '("a" "abc" "hello" "xy")))
(define b (make-button (lambda (n) (string-append "clicked " (number->string n)))))
(show (list (button-click! b) (button-click! b)))
(show (list (file-name "/usr/lib/libc.so") (file-name "/") (with-extension "a/b.txt" "md") (shout "hé") (point-type-name)))
(show (list (squares 5) (loud-words "ab cd  é") (maybe-table 3) (maybe-table 0)))"#,
        ),
        r#"(#t 0 #f)
(#f 2 1 (("a" 1) ("b" 2)))
1
(("k0" 0) ("k1" 1) ("k2" 2))
k0=0 k1=1 
#<db>
(#[point 3.0 4.0] #t #f 3.0 5.0)
#[point 7.5 5.0]
(#[labelled "origin" #[point 0.0 0.0] ("new")] "origin" ("new") #t)
(0 1024 (read write read-write append-only))
((3 2) (-4 1) 3.5)
(#t 3 1)
(("a" 3) ("b" 1) ("c" 1))
(("y" 2) ("z" 1))
2
("clicked 1" "clicked 2")
("libc.so" #f "a/b.md" "HÉ" "point")
((0 1 4 9 16) ("AB" "CD" "É") ((0) (0 1) (0 1 2)) #f)
"#,
    );
}

/// A kept procedure survives collections: the button's `trace` marks it.
#[test]
fn kept_callbacks_survive_collections() {
    check(
        &with_plugin(
            r#"(define buttons
  (let loop ((i 0) (acc '()))
    (if (= i 50)
        acc
        (loop (+ i 1) (cons (make-button (let ((tag (make-string 3 (integer->char (+ 65 (modulo i 26))))))
                                           (lambda (n) (string-append tag (number->string n)))))
                            acc)))))
(define (churn n) (if (> n 0) (begin (make-vector 100 n) (churn (- n 1)))))
(churn 20000)
(write (map button-click! (list (car buttons) (cadr buttons) (list-ref buttons 49))))
(write (button-click! (car buttons)))"#,
        ),
        r#"("XXX1" "WWW1" "AAA1")"XXX2""#,
    );
}

/// A callback that refers back to its button (a cycle through the Rust
/// object) is collected with it: `Traced`, marked by `trace`, is an edge
/// of the object, not a root.
#[test]
fn cycles_through_traced_values_are_collected() {
    check(
        &with_plugin(
            r#"(define (make-looped-buttons n)
  (if (> n 0)
      (let ((me #f))
        (set! me (make-button (lambda (k) (if (eq? me me) "self" "other"))))
        (button-click! me)
        (make-looped-buttons (- n 1)))))
(define before (button-dropped))
(make-looped-buttons 100)
(define (churn n) (if (> n 0) (begin (make-vector 100 n) (churn (- n 1)))))
(churn 20000)
(collect)
(write (> (- (button-dropped) before) 50))"#,
        ),
        "#t",
    );
}

#[test]
fn errors_name_the_primitive_argument_and_type() {
    for (src, message) in [
        ("(db-get 5 \"a\")", "db-get: argument 1 (db): expected db, got 5"),
        ("(db-set! (make-db) \"a\" 1.5)", "db-set!: argument 3 (v): expected 64-bit integer, got 1.5"),
        ("(point-x 5)", "point-x: argument 1 (point): expected point, got 5"),
        ("(point-norm (list 1 2))", "point-norm: argument 1 (p): expected point, got (1 2)"),
        ("(mode-flags 'bogus)", "mode-flags: argument 1 (m): expected (one-of read write read-write append-only), got bogus"),
        ("(point-x-set! (make-point 1 2) \"s\")", "point-x-set!: argument 2 (x): expected real number, got \"s\""),
        ("(pair-sum '(1))", "pair-sum: argument 1 (p): expected (list 64-bit integer real number), got (1)"),
        ("(sorted-entries '((\"a\" . x)))", "sorted-entries: argument 1 (m): expected (hash-table string 64-bit integer), got ((\"a\" . x))"),
        ("(count-if (lambda (w) 5) '(\"a\"))", "callback result: expected boolean, got 5"),
        ("(define d (make-db)) (db-set! d \"a\" 1) (db-for-each d (lambda (k v) (db-set! d \"b\" 2)))", "db-set!: argument 1 (db): already borrowed"),
        ("(divmod 1 0)", "divmod: division by zero"),
        ("(label \"x\" (make-point 'a 2))", "make-point: argument 1 (x): expected real number, got a"),
    ] {
        check_runtime_error(&with_plugin(src), "", message);
    }
}

/// Errors raised in callbacks and conversion errors of typed calls are
/// conditions Scheme can catch.
#[test]
fn callback_errors_are_catchable() {
    check(
        &with_plugin(
            r#"(define (try thunk)
  (guard (e ((error-object? e) (list 'caught (error-object-message e) (error-object-irritants e))))
    (thunk)))
(write (try (lambda () (count-if (lambda (w) (error "bad word" w)) '("a" "b")))))
(newline)
(write (try (lambda () (count-if (lambda (w) 5) '("a")))))
(newline)
(write (try (lambda () (button-click! (make-button (lambda (n) n))))))"#,
        ),
        r#"(caught "bad word" ("a"))
(caught "expected boolean, got 5" (5))
(caught "expected string, got 1" (1))"#,
    );
}
