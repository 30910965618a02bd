;; A procedure that calls a small procedure defined by a later form,
;; called before that form ran.
(define (twice-double x) (+ (double x) (double x)))
(display "before")
(newline)
(display (twice-double 3))
(newline)
(define (double x) (* 2 x))
