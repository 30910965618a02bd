;; 10,000,000 guards in a loop, every other one raising: the cost of
;; installing a handler and of escaping through it.
(define (loop i acc)
  (if (= i 10000000)
      acc
      (loop (+ i 1)
            (+ acc (guard (e ((symbol? e) 1))
                     (if (even? i) (raise 'odd-one-out) 0))))))
(display (loop 0 0))
(newline)
