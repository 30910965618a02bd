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

;; Scheme versions of the primitives that call procedures, for their
;; first-class uses and several-list calls (expand.rs `scheme_version`):
;; a continuation captured in `f` can then be re-entered after they
;; return, which a call through a Rust frame refuses. Results are built
;; fresh (no accumulator reversed in place), so re-entering never changes
;; a list returned before. An improper list ends in the primitive, which
;; reports it; a wrong-typed first sequence is reported as the primitive
;; would.
(define (%map f l . ls)
  (if (null? ls)
      (let loop ((x l))
        (if (pair? x)
            (let ((v (f (car x))))
              (cons v (loop (cdr x))))
            (if (null? x) '() (map list l))))
      (let ((lists (cons l ls)))
        (let loop ((xs lists))
          (if (%all-pairs? xs)
              (let ((v (apply f (%cars xs))))
                (cons v (loop (%cdrs xs))))
              (begin (%check-lists 'map lists xs 2) '()))))))

(define (%for-each f l . ls)
  (if (null? ls)
      (let loop ((x l))
        (if (pair? x)
            (begin (f (car x)) (loop (cdr x)))
            (if (not (null? x)) (for-each list l))))
      (let ((lists (cons l ls)))
        (let loop ((xs lists))
          (if (%all-pairs? xs)
              (begin (apply f (%cars xs)) (loop (%cdrs xs)))
              (%check-lists 'for-each lists xs 2))))))

(define (%vector-map f v . vs)
  (if (not (vector? v)) (%type-error 'vector-map 2 "vector" v))
  (if (null? vs)
      (let ((n (vector-length v)))
        (list->vector
         (let loop ((i 0))
           (if (< i n)
               (let ((x (f (vector-ref v i))))
                 (cons x (loop (+ i 1))))
               '()))))
      (list->vector (apply %map f (map vector->list (cons v vs))))))

(define (%vector-for-each f v . vs)
  (if (not (vector? v)) (%type-error 'vector-for-each 2 "vector" v))
  (if (null? vs)
      (let ((n (vector-length v)))
        (let loop ((i 0))
          (if (< i n)
              (begin (f (vector-ref v i)) (loop (+ i 1))))))
      (apply %for-each f (map vector->list (cons v vs)))))

(define (%string-for-each f s . ss)
  (if (not (string? s)) (%type-error 'string-for-each 2 "string" s))
  (apply %for-each f (map string->list (cons s ss))))

(define (%check-lists who lists xs i)
  (if (pair? xs)
      (if (or (pair? (car xs)) (null? (car xs)))
          (%check-lists who (cdr lists) (cdr xs) (+ i 1))
          (%type-error who i "list" (car lists)))))

(define (%all-pairs? xs)
  (or (null? xs) (and (pair? (car xs)) (%all-pairs? (cdr xs)))))

(define (%cars xs) (map car xs))

(define (%cdrs xs) (map cdr xs))

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

;; R7RS 6.12 and 6.14: compile at run time and load the code into this
;; process (the runtime's eval.rs), then run it by a tail call, so that
;; continuations and exceptions cross it like any Scheme code.
(define (eval expr . env)
  ((%eval-compile expr (if (pair? env) (car env) #f))))
(define (load file . env)
  ((%load-compile file (if (pair? env) (car env) #f))))

;; `schemec repl`: read an input, compile it, run it with a handler that
;; reports an error and goes back to reading, print the values.
(define (%repl)
  (let loop ()
    (let ((input (%repl-read)))
      (if (not (eof-object? input))
          (begin
            (call-with-current-continuation
             (lambda (k)
               (with-exception-handler
                (lambda (e) (%repl-report e) (k #f))
                (lambda ()
                  (if (pair? input)
                      (let* ((thunk (%repl-compile (cdr input)))
                             (start (current-jiffy)))
                        (call-with-values thunk
                          (lambda vs
                            (%repl-time (- (current-jiffy) start))
                            (apply %repl-print vs))))
                      (call-with-values (%repl-compile input)
                        (lambda vs (apply %repl-print vs))))))))
            (loop))))))
