; (append a b) with a circular first list: past 1024 pairs the inline copy
; gives up, and the primitive reports the cycle.
(define l (list 1 2 3))
(set-cdr! (cddr l) l)
(display (length (append '(1 2 3) '(4))))
(newline)
(display (append l '(4)))
