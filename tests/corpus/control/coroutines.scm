; Cooperative threads (coroutines) built from call/cc: a ready queue,
; spawn, yield and a scheduler that runs until every thread finishes.

(define ready '())          ; queue of continuations / thunks
(define scheduler-k #f)

(define (enqueue! x)
  (set! ready (append ready (list x))))

(define (dequeue!)
  (let ((x (car ready)))
    (set! ready (cdr ready))
    x))

(define (spawn thunk)
  (enqueue! (lambda (ignored) (thunk) (finish))))

(define (yield)
  (call/cc
   (lambda (k)
     (enqueue! k)
     (scheduler-k 'next))))

(define (finish)
  (scheduler-k 'next))

(define (run)
  (call/cc (lambda (k) (set! scheduler-k k)))
  (if (pair? ready)
      (let ((next (dequeue!)))
        (next 'go))))

(define trace-log '())
(define (note x) (set! trace-log (cons x trace-log)))

(define (worker name n)
  (lambda ()
    (let loop ((i 1))
      (if (<= i n)
          (begin
            (note (list name i))
            (yield)
            (loop (+ i 1)))))
    (note (list name 'done))))

(spawn (worker 'a 3))
(spawn (worker 'b 2))
(spawn (worker 'c 4))
(run)
(for-each (lambda (x) (write x) (newline)) (reverse trace-log))

; producer / consumer through a one-slot buffer
(set! trace-log '())
(define slot '())
(define (producer)
  (let loop ((i 1))
    (if (<= i 5)
        (begin
          (let wait () (if (pair? slot) (begin (yield) (wait))))
          (set! slot (list (* i i)))
          (note (list 'put (* i i)))
          (yield)
          (loop (+ i 1))))))
(define (consumer)
  (let loop ((got 0) (sum 0))
    (if (< got 5)
        (if (pair? slot)
            (let ((v (car slot)))
              (set! slot '())
              (note (list 'took v))
              (yield)
              (loop (+ got 1) (+ sum v)))
            (begin (yield) (loop got sum)))
        (note (list 'sum sum)))))
(spawn producer)
(spawn consumer)
(run)
(for-each (lambda (x) (write x) (display " ")) (reverse trace-log))
(newline)

; many threads, many switches
(set! trace-log '())
(define counter 0)
(define (incrementer k)
  (lambda ()
    (let loop ((i 0))
      (if (< i k)
          (begin
            (set! counter (+ counter 1))
            (yield)
            (loop (+ i 1)))))))
(do ((i 0 (+ i 1))) ((= i 20))
  (spawn (incrementer 100)))
(run)
(write counter)
(newline)
