; A range past the end of the vector is an error.
(display "start")
(newline)
(vector-copy (vector 1 2 3) 2 5)
(display "not reached")
