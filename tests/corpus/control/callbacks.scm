; Raising, escaping and resuming inside procedures called by the
; built-in higher-order procedures (map, for-each, vector-map,
; vector-for-each, string-for-each, apply, call-with-values).

(define (show x) (write x) (newline))

; raise from inside callbacks, caught outside
(show (guard (e ((symbol? e) (list 'map e)))
        (map (lambda (x) (if (= x 3) (raise 'three) x)) '(1 2 3 4))))
(show (guard (e ((symbol? e) (list 'for-each e)))
        (for-each (lambda (x) (if (= x 2) (raise 'two))) '(1 2 3))))
(show (guard (e ((symbol? e) (list 'vector-map e)))
        (vector-map (lambda (x) (if (> x 1) (raise 'big) x)) (vector 1 2))))
(show (guard (e ((symbol? e) (list 'vector-for-each e)))
        (vector-for-each (lambda (x) (if (> x 1) (raise 'big))) (vector 1 2))))
(show (guard (e ((char? e) (list 'string-for-each e)))
        (string-for-each (lambda (c) (if (char=? c #\b) (raise c))) "abc")))
(show (guard (e ((number? e) (list 'apply e)))
        (apply (lambda (a b) (raise (+ a b))) '(3 4))))
(show (guard (e ((number? e) (list 'call-with-values e)))
        (call-with-values (lambda () (values 1 2)) (lambda (a b) (raise (* a b 10))))))

; errors made by error inside callbacks
(show (guard (e ((error-object? e) (list (error-object-message e) (error-object-irritants e))))
        (map (lambda (x) (if (string? x) (error "not a number" x) (* x x))) '(1 2 "three"))))

; raise-continuable inside a callback: the handler's value is used and
; the iteration goes on
(show (with-exception-handler
       (lambda (c) 0)
       (lambda ()
         (map (lambda (x) (if (number? x) x (raise-continuable x))) '(1 a 2 b 3)))))
(show (with-exception-handler
       (lambda (c) (* c 100))
       (lambda ()
         (vector-map (lambda (x) (if (odd? x) (raise-continuable x) x)) (vector 1 2 3)))))
(define total 0)
(with-exception-handler
 (lambda (c) 1000)
 (lambda ()
   (for-each (lambda (x) (set! total (+ total (if (negative? x) (raise-continuable x) x))))
             '(1 -1 2 -2))))
(show total)

; call/cc escape from nested callbacks
(show (call/cc
       (lambda (k)
         (map (lambda (row)
                (map (lambda (x) (if (eq? x 'stop) (k (list 'stopped-in row)) x)) row))
              '((1 2) (3 stop) (5 6))))))
(show (call/cc
       (lambda (k)
         (vector-for-each
          (lambda (v) (vector-for-each (lambda (x) (if (> x 4) (k x))) v))
          (vector (vector 1 2) (vector 3 5) (vector 7))))))

; a guard inside a callback, catching per element
(show (map (lambda (x) (guard (e (#t (list 'bad e))) (if (symbol? x) (raise x) (+ x 1))))
           '(1 a 2 b)))
(show (vector-map (lambda (x) (guard (e ((error-object? e) 'err)) (car x)))
                  (vector '(1) 2 '(3))))

; a nested exception inside a handler called from a callback
(show (guard (outer (#t (list 'outer outer)))
        (for-each
         (lambda (x)
           (guard (inner ((eq? inner 'retry) 'ignored))
             (if (= x 2) (raise 'fatal) (raise 'retry))))
         '(1 2 3))))

; a callback raising after many successful calls
(show (guard (e ((number? e) e))
        (let ((n 0))
          (for-each (lambda (x) (set! n (+ n 1)) (if (= n 5000) (raise n)))
                    (vector->list (make-vector 10000 0))))))
