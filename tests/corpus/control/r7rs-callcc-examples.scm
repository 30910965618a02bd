; R7RS 6.10: the examples of procedure?, call-with-current-continuation,
; values and call-with-values.

(write (call-with-current-continuation procedure?))
(newline)
(write (call/cc procedure?))
(newline)

; escaping from for-each
(write
 (call-with-current-continuation
  (lambda (exit)
    (for-each (lambda (x)
                (if (negative? x)
                    (exit x)))
              '(54 0 37 -3 245 19))
    #t)))
(newline)

; the same without an exit: the body's value comes back
(write
 (call-with-current-continuation
  (lambda (exit)
    (for-each (lambda (x)
                (if (negative? x)
                    (exit x)))
              '(54 0 37 3 245 19))
    #t)))
(newline)

(define list-length
  (lambda (obj)
    (call-with-current-continuation
      (lambda (return)
        (letrec ((r
                  (lambda (obj)
                    (cond ((null? obj) 0)
                          ((pair? obj)
                           (+ (r (cdr obj)) 1))
                          (else (return #f))))))
          (r obj))))))

(write (list-length '(1 2 3 4)))
(newline)
(write (list-length '(a b . c)))
(newline)
(write (list-length '()))
(newline)
(write (list-length 'x))
(newline)

; values as the report defines it, through call/cc
(define (my-values . things)
  (call-with-current-continuation
    (lambda (cont) (apply cont things))))

(write (call-with-values (lambda () (my-values 4 5))
                         (lambda (a b) b)))
(newline)
(write (call-with-values (lambda () (my-values 1 2 3)) list))
(newline)
(write (call-with-values (lambda () (my-values)) list))
(newline)
(write (+ 1 (my-values 41)))
(newline)

(write (call-with-values (lambda () (values 4 5))
                         (lambda (a b) b)))
(newline)
(write (call-with-values * -))
(newline)
