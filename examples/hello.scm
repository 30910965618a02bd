;; A small tour: closures, named let, lists, strings, vectors, bignums.
(define (make-counter)
  (let ((n 0))
    (lambda () (set! n (+ n 1)) n)))

(define (fact n) (if (= n 0) 1 (* n (fact (- n 1)))))

(define (word-lengths words)
  (map (lambda (w) (cons w (string-length w))) words))

(let ((count (make-counter)))
  (count)
  (count)
  (display "counter: ") (display (count)) (newline))

(display "Hello, λ world!") (newline)
(write (word-lengths '("scheme" "rust" "ffi"))) (newline)
(display "30! = ") (display (fact 30)) (newline)
(let loop ((i 1))
  (when (<= i 5)
    (display (make-string i #\*)) (newline)
    (loop (+ i 1))))
(define (vector-squares v)
  (let ((out (make-vector (vector-length v) 0)))
    (do ((i 0 (+ i 1))) ((= i (vector-length v)) out)
      (vector-set! out i (* (vector-ref v i) (vector-ref v i))))))
(write (vector-squares #(1 2 3))) (newline)
