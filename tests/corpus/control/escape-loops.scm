; Escaping from loops with an escape continuation: for-each, map,
; vector-for-each, string-for-each, do, named let, nested loops.

(define (find-first pred lst)
  (call/cc
   (lambda (return)
     (for-each (lambda (x) (if (pred x) (return x))) lst)
     'none)))

(write (find-first even? '(1 3 5 6 7 8)))
(newline)
(write (find-first even? '(1 3 5)))
(newline)

; map: escaping with the first bad element
(define (checked-double lst)
  (call/cc
   (lambda (k)
     (map (lambda (x) (if (number? x) (* 2 x) (k (list 'bad x)))) lst))))

(write (checked-double '(1 2 3)))
(newline)
(write (checked-double '(1 2 x 4)))
(newline)

(write
 (call/cc
  (lambda (k)
    (vector-for-each (lambda (x) (if (> x 10) (k x))) (vector 1 5 12 3 40))
    'none)))
(newline)

(write
 (call/cc
  (lambda (k)
    (string-for-each (lambda (c) (if (char=? c #\space) (k 'found-space))) "hello world")
    'none)))
(newline)

; do loop
(write
 (call/cc
  (lambda (break)
    (do ((i 0 (+ i 1)))
        ((= i 100) 'finished)
      (if (= (* i i) 49) (break i))))))
(newline)

; named let, escaping with two values
(call-with-values
    (lambda ()
      (call/cc
       (lambda (k)
         (let loop ((i 0) (acc '()))
           (if (= i 5)
               (k i (reverse acc))
               (loop (+ i 1) (cons (* i i) acc)))))))
  (lambda (n squares)
    (write n)
    (display " ")
    (write squares)
    (newline)))

; nested loops: break out of both from the inner one
(define (find-pair-sum lst target)
  (call/cc
   (lambda (return)
     (for-each
      (lambda (a)
        (for-each
         (lambda (b)
           (if (and (< a b) (= (+ a b) target))
               (return (list a b))))
         lst))
      lst)
     #f)))

(write (find-pair-sum '(3 9 14 20 25 31) 45))
(newline)
(write (find-pair-sum '(3 9 14) 100))
(newline)

; continue: an escape per iteration
(define (sum-skipping-negatives lst)
  (let ((total 0))
    (for-each
     (lambda (x)
       (call/cc
        (lambda (continue)
          (if (negative? x) (continue #f))
          (set! total (+ total x)))))
     lst)
    total))

(write (sum-skipping-negatives '(1 -2 3 -4 5 6)))
(newline)

; an escape continuation called from a helper procedure
(define (each-until lst stop?)
  (call/cc
   (lambda (k)
     (define (visit x)
       (if (stop? x) (k (list 'stopped-at x)))
       (display x)
       (display " "))
     (for-each visit lst)
     'all-visited)))

(write (each-until '(a b c d) (lambda (x) (eq? x 'c))))
(newline)
(write (each-until '(a b) (lambda (x) #f)))
(newline)
