; string-for-each, vector-map and vector-for-each over several sequences
; of the same length (Chez Scheme requires equal lengths).
(string-for-each (lambda (a b) (write (list a b))) "abc" "xyz")
(newline)
(define n 0)
(string-for-each (lambda (a b c) (set! n (+ n (length (list a b c (make-string 100 a))))))
                 (make-string 500 #\a) (make-string 500 #\b) (make-string 500 #\c))
(write n) (newline)
(write (vector-map + '#(1 2 3) '#(10 20 30) '#(100 200 300))) (newline)
(write (vector-map (lambda (a b) (list a b (make-vector 5 a))) '#(1 2) '#(x y))) (newline)
(vector-for-each (lambda (a b) (write (cons a b))) '#(1 2 3) '#(one two three))
(newline)
(write (vector-map (lambda (x) (* 2 x)) (vector))) (newline)
