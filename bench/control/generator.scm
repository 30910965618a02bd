;; A generator over a tree with call/cc, re-entered for every leaf:
;; 200 walks of a 10,000-leaf tree.
(define (make-tree lo hi)
  (if (= lo hi) lo
      (let ((mid (quotient (+ lo hi) 2)))
        (cons (make-tree lo mid) (make-tree (+ mid 1) hi)))))
(define (tree-walker tree)
  (define return #f)
  (define resume #f)
  (define (walk t)
    (if (pair? t)
        (begin (walk (car t)) (walk (cdr t)))
        (call/cc (lambda (k) (set! resume k) (return t)))))
  (lambda ()
    (call/cc
     (lambda (r)
       (set! return r)
       (if resume
           (resume #f)
           (begin (walk tree) (return 'done)))))))
(define tree (make-tree 1 10000))
(define (sum-leaves)
  (let ((next (tree-walker tree)))
    (let loop ((acc 0))
      (let ((x (next)))
        (if (eq? x 'done) acc (loop (+ acc x)))))))
(define (repeat n acc) (if (= n 0) acc (repeat (- n 1) (+ acc (sum-leaves)))))
(display (repeat 200 0))
(newline)
