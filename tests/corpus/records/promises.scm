;; R7RS 4.2.5: delay, delay-force, force, make-promise, promise?.
(display (force (delay (+ 1 2)))) (newline)
(display (let ((p (delay (+ 1 2))))
           (list (force p) (force p))))
(newline)

;; The stream example of the report.
(define integers
  (letrec ((next
            (lambda (n)
              (delay (cons n (next (+ n 1)))))))
    (next 0)))
(define head
  (lambda (stream) (car (force stream))))
(define tail
  (lambda (stream) (cdr (force stream))))
(display (head (tail (tail integers)))) (newline)

(define (stream-filter p? s)
  (delay-force
   (if (null? (force s))
       (delay '())
       (let ((h (car (force s)))
             (t (cdr (force s))))
         (if (p? h)
             (delay (cons h (stream-filter p? t)))
             (stream-filter p? t))))))
(display (head (tail (tail (stream-filter odd? integers))))) (newline)

;; Forcing runs the body once; a promise that forces itself (the report's example).
(define count 0)
(define p
  (delay (begin (set! count (+ count 1))
                (if (> count x)
                    count
                    (force p)))))
(define x 5)
(display (force p)) (newline)
(display (begin (set! x 10) (force p))) (newline)
(define runs 0)
(define once (delay (begin (set! runs (+ runs 1)) 'value)))
(force once)
(force once)
(display (list runs (force once))) (newline)

;; Long delay-force chains (tests/tests/records.rs forces one of 10,000,000).
(define (loop n)
  (if (= n 0)
      (delay 'bottom)
      (delay-force (loop (- n 1)))))
(display (force (loop 10000))) (newline)
(define (count-down n)
  (delay-force (if (= n 0) (delay 'done) (count-down (- n 1)))))
(display (force (count-down 10000))) (newline)

;; make-promise and promise?.
(display (force (make-promise 42))) (newline)
(define q (delay 1))
(display (list (promise? q) (promise? (make-promise 1)) (promise? 1)
               (procedure? q) (vector? q) (pair? q)))
(newline)

;; delay captures its environment; an error while forcing propagates.
(define (make-counter-promise start) (delay (* start 2)))
(display (map force (map make-counter-promise '(1 2 3)))) (newline)
(display (guard (e ((symbol? e) (list 'caught e)))
  (force (delay (raise 'inside)))))
(newline)
