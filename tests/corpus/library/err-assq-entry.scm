; assq over an alist with an entry that is not a pair is an error.
(display (assq 'b '((a . 1) (b . 2)))) (newline)
(display (assq 'c '((a . 1) b (c . 3)))) (newline)
(display "not reached") (newline)
