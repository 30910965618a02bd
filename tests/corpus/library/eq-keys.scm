; memv, member, assv and assoc with literal keys compared by identity.
(define (show . xs) (for-each (lambda (x) (write x) (display " ")) xs) (newline))
(define l (list 1 'two #\3 #t '() "six" 7.0 (expt 2 70)))
(show (memv 'two l) (member 'two l) (memv #\3 l) (member #\3 l) (memv 1 l) (member 1 l))
(show (memv #t l) (member '() l) (memv 'zz l) (member 7 l) (memv 8 l))
(define al (list (cons 'a 1) (cons 2 'b) (cons #\c 3) (cons '() 'nil) (cons "s" 5) (cons 4.0 'f)))
(show (assv 'a al) (assoc 'a al) (assv 2 al) (assoc 2 al) (assv #\c al) (assoc '() al))
(show (assv 'q al) (assoc 4 al) (assv 3 al))
(show (member "six" l) (assoc "s" al) (memv 7.0 l) (assv 4.0 al) (member (expt 2 70) l))
