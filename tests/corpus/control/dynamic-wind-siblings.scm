; Jumping between two sibling dynamic-winds: the after thunk of the one
; being left runs before the before thunk of the one being entered.

(define trace '())
(define (note x) (set! trace (cons x trace)))
(define (show-trace)
  (write (reverse trace))
  (newline)
  (set! trace '()))

; capture in A, jump into it from B
(let ((k-a #f) (jumped #f))
  (dynamic-wind
   (lambda () (note 'a-before))
   (lambda () (call/cc (lambda (c) (set! k-a c))) (note 'a-body))
   (lambda () (note 'a-after)))
  (if (not jumped)
      (dynamic-wind
       (lambda () (note 'b-before))
       (lambda () (set! jumped #t) (k-a 'from-b) (note 'b-not-reached))
       (lambda () (note 'b-after)))))
(show-trace)

; siblings under a common parent: the parent's thunks do not run
(let ((k-a #f) (jumped #f))
  (dynamic-wind
   (lambda () (note 'p-before))
   (lambda ()
     (dynamic-wind
      (lambda () (note 'a-before))
      (lambda () (call/cc (lambda (c) (set! k-a c))) (note 'a-body))
      (lambda () (note 'a-after)))
     (if (not jumped)
         (dynamic-wind
          (lambda () (note 'b-before))
          (lambda () (set! jumped #t) (k-a 'from-b))
          (lambda () (note 'b-after)))))
   (lambda () (note 'p-after))))
(show-trace)

; nested siblings: leave two levels, enter two levels
(let ((k #f) (jumped #f))
  (dynamic-wind
   (lambda () (note 'a1-before))
   (lambda ()
     (dynamic-wind
      (lambda () (note 'a2-before))
      (lambda () (call/cc (lambda (c) (set! k c))) (note 'a-body))
      (lambda () (note 'a2-after))))
   (lambda () (note 'a1-after)))
  (if (not jumped)
      (dynamic-wind
       (lambda () (note 'b1-before))
       (lambda ()
         (dynamic-wind
          (lambda () (note 'b2-before))
          (lambda () (set! jumped #t) (k 'go))
          (lambda () (note 'b2-after))))
       (lambda () (note 'b1-after)))))
(show-trace)

; ping-pong between two winds several times
(let ((k-a #f) (k-b #f) (count 0))
  (dynamic-wind
   (lambda () (note 'a-in))
   (lambda () (call/cc (lambda (c) (set! k-a c))))
   (lambda () (note 'a-out)))
  (set! count (+ count 1))
  (if (< count 4)
      (if k-b
          (k-b 'to-b)
          (dynamic-wind
           (lambda () (note 'b-in))
           (lambda ()
             (call/cc (lambda (c) (set! k-b c)))
             (note (list 'b-body count))
             (k-a 'to-a))
           (lambda () (note 'b-out))))))
(show-trace)
