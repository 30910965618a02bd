; emergency-exit ends the program at once; console output so far is kept.
(display "before")
(newline)
(flush-output-port)
(emergency-exit)
(display "after")
(newline)
