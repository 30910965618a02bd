//! Fuzzing of the reader, the expander and the whole compiler front end,
//! on stable Rust: the property is that no input makes them panic (or
//! overflow the stack); malformed programs only get diagnostics.
//!
//! Inputs are the Scheme files of the repository (`tests/corpus/**/*.scm`,
//! `examples/*.scm`) plus a few hand-written oddities, mutated: byte flips,
//! deleted, duplicated and spliced ranges, inserted tokens (`#λ`, `,@,`,
//! `#u8(`, `#0=`, unbalanced parens, ...), swapped tokens and deep nesting.
//! The randomness comes from `arbtest` (an `arbitrary::Unstructured` per
//! seed), which prints the seed of a failing case and can replay and
//! shrink it. Not coverage guided (that needs nightly for cargo-fuzz), but
//! the structured mutations of real programs reach deep into the expander.
//!
//! Three targets, one test each:
//! - `reader`: `datum_syntax::read_all`, and `read_one` as `read` uses it
//!   (with datum labels), spans checked to lie within the text;
//! - `expander`: read, load (includes, libraries), expand and analyze, as
//!   `driver::compile` does but without code generation;
//! - `front_end`: `driver::compile` (through code generation), each
//!   diagnostic rendered with its source line as `schemec` prints it.
//!
//! CI runs a fixed, deterministic set of seeds (a few seconds each).
//! Environment variables:
//! - `FUZZ_ITERATIONS=N`: run N deterministic seeds per target instead of
//!   the default; `FUZZ_START=K` starts at seed index K (to cover new
//!   ground);
//! - `FUZZ_SECONDS=N`: instead, search random seeds for N seconds per
//!   target (the long run);
//! - `ARBTEST_SEED=0x...`: replay the one seed a failure printed;
//!   with `FUZZ_MINIMIZE=1` also shrink it (fewer mutations);
//! - `FUZZ_VERBOSE=1`: print each generated input before running it.
//!
//! Long runs, e.g. ten minutes per target, both cores busy:
//! ```text
//! FUZZ_SECONDS=600 cargo test --release -p tests --test fuzz_front_end -- --test-threads=2
//! FUZZ_ITERATIONS=20000 FUZZ_START=100000 cargo test --release -p tests --test fuzz_front_end front_end
//! ARBTEST_SEED=0x1234abcd00000400 FUZZ_VERBOSE=1 cargo test --release -p tests --test fuzz_front_end reader
//! ```
//! Every crash found becomes a test in `regressions` at the end of this
//! file (its input as a literal).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::Duration;

use arbitrary::{Result, Unstructured};
use compiler::diag::SourceMap;
use compiler::primitives::PrimTable;
use compiler::{analyze, bind_leaves, driver, expand, loader, prelude, reader};
use scheme_runtime::datum_syntax;

/// One corpus file: its path (so that includes and imports resolve as for
/// the real file) and its text.
struct Seed {
    path: PathBuf,
    text: String,
}

/// Hand-written seeds for syntax the corpus seldom has.
const EXTRA_SEEDS: &[&str] = &[
    "#0=(a . #0#) #1=#(1 #1#) '#u8(1 2 255) #;(skip me) #| nested #| c |# |# x",
    "(define-syntax m (syntax-rules () ((_ (a ...) ...) '((a ...) ...)))) (m (1 2) (3))",
    "`(1 ,@(list 2 3) ,(+ 1 1) #(a ,@'(b)) . ,(car '(4)))",
    "(let-values (((a b) (values 1 2)) ((c . d) (values 3 4 5))) (list a b c d))",
    "#\\x3bb #\\space #\\alarm |sym with space| #e1.5 #x-ff #b101 1/2 -0.0 +inf.0 +nan.0 1e400",
    "(define-record-type point (make-point x y) point? (x point-x set-point-x!) (y point-y))",
    "(guard (e (#t (display e))) (raise 'oops)) (call/cc (lambda (k) (dynamic-wind (lambda () 1) (lambda () (k 2)) (lambda () 3))))",
    "(define-library (fuzz lib) (export f) (import (scheme base)) (begin (define (f) 1))) (import (fuzz lib)) (f)",
    "(case-lambda ((x) x) ((x . r) r)) (parameterize () 1) (do ((i 0 (+ i 1))) ((= i 3)) (display i))",
    "\"a\\x3bb;\\n\\t\\\\\" #t #f #true #false '() (quote #(1 \"s\" #\\a))",
];

