;;; SUMFP -- Sum of the integers from n down to 0, computed in floating point.
;;; Adapted from ecraven/r7rs-benchmarks src/sumfp.scm.

(define iterations 70)
(define input 1e6)

(define (run n)
  (let loop ((i n) (sum 0.))
    (if (< i 0.)
        sum
        (loop (- i 1.) (+ i sum)))))

(define (repeat k total)
  (if (= k 0)
      total
      (repeat (- k 1) (+ total (run input)))))

(let ((r (repeat iterations 0.)))
  (display "sumfp x ") (display iterations) (newline)
  (display (inexact->exact (run input))) (newline)
  (display (inexact->exact r)) (newline))
