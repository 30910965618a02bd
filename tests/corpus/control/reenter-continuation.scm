; Re-entering a continuation several times (multi-shot continuations).

; a loop built from a re-entered continuation
(let ((k #f) (n 0))
  (call/cc (lambda (c) (set! k c)))
  (set! n (+ n 1))
  (display n)
  (display " ")
  (if (< n 5) (k 'again))
  (newline))

; re-entering with different values: the rest of the computation runs
; again with each value
(let ((k #f) (results '()))
  (let ((v (+ 100 (call/cc (lambda (c) (set! k c) 1)))))
    (set! results (cons v results))
    (if (< (length results) 4)
        (k (* 10 (length results)))
        (begin (write (reverse results)) (newline)))))

; the continuation of an argument position: the other arguments were
; evaluated once and keep their values
(let ((k #f) (count 0))
  (let ((r (list 'a (call/cc (lambda (c) (set! k c) 0)) 'c)))
    (set! count (+ count 1))
    (write r)
    (newline)
    (if (< count 3) (k count))))

; a continuation captured inside a non-tail recursion and re-entered
; later: the pending additions run again each time
(define saved #f)
(define (sum-with-hole n)
  (if (= n 0)
      (call/cc (lambda (c) (set! saved c) 0))
      (+ n (sum-with-hole (- n 1)))))

(let ((calls 0))
  (let ((v (sum-with-hole 10)))
    (set! calls (+ calls 1))
    (write v)
    (newline)
    (if (< calls 4)
        (saved (* calls 1000)))))

; a continuation stored in a data structure and called from elsewhere
(define table (make-vector 3 #f))
(define (checkpoint i)
  (call/cc (lambda (c) (vector-set! table i c) 'first)))

(let ((trips 0))
  (let ((a (checkpoint 0)))
    (set! trips (+ trips 1))
    (display (list 'trip trips 'got a))
    (newline)
    (cond ((= trips 1) ((vector-ref table 0) 'second))
          ((= trips 2) ((vector-ref table 0) 'third))
          (else 'done))))

; a continuation re-entered after the procedure that captured it has
; returned
(define (make-counter-cont)
  (let ((n (call/cc (lambda (c) (list c 0)))))
    n))

(let* ((state (make-counter-cont))
       (k (car state))
       (n (cadr state)))
  (display n)
  (display " ")
  (if (< n 5)
      (k (list k (+ n 1)))
      (newline)))