/// Tokens inserted by the mutator: odd syntax, unbalanced brackets,
/// special forms in the wrong place, and characters outside ASCII.
const TOKENS: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "#(",
    "#u8(",
    "'",
    "`",
    ",",
    ",@",
    ",@,",
    ".",
    " . ",
    "#;",
    "#|",
    "|#",
    "\"",
    "\\",
    "#\\",
    "#\\x",
    "#\\x110000",
    "#λ",
    "λ",
    "#",
    "#!eof",
    "#0=",
    "#0#",
    "#1=(",
    "|",
    "#e",
    "#i",
    "#x",
    "1/0",
    "#e1e999",
    "1e-400",
    "-",
    "+",
    "...",
    "_",
    "=>",
    "else",
    "define",
    "lambda",
    "let",
    "let*",
    "letrec",
    "if",
    "set!",
    "quote",
    "quasiquote",
    "unquote",
    "define-syntax",
    "syntax-rules",
    "let-syntax",
    "begin",
    "import",
    "define-library",
    "export",
    "include",
    "define-record-type",
    "case",
    "cond",
    "guard",
    "delay",
    "values",
    "call/cc",
    "(lambda (x) x)",
    "(define x)",
    "(define (f . r) r)",
    "()",
    "(())",
    "#()",
    "99999999999999999999999999999",
    "-1152921504606846976",
    "1152921504606846975",
    "\u{0}",
    "\u{7f}",
    "\u{feff}",
    "\u{2028}",
    "𝔘",
    "\t",
    "\n",
    ";",
    " ",
];

/// The corpus: every `.scm` file under `tests/corpus` and `examples`.
fn seeds() -> &'static [Seed] {
    static SEEDS: OnceLock<Vec<Seed>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut files = Vec::new();
        collect_scm(&root.join("tests/corpus"), &mut files);
        collect_scm(&root.join("examples"), &mut files);
        files.sort(); // a seed means the same input on every machine
        let mut seeds: Vec<Seed> = files
            .into_iter()
            .map(|path| Seed {
                text: std::fs::read_to_string(&path).expect("read corpus file"),
                path,
            })
            .collect();
        assert!(
            seeds.len() > 50,
            "corpus not found under {}",
            root.display()
        );
        let fake = root.join("tests/corpus/fuzz-extra.scm");
        seeds.extend(EXTRA_SEEDS.iter().map(|t| Seed {
            path: fake.clone(),
            text: t.to_string(),
        }));
        seeds
    })
}

fn collect_scm(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect_scm(&p, out);
        } else if p.extension().is_some_and(|x| x == "scm") {
            out.push(p);
        }
    }
}

/// A random byte range of `len` bytes (possibly empty), biased to short.
fn range(u: &mut Unstructured, len: usize) -> Result<(usize, usize)> {
    let start = u.int_in_range(0..=len)?;
    let max = (len - start).min(if u.ratio(1, 8)? { 4096 } else { 64 });
    let n = u.int_in_range(0..=max)?;
    Ok((start, start + n))
}

/// Start offsets of the tokens of `s` (roughly: runs of non-space,
/// non-bracket bytes, and each bracket alone).
fn token_starts(s: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if b"()[]'`".contains(&c) {
            out.push((i, i + 1));
            i += 1;
        } else {
            let start = i;
            while i < s.len() && !s[i].is_ascii_whitespace() && !b"()[]".contains(&s[i]) {
                i += 1;
            }
            out.push((start, i));
        }
    }
    out
}

