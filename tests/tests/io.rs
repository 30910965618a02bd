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
