; string->vector and vector->string, with ranges.
(write (list (string->vector "abc") (string->vector "abcde" 2) (string->vector "abcde" 1 3)
             (string->vector "")))
(newline)
(write (list (vector->string #(#\a #\b #\c)) (vector->string #(#\a #\b #\c) 1)
             (vector->string #(#\a #\b #\c) 0 2) (vector->string #())))
(newline)
(write (vector->string (string->vector "round trip"))) (newline)
