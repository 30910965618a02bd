; dynamic-wind and escaping continuations: after thunks run innermost
; first, and only for the extents actually left.

(define trace '())
(define (note x) (set! trace (cons x trace)))
(define (show-trace)
  (write (reverse trace))
  (newline)
  (set! trace '()))

; escape from one wind
(write
 (call/cc
  (lambda (k)
    (dynamic-wind
     (lambda () (note 'before))
     (lambda () (note 'thunk) (k 'escaped) (note 'not-reached))
     (lambda () (note 'after))))))
(newline)
(show-trace)

; escape from three nested winds to outside all of them
(write
 (call/cc
  (lambda (k)
    (dynamic-wind
     (lambda () (note 'b1))
     (lambda ()
       (dynamic-wind
        (lambda () (note 'b2))
        (lambda ()
          (dynamic-wind
           (lambda () (note 'b3))
           (lambda () (k 'out))
           (lambda () (note 'a3))))
        (lambda () (note 'a2))))
     (lambda () (note 'a1))))))
(newline)
(show-trace)

; an escape continuation captured inside the extent and used inside it
; does not run the after thunk
(write
 (dynamic-wind
  (lambda () (note 'before))
  (lambda ()
    (+ 1 (call/cc (lambda (k) (k 10)))))
  (lambda () (note 'after))))
(newline)
(show-trace)

; escaping from a loop through a wind 1,000 times
(define befores 0)
(define afters 0)
(let loop ((i 0))
  (if (< i 1000)
      (begin
        (call/cc
         (lambda (k)
           (dynamic-wind
            (lambda () (set! befores (+ befores 1)))
            (lambda () (if (even? i) (k i) i))
            (lambda () (set! afters (+ afters 1))))))
        (loop (+ i 1)))))
(write (list befores afters))
(newline)

; the after thunk sees the state at the time of the escape
(define depth 0)
(write
 (call/cc
  (lambda (k)
    (dynamic-wind
     (lambda () (set! depth (+ depth 1)))
     (lambda () (k (list 'inside-depth depth)))
     (lambda () (note (list 'after-depth depth)) (set! depth (- depth 1)))))))
(newline)
(show-trace)
(write depth)
(newline)
