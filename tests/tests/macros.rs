//! Macros (`define-syntax`, `let-syntax`, `letrec-syntax`, `syntax-rules`):
//! what the corpus (`tests/corpus/macros/`) cannot hold, and the rendered
//! diagnostics, compared whole.
mod common;
use common::{check, check_compile_error, check_runtime_error, run, stderr};

/// The rendered diagnostics of `src` (which must fail to compile), with
/// the scratch directory taken out of the file names.
#[track_caller]
fn diagnostics(src: &str) -> String {
    let o = run(src);
    assert_eq!(o.status.code(), Some(2), "status; stderr: {}", stderr(&o));
    stderr(&o)
        .lines()
        .map(|l| match l.find("test.scm:") {
            Some(i) if l.starts_with('/') => &l[i..],
            _ => l,
        })
        .map(|l| format!("{l}\n"))
        .collect()
}

#[test]
fn custom_ellipsis() {
    // Expected output from Guile 3.0.8 (Chez 9.5.8 has no custom ellipsis).
    check(
        "(define-syntax my-list
           (syntax-rules ::: ()
             ((_ (a b :::) :::) '((a ... b :::) :::))))
         (write (my-list (1 2 3) (4)))
         (define-syntax def-lister
           (syntax-rules ()
             ((_ name)
              (define-syntax name
                (syntax-rules ::: ()
                  ((_ x :::) (list 'x ::: '(... ...))))))))
         (def-lister lister)
         (write (lister a b))",
        "((1 ... 2 3) (4 ...))(a b ...)",
    );
}

#[test]
fn no_rule_matches() {
    assert_eq!(
        diagnostics(
            "(define-syntax swap!
  (syntax-rules ()
    ((_ a b) (let ((tmp a)) (set! a b) (set! b tmp)))))
(define x 1)
(swap! x)
"
        ),
        "test.scm:5:1: error: no rule of macro `swap!` matches this use
(swap! x)
^
test.scm:1:16: note: `swap!` is defined here
(define-syntax swap!
               ^
"
    );
}

#[test]
fn error_in_expanded_code() {
    assert_eq!(
        diagnostics(
            "(define-syntax bad-if
  (syntax-rules ()
    ((_ c) (if c))))
(display (bad-if #t))
"
        ),
        "test.scm:4:10: error: `if` takes a test, a consequent and an optional alternative
(display (bad-if #t))
         ^
test.scm:1:16: note: in expansion of `bad-if`, defined here
(define-syntax bad-if
               ^
"
    );
}

#[test]
fn error_in_nested_expansion() {
    assert_eq!(
        diagnostics(
            "(define-syntax inner
  (syntax-rules ()
    ((_ v w) 1)))
(define-syntax outer
  (syntax-rules ()
    ((_ v) (inner v))))
(outer 1)
"
        ),
        "test.scm:7:1: error: no rule of macro `inner` matches this use
(outer 1)
^
test.scm:1:16: note: `inner` is defined here
(define-syntax inner
               ^
test.scm:4:16: note: in expansion of `outer`, defined here
(define-syntax outer
               ^
"
    );
}

#[test]
fn error_in_a_macro_argument_points_at_the_argument() {
    assert_eq!(
        diagnostics(
            "(define-syntax my-or
  (syntax-rules ()
    ((_) #f)
    ((_ e r ...) (let ((t e)) (if t t (my-or r ...))))))
(display (my-or #f (car)))
"
        ),
        "test.scm:5:20: error: `car` expects 1 argument, got 0; its signature is (car pair)
(display (my-or #f (car)))
                   ^
"
    );
}

#[test]
fn unbound_name_in_a_template() {
    assert_eq!(
        diagnostics(
            "(define-syntax call-missing
  (syntax-rules () ((_) (no-such-procedure 1))))
(call-missing)
"
        ),
        "test.scm:3:1: error: unbound variable `no-such-procedure`
(call-missing)
^
test.scm:1:16: note: in expansion of `call-missing`, defined here
(define-syntax call-missing
               ^
"
    );
}

#[test]
fn runaway_expansion_stops() {
    let started = std::time::Instant::now();
    assert_eq!(
        diagnostics(
            "(define-syntax forever
  (syntax-rules ()
    ((_) (forever))))
(forever)
"
        ),
        "test.scm:4:1: error: macro expansion nested more than 10000 deep in `forever`; does it expand into itself forever?
(forever)
^
test.scm:1:16: note: `forever` is defined here
(define-syntax forever
               ^
"
    );
    // Inside an expression, a body, and growing at every step.
    for src in [
        "(display (let () (define-syntax loop (syntax-rules () ((_ x) (+ 1 (loop x))))) (loop 1)))",
        "(define (f) (define-syntax loop (syntax-rules () ((_) (loop)))) (loop))",
        "(define-syntax deeper (syntax-rules () ((_ x) (deeper (x))))) (deeper 1)",
        "(define-syntax grow (syntax-rules () ((_ x ...) (grow x ... x ...)))) (grow 1)",
        "(define-syntax fork (syntax-rules () ((_) (begin (fork) (fork))))) (fork)",
    ] {
        let d = diagnostics(src);
        assert!(
            d.contains("does it expand into itself forever?")
                || d.contains("does a macro grow its input at every step?"),
            "{src}: {d}"
        );
    }
    assert!(
        started.elapsed().as_secs() < 30,
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn malformed_macros() {
    assert_eq!(
        diagnostics(
            "(define-syntax too-few (syntax-rules () ((_ a ...) (list a))))
(too-few 1 2)
(define-syntax bad-rules (syntax-rules () (x y)))
(define-syntax dup (syntax-rules () ((_ a a) 1)))
(define-syntax not-rules (lambda (x) x))
(display too-few)
(let-syntax ((m 5)) 1)
"
        ),
        "test.scm:2:1: error: in expansion of `too-few`: pattern variable `a` is used with too few ellipses in the template
(too-few 1 2)
^
test.scm:1:16: note: `too-few` is defined here
(define-syntax too-few (syntax-rules () ((_ a ...) (list a))))
               ^
test.scm:3:44: error: a `syntax-rules` pattern must be a list starting with the keyword or `_`
(define-syntax bad-rules (syntax-rules () (x y)))
                                           ^
test.scm:4:43: error: pattern variable `a` appears twice
(define-syntax dup (syntax-rules () ((_ a a) 1)))
                                          ^
test.scm:5:26: error: expected a `syntax-rules` transformer: `(syntax-rules (literal ...) (pattern template) ...)`
(define-syntax not-rules (lambda (x) x))
                         ^
test.scm:6:10: error: `too-few` is a macro, not a variable
(display too-few)
         ^
test.scm:7:17: error: expected a `syntax-rules` transformer: `(syntax-rules (literal ...) (pattern template) ...)`
(let-syntax ((m 5)) 1)
                ^
"
    );
}

#[test]
fn macro_uses_in_many_positions() {
    check(
        "(define-syntax inc (syntax-rules () ((_ x) (+ x 1))))
         (define-syntax k (syntax-rules () ((_) 'k)))
         (define v (vector (inc 1) (k)))
         (write (list v `(,(inc 2) ,@(list (k))) (cond ((inc 0) => list))
                      (case (inc 3) ((4) (k)) (else 'no))
                      (let loop ((i (inc 0))) (if (< i 3) (loop (inc i)) i))
                      (do ((i 0 (inc i))) ((= i (inc 2)) i))))",
        "(#(2 k) (3 k) (1) k 3 3)",
    );
}

#[test]
fn introduced_names_are_plain_in_output() {
    // Procedure names and quoted symbols from templates carry no marks.
    check(
        "(define-syntax def-f (syntax-rules () ((_) (define (helper) 'helper))))
         (def-f)
         (define-syntax mk (syntax-rules () ((_) (lambda (x) x))))
         (define g (mk))
         (write (list 'x (string->symbol \"x\")))
         (display g)",
        "(x x)#<procedure g>",
    );
}

#[test]
fn case_lambda_without_a_matching_clause() {
    check_runtime_error(
        "(define f (case-lambda ((a) 1) ((a b c . d) 2))) (display (f 1 2 3)) (f 1 2)",
        "2",
        "case-lambda: no clause accepts this number of arguments: 2",
    );
}

#[test]
fn cond_expand() {
    // The and/or/not/else logic over features Guile 3.0.8 also has gave
    // the same output there; `schemec`, `x86-64` and `linux` are ours.
    check(
        "(cond-expand
           ((and r7rs (not no-such-feature)) (define which 'r7rs))
           (else (define which 'other)))
         (write which)
         (cond-expand ((or no-such-feature full-unicode) (write 'unicode)) (else (write 'no)))
         (cond-expand (no-such-feature (write 'bad)) (else (write 'else)))
         (write (cond-expand (ratios 'ratios) (else 'no-ratios)))
         (define (k)
           (cond-expand (exact-closed (define z 1)) (else (define z 2)))
           z)
         (write (k))
         (cond-expand ((and schemec x86-64 linux) (write 'here)))
         (cond-expand ((library (scheme base)) (write 'library)) (else (write 'no-library)))
         (cond-expand (no-such-feature (write 'nothing)))",
        "r7rsunicodeelseratios1herelibrary",
    );
}

/// `syntax-error` (R7RS 4.3.3): a macro reports a bad use at compile
/// time, at the use, with its message and the forms.
#[test]
fn syntax_error_reports_a_bad_use() {
    check_compile_error(
        r#"(define-syntax must-be-pair
  (syntax-rules ()
    ((_ (a . b)) (quote (a . b)))
    ((_ x) (syntax-error "must-be-pair: expected a pair, got" x))))
(display (must-be-pair (1 2)))
(display (must-be-pair 5))"#,
        "6:10",
        "must-be-pair: expected a pair, got 5",
    );
}

/// `cond-expand`'s `(library NAME)` holds for the standard libraries.
#[test]
fn cond_expand_knows_the_standard_libraries() {
    check(
        r#"(cond-expand ((library (scheme base)) (display "yes")) (else (display "no")))
(cond-expand ((library (scheme no-such)) (display "yes")) (else (display "no")))
(cond-expand ((and r7rs (library (scheme char))) (display "!")) (else (display "?")))"#,
        "yesno!",
    );
}
