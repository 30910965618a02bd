;;; (scheme char) for Chez Scheme 9.5 (see base.sls).
(library (scheme char)
  (export char-alphabetic? char-ci<=? char-ci<? char-ci=? char-ci>=?
          char-ci>? char-downcase char-foldcase char-lower-case?
          char-numeric? char-upcase char-upper-case? char-whitespace?
          digit-value string-ci<=? string-ci<? string-ci=? string-ci>=?
          string-ci>? string-downcase string-foldcase string-upcase)
  (import (chezscheme))
  ;; Decimal digits come in runs of ten from a zero; count from the start
  ;; of the run.
  (define (digit-value c)
    (and (char-numeric? c)
         (let ((n (char->integer c)))
           (let loop ((z n))
             (if (and (> z 0) (char-numeric? (integer->char (- z 1))))
                 (loop (- z 1))
                 (mod (- n z) 10)))))))
