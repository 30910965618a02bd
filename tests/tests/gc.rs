//! The garbage collector: bounded memory, kept data, collection on every
//! allocation, roots held by Rust code, foreign objects, heap limits.
mod common;
use common::{run_with_env, stderr, stdout, target_dir};

/// Run `src` with the given environment; returns stdout and the collector's
/// statistics line (`SCHEME_GC_STATS=1`).
fn run_with_stats(src: &str, env: &[(&str, &str)]) -> (String, String) {
    let mut env = env.to_vec();
    env.push(("SCHEME_GC_STATS", "1"));
    let o = run_with_env(src, &env);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "stderr: {err}");
    let stats = err
        .lines()
        .find(|l| l.starts_with("gc: "))
        .unwrap_or_else(|| panic!("no stats in: {err}"))
        .to_owned();
    (stdout(&o), stats)
}

/// A number from the stats line: the word before `label`.
fn stat(stats: &str, label: &str) -> u64 {
    let before = &stats[..stats
        .find(label)
        .unwrap_or_else(|| panic!("{label} in {stats}"))];
    let word = before.trim_end().rsplit(' ').next().unwrap();
    word.parse()
        .unwrap_or_else(|_| panic!("number before {label} in {stats}"))
}

/// The peak RSS (KiB) at the end of the stats line.
fn peak_rss_kib(stats: &str) -> u64 {
    let tail = stats.rsplit("peak RSS ").next().unwrap();
    tail.trim_end_matches(" KiB")
        .parse()
        .unwrap_or_else(|_| panic!("peak RSS in {stats}"))
}

#[test]
fn flonum_loop_variables_allocate_nothing_per_iteration() {
    // Ten million iterations of named-let and `do` loops accumulating
    // flonums (issue 10): boxed, each would allocate 16 bytes (160 MB).
    let src = "(define (sum n) (let loop ((i 0) (x 0.0)) (if (= i n) x (loop (+ i 1) (+ x 0.5)))))
               (define (squares n)
                 (do ((i 0 (+ i 1)) (x 0.0 (+ x 1.0)) (y 0.0 (+ y (* 2.0 x))))
                     ((= i n) (- y (* x x)))))
               (display (sum 10000000)) (newline) (display (squares 10000000))";
    let (out, stats) = run_with_stats(src, &[]);
    assert_eq!(out, "5000000.0\n-10000000.0");
    let bytes = stat(&stats, "bytes allocated");
    assert!(bytes < 1_000_000, "{stats}");
    // The same program with the optimisation off allocates per iteration,
    // so the measure above can fail.
    let (_, boxed) = run_with_stats(src, &[("SCHEMEC_NO_UNBOX", "1")]);
    assert!(stat(&boxed, "bytes allocated") > 100_000_000, "{boxed}");
}

#[test]
fn lambdas_passed_to_inlined_procedures_make_no_closures() {
    // `fold` is inlined at its call, and its `folder` argument's lambda
    // at the one call of `folder`: no closure per call of `sum-scaled`.
    let src = "(define (fold lst folder state)
                 (do ((lst lst (cdr lst)) (state state (folder (car lst) state))) ((null? lst) state)))
               (define (sum-scaled l k) (fold l (lambda (x acc) (+ acc (* k x))) 0))
               (define l '(1 2 3))
               (define (run n acc) (if (= n 0) acc (run (- n 1) (+ acc (sum-scaled l n)))))
               (display (run 1000000 0))";
    let (out, stats) = run_with_stats(src, &[]);
    assert_eq!(out, "3000003000000");
    assert!(stat(&stats, "bytes allocated") < 1_000_000, "{stats}");
    // Without inlining each call makes a closure, so the measure above
    // can fail.
    let (_, closures) = run_with_stats(src, &[("SCHEMEC_NO_INLINE", "1")]);
    assert!(
        stat(&closures, "bytes allocated") > 20_000_000,
        "{closures}"
    );
}

