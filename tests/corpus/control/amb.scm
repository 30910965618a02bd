; Backtracking search with amb built from call/cc: a stack of failure
; continuations, each choice point re-entered once per alternative.

(define fail-stack '())

(define (fail)
  (if (null? fail-stack)
      (error "no more choices")
      (let ((back (car fail-stack)))
        (set! fail-stack (cdr fail-stack))
        (back back))))

(define (amb choices)
  (let ((cc (call/cc (lambda (k) k))))
    (if (null? choices)
        (fail)
        (let ((choice (car choices)))
          (set! choices (cdr choices))
          (set! fail-stack (cons cc fail-stack))
          choice))))

(define (require p)
  (if (not p) (fail)))

(define (distinct? items)
  (cond ((null? items) #t)
        ((member (car items) (cdr items)) #f)
        (else (distinct? (cdr items)))))

; the first Pythagorean triple with sides up to 20
(define (pythagorean)
  (let* ((a (amb '(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20)))
         (b (amb '(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20)))
         (c (amb '(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20))))
    (require (< a b))
    (require (= (+ (* a a) (* b b)) (* c c)))
    (list a b c)))

(set! fail-stack '())
(write (pythagorean))
(newline)
; ask for more solutions by failing into the saved choice points
(define more-triples '())
(define found-count 0)
(let ((t (call/cc (lambda (k) k))))
  (if (procedure? t)
      (begin
        (set! fail-stack '())
        (set! fail-stack (list (lambda (ignored) (t 'exhausted))))
        (let ((sol (pythagorean)))
          (set! more-triples (cons sol more-triples))
          (fail)))))
(write (reverse more-triples))
(newline)

; SICP's multiple-dwelling puzzle
(define (multiple-dwelling)
  (let* ((baker (amb '(1 2 3 4 5)))
         (cooper (amb '(1 2 3 4 5)))
         (fletcher (amb '(1 2 3 4 5)))
         (miller (amb '(1 2 3 4 5)))
         (smith (amb '(1 2 3 4 5))))
    (require (distinct? (list baker cooper fletcher miller smith)))
    (require (not (= baker 5)))
    (require (not (= cooper 1)))
    (require (not (= fletcher 5)))
    (require (not (= fletcher 1)))
    (require (> miller cooper))
    (require (not (= (abs (- smith fletcher)) 1)))
    (require (not (= (abs (- fletcher cooper)) 1)))
    (list (list 'baker baker) (list 'cooper cooper)
          (list 'fletcher fletcher) (list 'miller miller)
          (list 'smith smith))))

(set! fail-stack '())
(write (multiple-dwelling))
(newline)

; exhausting all choices raises the error from fail
(set! fail-stack '())
(write
 (guard (e ((error-object? e) (error-object-message e)))
   (let ((x (amb '(1 2 3))))
     (require (> x 5))
     x)))
(newline)
