; boolean=? and symbol=?, with two or more arguments.
(write (list (boolean=? #t #t) (boolean=? #f #f) (boolean=? #t #f) (boolean=? #f #t)
             (boolean=? #t #t #t) (boolean=? #f #f #t) (boolean=? #t #f #f)))
(newline)
(write (list (symbol=? 'a 'a) (symbol=? 'a 'b) (symbol=? 'a 'a 'a) (symbol=? 'a 'a 'b)
             (symbol=? 'abc (string->symbol "abc")) (symbol=? 'b 'a 'a)))
(newline)
