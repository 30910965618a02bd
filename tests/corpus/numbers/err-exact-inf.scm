; exact of an infinity has no exact representation: error.
(display "before") (newline)
(write (exact 2.5)) (newline)
(write (exact +inf.0)) (newline)
(display "not reached") (newline)
