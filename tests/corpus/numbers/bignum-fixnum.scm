;; Arithmetic of a bignum and a fixnum, in both orders, including results
;; that fit a fixnum again.
(define big (expt 2 70))
(define (show . xs) (for-each (lambda (x) (write x) (display " ")) xs) (newline))
(show (+ big 1) (+ 1 big) (+ big -5) (+ -5 big))
(show (- big 1) (- 1 big) (- big big) (- (+ big 3) big))
(show (* big 3) (* 3 big) (* big -1) (* -1 big) (* big 0) (* 0 big))
(show (+ (- big) big 7) (- (+ big 12) (- big 30)) (* (quotient big big) 5))
(define m (- (expt 2 62)))
(show (- m 1) (+ m -1) (* m 2) (* 2 m) (- 0 m) (- m) (+ (- m 1) 1))
(show (* 4611686018427387904 -2) (+ 4611686018427387903 1) (- -4611686018427387904 1))
(show (exact->inexact (+ big 1)) (+ big 0.5) (* big 1/2) (- big 1/3))
