//! Issue 14: safe Rust in a plugin cannot corrupt the heap. Each test runs
//! one pattern of `tests/plugins/hostile` (values in Rust collections,
//! borrows across callbacks, conflicting borrows, panics in odd places),
//! also under `SCHEME_GC_STRESS=1` (`check`), and checks the exact result.
mod common;
use common::{check, check_runtime_error, run_with_env, stderr, stdout, target_dir};

fn with_lib(src: &str) -> String {
    format!(
        "(load-library \"{}\")\n(define (churn n) (if (> n 0) (begin (make-vector 100 n) (churn (- n 1)))))\n{src}",
        target_dir().join("libschemehostile.so").display()
    )
}

#[test]
fn fresh_values_in_a_vec_survive_collections() {
    check(
        &with_lib("(write (word-lengths '(\"a\" \"bb\" \"ccc\")))"),
        "((\"a\" . 1) (\"bb\" . 2) (\"ccc\" . 3))",
    );
}

#[test]
fn list_elements_in_a_vec_survive_the_list_being_cut() {
    check(
        &with_lib(
            "(define l (list (list 1 2) (string #\\a #\\b) (vector 3 4) (cons 5 6)))
             (write (elements-after-callback l (lambda () (set-cdr! l '()) (churn 200))))",
        ),
        "((1 2) \"ab\" #(3 4) (5 . 6))",
    );
}

#[test]
fn a_borrowed_str_keeps_its_text_when_scheme_changes_the_string() {
    // Strings of the same size fill the space the old text would free.
    let h = "h".repeat(100);
    check(
        &with_lib(
            "(define s (make-string 100 #\\h))
             (define (strings n) (if (> n 0) (begin (make-string 100 #\\z) (strings (- n 1)))))
             (write (text-after-callback s (lambda () (string-set! s 0 #\\x3bb) (strings 3000))))
             (write (string-ref s 0))",
        ),
        &format!("\"{h}|{h}\"#\\λ"),
    );
}

#[test]
fn a_result_conversion_that_calls_scheme_sees_the_text_unchanged() {
    // `echo-after` takes no context, but its result's conversion calls
    // Scheme, which changes the string the result borrows.
    check(
        &with_lib(
            "(define s (make-string 4 #\\a))
             (write (echo-after s (lambda () (string-set! s 0 #\\x3bb) (churn 100))))
             (write s)",
        ),
        "\"4|aaaa\"\"λaaa\"",
    );
}

#[test]
fn foreign_objects_are_borrow_checked() {
    // A callback changing the object `db-with` reads: a catchable error.
    check(
        &with_lib(
            "(define db (make-db))
             (db-set! db \"a\" 1)
             (write (guard (e ((error-object? e) (error-object-message e)))
                      (db-with db (lambda () (db-set! db \"b\" 2)))))
             (write (db-with db (lambda () (db-get db \"a\"))))
             (write (guard (e (#t (list (condition-who e) (error-object-message e))))
                      (db-merge! db db)))
             (write (db-get db \"b\"))",
        ),
        "\"argument 1 (db): already borrowed\"2(\"db-merge!\" \"argument 2 (from): already borrowed\")#f",
    );
}

#[test]
fn an_uncaught_borrow_conflict_names_the_primitive_and_argument() {
    check_runtime_error(
        &with_lib(
            "(define db (make-db)) (display \"x\") (db-with db (lambda () (db-set! db \"k\" 1)))",
        ),
        "x",
        "db-set!: argument 1 (db): already borrowed",
    );
}

#[test]
fn a_panicking_drop_is_reported_and_the_program_goes_on() {
    for env in [&[][..], &[("SCHEME_GC_STRESS", "1")][..]] {
        let o = run_with_env(
            &with_lib(
                "(define (loop i) (if (< i 200) (begin (make-bomb) (churn 20) (loop (+ i 1)))))
                 (loop 0) (collect) (display \"survived\")",
            ),
            env,
        );
        assert_eq!(stdout(&o), "survived", "stderr: {}", stderr(&o));
        assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
        assert!(
            stderr(&o).contains("warning: dropping a `bomb` object panicked"),
            "stderr: {}",
            stderr(&o)
        );
    }
}

#[test]
fn values_in_hashmaps_closures_and_boxes_survive() {
    check(
        &with_lib(
            "(write (through-hashmap '(\"x\" \"y\" \"z\")))
             (write (through-closure 7))",
        ),
        "(\"value of x\" \"value of y\" \"value of z\")((7 . 8) . \"captured\")",
    );
}

#[test]
fn callback_results_in_a_vec_survive_later_callbacks() {
    check(
        &with_lib("(write (collect-calls (lambda (i) (churn 50) (list i (number->string i))) 4))"),
        "((0 \"0\") (1 \"1\") (2 \"2\") (3 \"3\"))",
    );
}

#[test]
fn a_panic_while_holding_values_is_an_error_and_releases_them() {
    check(
        &with_lib(
            "(define (try n) (guard (e (#t (error-object-message e))) (panic-holding n)))
             (write (try 10)) (churn 300) (write (try 3)) (write (word-lengths '(\"ok\")))",
        ),
        "\"panicked: gave up holding 10 strings\"\"panicked: gave up holding 3 strings\"((\"ok\" . 2))",
    );
}

#[test]
fn foreign_objects_keep_values_across_calls_in_roots() {
    check(
        &with_lib(
            "(define m (make-memo))
             (memo-keep! m \"one\") (churn 300) (memo-keep! m \"two\") (churn 300)
             (write (memo-all m))",
        ),
        "(\"one\" \"two\")",
    );
}

/// A `Traced` value its object's `trace` does not mark is collected:
/// reading it gives `#f` (`None`), not a freed object.
#[test]
fn an_unmarked_traced_value_is_gone_not_dangling() {
    check(
        &with_lib(
            "(define f (make-forgetful \"lost\"))
             (churn 300) (collect) (churn 300)
             (write (forgetful-value f))",
        ),
        "#f",
    );
}

#[test]
fn borrowed_bytes_cannot_change_under_rust() {
    check(
        &with_lib(
            "(define b (bytevector 1 2 3))
             (write (guard (e (#t (list (condition-who e) (error-object-message e))))
                      (bytes-with b (lambda () (bytevector-u8-set! b 0 99)))))
             (write (bytes-with b (lambda () (bytevector-copy! (make-bytevector 3 0) 0 b))))
             (write b)
             (define c (bytevector 10 20 30))
             (bytes-increment! c b) (write c)
             (write (guard (e (#t (list (condition-who e) (error-object-message e)))) (bytes-increment! c c)))",
        ),
        "(\"bytevector-u8-set!\" \"argument 1 (bytevector): already borrowed\")(1 2 3)#u8(1 2 3)#u8(11 22 33)(\"bytes-increment!\" \"argument 2 (other): already borrowed\")",
    );
}

#[test]
fn panics_in_conversions_are_scheme_errors() {
    check(
        &with_lib(
            "(define (try thunk) (guard (e (#t (list (condition-who e) (error-object-message e)))) (thunk)))
             (write (try (lambda () (touch 5))))
             (write (try (lambda () (touch \"x\"))))
             (write (try (lambda () (explode))))",
        ),
        "(\"touch\" \"panicked: touchy fast conversion refused 5\")1(\"explode\" \"panicked: explosive result\")",
    );
}

#[test]
fn a_panicking_trace_is_reported() {
    let o = run_with_env(
        &with_lib("(define t (make-bad-tracer)) (churn 2000) (collect) (display \"ok\")"),
        &[],
    );
    assert_eq!(stdout(&o), "ok", "stderr: {}", stderr(&o));
    assert!(
        stderr(&o).contains("warning: tracing a `bad-tracer` object panicked"),
        "stderr: {}",
        stderr(&o)
    );
}

#[test]
fn roots_dropped_by_collected_objects() {
    check(
        &with_lib(
            "(define kept (make-root-holder (list 1 2)))
             (define (loop i) (if (< i 300) (begin (make-root-holder (make-string 10 #\\r)) (churn 20) (loop (+ i 1)))))
             (loop 0) (collect) (loop 0)
             (write (root-holder-value kept))",
        ),
        "(1 2)",
    );
}

#[test]
fn safe_readers_hold_what_they_return() {
    check(
        &with_lib("(write (reverse-pairs (list (cons 1 \"a\") (cons (list 2) 3))))"),
        "((\"a\" . 1) (3 2))",
    );
}

#[test]
fn map_over_several_lists_survives_the_procedure_cutting_one() {
    // The runtime's own multi-list `map`/`for-each` (issue 14, case 7).
    check(
        "(define first #t)
         (define (churn n) (if (> n 0) (begin (make-vector 100 n) (churn (- n 1)))))
         (define l2 (list 10 20 30 40 50))
         (define r (map (lambda (a b)
                          (if first (begin (set! first #f) (set-cdr! (cdr l2) '()) (churn 300)))
                          (cons a b))
                        (list 1 2 3 4 5) l2))
         (write r)",
        "((1 . 10) (2 . 20))",
    );
}

/// Sizes that would wrap the allocator's arithmetic are a catchable
/// "heap" error, never a write past the heap.
#[test]
fn absurd_allocation_sizes_are_errors() {
    for which in 0..3 {
        check_runtime_error(
            &with_lib(&format!("(absurd-vector {which})")),
            "",
            "larger than any heap",
        );
    }
    check_runtime_error(&with_lib("(absurd-bytevector)"), "", "larger than any heap");
    check(
        &with_lib(
            "(display (guard (e (#t 'caught)) (absurd-vector 0))) (display (vector-length (make-vector 3 0)))",
        ),
        "caught3",
    );
}
