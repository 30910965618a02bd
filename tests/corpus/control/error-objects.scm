; error, error-object?, error-object-message, error-object-irritants, and
; the predicates file-error? and read-error? on objects that are not
; file or read errors.

(define (catch thunk) (guard (e (#t e)) (thunk)))

(define e1 (catch (lambda () (error "Something bad:" 42))))
(write (error-object? e1)) (newline)
(write (error-object-message e1)) (newline)
(write (error-object-irritants e1)) (newline)

(define e2 (catch (lambda () (error "no irritants"))))
(write (list (error-object? e2) (error-object-message e2)))
(newline)

(define e3 (catch (lambda () (error "many" 'sym "str" #\c 1/2 '(1 (2)) (vector 1 2) #t '()))))
(write (error-object-message e3)) (newline)
(write (error-object-irritants e3)) (newline)
(write (length (error-object-irritants e3))) (newline)

; the message is a string; display shows it without quotes
(display (error-object-message e1)) (newline)
(write (string? (error-object-message e3))) (newline)

; the irritants are the very objects passed
(define shared (list 1 2 3))
(define e4 (catch (lambda () (error "shared" shared))))
(write (eq? (car (error-object-irritants e4)) shared)) (newline)

; error-object? on other things
(write (map error-object? (list 'sym 42 "string" '(1 2) (vector) #f (lambda () 1))))
(newline)
(write (error-object? (catch (lambda () (raise 'not-an-error-object)))))
(newline)

; file-error? and read-error? are false for these
(write (list (file-error? e1) (read-error? e1)))
(newline)
(write (list (file-error? 'x) (read-error? 'x) (file-error? 42) (read-error? "s")))
(newline)
(write (list (file-error? (catch (lambda () (car 1))))
             (read-error? (catch (lambda () (vector-ref (vector) 0))))))
(newline)

; error builds a new object each time
(define (make-err) (catch (lambda () (error "same" 1))))
(write (eq? (make-err) (make-err))) (newline)

; an error object can be re-raised and caught again, unchanged
(define e5 (catch (lambda () (error "re-raised" 'x))))
(define e6 (catch (lambda () (raise e5))))
(write (list (eq? e5 e6) (error-object-message e6) (error-object-irritants e6)))
(newline)

; error from a nested procedure, irritants computed at the call
(define (check-positive n)
  (if (positive? n) n (error "not positive:" n (* n 2))))
(write (guard (e ((error-object? e) (cons (error-object-message e) (error-object-irritants e))))
         (+ (check-positive 3) (check-positive -4))))
(newline)

; error objects kept in a list
(define errors
  (map (lambda (i) (catch (lambda () (error "item" i (* i i))))) (list 1 2 3)))
(write (map error-object-irritants errors))
(newline)

; a runtime error's object satisfies error-object?; its message is a string
(define rt (catch (lambda () (vector-ref (vector 1 2) 5))))
(write (error-object? rt)) (newline)
(write (string? (error-object-message rt))) (newline)
(write (list? (error-object-irritants rt))) (newline)
