; Setting past the end of a list is an error.
(define l (list 1 2 3))
(list-set! l 3 (quote x))
(display "not reached")