/// Byte ranges of the parenthesized forms of `s` (strings and comments
/// are not skipped: a range may be unbalanced, which is fine here).
fn sublists(s: &[u8]) -> Vec<(usize, usize)> {
    let mut open = Vec::new();
    let mut out = Vec::new();
    for (i, &c) in s.iter().enumerate() {
        match c {
            b'(' => open.push(i),
            b')' => {
                if let Some(start) = open.pop() {
                    out.push((start, i + 1));
                }
            }
            _ => {}
        }
    }
    out
}

/// One fuzz input: a corpus file with a few random mutations. Returns the
/// seed it came from (for its path) and the mutated text.
fn input(u: &mut Unstructured) -> Result<(&'static Seed, String)> {
    let all = seeds();
    let seed = u.choose(all)?;
    let mut b: Vec<u8> = seed.text.as_bytes().to_vec();
    // Often a single mutation, so that many inputs still read and the
    // expander and code generator see them; sometimes many.
    let rounds = if u.ratio(1, 2)? {
        1
    } else {
        u.int_in_range(2..=8)?
    };
    for _ in 0..rounds {
        if u.is_empty() {
            break;
        }
        match u.int_in_range(0..=13)? {
            // Flip a byte (may break UTF-8: the text is made valid below,
            // as reading a file would refuse it).
            0 if !b.is_empty() => {
                let i = u.choose_index(b.len())?;
                b[i] ^= 1 << u.int_in_range(0..=7)?;
            }
            // Delete a range.
            1 => {
                let (s, e) = range(u, b.len())?;
                b.drain(s..e);
            }
            // Duplicate a range in place.
            2 => {
                let (s, e) = range(u, b.len())?;
                let copy = b[s..e].to_vec();
                b.splice(e..e, copy);
            }
            // Splice in a range of another corpus file.
            3 => {
                let other = u.choose(all)?.text.as_bytes();
                let (s, e) = range(u, other.len())?;
                let at = u.int_in_range(0..=b.len())?;
                b.splice(at..at, other[s..e].iter().copied());
            }
            // Insert a token.
            4 | 5 => {
                let t = u.choose(TOKENS)?;
                let at = u.int_in_range(0..=b.len())?;
                b.splice(at..at, t.bytes());
            }
            // Delete or duplicate one paren.
            6 => {
                let parens: Vec<usize> = (0..b.len()).filter(|&i| b"()".contains(&b[i])).collect();
                if !parens.is_empty() {
                    let i = *u.choose(&parens)?;
                    if u.arbitrary()? {
                        b.remove(i);
                    } else {
                        b.insert(i, b[i]);
                    }
                }
            }
            // Swap two tokens (a symbol where a list was, ...).
            7 => {
                let toks = token_starts(&b);
                if toks.len() >= 2 {
                    let (mut x, mut y) = (*u.choose(&toks)?, *u.choose(&toks)?);
                    if x.0 > y.0 {
                        std::mem::swap(&mut x, &mut y);
                    }
                    if x.1 <= y.0 {
                        let (tx, ty) = (b[x.0..x.1].to_vec(), b[y.0..y.1].to_vec());
                        b.splice(y.0..y.1, tx);
                        b.splice(x.0..x.1, ty);
                    }
                }
            }
            // Wrap a range in deep nesting: mostly within what every pass
            // handles quickly, sometimes deep.
            8 => {
                let depth = if u.ratio(1, 16)? {
                    u.int_in_range(1000..=20_000)?
                } else {
                    u.int_in_range(1..=200)?
                };
                let (open, close): (&[u8], &[u8]) = *u.choose(&[
                    (&b"("[..], &b")"[..]),
                    (b"'(", b")"),
                    (b"#(", b")"),
                    (b"(begin ", b")"),
                    (b"(let () ", b")"),
                    (b"(lambda () ", b")"),
                    (b"`(,", b")"),
                ])?;
                let (s, e) = range(u, b.len())?;
                b.splice(e..e, close.repeat(depth));
                b.splice(s..s, open.repeat(depth));
            }
            // Replace a parenthesized form by one of another file
            // (crossover: well-formed, but out of its context).
            11..=13 => {
                let here = sublists(&b);
                let other = u.choose(all)?.text.as_bytes();
                let there = sublists(other);
                if !here.is_empty() && !there.is_empty() {
                    let (s, e) = *u.choose(&here)?;
                    let (os, oe) = *u.choose(&there)?;
                    b.splice(s..e, other[os..oe].iter().copied());
                }
            }
            // Truncate.
            9 => {
                let at = u.int_in_range(0..=b.len())?;
                b.truncate(at);
            }
            // Replace a token by a random one.
            _ => {
                let toks = token_starts(&b);
                if !toks.is_empty() {
                    let (s, e) = *u.choose(&toks)?;
                    b.splice(s..e, u.choose(TOKENS)?.bytes());
                }
            }
        }
    }
    let text = String::from_utf8_lossy(&b)
        // No loading of shared libraries: a fuzz input must not run
        // foreign code (some plugins under tests/ misbehave on purpose).
        .replace("load-library", "load-librar")
        .replace("load-shared-object", "load-shared-objec");
    if std::env::var_os("FUZZ_VERBOSE").is_some() {
        eprintln!("---- input from {}:\n{text}\n----", seed.path.display());
    }
    Ok((seed, text))
}

