;;; FIBFP -- Doubly recursive Fibonacci on flonums.
;;; Adapted from ecraven/r7rs-benchmarks src/fibfp.scm (Gabriel-suite style).

(define iterations 9)
(define input 32.)

(define (fibfp n)
  (if (< n 2.)
      n
      (+ (fibfp (- n 1.))
         (fibfp (- n 2.)))))

(define (run k total)
  (if (= k 0)
      total
      (run (- k 1) (+ total (fibfp input)))))

(let ((r (run iterations 0.)))
  (display "fibfp ") (display (inexact->exact input)) (display " x ") (display iterations)
  (newline)
  (display (inexact->exact (fibfp input))) (newline)
  (display (inexact->exact r)) (newline))
