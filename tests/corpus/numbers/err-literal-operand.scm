; A literal operand does not change the error of a non-number operand.
(define (less-than-ten? x) (< x 10))
(define (minus-one x) (- x 1))
(display (less-than-ten? 3)) (newline)
(display (minus-one 3)) (newline)
(display (minus-one "a")) (newline)
(display "not reached") (newline)
