;; Locals bound to a new vector: vector-ref, vector-set! and vector-length
;; on them leave out the vector test (not the index test).
(define (show . xs) (for-each display xs) (newline))
(define (squares n)
  (let ((v (make-vector n 0)))
    (do ((i 0 (+ i 1))) ((= i n) v)
      (vector-set! v i (* i i)))))
(show (squares 5))
(define (sum-of l)
  (let ((v (list->vector l)))
    (let loop ((i 0) (acc 0))
      (if (= i (vector-length v)) acc (loop (+ i 1) (+ acc (vector-ref v i)))))))
(show (sum-of '(1 2 3 4)))
(let ((v (vector 'a 'b 'c)) (w (vector-map (lambda (x) (list x)) (vector 1 2))))
  (show (vector-ref v 2) (vector-length w) (vector-ref w 1)))
(define (safe thunk)
  (call-with-current-continuation
   (lambda (k) (with-exception-handler (lambda (e) (k 'error)) thunk))))
;; The index is still checked, and an assigned variable is still tested.
(show (safe (lambda () (let ((v (make-vector 2 0))) (vector-ref v 2)))))
(show (safe (lambda () (let ((v (make-vector 2 0))) (vector-set! v -1 'x)))))
(show (safe (lambda () (let ((v (make-vector 2 0))) (vector-ref v 'x)))))
(show (safe (lambda () (let ((v (make-vector 2 0))) (set! v 'x) (vector-ref v 0)))))
(show (safe (lambda () (let ((v (make-vector 'x 0))) (vector-ref v 0)))))
