; Nested guards: a guard with no matching clause re-raises to the next
; handler out (by raise-continuable, in the dynamic environment of the
; original raise); explicit re-raise from a clause; several levels.

(define (test name thunk)
  (display name)
  (display ": ")
  (write (thunk))
  (newline))

(test "inner matches"
      (lambda ()
        (guard (e (#t (list 'outer e)))
          (guard (e ((symbol? e) (list 'inner e)))
            (raise 'sym)))))

(test "inner does not match, outer does"
      (lambda ()
        (guard (e (#t (list 'outer e)))
          (guard (e ((symbol? e) (list 'inner e)))
            (raise 42)))))

(test "three levels, the outermost matches"
      (lambda ()
        (guard (e ((string? e) (list 'level1 e)))
          (guard (e ((number? e) (list 'level2 e)))
            (guard (e ((symbol? e) (list 'level3 e)))
              (raise "str"))))))

(test "three levels, the middle matches"
      (lambda ()
        (guard (e ((string? e) (list 'level1 e)))
          (guard (e ((number? e) (list 'level2 e)))
            (guard (e ((symbol? e) (list 'level3 e)))
              (raise 7))))))

(test "explicit re-raise from a clause"
      (lambda ()
        (guard (e (#t (list 'outer-caught e)))
          (guard (e ((symbol? e) (display "[inner saw it] ") (raise e)))
            (raise 'again)))))

(test "re-raise of a different object"
      (lambda ()
        (guard (e ((pair? e) e))
          (guard (e ((number? e) (raise (list 'wrapped e))))
            (raise 1)))))

(test "error object passes through a non-matching guard"
      (lambda ()
        (guard (e ((error-object? e) (list (error-object-message e) (error-object-irritants e))))
          (guard (e ((symbol? e) 'wrong))
            (error "deep error" 'a 1)))))

(test "runtime error passes through non-matching guards"
      (lambda ()
        (guard (e ((error-object? e) 'outer-got-error-object))
          (guard (e ((string? e) 'no))
            (guard (e ((symbol? e) 'no))
              (vector-ref (vector) 0))))))

; when no guard clause matches, the object is re-raised with
; raise-continuable in the dynamic environment of the original raise:
; an outer handler's return value becomes the value of that raise-continuable
(test "re-raise reaches a with-exception-handler that returns"
      (lambda ()
        (with-exception-handler
         (lambda (c) (* c 100))
         (lambda ()
           (guard (e ((symbol? e) 'not-this))
             (+ 1 (raise-continuable 5)))))))

(test "two non-matching guards, then a handler that returns"
      (lambda ()
        (with-exception-handler
         (lambda (c) (list 'handled c))
         (lambda ()
           (guard (e ((number? e) 'no))
             (guard (e ((string? e) 'no))
               (list 'got (raise-continuable 'sym))))))))

; re-raise into a guard in an outer procedure
(define (inner-proc x)
  (guard (e ((eq? e 'mine) 'inner-handled))
    (raise x)))
(define (outer-proc x)
  (guard (e (#t (list 'outer-handled e)))
    (list 'inner-result (inner-proc x))))
(test "inner procedure handles its own" (lambda () (outer-proc 'mine)))
(test "inner procedure passes the rest on" (lambda () (outer-proc 'yours)))

; a deep chain of 1,000 non-matching guards
(define (nest n thunk)
  (if (= n 0)
      (thunk)
      (guard (e ((eq? e n) 'never))
        (nest (- n 1) thunk))))
(test "through 1,000 guards"
      (lambda ()
        (guard (e ((eq? e 'bottom) 'caught-at-top))
          (nest 1000 (lambda () (raise 'bottom))))))
