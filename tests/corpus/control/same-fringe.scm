; The same-fringe problem with call/cc generators: compare the leaves of
; two trees lazily, stopping at the first difference.

(define (tree->generator tree)
  (define caller #f)
  (define (walk t)
    (cond ((null? t) 'skip)
          ((pair? t) (walk (car t)) (walk (cdr t)))
          (else
           (call/cc
            (lambda (rest-of-walk)
              (set! generate-leaf (lambda () (rest-of-walk 'resume)))
              (caller t))))))
  (define generate-leaf
    (lambda ()
      (walk tree)
      (caller '*eof*)))
  (lambda ()
    (call/cc
     (lambda (k)
       (set! caller k)
       (generate-leaf)))))

(define leaves-visited 0)

(define (same-fringe? t1 t2)
  (let ((g1 (tree->generator t1))
        (g2 (tree->generator t2)))
    (let loop ()
      (let* ((a (g1))
             (b (g2)))
        (set! leaves-visited (+ leaves-visited 1))
        (cond ((not (eqv? a b)) #f)
              ((eq? a '*eof*) #t)
              (else (loop)))))))

(define (test t1 t2)
  (set! leaves-visited 0)
  (write (same-fringe? t1 t2))
  (display " after ")
  (write leaves-visited)
  (newline))

(test '(1 2 3) '(1 2 3))
(test '(1 (2 3)) '((1 2) 3))
(test '(((1) 2) (3 (4 5))) '(1 (2 (3 (4 (5))))))
(test '(1 2 3) '(1 2 4))
(test '(1 (2 (99 4 5 6 7 8))) '((1 2) 3 4 5 6 7 8))
(test '(1 2) '(1 2 3))
(test '() '())
