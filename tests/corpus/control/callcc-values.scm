; Continuations that accept several values (from call-with-values and
; let-values), zero values, and continuations of non-final expressions
; in sequences, which accept any number of values.

(define (show x) (write x) (newline))

(show (call-with-values (lambda () (call/cc (lambda (k) (k 1 2 3)))) list))
(show (call-with-values (lambda () (call/cc (lambda (k) (k)))) list))
(show (call-with-values (lambda () (call/cc (lambda (k) (k 'one)))) list))

(let-values (((a b) (call/cc (lambda (k) (k 10 20)))))
  (show (+ a b)))

(let-values (((q r) (call/cc (lambda (k) (values 3 2)))))
  (show (list q r)))

(let*-values (((a b) (call/cc (lambda (k) (k 1 2))))
              ((c) (call/cc (lambda (k) (k (+ a b))))))
  (show (list a b c)))

; escaping from deep inside with several values
(define (find-with-index pred lst)
  (call/cc
   (lambda (return)
     (let loop ((l lst) (i 0))
       (cond ((null? l) (return #f #f))
             ((pred (car l)) (return (car l) i))
             (else (loop (cdr l) (+ i 1))))))))

(call-with-values (lambda () (find-with-index even? '(1 3 8 5)))
  (lambda (x i) (show (list x i))))
(call-with-values (lambda () (find-with-index even? '(1 3)))
  (lambda (x i) (show (list x i))))

; a continuation of a non-final expression in a body takes any number
; of values
(show (let ()
        (call/cc (lambda (k) (k 1 2 3)))
        (call/cc (lambda (k) (k)))
        'after-sequence))
(show (begin (call/cc (lambda (k) (k 'a 'b))) 'done))

; re-entering a multiple-value continuation
(let ((k #f) (n 0))
  (call-with-values
      (lambda () (call/cc (lambda (c) (set! k c) (values 0 0))))
    (lambda (a b)
      (set! n (+ n 1))
      (show (list 'got a b))
      (if (< n 3) (k n (* n n))))))

; values through dynamic-wind and a guard
(call-with-values
    (lambda ()
      (guard (e (#t (values 'caught e)))
        (dynamic-wind (lambda () #f) (lambda () (raise 'x)) (lambda () #f))))
  (lambda (a b) (show (list a b))))
(call-with-values
    (lambda ()
      (call/cc (lambda (k)
                 (dynamic-wind (lambda () #f) (lambda () (k 'p 'q)) (lambda () #f)))))
  (lambda (a b) (show (list a b))))
