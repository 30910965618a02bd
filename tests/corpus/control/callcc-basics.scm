; Basic properties of continuations: they are procedures, can be applied
; with apply, passed to map, called from a nested expression, and calls
; to call/cc in tail position keep a loop in constant space.

(define (show x) (write x) (newline))

(show (+ 1 (call/cc (lambda (k) (+ 10 (k 1))))))
(show (+ 1 (call/cc (lambda (k) 10))))
(show (call/cc (lambda (k) (procedure? k))))
(show (call/cc (lambda (k) (apply k '(applied)))))
(show (call/cc (lambda (k) (map k '(first second)))))
(show (call/cc (lambda (k) (for-each k '(a b c)) 'not-reached)))
(show (call-with-current-continuation (lambda (k) (k (call/cc (lambda (k2) (k2 'inner)))))))
(show (call/cc (lambda (outer) (call/cc (lambda (inner) (outer 'outer-won))) 'not-reached)))

; the continuation used as a value of an if test
(show (if (call/cc (lambda (k) (k #f))) 'true 'false))

; a continuation stored and compared
(define saved #f)
(show (let ((k (call/cc (lambda (c) c))))
        (if (procedure? k)
            (begin (set! saved k) (k 'second-time))
            (list 'now k (procedure? saved)))))

; call/cc in the operator position
(show ((call/cc (lambda (k) (k (lambda (x) (* x x))))) 12))

; the body of call/cc returns normally: that value is used
(show (call/cc (lambda (k) (list 'normal 'return))))

; a loop whose every iteration is a call/cc in tail position
(define (loop-with-callcc n)
  (let loop ((i 0) (acc 0))
    (if (= i n)
        acc
        (call/cc (lambda (k) (loop (+ i 1) (+ acc i)))))))
(show (loop-with-callcc 100000))

; a loop whose iterations capture and immediately use a continuation
(define (loop-with-escape n)
  (let loop ((i 0) (acc 0))
    (if (= i n)
        acc
        (loop (+ i 1) (+ acc (call/cc (lambda (k) (k i))))))))
(show (loop-with-escape 100000))

; mutual recursion with continuations as return addresses
(define (even-k? n k) (if (= n 0) (k #t) (odd-k? (- n 1) k)))
(define (odd-k? n k) (if (= n 0) (k #f) (even-k? (- n 1) k)))
(show (call/cc (lambda (k) (even-k? 100001 k))))
(show (call/cc (lambda (k) (odd-k? 100001 k))))
