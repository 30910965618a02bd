; Every c[ad]r of three and four steps, on a tree deep enough for all.
(define (tree depth n)
  (if (= depth 0)
      n
      (cons (tree (- depth 1) (* 2 n)) (tree (- depth 1) (+ (* 2 n) 1)))))
(define t (tree 4 1))
(for-each
 (lambda (p) (write ((cdr p) t)) (newline))
 (list (cons 'caaar caaar) (cons 'caadr caadr) (cons 'cadar cadar)
       (cons 'caddr caddr) (cons 'cdaar cdaar) (cons 'cdadr cdadr)
       (cons 'cddar cddar) (cons 'cdddr cdddr)))
(write (list (caaaar t) (caaadr t) (caadar t) (caaddr t)
             (cadaar t) (cadadr t) (caddar t) (cadddr t)
             (cdaaar t) (cdaadr t) (cdadar t) (cdaddr t)
             (cddaar t) (cddadr t) (cdddar t) (cddddr t)))
(newline)
(define l '(1 (2 3) ((4 5) 6) 7 8))
(write (list (caddr l) (cdadr l) (caaddr l) (cdaddr l) (cddddr l) (cadadr l)))
(newline)
