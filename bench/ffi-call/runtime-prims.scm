; Runtime-primitive-heavy: hash tables, strings, list-copy, apply, string->symbol:
; the cost of the handle scope on the runtime's own #[scheme_fn] calls
; (callgrind instruction counts, before and after a change).
(define t (make-equal-hashtable))
(define (fill i) (if (< i 20000) (begin (hashtable-set! t (number->string i) i) (fill (+ i 1)))))
(fill 0)
(define (sum i acc) (if (< i 20000) (sum (+ i 1) (+ acc (hashtable-ref t (number->string i) 0))) acc))
(display (sum 0 0)) (newline)
(define (strs i acc) (if (< i 20000) (strs (+ i 1) (string-append acc (if (= 0 (remainder i 1000)) "x" ""))) acc))
(display (string-length (strs 0 ""))) (newline)
(define l (let loop ((i 999) (acc (quote ()))) (if (< i 0) acc (loop (- i 1) (cons i acc)))))
(define (lists i acc) (if (< i 300) (lists (+ i 1) (+ acc (length (list-copy l)) (length (reverse l)) (apply + l))) acc))
(display (lists 0 0)) (newline)
(define (syms i acc) (if (< i 20000) (syms (+ i 1) (+ acc (string-length (symbol->string (string->symbol (string-upcase "abc")))))) acc))
(display (syms 0 0)) (newline)
