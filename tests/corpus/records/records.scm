;; R7RS 5.5: define-record-type, the example of the report and more.
(define-record-type <pare>
  (kons x y)
  pare?
  (x kar set-kar!)
  (y kdr))

(display (pare? (kons 1 2))) (newline)
(display (pare? (cons 1 2))) (newline)
(display (kar (kons 1 2))) (newline)
(display (kdr (kons 1 2))) (newline)
(display (let ((k (kons 1 2)))
           (set-kar! k 3)
           (kar k)))
(newline)

;; Printing (Chez Scheme's format), display and write.
(define-record-type point (make-point x y) point? (x point-x set-point-x!) (y point-y set-point-y!))
(define p (make-point 1 2))
(display p) (newline)
(write (make-point "a" #\b)) (newline)
(display (make-point "a" #\b)) (newline)
(display (list p (make-point (make-point 0 '()) (vector 1 2)))) (newline)

;; Records are not other types; eqv? is identity.
(display (list (procedure? p) (vector? p) (pair? p) (point? p) (point? 'point) (pare? p)))
(newline)
(display (list (eqv? p p) (eq? p p) (eqv? p (make-point 1 2)) (eq? p (make-point 1 2))))
(newline)

;; Accessors and modifiers are procedures.
(display (map point-x (list (make-point 1 2) (make-point 3 4) (make-point 5 6)))) (newline)
(for-each (lambda (q) (set-point-y! q (* 10 (point-x q)))) (list p))
(display (point-y p)) (newline)
(display (apply point-x (list p))) (newline)

;; A constructor taking some fields, in another order; the others start unset.
(define-record-type node (make-node value) node? (value node-value) (next node-next set-node-next!))
(define (build n)
  (let loop ((i 0) (head #f))
    (if (= i n)
        head
        (let ((x (make-node i)))
          (set-node-next! x head)
          (loop (+ i 1) x)))))
(define (sum l)
  (let loop ((l l) (acc 0))
    (if (node? l) (loop (node-next l) (+ acc (node-value l))) acc)))
(display (sum (build 1000))) (newline)

(define-record-type swapped (make-swapped b a) swapped? (a swapped-a) (b swapped-b))
(let ((s (make-swapped 1 2)))
  (display (list (swapped-a s) (swapped-b s))) (newline))

;; A record type in a body.
(define (local-records)
  (define-record-type cell (make-cell v) cell? (v cell-v set-cell-v!))
  (let ((c (make-cell 1)))
    (set-cell-v! c (+ (cell-v c) 41))
    (list (cell? c) (cell-v c))))
(display (local-records)) (newline)

;; A record with no fields, and one with many.
(define-record-type unit (make-unit) unit?)
(display (list (unit? (make-unit)) (eqv? (make-unit) (make-unit)))) (newline)
(define-record-type big (make-big a b c d e f g h i j k l m n o p q r)
  big? (a big-a) (b big-b) (c big-c) (d big-d) (e big-e) (f big-f) (g big-g) (h big-h)
  (i big-i) (j big-j) (k big-k) (l big-l) (m big-m) (n big-n) (o big-o) (p big-p)
  (q big-q) (r big-r))
(define b (make-big 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18))
(display (list (big-a b) (big-j b) (big-r b))) (newline)

;; A type error is a condition that guard catches.
(display (guard (e ((error-object? e) 'caught)) (point-x (kons 1 2))))
(newline)
