//! `#[scheme_fn]` conversions seen from Scheme, through the test plugin.
mod common;
use common::{check, check_runtime_error, target_dir};

fn with_lib(src: &str) -> String {
    format!(
        "(load-library \"{}\")\n{src}",
        target_dir().join("libschemetest.so").display()
    )
}

#[test]
fn optional_rest_and_option_parameters() {
    check(
        &with_lib(
            "(write (list (greet \"Ann\") (greet \"Bob\" \"Hi\") (greet \"Cy\" \"Yo\" #\\?) (greet \"Di\" #f #\\.)
                          (sum-all 1) (sum-all 1 2 3 4) (maybe-double 21) (maybe-double #f)))",
        ),
        "(\"Hello, Ann!\" \"Hi, Bob!\" \"Yo, Cy?\" \"Hello, Di.\" 1 10 42 #f)",
    );
}

#[test]
fn strings_lists_symbols_and_callbacks() {
    check(
        &with_lib(
            "(define s (string-copy \"straße\")) (string-upcase! s) (write (list s (string-length s)))
             (write (list (total '(1 2 3)) (total #(250 5)) (choose #t #\\y #\\n) (choose #f #\\y #\\n) (symbol-length 'hello)))
             (write (call-each (lambda (x) (* x 10)) '(1 2 3)))
             (write (map greet '(\"A\" \"B\")))
             (write (big-square 1152921504606846975))",
        ),
        "(\"STRASSE\" 7)(6 255 #\\y #\\n 5)(10 20 30)(\"Hello, A!\" \"Hello, B!\")1329227995784915870597964051066650625",
    );
}

#[test]
fn conversion_errors_name_the_argument() {
    check_runtime_error(
        &with_lib("(total '(1 300))"),
        "",
        "total: argument 1 (numbers): expected list, got (1 300)",
    );
    check_runtime_error(
        &with_lib("(choose 1 #\\y #\\n)"),
        "",
        "choose: argument 1 (flag): expected boolean, got 1",
    );
    check_runtime_error(
        &with_lib("(greet \"A\" \"B\" \"C\")"),
        "",
        "greet: argument 3 (punct): expected char, got \"C\"",
    );
    check_runtime_error(
        &with_lib("(sum-all 1 2 'x)"),
        "",
        "sum-all: argument 3 (rest): expected 64-bit integer, got x",
    );
    check_runtime_error(
        &with_lib("(add 1 100000000000000000000)"),
        "",
        "add: argument 2 (b): expected 64-bit integer, got 100000000000000000000",
    );
    check_runtime_error(
        &with_lib("(define f greet) (f)"),
        "",
        "greet: expected 1 to 3 arguments, got 0",
    );
    check_runtime_error(
        &with_lib("(string-upcase! 'sym)"),
        "",
        "string-upcase!: argument 1 (s): expected string, got sym",
    );
}
