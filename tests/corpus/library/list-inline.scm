;; list compiled inline (codegen/inline.rs): pairs made from the last, the
;; list so far kept in a frame slot while the next is allocated.
(define (show x) (write x) (newline))
(define (f a b) (list a (list b a) (list) (list (* a b) (+ a 1) b)))
(show (f 1 2))
(define (many n) (let loop ((i 0) (acc '())) (if (= i n) (length acc) (loop (+ i 1) (list i acc (list i i) "s")))))
(show (many 3000))
(define (deep n) (if (= n 0) '() (list n (deep (- n 1)))))
(show (deep 5))
(let ((x 0)) (show (list (begin (set! x (+ x 1)) x) (begin (set! x (* x 10)) x))))
