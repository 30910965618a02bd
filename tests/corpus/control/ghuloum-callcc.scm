;; The continuation section of Abdulaziz Ghuloum's test suite for "An
;; Incremental Approach to Compiler Construction" (tests for `call/cc`),
;; in standard Scheme (its fx+, fx*, fxzero? and fxsub1 written + * zero? and (- n 1)),
;; each result written on a line of its own.
(define (show x) (write x) (newline))

(show (call/cc (lambda (k) 12)))
(show (call/cc (lambda (k) (k 12))))
(show (call/cc (lambda (k) (+ 1 (k 12)))))
(show (+ (call/cc (lambda (k) (k 12)))
         (call/cc (lambda (k) 13))))
;; Escaping from a recursion through a continuation passed along.
(show (letrec ((fact (lambda (n k)
                       (cond ((zero? n) (k 1))
                             (else (* n (fact (- n 1) k)))))))
        (call/cc (lambda (k) (fact 5 k)))))
;; The same continuation, closed over.
(show (call/cc
       (lambda (k)
         (letrec ((fact (lambda (n)
                          (cond ((zero? n) (k 1))
                                (else (* n (fact (- n 1))))))))
           (fact 5)))))
;; Capturing at the bottom of a recursion and returning through it.
(show (let ((k #f))
        (letrec ((fact (lambda (n)
                         (cond ((zero? n)
                                (call/cc (lambda (nk) (set! k nk) (k 1))))
                               (else (* n (fact (- n 1))))))))
          (let ((v (fact 5)))
            v))))
;; Re-entering that recursion once more with the continuation saved.
(show (let ((k #f))
        (letrec ((fact (lambda (n)
                         (cond ((zero? n)
                                (call/cc (lambda (nk) (set! k nk) (k 1))))
                               (else (* n (fact (- n 1))))))))
          (let ((v (fact 5)))
            (let ((nk k))
              (set! k (lambda (x) (cons v x)))
              (nk v))))))
