; apply with a circular last argument is an error (it used to count forever).
(define l (list 1 2 3))
(set-cdr! (cddr l) l)
(display (apply + (list 1 2)))
(newline)
(display (apply + l))
