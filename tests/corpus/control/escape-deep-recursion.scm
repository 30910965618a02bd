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

(define (make-list-to n)
  (let loop ((i n) (acc '()))
    (if (= i 0) acc (loop (- i 1) (cons i acc)))))

; 100,000 deep, the zero at the very end
(define big (append (make-list-to 100000) (list 0)))
(write (product big))
(newline)

; a depth-first search of a deep tree escaping with the path
(define (build-chain n)
  ; a chain of n nested lists: (1 (2 (3 ... (n ()))))
  (let loop ((i n) (acc '()))
    (if (= i 0) acc (loop (- i 1) (list i acc)))))

(define (find-deep tree target)
  (call/cc
   (lambda (found)
     (let walk ((t tree) (depth 0))
       (cond ((null? t) #f)
             ((= (car t) target) (found (list 'found target 'at-depth depth)))
             (else (walk (cadr t) (+ depth 1)))
             ))
     'not-found)))

(define chain (build-chain 100000))
(write (find-deep chain 99999))
(newline)
(write (find-deep chain 200000))
(newline)

; non-tail recursion that escapes from depth 100,000 with a value that
; the recursion was about to combine
(define (sum-until-negative lst)
  (call/cc
   (lambda (k)
     (let rec ((l lst))
       (cond ((null? l) 0)
             ((negative? (car l)) (k (list 'negative (car l))))
             (else (+ (car l) (rec (cdr l)))))))))

(write (sum-until-negative (make-list-to 100000)))
(newline)
(write (sum-until-negative (append (make-list-to 100000) (list -7))))
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
