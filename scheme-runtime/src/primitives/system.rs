//! The process and its surroundings: R7RS `(scheme process-context)`,
//! `(scheme time)`, `file-exists?` and `delete-file` from `(scheme file)`,
//! and `features`.

use crate::convert::Optional;
use crate::print::write_string_literal;
use crate::rt::Ctx;
use crate::rt::Value;
use crate::scheme_fn;

/// What this implementation provides: `(features)`, and the compiler's
/// `cond-expand`.
pub const FEATURES: &[&str] = &[
    "r7rs",
    "exact-closed",
    "ratios",
    "full-unicode",
    "x86-64",
    "linux",
    "schemec",
];

/// The command line: the program's name, then its arguments, as strings.
#[scheme_fn(name = "command-line")]
fn command_line(ctx: &mut Ctx) -> Vec<String> {
    if let Some(line) = &ctx.command_line {
        return line.clone();
    }
    // The Rust runtime reads argc and argv at start-up (glibc passes them
    // to initializers), although `main` is the generated one.
    std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect()
}

/// The value of an environment variable, or #f if it is not set.
#[scheme_fn(name = "get-environment-variable")]
fn get_environment_variable(name: &str) -> Option<String> {
    std::env::var_os(name).map(|v| v.to_string_lossy().into_owned())
}

/// Every environment variable, as an association list of strings
/// `((name . value) ...)`.
#[scheme_fn(name = "get-environment-variables")]
fn get_environment_variables(ctx: &mut Ctx) -> Value {
    let vars: Vec<(String, String)> = std::env::vars_os()
        .map(|(k, v)| {
            (
                k.to_string_lossy().into_owned(),
                v.to_string_lossy().into_owned(),
            )
        })
        .collect();
    // Cons from the end; each new string is held by a local until it is
    // in the list.
    let mut list = Value::NIL;
    for (k, v) in vars.iter().rev() {
        let name = ctx.make_string_from(k);
        let value = ctx.make_string_from(v);
        let entry = ctx.cons(name, value);
        list = ctx.cons(entry, list);
    }
    list
}

/// Seconds since the epoch (1970-01-01 UTC), as a flonum.
#[scheme_fn(name = "current-second")]
fn current_second() -> f64 {
    match std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => d.as_secs_f64(),
        Err(e) => -e.duration().as_secs_f64(),
    }
}

const JIFFIES_PER_SECOND: i64 = 1_000_000_000;

/// A monotonic clock in jiffies (nanoseconds) from an arbitrary start: an
/// exact integer.
#[scheme_fn(name = "current-jiffy")]
fn current_jiffy() -> i64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid timespec to write; CLOCK_MONOTONIC always exists.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    ts.tv_sec * JIFFIES_PER_SECOND + ts.tv_nsec
}

/// Jiffies (see `current-jiffy`) in a second: 1000000000.
#[scheme_fn(name = "jiffies-per-second")]
fn jiffies_per_second() -> i64 {
    JIFFIES_PER_SECOND
}

/// Does a file (or directory) exist at this path?
#[scheme_fn(name = "file-exists?")]
fn file_exists(path: &str) -> bool {
    std::path::Path::new(path).exists()
}

/// Delete a file; an error if it cannot be deleted.
#[scheme_fn(name = "delete-file")]
fn delete_file(path: &str) -> Result<(), String> {
    std::fs::remove_file(path)
        .map_err(|e| format!("cannot delete {}: {e}", write_string_literal(path)))
}

/// The features this implementation has, as a list of symbols.
#[scheme_fn]
fn features(ctx: &mut Ctx) -> Value {
    let mut list = Value::NIL;
    for name in FEATURES.iter().rev() {
        let symbol = ctx.intern(name);
        list = ctx.cons(symbol, list);
    }
    list
}

/// End the program at once, as `exit` does but without flushing file
/// ports (console output written so far is still printed): no argument or
/// #t is status 0, #f is 1, an integer is itself.
#[scheme_fn(name = "emergency-exit")]
fn emergency_exit(ctx: &mut Ctx, status: Optional<Value>) {
    let code = super::control::exit_code(status);
    ctx.flush();
    // SAFETY: `_exit` ends the process; nothing runs after it.
    unsafe { libc::_exit(code) }
}

/// Run the collector now (Chez Scheme's `collect`; for tests and for
/// finalizers that should run at a known point).
#[scheme_fn]
fn collect(ctx: &mut Ctx) {
    crate::heap::collect(ctx)
}