#[test]
fn internal_procedures_that_close_over_nothing_make_no_closures() {
    // `double` and `walk` need nothing from `sum-doubled`'s frame: static
    // closures (`analyze`), not one closure per call.
    let closed = "(define (sum-doubled l)
                    (define (double x) (* 2 x))
                    (define (walk l) (if (null? l) 0 (+ (double (car l)) (walk (cdr l)))))
                    (walk l))
                  (define l '(1 2 3))
                  (define (run n acc) (if (= n 0) acc (run (- n 1) (+ acc (sum-doubled l)))))
                  (display (run 1000000 0))";
    let (out, stats) = run_with_stats(closed, &[]);
    assert_eq!(out, "12000000");
    assert!(stat(&stats, "bytes allocated") < 1_000_000, "{stats}");
    // `walk` closing over `k` needs a closure per call: the measure above
    // can fail.
    let open = "(define (sum-scaled l k)
                  (define (walk l) (if (null? l) 0 (+ (* k (car l)) (walk (cdr l)))))
                  (walk l))
                (define l '(1 2 3))
                (define (run n acc) (if (= n 0) acc (run (- n 1) (+ acc (sum-scaled l n)))))
                (display (run 1000000 0))";
    let (out, stats) = run_with_stats(open, &[]);
    assert_eq!(out, "3000003000000");
    assert!(stat(&stats, "bytes allocated") > 20_000_000, "{stats}");
}

