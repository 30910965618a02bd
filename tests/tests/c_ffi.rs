//! The C foreign interface (issue 16): `load-shared-object`,
//! `foreign-procedure`, `foreign-callable` and raw memory, against libc and
//! a C library of test functions (`tests/c/ffitest.c`, built here with
//! `cc`). Expected outputs are Chez Scheme 9.5.8's for the same programs
//! (`scheme --script`), which has the same forms.
mod common;
use common::{check, check_compile_error, check_runtime_error, scratch};
use std::path::PathBuf;
use std::sync::OnceLock;

/// `libffitest.so`, built once per test run.
fn ffitest() -> &'static PathBuf {
    static LIB: OnceLock<PathBuf> = OnceLock::new();
    LIB.get_or_init(|| {
        let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("c/ffitest.c");
        let lib = scratch().join("libffitest.so");
        let status = std::process::Command::new("cc")
            .args(["-O2", "-shared", "-fPIC", "-o"])
            .arg(&lib)
            .arg(&src)
            .status()
            .expect("run cc");
        assert!(status.success(), "cc failed on {}", src.display());
        lib
    })
}

fn with_ffitest(src: &str) -> String {
    format!("(load-shared-object \"{}\")\n{src}", ffitest().display())
}

#[test]
fn every_type_class_in_and_out() {
    check(
        &with_ffitest(
            r#"(define neg-i8 (foreign-procedure "neg_i8" (integer-8) integer-8))
(define inc-u8 (foreign-procedure "inc_u8" (unsigned-8) unsigned-8))
(define neg-i16 (foreign-procedure "neg_i16" (short) short))
(define inc-u16 (foreign-procedure "inc_u16" (unsigned-short) unsigned-short))
(define neg-i32 (foreign-procedure "neg_i32" (int) int))
(define inc-u32 (foreign-procedure "inc_u32" (unsigned) unsigned))
(define neg-i64 (foreign-procedure "neg_i64" (long) long))
(define inc-u64 (foreign-procedure "inc_u64" (unsigned-long) unsigned-long))
(define half-f (foreign-procedure "half_f" (float) float))
(define hyp (foreign-procedure "hyp" (double double) double))
(define positive (foreign-procedure "is_positive" (int) boolean))
(define next-char (foreign-procedure "next_char" (char) char))
(define greeting (foreign-procedure "greeting" (int) string))
(define count-bytes (foreign-procedure "count_bytes" (u8* size_t unsigned-8) size_t))
(define sum10 (foreign-procedure "sum10" (long long long long long long long long long long) long))
(define dsum10 (foreign-procedure "dsum10" (double double double double double double double double double double) double))
(define mixed (foreign-procedure "mixed" (int double long float unsigned-8) double))
(define identity (foreign-procedure "identity" (void*) void*))
(define (show x) (write x) (newline))
(show (list (neg-i8 5) (neg-i8 -128) (inc-u8 254) (inc-u8 255)))
(show (list (neg-i16 300) (inc-u16 65535) (neg-i32 -2147483647) (inc-u32 4294967295)))
(show (list (neg-i64 -9223372036854775807) (neg-i64 1152921504606846976) (inc-u64 18446744073709551614) (inc-u64 1152921504606846975)))
(show (list (half-f 3.0) (hyp 3.0 4.0) (hyp 1.5 -2.5)))
(show (list (positive 3) (positive -3) (next-char #\a) (greeting 1) (greeting 0)))
(show (count-bytes (bytevector 1 2 1 3 1) 5 1))
(show (list (sum10 1 2 3 4 5 6 7 8 9 10) (dsum10 1.0 2.0 3.0 4.0 5.0 6.0 7.0 8.0 9.0 10.5)))
(show (mixed -1 0.5 10000000000 0.25 200))
(show (identity 123456789012))
(let loop ((i 0) (acc 0))
  (if (< i 100000)
      (loop (+ i 1) (+ acc (neg-i64 i) (count-bytes (make-bytevector 3 7) 3 7)))
      (show acc)))
"#,
        ),
        r#"(-5 -128 255 0)
(-300 0 2147483647 0)
(9223372036854775807 -1152921504606846976 18446744073709551615 1152921504606846976)
(1.5 25.0 8.5)
(#t #f #\b "héllo" #f)
3
(385 390.0)
1.000000019975e10
123456789012
-4999650000
"#,
    );
}

#[test]
fn callables_qsort_and_raw_memory() {
    check(
        &with_ffitest(
            r#"(load-shared-object "libc.so.6")
(define apply-ll (foreign-procedure "apply_ll" (void* long long) long))
(define apply-d (foreign-procedure "apply_d" (void* double) double))
(define fold-cb (foreign-procedure "fold_cb" (void* long) long))
(define call-str (foreign-procedure "call_str" (void* string) int))
(define many-cb (foreign-procedure "many_cb" (void*) long))
(define (show x) (write x) (newline))
(define sub (foreign-callable (lambda (a b) (- a b)) (long long) long))
(define square (foreign-callable (lambda (x) (* x x)) (double) double))
(define collect '())
(define add (foreign-callable (lambda (acc i) (set! collect (cons (make-string i #\x) collect)) (+ acc i)) (long long) long))
(define len (foreign-callable (lambda (s) (string-length s)) (string) int))
(define many (foreign-callable (lambda (a b c d e f g h) (+ a (* 10 h))) (long long long long long long long long) long))
(show (apply-ll (foreign-callable-entry-point sub) 10 3))
(show (apply-d (foreign-callable-entry-point square) 1.5))
(show (fold-cb (foreign-callable-entry-point add) 100))
(show (length collect))
(show (call-str (foreign-callable-entry-point len) "h\xe9;llo"))
(show (many-cb (foreign-callable-entry-point many)))
;; qsort from libc sorting a bytevector of 32-bit integers.
(define qsort (foreign-procedure "qsort" (u8* size_t size_t void*) void))
(define compare
  (foreign-callable
   (lambda (a b)
     (let ((x (foreign-ref 'int a 0)) (y (foreign-ref 'int b 0)))
       (cond ((< x y) -1) ((> x y) 1) (else 0))))
   (void* void*) int))
(define numbers '(42 -7 1000000 0 13 -2147483648 2147483647 5 5 -1))
(define bv (make-bytevector (* 4 (length numbers)) 0))
(define (u8-of n k) (modulo (quotient (modulo n 4294967296) (expt 256 k)) 256))
(let loop ((i 0) (ns numbers))
  (unless (null? ns)
    (do ((k 0 (+ k 1))) ((= k 4))
      (bytevector-u8-set! bv (+ (* 4 i) k) (u8-of (car ns) k)))
    (loop (+ i 1) (cdr ns))))
(qsort bv (length numbers) 4 (foreign-callable-entry-point compare))
(define (s32-at i)
  (let ((u (+ (bytevector-u8-ref bv (* 4 i)) (* 256 (bytevector-u8-ref bv (+ (* 4 i) 1)))
              (* 65536 (bytevector-u8-ref bv (+ (* 4 i) 2))) (* 16777216 (bytevector-u8-ref bv (+ (* 4 i) 3))))))
    (if (>= u 2147483648) (- u 4294967296) u)))
(let loop ((i 0) (acc '()))
  (if (= i (length numbers)) (show (reverse acc)) (loop (+ i 1) (cons (s32-at i) acc))))
;; raw memory
(define m (foreign-alloc 32))
(foreign-set! 'double m 0 2.5)
(foreign-set! 'int m 8 -3)
(foreign-set! 'unsigned-16 m 12 65535)
(foreign-set! 'integer-8 m 14 -1)
(foreign-set! 'void* m 16 m)
(foreign-set! 'float m 24 0.25)
(show (list (foreign-ref 'double m 0) (foreign-ref 'int m 8) (foreign-ref 'unsigned-16 m 12)
            (foreign-ref 'integer-8 m 14) (foreign-ref 'unsigned-8 m 14) (= (foreign-ref 'void* m 16) m)
            (foreign-ref 'float m 24)))
(show (map foreign-sizeof '(char short int long double float void* size_t)))
(foreign-free m)
"#,
        ),
        r#"7
2.25
5050
100
5
81
(-2147483648 -7 -1 0 5 5 13 42 1000000 2147483647)
(2.5 -3 65535 -1 255 #t 0.25)
(1 2 4 8 8 4 8 8)
"#,
    );
}

#[test]
fn libc_and_libm_without_a_plugin() {
    check(
        r#"(load-shared-object "libc.so.6")
(load-shared-object "libm.so.6")
(define strlen (foreign-procedure "strlen" (string) size_t))
(define cos (foreign-procedure "cos" (double) double))
(define getenv (foreign-procedure "getenv" (string) string))
(define memset (foreign-procedure "memset" (u8* int size_t) void*))
(define bv (make-bytevector 4 0))
(memset bv 65 2)
(write (list (strlen "h\xe9;llo") (cos 0.0) (getenv "SCHEMEC_SURELY_UNSET_VARIABLE") bv))"#,
        "(6 1.0 #f #u8(65 65 0 0))",
    );
}

#[test]
fn wrong_arguments_are_errors_naming_the_function() {
    let strlen = "(define strlen (foreign-procedure \"strlen\" (string) size_t))\n";
    check_runtime_error(
        &format!("{strlen}(strlen 5)"),
        "",
        "strlen: argument 1: expected string or #f, got 5",
    );
    check_runtime_error(
        &format!("{strlen}(strlen \"a\\x0;b\")"),
        "",
        "strlen: argument 1: expected string without NUL characters",
    );
    check_runtime_error(
        "(define abs (foreign-procedure \"abs\" (int) int)) (abs (expt 2 31))",
        "",
        "abs: argument 1: expected exact integer in [-2147483648, 2147483647], got 2147483648",
    );
    check_runtime_error(
        "(define labs (foreign-procedure \"labs\" (long) long)) (labs 1.5)",
        "",
        "labs: argument 1: expected exact integer in [-9223372036854775808, 9223372036854775807], got 1.5",
    );
    check_runtime_error(
        "(define abs (foreign-procedure \"abs\" (int) int)) (abs 1 2)",
        "",
        "abs: wrong number of arguments: got 2 arguments",
    );
    // A first-class use goes through the procedure's own code.
    check_runtime_error(
        "(define f (list (foreign-procedure \"abs\" (int) int))) (display ((car f) -4)) ((car f) 'x)",
        "4",
        "abs: argument 1: expected exact integer in [-2147483648, 2147483647], got x",
    );
    // Caught like any other error.
    check(
        "(define abs (foreign-procedure \"abs\" (int) int))
         (display (guard (e ((error-object? e) (error-object-message e))) (abs \"x\")))",
        "argument 1: expected exact integer in [-2147483648, 2147483647], got \"x\"",
    );
}

#[test]
fn missing_symbols_and_libraries_are_compile_errors() {
    check_compile_error(
        "(define f (foreign-procedure \"no_such_function_xyz\" (int) int))",
        "1:30",
        "no C function `no_such_function_xyz` in the C library",
    );
    let o = common::run("(load-shared-object \"libno-such-library.so\")");
    let err = common::located(&common::stderr(&o));
    assert!(
        err.contains(
            "test.scm:1:21: error: cannot load shared object `libno-such-library.so`; tried:"
        ),
        "{err}"
    );
    assert!(err.contains("libno-such-library.so (not found)"), "{err}");
    assert_eq!(o.status.code(), Some(2));
    check_compile_error(
        "(define f (foreign-procedure \"abs\" (integer) int))",
        "1:37",
        "`integer` is not a foreign type",
    );
    check_compile_error(
        "(define f (foreign-procedure \"abs\" (void) int))",
        "1:37",
        "`void` is only a result type",
    );
    check_compile_error(
        "(define name \"abs\") (define f (foreign-procedure name (int) int))",
        "1:50",
        "must be a string literal",
    );
}

#[test]
fn errors_inside_a_callable_end_the_program_with_a_note() {
    let o = common::run(&with_ffitest(
        "(define apply-ll (foreign-procedure \"apply_ll\" (void* long long) long))
(define cb (foreign-callable (lambda (a b) (car a)) (long long) long))
(display \"before\")
(guard (e (#t (display \"caught\")))
  (apply-ll (foreign-callable-entry-point cb) 1 2))",
    ));
    let err = common::located(&common::stderr(&o));
    assert_eq!(common::stdout(&o), "before");
    assert!(
        err.contains("car: argument 1 (pair): expected pair, got 1"),
        "{err}"
    );
    assert!(
        err.contains("cannot leave a callable through the C frames"),
        "{err}"
    );
    assert_eq!(o.status.code(), Some(1));
    let o = common::run(&with_ffitest(
        "(define apply-ll (foreign-procedure \"apply_ll\" (void* long long) long))
(define cb (foreign-callable (lambda (a b) \"no\") (long long) long))
(apply-ll (foreign-callable-entry-point cb) 1 2)",
    ));
    let err = common::located(&common::stderr(&o));
    assert!(
        err.contains("the procedure returned \"no\", expected exact integer"),
        "{err}"
    );
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn raw_memory_is_checked_where_it_can_be() {
    check_runtime_error(
        "(define m (foreign-alloc 8)) (foreign-ref 'int m 6)",
        "",
        "foreign-ref: offset 6 for 4 bytes is outside the 8-byte block",
    );
    check_runtime_error(
        "(define m (foreign-alloc 8)) (foreign-free m) (foreign-free m)",
        "",
        "is not a live block from foreign-alloc",
    );
    check_runtime_error(
        "(foreign-ref 'int 0 0)",
        "",
        "foreign-ref: address 0 (NULL)",
    );
    check_runtime_error(
        "(define m (foreign-alloc 8)) (foreign-set! 'unsigned-8 m 0 256)",
        "",
        "foreign-set!: expected exact integer in [0, 255], got 256",
    );
    check_runtime_error(
        "(foreign-sizeof 'string-ish)",
        "",
        "foreign-sizeof: string-ish is not a C type",
    );
}

/// The README's examples: the seed's line written with libc's
/// `open`/`write`/`close`, and `qsort` with a Scheme comparator.
#[test]
fn readme_examples() {
    let file = scratch().join("io-c.txt");
    check(
        &format!(
            r#"(load-shared-object "libc.so.6")
(define open  (foreign-procedure "open" (string int int) int))
(define write (foreign-procedure "write" (int u8* size_t) ssize_t))
(define close (foreign-procedure "close" (int) int))

(define O_WRONLY 1) (define O_CREAT 64) (define O_TRUNC 512)   ; Linux values

(define (writeln s fd)
  (let ((bytes (string->utf8 (string-append s "\n"))))
    (write fd bytes (bytevector-length bytes))))

(let ((fd (open "{path}" (+ O_WRONLY O_CREAT O_TRUNC) #o644)))
  (writeln "Hello !!con 👋" fd)
  (close fd))
(display (call-with-input-file "{path}" read-line))"#,
            path = file.display()
        ),
        "Hello !!con 👋",
    );
    check(
        r#"(load-shared-object "libc.so.6")
(define qsort (foreign-procedure "qsort" (u8* size_t size_t void*) void))
(define compare
  (foreign-callable
    (lambda (a b)   ; addresses of two elements
      (let ((x (foreign-ref 'integer-32 a 0)) (y (foreign-ref 'integer-32 b 0)))
        (cond ((< x y) -1) ((> x y) 1) (else 0))))
    (void* void*) int))
(define v (make-bytevector 16))
(for-each (lambda (i x) (bytevector-s32-native-set! v (* 4 i) x)) '(0 1 2 3) '(30 -5 12 7))
(qsort v 4 4 (foreign-callable-entry-point compare))
(write (map (lambda (i) (bytevector-s32-native-ref v (* 4 i))) '(0 1 2 3)))   ; (-5 7 12 30)"#,
        "(-5 7 12 30)",
    );
}

/// Chez's conventions before the name: `__varargs` and `(__varargs_after
/// n)` declare one argument list of a variadic function (x86-64 passes it
/// as a fixed one, with `al` set); `...` and unknown conventions are errors.
#[test]
fn variadic_functions_with_declared_types() {
    check(
        r#"(load-shared-object "libc.so.6")
(define snprintf-id (foreign-procedure __varargs "snprintf" (u8* size_t string int double) int))
(define snprintf-s (foreign-procedure (__varargs_after 3) "snprintf" (u8* size_t string string) int))
(define buf (make-bytevector 32 0))
(define (text n) (utf8->string (bytevector-copy buf 0 n)))
(write (text (snprintf-id buf 32 "%d:%.3f" -42 2.5)))
(write (text (snprintf-s buf 32 "<%s>" "h\xe9;")))"#,
        r#""-42:2.500""<hé>""#,
    );
    check_compile_error(
        "(define p (foreign-procedure \"printf\" (string ...) int))",
        "1:47",
        "variadic C functions are not supported as such",
    );
    check_compile_error(
        "(define p (foreign-procedure __stdcall \"printf\" (string) int))",
        "1:30",
        "unknown or unsupported convention",
    );
}
