; memv, assv, member and assoc with keys computed at run time: searched
; inline when the key is one eq? decides (not a heap number for memv and
; assv; a fixnum, character, symbol, boolean or '() for member and assoc),
; by the primitive otherwise.
(define (show . xs) (for-each display xs) (newline))
(define (id x) x)
(define (big) (* 99999999999 99999999999))
(define nums (list 1 2.5 (big) 3/4 -7 (expt 2 62)))
(define keys (list (id 1) (id 2.5) (big) (/ 3 4) (id -7) (expt 2 62) (id 2) (id 'a) (id #\a) (id "s")))
(for-each (lambda (k) (show k " " (memv k nums) " " (assv k (map (lambda (n) (cons n 'v)) nums)))) keys)
(define things (list 'a #\a "s" '(1 2) #t '() 5 (vector 1)))
(for-each (lambda (k) (show k " " (member k things) " " (assoc k (map (lambda (x) (list x 'w)) things))))
          (list (id 'a) (id #\a) (string #\s) (list 1 2) (id #t) (id '()) (id 5) (vector 1) (id 'zz) (id 6)))
; Long lists: past the inline search's 1024 pairs.
(define (iota* n) (let loop ((i n) (acc '())) (if (= i 0) acc (loop (- i 1) (cons i acc)))))
(define long (iota* 3000))
(show (car (memv (id 2999) long)) " " (memv (id 3001) long) " " (car (member (id 2000) long)))
(show (assv (id 1500) (map (lambda (i) (cons i (* i i))) long)))
(define (try thunk) (call-with-current-continuation (lambda (k) (with-exception-handler (lambda (e) (k 'raised)) thunk))))
(show (try (lambda () (memv (id 3) '(1 2 . 3)))))
(show (try (lambda () (assv (id 3) '((1 . 2) 3)))))
(show (try (lambda () (assoc (id 'x) '((a . 1) . b)))))
(show (memv (id 1) '(1 2 . 3)) " " (assv (id 1) '((1 . 2) 3)))
