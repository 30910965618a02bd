; odd? of a flonum that is not an integer: the inline test takes the runtime path, which raises.
(define (f x) (if (odd? x) (quote odd) (quote even)))
(display (f 3))
(newline)
(display (f (vector-ref (vector 1.5) 0)))
