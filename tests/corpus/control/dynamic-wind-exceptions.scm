; dynamic-wind with raise, guard and with-exception-handler: a guard
; leaving a dynamic extent runs its after thunk before the clause; a
; with-exception-handler handler runs inside the extent of the raise.

(define trace '())
(define (note x) (set! trace (cons x trace)))
(define (show-trace)
  (write (reverse trace))
  (newline)
  (set! trace '()))

; guard outside the wind: after runs, then the clause body
(write
 (guard (e (#t (note (list 'clause e)) 'caught))
   (dynamic-wind
    (lambda () (note 'before))
    (lambda () (raise 'err))
    (lambda () (note 'after)))))
(newline)
(show-trace)

; nested winds left by a guard
(write
 (guard (e ((symbol? e) (note 'clause) e))
   (dynamic-wind
    (lambda () (note 'b1))
    (lambda ()
      (dynamic-wind
       (lambda () (note 'b2))
       (lambda () (raise 'deep))
       (lambda () (note 'a2))))
    (lambda () (note 'a1)))))
(newline)
(show-trace)

; guard inside the wind: the extent is not left
(write
 (dynamic-wind
  (lambda () (note 'before))
  (lambda () (guard (e (#t (note 'clause) e)) (raise 'inside)))
  (lambda () (note 'after))))
(newline)
(show-trace)

; with-exception-handler: the handler runs before the after thunk
(write
 (call/cc
  (lambda (k)
    (with-exception-handler
     (lambda (c) (note (list 'handler c)) (k 'escaped))
     (lambda ()
       (dynamic-wind
        (lambda () (note 'before))
        (lambda () (raise 'err))
        (lambda () (note 'after))))))))
(newline)
(show-trace)

; raise-continuable: handler returns, execution continues in the extent
(write
 (with-exception-handler
  (lambda (c) (note 'handler) 10)
  (lambda ()
    (dynamic-wind
     (lambda () (note 'before))
     (lambda () (+ 1 (raise-continuable 'c)))
     (lambda () (note 'after))))))
(newline)
(show-trace)

; an error raised by the runtime inside a wind
(write
 (guard (e ((error-object? e) (note 'clause) 'runtime-error))
   (dynamic-wind
    (lambda () (note 'before))
    (lambda () (vector-ref (vector) 1))
    (lambda () (note 'after)))))
(newline)
(show-trace)

; a wind inside a guard inside a wind: only the inner after runs
(write
 (dynamic-wind
  (lambda () (note 'outer-before))
  (lambda ()
    (guard (e (#t (note 'clause) (list 'caught (error-object-message e))))
      (dynamic-wind
       (lambda () (note 'inner-before))
       (lambda () (error "boom"))
       (lambda () (note 'inner-after)))))
  (lambda () (note 'outer-after))))
(newline)
(show-trace)

; an after thunk that raises: the raise goes to the handler outside
(write
 (guard (e (#t (list 'from-after e)))
   (dynamic-wind
    (lambda () (note 'before))
    (lambda () 'normal-result)
    (lambda () (note 'after) (raise 'after-raised)))))
(newline)
(show-trace)
