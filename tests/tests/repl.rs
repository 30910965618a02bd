//! `schemec repl`: forms compiled to native code and run in one process.
//! With standard input a pipe it prints values without prompts (as Chez
//! Scheme's `scheme -q` prints them, prompts removed: `tests/repl/`); on a
//! terminal it prompts, edits lines and waits for balanced parentheses.
mod common;
use std::io::Write;
use std::process::{Command, Stdio};

use common::{schemec, stderr, stdout, target_dir};

/// Run `schemec repl` with `input` on a pipe.
fn repl(input: &str, env: &[(&str, &str)]) -> std::process::Output {
    let mut child = Command::new(schemec())
        .arg("repl")
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start schemec repl");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn a_piped_session_prints_values_as_chez_does() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("repl");
    let input = std::fs::read_to_string(dir.join("repl-session.in")).unwrap();
    let expected = std::fs::read_to_string(dir.join("repl-session.out")).unwrap();
    for env in [&[][..], &[("SCHEME_GC_STRESS", "1")][..]] {
        let o = repl(&input, env);
        assert_eq!(stdout(&o), expected, "stderr: {}", stderr(&o));
        assert_eq!(o.status.code(), Some(0));
    }
    assert_eq!(stdout(&repl("(+ 1 2)\n", &[])), "3\n");
}

#[test]
fn an_error_is_reported_and_the_session_goes_on() {
    let o = repl(
        "(define (h y) (+ 1 (car y)))\n(h 5)\n(if)\n(undefined-thing)\n(raise 'boom)\n(h '(41))\n",
        &[],
    );
    assert_eq!(stdout(&o), "42\n");
    assert_eq!(o.status.code(), Some(0));
    let err = common::located(&stderr(&o));
    // The position in the input that failed, the source line, and the
    // backtrace of the session's procedures only.
    assert!(
        err.contains("repl:1:20: error: car: argument 1 (pair): expected pair, got 5\n  |\n1 | (define (h y) (+ 1 (car y)))\n"),
        "{err}"
    );
    assert!(
        err.contains("  h at repl:1:20\n  top level at repl:1:1\n"),
        "{err}"
    );
    assert!(!err.contains("lambda"), "REPL frames shown: {err}");
    assert!(err.contains("repl:1:1: error: `if` takes a test"), "{err}");
    assert!(
        err.contains("repl:1:1: error: variable `undefined-thing` is not bound\n"),
        "{err}"
    );
    assert!(err.contains("uncaught exception: boom"), "{err}");
}

#[test]
fn an_unbound_name_gets_a_suggestion() {
    let o = repl(
        "(define (square x) (* x x))\n(squar 5)\n(lenght '(1))\n",
        &[],
    );
    let err = common::located(&stderr(&o));
    assert!(
        err.contains("variable `squar` is not bound; did you mean `square`?"),
        "{err}"
    );
    assert!(
        err.contains("variable `lenght` is not bound; did you mean `length`?"),
        "{err}"
    );
}

#[test]
fn plugins_load_in_a_session() {
    let lib = target_dir().join("libschemetest.so");
    let o = repl(
        &format!(
            "(load-library \"{}\")\n(add 2 3)\n(define (twice x) (add x x))\n(twice 21)\n(always-fails \"here\")\n(add 1 1)\n",
            lib.display()
        ),
        &[],
    );
    assert_eq!(stdout(&o), "5\n42\n2\n", "stderr: {}", stderr(&o));
    assert!(stderr(&o).contains("always-fails: failed on purpose: here"));
}

#[test]
fn commands() {
    let o = repl(",help\n,time (+ 1 2)\n,asm (car '(1))\n", &[]);
    let out = stdout(&o);
    assert!(out.contains(",primitives"), "{out}");
    assert!(out.contains("3\n"), "{out}");
    assert!(out.contains("scheme_entry:"), "assembly expected: {out}");
    assert!(stderr(&o).contains("ms elapsed"), "{}", stderr(&o));
}

#[test]
fn a_terminal_session_prompts_and_waits_for_balanced_parentheses() {
    let history = common::scratch().join("history");
    let mut cmd = Command::new(schemec());
    cmd.arg("repl")
        .env("NO_COLOR", "1")
        .env("SCHEMEC_HISTORY", &history);
    let mut s = rexpect::session::spawn_command(cmd, Some(30_000)).expect("spawn on a pty");
    // As a person types: each line after its prompt.
    s.exp_string("> ").unwrap();
    s.send_line("(define (f x)").unwrap();
    // An unfinished form: a continuation prompt, no value yet.
    s.exp_string("  ").unwrap();
    s.send_line("  (* x 2))").unwrap();
    s.exp_string("> ").unwrap();
    s.send_line("(f 21)").unwrap();
    s.exp_string("42").unwrap();
    s.exp_string("> ").unwrap();
    s.send_line("(car 1)").unwrap();
    s.exp_string("error: car: argument 1 (pair): expected pair, got 1")
        .unwrap();
    s.exp_string("> ").unwrap();
    s.send_line("(list (f 1) \"ok\")").unwrap();
    s.exp_string("(2 \"ok\")").unwrap();
    s.exp_string("> ").unwrap();
    s.send_control('d').unwrap();
    s.exp_eof().unwrap();
    // The inputs are kept for the next session.
    let kept = std::fs::read_to_string(&history).unwrap();
    assert!(
        kept.contains("(f 21)") && kept.contains("(* x 2))"),
        "{kept}"
    );
}
