;; Calls of small procedures that a later top-level definition makes,
;; from procedures defined (and called) after it ran.
(define (show . xs) (for-each display xs) (newline))
(define (make-getter selector)
  (lambda (node)
    (if (or (none-node? node) (any-node? node))
        'special
        (selector node))))
(define first-of (make-getter car))
(define (classify x) (cond ((small? x) 'small) ((big? x) 'big) (else 'medium)))
(define none-node (list 'none))
(define (none-node? node) (eq? node none-node))
(define any-node (list 'any))
(define (any-node? node) (eq? node any-node))
(define (small? x) (< x (limit 'low)))
(define (big? x) (> x (limit 'high)))
(define (limit which) (if (eq? which 'low) 10 100))
(show (first-of '(1 2)) (first-of none-node) (first-of any-node))
(show (map classify '(1 50 500)))
;; A later definition's own later callees, and a mutual pair.
(define (even-length? l) (if (null? l) #t (odd-length? (cdr l))))
(define (odd-length? l) (if (null? l) #f (even-length? (cdr l))))
(show (even-length? '(1 2 3 4)) (odd-length? '(1 2 3)) (even-length? '(1)))
