; memq past the end of an improper list is an error.
(display (memq 'b '(a b . c))) (newline)
(display (memq 'z '(a b . c))) (newline)
(display "not reached") (newline)
