;; Tail calls whose arguments overwrite the caller's own slots: permuted
;; parameters, free variables read after a slot they share is written,
;; operators held in a parameter, lambdas closing over parameters.

(define (swap-f a b n) (if (= n 0) (list a b) (swap-g b a (- n 1))))
(define (swap-g x y n) (swap-f y x n))
(display (swap-f 'left 'right 5)) (newline)
(display (swap-f 'left 'right 6)) (newline)

(define (rotate a b c n)
  (if (= n 0) (list a b c) (rotate-2 b c a (- n 1))))
(define (rotate-2 p q r n) (rotate p q r n))
(display (rotate 1 2 3 4)) (newline)

;; A closure calling a procedure of more parameters than its own: the
;; slot of its closure is overwritten while free variables are read.
(define (four w x y z) (list w x y z))
(define (make-adder k)
  (lambda (x) (four x k (+ x k) (* k 10))))
(display ((make-adder 7) 5)) (newline)

(define (make-mixer a b)
  (lambda (c) (four b c a (list a b c))))
(display ((make-mixer 'a 'b) 'c)) (newline)

;; The operator in a parameter slot that an argument overwrites.
(define (flip f a b) (f b a))
(display (flip cons 1 2)) (newline)
(display (flip list 'x 'y)) (newline)
(define (call-with-rest f . xs) (f xs (length xs)))
(display (call-with-rest (lambda (l n) (list n l)) 1 2 3)) (newline)

;; The operator a free variable.
(define (make-flipper g) (lambda (a b) (g b a)))
(display ((make-flipper -) 3 10)) (newline)

;; Arguments computed from parameters in crossed order.
(define (k1 a b c)
  (if (> a 1000) (list a b c) (k2 (+ b c) (* a 2) (- c a))))
(define (k2 p q r) (k1 q r p))
(display (k1 1 2 3)) (newline)

;; A lambda argument closing over a parameter that another argument
;; replaces.
(define (t1 a b) (t2 (lambda () a) b a))
(define (t2 thunk x y) (list (thunk) x y))
(display (t1 'first 'second)) (newline)

;; Locals of a let as arguments, and the callee's own locals.
(define (with-locals a b)
  (let ((s (+ a b)) (d (- a b)))
    (four d s b a)))
(display (with-locals 10 3)) (newline)

;; Mutual recursion a million deep runs in constant stack.
(define (even-steps n acc) (if (= n 0) acc (odd-steps (- n 1) (+ acc 1))))
(define (odd-steps n acc) (if (= n 0) acc (even-steps (- n 1) (+ acc 2))))
(display (even-steps 1000000 0)) (newline)

;; An unknown callee reached through a data structure, arguments swapped.
(define table (vector (lambda (a b) (- a b)) (lambda (a b) (quotient a b))))
(define (dispatch i a b) ((vector-ref table i) b a))
(display (list (dispatch 0 3 10) (dispatch 1 4 100))) (newline)

;; Assigned (boxed) parameters passed on.
(define (boxed a b)
  (set! a (+ a 1))
  (four b a (lambda () a) b))
(let ((r (boxed 1 2)))
  (display (list (car r) (cadr r) ((caddr r)) (cadddr r)))
  (newline))
