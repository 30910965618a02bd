;; 1,000,000 inserts and 1,000,000 lookups in an eqv hash table, 3 rounds.
(define n 1000000)
(define (round-trip)
  (let ((t (make-eqv-hashtable)))
    (do ((i 0 (+ i 1))) ((= i n)) (hashtable-set! t (* i 7) i))
    (let loop ((i 0) (acc 0))
      (if (= i n) acc (loop (+ i 1) (+ acc (hashtable-ref t (* i 7) 0)))))))
(let loop ((k 0) (total 0))
  (if (< k 3) (loop (+ k 1) (+ total (round-trip))) (begin (display total) (newline))))
