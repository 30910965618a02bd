//! Special forms, procedures and proper tail calls.
mod common;
use common::{check, check_without_stress};

#[test]
fn define_forms() {
    check(
        "(define x 1) (define (f a) (+ a x)) (define (g . r) r) (define ((adder n) m) (+ n m))
         (define (h a b . c) (list a b c))
         (write (list (f 1) (g) (g 1 2) ((adder 3) 4) (h 1 2) (h 1 2 3 4)))",
        "(2 () (1 2) 7 (1 2 ()) (1 2 (3 4)))",
    );
    check(
        "(define (f n) (define a 10) (define (g) (* a n)) (g)) (write (f 4))
         (define (p) (define x 1) (set! x (+ x 1)) (define y (* x 10)) y) (write (p))",
        "4020",
    );
}

#[test]
fn lambda_parameter_shapes() {
    check(
        "(write (list ((lambda (a b) (- a b)) 5 3) ((lambda args args) 1 2) ((lambda (a . r) (cons a r)) 1 2 3) ((lambda args args))))",
        "(2 (1 2) (1 2 3) ())",
    );
}

#[test]
fn conditionals() {
    check(
        "(write (list (if #f 1 2) (if '() 'yes 'no) (cond ((assv 2 '((1 . a) (2 . b))) => cdr) (else 'none))
                      (cond (#f 1) ((+ 1 1)) (else 3)) (cond (#f 1) (else 2 3))
                      (case (* 2 3) ((2 3 5 7) 'prime) ((1 4 6 8 9) 'composite) (else 'other))
                      (case 'x ((a) 1) (else 'dflt)) (case #\\a ((#\\a) 'char))
                      (and 1 2) (and) (and 1 #f 3) (or #f 2) (or) (or #f #f)))",
        "(2 yes b 2 3 composite dflt char 2 #t #f 2 #f #f)",
    );
    check("(when (> 1 0) (display 'a) (display 'b)) (unless (> 1 0) (display 'c)) (unless #f (display 'd))", "abd");
}

#[test]
fn binding_forms() {
    check(
        "(define x 'outer)
         (write (list (let ((x 1) (y 2)) (+ x y)) (let* ((a 1) (b (+ a 1))) (* a b)) (let ((x 5) (y x)) y)
                      (letrec ((ev? (lambda (n) (if (= n 0) #t (od? (- n 1))))) (od? (lambda (n) (if (= n 0) #f (ev? (- n 1)))))) (ev? 10))
                      (letrec* ((a 1) (b (+ a 1))) (list a b))
                      (let loop ((i 0) (acc '())) (if (= i 3) acc (loop (+ i 1) (cons i acc))))
                      (do ((i 0 (+ i 1)) (s 0 (+ s i))) ((= i 5) s))
                      (let () 7)))",
        "(3 2 outer #t (1 2) (2 1 0) 10 7)",
    );
    check("(let ((v (make-vector 3))) (do ((i 0 (+ i 1))) ((= i 3)) (vector-set! v i (* i i))) (write v))", "#(0 1 4)");
}

#[test]
fn assignment_and_closures() {
    check(
        "(define (counter) (let ((n 0)) (lambda () (set! n (+ n 1)) n)))
         (define c1 (counter)) (define c2 (counter)) (c1) (c1) (c2)
         (define g 1) (set! g (+ g 1))
         (write (list (c1) (c2) g (begin 1 2 3)))",
        "(3 2 2 3)",
    );
    check(
        "(define procs (let loop ((i 0) (acc '())) (if (= i 3) acc (loop (+ i 1) (cons (lambda () i) acc)))))
         (write (map (lambda (p) (p)) procs))",
        "(2 1 0)",
    );
}

#[test]
fn quasiquote() {
    check(
        "(define x 5) (define xs '(1 2))
         (write (list `(a ,x ,@xs b) `(1 . ,x) `#(v ,x ,@xs) `(nested `(q ,(u ,x))) `,x `(,@xs . tail)))",
        "((a 5 1 2 b) (1 . 5) #(v 5 1 2) (nested (quasiquote (q (unquote (u 5))))) 5 (1 2 . tail))",
    );
}

/// `,@` outside a list (fuzzing found a depth underflow here): Chez keeps
/// it as an ordinary list whose element is still a template.
#[test]
fn unquote_splicing_outside_a_list() {
    check(
        "(define x 5) (define xs '(1 2))
         (write (list `,@,x `,@x `,@(a ,x) `,@,@xs `,@`,,x))",
        "((unquote-splicing 5) (unquote-splicing x) (unquote-splicing (a 5)) (unquote-splicing 1 2) (unquote-splicing (quasiquote (unquote 5))))",
    );
}

/// An empty `(begin)` is spliced away at top level and in a body that has
/// other expressions.
#[test]
fn empty_begin_where_allowed() {
    check("(begin) (let () (begin) (display 1)) (begin (begin))", "1");
}

#[test]
fn builtins_are_first_class() {
    check(
        "(write (list (map car '((1) (2))) (map + '(1 2) '(10 20)) (apply + '(1 2 3)) (apply max 1 '(5 2))
                      (let ((f cons)) (f 1 2)) (map (lambda (x y z) (+ x y z)) '(1 2) '(3 4) '(5 6))))
         (for-each (lambda (x) (display x)) '(a b c))",
        "((1 2) (11 22) 6 5 (1 . 2) (9 12))abc",
    );
    check("(define (f . xs) (apply list 0 xs)) (write (f 1 2)) (write (apply apply (list + (list 1 2))))", "(0 1 2)3");
}

#[test]
fn special_form_names_can_be_shadowed() {
    check("(define (f list) (list 1)) (write (f (lambda (x) (+ x 1)))) (let ((if (lambda (a b c) 'mine))) (write (if 1 2 3)))", "2mine");
    check(
        "(define (list . xs) 'replaced) (write (list 1 2))",
        "replaced",
    );
}

/// 10 million iterations through each tail position: runs in constant
/// stack (a non-tail call per iteration would need gigabytes).
#[test]
fn tail_calls_in_every_tail_position() {
    let n = 10_000_000;
    let loops = [
        "(define (f i) (if (= i 0) 'done (f (- i 1))))",
        "(define (f i) (cond ((= i 0) 'done) (else (f (- i 1)))))",
        "(define (f i) (cond ((= i 0) 'done) ((f (- i 1)))))",
        "(define (f i) (case i ((0) 'done) (else (f (- i 1)))))",
        "(define (f i) (and #t (if (= i 0) 'done (f (- i 1)))))",
        "(define (f i) (or (and (= i 0) 'done) (f (- i 1))))",
        "(define (f i) (when #t (if (= i 0) 'done (f (- i 1)))))",
        "(define (f i) (unless #f (if (= i 0) 'done (f (- i 1)))))",
        "(define (f i) (let ((j (- i 1))) (if (< j 0) 'done (f j))))",
        "(define (f i) (let* ((j i)) (if (= j 0) 'done (f (- j 1)))))",
        "(define (f i) (letrec ((g (lambda () (if (= i 0) 'done (f (- i 1)))))) (g)))",
        "(define (f i) (begin 1 (if (= i 0) 'done (f (- i 1)))))",
        "(define (f i) (if (= i 0) 'done (apply f (list (- i 1)))))",
        "(define (f i) (let loop ((i i)) (if (= i 0) 'done (loop (- i 1)))))",
        "(define (f i) (do ((i i (- i 1))) ((= i 0) 'done)))",
        "(define (f i) (if (= i 0) 'done (g (- i 1)))) (define (g i) (f i))",
        "(define (f i . rest) (if (= i 0) 'done (f (- i 1) 1 2)))",
    ];
    // Millions of iterations that allocate: a collection at each would take
    // hours, so no stress run here.
    for def in loops {
        check_without_stress(&format!("{def} (display (f {n}))"), "done");
    }
}

#[test]
fn deep_non_tail_recursion() {
    // Under stress every collection would scan a million frames: no stress run.
    check_without_stress(
        "(define (build n) (if (= n 0) '() (cons n (build (- n 1)))))
         (define (len l) (if (null? l) 0 (+ 1 (len (cdr l)))))
         (display (len (build 1000000)))",
        "1000000",
    );
}
