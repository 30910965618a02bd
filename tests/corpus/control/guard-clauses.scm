; guard clause forms: test only, test => receiver, several expressions,
; else, first matching clause wins, the body's value when nothing is
; raised, and the guard's value used in an enclosing expression.

(write (guard (e (#t 'caught)) 'body-value))
(newline)

(write (guard (e (#t 'caught)) (display "body ") 1 2 3))
(newline)

; a test-only clause gives the test's value
(write (guard (e ((memq e '(a b c)))) (raise 'b)))
(newline)

; => passes the test's value to the receiver
(write (guard (e ((assv e '((1 . one) (2 . two))) => cdr)) (raise 2)))
(newline)
(write (guard (e ((and (pair? e) (car e)) => (lambda (x) (list 'first x)))) (raise (list 'x 'y))))
(newline)

; several expressions in a clause: the last one's value
(write (guard (e ((symbol? e) (display "handling ") (display e) (display " ") 'done)) (raise 'oops)))
(newline)

; else
(write (guard (e ((string? e) 'string) (else (list 'else e))) (raise 7)))
(newline)

; the first matching clause is used
(write (guard (e ((number? e) 'number) ((integer? e) 'integer) (else 'else)) (raise 3)))
(newline)

; the variable is bound to the raised object in every clause
(write (guard (e ((< e 0) (list 'negative e)) ((> e 100) (list 'big e)) (else (list 'other e)))
         (raise 500)))
(newline)

; the guard's value flows into the enclosing expression
(write (+ 1 (guard (e ((number? e) (* e 10))) (+ 100 (raise 5)))))
(newline)
(write (list 'a (guard (e (#t e)) (raise 'b)) 'c))
(newline)

; a guard whose clause returns several values
(call-with-values
    (lambda () (guard (e (#t (values e (* e 2)))) (raise 21)))
  (lambda (a b) (write (list a b)) (newline)))

; the body returning several values without a raise
(call-with-values
    (lambda () (guard (e (#t 'caught)) (values 1 2)))
  (lambda (a b) (write (list a b)) (newline)))

; the clause variable shadows an outer binding only inside the clauses
(define e 'outer)
(write (list (guard (e (#t e)) (raise 'inner)) e))
(newline)

; a guard in a procedure, raising from a called procedure
(define (safe-div a b)
  (guard (x ((eq? x 'division-by-zero) 'infinity))
    (if (= b 0) (raise 'division-by-zero) (/ a b))))
(write (list (safe-div 10 2) (safe-div 1 0) (safe-div 9 3)))
(newline)

; raising the result of another guard
(write (guard (outer (#t (list 'outer-got outer)))
         (raise (guard (inner (#t (list 'inner-got inner)))
                  (raise 'first)))))
(newline)

; a raise inside a clause goes to the enclosing handler, not the same guard
(write (guard (e2 (#t (list 'outer e2)))
         (guard (e1 ((symbol? e1) (raise (list 'from-clause e1))))
           (raise 'x))))
(newline)

; guard with a cond-style clause whose test is a complex expression
(define (classify obj)
  (guard (c ((and (pair? c) (eq? (car c) 'point)) (list 'point (cadr c) (caddr c)))
            ((and (vector? c) (= (vector-length c) 2)) 'pair-vector)
            ((char? c) (list 'char c))
            (else 'unknown))
    (raise obj)))
(write (map classify (list (list 'point 1 2) (vector 1 2) #\z 'w)))
(newline)
