; (append a b) with an improper first list: the inline copy gives up and
; the primitive reports the error.
(define (f a b) (append a b))
(display (f '(1 2) '(3)))
(newline)
(display (f (cons 1 2) '(3)))
