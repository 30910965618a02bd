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
        .map(|l| match (l.find('/'), l.find("test.scm:")) {
            (Some(j), Some(i)) if j < i => format!("{}{}\n", &l[..j], &l[i..]),
            _ => format!("{l}\n"),
        })
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
        "error: no rule of macro `swap!` matches this use
 --> test.scm:5:1
  |
1 | (define-syntax swap!
  |                ----- `swap!` is defined here
...
5 | (swap! x)
  | ^^^^^^^^^
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
        "error: `if` takes a test, a consequent and an optional alternative
 --> test.scm:4:10
  |
1 | (define-syntax bad-if
  |                ------ in expansion of `bad-if`, defined here
...
4 | (display (bad-if #t))
  |          ^^^^^^^^^^^
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
        "error: no rule of macro `inner` matches this use
 --> test.scm:7:1
  |
1 | (define-syntax inner
  |                ----- `inner` is defined here
...
4 | (define-syntax outer
  |                ----- in expansion of `outer`, defined here
...
7 | (outer 1)
  | ^^^^^^^^^
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
        "error: `car` expects 1 argument, got 0; its signature is (car pair)
 --> test.scm:5:20
  |
5 | (display (my-or #f (car)))
  |                    ^^^^^
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
        "error: unbound variable `no-such-procedure`
 --> test.scm:3:1
  |
1 | (define-syntax call-missing
  |                ------------ in expansion of `call-missing`, defined here
2 |   (syntax-rules () ((_) (no-such-procedure 1))))
3 | (call-missing)
  | ^^^^^^^^^^^^^^
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
        "error: macro expansion nested more than 10000 deep in `forever`; does it expand into itself forever?
 --> test.scm:4:1
  |
1 | (define-syntax forever
  |                ------- `forever` is defined here
...
4 | (forever)
  | ^^^^^^^^^
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
        "error: in expansion of `too-few`: pattern variable `a` is used with too few ellipses in the template
 --> test.scm:2:1
  |
1 | (define-syntax too-few (syntax-rules () ((_ a ...) (list a))))
  |                ------- `too-few` is defined here
2 | (too-few 1 2)
  | ^^^^^^^^^^^^^
error: a `syntax-rules` pattern must be a list starting with the keyword or `_`
 --> test.scm:3:44
  |
3 | (define-syntax bad-rules (syntax-rules () (x y)))
  |                                            ^
error: pattern variable `a` appears twice
 --> test.scm:4:43
  |
4 | (define-syntax dup (syntax-rules () ((_ a a) 1)))
  |                                           ^
error: expected a `syntax-rules` transformer: `(syntax-rules (literal ...) (pattern template) ...)`
 --> test.scm:5:26
  |
5 | (define-syntax not-rules (lambda (x) x))
  |                          ^^^^^^^^^^^^^^
error: `too-few` is a macro, not a variable
 --> test.scm:6:10
  |
6 | (display too-few)
  |          ^^^^^^^
error: expected a `syntax-rules` transformer: `(syntax-rules (literal ...) (pattern template) ...)`
 --> test.scm:7:17
  |
7 | (let-syntax ((m 5)) 1)
  |                 ^
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
