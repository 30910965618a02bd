;; R7RS 4.2.6: make-parameter (with converters) and parameterize.
(define radix (make-parameter 10))
(define (f n) (number->string n (radix)))
(display (f 12)) (newline)
(display (parameterize ((radix 2)) (f 12))) (newline)
(display (f 12)) (newline)

;; The converter runs on the initial value and on each parameterized value.
(define width
  (make-parameter -3 (lambda (x) (if (integer? x) (abs x) (error "not an integer" x)))))
(display (width)) (newline)
(parameterize ((width -5)) (display (width)) (newline))
(display (width)) (newline)

;; Several at once, nested, and a body with definitions.
(define a (make-parameter 'a0))
(define b (make-parameter 'b0))
(parameterize ((a 'a1) (b 'b1))
  (define both (list (a) (b)))
  (display both) (newline)
  (parameterize ((a 'a2))
    (display (list (a) (b))) (newline))
  (display (list (a) (b))) (newline))
(display (list (a) (b))) (newline)

;; The value is the body's; the body sees the binding in calls it makes.
(define (show) (a))
(display (parameterize ((a 'seen)) (show))) (newline)

;; Escapes restore the values: call/cc out of the body.
(display (call-with-current-continuation
          (lambda (k)
            (parameterize ((a 'inside))
              (k (list 'escaped-with (a)))))))
(newline)
(display (a)) (newline)

;; An exception out of the body, caught by guard.
(display (guard (e ((symbol? e) (list 'caught e (a) (b))))
  (parameterize ((a 'x) (b 'y))
    (raise 'oops))))
(newline)
(display (list (a) (b))) (newline)

;; A converter that raises: the parameter keeps its value.
(display (guard (e (#t 'bad-value))
  (parameterize ((width 'wide)) (width))))
(newline)
(display (width)) (newline)

;; Re-entering the body with a continuation sets the value again.
(define k2 #f)
(define count 0)
(define seen '())
(define (reenter)
  (begin
    (parameterize ((a 'again))
      (call-with-current-continuation (lambda (k) (set! k2 k)))
      (set! seen (cons (a) seen)))
    (set! seen (cons (a) seen))
    (set! count (+ count 1))
    (if (< count 3) (k2 #f))
    (list count seen (a))))
(display (reenter)) (newline)

;; Parameters are procedures.
(display (procedure? radix)) (newline)
(display (map (lambda (p) (p)) (list a b radix))) (newline)
