//! Runtime and compile errors: message, position, exit status.
mod common;
use common::{check, check_compile_error, check_runtime_error, run, stderr};

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
        "+: argument 2 (numbers): expected number, got \"a\"",
    );
    check_runtime_error(
        "(< 'x 1)",
        "",
        "<: argument 1 (first): expected number, got x",
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
    // Leaves (procedures that make no call returning to them) skip the
    // check: recursion through them is still caught, in a non-leaf.
    check_runtime_error(
        "(define (inc x) (if (pair? x) (car x) (+ x 1))) \
         (define (down n) (inc (down (inc n)))) (down 0)",
        "",
        "stack overflow",
    );
    check_runtime_error(
        "(define (a n) (if (< n 0) n (b (+ n 1)))) \
         (define (b n) (+ 1 (a n))) (a 0)",
        "",
        "stack overflow",
    );
}

#[test]
fn use_before_definition() {
    check_runtime_error(
        "(display y) (define y 1)",
        "",
        "y: variable used before its definition",
    );
}

/// Calls of a procedure `define`d at top level skip the "defined yet?"
/// check only where its definition has surely run (codegen's
/// `definition_order`): from itself and from forms after it, not from
/// procedures defined before it.
#[test]
fn known_procedure_used_before_its_definition() {
    let src = "(define (early) (late 1))
               (define (self-calls n) (if (= n 0) 'done (self-calls (- n 1))))
               (display (self-calls 3))
               (display (early))
               (define (late x) x)";
    check_runtime_error(src, "done", "late: variable used before its definition");
    let after = "(define (early) (late 1))
                 (define (late x) (+ x 1))
                 (define (user) (late (early)))
                 (display (list (early) (user)))";
    common::check(after, "(2 3)");
}

/// References to a global skip the check where its definition has surely
/// run; a form whose value is computed by code that reaches the global
/// (a procedure made before it, or a lambda in the form itself) still
/// checks.
#[test]
fn global_used_before_its_definition() {
    let before = "(define (f) g) (define h (lambda () (f))) (define x (h)) (define g 1)";
    check_runtime_error(before, "", "g: variable used before its definition");
    let own_form = "(define v (vector 1 2))
                    (define (f) (vector-ref v 1))
                    (display (f))
                    (define g (let ((k (lambda () g))) (k)))";
    check_runtime_error(own_form, "2", "g: variable used before its definition");
    let after = "(define g (list 1 2)) (define (f) (car g)) (display (f))";
    common::check(after, "1");
    // Definitions of procedures run no code: `g` is defined by the time
    // anything calls `f`, though its definition comes later.
    let later = "(define (f) (g)) (define (g) 1) (display (f))";
    common::check(later, "1");
    let called_between = "(define (f) (g)) (define x (f)) (define (g) 1)";
    check_runtime_error(called_between, "", "g: variable used before its definition");
}

#[test]
fn inline_tests_report_their_own_position() {
    // A primitive compiled as an `if` test (a comparison, `odd?`) reports
    // an error at its own call, not at the call around it.
    let compare = "(define (f x) (if (< x 1) 1 2))\n(display (f \"a\"))";
    check_runtime_error(compare, "", "test.scm:1:19: error: <: argument 1");
    let odd = "(define (f x) (if (odd? x) 1 2))\n(display (f 1.5))";
    check_runtime_error(odd, "", "test.scm:1:19: error: odd?: expected integer");
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
    check_compile_error("(display 1.2.3)", "1:10", "`1.2.3` is not a valid number");
    check_compile_error("(display #x1g)", "1:10", "`#x1g` is not a valid number");
    check_compile_error("(display 1/0)", "1:10", "`1/0` is not a valid number");
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
    let err = common::located(&common::stderr(&o));
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
        "+: argument 3 (numbers): expected number, got \"a\"",
    );
    check_runtime_error(
        "(* 2 3 'x 4)",
        "",
        "*: argument 3 (numbers): expected number, got x",
    );
}

#[test]
fn malformed_numbers_do_not_hide_other_errors() {
    let o = run("(display 1.2.3)\n(display #e+inf.0)\n(car 1 2)\n");
    let err = common::located(&stderr(&o));
    assert!(
        err.contains("test.scm:1:10: error: `1.2.3` is not a valid number"),
        "{err}"
    );
    assert!(
        err.contains("test.scm:2:10: error: `#e+inf.0` is not a valid number"),
        "{err}"
    );
    assert!(
        err.contains("test.scm:3:1: error: `car` expects 1 argument, got 2"),
        "{err}"
    );
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn wrong_number_of_values() {
    check_runtime_error(
        "(display 1) (let-values (((a b) (values 1 2 3))) a)",
        "1",
        "let-values: wrong number of arguments: got 3 arguments",
    );
    check_runtime_error(
        "(define-values (a b) (values 1))",
        "",
        "define-values: wrong number of arguments: got 1 argument",
    );
}

#[test]
fn errors_inside_fused_flonum_trees_name_the_right_operation() {
    check_runtime_error(
        "(define a 1.5) (define v (vector 1.0)) (display (+ (* a (vector-ref v 3)) a))",
        "",
        "vector-ref: index 3 out of range for #(1.0)",
    );
    check_runtime_error(
        "(define a 1.5) (define s 'x) (display (+ (* a s) a))",
        "",
        "*: argument 2 (numbers): expected number, got x",
    );
}

#[test]
fn guard_catches_every_kind_of_runtime_error() {
    // Each error is a condition: `error-object?`, with its kind, the
    // procedure that raised it, and for type errors the argument.
    check(
        "(define (kind thunk)
           (guard (e ((error-object? e) (list (condition-kind e) (condition-who e))))
             (thunk)))
         (define (f x) x)
         (define v (vector 1 2))
         (for-each (lambda (t) (write (kind t)) (newline))
           (list (lambda () (car 5))
                 (lambda () (vector-ref v 10))
                 (lambda () (+ 1 \"a\"))
                 (lambda () (quotient 1 0))
                 (lambda () ((car (list 5)) 1))
                 (lambda () (f 1 2))
                 (lambda () (apply + 1 2))
                 (lambda () (open-input-file \"/nonexistent/file\"))
                 (lambda () (error \"mine\" 1 2))
                 (lambda () (string-ref \"abc\" 5))
                 (lambda () (exact->inexact 'x))
                 (lambda () (call/cc 5))))
         (write (guard (e (#t (list (condition-argument e) (condition-expected e) (error-object-irritants e))))
                  (vector-set! v 'x 0)))",
        "(type \"car\")\n(range \"vector-ref\")\n(type \"+\")\n(divide-by-zero \"quotient\")\n(not-procedure #f)\n(arity \"f\")\n(type \"apply\")\n(file \"open-input-file\")\n(error #f)\n(range \"string-ref\")\n(type \"exact->inexact\")\n(type \"call/cc\")\n(2 \"non-negative integer\" (x))",
    );
}

#[test]
fn running_out_of_heap_is_a_condition() {
    // Over the limit: raised (kind `heap`), caught, and the program goes
    // on; a second time too. Each try is its own top-level form: the stack
    // is scanned conservatively, and a stale word left in a frame of the
    // expression that made the first try (found when `list` was compiled
    // inline) kept its 64 MB list alive, so the second try found the
    // limit's grace period not over and ended the program.
    let o = common::run_with_env(
        "(define (build n acc) (if (= n 0) acc (build (- n 1) (cons n acc))))
         (define (try) (guard (e ((eq? (condition-kind e) 'heap) 'caught)) (length (build 100000000 '()))))
         (define first (try))
         (define between (length (build 1000 '())))
         (write (list first between (try)))",
        &[("SCHEME_HEAP_LIMIT", "64M")],
    );
    assert_eq!(
        (common::stdout(&o).as_str(), o.status.code()),
        ("(caught 1000 caught)", Some(0)),
        "stderr: {}",
        common::stderr(&o)
    );
}

#[test]
fn uncaught_errors_say_where_with_a_backtrace() {
    let o = run("(define (f x)\n  (+ 1 (car x)))\n(define (g y)\n  (* 2 (f y)))\n(g 5)\n");
    assert_eq!(o.status.code(), Some(1));
    let err = common::located(&stderr(&o));
    let lines: Vec<&str> = err.lines().collect();
    assert!(
        lines[0].ends_with("test.scm:2:8: error: car: argument 1 (pair): expected pair, got 5"),
        "{err}"
    );
    // The line, with the expression the error is in underlined.
    assert_eq!(
        lines[1..4],
        ["  |", "2 |   (+ 1 (car x)))", "  |        ^^^^^^^"]
    );
    assert_eq!(
        lines[4],
        "backtrace, most recent call first (tail calls leave no frame):"
    );
    assert!(
        lines[5].starts_with("  f at ") && lines[5].ends_with("test.scm:2:8"),
        "{err}"
    );
    assert!(
        lines[6].starts_with("  g at ") && lines[6].ends_with("test.scm:4:8"),
        "{err}"
    );
    assert!(
        lines[7].starts_with("  top level at ") && lines[7].ends_with("test.scm:5:1"),
        "{err}"
    );
    // Recursion shows once per call site, with a count.
    let o = run("(define (h x) (x 3))\n(define (loop n) (if (= n 0) (h 5) (+ 1 (loop (- n 1)))))\n(loop 30)\n");
    let err = common::located(&stderr(&o));
    assert!(
        err.lines()
            .next()
            .unwrap_or("")
            .ends_with("test.scm:1:15: error: attempt to call a non-procedure: 5"),
        "{err}"
    );
    assert!(
        err.contains("  loop at ") && err.contains("test.scm:2:41 (30 times)"),
        "{err}"
    );
}

#[test]
fn unbound_names_suggest_a_close_name_in_scope() {
    check_compile_error(
        "(display (squar 3))",
        "1:11",
        "unbound variable `squar`; did you mean `square`?",
    );
    check_compile_error(
        "(define (f items) (lenght itms))",
        "1:20",
        "unbound variable `lenght`; did you mean `length`?",
    );
    check_compile_error(
        "(define (f items) (length itms))",
        "1:27",
        "unbound variable `itms`; did you mean `items`?",
    );
    check_compile_error(
        "(define counter 0) (set! countr 1)",
        "1:26",
        "unbound variable `countr`; did you mean `counter`?",
    );
    // Nothing close: no suggestion.
    let o = run("(display (zzzqqq 1))");
    assert!(
        common::located(&stderr(&o)).contains("test.scm:1:11: error: unbound variable `zzzqqq`\n"),
        "stderr: {}",
        stderr(&o)
    );
}

#[test]
fn inlined_procedures_keep_their_frames_in_backtraces() {
    // `f`, `g` and `h` are small: the compiler inlines them into their
    // callers, and each call site in inlined code names the chain of
    // procedures it stands for. The report is the same as without
    // inlining, except that an inlined tail call (`h` calling `g`)
    // shows a frame where a real one leaves none.
    let src = "(define (f x)\n  (+ 1 (car x)))\n(define (g y)\n  (* 2 (f y)))\n\
               (define (h z)\n  (g z))\n(define (k w)\n  (list (h w)))\n(k 5)\n";
    let inlined = common::located(&stderr(&run(src)));
    let called = common::located(&stderr(&common::run_with_env(
        src,
        &[("SCHEMEC_NO_INLINE", "1")],
    )));
    let trace = |err: &str| -> Vec<String> {
        err.lines()
            .skip_while(|l| !l.starts_with("backtrace"))
            .skip(1)
            .map(|l| {
                l.trim()
                    .split(" at ")
                    .map(|s| s.rsplit('/').next().unwrap())
                    .collect::<Vec<_>>()
                    .join(" at ")
            })
            .collect()
    };
    assert_eq!(
        trace(&called),
        [
            "f at test.scm:2:8",
            "g at test.scm:4:8",
            "k at test.scm:8:9",
            "top level at test.scm:9:1"
        ],
        "{called}"
    );
    assert_eq!(
        trace(&inlined),
        [
            "f at test.scm:2:8",
            "g at test.scm:4:8",
            "h at test.scm:6:3",
            "k at test.scm:8:9",
            "top level at test.scm:9:1"
        ],
        "{inlined}"
    );
    // The error itself is reported at the same place.
    assert_eq!(inlined.lines().next(), called.lines().next());
}

#[test]
fn errors_from_the_shared_arithmetic_paths_are_located() {
    // A flonum/non-number mix goes through the program's shared path for
    // `+`, which calls the runtime: the error has the position of the
    // `+`, and the backtrace shows the program's procedures only.
    let src = "(define (f x) (+ x 1))
(define (g y) (* 2 (f y)))
(display (g 2.5))
(g \"a\")";
    check_runtime_error(
        src,
        "7.0",
        "test.scm:1:15: error: +: argument 1 (numbers): expected number, got \"a\"",
    );
    let err = common::located(&stderr(&run(src)));
    let trace: Vec<&str> = err
        .lines()
        .skip_while(|l| !l.starts_with("backtrace"))
        .skip(1)
        .collect();
    assert_eq!(trace.len(), 3, "{err}");
    for (line, (name, at)) in trace.iter().zip([
        ("f", "test.scm:1:15"),
        ("g", "test.scm:2:20"),
        ("top level", "test.scm:4:1"),
    ]) {
        assert!(
            line.starts_with(&format!("  {name} at ")) && line.ends_with(at),
            "{err}"
        );
    }
    // Comparisons and division too, in value and test positions.
    check(
        "(display (list (< 1 2.5) (= 2 2.0) (> 2.5 3) (if (< 1.5 2) 'yes 'no) (/ 1 4.0) (- 2.5 1) (* 3 0.5)))
         (display (guard (e ((error-object? e) (error-object-message e))) (< 1.5 'x)))",
        "(#t #t #f yes 0.25 1.5 1.5)argument 2 (rest): expected number, got x",
    );
}
