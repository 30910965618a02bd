; Escaping from deep (non-tail) recursion with call/cc.

; product of a list, leaving at once on a zero
(define (product lst)
  (call/cc
   (lambda (break)
     (let loop ((l lst))
       (cond ((null? l) 1)
             ((zero? (car l)) (break 0))
             (else (* (car l) (loop (cdr l)))))))))

(write (product '(1 2 3 4 5)))
(newline)
(write (product '(1 2 3 0 4 5)))
(newline)

; 100,000 deep, the zero at the very end (no big live data, so that
; this stays quick under SCHEME_GC_STRESS too)
(define (product-1-to n zero-at)
  (call/cc
   (lambda (break)
     (let loop ((i 1))
       (cond ((> i n) 1)
             ((= i zero-at) (break 0))
             (else (* i (loop (+ i 1)))))))))
(write (product-1-to 100000 100000))
(newline)
(write (product-1-to 10 0))
(newline)

; a depth-first descent escaping with where it stopped
(define (find-deep limit target)
  (call/cc
   (lambda (found)
     (let walk ((node 1) (depth 0))
       (cond ((> node limit) (found 'not-found))
             ((= node target) (found (list 'found target 'at-depth depth)))
             (else (+ 1 (walk (+ node 1) (+ depth 1)))))))))

(write (find-deep 100000 99999))
(newline)
(write (find-deep 100000 200000))
(newline)

; non-tail recursion that escapes from depth 100,000 with a value that
; the recursion was about to combine
(define (sum-until-negative n negative-at)
  (call/cc
   (lambda (k)
     (let rec ((i 1))
       (cond ((> i n) 0)
             ((= i negative-at) (k (list 'negative (- i))))
             (else (+ i (rec (+ i 1)))))))))

(write (sum-until-negative 100000 0))
(newline)
(write (sum-until-negative 100001 100001))
(newline)

; escaping several times in a row from deep recursion
(define (depth-escape n)
  (call/cc
   (lambda (k)
     (let rec ((i 0))
       (if (= i n) (k i) (+ 1 (rec (+ i 1))))))))

(let loop ((i 0) (total 0))
  (if (< i 10)
      (loop (+ i 1) (+ total (depth-escape 10000)))
      (begin (write total) (newline))))
