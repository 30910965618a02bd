; The examples of R7RS section 4.3 (macros), printed.

; 4.3.2 let-syntax
(write (let-syntax ((given-that (syntax-rules ()
                                  ((_ test stmt1 stmt2 ...)
                                   (if test
                                       (begin stmt1
                                              stmt2 ...))))))
         (let ((if #t))
           (given-that if (set! if 'now))
           if)))
(newline)

(write (let ((x 'outer))
         (let-syntax ((m (syntax-rules () ((m) x))))
           (let ((x 'inner))
             (m)))))
(newline)

; 4.3.2 letrec-syntax
(write (letrec-syntax
           ((my-or (syntax-rules ()
                     ((my-or) #f)
                     ((my-or e) e)
                     ((my-or e1 e2 ...)
                      (let ((temp e1))
                        (if temp
                            temp
                            (my-or e2 ...)))))))
         (let ((x #f)
               (y 7)
               (temp 8)
               (let odd?)
               (if even?))
           (my-or x
                  (let temp)
                  (if y)
                  y))))
(newline)

; 4.3.2 syntax-rules: the (... ...) escape
(define-syntax be-like-begin
  (syntax-rules ()
    ((be-like-begin name)
     (define-syntax name
       (syntax-rules ()
         ((name expr (... ...))
          (begin expr (... ...))))))))
(be-like-begin sequence)
(write (sequence 1 2 3 4))
(newline)

; 4.3.2: `=>` is matched as a literal only when it has its meaning
(write (let ((=> #f))
         (cond (#t => 'ok))))
(newline)

; 7.3 derived expression types, as macros under other names
(define-syntax my-let
  (syntax-rules ()
    ((my-let ((name val) ...) body1 body2 ...)
     ((lambda (name ...) body1 body2 ...)
      val ...))
    ((my-let tag ((name val) ...) body1 body2 ...)
     ((letrec ((tag (lambda (name ...)
                      body1 body2 ...)))
        tag)
      val ...))))
(write (my-let ((a 1) (b 2)) (+ a b)))
(write (my-let loop ((i 0) (acc '())) (if (= i 3) acc (loop (+ i 1) (cons i acc)))))
(newline)

(define-syntax my-cond
  (syntax-rules (else =>)
    ((my-cond (else result1 result2 ...))
     (begin result1 result2 ...))
    ((my-cond (test => result))
     (let ((temp test))
       (if temp (result temp))))
    ((my-cond (test => result) clause1 clause2 ...)
     (let ((temp test))
       (if temp
           (result temp)
           (my-cond clause1 clause2 ...))))
    ((my-cond (test)) test)
    ((my-cond (test) clause1 clause2 ...)
     (let ((temp test))
       (if temp
           temp
           (my-cond clause1 clause2 ...))))
    ((my-cond (test result1 result2 ...))
     (if test (begin result1 result2 ...)))
    ((my-cond (test result1 result2 ...)
              clause1 clause2 ...)
     (if test
         (begin result1 result2 ...)
         (my-cond clause1 clause2 ...)))))
(write (my-cond ((assv 'b '((a 1) (b 2))) => cadr) (else 'nope)))
(write (my-cond (#f 1) ((+ 1 1)) (else 3)))
(write (my-cond ((> 3 3) 'greater) ((< 3 3) 'less) (else 'equal)))
(newline)

(define-syntax my-case
  (syntax-rules (else =>)
    ((my-case (key ...) clauses ...)
     (let ((atom-key (key ...)))
       (my-case atom-key clauses ...)))
    ((my-case key (else => result))
     (result key))
    ((my-case key (else result1 result2 ...))
     (begin result1 result2 ...))
    ((my-case key ((atoms ...) result1 result2 ...))
     (if (memv key '(atoms ...))
         (begin result1 result2 ...)))
    ((my-case key ((atoms ...) result1 result2 ...) clause clauses ...)
     (if (memv key '(atoms ...))
         (begin result1 result2 ...)
         (my-case key clause clauses ...)))))
(write (my-case (* 2 3)
         ((2 3 5 7) 'prime)
         ((1 4 6 8 9) 'composite)))
(write (my-case (car '(c d))
         ((a e i o u) 'vowel)
         ((w y) 'semivowel)
         (else => (lambda (x) x))))
(newline)

(define-syntax my-do
  (syntax-rules ()
    ((my-do ((var init step ...) ...)
         (test expr ...)
         command ...)
     (letrec
       ((loop
         (lambda (var ...)
           (if test
               (begin
                 (if #f #f)
                 expr ...)
               (begin
                 command
                 ...
                 (loop (my-do "step" var step ...)
                       ...))))))
       (loop init ...)))
    ((my-do "step" x)
     x)
    ((my-do "step" x y)
     y)))
(write (my-do ((vec (make-vector 5))
               (i 0 (+ i 1)))
              ((= i 5) vec)
              (vector-set! vec i i)))
(write (let ((x '(1 3 5 7 9)))
         (my-do ((x x (cdr x))
                 (sum 0 (+ sum (car x))))
                ((null? x) sum))))
(newline)

(define-syntax my-let*
  (syntax-rules ()
    ((my-let* () body1 body2 ...)
     (let () body1 body2 ...))
    ((my-let* ((name1 val1) (name2 val2) ...)
       body1 body2 ...)
     (let ((name1 val1))
       (my-let* ((name2 val2) ...)
         body1 body2 ...)))))
(write (my-let* ((x 1) (y (+ x 1)) (z (* y 3))) (list x y z)))
(newline)
