; A handler that returns from raise (or error): a secondary exception is
; raised in the handler's dynamic environment, i.e. to the outer handler.
; The object of the secondary exception is unspecified, so only that it
; arrives is printed.

(define (show x) (write x) (newline))

(show (guard (e (#t 'outer-guard-caught-secondary))
        (with-exception-handler
         (lambda (c) (display "handler ran with ") (write c) (newline) 'returned)
         (lambda () (raise 'first) 'not-reached))))

(show (guard (e (#t 'secondary-from-error))
        (with-exception-handler
         (lambda (c) (display "handler saw an error object: ") (write (error-object? c)) (newline) 'returned)
         (lambda () (error "primary" 1 2) 'not-reached))))

; the code after raise never runs
(define after-raise #f)
(guard (e (#t #f))
  (with-exception-handler
   (lambda (c) 'returned)
   (lambda () (raise 'x) (set! after-raise #t))))
(show after-raise)

; the handler runs once
(define handler-calls 0)
(guard (e (#t #f))
  (with-exception-handler
   (lambda (c) (set! handler-calls (+ handler-calls 1)) 'returned)
   (lambda () (raise 'x))))
(show handler-calls)

; a handler that escapes instead of returning is fine
(show (call/cc
       (lambda (k)
         (with-exception-handler
          (lambda (c) (k (list 'escaped c)))
          (lambda () (raise 'fine))))))

; a handler that raises: the new raise goes to the outer handler
(show (guard (e ((pair? e) e))
        (with-exception-handler
         (lambda (c) (raise (list 'translated c)))
         (lambda () (raise 'original)))))

; a runtime error whose handler returns: also a secondary exception
(show (guard (e (#t 'secondary-after-runtime-error))
        (with-exception-handler
         (lambda (c) 0)
         (lambda () (+ 1 (car (vector-ref (vector 5) 0)))))))
