;; 1,000,000 captures at depth 10,000: each capture copies only the frames
;; made since the last one.
(define count 0)
(define (deep n)
  (if (= n 0)
      (let loop ((i 0))
        (if (< i 1000000)
            (begin (call/cc (lambda (c) (set! count (+ count 1)))) (loop (+ i 1)))
            0))
      (+ 1 (deep (- n 1)))))
(display (list (deep 10000) count))
(newline)