/// The reader: `read_all` as the compiler reads a file, `read_one` as
/// `read` reads a port, datum after datum. Spans and offsets lie within
/// the text.
fn reader_property(text: &str) {
    let (data, errors) = datum_syntax::read_all(text);
    for d in &data {
        check_spans(d, text.len());
    }
    for e in &errors {
        // An error at the end of the text spans the one byte past it.
        assert!(
            e.span.start <= e.span.end && e.span.end <= text.len() + 1,
            "{e:?}"
        );
    }
    if errors.is_empty() {
        count(&READ_OK);
    }
    let mut rest = text;
    for _ in 0..1000 {
        match datum_syntax::read_one(rest, datum_syntax::MAX_DEPTH).0 {
            Ok(Some((d, end))) => {
                assert!(end > 0 && end <= rest.len(), "read_one made no progress");
                check_spans(&d, rest.len());
                rest = &rest[end..];
            }
            Ok(None) | Err(_) => break,
        }
    }
}

fn check_spans(d: &datum_syntax::Sexp, len: usize) {
    use datum_syntax::SexpKind;
    assert!(d.span.start <= d.span.end && d.span.end <= len, "{d:?}");
    match &d.kind {
        SexpKind::List(items, tail) => {
            items.iter().for_each(|i| check_spans(i, len));
            if let Some(t) = tail {
                check_spans(t, len);
            }
        }
        SexpKind::Vector(items) => items.iter().for_each(|i| check_spans(i, len)),
        SexpKind::Label(_, d) => check_spans(d, len),
        _ => {}
    }
}

/// `driver::compile` up to and including analysis (no code generation).
fn expander_property(seed: &Seed, text: &str) {
    let mut sources = SourceMap::default();
    sources.add(
        "fuzz.scm",
        &seed.path.display().to_string(),
        text.to_string(),
    );
    let (forms, errors) = reader::read_at(&sources.files[0].text, 0);
    if !errors.is_empty() {
        render_all(&sources, &errors);
        return;
    }
    let forms = match loader::load(forms, &mut sources, &[]) {
        Ok(f) => f,
        Err(errors) => return render_all(&sources, &errors),
    };
    let mut all = prelude::needed(&forms, sources.end());
    all.extend(forms);
    match expand::expand_program(&all, &PrimTable::builtins()) {
        Ok(mut program) => {
            count(&EXPANDED_OK);
            bind_leaves::bind_leaves(&mut program);
            analyze::analyze(&mut program);
        }
        Err(errors) => render_all(&sources, &errors),
    }
}

/// The whole front end, as `schemec asm` runs it.
fn front_end_property(seed: &Seed, text: &str) {
    let mut sources = SourceMap::default();
    sources.add(
        "fuzz.scm",
        &seed.path.display().to_string(),
        text.to_string(),
    );
    let dir = seed.path.parent().map(Path::to_path_buf);
    match driver::compile(&mut sources, dir.as_deref(), &[]) {
        Ok(asm) => {
            count(&COMPILED_OK);
            assert!(!asm.is_empty());
        }
        Err(errors) => {
            assert!(!errors.is_empty(), "a failed compile has a diagnostic");
            render_all(&sources, &errors);
        }
    }
}

