//! Ports and file input/output, all written with `#[scheme_fn]`.
mod common;
use common::{check, check_runtime_error, scratch};

/// A path in a fresh scratch directory, as a Scheme string literal body.
fn temp_path(name: &str) -> String {
    scratch().join(name).display().to_string()
}

#[test]
fn writeln_through_a_port_object() {
    let path = temp_path("io.txt");
    check(
        &format!("(writeln \"Hello 👋\" (open-output-file \"{path}\"))"),
        "",
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "Hello 👋\n",
        "flushed at exit without close-port"
    );
}

#[test]
fn output_to_files() {
    let a = temp_path("a.txt");
    let b = temp_path("b.txt");
    check(
        &format!(
            "(call-with-output-file \"{a}\" (lambda (p) (display \"x\" p) (write \"y\" p) (write-char #\\z p) (newline p) (write-string \"w\" p)))
             (with-output-to-file \"{b}\" (lambda () (display \"redirected\") (newline)))
             (define p (open-output-file \"{a}.2\")) (display 42 p) (close-port p)
             (display \"stdout again\")"
        ),
        "stdout again",
    );
    assert_eq!(std::fs::read_to_string(&a).unwrap(), "x\"y\"z\nw");
    assert_eq!(std::fs::read_to_string(&b).unwrap(), "redirected\n");
    assert_eq!(std::fs::read_to_string(format!("{a}.2")).unwrap(), "42");
}

#[test]
fn input_from_files() {
    let path = temp_path("in.txt");
    std::fs::write(&path, "λine one\r\nline two\nlast").unwrap();
    check(
        &format!(
            "(define in (open-input-file \"{path}\"))
             (write (list (peek-char in) (read-char in) (read-line in) (read-line in) (read-char in) (read-line in)))
             (write (eof-object? (read-line in))) (write (eof-object? (read-char in))) (close-port in)
             (write (call-with-input-file \"{path}\" read-line))"
        ),
        "(#\\λ #\\λ \"ine one\" \"line two\" #\\l \"ast\")#t#t\"λine one\"",
    );
}

#[test]
fn standard_ports() {
    let o = common::run("(display \"out\") (display \"err\" (current-error-port)) (write (current-output-port)) (flush-output-port)");
    assert_eq!(common::stdout(&o), "out#<port stdout>");
    assert_eq!(common::stderr(&o), "err");
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn port_errors() {
    check_runtime_error(
        "(open-input-file \"/nonexistent/x\")",
        "",
        "open-input-file: cannot open /nonexistent/x for reading: No such file or directory",
    );
    check_runtime_error(
        "(read-line (current-output-port))",
        "",
        "read-line: port stdout is not an input port",
    );
    check_runtime_error(
        "(writeln 5 (current-output-port))",
        "",
        "writeln: argument 1 (data): expected string, got 5",
    );
    check_runtime_error(
        "(writeln \"a\" \"b\")",
        "",
        "writeln: argument 2 (port): expected port, got \"b\"",
    );
    let path = temp_path("closed.txt");
    check_runtime_error(
        &format!("(define p (open-output-file \"{path}\")) (close-port p) (display 1 p)"),
        "",
        "display: port",
    );
}

/// Run `src` with at most 256 open file descriptors.
fn run_with_few_descriptors(src: &str) -> std::process::Output {
    let file = scratch().join("fds.scm");
    std::fs::write(&file, src).unwrap();
    std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -n 256 && exec \"$0\" run \"$1\"")
        .arg(common::schemec())
        .arg(&file)
        .output()
        .unwrap()
}

/// Closing a port releases its file descriptor at once, even while the
/// port object is still reachable (they used to stay open until the port
/// was collected: "Too many open files" after ~1,000 iterations).
#[test]
fn closing_releases_the_file_descriptor() {
    let dir = scratch().display().to_string();
    let src = format!(
        r#"(define path "{dir}/in.txt")
(call-with-output-file path (lambda (p) (display "hello" p)))
(define (loop i ports total)
  (if (= i 5000)
      (begin (display total) (newline) (display (length ports)) (newline))
      (let* ((p (open-input-file path)) (c (read-char p)))
        (close-input-port p)
        (loop (+ i 1) (cons p ports) (+ total (char->integer c))))))
(loop 0 '() 0)
(define kept '())
(do ((i 0 (+ i 1))) ((= i 5000))
  (call-with-output-file (string-append path (number->string i))
    (lambda (p) (set! kept (cons p kept)) (write i p)))
  (call-with-input-file path (lambda (p) (set! kept (cons p kept)) (read-char p))))
(display (call-with-input-file (string-append path "4999") read-char))
(display (length kept))"#
    );
    let o = run_with_few_descriptors(&src);
    assert_eq!(
        (common::stdout(&o).as_str(), o.status.code()),
        ("520000\n5000\n410000", Some(0)),
        "stderr: {}",
        common::stderr(&o)
    );
}

/// Ports left open and still reachable use up the descriptors: a clear
/// error, after a collection has closed the unreachable ones.
#[test]
fn running_out_of_descriptors_is_a_clear_error() {
    let path = temp_path("in.txt");
    std::fs::write(&path, "x").unwrap();
    let src = format!(
        "(define (garbage n) (when (> n 0) (open-input-file \"{path}\") (garbage (- n 1))))
         (garbage 1000)
         (define (keep n acc) (if (= n 0) acc (keep (- n 1) (cons (open-input-file \"{path}\") acc))))
         (display (length (keep 200 '())))
         (keep 1000 '())"
    );
    let o = run_with_few_descriptors(&src);
    let err = common::stderr(&o);
    assert_eq!(common::stdout(&o), "200");
    assert!(
        err.contains("open-input-file: cannot open")
            && err.contains("too many files are open (close ports with close-port when done)"),
        "{err}"
    );
    assert_eq!(o.status.code(), Some(1), "{err}");
}
