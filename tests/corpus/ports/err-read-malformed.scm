; An uncaught read error ends the program.
(display "before")
(newline)
(read (open-input-string "(1 2"))
(display "not reached")
