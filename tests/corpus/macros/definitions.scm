; Macros that expand into definitions, macros that define macros, and
; recursive macros.

(define-syntax def-both
  (syntax-rules ()
    ((_ a b v) (begin (define a v) (define b v)))))
(def-both p q 9)
(write (+ p q))
(newline)

(define (f)
  (def-both r s 4)
  (define t 1)
  (+ (* r s) t))
(write (f))
(newline)

(define-syntax define-getter
  (syntax-rules ()
    ((_ name field) (define (name alist) (cdr (assq 'field alist))))))
(define-getter get-x x)
(define-getter get-y y)
(write (list (get-x '((x . 1) (y . 2))) (get-y '((x . 1) (y . 2)))))
(newline)

; A body that uses a definition made by a macro defined in the same body.
(define (g n)
  (define-syntax def-square
    (syntax-rules () ((_ name) (define (name x) (* x x)))))
  (def-square sq)
  (define m (sq n))
  (+ m 1))
(write (g 7))
(newline)

; Mutually recursive definitions from macros.
(define-syntax def-parity
  (syntax-rules ()
    ((_ ev od)
     (begin
       (define (ev n) (if (= n 0) #t (od (- n 1))))
       (define (od n) (if (= n 0) #f (ev (- n 1))))))))
(def-parity my-even? my-odd?)
(write (list (my-even? 10) (my-odd? 7) (my-even? 3)))
(newline)

; Macros that define macros.
(define-syntax define-alias
  (syntax-rules ()
    ((_ new old)
     (define-syntax new
       (syntax-rules ()
         ((_ . args) (old . args)))))))
(define-alias plus +)
(define-alias lst list)
(write (lst (plus 1 2) (plus 3 4 5)))
(newline)

(define-syntax define-constant-macro
  (syntax-rules ()
    ((_ name value)
     (define-syntax name (syntax-rules () ((_) value))))))
(define-constant-macro forty-two 42)
(write (forty-two))
(newline)

(define-syntax define-my-list
  (syntax-rules ()
    ((_ name)
     (define-syntax name
       (syntax-rules ()
         ((_ x (... ...)) (list x (... ...))))))))
(define-my-list my-list)
(write (my-list 1 2 3))
(newline)

; Recursive macros.
(define-syntax my-reverse
  (syntax-rules ()
    ((_ () acc) 'acc)
    ((_ (x rest ...) (acc ...)) (my-reverse (rest ...) (x acc ...)))))
(write (my-reverse (1 2 3 4 5) ()))
(newline)

(define-syntax count-args
  (syntax-rules ()
    ((_) 0)
    ((_ x rest ...) (+ 1 (count-args rest ...)))))
(write (count-args a b c d e f g))
(newline)

(define-syntax my-and
  (syntax-rules ()
    ((_) #t)
    ((_ e) e)
    ((_ e1 e2 ...) (if e1 (my-and e2 ...) #f))))
(write (list (my-and) (my-and 1 2 3) (my-and 1 #f 3)))
(newline)

; A recursive macro producing a deep expression.
(define-syntax nest-adds
  (syntax-rules ()
    ((_ x) x)
    ((_ x y ...) (+ x (nest-adds y ...)))))
(write (nest-adds 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20))
(newline)

; while loops as a macro, using a user-visible `break` passed in.
(define-syntax while
  (syntax-rules ()
    ((_ cond body ...)
     (let loop () (when cond body ... (loop))))))
(define i 0)
(define acc '())
(while (< i 5) (set! acc (cons i acc)) (set! i (+ i 1)))
(write acc)
(newline)

; A macro expanding into define-values.
(define-syntax def-two
  (syntax-rules ()
    ((_ a b) (define-values (a b) (values 1 2)))))
(def-two one two)
(write (list one two))
(define (k)
  (def-two u v)
  (+ u v))
(write (k))
(newline)
