;; Flonum loop variables (compiler/src/unbox.rs keeps them as raw doubles
;; when every value is a flonum and every read is arithmetic, a comparison
;; or the loop's result). Mixed operands, exact zeros, signed zeros, NaN,
;; big and rational operands must give what the generic arithmetic gives.
(define (show x) (write x) (newline))

(define (sumfp n) (let loop ((i n) (sum 0.)) (if (< i 0.) sum (loop (- i 1.) (+ i sum)))))
(show (sumfp 1000.))
(show (let loop ((i 0) (x 0.0)) (if (= i 10) x (loop (+ i 1) (+ x 0.1)))))
(show (let loop ((i 0) (x 1.0)) (if (= i 5) x (loop (+ i 1) (* x 1.5)))))
(show (let loop ((i 0) (x 1.0)) (if (= i 5) x (loop (+ i 1) (/ x 2)))))
(show (let loop ((i 0) (x 1.0)) (if (= i 5) x (loop (+ i 1) (* 3 x)))))
(show (let loop ((i 1) (x 0.0)) (if (> i 100) x (loop (+ i 1) (+ x (/ 1. i))))))

;; A fixnum, an exact 0, a bignum, a ratio as the other operand.
(define (sum-list l)
  (let loop ((l l) (x 0.5))
    (if (null? l) x (loop (cdr l) (+ x (car l))))))
(show (sum-list (list 1 2/3 (expt 10 30) 0 -0.25)))
(show (sum-list (list 1/3 1/3 1/3)))
(show (sum-list '()))
(define (diff-list l)
  (let loop ((l l) (x 10.0))
    (if (null? l) x (loop (cdr l) (- (car l) x)))))
(show (diff-list (list 1 0 1/2 (expt 2 80))))

;; Signed zeros.
(show (let loop ((i 0) (x 0.0)) (if (= i 1) x (loop (+ i 1) (- x)))))
(show (let loop ((i 0) (x 0.0)) (if (= i 2) x (loop (+ i 1) (* x -1.0)))))

;; Comparisons with fixnums, big fixnums, bignums, ratios, NaN.
(define (count-below limit)
  (let loop ((i 0) (x 0.0)) (if (< x limit) (loop (+ i 1) (+ x 0.75)) i)))
(show (list (count-below 10) (count-below 5/2) (count-below 0) (count-below -1)))
(show (let loop ((x 9007199254740992.0) (n 0))
        (if (or (= n 3) (< x 9007199254740993)) (list x n) (loop (- x 1.0) (+ n 1)))))
(show (let loop ((x 1e300) (n 0)) (if (> x (expt 10 300)) (list n x) (loop (* x 10.) (+ n 1)))))
(show (let loop ((x +nan.0) (n 0)) (if (or (= n 2) (< x 1.0) (= x x)) (list n) (loop (+ x 1.0) (+ n 1)))))
(show (let loop ((x 0.0) (n 0)) (if (>= x 1.0) n (loop (+ x 0.25) (+ n 1)))))
(show (let loop ((x 3.0) (n 0)) (if (<= x 0) n (loop (- x 1.0) (+ n 1)))))

;; sqrt, nested arithmetic, two flonum variables, nested loops.
(show (let loop ((i 0) (x 2.0)) (if (= i 3) x (loop (+ i 1) (sqrt x)))))
(show (let loop ((i 0) (x 0.0) (y 1.0))
        (if (= i 20) (list x y) (loop (+ i 1) (+ (* 0.5 x) (* 0.25 y)) (- y (* x 0.1))))))
(define (mandel cr ci)
  (let loop ((zr 0.0) (zi 0.0) (n 0))
    (if (or (= n 50) (> (+ (* zr zr) (* zi zi)) 4.0))
        n
        (loop (+ (- (* zr zr) (* zi zi)) cr) (+ (* 2.0 zr zi) ci) (+ n 1)))))
(show (map (lambda (c) (mandel (car c) (cdr c))) '((0.0 . 0.0) (0.3 . 0.5) (1.0 . 1.0) (-0.75 . 0.1))))
(show (let outer ((i 0) (total 0.0))
        (if (= i 4)
            total
            (outer (+ i 1)
                   (let inner ((j 0) (s total))
                     (if (= j i) s (inner (+ j 1) (+ s 0.5))))))))

;; The loop's value used as a value, in a non-tail position.
(show (+ 1 (let loop ((i 0) (x 0.0)) (if (= i 4) x (loop (+ i 1) (+ x 2.5))))))
(show (vector (let loop ((i 0) (x 1.0)) (if (= i 3) x (loop (+ i 1) (* x 2.0))))))

;; A flonum variable also read another way stays boxed: same answers.
(show (let loop ((i 0) (x 0.0) (acc '())) (if (= i 3) acc (loop (+ i 1) (+ x 1.0) (cons x acc)))))

;; A long loop that collects: doubles in frames are not values.
(show (let loop ((i 0) (x 0.0) (l '()))
        (if (= i 100000) (list x (length l)) (loop (+ i 1) (+ x 1.0) (if (= 0 (remainder i 1000)) (cons i l) l)))))

;; One operand, and folds over three or more.
(show (let loop ((i 0) (x 1.0)) (if (= i 3) x (loop (+ i 1) (+ (* x 2 3) 1 (- x 1 2) (/ x 2 4) (+ x))))))
(show (let loop ((i 0) (x 1.0) (y 2)) (if (= i 3) (list x y) (loop (+ i 1) (* 2 x 3) (+ y 1)))))
