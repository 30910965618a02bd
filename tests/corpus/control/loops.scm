;; Named let, do and one-procedure letrec loops: those only ever jumped
;; to are compiled inline in the enclosing procedure (compiler/src/loops.rs);
;; the rest are procedures. Both kinds, mixed, must give the same answers.
(define (show x) (write x) (newline))

(define (f x y)
  (let loop ((i 0) (acc (list x y)))
    (if (< i 3)
        (loop (+ i 1) (cons (* i x) acc))
        (string-append "f:" (number->string (length acc)) (if (> y 0) "+" "-")))))
(show (f 1 2))

(define (sum-to n) (do ((i 0 (+ i 1)) (s 0 (+ s i))) ((= i n) s)))
(show (sum-to 100))

;; An inner loop jumps to the outer one.
(define (pairs n)
  (let outer ((i 0) (acc '()))
    (if (= i n)
        (reverse acc)
        (let inner ((j 0) (acc acc))
          (if (= j i)
              (outer (+ i 1) acc)
              (inner (+ j 1) (cons (list i j) acc)))))))
(show (pairs 4))

;; A loop whose value is an argument (not in tail position).
(show (+ 1 (let loop ((i 0)) (if (< i 10) (loop (+ i 1)) i))))
(show (list (let loop ((i 5) (p 1)) (if (= i 0) p (loop (- i 1) (* p i))))
            (let loop ((i 3) (p 1)) (if (= i 0) p (loop (- i 1) (* p i))))))

;; Each iteration's closure sees that iteration's variable.
(define (closures)
  (let loop ((i 0) (fs '()))
    (if (< i 3)
        (loop (+ i 1) (cons (lambda () i) fs))
        (map (lambda (f) (f)) fs))))
(show (closures))

;; An assigned loop variable is a fresh location in each iteration.
(define (assigned)
  (let loop ((i 0) (fs '()))
    (if (< i 3)
        (loop (+ i 1) (cons (lambda () (set! i (* i 10)) i) fs))
        (map (lambda (f) (f)) fs))))
(show (assigned))

;; Not loops: a non-tail self call, a loop passed as a value, a loop
;; called from a lambda.
(define (double-all l)
  (let loop ((l l)) (if (null? l) '() (cons (* 2 (car l)) (loop (cdr l))))))
(show (double-all '(1 2 3)))
(define (escaping)
  (let loop ((i 0)) (if (< i 2) (loop (+ i 1)) (map loop '(5 6)))))
(define (from-lambda n)
  (let loop ((i 0) (acc '()))
    (if (= i n) acc (for-each (lambda (x) (set! acc (loop (+ i 1) (cons x acc)))) '(a)))
    acc))
(show (from-lambda 3))

;; Arguments that swap: every argument is computed before any is stored.
(define (swap a b n) (let loop ((a a) (b b) (n n)) (if (= n 0) (list a b) (loop b a (- n 1)))))
(show (swap 1 2 3))
(show (let loop ((i 0) (j 10)) (cond ((> i j) (list i j)) (else (loop (+ i 2) (- j 1))))))

;; A loop inside a procedure inside a loop.
(show (map (lambda (x) (let lp ((x x) (n 0)) (if (< x 1) n (lp (/ x 2) (+ n 1))))) '(1 8 100)))

;; A continuation captured in a loop, re-entered after the loop ended.
(define (reenter)
  (let ((k #f) (n 0) (out '()))
    (let ((v (let loop ((i 0)) (if (= i 3) (call/cc (lambda (c) (set! k c) i)) (loop (+ i 1))))))
      (set! out (cons v out))
      (set! n (+ n 1))
      (if (< n 3) (k (* n 100)))
      (reverse out))))
(show (reenter))

;; Loops allocating enough to collect, values kept across iterations.
(define (build n)
  (let loop ((i 0) (acc '()))
    (if (= i n) (length acc) (loop (+ i 1) (cons (make-vector 3 i) acc)))))
(show (build 5000))
(define (strings n)
  (do ((i 0 (+ i 1)) (acc '() (cons (number->string i) acc)))
      ((= i n) (apply string-append (list-tail acc (- n 3))))))
(show (strings 5000))

;; A one-procedure letrec used as a loop, and one with a rest argument.
(show (letrec ((count (lambda (i acc) (if (= i 0) acc (count (- i 1) (+ acc 2)))))) (count 5 0)))
(show (letrec ((r (lambda (i . more) (if (= i 0) more (r (- i 1) i))))) (r 3)))

;; Flonum accumulators.
(show (let loop ((i 0) (x 0.0)) (if (= i 10) x (loop (+ i 1) (+ x 0.1)))))
(show (do ((i 0 (+ i 1)) (p 1.0 (* p 1.5))) ((= i 5) p)))
