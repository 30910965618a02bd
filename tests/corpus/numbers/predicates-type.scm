; Type predicates applied to every kind of number (and a few non-numbers).
(define samples
  (list (list "0" 0) (list "-7" -7) (list "2^70" (expt 2 70)) (list "-2^70" (- (expt 2 70)))
        (list "1/2" 1/2) (list "-10/4" -10/4) (list "2.0" 2.0) (list "2.5" 2.5) (list "-0.0" -0.0)
        (list "1e300" 1e300) (list "+inf.0" +inf.0) (list "-inf.0" -inf.0) (list "+nan.0" +nan.0)))
(define preds
  (list (list "number?" number?) (list "complex?" complex?) (list "real?" real?)
        (list "rational?" rational?) (list "integer?" integer?) (list "exact?" exact?)
        (list "inexact?" inexact?) (list "exact-integer?" exact-integer?)
        (list "finite?" finite?) (list "infinite?" infinite?) (list "nan?" nan?)))
(for-each
 (lambda (s)
   (display (car s)) (display ":")
   (for-each (lambda (p) (display " ") (display (car p)) (display "=") (write ((cadr p) (cadr s))))
             preds)
   (newline))
 samples)
(define (show label x) (display label) (display ": ") (write x) (newline))
(show "number? \"1\"" (number? "1"))
(show "number? 'a" (number? 'a))
(show "real? '(1)" (real? '(1)))
(show "integer? \"2\"" (integer? "2"))
(show "rational? #t" (rational? #t))
(show "complex? #\\1" (complex? #\1))
