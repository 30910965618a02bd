; positive? and negative? compiled inline: fixnums, flonums (0.0 and -0.0
; are neither, NaN is neither), and the runtime's path for bignums and
; ratios, as tests and as values.
(define (p x) (if (positive? x) 'pos 'not-pos))
(define (n x) (if (negative? x) 'neg 'not-neg))
(define (pv x) (positive? x))
(define (nv x) (negative? x))
(for-each (lambda (x) (write (list x (p x) (n x) (pv x) (nv x))) (newline))
  (list 0 1 -1 1152921504606846975 -1152921504606846976 0.0 -0.0 2.5 -2.5 1e-300 -1e-300
        (/ 0. 0.) +inf.0 -inf.0 (expt 2 70) (- (expt 2 70)) 1/2 -1/2))
(define (count-signs l)
  (let loop ((l l) (pos 0) (neg 0))
    (cond ((null? l) (list pos neg))
          ((positive? (car l)) (loop (cdr l) (+ pos 1) neg))
          ((negative? (car l)) (loop (cdr l) pos (+ neg 1)))
          (else (loop (cdr l) pos neg)))))
(write (count-signs '(3 -1 0 2.0 -0.5 7 -8))) (newline)
