;;; NBODY -- Planetary n-body simulation (Sun, Jupiter, Saturn, Uranus, Neptune),
;;; symplectic-integrator loop from the Computer Language Benchmarks Game
;;; "n-body" problem. Bodies are vectors #(x y z vx vy vz mass).
;;; Energies are printed as round(e * 1e9), i.e. the usual "%.9f" digits.

(define iterations 5)
(define steps 100000)

(define pi 3.141592653589793)
(define solar-mass (* 4. pi pi))
(define days-per-year 365.24)

(define (make-body x y z vx vy vz mass)
  (vector x y z
          (* vx days-per-year) (* vy days-per-year) (* vz days-per-year)
          (* mass solar-mass)))

(define (make-system)
  (vector
   ;; sun
   (make-body 0. 0. 0. 0. 0. 0. 1.)
   ;; jupiter
   (make-body 4.84143144246472090e+00
              -1.16032004402742839e+00
              -1.03622044471123109e-01
              1.66007664274403694e-03
              7.69901118419740425e-03
              -6.90460016972063023e-05
              9.54791938424326609e-04)
   ;; saturn
   (make-body 8.34336671824457987e+00
              4.12479856412430479e+00
              -4.03523417114321381e-01
              -2.76742510726862411e-03
              4.99852801234917238e-03
              2.30417297573763929e-05
              2.85885980666130812e-04)
   ;; uranus
   (make-body 1.28943695621391310e+01
              -1.51111514016986312e+01
              -2.23307578892655734e-01
              2.96460137564761618e-03
              2.37847173959480950e-03
              -2.96589568540237556e-05
              4.36624404335156298e-05)
   ;; neptune
   (make-body 1.53796971148509165e+01
              -2.59193146099879641e+01
              1.79258772950371181e-01
              2.68067772490389322e-03
              1.62824170038242295e-03
              -9.51592254519715870e-05
              5.15138902046611451e-05)))

(define (offset-momentum! system)
  (let ((n (vector-length system)))
    (let loop ((i 0) (px 0.) (py 0.) (pz 0.))
      (if (< i n)
          (let* ((b (vector-ref system i))
                 (m (vector-ref b 6)))
            (loop (+ i 1)
                  (+ px (* (vector-ref b 3) m))
                  (+ py (* (vector-ref b 4) m))
                  (+ pz (* (vector-ref b 5) m))))
          (let ((sun (vector-ref system 0)))
            (vector-set! sun 3 (- (/ px solar-mass)))
            (vector-set! sun 4 (- (/ py solar-mass)))
            (vector-set! sun 5 (- (/ pz solar-mass))))))))

(define (energy system)
  (let ((n (vector-length system)))
    (let loop ((i 0) (e 0.))
      (if (= i n)
          e
          (let* ((b (vector-ref system i))
                 (vx (vector-ref b 3))
                 (vy (vector-ref b 4))
                 (vz (vector-ref b 5))
                 (m (vector-ref b 6))
                 (e (+ e (* 0.5 m (+ (* vx vx) (* vy vy) (* vz vz))))))
            (let inner ((j (+ i 1)) (e e))
              (if (= j n)
                  (loop (+ i 1) e)
                  (let* ((b2 (vector-ref system j))
                         (dx (- (vector-ref b 0) (vector-ref b2 0)))
                         (dy (- (vector-ref b 1) (vector-ref b2 1)))
                         (dz (- (vector-ref b 2) (vector-ref b2 2)))
                         (d (sqrt (+ (* dx dx) (* dy dy) (* dz dz)))))
                    (inner (+ j 1)
                           (- e (/ (* m (vector-ref b2 6)) d)))))))))))

(define (advance! system dt)
  (let ((n (vector-length system)))
    (do ((i 0 (+ i 1)))
        ((= i n))
      (let ((b (vector-ref system i)))
        (do ((j (+ i 1) (+ j 1)))
            ((= j n))
          (let* ((b2 (vector-ref system j))
                 (dx (- (vector-ref b 0) (vector-ref b2 0)))
                 (dy (- (vector-ref b 1) (vector-ref b2 1)))
                 (dz (- (vector-ref b 2) (vector-ref b2 2)))
                 (d2 (+ (* dx dx) (* dy dy) (* dz dz)))
                 (mag (/ dt (* d2 (sqrt d2))))
                 (bm (* (vector-ref b 6) mag))
                 (b2m (* (vector-ref b2 6) mag)))
            (vector-set! b 3 (- (vector-ref b 3) (* dx b2m)))
            (vector-set! b 4 (- (vector-ref b 4) (* dy b2m)))
            (vector-set! b 5 (- (vector-ref b 5) (* dz b2m)))
            (vector-set! b2 3 (+ (vector-ref b2 3) (* dx bm)))
            (vector-set! b2 4 (+ (vector-ref b2 4) (* dy bm)))
            (vector-set! b2 5 (+ (vector-ref b2 5) (* dz bm)))))))
    (do ((i 0 (+ i 1)))
        ((= i n))
      (let ((b (vector-ref system i)))
        (vector-set! b 0 (+ (vector-ref b 0) (* dt (vector-ref b 3))))
        (vector-set! b 1 (+ (vector-ref b 1) (* dt (vector-ref b 4))))
        (vector-set! b 2 (+ (vector-ref b 2) (* dt (vector-ref b 5))))))))

(define (show-energy e)
  (display (inexact->exact (round (* e 1e9))))
  (newline))

(define (simulate)
  (let ((system (make-system)))
    (offset-momentum! system)
    (let ((e0 (energy system)))
      (do ((k 0 (+ k 1)))
          ((= k steps))
        (advance! system 0.01))
      (list e0 (energy system)))))

(define (repeat k last)
  (if (= k 0)
      last
      (repeat (- k 1) (simulate))))

(let ((r (repeat iterations #f)))
  (display "nbody ") (display steps) (display " steps x ") (display iterations)
  (newline)
  (show-energy (car r))
  (show-energy (cadr r)))
