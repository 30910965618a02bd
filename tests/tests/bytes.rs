//! Bytevectors, string and bytevector ports, `read`, and datum labels.
//! Expected outputs: the R7RS text (the `#u8(...)` syntax, which neither
//! Chez 9.5.8 nor Guile 3.0.8 prints: both print `#vu8(...)`), and Chez
//! Scheme with `(print-graph #t)` for the datum labels (same text as
//! here for `write-shared`, and for `write` of data whose only sharing
//! is a cycle). Programs whose output both Chez and Guile print are in
//! `tests/corpus/bytes` and `tests/corpus/ports`.
mod common;
use common::{check, check_compile_error, check_runtime_error};

#[test]
fn bytevectors_print_as_u8_syntax() {
    // R7RS 6.9's examples.
    check(
        "(write (make-bytevector 2 12)) (write (bytevector 1 3 5 1 3 5)) (write (bytevector))
         (display (bytevector 255 0)) (write (list (bytevector 7) (vector (bytevector))))",
        "#u8(12 12)#u8(1 3 5 1 3 5)#u8()#u8(255 0)(#u8(7) #(#u8()))",
    );
    check(
        "(define a (bytevector 1 2 3 4 5)) (define b (bytevector 10 20 30 40 50))
         (bytevector-copy! b 1 a 0 2) (write b)
         (write (bytevector-append (bytevector 0 1 2) (bytevector 3 4 5)))
         (write (string->utf8 \"λ\")) (write (utf8->string #u8(#x41)))",
        "#u8(10 1 2 40 50)#u8(0 1 2 3 4 5)#u8(206 187)\"A\"",
    );
}

#[test]
fn bytevector_literals_are_self_evaluating_data() {
    check(
        "(write #u8(1 2 255)) (write '#u8()) (write '(a #u8(9) #(#u8(1))))
         (write (bytevector-u8-ref #u8(5 6 7) 2)) (write (equal? #u8(1 2) (bytevector 1 2)))
         (write (bytevector? #u8(#x10 #b11)))",
        "#u8(1 2 255)#u8()(a #u8(9) #(#u8(1)))7#t#t",
    );
}

#[test]
fn malformed_bytevector_literals_are_compile_errors() {
    check_compile_error(
        "(write #u8(1 256))",
        "1:14",
        "`256` in a bytevector is not a byte (0 to 255)",
    );
    check_compile_error("(write #u8(1 . 2))", "1:8", "a bytevector cannot be dotted");
    check_compile_error(
        "(write '#u8(a))",
        "1:13",
        "`a` in a bytevector is not a byte",
    );
}

#[test]
fn bytevector_errors() {
    check_runtime_error(
        "(display 1) (bytevector-u8-ref (bytevector 1 2 3) 3)",
        "1",
        "bytevector-u8-ref: index 3 out of range for #u8(1 2 3)",
    );
    check_runtime_error(
        "(bytevector-u8-set! (make-bytevector 2 0) 0 256)",
        "",
        "bytevector-u8-set!: argument 3 (byte): expected integer from 0 to 255, got 256",
    );
    check_runtime_error(
        "(bytevector 1 -1)",
        "",
        "expected integer from 0 to 255, got -1",
    );
    check_runtime_error(
        "(make-bytevector 2 300)",
        "",
        "expected integer from 0 to 255, got 300",
    );
    check_runtime_error(
        "(bytevector-copy! (bytevector 1 2) 1 (bytevector 1 2 3))",
        "",
        "3 bytes do not fit at index 1 of #u8(1 2)",
    );
    check_runtime_error(
        "(utf8->string (bytevector 65 255))",
        "",
        "invalid UTF-8 at byte 1 of #u8(65 255)",
    );
    check_runtime_error(
        "(bytevector-length (vector 1))",
        "",
        "expected bytevector, got #(1)",
    );
}

#[test]
fn port_kind_errors() {
    check_runtime_error(
        "(write-u8 1 (open-output-string))",
        "",
        "port string is not a binary port",
    );
    check_runtime_error(
        "(display \"x\" (open-output-bytevector))",
        "",
        "port bytevector is not a textual port",
    );
    check_runtime_error(
        "(read-char (open-input-bytevector (bytevector 65)))",
        "",
        "port bytevector is not a textual port",
    );
    check_runtime_error(
        "(define p (open-input-string \"abc\")) (close-port p) (read-char p)",
        "",
        "port string is closed",
    );
    check_runtime_error(
        "(get-output-string (open-input-string \"abc\"))",
        "",
        "not a string or bytevector output port",
    );
}

#[test]
fn read_errors_are_read_error_conditions() {
    check(
        "(define (try text)
           (guard (e ((read-error? e) (list 'read-error (error-object-message e))))
             (read (open-input-string text))))
         (write (try \"(1 2\")) (newline)
         (write (try \"#u8(1 300)\")) (newline)
         (write (try \"#0#\")) (newline)
         (write (try \"1/0x\"))",
        "(read-error \"unbalanced parenthesis: this list is never closed\")\n\
         (read-error \"`300` in a bytevector is not a byte (0 to 255)\")\n\
         (read-error \"datum label #0# is not defined\")\n\
         (read-error \"`1/0x` is not a valid number\")",
    );
    check_runtime_error(
        "(display \"a\") (read (open-input-string \"\\\"open\"))",
        "a",
        "read: unterminated string",
    );
}

#[test]
fn read_goes_on_after_the_datum() {
    check(
        "(define p (open-input-string \"(a b)c 12;x\\n#| y |# \\\"s\\\" \"))
         (write (list (read p) (read p) (read p) (read p) (eof-object? (read p))))",
        "((a b) c 12 \"s\" #t)",
    );
}

#[test]
fn write_labels_cycles_only() {
    // Chez (print-graph #t) prints these the same.
    check(
        "(define x (list 1 2 3)) (set-cdr! (cddr x) x) (write x) (newline) (display x) (newline)
         (define v (vector 1 2 3)) (vector-set! v 1 v) (write v) (newline)
         (define c (list 1 2)) (set-car! c c) (write c) (newline)
         (define y (list 'a 'b)) (write (list y y))",
        "#0=(1 2 3 . #0#)\n#0=(1 2 3 . #0#)\n#0=#(1 #0# 3)\n#0=(#0# 2)\n((a b) (a b))",
    );
}

#[test]
fn write_shared_labels_all_sharing() {
    // Output from Chez with (print-graph #t).
    check(
        "(define y (list 'a 'b)) (write-shared (list y y)) (newline)
         (write-shared (let ((s (list 1))) (vector s s (list s)))) (newline)
         (write-shared '(1 2 3)) (newline)
         (write-simple '(1 (2 #(3))))",
        "(#0=(a b) #0#)\n#(#0=(1) #0# (#0#))\n(1 2 3)\n(1 (2 #(3)))",
    );
}

#[test]
fn read_builds_cycles_from_datum_labels() {
    check(
        "(define x (read (open-input-string \"#0=(a b . #0#)\")))
         (write (eq? x (cddr x))) (write x) (newline)
         (write-shared (read (open-input-string \"#0=#(1 #0# #1=(x) #1#)\"))) (newline)
         (define y (read (open-input-string \"(#5=(p) #5#)\")))
         (write (eq? (car y) (cadr y)))",
        "#t#0=(a b . #0#)\n#0=#(1 #0# #1=(x) #1#)\n#t",
    );
}

#[test]
fn write_then_read_round_trips() {
    // Random data (a fixed-seed generator), cycles and bytevectors: what
    // `write` prints, `read` reads back `equal?` (and, for cycles, with
    // the same shape).
    check(
        "(define seed 12345)
         (define (rand n) (set! seed (modulo (+ (* seed 1103515245) 12345) 2147483648)) (modulo (quotient seed 65536) n))
         (define (datum depth)
           (case (if (= depth 0) (rand 6) (rand 9))
             ((0) (- (rand 2000) 1000))
             ((1) (string-ref \"aλ\\\"\\\\ \\n#x\" (rand 8)))
             ((2) (list->string (list (integer->char (+ 97 (rand 26))) #\\\" #\\λ)))
             ((3) (string->symbol (string (integer->char (+ 97 (rand 26))) #\\-)))
             ((4) (/ (rand 100) (+ 1 (rand 7))))
             ((5) (let ((b (make-bytevector (rand 4) 0))) (bytevector-u8-set! b 0 (rand 256)) b))
             ((6) (list (datum (- depth 1)) (datum (- depth 1))))
             ((7) (vector (datum (- depth 1)) (datum (- depth 1)) (datum (- depth 1))))
             (else (cons (datum (- depth 1)) (datum (- depth 1))))))
         (define (round-trip x)
           (let ((o (open-output-string)))
             (write x o)
             (read (open-input-string (get-output-string o)))))
         (define ok 0)
         (do ((i 0 (+ i 1))) ((= i 300))
           (let ((x (guard (e (#t #f)) (datum 4))))
             (if (equal? x (round-trip x)) (set! ok (+ ok 1)) (begin (write x) (newline)))))
         (display ok) (newline)
         (define c (list 1 #u8(1 2) \"s\")) (set-cdr! (cddr c) c)
         (define r (round-trip c))
         (write (list (eq? r (cdddr r)) (equal? (cadr r) #u8(1 2)))) (write r)",
        "300\n(#t #t)#0=(1 #u8(1 2) \"s\" . #0#)",
    );
}

#[test]
fn read_from_standard_input() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let dir = common::scratch();
    let file = dir.join("stdin.scm");
    std::fs::write(
        &file,
        "(write (read)) (write (read)) (write (read-line)) (write (read)) (write (eof-object? (read)))",
    )
    .unwrap();
    let mut child = Command::new(common::schemec())
        .arg("run")
        .arg(&file)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(b"(a\n b) 12 rest of line\n\"x\"\n")
        .unwrap();
    drop(stdin);
    let o = child.wait_with_output().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(
        common::stdout(&o),
        "(a b)12\" rest of line\"\"x\"#t",
        "{}",
        common::stderr(&o)
    );
}

/// R6RS's numbers in bytevectors (as Chez has them), the layout tool for
/// `u8*` arguments of C functions. Chez and Guile print this.
#[test]
fn numbers_stored_in_bytevectors() {
    check(
        r#"(define (show x) (write x) (newline))
(define v (make-bytevector 24 0))
(bytevector-s32-native-set! v 4 -5)
(bytevector-u16-native-set! v 0 65535)
(bytevector-s8-set! v 2 -128)
(show (list (bytevector-s32-native-ref v 4) (bytevector-u32-native-ref v 4) (bytevector-u8-ref v 4)
            (bytevector-u16-native-ref v 0) (bytevector-s16-native-ref v 0) (bytevector-s8-ref v 2) (bytevector-u8-ref v 2)))
(bytevector-ieee-double-native-set! v 8 1.5)
(bytevector-ieee-single-native-set! v 16 -0.25)
(show (list (bytevector-ieee-double-native-ref v 8) (bytevector-ieee-single-native-ref v 16)
            (bytevector-ieee-double-ref v 8 'little) (bytevector-u64-native-ref v 8)))
(bytevector-s16-set! v 0 -2 'big)
(show (list (bytevector-s16-ref v 0 'big) (bytevector-u16-ref v 0 'little) (bytevector-u16-ref v 0 'big)))
(bytevector-u64-set! v 16 18446744073709551615 'big)
(bytevector-s64-native-set! v 8 -9223372036854775808)
(show (list (bytevector-u64-ref v 16 'little) (bytevector-s64-ref v 16 'big) (bytevector-s64-native-ref v 8)))
(bytevector-u32-set! v 0 #x01020304 'big)
(show (list (bytevector-u8-ref v 0) (bytevector-u8-ref v 3) (bytevector-u32-ref v 0 'little) (bytevector-s32-ref v 0 'big)))
(bytevector-ieee-double-set! v 0 3.0 'big)
(bytevector-ieee-single-set! v 8 2.5 'big)
(show (list (bytevector-ieee-double-ref v 0 'big) (bytevector-ieee-single-ref v 8 'big) (bytevector-u8-ref v 0) (bytevector-u8-ref v 8)))
(show (native-endianness))
"#,
        r#"(-5 4294967291 251 65535 -1 -128 128)
(1.5 -0.25 1.5 4609434218613702656)
(-2 65279 65534)
(18446744073709551615 -1 -9223372036854775808)
(1 4 67305985 16909060)
(3.0 2.5 64 64)
little
"#,
    );
}

#[test]
fn numbers_in_bytevectors_are_checked() {
    check_runtime_error(
        "(bytevector-s32-native-ref (make-bytevector 8 0) 2)",
        "",
        "bytevector-s32-native-ref: argument 2 (k): index 2 is not a multiple of 4 for #u8(0 0 0 0 0 0 0 0)",
    );
    check_runtime_error(
        "(bytevector-s32-ref (make-bytevector 8 0) 5 'little)",
        "",
        "bytevector-s32-ref: argument 2 (k): index 5 out of range for a 4-byte field of #u8(0 0 0 0 0 0 0 0)",
    );
    check_runtime_error(
        "(bytevector-s16-native-set! (make-bytevector 8 0) 0 40000)",
        "",
        "bytevector-s16-native-set!: argument 3: expected",
    );
    check_runtime_error(
        "(bytevector-u16-ref (make-bytevector 8 0) 0 'middle)",
        "",
        "bytevector-u16-ref: argument 3 (endianness): expected big or little, got middle",
    );
}
