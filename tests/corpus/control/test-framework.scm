; A tiny test framework built on guard and call/cc: each test runs in a
; guard, an assertion failure escapes the test, and the run continues
; after failures and errors. (Error messages are not printed: a runtime
; error's message differs between implementations.)

(define passed 0)
(define failed 0)
(define errored 0)
(define current-test-exit #f)

(define (assert-equal expected actual)
  (if (not (equal? expected actual))
      (current-test-exit (list 'fail expected actual))))

(define (run-test name thunk)
  (let ((outcome
         (call/cc
          (lambda (k)
            (set! current-test-exit k)
            (guard (e ((error-object? e) (list 'error))
                      (else (list 'raised e)))
              (thunk)
              (list 'pass))))))
    (display name)
    (display ": ")
    (case (car outcome)
      ((pass) (set! passed (+ passed 1)) (display "pass"))
      ((fail) (set! failed (+ failed 1))
       (display "FAIL expected ") (write (cadr outcome))
       (display " got ") (write (caddr outcome)))
      ((error) (set! errored (+ errored 1))
       (display "ERROR"))
      ((raised) (set! errored (+ errored 1))
       (display "RAISED ") (write (cadr outcome))))
    (newline)))

(run-test "addition" (lambda () (assert-equal 4 (+ 2 2))))
(run-test "append" (lambda () (assert-equal '(1 2 3) (append '(1) '(2 3)))))
(run-test "wrong expectation" (lambda () (assert-equal 5 (+ 2 2)) (display "not reached")))
(run-test "error call" (lambda () (error "deliberate failure" 1) (assert-equal 1 1)))
(run-test "raise symbol" (lambda () (raise 'custom-condition)))
(run-test "runtime error" (lambda () (assert-equal 1 (vector-ref (vector) 0))))
(run-test "several assertions" (lambda ()
                                 (assert-equal 1 1)
                                 (assert-equal "ab" (string-append "a" "b"))
                                 (assert-equal '#(1 2) (vector 1 2))))
(run-test "second assertion fails" (lambda ()
                                     (assert-equal 'a 'a)
                                     (assert-equal 'b 'c)
                                     (assert-equal 'd 'd)))
(run-test "guard inside test" (lambda ()
                                (assert-equal 'caught (guard (e (#t 'caught)) (raise 'x)))))
(run-test "deep recursion" (lambda ()
                             (assert-equal 50005000
                                           (let sum ((n 10000)) (if (= n 0) 0 (+ n (sum (- n 1))))))))

; many tests in a loop, six in seven failing
(let loop ((i 0))
  (if (< i 70)
      (begin
        (call/cc
         (lambda (k)
           (set! current-test-exit
                 (lambda (outcome) (set! failed (+ failed 1)) (k #f)))
           (guard (e (#t (set! errored (+ errored 1))))
             (assert-equal 0 (remainder i 7))
             (set! passed (+ passed 1)))))
        (loop (+ i 1)))))

(display "passed ") (write passed)
(display ", failed ") (write failed)
(display ", errors ") (write errored)
(newline)
