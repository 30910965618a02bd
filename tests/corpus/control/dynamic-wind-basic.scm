; dynamic-wind without jumps: before, thunk, after once each, in order;
; the thunk's values are returned; nesting.

(define trace '())
(define (note x) (set! trace (cons x trace)))
(define (show-trace)
  (write (reverse trace))
  (newline)
  (set! trace '()))

(write (dynamic-wind (lambda () (note 'before))
                     (lambda () (note 'thunk) 'result)
                     (lambda () (note 'after))))
(newline)
(show-trace)

; several values pass through
(call-with-values
    (lambda ()
      (dynamic-wind (lambda () (note 'in))
                    (lambda () (values 1 2 3))
                    (lambda () (note 'out))))
  (lambda (a b c) (write (list a b c)) (newline)))
(show-trace)

; zero values
(call-with-values
    (lambda ()
      (dynamic-wind (lambda () (note 'in))
                    (lambda () (values))
                    (lambda () (note 'out))))
  (lambda () (write 'no-values) (newline)))
(show-trace)

; nesting
(write
 (dynamic-wind
  (lambda () (note 'outer-before))
  (lambda ()
    (+ 1 (dynamic-wind
          (lambda () (note 'inner-before))
          (lambda () (note 'inner-thunk) 41)
          (lambda () (note 'inner-after)))))
  (lambda () (note 'outer-after))))
(newline)
(show-trace)

; sequential winds
(let loop ((i 0))
  (if (< i 3)
      (begin
        (dynamic-wind (lambda () (note (list 'before i)))
                      (lambda () (note (list 'during i)))
                      (lambda () (note (list 'after i))))
        (loop (+ i 1)))))
(show-trace)

; the value of before and after thunks is ignored
(write (dynamic-wind (lambda () 1) (lambda () 2) (lambda () 3)))
(newline)

; a dynamic-wind inside a before thunk and an after thunk
(dynamic-wind
 (lambda ()
   (dynamic-wind (lambda () (note 'b-b)) (lambda () (note 'b-t)) (lambda () (note 'b-a))))
 (lambda () (note 'body))
 (lambda ()
   (dynamic-wind (lambda () (note 'a-b)) (lambda () (note 'a-t)) (lambda () (note 'a-a)))))
(show-trace)

; a deep stack of nested winds (1,000)
(define (nest n)
  (if (= n 0)
      'bottom
      (dynamic-wind (lambda () (note 'b))
                    (lambda () (nest (- n 1)))
                    (lambda () (note 'a)))))
(write (nest 1000))
(newline)
(write (length trace))
(newline)
(write (list (list-ref trace 0) (list-ref trace 999) (list-ref trace 1000) (list-ref trace 1999)))
(newline)
