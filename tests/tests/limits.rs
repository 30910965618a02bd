//! Robust at any size (issue 19): deep nesting compiles (the compiler runs
//! on a thread with a large stack) and runs, deeper nesting than the reader
//! accepts is a diagnostic, never a signal. Expected outputs are Chez's.

mod common;

use common::{check_compile_error, check_without_stress as check};

/// `open` repeated `n` times, then `middle`, then `close` `n` times.
fn nest(open: &str, middle: &str, close: &str, n: usize) -> String {
    format!("{}{middle}{}", open.repeat(n), close.repeat(n))
}

const DEEP: usize = 100_000;

/// `(define r <nest>)`, nested `DEEP` levels, goes through the whole
/// compiler (`schemec asm`; the run tests below use shallower programs,
/// as GNU as takes seconds over 100,000 levels).
fn compiles_deep(open: &str, middle: &str, close: &str) {
    let dir = common::scratch();
    let file = dir.join("deep.scm");
    let src = format!(
        "(define x 1) (define r {})",
        nest(open, middle, close, DEEP)
    );
    std::fs::write(&file, src).unwrap();
    let out = std::process::Command::new(common::schemec())
        .arg("asm")
        .arg(&file)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        out.status.success(),
        "{open}...: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn deep_lets_compile() {
    compiles_deep("(let ((x 1)) ", "x", ")");
}

#[test]
fn deep_begins_compile() {
    compiles_deep("(begin 1 ", "7", ")");
}

#[test]
fn deep_arithmetic_compiles() {
    compiles_deep("(+ 1 ", "0", ")");
}

#[test]
fn deep_quasiquotes_compile() {
    compiles_deep("`(a ", ",x", ")");
}

#[test]
fn deep_quoted_vectors_compile() {
    compiles_deep("'#(", "", ")");
}

#[test]
fn deep_ifs_and_lambdas_compile() {
    compiles_deep("(if #t ", "1", " 2)");
    compiles_deep("((lambda (x) ", "x", ") 1)");
}

#[test]
fn deep_named_lets_compile() {
    // Each level a loop (compiled inline) that jumps to itself.
    compiles_deep("(let l ((x 1)) (if (= x 2) x ", "(l 2)", "))");
}

#[test]
fn deep_named_lets_run() {
    let e = nest("(let l ((x 1)) (if (= x 2) x ", "(l 2)", "))", 10_000);
    check(&format!("(define r {e}) (display r)"), "2");
}

#[test]
fn deep_lets_run() {
    let e = nest("(let ((x 1)) (let ((y (+ x 1))) ", "y", "))", 10_000);
    check(&format!("(define r {e}) (display r)"), "2");
}

#[test]
fn deep_begins_run() {
    let e = nest("(begin 1 ", "7", ")", 20_000);
    check(&format!("(define r {e}) (display r)"), "7");
}

#[test]
fn deep_arithmetic_runs() {
    let e = nest("(+ 1 ", "0", ")", 20_000);
    check(&format!("(define r {e}) (display r)"), "20000");
}

#[test]
fn deep_quasiquotes_run() {
    let e = nest("`(a ", ",x", ")", 20_000);
    check(
        &format!(
            "(define x 5) (define r {e})
             (define (depth l) (if (pair? l) (+ 1 (depth (cadr l))) 0))
             (display (depth r))"
        ),
        "40000",
    );
}

/// A 100,000-deep quoted constant is built at start-up, measured, written
/// (the printer recurses on the program's 1 GiB stack) and compared.
#[test]
fn deep_quoted_list_runs() {
    let datum = nest("(", "", ")", DEEP);
    let src = format!(
        "(define r '{datum})
         (define (depth l) (if (null? l) 0 (+ 1 (depth (car l)))))
         (display (depth r)) (newline)
         (write r) (newline)
         (display (equal? r (cons (car r) '())))"
    );
    check(&src, &format!("{}\n{datum}\n#t", DEEP - 1));
}

#[test]
fn too_deep_is_a_diagnostic() {
    let datum = nest("(", "", ")", 500_001);
    check_compile_error(
        &format!("(display 1)\n{datum}"),
        "2:500001",
        "nesting too deep",
    );
}

/// Assembling stays linear: GNU as relaxes branches in passes over the
/// section, and alignment padding in the code made the number of passes
/// grow with the program (minutes for 100,000 lines). (data.rs checks
/// that procedures still print their names: the info word before the code
/// is now read unaligned.)
#[test]
fn code_has_no_alignment_padding() {
    let file = common::scratch().join("p.scm");
    std::fs::write(&file, "(define (f x) (car x)) (define (g) (f 1)) (g)").unwrap();
    let o = std::process::Command::new(common::schemec())
        .arg("asm")
        .arg(&file)
        .output()
        .unwrap();
    let asm = String::from_utf8_lossy(&o.stdout);
    let text = asm.split("    .data").next().unwrap();
    assert!(!text.contains(".p2align"), "alignment in .text");
}
