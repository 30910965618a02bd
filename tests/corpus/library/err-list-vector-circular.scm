; list->vector of a circular list is an error (it used to collect elements until
; memory ran out).
(define l (list 1 2 3))
(set-cdr! (cddr l) l)
(display (list->vector (list 1 2)))
(newline)
(display (list->vector l))
