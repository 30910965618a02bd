#!fold-case
(DEFINE (Double X) (* x 2))
(Write (LIST (double 21) 'Hello #\SPACE #\NewLine #\A))
(NEWLINE)
#!no-fold-case
(define Mixed 'Mixed)
(write (list Mixed 'ABC (eq? 'abc 'ABC)))
(newline)
