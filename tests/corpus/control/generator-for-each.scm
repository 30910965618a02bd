; Generators with call/cc: turning a for-each style traversal into a
; generator that returns one element per call, resumed where it left off.

(define (make-generator for-each-proc collection)
  ; returns a thunk giving the next element, or the symbol done
  (define return #f)
  (define resume
    (lambda (ignored)
      (for-each-proc
       (lambda (x)
         (call/cc
          (lambda (here)
            (set! resume here)
            (return x))))
       collection)
      (return 'done)))
  (lambda ()
    (call/cc
     (lambda (k)
       (set! return k)
       (resume #f)))))

(define g (make-generator for-each '(a b c)))
(write (g)) (newline)
(write (g)) (newline)
(write (g)) (newline)
(write (g)) (newline)
(write (g)) (newline)

(define vg (make-generator vector-for-each (vector 1 2 3 4 5)))
(let loop ((x (vg)) (acc '()))
  (if (eq? x 'done)
      (begin (write (reverse acc)) (newline))
      (loop (vg) (cons (* x x) acc))))

(define sg (make-generator string-for-each "hey"))
(let loop ((x (sg)))
  (if (not (eq? x 'done))
      (begin (write x) (display " ") (loop (sg)))))
(newline)

; two generators interleaved
(define g1 (make-generator for-each '(1 2 3 4)))
(define g2 (make-generator for-each '(10 20 30 40)))
(let loop ((i 0) (acc '()))
  (if (< i 4)
      (let* ((a (g1)) (b (g2)))
        (loop (+ i 1) (cons (+ a b) acc)))
      (begin (write (reverse acc)) (newline))))

; a tree walker as a generator
(define (tree-walk f tree)
  (cond ((null? tree) 'skip)
        ((pair? tree) (tree-walk f (car tree)) (tree-walk f (cdr tree)))
        (else (f tree))))

(define tg (make-generator tree-walk '((1 (2 3)) ((4) 5) (((6))))))
(let loop ((x (tg)) (acc '()))
  (if (eq? x 'done)
      (begin (write (reverse acc)) (newline))
      (loop (tg) (cons x acc))))

; a long generator: 10,000 elements
(define (count-to n)
  (let loop ((i 1) (acc '()))
    (if (> i n) (reverse acc) (loop (+ i 1) (cons i acc)))))
(define lg (make-generator for-each (count-to 10000)))
(let loop ((x (lg)) (sum 0) (n 0))
  (if (eq? x 'done)
      (begin (write (list n sum)) (newline))
      (loop (lg) (+ sum x) (+ n 1))))
