; exact of a NaN has no exact representation: error.
(display "before") (newline)
(write (exact 0.25)) (newline)
(write (exact +nan.0)) (newline)
(display "not reached") (newline)
