; A small parser that reports bad records and goes on: each record is
; parsed inside a guard; errors carry the record number and the reason
; as irritants.

(define records
  '("12,34" "5,x" "100,200" "" "7" "1,2,3" "-4,9" "abc,1" "0,0"))

(define (split-commas s)
  (let loop ((chars (string->list s)) (current '()) (fields '()))
    (cond ((null? chars)
           (reverse (cons (list->string (reverse current)) fields)))
          ((char=? (car chars) #\,)
           (loop (cdr chars) '() (cons (list->string (reverse current)) fields)))
          (else (loop (cdr chars) (cons (car chars) current) fields)))))

(define (parse-number field n)
  (let ((x (string->number field)))
    (if x x (error "not a number" n field))))

(define (parse-record s n)
  (if (= (string-length s) 0) (raise (list 'empty-record n)))
  (let ((fields (split-commas s)))
    (if (not (= (length fields) 2))
        (error "wrong field count" n (length fields)))
    (let* ((a (parse-number (car fields) n))
           (b (parse-number (cadr fields) n)))
      (cons a b))))

(define (parse-all recs)
  (let loop ((rs recs) (n 1) (good '()) (bad '()))
    (if (null? rs)
        (list (reverse good) (reverse bad))
        (let ((result
               (guard (e ((error-object? e)
                          (list 'error (error-object-message e) (error-object-irritants e)))
                         ((and (pair? e) (eq? (car e) 'empty-record))
                          (list 'error "empty" (cdr e))))
                 (list 'ok (parse-record (car rs) n)))))
          (if (eq? (car result) 'ok)
              (loop (cdr rs) (+ n 1) (cons (cadr result) good) bad)
              (loop (cdr rs) (+ n 1) good (cons (cdr result) bad)))))))

(define result (parse-all records))
(display "parsed: ")
(write (car result))
(newline)
(for-each (lambda (b)
            (display "bad record: ")
            (display (car b))
            (display " ")
            (write (cadr b))
            (newline))
          (cadr result))

; the sum of the good records, computed with an escape on overflow
(define (sum-pairs pairs limit)
  (call/cc
   (lambda (k)
     (let loop ((ps pairs) (sum 0))
       (cond ((null? ps) sum)
             ((> sum limit) (k (list 'over-limit sum)))
             (else (loop (cdr ps) (+ sum (car (car ps)) (cdr (car ps))))))))))
(write (sum-pairs (car result) 1000))
(newline)
(write (sum-pairs (car result) 50))
(newline)
