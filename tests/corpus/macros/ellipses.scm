; Patterns: nested ellipses, an ellipsis followed by more patterns, dotted
; and vector patterns, literals, `_`.

(define-syntax flat
  (syntax-rules () ((_ (a ...) ...) '(a ... ...))))
(write (flat (1 2) (3) () (4 5 6)))
(newline)

(define-syntax rotate
  (syntax-rules () ((_ (a b ...) ...) '((b ... a) ...))))
(write (rotate (1 2 3) (4) (5 6)))
(newline)

(define-syntax my-let-values-ish
  (syntax-rules ()
    ((_ ((name val) ...) ((name2 val2) ...) body)
     (let ((name val) ...) (let ((name2 val2) ...) body)))))
(write (my-let-values-ish ((a 1) (b 2)) ((c 3)) (list a b c)))
(newline)

(define-syntax last-first
  (syntax-rules () ((_ a ... z) '(z a ...))))
(write (last-first 1))
(write (last-first 1 2 3 4))
(newline)

(define-syntax middle
  (syntax-rules () ((_ a b ... y z) '(a (b ...) y z))))
(write (middle 1 2 3))
(write (middle 1 2 3 4 5 6))
(newline)

(define-syntax dotted
  (syntax-rules () ((_ a . rest) '(a rest))))
(write (dotted 1))
(write (dotted 1 2 3))
(newline)

(define-syntax ell-dot
  (syntax-rules () ((_ (a ... . r)) '((a ...) r))))
(write (ell-dot (1 2 . 3)))
(write (ell-dot (1 2)))
(write (ell-dot 7))
(newline)

(define-syntax vsum
  (syntax-rules () ((_ #(a ...) #(b c ...)) (list (+ a ...) b (* c ...)))))
(write (vsum #(1 2 3) #(4 5 6)))
(write (vsum #() #(4)))
(newline)

(define-syntax vec-template
  (syntax-rules () ((_ (k v) ...) '#(k ... v ...))))
(write (vec-template (1 a) (2 b)))
(newline)

(define-syntax kind
  (syntax-rules (left right)
    ((_ left) 'is-left)
    ((_ right) 'is-right)
    ((_ _) 'other)
    ((_ _ _) 'two)))
(write (list (kind left) (kind right) (kind up) (kind 1 2)))
(newline)

(define-syntax lit-data
  (syntax-rules ()
    ((_ 1 x) (list 'one x))
    ((_ "s" x) (list 'string x))
    ((_ #\c x) (list 'char x))
    ((_ #t x) (list 'true x))
    ((_ y x) (list 'else y x))))
(write (list (lit-data 1 'a) (lit-data "s" 'b) (lit-data #\c 'c) (lit-data #t 'd) (lit-data 2 'e)))
(newline)

(define-syntax triple
  (syntax-rules ()
    ((_ ((a b ...) ...) ...) '(((b ... a) ...) ...))))
(write (triple ((1 2) (3)) () ((4 5 6))))
(newline)

(define-syntax pairs
  (syntax-rules ()
    ((_ (k ...) (v ...)) '((k v) ...))))
(write (pairs (a b c) (1 2 3)))
(newline)

(define-syntax const-in-loop
  (syntax-rules ()
    ((_ c x ...) '((c x) ...))))
(write (const-in-loop z 1 2 3))
(newline)

(define-syntax escape
  (syntax-rules ()
    ((_ a) '(a (... ...) (... (x ...))))))
(write (escape 1))
(newline)
