; All solutions of the n-queens problem by backtracking with call/cc:
; every choice point is a continuation re-entered for each alternative.

(define fail #f)

(define (choose lst)
  ; return each element of lst in turn, backtracking into fail
  (call/cc
   (lambda (return)
     (let ((outer-fail fail))
       (for-each
        (lambda (x)
          (call/cc
           (lambda (next)
             (set! fail (lambda () (next 'retry)))
             (return x))))
        lst)
       (set! fail outer-fail)
       (outer-fail)))))

(define (iota-from-1 n)
  (let loop ((i n) (acc '()))
    (if (= i 0) acc (loop (- i 1) (cons i acc)))))

(define (safe? col placed)
  ; placed: columns of earlier rows, most recent first
  (let loop ((rest placed) (distance 1))
    (cond ((null? rest) #t)
          ((or (= (car rest) col)
               (= (abs (- (car rest) col)) distance))
           #f)
          (else (loop (cdr rest) (+ distance 1))))))

(define (queens n)
  (let ((cols (iota-from-1 n)))
    (let place ((row 0) (placed '()))
      (if (= row n)
          (reverse placed)
          (let ((c (choose cols)))
            (if (safe? c placed)
                (place (+ row 1) (cons c placed))
                (fail)))))))

(define (all-solutions n)
  (let ((solutions '()))
    (call/cc
     (lambda (done)
       (set! fail (lambda () (done 'finished)))
       (let ((s (queens n)))
         (set! solutions (cons s solutions))
         (fail))))
    (reverse solutions)))

(write (all-solutions 4))
(newline)
(write (car (all-solutions 6)))
(newline)
(do ((n 1 (+ n 1))) ((> n 8))
  (write (list n (length (all-solutions n))))
  (newline))
