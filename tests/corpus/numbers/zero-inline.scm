; zero? compiled inline: fixnums, flonums (-0.0 is zero, NaN is not), and the
; runtime's path for bignums and ratios, as a test and as a value.
(define (z x) (if (zero? x) 'zero 'nonzero))
(define (zv x) (zero? x))
(for-each (lambda (x) (display (list x (z x) (zv x))) (newline))
  (list 0 1 0.0 -0.0 1e-300 (/ 0. 0.) (- (expt 2 70) (expt 2 70)) (expt 2 70) 1/2 +inf.0 -1.5))
