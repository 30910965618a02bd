;;; MBROT -- Generation of a Mandelbrot set fractal: iteration counts over a grid.
;;; Adapted from ecraven/r7rs-benchmarks src/mbrot.scm.

(define iterations 150)
(define input 75)

(define (count r i step x y)
  (let ((max-count 64)
        (radius^2 16.0))
    (let ((cr (+ r (* (exact->inexact x) step)))
          (ci (+ i (* (exact->inexact y) step))))
      (let loop ((zr cr)
                 (zi ci)
                 (c 0))
        (if (= c max-count)
            c
            (let ((zr^2 (* zr zr))
                  (zi^2 (* zi zi)))
              (if (> (+ zr^2 zi^2) radius^2)
                  c
                  (let ((new-zr (+ (- zr^2 zi^2) cr))
                        (new-zi (+ (* 2.0 (* zr zi)) ci)))
                    (loop new-zr new-zi (+ c 1))))))))))

(define (mbrot matrix r i step n)
  (let loop1 ((y (- n 1)))
    (when (>= y 0)
      (let loop2 ((x (- n 1)))
        (if (>= x 0)
            (begin
              (vector-set! (vector-ref matrix x) y (count r i step x y))
              (loop2 (- x 1)))
            (loop1 (- y 1)))))))

(define (grid-sum matrix n)
  (do ((x 0 (+ x 1))
       (s 0 (+ s (do ((y 0 (+ y 1))
                      (t 0 (+ t (vector-ref (vector-ref matrix x) y))))
                     ((= y n) t)))))
      ((= x n) s)))

(define (test n)
  (let ((matrix (make-vector n)))
    (let loop ((i (- n 1)))
      (when (>= i 0)
        (vector-set! matrix i (make-vector n))
        (loop (- i 1))))
    (mbrot matrix -1.0 -0.5 0.005 n)
    (list (vector-ref (vector-ref matrix 0) 0) (grid-sum matrix n))))

(define (repeat k last)
  (if (= k 0)
      last
      (repeat (- k 1) (test input))))

(let ((r (repeat iterations #f)))
  (display "mbrot ") (display input) (display " x ") (display iterations)
  (newline)
  (display (car r)) (newline)
  (display (cadr r)) (newline))
