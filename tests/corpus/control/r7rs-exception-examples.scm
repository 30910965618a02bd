; R7RS 6.11 and 4.2.7: the examples of with-exception-handler,
; raise-continuable, error and guard.

(write
 (call-with-current-continuation
  (lambda (k)
    (with-exception-handler
     (lambda (x)
       (display "condition: ")
       (write x)
       (newline)
       (k 'exception))
     (lambda ()
       (+ 1 (raise 'an-error)))))))
(newline)

; The second example: the handler returns from a non-continuable raise,
; so a secondary exception is raised in the handler's dynamic
; environment; the outer guard catches it.
(write
 (guard (e (#t 'secondary-exception-caught))
   (with-exception-handler
    (lambda (x)
      (display "something went wrong\n"))
    (lambda ()
      (+ 1 (raise 'an-error))))
   'not-reached))
(newline)

(write
 (with-exception-handler
  (lambda (con)
    (cond
     ((string? con)
      (display con))
     (else
      (display "a warning has been issued")))
    42)
  (lambda ()
    (+ (raise-continuable "should be a number")
       23))))
(newline)

(define (null-list? l)
  (cond ((pair? l) #f)
        ((null? l) #t)
        (else
         (error
          "null-list?: argument out of domain"
          l))))

(write (null-list? '()))
(newline)
(write (null-list? '(1)))
(newline)
(write
 (guard (e ((error-object? e)
            (list (error-object-message e) (error-object-irritants e))))
   (null-list? 5)))
(newline)

(write
 (guard (condition
         ((assq 'a condition) => cdr)
         ((assq 'b condition)))
   (raise (list (cons 'a 42)))))
(newline)

(write
 (guard (condition
         ((assq 'a condition) => cdr)
         ((assq 'b condition)))
   (raise (list (cons 'b 23)))))
(newline)
