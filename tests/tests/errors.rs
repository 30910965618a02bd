//! Runtime and compile errors: message, position, exit status.
mod common;
use common::{check_compile_error, check_runtime_error};

#[test]
fn wrong_typed_primitive_arguments() {
    check_runtime_error(
        "(display 1) (car 5)",
        "1",
        "car: argument 1 (pair): expected pair, got 5",
    );
    check_runtime_error(
        "(cdr '())",
        "",
        "cdr: argument 1 (pair): expected pair, got ()",
    );
    check_runtime_error(
        "(+ 1 \"a\")",
        "",
        "+: argument 2 (numbers): expected integer, got \"a\"",
    );
    check_runtime_error(
        "(< 'x 1)",
        "",
        "<: argument 1 (first): expected integer, got x",
    );
    check_runtime_error(
        "(define v (vector 1 2)) (vector-ref v 99)",
        "",
        "vector-ref: index 99 out of range for #(1 2)",
    );
    check_runtime_error(
        "(vector-set! (vector) -1 0)",
        "",
        "vector-set!: argument 2 (k): expected non-negative integer, got -1",
    );
    check_runtime_error(
        "(string-ref \"abc\" 3)",
        "",
        "string-ref: index 3 out of range for \"abc\"",
    );
    check_runtime_error(
        "(symbol->string \"s\")",
        "",
        "symbol->string: argument 1 (symbol): expected symbol, got \"s\"",
    );
    check_runtime_error(
        "(length '(1 . 2))",
        "",
        "length: argument 1 (list): expected list, got (1 . 2)",
    );
    check_runtime_error("(quotient 1 0)", "", "quotient: division by zero");
    check_runtime_error(
        "(apply + 1 2)",
        "",
        "apply: expected a proper list as its last argument, got 2",
    );
    check_runtime_error(
        "(map car 5)",
        "",
        "map: argument 2 (list): expected list, got 5",
    );
}

#[test]
fn calling_with_the_wrong_number_of_arguments() {
    check_runtime_error(
        "(define (f x) x) (display \"a\") (f 1 2)",
        "a",
        "f: wrong number of arguments: got 2 arguments",
    );
    check_runtime_error(
        "(define (f x y . z) x) (f 1)",
        "",
        "f: wrong number of arguments: got 1 argument",
    );
    check_runtime_error(
        "(define g car) (g 1 2)",
        "",
        "car: expected 1 argument, got 2",
    );
}

#[test]
fn calling_a_non_procedure() {
    check_runtime_error(
        "(define x 5) (x 3)",
        "",
        "attempt to call a non-procedure: 5",
    );
}

#[test]
fn error_and_exit() {
    check_runtime_error(
        "(display \"before\") (error \"bad thing:\" 42 '(a \"b\"))",
        "before",
        "bad thing: 42 (a \"b\")",
    );
    let o = common::run("(display \"out\") (exit 3) (display \"never\")");
    assert_eq!(
        (common::stdout(&o).as_str(), o.status.code()),
        ("out", Some(3))
    );
    let o = common::run("(exit)");
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn output_is_flushed_before_an_error() {
    let src = "(define (loop i) (when (< i 20000) (display i) (newline) (loop (+ i 1)))) (loop 0) (car '())";
    let o = common::run(src);
    assert_eq!(common::stdout(&o).lines().count(), 20000);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn runaway_recursion_is_a_stack_overflow_error() {
    check_runtime_error("(define (f n) (+ 1 (f n))) (f 1)", "", "stack overflow");
}

#[test]
fn use_before_definition() {
    check_runtime_error(
        "(display y) (define y 1)",
        "",
        "y: variable used before its definition",
    );
}

#[test]
fn compile_errors_point_at_the_source() {
    check_compile_error(
        "(display 1)\n(display (foo 1))",
        "2:11",
        "unbound variable `foo`",
    );
    check_compile_error(
        "(define (f x)\n  (display x)",
        "1:1",
        "unbalanced parenthesis",
    );
    check_compile_error("(display 1))", "1:12", "unexpected `)`");
    check_compile_error("(let ((x)) x)", "1:7", "malformed `let` binding");
    check_compile_error("(let ((x 1)))", "1:1", "`let` has an empty body");
    check_compile_error("(if)", "1:1", "`if` takes a test");
    check_compile_error("(lambda)", "1:1", "`lambda` needs parameters and a body");
    check_compile_error("(lambda (x x) x)", "1:12", "parameter `x` appears twice");
    check_compile_error(
        "(car 1 2)",
        "1:1",
        "`car` expects 1 argument, got 2; its signature is (car pair)",
    );
    check_compile_error("(substring \"abc\")", "1:1", "`substring` expects 2 to 3 arguments, got 1; its signature is (substring string start [end])");
    check_compile_error(
        "(set! undefined-thing 1)",
        "1:7",
        "unbound variable `undefined-thing`",
    );
    check_compile_error("(display \"abc)", "1:10", "unterminated string");
    check_compile_error("(display #\\bogus)", "1:10", "unknown character name");
    check_compile_error("(display 1.5)", "1:10", "not a supported number");
    check_compile_error("(quote)", "1:1", "`quote` takes exactly one datum");
    check_compile_error("(define)", "1:1", "`define` needs a name");
    check_compile_error("(display (define x 1))", "1:10", "`define` is only allowed");
    check_compile_error("(cond (else 1) (#t 2))", "1:16", "`else` must be the last");
    check_compile_error("(f . x)", "1:1", "a dotted list is not an expression");
    check_compile_error("()", "1:1", "empty combination");
    check_compile_error(",x", "1:1", "`unquote` outside of a quasiquote");
}

/// Inputs found by fuzzing that made the compiler panic.
#[test]
fn fuzzed_inputs_are_compile_errors() {
    check_compile_error("(display 1)\n  #λ", "2:3", "unknown syntax `#λ`");
    check_compile_error("(define (f) (begin))", "1:13", "invalid syntax `(begin)`");
    check_compile_error("((lambda () (begin)))", "1:13", "invalid syntax `(begin)`");
    check_compile_error(
        "(display (if #f #f (begin)))",
        "1:20",
        "invalid syntax `(begin)`",
    );
}

#[test]
fn every_compile_error_is_reported() {
    let o = common::run("(display (foo))\n(display (bar))");
    let err = common::stderr(&o);
    assert!(
        err.contains(":1:11: error: unbound variable `foo`")
            && err.contains(":2:11: error: unbound variable `bar`"),
        "{err}"
    );
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn n_ary_arithmetic_names_the_right_argument() {
    check_runtime_error(
        "(+ 1 2 \"a\")",
        "",
        "+: argument 3 (numbers): expected integer, got \"a\"",
    );
    check_runtime_error(
        "(* 2 3 'x 4)",
        "",
        "*: argument 3 (numbers): expected integer, got x",
    );
}
