//! `#[scheme_fn]` conversions seen from Scheme, through the test plugin.
mod common;
use common::{check, check_runtime_error, target_dir};

fn with_lib(src: &str) -> String {
    format!(
        "(load-library \"{}\")\n{src}",
        target_dir().join("libschemetest.so").display()
    )
}

#[test]
fn optional_rest_and_option_parameters() {
    check(
        &with_lib(
            "(write (list (greet \"Ann\") (greet \"Bob\" \"Hi\") (greet \"Cy\" \"Yo\" #\\?) (greet \"Di\" #f #\\.)
                          (sum-all 1) (sum-all 1 2 3 4) (maybe-double 21) (maybe-double #f)))",
        ),
        "(\"Hello, Ann!\" \"Hi, Bob!\" \"Yo, Cy?\" \"Hello, Di.\" 1 10 42 #f)",
    );
}

#[test]
fn strings_lists_symbols_and_callbacks() {
    check(
        &with_lib(
            "(define s (string-copy \"straße\")) (string-upcase! s) (write (list s (string-length s)))
             (write (list (total '(1 2 3)) (total #(250 5)) (choose #t #\\y #\\n) (choose #f #\\y #\\n) (symbol-length 'hello)))
             (write (call-each (lambda (x) (* x 10)) '(1 2 3)))
             (write (map greet '(\"A\" \"B\")))
             (write (big-square 1152921504606846975))",
        ),
        "(\"STRASSE\" 7)(6 255 #\\y #\\n 5)(10 20 30)(\"Hello, A!\" \"Hello, B!\")1329227995784915870597964051066650625",
    );
}

#[test]
fn conversion_errors_name_the_argument() {
    check_runtime_error(
        &with_lib("(total '(1 300))"),
        "",
        "total: argument 1 (numbers): expected (list-of integer from 0 to 255), got (1 300)",
    );
    check_runtime_error(
        &with_lib("(choose 1 #\\y #\\n)"),
        "",
        "choose: argument 1 (flag): expected boolean, got 1",
    );
    check_runtime_error(
        &with_lib("(greet \"A\" \"B\" \"C\")"),
        "",
        "greet: argument 3 (punct): expected char, got \"C\"",
    );
    check_runtime_error(
        &with_lib("(sum-all 1 2 'x)"),
        "",
        "sum-all: argument 3 (rest): expected 64-bit integer, got x",
    );
    check_runtime_error(
        &with_lib("(add 1 100000000000000000000)"),
        "",
        "add: argument 2 (b): expected 64-bit integer, got 100000000000000000000",
    );
    check_runtime_error(
        &with_lib("(define f greet) (f)"),
        "",
        "greet: expected 1 to 3 arguments, got 0",
    );
    check_runtime_error(
        &with_lib("(string-upcase! 'sym)"),
        "",
        "string-upcase!: argument 1 (s): expected string, got sym",
    );
}

#[test]
fn floats_and_the_numeric_tower() {
    // Expected values: Chez Scheme's for the same arithmetic
    // ((sqrt (+ (* 3 3) (* 4 4))) = 5.0, ...).
    check(
        &with_lib(
            "(write (list (hypot 3 4) (hypot 1.5 2) (hypot 1/2 0) (half-f32 3) (half-f32 0.5)
                          (number-kind 5) (number-kind (expt 10 30)) (number-kind 1/3) (number-kind 1.5)
                          (add-half 1/3) (add-half 1/2) (add-half 7)))",
        ),
        "(5.0 2.5 0.5 1.5 0.25 (0) (0) (1) (2) 5/6 1 15/2)",
    );
}

#[test]
fn float_conversion_errors_name_the_argument() {
    check_runtime_error(
        &with_lib("(hypot 1.0 \"x\")"),
        "",
        "hypot: argument 2 (b): expected real number, got \"x\"",
    );
    check_runtime_error(
        &with_lib("(half-f32 1e300)"),
        "",
        "half-f32: argument 1 (x): expected real number in the range of f32, got 1e300",
    );
    check_runtime_error(
        &with_lib("(add-half 0.5)"),
        "",
        "add-half: argument 1 (r): expected exact rational, got 0.5",
    );
    // Exact numbers beyond the type's range are refused, not infinite.
    check_runtime_error(
        &with_lib("(half-f32 (expt 10 40))"),
        "",
        "half-f32: argument 1 (x): expected real number in the range of f32, got 10000000000000000000000000000000000000000",
    );
    check_runtime_error(
        &with_lib("(hypot (expt 10 400) 0)"),
        "",
        "hypot: argument 1 (a): expected real number, got 1000000000000000000000",
    );
    check(
        &with_lib("(write (list (half-f32 +inf.0) (hypot -inf.0 0) (half-f32 3)))"),
        "(+inf.0 +inf.0 1.5)",
    );
}

#[test]
fn exceptions_cross_rust_frames() {
    // A raise inside a callback, handled in Scheme around the primitive;
    // in Rust (`try-call`); a jump out of a callback through a Rust frame
    // (whose destructor runs); a runtime error and `error` inside one.
    check(
        &with_lib(
            "(write (guard (e (#t (list 'scheme e))) (call-each (lambda (x) (if (= x 2) (raise 'two) x)) '(1 2 3))))
             (write (try-call (lambda () (raise 'boom))))
             (write (try-call (lambda () 7)))
             (write (error-object? (cadr (try-call (lambda () (car 5))))))
             (write (error-object-message (cadr (try-call (lambda () (error \"bad\" 1))))))
             (write (call/cc (lambda (k) (call-holding (lambda () (k 'escaped))))))
             (write (guards-dropped))
             (write (guard (e ((symbol? e) e)) (call-holding (lambda () (raise 'through)))))
             (write (guards-dropped))
             (write (guard (e ((file-error? e) (error-object-message e))) (open-missing \"x\")))
             (write (with-exception-handler (lambda (c) 10) (lambda () (+ 1 (raise-continuable 'c)))))
             (write (guard (e ((pair? e) e)) (lookup \"k\")))",
        ),
        "(scheme two)(caught boom)(ok 7)#t\"bad\"escaped1through2\"cannot open x\"11(\"no such key\" \"k\")",
    );
}

#[test]
fn uncaught_raise_in_a_callback_reports_it() {
    check_runtime_error(
        &with_lib("(call-each (lambda (x) (car x)) '(1))"),
        "",
        "car: argument 1 (pair): expected pair, got 1",
    );
    check_runtime_error(
        &with_lib("(call-holding (lambda () (raise 'oops)))"),
        "",
        "uncaught exception: oops",
    );
}

/// A continuation captured inside a callback cannot be re-entered after
/// the Rust call returned: a catchable error (README), never a crash.
#[test]
fn reentering_a_callback_continuation_is_a_catchable_error() {
    check(
        &with_lib(
            "(define k #f)
(define n 0)
(call-each (lambda (x) (call/cc (lambda (c) (set! k c))) (set! n (+ n 1)) x) '(1))
(display n)
(display (guard (e ((error-object? e) (error-object-message e))) (k 1) 'no-error))",
        ),
        "1cannot re-enter a continuation captured inside a Rust call (`Ctx::call`) that has returned",
    );
}
