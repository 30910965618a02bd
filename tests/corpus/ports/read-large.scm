; read (R7RS 6.13.2) of data larger than what is read or parsed at a time:
; long lists, a token and a multi-byte character at every offset around the
; 4096-byte and 65536-byte marks, from string ports and from a file.
(define (show x) (write x) (newline))
(define (spaces n) (make-string n #\space))
(define (read-all port)
  (let loop ((acc '()))
    (let ((x (read port)))
      (if (eof-object? x) (reverse acc) (loop (cons x acc))))))
(define (iota n)
  (let loop ((i (- n 1)) (acc '())) (if (< i 0) acc (loop (- i 1) (cons i acc)))))
(define lam (string (integer->char #x3bb)))

; A list of 3000 numbers over many lines, then a symbol.
(define big (iota 3000))
(define big-text
  (let ((o (open-output-string)))
    (display "(" o)
    (for-each (lambda (n) (write n o) (display (if (= 0 (modulo n 10)) "\n" " ") o)) big)
    (display ") after" o)
    (get-output-string o)))
(let ((data (read-all (open-input-string big-text))))
  (show (length data))
  (show (equal? (car data) big))
  (show (cadr data)))

; A symbol, a string and a character with a non-ASCII letter, placed so
; that they straddle offset 4096 and 65536 at every shift.
(define (straddle mark)
  (let loop ((shift -3) (ok '()))
    (if (> shift 3)
        (reverse ok)
        (let* ((pad (spaces (+ mark shift -5)))
               (text (string-append pad "abc" lam "def \"x" lam "y\" #\\" lam " (1 . 2) tail"))
               (data (read-all (open-input-string text))))
          (loop (+ shift 1)
                (cons (equal? data (list (string->symbol (string-append "abc" lam "def")) (string-append "x" lam "y") (string-ref lam 0) '(1 . 2) 'tail)) ok))))))
(show (straddle 4096))
(show (straddle 65536))

; The same from a file.
(define name (string-append "read-large-" (number->string (current-jiffy)) ".tmp"))
(call-with-output-file name
  (lambda (o)
    (display big-text o)
    (display (spaces 70000) o)
    (display (string-append "end" lam " \"s\" ") o)
    (write (iota 20) o)))
(define from-file (call-with-input-file name read-all))
(show (length from-file))
(show (equal? (car from-file) big))
(show (cdr from-file))
(delete-file name)
