; odd?, even? and zero? compiled inline on fixnums, as values and as tests, with
; the runtime path for bignums and flonums.
(define (show . xs) (for-each display xs) (newline))
(define (classify n) (list (odd? n) (even? n) (zero? n)))
(define (branch n) (list (if (odd? n) 'odd 'not-odd) (if (even? n) 'even 'not-even) (if (zero? n) 'zero 'nonzero)))
(for-each (lambda (n) (show n " " (classify n) " " (branch n)))
  (list 0 1 -1 2 -2 7 -8 1152921504606846975 -1152921504606846976 1152921504606846976 -1152921504606846977 123456789012345678901234567890 -123456789012345678901234567891 4.0 -3.0 0.0 -0.0))
(show (odd? (+ 3 4)) (even? (* 2 21)) (zero? (- 5 5)))
(define (count-odd l) (let loop ((l l) (k 0)) (if (null? l) k (loop (cdr l) (if (odd? (car l)) (+ k 1) k)))))
(show (count-odd '(1 2 3 4 5 6 7)))
