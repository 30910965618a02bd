;;; MATRIX -- Dense N x N flonum matrix multiplication, C = A * B, with
;;; matrices stored as vectors of row vectors (naive i-j-k triple loop).
;;; Prints a checksum of the last product (trace and sum, rounded).

(define iterations 70)
(define n 100)

(define (make-matrix rows cols init)
  (let ((m (make-vector rows)))
    (do ((i 0 (+ i 1)))
        ((= i rows) m)
      (let ((row (make-vector cols 0.)))
        (do ((j 0 (+ j 1)))
            ((= j cols))
          (vector-set! row j (init i j)))
        (vector-set! m i row)))))

(define (matrix-multiply a b)
  (let* ((rows (vector-length a))
         (inner (vector-length b))
         (cols (vector-length (vector-ref b 0)))
         (c (make-matrix rows cols (lambda (i j) 0.))))
    (do ((i 0 (+ i 1)))
        ((= i rows) c)
      (let ((ai (vector-ref a i))
            (ci (vector-ref c i)))
        (do ((j 0 (+ j 1)))
            ((= j cols))
          (let loop ((k 0) (sum 0.))
            (if (= k inner)
                (vector-set! ci j sum)
                (loop (+ k 1)
                      (+ sum (* (vector-ref ai k)
                                (vector-ref (vector-ref b k) j)))))))))))

(define (matrix-sum m)
  (let ((rows (vector-length m)))
    (let loop ((i 0) (s 0.))
      (if (= i rows)
          s
          (let ((row (vector-ref m i)))
            (loop (+ i 1)
                  (let inner ((j 0) (s s))
                    (if (= j (vector-length row))
                        s
                        (inner (+ j 1) (+ s (vector-ref row j)))))))))))

(define (trace m)
  (do ((i 0 (+ i 1))
       (s 0. (+ s (vector-ref (vector-ref m i) i))))
      ((= i (vector-length m)) s)))

(define a (make-matrix n n (lambda (i j) (/ (+ (* 1. i) (* 0.5 j)) n))))
(define b (make-matrix n n (lambda (i j) (- (* 0.25 (- i j)) (/ 1. (+ i j 1.))))))

(define (repeat k last)
  (if (= k 0)
      last
      (repeat (- k 1) (matrix-multiply a b))))

(let ((c (repeat iterations #f)))
  (display "matrix ") (display n) (display "x") (display n)
  (display " x ") (display iterations) (newline)
  (display (inexact->exact (round (* 1000. (trace c))))) (newline)
  (display (inexact->exact (round (* 1000. (matrix-sum c))))) (newline))
