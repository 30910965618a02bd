;; Leaving a search loop early through an escape continuation, 2,000,000
;; times: call/cc as `return`.
(define v (make-vector 100 0))
(vector-set! v 37 'x)
(define (find-x v)
  (call/cc
   (lambda (return)
     (let loop ((i 0))
       (if (< i (vector-length v))
           (begin (if (eq? (vector-ref v i) 'x) (return i)) (loop (+ i 1)))
           #f)))))
(define (run n acc) (if (= n 0) acc (run (- n 1) (+ acc (find-x v)))))
(display (run 2000000 0))
(newline)
