; Multi-shot generators: the continuation of a generator is saved and
; resumed more than once, each time continuing from the same point.

(define (make-range-gen from to)
  ; the generator state is entirely in the continuation
  (define return #f)
  (define resume #f)
  (define (start)
    (let loop ((i from))
      (if (< i to)
          (begin
            (call/cc
             (lambda (k)
               (set! resume k)
               (return i)))
            (loop (+ i 1)))))
    (return 'done))
  (define (next)
    (call/cc
     (lambda (r)
       (set! return r)
       (if resume (resume 'go) (start)))))
  (define (snapshot) resume)
  (define (restore! k) (set! resume k))
  (list next snapshot restore!))

(define gen (make-range-gen 0 10))
(define next (car gen))
(define snapshot (cadr gen))
(define restore! (caddr gen))

(write (next)) (newline)
(write (next)) (newline)
(write (next)) (newline)
(define saved (snapshot))
(write (list (next) (next))) (newline)
(restore! saved)
(write (next)) (newline)
(write (next)) (newline)
(restore! saved)
(let* ((a (next)) (b (next)) (c (next)))
  (write (list 'replay a b c)))
(newline)
(let loop ((x (next)) (acc '()))
  (if (eq? x 'done)
      (begin (write (reverse acc)) (newline))
      (loop (next) (cons x acc))))
(write (next)) (newline)

; enumerating all combinations by resuming a choice point repeatedly
(define (all-pairs xs ys)
  (let ((results '())
        (retry #f))
    (let* ((choose
            (lambda (lst)
              (call/cc
               (lambda (k)
                 (let ((old retry))
                   (let try ((l lst))
                     (if (null? l)
                         (begin (set! retry old) (old #f))
                         (call/cc
                          (lambda (again)
                            (set! retry (lambda (v) (again v)))
                            (k (car l)))))
                     (try (cdr l)))))))))
      (call/cc
       (lambda (done)
         (set! retry (lambda (v) (done #f)))
         (let* ((x (choose xs))
                (y (choose ys)))
           (set! results (cons (list x y) results))
           (retry #f))))
      (reverse results))))

(write (all-pairs '(1 2 3) '(a b)))
(newline)
(write (length (all-pairs '(1 2 3 4 5 6 7 8 9 10) '(1 2 3 4 5 6 7 8 9 10))))
(newline)
