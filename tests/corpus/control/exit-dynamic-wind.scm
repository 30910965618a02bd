; exit runs the after thunks of every dynamic-wind still active,
; innermost first, then ends the program (status 0 here).

(define (say x) (display x) (newline))

(say "start")
(dynamic-wind
 (lambda () (say "outer before"))
 (lambda ()
   (dynamic-wind
    (lambda () (say "inner before"))
    (lambda ()
      (say "calling exit")
      (exit)
      (say "after exit: not reached"))
    (lambda () (say "inner after"))))
 (lambda () (say "outer after")))
(say "not reached")
