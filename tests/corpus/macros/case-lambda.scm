; case-lambda (R7RS 4.2.9), also from a macro.
(define range
  (case-lambda
    ((e) (range 0 e))
    ((b e) (do ((r '() (cons e r))
                (e (- e 1) (- e 1)))
               ((< e b) r)))))
(write (range 3))
(write (range 3 5))
(newline)
(define plus
  (case-lambda
    (() 0)
    ((x) x)
    ((x y) (+ x y))
    ((x y z) (+ (+ x y) z))
    (args (apply + args))))
(write (list (plus) (plus 1) (plus 1 2) (plus 1 2 3) (plus 1 2 3 4)))
(newline)
(define g (case-lambda ((a . rest) (list 'at-least-one a rest)) (() 'none)))
(write (list (g) (g 1) (g 1 2 3)))
(newline)
(define-syntax opt
  (syntax-rules () ((_ name default) (define name (case-lambda (() default) ((x) x))))))
(opt h 10)
(write (list (h) (h 5)))
(newline)
