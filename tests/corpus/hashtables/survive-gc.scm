; Keys and values survive collections: an eq? table keyed by fresh pairs
; (hashed by address) and an equal? table keyed by fresh strings, with much
; garbage allocated between the inserts and the lookups.
(define eq-table (make-eq-hashtable))
(define equal-table (make-hashtable equal-hash equal?))
(define keys
  (let loop ((i 0) (acc '()))
    (if (= i 300) acc
        (let ((k (list i)))
          (hashtable-set! eq-table k (make-string 3 #\x))
          (hashtable-set! equal-table (number->string i) (list i i))
          (loop (+ i 1) (cons k acc))))))
(define (garbage n)
  (let loop ((i 0) (acc '()))
    (if (= i n) (length acc) (loop (+ i 1) (cons (make-vector 10 i) (if (> (length acc) 100) '() acc))))))
(garbage 30000)
(define found
  (let loop ((ks keys) (n 0))
    (if (null? ks) n
        (loop (cdr ks) (if (equal? (hashtable-ref eq-table (car ks) #f) "xxx") (+ n 1) n)))))
(write found) (newline)
(write (hashtable-ref eq-table (list 5) 'fresh-key-not-found)) (newline)
(define sum
  (let loop ((i 0) (s 0))
    (if (= i 300) s
        (loop (+ i 1) (+ s (cadr (hashtable-ref equal-table (number->string i) '(0 0))))))))
(write sum) (newline)
(let loop ((i 0))
  (when (< i 300)
    (when (even? i) (hashtable-delete! equal-table (number->string i)))
    (loop (+ i 1))))
(garbage 1000)
(write (hashtable-size equal-table)) (newline)
(write (hashtable-ref equal-table "299" #f)) (newline)
(write (hashtable-ref equal-table "298" #f)) (newline)
