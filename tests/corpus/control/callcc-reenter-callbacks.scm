; Re-entering continuations captured inside callbacks of built-in
; higher-order procedures (map, for-each, vector-map) after those calls
; have returned. R7RS: earlier results of map are not mutated by later
; returns.

(define (show x) (write x) (newline))

; map returning several times
(let ((k #f) (n 0) (results '()))
  (let ((r (map (lambda (x)
                  (if (= x 2)
                      (call/cc (lambda (c) (set! k c) x))
                      x))
                '(1 2 3))))
    (set! results (cons r results))
    (set! n (+ n 1))
    (if (< n 3)
        (k (* n 10))
        (show (reverse results)))))

; the first result list is not changed by the later returns
(let ((k #f) (first #f) (n 0))
  (let ((r (map (lambda (x) (call/cc (lambda (c) (if (= x 1) (set! k c)) x))) '(1 2))))
    (if (not first) (set! first r))
    (set! n (+ n 1))
    (if (< n 3)
        (k (list 'again n))
        (begin (show first) (show r)))))

; for-each resumed from the middle
(let ((k #f) (seen '()))
  (for-each (lambda (x)
              (if (= x 2) (call/cc (lambda (c) (set! k c))))
              (set! seen (cons x seen)))
            '(1 2 3))
  (if (< (length seen) 6)
      (k 'resume)
      (show (reverse seen))))

; vector-map re-entered
(let ((k #f) (n 0))
  (let ((v (vector-map (lambda (x) (if (= x 20) (call/cc (lambda (c) (set! k c) x)) x))
                       (vector 10 20 30))))
    (set! n (+ n 1))
    (show v)
    (if (< n 3) (k (* 100 n)))))

; a generator over vector-for-each, resumed after each escape
(define (vector-generator vec)
  (define return #f)
  (define resume
    (lambda (ignored)
      (vector-for-each
       (lambda (x) (call/cc (lambda (here) (set! resume here) (return x))))
       vec)
      (return 'end)))
  (lambda () (call/cc (lambda (r) (set! return r) (resume #f)))))

(define g (vector-generator (vector 'p 'q 'r)))
(let* ((a (g)) (b (g)) (c (g)) (d (g)))
  (show (list a b c d)))
