; R7RS 6.10 dynamic-wind: the connect/talk/disconnect example, and the
; same with a third trip through the extent.

(write
 (let ((path '())
       (c #f))
   (let ((add (lambda (s)
                (set! path (cons s path)))))
     (dynamic-wind
       (lambda () (add 'connect))
       (lambda ()
         (add (call-with-current-continuation
                (lambda (c0)
                  (set! c c0)
                  'talk1))))
       (lambda () (add 'disconnect)))
     (if (< (length path) 4)
         (c 'talk2)
         (reverse path)))))
(newline)

(write
 (let ((path '())
       (c #f)
       (n 0))
   (let ((add (lambda (s)
                (set! path (cons s path)))))
     (dynamic-wind
       (lambda () (add 'connect))
       (lambda ()
         (add (call-with-current-continuation
                (lambda (c0)
                  (set! c c0)
                  'talk0))))
       (lambda () (add 'disconnect)))
     (set! n (+ n 1))
     (if (< n 4)
         (c (list 'talk n))
         (reverse path)))))
(newline)

; the result of the thunk is the result of dynamic-wind
(write (dynamic-wind (lambda () 'before) (lambda () 'during) (lambda () 'after)))
(newline)
