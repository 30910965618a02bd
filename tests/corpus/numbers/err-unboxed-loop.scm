; A non-number added to a flonum loop variable (kept as a raw double) is
; the same error as anywhere else, naming `+`.
(display "before") (newline)
(define (bad n) (let loop ((i 0) (x 0.0)) (if (= i n) x (loop (+ i 1) (+ x (if (= i 2) "a" 1))))))
(write (bad 2)) (newline)
(write (bad 5)) (newline)
(display "not reached") (newline)
