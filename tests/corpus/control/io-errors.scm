; Failing to open a file raises an exception a guard can catch; the
; program goes on. (file-error? itself is not printed: Guile 3.0.8's
; file-error? is always #f.)

(define (show x) (write x) (newline))

(show (guard (e ((error-object? e) 'caught-open-input))
        (open-input-file "/nonexistent-directory/no-such-file.txt")
        'opened))

(show (guard (e ((error-object? e) 'caught-open-output))
        (open-output-file "/nonexistent-directory/out.txt")
        'opened))

(show (guard (e ((error-object? e) 'caught-call-with-input-file))
        (call-with-input-file "/nonexistent-directory/x" (lambda (p) 'read))))

(show (guard (e ((error-object? e) 'caught-with-output-to-file))
        (with-output-to-file "/nonexistent-directory/y" (lambda () (display "x")))))

(show (guard (e ((string? e) 'string) ((error-object? e) (list (read-error? e) 'not-a-read-error)))
        (open-input-file "/nonexistent-directory/z")))

; trying several names until one opens
(define (first-openable names)
  (if (null? names)
      'none
      (guard (e ((error-object? e) (first-openable (cdr names))))
        (let ((p (open-input-file (car names))))
          (close-input-port p)
          (car names)))))
(show (first-openable (list "/nonexistent-directory/a" "/nonexistent-directory/b")))

(display "done")
(newline)
