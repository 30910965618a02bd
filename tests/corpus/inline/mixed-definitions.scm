; Bodies that mix procedure and data definitions (letrec* semantics).
(define (show . xs) (for-each (lambda (x) (write x) (display " ")) xs) (newline))

; Data with simple inits around procedures that use them and each other.
(define (counter-test)
  (define (bump!) (set! count (+ count 1)) (twice count))
  (define count 0)
  (define (twice n) (* n scale))
  (define scale 2)
  (define table (make-vector 3 count))
  (define names '(a b c))
  (bump!) (bump!)
  (let* ((before count) (third (bump!)))
    (list before third count table names)))
(show (counter-test))

; A data init that refers to an earlier data definition.
(define (layered)
  (define a 10)
  (define b (+ a 5))
  (define (sum) (+ a b c))
  (define c (* b 2))
  (sum))
(show (layered))

; A data init that calls a procedure defined before it: evaluated in order.
(define (calls-earlier)
  (define (f x) (* x 3))
  (define y (f 7))
  (define (g) (+ y 1))
  (g))
(show (calls-earlier))

; Closures made by an init keep the variables they capture.
(define (makes-closures)
  (define k 5)
  (define adders (map (lambda (i) (lambda (x) (+ x i k))) '(1 2 3)))
  (define (apply-all x) (map (lambda (f) (f x)) adders))
  (apply-all 100))
(show (makes-closures))

; Each call gets its own data.
(define (fresh n)
  (define acc '())
  (define (push! x) (set! acc (cons x acc)))
  (define limit n)
  (let loop ((i 0)) (when (< i limit) (push! i) (loop (+ i 1))))
  acc)
(show (fresh 3) (fresh 0) (fresh 5))

; letrec* and letrec with the same mix.
(show (letrec* ((even? (lambda (n) (if (= n 0) #t (odd? (- n 1)))))
                (base 10)
                (odd? (lambda (n) (if (= n 0) #f (even? (- n 1)))))
                (result (list base)))
        (list (even? base) (odd? 7) result)))
(show (letrec ((f (lambda () (g)))
               (x 'data)
               (g (lambda () x)))
        (f)))

; A continuation captured in an init and re-entered.
(define saved #f)
(define runs 0)
(define (reenter)
  (define (report) (list 'v v))
  (define v (call/cc (lambda (k) (set! saved k) 1)))
  (set! runs (+ runs 1))
  (report))
(define (run-reenter)
  (let ((results '()))
    (let ((r (reenter))) (set! results (cons r results)))
    (if (< runs 3) (saved (+ runs 10)))
    (list 'runs runs (reverse results))))
(show (run-reenter))
