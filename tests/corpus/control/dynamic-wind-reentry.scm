; dynamic-wind and re-entering continuations: before thunks run again,
; outermost first; after thunks run innermost first on each exit.

(define trace '())
(define (note x) (set! trace (cons x trace)))
(define (show-trace)
  (write (reverse trace))
  (newline)
  (set! trace '()))

; re-entering one wind twice
(let ((k #f) (n 0))
  (dynamic-wind
   (lambda () (note 'before))
   (lambda () (call/cc (lambda (c) (set! k c))) (note 'thunk))
   (lambda () (note 'after)))
  (set! n (+ n 1))
  (if (< n 3) (k 'again)))
(show-trace)

; re-entering three nested winds from outside
(let ((k #f) (n 0))
  (dynamic-wind
   (lambda () (note 'b1))
   (lambda ()
     (dynamic-wind
      (lambda () (note 'b2))
      (lambda ()
        (dynamic-wind
         (lambda () (note 'b3))
         (lambda () (call/cc (lambda (c) (set! k c))) (note (list 'body n)))
         (lambda () (note 'a3))))
      (lambda () (note 'a2))))
   (lambda () (note 'a1)))
  (set! n (+ n 1))
  (if (< n 2) (k 'again)))
(show-trace)

; the thunk's value after re-entry is the new one
(let ((k #f) (results '()))
  (let ((v (dynamic-wind
            (lambda () (note 'in))
            (lambda () (call/cc (lambda (c) (set! k c) 0)))
            (lambda () (note 'out)))))
    (set! results (cons v results))
    (if (< v 3) (k (+ v 1)))
    (write (reverse results))
    (newline)))
(show-trace)
