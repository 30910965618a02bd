;;; Library procedures written in Scheme. `prelude.rs` adds a definition
;;; to a program only when the program uses the name and does not define
;;; it itself. The `%` primitives are the runtime's (exceptions.rs).

;; R7RS 6.10. The `after` thunk also runs when a continuation jumps out
;; and `before` when one jumps back in (the runtime winds: control.rs).
(define (dynamic-wind before thunk after)
  (before)
  (%set-winders! (cons (cons before after) (%winders)))
  (let ((result (thunk)))
    (%set-winders! (cdr (%winders)))
    (after)
    result))

;; R7RS 6.11: `handler` is called (by `raise` and every runtime error)
;; for raises during `thunk`, with the outer handlers installed.
(define (with-exception-handler handler thunk)
  (if (not (procedure? handler))
      (error "with-exception-handler: argument 1 (handler): expected procedure, got" handler))
  (let ((outer (%handlers)))
    (%set-handlers! (cons handler outer))
    (let ((result (thunk)))
      (%set-handlers! outer)
      result)))
