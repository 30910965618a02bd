; Division of an exact number by exact zero is an error.
(display "before") (newline)
(write (/ 10 4)) (newline)
(write (/ 5 0)) (newline)
(display "not reached") (newline)
