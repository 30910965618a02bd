//! `SCHEMEC_TIMES=1`: how long each phase of a compile or build takes,
//! one line per phase on stderr (to see where a large build's time goes).

use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("SCHEMEC_TIMES").is_some_and(|v| v != "0"))
}

/// Runs `f`; with `SCHEMEC_TIMES` set, reports its wall time as `name`.
pub fn phase<T>(name: &str, f: impl FnOnce() -> T) -> T {
    if !enabled() {
        return f();
    }
    let start = Instant::now();
    let result = f();
    eprintln!(
        "schemec: {name:<10} {:8.1} ms",
        start.elapsed().as_secs_f64() * 1e3
    );
    result
}
