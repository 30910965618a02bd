;;; (scheme process-context) for Chez Scheme 9.5 (see base.sls).
(library (scheme process-context)
  (export command-line emergency-exit exit get-environment-variable
          get-environment-variables)
  (import (chezscheme))
  (define emergency-exit exit)
  (define (get-environment-variable name) (getenv name))
  (define (get-environment-variables) '()))
