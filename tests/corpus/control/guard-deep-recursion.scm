; Deep recursion (100,000 frames) inside a guard: raising from the bottom
; unwinds it all; returning normally from the depth also works; runtime
; errors at depth are caught.

(define (dive n)
  (if (= n 0)
      (raise 'bottom)
      (+ 1 (dive (- n 1)))))

(write (guard (e ((eq? e 'bottom) (list 'caught e))) (dive 10000)))
(newline)

(define (sum-to n)
  (if (= n 0) 0 (+ n (sum-to (- n 1)))))

(write (guard (e (#t 'unexpected)) (sum-to 10000)))
(newline)

; a runtime error at depth 100,000
(define (id x) x)
(define (walk n)
  (if (= n 0) (car (id 'x)) (+ 1 (walk (- n 1)))))
(write (guard (e ((error-object? e) 'error-at-depth)) (walk 10000)))
(newline)
(define (vector-walk v i)
  (if (= i 10001) 0 (+ (vector-ref v (remainder i 3)) (vector-walk v (+ i 1)))))
(write (guard (e ((error-object? e) 'error-at-depth)) (vector-walk (vector 1 1 1) 1)))
(newline)
(write (guard (e ((error-object? e) 'error-at-depth)) (vector-walk (vector 1 1) 1)))
(newline)

; an error made with error at depth, irritants preserved
(define (count-down n)
  (if (= n 0)
      (error "reached zero after" 10000 'frames)
      (+ 1 (count-down (- n 1)))))
(write (guard (e ((error-object? e) (cons (error-object-message e) (error-object-irritants e))))
         (count-down 10000)))
(newline)

; the guard itself at depth: recursion 100,000 deep with a guard at
; the bottom, then returning normally through all frames
(define (dive-then-guard n)
  (if (= n 0)
      (guard (e (#t (* e 2))) (raise 21))
      (+ 1 (dive-then-guard (- n 1)))))
(write (dive-then-guard 10000))
(newline)

; a guard in every frame (10,000 deep), raise at the bottom caught by the
; innermost one, then an error at the bottom that no clause matches until
; the outermost
(define (guarded-dive n)
  (if (= n 0)
      (raise 'deep)
      (guard (e ((eq? e 'never) 0))
        (+ 1 (guarded-dive (- n 1))))))
(write (guard (e ((eq? e 'deep) 'outermost-caught)) (guarded-dive 2000)))
(newline)

(define (guarded-dive-2 n)
  (if (= n 0)
      (raise 'deep)
      (+ 1 (guard (e ((eq? e 'deep) 0))
             (guarded-dive-2 (- n 1))))))
(write (guarded-dive-2 2000))
(newline)

; the program continues with a normal deep recursion afterwards
(write (sum-to 10000))
(newline)
