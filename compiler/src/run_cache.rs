//! How `schemec run` (and `schemec repl`) start a compiled program
//! quickly. Linking the program with the 50 MB runtime archive took about
//! 100 ms of a run's start-up; instead the program is assembled into a
//! small shared object (as a unit of `eval` is, a few milliseconds) and
//! started by the launcher: an executable made once per runtime from the
//! whole runtime archive, exported, whose `main` (`scm_launch`) loads the
//! program and enters it. Both live in the run cache, so a program run
//! again starts without assembling either.
//!
//! The cache is `SCHEMEC_CACHE_DIR`, else `$XDG_CACHE_HOME/schemec/run`,
//! else `~/.cache/schemec/run`; it keeps the `CACHE_ENTRIES` most recently
//! used files. With `SCHEMEC_NO_CACHE=1` each run links a standalone
//! executable instead, as `schemec build` does.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::driver::Compiled;
use crate::{codegen, driver};

/// A compiled program ready to start.
pub enum Runnable {
    /// The launcher, loading the program's shared object.
    Launched { launcher: PathBuf, program: PathBuf },
    /// A standalone executable (no cache).
    Executable(PathBuf),
}

impl Runnable {
    /// The command that runs the program as `name` (its `command-line`
    /// starts with `name`, as under `scheme --script`).
    pub fn command(&self, name: &str) -> Command {
        match self {
            Runnable::Launched { launcher, program } => {
                let mut c = Command::new(launcher);
                c.arg0(name).arg(program);
                c
            }
            Runnable::Executable(exe) => {
                let mut c = Command::new(exe);
                c.arg0(name);
                c
            }
        }
    }
}

/// The program `asm` ready to run with `runtime`: from the cache when the
/// same assembly ran with the same runtime before, else assembled now
/// (intermediate files in `scratch`) and kept there.
pub fn runnable(program: &Compiled, runtime: &Path, scratch: &Path) -> Result<Runnable, String> {
    let Some(cache) = cache_dir() else {
        let exe = scratch.join("program");
        driver::link_for_run(program, runtime, &exe)?;
        return Ok(Runnable::Executable(exe));
    };
    let _ = std::fs::create_dir_all(&cache);
    let launcher = cached(
        &cache,
        &format!("launcher-{:032x}", key(&["launcher"], runtime)),
        scratch,
        |out| {
            let launcher = Compiled::from_asm(codegen::launcher_assembly());
            driver::link_for_run(&launcher, runtime, out)
        },
    )?;
    let program = cached(
        &cache,
        &format!("{:032x}.so", key(&program.chunks, runtime)),
        scratch,
        |out| driver::assemble_unit(program, out),
    )?;
    Ok(Runnable::Launched { launcher, program })
}

/// The file `name` of the cache, made with `make` if it is not there.
fn cached(
    cache: &Path,
    name: &str,
    scratch: &Path,
    make: impl FnOnce(&Path) -> Result<(), String>,
) -> Result<PathBuf, String> {
    let file = cache.join(name);
    if file.is_file() {
        // Mark it used (eviction keeps the most recently used).
        let _ =
            std::fs::File::open(&file).and_then(|f| f.set_modified(std::time::SystemTime::now()));
        return Ok(file);
    }
    let partial = scratch.join(name);
    make(&partial)?;
    // Another schemec may be making the same file: rename is atomic.
    let tmp = cache.join(format!("{name}.{}.tmp", std::process::id()));
    if std::fs::copy(&partial, &tmp).is_ok() && std::fs::rename(&tmp, &file).is_ok() {
        evict_old_entries(cache);
        return Ok(file);
    }
    let _ = std::fs::remove_file(&tmp);
    Ok(partial)
}

/// Files kept in the cache.
const CACHE_ENTRIES: usize = 64;

/// Files used this recently are never evicted: another schemec may be
/// about to run them.
const IN_USE: std::time::Duration = std::time::Duration::from_secs(60);

fn cache_dir() -> Option<PathBuf> {
    if std::env::var_os("SCHEMEC_NO_CACHE").is_some_and(|v| v != "0") {
        return None;
    }
    if let Some(d) = std::env::var_os("SCHEMEC_CACHE_DIR") {
        return Some(PathBuf::from(d));
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(base.join("schemec").join("run"))
}

/// What decides a cached file: `text` (the assembly), the runtime library
/// (path, size, modification time) and this schemec (its version and
/// modification time: link flags may change with it). Two 64-bit hashes
/// with different seeds.
fn key<S: AsRef<str>>(text: &[S], runtime: &Path) -> u128 {
    use std::hash::{Hash, Hasher};
    let stamp = |p: &Path| {
        std::fs::metadata(p)
            .ok()
            .map(|m| (m.len(), m.modified().ok()))
    };
    let exe = std::env::current_exe().ok();
    let hash = |seed: u64| {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        seed.hash(&mut h);
        for piece in text {
            h.write(piece.as_ref().as_bytes());
        }
        runtime.hash(&mut h);
        stamp(runtime).hash(&mut h);
        env!("CARGO_PKG_VERSION").hash(&mut h);
        exe.as_deref().and_then(stamp).hash(&mut h);
        h.finish()
    };
    (u128::from(hash(1)) << 64) | u128::from(hash(2))
}

/// Remove all but the most recently used files (and none used within
/// `IN_USE`).
fn evict_old_entries(cache: &Path) {
    let Ok(dir) = std::fs::read_dir(cache) else {
        return;
    };
    let mut entries: Vec<(std::time::SystemTime, PathBuf)> = dir
        .filter_map(|e| {
            let e = e.ok()?;
            Some((e.metadata().ok()?.modified().ok()?, e.path()))
        })
        .collect();
    if entries.len() <= CACHE_ENTRIES {
        return;
    }
    entries.sort();
    let now = std::time::SystemTime::now();
    for (used, path) in &entries[..entries.len() - CACHE_ENTRIES] {
        if now.duration_since(*used).is_ok_and(|age| age > IN_USE) {
            let _ = std::fs::remove_file(path);
        }
    }
}
