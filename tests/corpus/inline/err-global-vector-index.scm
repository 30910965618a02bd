;; An index out of range of a global defined once as a vector is still an
;; error naming vector-ref (the vector test is left out, not the index test).
(define v (make-vector 3 0))
(define (at i) (vector-ref v i))
(display (at 2))
(newline)
(display (at 3))
