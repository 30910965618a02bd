; Exactness contagion for (* a b) over fixnum, bignum, rational and flonum operands.
(define vals (list 3 -5 (expt 2 70) (- 1 (expt 2 65)) 1/3 -7/4 0.5 -2.0 1e20))
(for-each
 (lambda (a)
   (for-each
    (lambda (b)
      (display "(* ") (write a) (display " ") (write b) (display ") => ")
      (write (* a b)) (newline))
    vals))
 vals)
