; Integer division by exact zero is an error.
(display "before") (newline)
(write (quotient 7 2)) (newline)
(write (modulo 7 0)) (newline)
(display "not reached") (newline)
