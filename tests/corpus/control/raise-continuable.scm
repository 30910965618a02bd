; with-exception-handler and raise-continuable: the handler's values
; become the values of raise-continuable; the handler runs with the outer
; handler installed; handlers nest.

(write (with-exception-handler
        (lambda (c) (+ c 1))
        (lambda () (* 2 (raise-continuable 20)))))
(newline)

; the thunk's value when nothing is raised
(write (with-exception-handler (lambda (c) 'unused) (lambda () 'plain)))
(newline)

; the handler called several times from one thunk
(write (with-exception-handler
        (lambda (c) (* c c))
        (lambda ()
          (list (raise-continuable 1) (raise-continuable 2) (raise-continuable 3)))))
(newline)

; a handler that counts, in a loop
(define calls 0)
(write (with-exception-handler
        (lambda (c) (set! calls (+ calls 1)) (if (even? c) 0 c))
        (lambda ()
          (let loop ((i 0) (sum 0))
            (if (= i 1000)
                sum
                (loop (+ i 1) (+ sum (raise-continuable i))))))))
(display " ")
(write calls)
(newline)

; multiple values from the handler
(call-with-values
    (lambda ()
      (with-exception-handler
       (lambda (c) (values c 'and c))
       (lambda () (raise-continuable 'v))))
  (lambda (a b c) (write (list a b c)) (newline)))

; a default value supplied by the handler
(define (lookup key alist)
  (let ((p (assq key alist)))
    (if p (cdr p) (raise-continuable (list 'missing key)))))
(write (with-exception-handler
        (lambda (c) (if (and (pair? c) (eq? (car c) 'missing)) 0 c))
        (lambda ()
          (+ (lookup 'a '((a . 1) (b . 2)))
             (lookup 'z '((a . 1) (b . 2)))
             (lookup 'b '((a . 1) (b . 2)))))))
(newline)

; inside the handler, the outer handler is current
(write (with-exception-handler
        (lambda (c) (list 'outer c))
        (lambda ()
          (with-exception-handler
           (lambda (c) (list 'inner c (raise-continuable (list 'from-inner c))))
           (lambda () (raise-continuable 'x))))))
(newline)

; after the handler returns, it is current again
(write (with-exception-handler
        (lambda (c) (list 'outer c))
        (lambda ()
          (with-exception-handler
           (lambda (c) (list 'inner c))
           (lambda ()
             (list (raise-continuable 1) (raise-continuable 2)))))))
(newline)

; with-exception-handler's value flows on
(write (+ 1 (with-exception-handler (lambda (c) 10) (lambda () (+ 1 (raise-continuable 'q))))))
(newline)

; handler chain of depth three: each handler passes a transformed object out
(write (with-exception-handler
        (lambda (c) (list 'h1 c))
        (lambda ()
          (with-exception-handler
           (lambda (c) (raise-continuable (list 'h2 c)))
           (lambda ()
             (with-exception-handler
              (lambda (c) (raise-continuable (list 'h3 c)))
              (lambda () (raise-continuable 'start))))))))
(newline)

; escape from a handler with a continuation
(write (call/cc
        (lambda (k)
          (with-exception-handler
           (lambda (c) (k (list 'escaped-with c)))
           (lambda () (+ 1 (raise 'boom)))))))
(newline)

; a guard inside the thunk sees raise-continuable first
(write (with-exception-handler
        (lambda (c) 'handler)
        (lambda ()
          (guard (e ((symbol? e) (list 'guard e)))
            (raise-continuable 'sym)))))
(newline)

; error objects can be raised continuably too
(write (with-exception-handler
        (lambda (c) (if (error-object? c) (error-object-message c) 'not-error))
        (lambda ()
          (raise-continuable
           (guard (e (#t e)) (error "made here" 1))))))
(newline)
