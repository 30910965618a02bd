; Arithmetic on a non-number is an error.
(display "before") (newline)
(write (+ 1 2)) (newline)
(write (+ 1 "a")) (newline)
(display "not reached") (newline)
