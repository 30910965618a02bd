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

;; R7RS 4.2.6. A parameter is a procedure: with no argument it returns
;; its value, with one it sets it (converted, as Chez and Guile do);
;; `%parameterize` asks it for its cell `(value . converter)` with the
;; private key.
(define %parameter-key (list 'parameter-key))
(define (make-parameter value . converter)
  (let* ((convert (if (pair? converter) (car converter) (lambda (x) x)))
         (cell (cons (convert value) convert)))
    (lambda args
      (cond ((null? args) (car cell))
            ((eq? (car args) %parameter-key) cell)
            (else (set-car! cell (convert (car args))))))))

;; `parameterize` (expand/prelude_forms.rs): the values are converted
;; once, then swapped in and out of the cells on every entry and exit.
(define (%parameterize params vals body)
  (let* ((cells (map (lambda (p)
                       (let ((c (and (procedure? p) (p %parameter-key))))
                         (if (and (pair? c) (procedure? (cdr c)))
                             c
                             (error "parameterize: not a parameter:" p))))
                     params))
         (vals (map (lambda (c v) ((cdr c) v)) cells vals))
         (swap! (lambda ()
                  (let loop ((cs cells) (vs vals))
                    (if (pair? cs)
                        (let ((old (car (car cs))))
                          (set-car! (car cs) (car vs))
                          (set-car! vs old)
                          (loop (cdr cs) (cdr vs))))))))
    (dynamic-wind swap! body swap!)))

;; R7RS 4.2.5 promises, as R7RS 7.3 implements them: a promise is an
;; opaque record holding a pair `(done? . value-or-thunk)` that forcing
;; shares between the promises of a `delay-force` chain, so forcing one
;; runs in constant space.
(define %promise (%make-record-type 'promise '#(state) 1))
(define (%make-promise done? value) (%record %promise (cons done? value)))
(define (promise? x) (%record? x %promise))
(define (make-promise x) (if (%record? x %promise) x (%make-promise #t x)))
(define (force p)
  (if (%record? p %promise)
      (let ((state (%record-ref p %promise 0 'force)))
        (if (car state)
            (cdr state)
            (let* ((next (make-promise ((cdr state))))
                   (state (%record-ref p %promise 0 'force)))
              (if (not (car state))
                  (let ((new (%record-ref next %promise 0 'force)))
                    (set-car! state (car new))
                    (set-cdr! state (cdr new))
                    (%record-set! next %promise 0 state 'force)))
              (force p))))
      p))
