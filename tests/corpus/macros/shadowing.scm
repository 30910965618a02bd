; Keywords and macros shadowed by local variables, and macros shadowing
; procedures.

(define-syntax ten (syntax-rules () ((_) 10)))
(write (let ((ten (lambda () 11))) (ten)))
(write (ten))
(newline)

(define (f ten) (ten))
(write (f (lambda () 'called)))
(newline)

; A body definition shadows a macro for the forms after it.
(define (g)
  (define (ten) 'local)
  (ten))
(write (g))
(newline)

; A local macro shadows a global procedure.
(define (double x) (* 2 x))
(write (let-syntax ((double (syntax-rules () ((_ x) (list x x)))))
         (double 4)))
(write (double 4))
(newline)

; Inner macro shadows outer macro of the same name.
(define-syntax m (syntax-rules () ((_) 'outer)))
(write (let-syntax ((m (syntax-rules () ((_) 'inner))))
         (m)))
(write (m))
(newline)

; let-syntax transformers see the outer binding; letrec-syntax ones see
; each other.
(write (let-syntax ((m (syntax-rules () ((_) (list 'new (m))))))
         (m)))
(write (letrec-syntax ((ev? (syntax-rules () ((_) #t) ((_ x . r) (od? . r))))
                       (od? (syntax-rules () ((_) #f) ((_ x . r) (ev? . r)))))
         (list (ev? 1 2 3 4) (od? 1 2 3))))
(newline)

; `else` as a variable stops being the cond keyword.
(write (let ((else #f)) (cond (else 'taken) (#t 'fell-through))))
(newline)

; A macro whose template uses `define` and `lambda` while the user binds
; those names locally.
(define-syntax make-adder
  (syntax-rules ()
    ((_ n) (lambda (x) (+ x n)))))
(write (let ((lambda 1) (define 2)) ((make-adder 5) 10)))
(newline)
