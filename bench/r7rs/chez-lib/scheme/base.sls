;;; (scheme base) for Chez Scheme 9.5, written for bench/r7rs/run.sh:
;;; Chez 9.5 has no R7RS libraries, so this re-exports the (chezscheme)
;;; procedures that R7RS shares with R6RS and defines the rest (R7RS
;;; define-record-type, cond-expand, the range arguments of
;;; the copy procedures, the byte and string port procedures, ...).
;;; Only what the r7rs-benchmarks programs need is tuned; the rest is
;;; plain and correct.
(library (scheme base)
  (export
   * + - ... / < <= = => > >= _ abs and append apply assoc assq assv begin
   binary-port? boolean=? boolean? bytevector bytevector-append
   bytevector-copy bytevector-copy! bytevector-length bytevector-u8-ref
   bytevector-u8-set! bytevector? caar cadr call-with-current-continuation
   call-with-port call-with-values call/cc car case cdar cddr cdr ceiling
   char->integer char-ready? char<=? char<? char=? char>=? char>? char?
   close-input-port close-output-port close-port complex? cond cond-expand
   cons current-error-port current-input-port current-output-port define
   define-record-type define-syntax define-values denominator do
   dynamic-wind else eof-object eof-object? eq? equal? eqv? error
   error-object-irritants error-object-message error-object? even? exact
   exact-integer-sqrt exact-integer? exact-rational? exact? expt features
   file-error? floor floor-quotient floor-remainder floor/
   flush-output-port for-each gcd get-output-bytevector get-output-string
   guard if include inexact inexact? input-port-open? input-port?
   integer->char integer? lambda lcm length let let* let*-values
   let-syntax let-values letrec letrec* letrec-syntax list list->string
   list->vector list-copy list-ref list-set! list-tail list? make-bytevector
   make-list make-parameter make-string make-vector map max member memq
   memv min modulo negative? newline not null? number->string number?
   numerator odd? open-input-bytevector open-input-string
   open-output-bytevector open-output-string or output-port-open?
   output-port? pair? parameterize peek-char peek-u8 positive? procedure?
   quasiquote quote quotient raise raise-continuable rational? rationalize
   read-bytevector read-bytevector! read-char read-error? read-line
   read-string read-u8 real? remainder reverse round set! set-car! set-cdr!
   square string string->list string->number string->symbol string->utf8
   string->vector string-append string-copy string-copy! string-fill!
   string-for-each string-length string-map string-ref string-set!
   string<=? string<? string=? string>=? string>? string? substring
   symbol->string symbol=? symbol? syntax-error syntax-rules textual-port?
   truncate truncate-quotient truncate-remainder truncate/ u8-ready? unless
   unquote unquote-splicing utf8->string values vector vector->list
   vector->string vector-append vector-copy vector-copy! vector-fill!
   vector-for-each vector-length vector-map vector-ref vector-set! vector?
   when with-exception-handler write-bytevector write-char write-string
   write-u8 zero?)
  (import
   (except (chezscheme)
           define-record-type error assoc member vector->list string->list
           vector-fill! string-fill! vector-copy string-copy string-copy!
           bytevector-copy bytevector-copy! string->utf8 utf8->string)
   (prefix (only (chezscheme)
                 define-record-type error assoc member vector->list
                 string->list vector-fill! string-fill! vector-copy
                 string-copy bytevector-copy bytevector-copy! string->utf8
                 utf8->string)
           chez:))

  ;; R7RS records: (define-record-type type (ctor field ...) pred
  ;; (field accessor [modifier]) ...) onto Chez's R6RS form.  R7RS
  ;; records cannot be extended, hence sealed.
  (define-syntax define-record-type
    (lambda (x)
      (define (field-clause spec)
        (syntax-case spec ()
          ((f a) #'(immutable f a))
          ((f a m) #'(mutable f a m))))
      (define (ctor-arg cfs)
        (lambda (spec)
          (syntax-case spec ()
            ((f . rest)
             (let loop ((cfs cfs))
               (cond ((null? cfs) #'#f)
                     ((bound-identifier=? (car cfs) #'f) (car cfs))
                     (else (loop (cdr cfs)))))))))
      (syntax-case x ()
        ((_ type (ctor cf ...) pred spec ...)
         (with-syntax (((clause ...) (map field-clause #'(spec ...)))
                       ((arg ...) (map (ctor-arg #'(cf ...)) #'(spec ...))))
           #'(begin
               (chez:define-record-type (type make-all pred)
                 (fields clause ...) (sealed #t))
               (define (ctor cf ...) (make-all arg ...)))))
        ((_ type #f pred spec ...)
         (with-syntax (((clause ...) (map field-clause #'(spec ...))))
           #'(chez:define-record-type (type make-all pred)
               (fields clause ...) (sealed #t))))
        ((_ type ctor pred spec ...)
         (identifier? #'ctor)
         (with-syntax (((clause ...) (map field-clause #'(spec ...))))
           #'(chez:define-record-type (type ctor pred)
               (fields clause ...) (sealed #t)))))))

  (meta define feature-list
    '(r7rs exact-closed exact-complex ieee-float full-unicode ratios
      chezscheme chez x86-64 linux posix))
  (define-syntax quoted-features
    (lambda (x)
      (syntax-case x ()
        ((k) (with-syntax ((l (datum->syntax #'k feature-list))) #''l)))))
  (define (features) (quoted-features))

  (define-syntax cond-expand
    (lambda (x)
      (define (true? req)
        (syntax-case req (and or not library)
          ((and r ...) (for-all true? #'(r ...)))
          ((or r ...) (exists true? #'(r ...)))
          ((not r) (not (true? #'r)))
          ((library name)
           (let ((n (syntax->datum #'name)))
             (and (pair? n) (memq (car n) '(scheme chezscheme rnrs)) #t)))
          (id (identifier? #'id)
              (and (memq (syntax->datum #'id) feature-list) #t))))
      (syntax-case x ()
        ((_ clause ...)
         (let loop ((cs #'(clause ...)))
           (if (null? cs)
               #'(void)
               (syntax-case (car cs) ()
                 ((req body ...)
                  (if (or (and (identifier? #'req)
                               (eq? (syntax->datum #'req) 'else))
                          (true? #'req))
                      #'(begin body ...)
                      (loop (cdr cs)))))))))))

  (define (error message . irritants)
    (if (string? message)
        (apply chez:error #f message irritants)
        (apply chez:error #f (format "~s" message) irritants)))
  (define (error-object? x) (condition? x))
  (define (error-object-message c)
    (if (message-condition? c) (condition-message c) ""))
  (define (error-object-irritants c)
    (if (irritants-condition? c) (condition-irritants c) '()))
  (define (file-error? c) (i/o-filename-error? c))
  (define (read-error? c) (or (lexical-violation? c) (i/o-read-error? c)))

  (define (exact-integer? x) (and (integer? x) (exact? x)))
  (define (exact-rational? x) (and (rational? x) (exact? x)))
  (define (square x) (* x x))
  (define (floor-remainder n d) (modulo n d))
  (define (floor-quotient n d) (quotient (- n (modulo n d)) d))
  (define (floor/ n d)
    (let ((r (modulo n d))) (values (quotient (- n r) d) r)))
  (define (truncate-quotient n d) (quotient n d))
  (define (truncate-remainder n d) (remainder n d))
  (define (truncate/ n d) (values (quotient n d) (remainder n d)))

  (define assoc
    (case-lambda
      ((x alist) (chez:assoc x alist))
      ((x alist same?)
       (let loop ((l alist))
         (cond ((null? l) #f)
               ((same? x (caar l)) (car l))
               (else (loop (cdr l))))))))
  (define member
    (case-lambda
      ((x list) (chez:member x list))
      ((x list same?)
       (let loop ((l list))
         (cond ((null? l) #f)
               ((same? x (car l)) l)
               (else (loop (cdr l))))))))
  (define (list-set! l k v) (set-car! (list-tail l k) v))

  (define vector->list
    (case-lambda
      ((v) (chez:vector->list v))
      ((v start) (vector->list v start (vector-length v)))
      ((v start end)
       (let loop ((i (- end 1)) (acc '()))
         (if (< i start) acc (loop (- i 1) (cons (vector-ref v i) acc)))))))
  (define string->list
    (case-lambda
      ((s) (chez:string->list s))
      ((s start) (string->list s start (string-length s)))
      ((s start end)
       (let loop ((i (- end 1)) (acc '()))
         (if (< i start) acc (loop (- i 1) (cons (string-ref s i) acc)))))))
  (define vector->string
    (case-lambda
      ((v) (vector->string v 0 (vector-length v)))
      ((v start) (vector->string v start (vector-length v)))
      ((v start end) (list->string (vector->list v start end)))))
  (define string->vector
    (case-lambda
      ((s) (string->vector s 0 (string-length s)))
      ((s start) (string->vector s start (string-length s)))
      ((s start end) (list->vector (string->list s start end)))))
  (define vector-copy
    (case-lambda
      ((v) (chez:vector-copy v))
      ((v start) (vector-copy v start (vector-length v)))
      ((v start end)
       (let ((new (make-vector (- end start))))
         (do ((i start (+ i 1))) ((= i end) new)
           (vector-set! new (- i start) (vector-ref v i)))))))
  (define vector-copy!
    (case-lambda
      ((to at from) (vector-copy! to at from 0 (vector-length from)))
      ((to at from start) (vector-copy! to at from start (vector-length from)))
      ((to at from start end)
       (if (and (eq? to from) (< start at))
           (do ((i (- end 1) (- i 1))) ((< i start))
             (vector-set! to (+ at (- i start)) (vector-ref from i)))
           (do ((i start (+ i 1))) ((= i end))
             (vector-set! to (+ at (- i start)) (vector-ref from i)))))))
  (define (vector-append . vs)
    (list->vector (apply append (map chez:vector->list vs))))
  (define vector-fill!
    (case-lambda
      ((v x) (chez:vector-fill! v x))
      ((v x start) (vector-fill! v x start (vector-length v)))
      ((v x start end)
       (do ((i start (+ i 1))) ((= i end)) (vector-set! v i x)))))
  (define string-copy
    (case-lambda
      ((s) (chez:string-copy s))
      ((s start) (substring s start (string-length s)))
      ((s start end) (substring s start end))))
  (define string-copy!
    (case-lambda
      ((to at from) (string-copy! to at from 0 (string-length from)))
      ((to at from start) (string-copy! to at from start (string-length from)))
      ((to at from start end)
       (if (and (eq? to from) (< start at))
           (do ((i (- end 1) (- i 1))) ((< i start))
             (string-set! to (+ at (- i start)) (string-ref from i)))
           (do ((i start (+ i 1))) ((= i end))
             (string-set! to (+ at (- i start)) (string-ref from i)))))))
  (define string-fill!
    (case-lambda
      ((s c) (chez:string-fill! s c))
      ((s c start) (string-fill! s c start (string-length s)))
      ((s c start end)
       (do ((i start (+ i 1))) ((= i end)) (string-set! s i c)))))
  (define string-map
    (case-lambda
      ((f s)
       (let* ((n (string-length s)) (new (make-string n)))
         (do ((i 0 (+ i 1))) ((= i n) new)
           (string-set! new i (f (string-ref s i))))))
      ((f s . ss)
       (list->string (apply map f (chez:string->list s)
                            (map chez:string->list ss))))))

  (define bytevector-copy
    (case-lambda
      ((bv) (chez:bytevector-copy bv))
      ((bv start) (bytevector-copy bv start (bytevector-length bv)))
      ((bv start end)
       (let ((new (make-bytevector (- end start))))
         (chez:bytevector-copy! bv start new 0 (- end start))
         new))))
  (define bytevector-copy!
    (case-lambda
      ((to at from) (chez:bytevector-copy! from 0 to at (bytevector-length from)))
      ((to at from start)
       (chez:bytevector-copy! from start to at (- (bytevector-length from) start)))
      ((to at from start end)
       (chez:bytevector-copy! from start to at (- end start)))))
  (define (bytevector-append . bvs)
    (let* ((n (apply + (map bytevector-length bvs)))
           (new (make-bytevector n)))
      (let loop ((bvs bvs) (at 0))
        (if (null? bvs)
            new
            (let ((k (bytevector-length (car bvs))))
              (chez:bytevector-copy! (car bvs) 0 new at k)
              (loop (cdr bvs) (+ at k)))))))
  (define utf8->string
    (case-lambda
      ((bv) (chez:utf8->string bv))
      ((bv start) (chez:utf8->string (bytevector-copy bv start)))
      ((bv start end) (chez:utf8->string (bytevector-copy bv start end)))))
  (define string->utf8
    (case-lambda
      ((s) (chez:string->utf8 s))
      ((s start) (chez:string->utf8 (substring s start (string-length s))))
      ((s start end) (chez:string->utf8 (substring s start end)))))

  ;; Byte ports: Chez's bytevector output port comes with its extractor.
  (define extractors (make-weak-eq-hashtable))
  (define (open-input-bytevector bv) (open-bytevector-input-port bv))
  (define (open-output-bytevector)
    (call-with-values open-bytevector-output-port
      (lambda (port extract)
        (hashtable-set! extractors port extract)
        port)))
  (define (get-output-bytevector port)
    ;; Chez's extractor empties the port; put the bytes back.
    (let ((bv ((hashtable-ref extractors port #f))))
      (put-bytevector port bv)
      bv))
  (define (input-port-open? p) (not (port-closed? p)))
  (define (output-port-open? p) (not (port-closed? p)))
  (define read-u8
    (case-lambda ((p) (get-u8 p)) (() (get-u8 (current-input-port)))))
  (define peek-u8
    (case-lambda ((p) (lookahead-u8 p)) (() (lookahead-u8 (current-input-port)))))
  (define u8-ready?
    (case-lambda ((p) #t) (() #t)))
  (define write-u8
    (case-lambda ((b p) (put-u8 p b)) ((b) (put-u8 (current-output-port) b))))
  (define read-bytevector
    (case-lambda
      ((k) (read-bytevector k (current-input-port)))
      ((k p) (if (zero? k) (bytevector) (get-bytevector-n p k)))))
  (define read-bytevector!
    (case-lambda
      ((bv) (read-bytevector! bv (current-input-port)))
      ((bv p) (read-bytevector! bv p 0 (bytevector-length bv)))
      ((bv p start) (read-bytevector! bv p start (bytevector-length bv)))
      ((bv p start end)
       (if (= start end) 0 (get-bytevector-n! p bv start (- end start))))))
  (define write-bytevector
    (case-lambda
      ((bv) (put-bytevector (current-output-port) bv))
      ((bv p) (put-bytevector p bv))
      ((bv p start) (put-bytevector p bv start (- (bytevector-length bv) start)))
      ((bv p start end) (put-bytevector p bv start (- end start)))))
  (define read-line
    (case-lambda ((p) (get-line p)) (() (get-line (current-input-port)))))
  (define read-string
    (case-lambda
      ((k) (read-string k (current-input-port)))
      ((k p) (if (zero? k) "" (get-string-n p k)))))
  (define write-string
    (case-lambda
      ((s) (put-string (current-output-port) s))
      ((s p) (put-string p s))
      ((s p start) (put-string p s start (- (string-length s) start)))
      ((s p start end) (put-string p s start (- end start))))))
