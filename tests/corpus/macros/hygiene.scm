; Hygiene both ways: a macro's free identifiers mean what they meant where
; it was defined, and the identifiers it introduces never capture the
; user's.

(define-syntax swap!
  (syntax-rules ()
    ((_ a b) (let ((tmp a)) (set! a b) (set! b tmp)))))

(define tmp 1)
(define other 2)
(swap! tmp other)
(write (list tmp other))
(let ((tmp 'a) (y 'b))
  (swap! tmp y)
  (write (list tmp y)))
(newline)

(define-syntax my-or
  (syntax-rules ()
    ((_) #f)
    ((_ e) e)
    ((_ e r ...) (let ((temp e)) (if temp temp (my-or r ...))))))
(define temp 5)
(write (my-or #f temp))
(let ((temp 6)) (write (my-or #f temp)))
(newline)

; The user shadows `if`, `let` and `list` where the macro is used.
(define-syntax my-if
  (syntax-rules ()
    ((_ c a b) (cond (c a) (else b)))))
(define-syntax pair-up
  (syntax-rules ()
    ((_ a b) (let ((x a) (y b)) (list x y)))))
(let ((if list) (let 5) (cond 6) (else #f) (list vector))
  (write (my-if #f 1 2))
  (write (pair-up 'p 'q))
  (write (my-or #f 3)))
(newline)

; A global the macro refers to, shadowed by a local at the use.
(define (helper x) (* x 10))
(define-syntax call-helper
  (syntax-rules () ((_ v) (helper v))))
(let ((helper (lambda (x) 'wrong)))
  (write (call-helper 4)))
(define (f helper) (call-helper helper))
(write (f 5))
(newline)

; A local macro refers to a local variable of its definition.
(define (g)
  (let ((count 0))
    (let-syntax ((bump! (syntax-rules () ((_) (set! count (+ count 1))))))
      (let ((count 100))
        (bump!)
        (bump!)
        (write count)))
    count))
(write (g))
(newline)

; An introduced binding of a name the arguments also use.
(define-syntax with-x
  (syntax-rules ()
    ((_ e) (let ((x 'macro)) (list x e)))))
(let ((x 'user))
  (write (with-x x)))
(newline)

; Quoted template symbols are plain symbols.
(define-syntax names
  (syntax-rules () ((_ a) '(a tmp temp))))
(write (names q))
(write (eq? (car (cdr (names q))) 'tmp))
(newline)

; An introduced top-level definition does not clash with the user's name.
(define-syntax define-counter
  (syntax-rules ()
    ((_ get)
     (begin
       (define n 0)
       (define (get) (set! n (+ n 1)) n)))))
(define n 'users-n)
(define-counter next!)
(next!)
(write (list (next!) n))
(newline)

; Keywords shadowed by local variables are ordinary variables.
(define (h when unless)
  (list (when 1) (unless 2)))
(write (h (lambda (x) (+ x 1)) (lambda (x) (* x 2))))
(let ((swap! (lambda (a b) (list b a))))
  (write (swap! 1 2)))
(newline)
