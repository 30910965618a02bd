; A continuation captured at depth and called repeatedly: each call
; returns through all the pending frames again.

(define k-deep #f)

(define (descend n)
  (if (= n 0)
      (call/cc (lambda (k) (set! k-deep k) 0))
      (+ 1 (descend (- n 1)))))

(define count 0)
(define results '())

(let ((v (descend 200)))
  (set! count (+ count 1))
  (set! results (cons v results))
  (if (< count 100)
      (k-deep count)))

(write (length results))
(newline)
(write (car results))
(newline)
(write (list-tail (reverse results) 95))
(newline)
(write (apply + results))
(newline)

; deeper: 2,000 frames, re-entered 20 times
(define k-deeper #f)
(define (descend2 n)
  (if (= n 0)
      (call/cc (lambda (k) (set! k-deeper k) 0))
      (+ 1 (descend2 (- n 1)))))

(define count2 0)
(define total2 0)
(let ((v (descend2 2000)))
  (set! count2 (+ count2 1))
  (set! total2 (+ total2 v))
  (if (< count2 20)
      (k-deeper count2)))
(write (list count2 total2))
(newline)

; capturing many continuations at depth (each one escape-only) stays
; linear: 2,000 captures at depth 200
(define (capture-at-depth n)
  (if (= n 0)
      (call/cc (lambda (k) (k 1)))
      (+ 0 (capture-at-depth (- n 1)))))

(let loop ((i 0) (acc 0))
  (if (< i 2000)
      (loop (+ i 1) (+ acc (capture-at-depth 200)))
      (begin (write acc) (newline))))
