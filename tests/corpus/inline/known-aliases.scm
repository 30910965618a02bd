;; Procedures known through an alias `(define a g)`, or made by a call of a
;; procedure that returns a lambda: calls of them are inlined like calls
;; of `g`, but only where that cannot change what they do.
(define (show . xs) (for-each display xs) (newline))
(define (edge-op edge) (vector-ref edge 0))
(define (edge-arg edge) (vector-ref edge 1))
(define operation edge-op)
(define arg-node edge-arg)
(define e (vector '+ 'x))
(show (operation e) (arg-node e))
(define (make-getter selector)
  (lambda (node) (if (eq? node 'none) 'special (selector node))))
(define get-op (make-getter edge-op))
(define get-arg (make-getter edge-arg))
(show (get-op e) (get-arg e) (get-op 'none))
;; The selector is assigned later: the getter keeps the value it was made with.
(define (first-of v) (vector-ref v 0))
(define get-first (make-getter first-of))
(set! first-of (lambda (v) 'replaced))
(show (get-first e) (first-of e))
;; An alias assigned again calls what it holds at the time.
(define op2 edge-op)
(show (op2 e))
(set! op2 edge-arg)
(show (op2 e))
;; A maker whose lambda closes over a fresh counter each time.
(define (make-counter start) (let ((n start)) (lambda () (set! n (+ n 1)) n)))
(define c1 (make-counter 10))
(define c2 (make-counter 100))
(let* ((a (c1)) (b (c1)) (c (c2)) (d (c1))) (show a b c d))
;; Errors inside an inlined getter still name the primitive.
(show (call-with-current-continuation
       (lambda (k) (with-exception-handler (lambda (x) (k 'caught)) (lambda () (get-op 5))))))
