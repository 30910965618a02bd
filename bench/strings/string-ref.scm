;; string-ref over a non-ASCII string: O(1) per character.
(define n 100000)
(define s (make-string n #\é))
(do ((i 0 (+ i 2))) ((>= i n)) (string-set! s i #\λ))
(define (sum s)
  (let loop ((i 0) (acc 0))
    (if (< i (string-length s)) (loop (+ i 1) (+ acc (char->integer (string-ref s i)))) acc)))
(let pass ((k 0) (total 0))
  (if (< k 400) (pass (+ k 1) (+ total (sum s))) (begin (display total) (newline))))
