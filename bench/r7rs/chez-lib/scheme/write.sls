;;; (scheme write) for Chez Scheme 9.5 (see base.sls).  Chez's write
;;; already prints cycles with labels when print-graph is set; write-shared
;;; and write-simple are plain write here.
(library (scheme write)
  (export display write write-shared write-simple)
  (import (chezscheme))
  (define write-shared
    (case-lambda
      ((x) (parameterize ((print-graph #t)) (write x)))
      ((x p) (parameterize ((print-graph #t)) (write x p)))))
  (define write-simple write))
