; A guard installed in each of 100,000 loop iterations (half of them
; raising) must run in constant space and quickly; likewise an escape
; continuation and a with-exception-handler per iteration.

(define (checked-sqrt-int n)
  (if (odd? n) (raise n) (quotient n 2)))

(let loop ((i 0) (ok 0) (caught 0))
  (if (< i 100000)
      (let ((r (guard (e ((number? e) 'odd))
                 (checked-sqrt-int i))))
        (if (eq? r 'odd)
            (loop (+ i 1) ok (+ caught 1))
            (loop (+ i 1) (+ ok r) caught)))
      (begin (write (list ok caught)) (newline))))

; errors signalled by the runtime, caught in a loop
(define v (vector 10 20 30))
(let loop ((i 0) (sum 0) (errors 0))
  (if (< i 100000)
      (let ((x (guard (e ((error-object? e) #f))
                 (vector-ref v (remainder i 5)))))
        (if x
            (loop (+ i 1) (+ sum x) errors)
            (loop (+ i 1) sum (+ errors 1))))
      (begin (write (list sum errors)) (newline))))

; error objects made by error, caught in a loop
(let loop ((i 0) (last #f))
  (if (< i 100000)
      (loop (+ i 1)
            (guard (e ((error-object? e) (car (error-object-irritants e))))
              (error "iteration" i)))
      (begin (write last) (newline))))

; guards that never raise
(let loop ((i 0) (acc 0))
  (if (< i 100000)
      (loop (+ i 1) (guard (e (#t 0)) (+ acc 1)))
      (begin (write acc) (newline))))

; an escape continuation per iteration
(let loop ((i 0) (acc 0))
  (if (< i 100000)
      (loop (+ i 1) (+ acc (call/cc (lambda (k) (if (even? i) (k 1) 2)))))
      (begin (write acc) (newline))))

; a handler per iteration with raise-continuable
(let loop ((i 0) (acc 0))
  (if (< i 100000)
      (loop (+ i 1)
            (with-exception-handler
             (lambda (c) (+ c 1))
             (lambda () (raise-continuable acc))))
      (begin (write acc) (newline))))

; a dynamic-wind per iteration, escaped from every third time
(define winds 0)
(let loop ((i 0))
  (if (< i 100000)
      (begin
        (call/cc
         (lambda (k)
           (dynamic-wind
            (lambda () (set! winds (+ winds 1)))
            (lambda () (if (= 0 (remainder i 3)) (k 'out) 'normal))
            (lambda () (set! winds (- winds 1))))))
        (loop (+ i 1)))
      (begin (write winds) (newline))))
