//! Records, parameters and promises: errors, and what the corpus cannot
//! run under GC stress (tests/corpus/records has the rest).
mod common;
use common::{check, check_runtime_error, check_without_stress, run, stderr};

const POINT: &str =
    "(define-record-type point (make-point x y) point? (x point-x) (y point-y set-point-y!))\n";

#[test]
fn accessor_of_a_non_record_is_a_type_error_at_the_call() {
    let src = format!("{POINT}(display 1)\n(point-x 5)");
    check_runtime_error(&src, "1", "point-x: argument 1: expected point, got 5");
    let err = common::located(&stderr(&run(&src)));
    assert!(
        err.contains("test.scm:3:1: error: point-x"),
        "the error points at the call: {err}"
    );
}

#[test]
fn accessors_and_modifiers_check_the_record_type() {
    let other = "(define-record-type other (make-other a) other? (a other-a))\n";
    check_runtime_error(
        &format!("{POINT}{other}(point-y (make-other 1))"),
        "",
        "point-y: argument 1: expected point, got #[other 1]",
    );
    check_runtime_error(
        &format!("{POINT}(set-point-y! '(1 2) 3)"),
        "",
        "set-point-y!: argument 1: expected point, got (1 2)",
    );
    // First-class uses go through the same procedures.
    check_runtime_error(
        &format!("{POINT}(map point-x (list (make-point 1 2) \"s\"))"),
        "",
        "point-x: argument 1: expected point, got \"s\"",
    );
    // A type descriptor is not a record of its type.
    check_runtime_error(
        &format!("{POINT}(point-x point)"),
        "",
        "point-x: argument 1: expected point, got #<record type point>",
    );
}

#[test]
fn guard_catches_a_record_type_error() {
    check(
        &format!(
            "{POINT}(write (guard (e ((error-object? e) (list (error-object-message e) (error-object-irritants e))))
               (point-x 'nope)))"
        ),
        "(\"argument 1: expected point, got nope\" (nope))",
    );
}

#[test]
fn an_accessor_called_before_its_definition_ran() {
    check_runtime_error(
        &format!("(define (f p) (point-x p))\n(f 1)\n{POINT}"),
        "",
        "point-x: variable used before its definition",
    );
}

#[test]
fn define_record_type_syntax_errors() {
    common::check_compile_error(
        "(define-record-type point (make-point x z) point? (x point-x))",
        "1:41",
        "`z` is not a field of this record type",
    );
    common::check_compile_error(
        "(define-record-type point (make-point x) point? (x))",
        "1:49",
        "a record field is `(field accessor)` or `(field accessor modifier)`",
    );
    common::check_compile_error(
        "(display (define-record-type p (mk) p?))",
        "1:10",
        "`define-record-type` is only allowed",
    );
}

#[test]
fn records_from_a_macro_are_hygienic() {
    // The expansion's own names capture nothing of the user's.
    check(
        "(define-syntax def-box
           (syntax-rules () ((_ make get) (define-record-type box-type (make v) #f (v get)))))
         (def-box make-b b-v)
         (define (f list) (define-record-type t (mk record) t? (record t-record)) (t-record (mk list)))
         (write (list (b-v (make-b 1)) (f 2)))",
        "(1 2)",
    );
}

#[test]
fn a_ten_million_step_delay_force_chain_runs_in_constant_space() {
    check_without_stress(
        "(define (loop n) (if (= n 0) (delay 'bottom) (delay-force (loop (- n 1)))))
         (display (force (loop 10000000)))",
        "bottom",
    );
}

#[test]
fn parameterize_of_a_non_parameter_is_an_error() {
    check_runtime_error(
        "(parameterize ((car 1)) 'x)",
        "",
        "parameterize: not a parameter:",
    );
}