/// Render diagnostics as `schemec` prints them (source line and caret):
/// their spans must be within the sources, on character boundaries.
fn render_all(sources: &SourceMap, errors: &[compiler::diag::Diagnostic]) {
    for d in errors {
        let text = sources.render(d, false);
        assert!(!text.is_empty());
    }
}

/// How many inputs got how far, printed after each run (with
/// `--nocapture`) to see that the mutations are not all rejected early.
static READ_OK: AtomicUsize = AtomicUsize::new(0);
static EXPANDED_OK: AtomicUsize = AtomicUsize::new(0);
static COMPILED_OK: AtomicUsize = AtomicUsize::new(0);
static RUNS: AtomicUsize = AtomicUsize::new(0);

fn count(c: &AtomicUsize) {
    c.fetch_add(1, Ordering::Relaxed);
}

/// Iterations per target when `FUZZ_ITERATIONS` is not set: a few
/// seconds each in release mode.
const DEFAULT_ITERATIONS: u64 = 8000;

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().map(|v| {
        v.parse()
            .unwrap_or_else(|_| panic!("{name} must be a number, not {v:?}"))
    })
}

/// Run `property` on fuzz inputs as the environment asks (see the file's
/// doc comment), on a thread with a stack as large as the compiler's, so
/// that deep nesting tests the passes and not the test thread's stack.
fn fuzz(iterations: u64, property: fn(&Seed, &str)) {
    let prop = move |u: &mut Unstructured<'_>| -> Result<()> {
        let (seed, text) = input(u)?;
        count(&RUNS);
        property(seed, &text);
        Ok(())
    };
    let body = move || {
        if std::env::var_os("ARBTEST_SEED").is_some() {
            // arbtest reads the seed from the environment.
            let t = arbtest::arbtest(prop);
            if std::env::var_os("FUZZ_MINIMIZE").is_some() {
                t.minimize().budget(Duration::from_secs(60)).run();
            } else {
                t.run();
            }
        } else if let Some(secs) = env_u64("FUZZ_SECONDS") {
            arbtest::arbtest(prop)
                .size_min(64)
                .size_max(4096)
                .budget(Duration::from_secs(secs))
                .run();
        } else {
            let n = env_u64("FUZZ_ITERATIONS").unwrap_or(iterations);
            let start = env_u64("FUZZ_START").unwrap_or(0);
            for i in start..start + n {
                // Seed layout (arbtest's): high half random, low half the
                // number of random bytes; 64..4096 bytes, up to 8 rounds.
                let size = 64 + (i * 97) % 4032;
                let rand = (i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) | 1;
                arbtest::arbtest(prop).seed((rand << 32) | size).run();
            }
        }
    };
    std::thread::Builder::new()
        .stack_size(8 << 30) // as `driver::COMPILER_STACK`; only used pages are committed
        .spawn(body)
        .expect("spawn fuzz thread")
        .join()
        .unwrap_or_else(|p| std::panic::resume_unwind(p));
    // The tests of this file run in parallel: the counts are totals so far.
    eprintln!(
        "fuzz: {} inputs so far; read without error: {}, expanded: {}, compiled: {}",
        RUNS.load(Ordering::Relaxed),
        READ_OK.load(Ordering::Relaxed),
        EXPANDED_OK.load(Ordering::Relaxed),
        COMPILED_OK.load(Ordering::Relaxed)
    );
}

#[test]
fn reader() {
    fuzz(DEFAULT_ITERATIONS * 3, |_, text| reader_property(text));
}

#[test]
fn expander() {
    fuzz(DEFAULT_ITERATIONS, expander_property);
}

#[test]
fn front_end() {
    fuzz(DEFAULT_ITERATIONS, front_end_property);
}

/// Every input the fuzzer found a crash with, kept as a test.
mod regressions {
    #[allow(unused_imports)]
    use super::*;
}
