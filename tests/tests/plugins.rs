//! Plugins: `(load-library ...)` of `#[scheme_fn]` libraries, checked at
//! compile time and loaded at run time.
mod common;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{schemec, scratch, stderr, stdout, target_dir};

fn lib(name: &str) -> PathBuf {
    target_dir().join(format!("lib{name}.so"))
}

/// `schemec run` the program `src` (written to DIR/prog.scm) from the
/// working directory `cwd`.
fn run_in(dir: &Path, src: &str, cwd: &Path, env: &[(&str, &str)]) -> std::process::Output {
    std::fs::write(dir.join("prog.scm"), src).unwrap();
    let mut cmd = Command::new(schemec());
    // `cargo test` puts target/ on LD_LIBRARY_PATH, where the system
    // loader would find the test libraries by their bare names.
    cmd.arg("run")
        .arg(dir.join("prog.scm"))
        .current_dir(cwd)
        .env_remove("LD_LIBRARY_PATH");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn build_in(dir: &Path, src: &str, env: &[(&str, &str)]) -> PathBuf {
    std::fs::write(dir.join("prog.scm"), src).unwrap();
    let exe = dir.join("prog");
    let mut cmd = Command::new(schemec());
    cmd.arg("build")
        .arg(dir.join("prog.scm"))
        .arg("-o")
        .arg(&exe)
        .env_remove("LD_LIBRARY_PATH");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let o = cmd.output().unwrap();
    assert!(o.status.success(), "build failed: {}", stderr(&o));
    exe
}

#[test]
fn example_plugin_from_another_working_directory() {
    let dir = scratch();
    let elsewhere = scratch();
    let src = format!(
        "(load-library \"{}\")
         (display (string-repeat \"ab\" 3)) (newline)
         (write (string-words \" hello  big world \")) (newline)
         (write (string-join \", \" \"a\" \"b\" \"c\")) (newline)
         (write (list (parse-integer \" 42 \") (palindrome? \"Never odd or even\") (string-reverse \"straße\"))) (newline)
         (write (map string-repeat '(\"x\" \"y\") '(2 3))) (newline)
         (write string-repeat)",
        lib("text").display()
    );
    let o = run_in(&dir, &src, &elsewhere, &[]);
    assert_eq!(
        stdout(&o),
        "ababab\n(\"hello\" \"big\" \"world\")\n\"a, b, c\"\n(42 #t \"eßarts\")\n(\"xx\" \"yyy\")\n#<procedure string-repeat>",
        "{}",
        stderr(&o)
    );
    assert!(o.status.success());
}

#[test]
fn relative_paths_are_relative_to_the_source_and_recorded() {
    let dir = scratch();
    std::fs::create_dir_all(dir.join("lib")).unwrap();
    std::fs::copy(lib("text"), dir.join("lib/libtext.so")).unwrap();
    let exe = build_in(
        &dir,
        "(load-library \"./lib/libtext.so\") (display (string-repeat \"ok\" 2))",
        &[],
    );
    let o = Command::new(&exe).current_dir(scratch()).output().unwrap();
    assert_eq!(
        (stdout(&o).as_str(), o.status.code()),
        ("okok", Some(0)),
        "{}",
        stderr(&o)
    );
}

#[test]
fn bare_names_use_the_library_path() {
    let libdir = scratch();
    std::fs::copy(lib("text"), libdir.join("libtext.so")).unwrap();
    let path = libdir.display().to_string();
    let dir = scratch();
    let exe = build_in(
        &dir,
        "(load-library \"libtext.so\") (display (string-repeat \"-\" 3))",
        &[("SCHEME_LIBRARY_PATH", &path)],
    );
    let o = Command::new(&exe)
        .env_remove("LD_LIBRARY_PATH")
        .env("SCHEME_LIBRARY_PATH", &path)
        .output()
        .unwrap();
    assert_eq!(stdout(&o), "---", "{}", stderr(&o));
    // Without the path, the library is looked for beside the executable.
    let o = Command::new(&exe)
        .env_remove("LD_LIBRARY_PATH")
        .env_remove("SCHEME_LIBRARY_PATH")
        .output()
        .unwrap();
    let err = common::located(&stderr(&o));
    assert!(
        err.contains("cannot load library `libtext.so`; tried:")
            && err.contains(&dir.join("libtext.so").display().to_string()),
        "{err}"
    );
    assert_eq!(o.status.code(), Some(1));
    std::fs::copy(lib("text"), dir.join("libtext.so")).unwrap();
    let o = Command::new(&exe)
        .env_remove("LD_LIBRARY_PATH")
        .env_remove("SCHEME_LIBRARY_PATH")
        .output()
        .unwrap();
    assert_eq!(stdout(&o), "---", "{}", stderr(&o));
}

#[test]
fn bare_names_next_to_the_source_at_compile_time() {
    let dir = scratch();
    std::fs::copy(lib("text"), dir.join("libtext.so")).unwrap();
    let o = run_in(
        &dir,
        "(load-library \"libtext.so\") (display (string-repeat \"z\" 2))",
        &scratch(),
        &[],
    );
    // At run time the executable lives in a temporary directory, so the
    // library path must be given.
    assert!(
        stderr(&o).contains("cannot load library `libtext.so`"),
        "{}",
        stderr(&o)
    );
    let o = run_in(
        &dir,
        "(load-library \"libtext.so\") (display (string-repeat \"z\" 2))",
        &scratch(),
        &[("SCHEME_LIBRARY_PATH", &dir.display().to_string())],
    );
    assert_eq!(stdout(&o), "zz", "{}", stderr(&o));
}

#[test]
fn a_library_missing_at_run_time_is_a_clear_error() {
    let dir = scratch();
    std::fs::copy(lib("text"), dir.join("libtext.so")).unwrap();
    let exe = build_in(&dir, "(load-library \"./libtext.so\") (display 1)", &[]);
    std::fs::remove_file(dir.join("libtext.so")).unwrap();
    let o = Command::new(&exe).output().unwrap();
    let err = common::located(&stderr(&o));
    assert!(
        err.contains("cannot load library") && err.contains("libtext.so (not found)"),
        "{err}"
    );
    assert_eq!((stdout(&o).as_str(), o.status.code()), ("", Some(1)));
}

/// Compile errors about libraries: message and exit status 2.
#[track_caller]
fn compile_error(src: &str, message: &str) {
    let o = run_in(&scratch(), src, &scratch(), &[]);
    let err = common::located(&stderr(&o));
    assert!(
        err.contains("prog.scm:") && err.contains(message),
        "stderr: {err}\nexpected: {message}"
    );
    assert_eq!(o.status.code(), Some(2), "{err}");
}

#[test]
fn library_errors_at_compile_time() {
    let text = lib("text").display().to_string();
    compile_error(
        "(load-library \"nonexistent-lib.so\")",
        "cannot load library `nonexistent-lib.so`; tried:",
    );
    compile_error(
        &format!(
            "(load-library \"{}\")",
            target_dir().join("libscheme_ffi_macros.so").display()
        ),
        "is not a Scheme plugin: it does not export `scm_plugin_header`",
    );
    compile_error(
        &format!("(load-library \"{}\")", lib("fakeversion").display()),
        "was built against scheme-runtime 0.0.1-old (plugin ABI 999, layout 0000000000001234), but this program uses scheme-runtime 0.1.0 (plugin ABI 2,",
    );
    compile_error(
        &format!("(load-library \"{text}\") (string-repet \"a\" 2)"),
        "error: unbound variable `string-repet`",
    );
    compile_error(
        &format!("(load-library \"{text}\") (string-repeat \"a\")"),
        "`string-repeat` expects 2 arguments, got 1; its signature is (string-repeat s n)",
    );
    compile_error(
        &format!(
            "(load-library \"{text}\") (load-library \"{}\")",
            lib("clash").display()
        ),
        &format!(
            "`string-repeat` is defined by both {text} and {}",
            lib("clash").display()
        ),
    );
    compile_error(
        &format!("(load-library \"{}\")", lib("builtinclash").display()),
        "`length` in",
    );
    compile_error(
        &format!("(load-library \"{}\")", lib("builtinclash").display()),
        "clashes with the built-in primitive `length`",
    );
    compile_error(
        "(load-library some-name)",
        "`load-library` takes one string literal",
    );
    compile_error(
        "(define (f) (load-library \"x.so\"))",
        "`load-library` is only allowed at the top level",
    );
}

#[test]
fn plugin_errors_and_panics_at_run_time() {
    let t = lib("schemetest").display().to_string();
    let o = run_in(
        &scratch(),
        &format!("(load-library \"{t}\") (display (add 1 2)) (always-fails \"x\")"),
        &scratch(),
        &[],
    );
    // Where and what (then the source line, underlined).
    let first = |o: &std::process::Output| {
        let err = common::located(&stderr(o));
        err.lines().next().unwrap_or("").to_owned()
    };
    assert_eq!((stdout(&o).as_str(), o.status.code()), ("3", Some(1)));
    // (The column depends on the length of the library's path.)
    assert!(first(&o).contains("prog.scm:1:"));
    assert!(first(&o).ends_with("error: always-fails: failed on purpose: x"));
    let o = run_in(
        &scratch(),
        &format!("(load-library \"{t}\") (display \"before\") (always-panics 7)"),
        &scratch(),
        &[],
    );
    assert_eq!((stdout(&o).as_str(), o.status.code()), ("before", Some(1)));
    assert!(first(&o).ends_with("error: always-panics: panicked: deliberate panic with 7"));
    let o = run_in(
        &scratch(),
        &format!("(load-library \"{t}\") (add 1 \"two\")"),
        &scratch(),
        &[],
    );
    assert!(first(&o).ends_with("error: add: argument 2 (b): expected 64-bit integer, got \"two\""));
}

#[test]
fn plugin_objects_live_in_the_host_heap() {
    let t = lib("schemetest").display().to_string();
    let src = format!(
        "(load-library \"{t}\")
         (define (check i)
           (let ((s (fresh-string i)))
             (unless (string=? s (string-append \"item-\" (number->string i)))
               (error \"wrong string\" i s))))
         (let loop ((i 0)) (when (< i 1000000) (check i) (loop (+ i 1))))
         (write (make-items 3))"
    );
    let o = run_in(&scratch(), &src, &scratch(), &[]);
    assert_eq!(stdout(&o), "(\"s0\" \"s1\" \"s2\")", "{}", stderr(&o));
}

#[test]
fn primitives_of_a_library() {
    let o = Command::new(schemec())
        .args(["primitives", "--library"])
        .arg(lib("text"))
        .output()
        .unwrap();
    let text = stdout(&o);
    assert!(text.contains("(string-repeat s n)\n    s: string, n: non-negative integer -> string\n    Repeat `s` `n` times.\n"), "{text}");
    assert!(
        !text.contains("(car pair)"),
        "built-ins are not listed: {text}"
    );
}

/// A library may load a plugin among its declarations (a path relative
/// to the library's file): the plugin loads for the whole program.
#[test]
fn a_library_loads_a_plugin() {
    let dir = scratch();
    std::fs::create_dir_all(dir.join("util")).unwrap();
    std::fs::copy(lib("text"), dir.join("util/libtext.so")).unwrap();
    std::fs::write(
        dir.join("util/words.sld"),
        "(define-library (util words)
  (export triple)
  (import (scheme base))
  (load-library \"./libtext.so\")
  (begin (define (triple s) (string-repeat s 3))))
",
    )
    .unwrap();
    let o = run_in(
        &dir,
        "(import (scheme base) (scheme write) (util words))
(display (triple \"ab\"))
(display (string-repeat \"c\" 2))",
        &scratch(),
        &[],
    );
    assert_eq!(stdout(&o), "abababcc", "{}", stderr(&o));
}