#[test]
fn allocating_4_gb_with_a_small_live_set_stays_under_64_mib() {
    let src = "(define (churn n)
                 (let loop ((i 0) (acc 0))
                   (if (= i n) acc
                       (let ((v (make-vector 100 i)) (s (make-string 20 #\\x)) (p (list i i i)) (f (lambda () i)))
                         (loop (+ i 1) (+ acc (vector-ref v 5) (string-length s) (length p) (f)))))))
               (display (churn 5000000))";
    let (out, stats) = run_with_stats(src, &[]);
    assert_eq!(out, "25000110000000");
    assert!(stat(&stats, "bytes allocated") > 4_000_000_000, "{stats}");
    assert!(stat(&stats, "collections") > 10, "{stats}");
    let rss_kib = peak_rss_kib(&stats);
    assert!(rss_kib < 64 * 1024, "peak RSS {rss_kib} KiB: {stats}");
}

#[test]
fn a_2_million_element_live_list_keeps_every_element() {
    let src = "(define (build n) (let loop ((i 0) (acc '())) (if (= i n) acc (loop (+ i 1) (cons i acc)))))
               (define keep (build 2000000))
               (define (garbage n) (let loop ((i 0)) (when (< i n) (make-vector 50 i) (string-append \"a\" \"b\") (loop (+ i 1)))))
               (garbage 2000000)
               (define (check l expect) (cond ((null? l) (= expect -1)) ((= (car l) expect) (check (cdr l) (- expect 1))) (else #f)))
               (display (list (length keep) (check keep 1999999) (apply + keep)))";
    let (out, stats) = run_with_stats(src, &[]);
    assert_eq!(out, "(2000000 #t 1999999000000)");
    assert!(stat(&stats, "collections") > 5, "{stats}");
}

/// Small programs that exercise every kind of object; under
/// `SCHEME_GC_STRESS=1` the collector runs at every allocation and the
/// output must not change.
const SMALL_PROGRAMS: &[(&str, &str)] = &[
    (
        // `list` and nested `cons` allocate their pairs at once, after
        // arguments that allocate (output from Chez Scheme 9.5.8).
        "(define (f i) (list (make-string 2 #\\a) i (cons i i)))
         (define (chain i) (cons i (cons (f i) (cons (number->string i) (list i (* i i))))))
         (define (long i) (list i 1 2 3 4 5 6 7 8 9 10 11 12 13 14 (vector i)))
         (define keep (let loop ((i 0) (acc '())) (if (= i 300) acc (loop (+ i 1) (cons (list (chain i) (long i)) acc)))))
         (write (list (length keep) (car keep) (length (cadr (car keep)))))",
        "(300 ((299 (\"aa\" 299 (299 . 299)) \"299\" 299 89401) (299 1 2 3 4 5 6 7 8 9 10 11 12 13 14 #(299))) 16)",
    ),
    (
        "(define (make-counter) (let ((n 0)) (lambda () (set! n (+ n 1)) n)))
         (define c (make-counter)) (c) (c)
         (define adders (map (lambda (k) (lambda (x) (+ x k))) '(1 2 3)))
         (write (list (c) (map (lambda (f) (f 10)) adders)))",
        "(3 (11 12 13))",
    ),
    (
        "(define s (make-string 3 #\\a)) (string-set! s 1 #\\λ)
         (write (list s (string-append s \"-\" (number->string 42)) (string->list \"héllo\") (list->string (list #\\o #\\k))
                      (substring \"hello world\" 6 11) (string->symbol \"sym\") (symbol->string 'abc)))",
        "(\"aλa\" \"aλa-42\" (#\\h #\\é #\\l #\\l #\\o) \"ok\" \"world\" sym \"abc\")",
    ),
    (
        "(define v (make-vector 5 0)) (do ((i 0 (+ i 1))) ((= i 5)) (vector-set! v i (list i (* i i))))
         (write (list v (vector->list v) (list->vector '(a b)) (vector-length v)))",
        "(#((0 0) (1 1) (2 4) (3 9) (4 16)) ((0 0) (1 1) (2 4) (3 9) (4 16)) #(a b) 5)",
    ),
    (
        "(define (fact n) (if (= n 0) 1 (* n (fact (- n 1)))))
         (write (list (fact 30) (* 99999999999 99999999999) (quotient (fact 25) (fact 23)) (- (fact 21) (fact 21))))",
        "(265252859812191058636308480000000 9999999999800000000001 600 0)",
    ),
    (
        "(define x 5) (define xs '(1 2))
         (write (list `(a ,x ,@xs b) `#(v ,x ,@xs) (apply + 1 2 '(3 4)) (apply list 'a '(b c))
                      (assoc \"b\" '((\"a\" . 1) (\"b\" . 2))) (member '(1) '((0) (1) (2))) (reverse '(1 2 3)) (append '(1) '(2) '(3 4))))",
        "((a 5 1 2 b) #(v 5 1 2) 10 (a b c) (\"b\" . 2) ((1) (2)) (3 2 1) (1 2 3 4))",
    ),
    (
        "(define (tree n) (if (= n 0) '() (list (tree (- n 1)) n (tree (- n 1)))))
         (define (count t) (if (null? t) 0 (+ 1 (count (car t)) (count (caddr t)))))
         (define (build n) (if (= n 0) '() (cons n (build (- n 1)))))
         (write (list (count (tree 10)) (length (build 20000)) (equal? (tree 5) (tree 5))))",
        "(1023 20000 #t)",
    ),
    (
        "(define (loop i acc) (if (= i 0) acc (loop (- i 1) (cons (make-string 2 #\\z) acc))))
         (define l (loop 3000 '()))
         (write (list (length l) (car l) (apply string-append (list-tail l 2997))))",
        "(3000 \"zz\" \"zzzzzz\")",
    ),
];

/// The collector's modes: full collections only, at every allocation,
/// generational, generational at every allocation (every eighth full).
const MODES: &[&[(&str, &str)]] = &[
    &[],
    &[("SCHEME_GC_STRESS", "1")],
    &[("SCHEME_GC_GENERATIONAL", "1")],
    &[("SCHEME_GC_GENERATIONAL", "1"), ("SCHEME_GC_STRESS", "1")],
];

#[test]
fn collecting_at_every_allocation_changes_no_output() {
    for (src, expected) in SMALL_PROGRAMS {
        for &env in MODES {
            let (out, stats) = run_with_stats(src, env);
            assert_eq!(&out, expected, "with {env:?}: {src}");
            if env.contains(&("SCHEME_GC_STRESS", "1")) {
                assert!(stat(&stats, "collections") >= 10, "{stats}");
            }
        }
    }
}

/// Old objects written to point at young ones (the write barrier), young
/// objects allocated into the holes between old ones and swept there, with
/// minor collections every 256 KiB.
#[test]
fn minor_collections_keep_young_objects_that_old_ones_point_at() {
    let src = "(define old (make-vector 2000 '()))
         (define keep (let build ((i 0) (acc '())) (if (= i 20000) acc (build (+ i 1) (if (= 0 (modulo i 3)) (cons (make-string 3 #\\k) acc) (begin (make-vector 4 i) acc))))))
         (define (churn round)
           (do ((i 0 (+ i 1))) ((= i 2000))
             (vector-set! old i (list round i (make-string 2 #\\y)))
             (make-vector 10 i)))
         (do ((r 0 (+ r 1))) ((= r 100)) (churn r))
         (define (ok i) (let ((e (vector-ref old i))) (and (= (car e) 99) (= (cadr e) i) (string=? (caddr e) \"yy\"))))
         (write (list (let loop ((i 0)) (or (= i 2000) (and (ok i) (loop (+ i 1)))))
                      (length keep) (apply string-append (list-tail keep 6665))))";
    let (out, stats) = run_with_stats(
        src,
        &[
            ("SCHEME_GC_GENERATIONAL", "1"),
            ("SCHEME_GC_NURSERY", "262144"),
        ],
    );
    assert_eq!(out, "(#t 6667 \"kkkkkk\")");
    assert!(stat(&stats, "collections") > 20, "{stats}");
    // A tenth of it, collecting at every allocation.
    let small = src
        .replace("(= i 20000)", "(= i 2000)")
        .replace("(= r 100)", "(= r 2)")
        .replace("(= (car e) 99)", "(= (car e) 1)")
        .replace("6665", "665");
    let stress = [("SCHEME_GC_GENERATIONAL", "1"), ("SCHEME_GC_STRESS", "1")];
    let (out, stats) = run_with_stats(&small, &stress);
    assert_eq!(out, "(#t 667 \"kkkkkk\")");
    assert!(stat(&stats, "collections") > 1000, "{stats}");
}

fn testlib() -> String {
    format!(
        "(load-library \"{}\")\n",
        target_dir().join("libschemetest.so").display()
    )
}

#[test]
fn rust_functions_keep_what_they_hold_while_allocating() {
    let src = format!(
        "{}(define items (make-items 3000)) (define rooted (rooted-strings 3000))
           (write (list (length items) (list-ref items 2999) (length rooted) (list-ref rooted 1234)
                        (call-each (lambda (x) (make-string x #\\q)) '(1 2 3))))",
        testlib()
    );
    let (out, stats) = run_with_stats(&src, &[("SCHEME_GC_STRESS", "1")]);
    assert_eq!(
        out,
        "(3000 \"s2999\" 3000 \"r1234\" (\"q\" \"qq\" \"qqq\"))"
    );
    assert!(stat(&stats, "collections") > 6000, "{stats}");
}

#[test]
fn foreign_objects_are_dropped_by_the_collector() {
    let src = format!(
        "{}(define keep (make-counter 10))
           (define (churn n) (let loop ((i 0)) (when (< i n) (counter-bump! (make-counter i)) (loop (+ i 1)))))
           (churn 1000000)
           (counter-bump! keep)
           (write (list (counter-value keep) (> (counters-dropped) 500000) keep))",
        testlib()
    );
    let (out, _) = run_with_stats(&src, &[]);
    assert_eq!(out, "(11 #t #<counter>)");
    common::check_runtime_error(
        &format!("{}(counter-value (make-other))", testlib()),
        "",
        "counter-value: argument 1 (c): expected counter, got #<other>",
    );
    common::check_runtime_error(
        &format!("{}(counter-bump! 5)", testlib()),
        "",
        "counter-bump!: argument 1 (c): expected counter, got 5",
    );
}

#[test]
fn a_plugin_allocating_ten_million_strings_runs_in_the_host_heap() {
    let src = format!(
        "{}(define (check i)
             (let ((s (fresh-string i)))
               (unless (string=? s (string-append \"item-\" (number->string i)))
                 (error \"wrong string\" i s))))
           (let loop ((i 0)) (when (< i 10000000) (check i) (loop (+ i 1))))
           (display \"ok\")",
        testlib()
    );
    let (out, stats) = run_with_stats(&src, &[]);
    assert_eq!(out, "ok");
    assert!(
        stat(&stats, "collections") > 10,
        "the plugin's strings are collected by the host: {stats}"
    );
    let rss_kib = peak_rss_kib(&stats);
    assert!(rss_kib < 64 * 1024, "peak RSS {rss_kib} KiB: {stats}");
}

/// Objects larger than a block reuse the blocks freed by the collector:
/// they used to take new address space every time, so a program with one
/// 8 MB vector live at a time ran out of a 64 MB heap after a few dozen
/// (and of the default 16 GB one after a few thousand), with page faults
/// for every new vector on the way.
#[test]
fn large_objects_reuse_freed_blocks() {
    let src = "(define (loop i acc)
                 (if (= i 0) acc
                     (let ((v (make-vector 1000000 i)))
                       (loop (- i 1) (+ acc (vector-ref v 5))))))
               (display (loop 300 0))";
    let (out, stats) = run_with_stats(src, &[("SCHEME_HEAP_LIMIT", "64M")]);
    assert_eq!(out, "45150");
    assert!(stat(&stats, "collections") > 20, "{stats}");
    let rss_kib = peak_rss_kib(&stats);
    assert!(rss_kib < 160 * 1024, "peak RSS {rss_kib} KiB: {stats}");
}

#[test]
fn heap_exhaustion_is_a_clear_error() {
    let src = "(define (build n acc) (if (= n 0) acc (build (- n 1) (cons n acc)))) (display \"start\") (build 10000000 '())";
    let o = run_with_env(src, &[("SCHEME_HEAP_LIMIT", "32M")]);
    let err = stderr(&o);
    assert_eq!(stdout(&o), "start");
    assert!(
        err.lines().next().unwrap_or("").contains(
            "error: heap exhausted: the live data needs more than the heap limit of 33554432 bytes"
        ),
        "{err}"
    );
    assert_eq!(o.status.code(), Some(1));
}

/// Found by fuzzing: under `SCHEME_GC_STRESS=1` a conservative root that
/// pointed at a free pair slot had that slot's stale car and cdr traced
/// into freed, reused memory ("segmentation fault"). The second program
/// replaces line 4 by the allocations the expander made for it then (it
/// now expands `,@` outside a list differently). Chez prints nothing.
#[test]
fn a_conservative_root_at_a_free_pair_slot() {
    let program = r#"(define (safe-cdr l) (cdr l))
(define (bound x n) x)
(let ((ms28 (string-copy (make-string 6)))) (list? (let ((ml29 '(-9223372036854775810 -97376449771958574888085167855830273320500451145 -142366616028717462206565984036468114072015763954288141306))) (map - ml29 (reverse ml29)))))
`,@(let* ((t31 (null? '(-1152921504606846976 -5537244293557907284700505433250581969222384202 2))) (t32 "tab\t")) `,87)
(define g33 (string-length (make-string (let ((i34 0)) i34))))
(let ((acc44 '())) (for-each (lambda x45 (set! acc44 (cons x45 acc44))) (safe-cdr (list 83 g33 g33))))
'(-461644 56 1152921504606846976 63)
(define g51 g33)
g33
(define g105 (apply + (vector->list (make-vector g51))))
(* (char->integer (let ((cs148 (let* ((s149 "x\ny")) s149))) (string-ref cs148 (letrec ((ev152 (lambda (k154) 1))) (ev152 bound))))) (let ((i155 0) (acc156 (let ((tl159 '(-523664))) list-tail))) i155))"#;
    let line4 = r#"(cons (quote unquote-splicing) (cons (cons (quote let*) (cons (quote ((t31 (null? (quote (-1152921504606846976 -5537244293557907284700505433250581969222384202 2)))) (t32 "tab\t"))) (cons (list (quote quasiquote) 87) (quote ())))) (quote ())))"#;
    let variant: Vec<&str> = program.lines().collect();
    let variant = [&variant[..3], &[line4], &variant[4..]].concat().join("\n");
    for src in [program.to_owned(), variant] {
        let o = run_with_env(&src, &[("SCHEME_GC_STRESS", "1")]);
        assert_eq!(stdout(&o), "");
        assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    }
}

/// A continuation's frames are copied out of the stack; a stale pointer
/// to the previous continuation left in them (by the runtime or by dead
/// frames) would chain every continuation to the one before, so that the
/// last one kept them all.
#[test]
fn continuations_captured_in_loops_do_not_keep_earlier_ones() {
    let src = "(define (make-counter n)
                 (define return #f)
                 (define resume #f)
                 (lambda ()
                   (call/cc
                     (lambda (r)
                       (set! return r)
                       (if resume
                           (resume #f)
                           (let loop ((i 0))
                             (if (< i n)
                                 (begin
                                   (call/cc (lambda (k) (set! resume k) (return i)))
                                   (loop (+ i 1)))
                                 (return 'done))))))))
               (define next (make-counter 1000000))
               (define (drain sum)
                 (let ((x (next)))
                   (if (eq? x 'done) sum (drain (+ sum x)))))
               (display (drain 0))
               (newline)
               (define saved #f)
               (define (f i)
                 (let ((a (call/cc (lambda (k) (set! saved k) (list i k)))))
                   (let ((b (car a)))
                     (+ (call/cc (lambda (k2) (k2 (+ b 1)))) 1))))
               (set! f f)
               (define (count i acc)
                 (if (< i 1000000) (count (+ i 1) (+ acc (f i))) acc))
               (display (count 0 0))";
    let (out, stats) = run_with_stats(src, &[]);
    assert_eq!(out, "499999500000\n500001500000");
    assert!(stat(&stats, "collections") > 10, "{stats}");
    let live = stat(&stats, "bytes live");
    assert!(live < 1 << 20, "{live} bytes live: {stats}");
}
