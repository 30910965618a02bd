//! `schemec new-plugin NAME`: a plugin crate that builds and loads with
//! one command (`cargo build --release && schemec run example.scm`), with a
//! unit test of its functions and a Scheme program that uses them.

use std::path::{Path, PathBuf};

const CARGO_TOML: &str = include_str!("templates/plugin/Cargo.toml.in");
const LIB_RS: &str = include_str!("templates/plugin/lib.rs.in");
const EXAMPLE_SCM: &str = include_str!("templates/plugin/example.scm.in");
const README_MD: &str = include_str!("templates/plugin/README.md.in");

/// The `scheme-runtime` sources this `schemec` was built from, which the
/// plugin must be built against (the loader checks the version).
fn runtime_source() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../scheme-runtime")
}

/// Write the crate into `dir` (which must not exist yet); its package is
/// `name`, its library `name` with `-` as `_`.
pub fn create(dir: &Path, runtime: Option<&Path>) -> Result<(), String> {
    let name = dir
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| format!("`{}` does not end in a crate name", dir.display()))?;
    let valid = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && name.starts_with(|c: char| c.is_ascii_alphabetic());
    if !valid {
        return Err(format!(
            "`{name}` is not a crate name: use letters, digits, `-` and `_`, starting with a letter"
        ));
    }
    if dir.exists() {
        return Err(format!("`{}` already exists", dir.display()));
    }
    let runtime = runtime.map_or_else(runtime_source, Path::to_path_buf);
    let runtime = std::fs::canonicalize(&runtime).map_err(|e| {
        format!(
            "cannot find the scheme-runtime sources at {} ({e}); give them with --runtime-source PATH",
            runtime.display()
        )
    })?;
    let lib = name.replace('-', "_");
    let fill = |template: &str| {
        template
            .replace("{{name}}", name)
            .replace("{{lib}}", &lib)
            .replace("{{runtime}}", &runtime.display().to_string())
    };
    let write = |path: PathBuf, text: String| {
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    std::fs::create_dir_all(dir.join("src"))
        .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    write(dir.join("Cargo.toml"), fill(CARGO_TOML))?;
    write(dir.join("src/lib.rs"), fill(LIB_RS))?;
    write(dir.join("example.scm"), fill(EXAMPLE_SCM))?;
    write(dir.join("README.md"), fill(README_MD))?;
    write(dir.join(".gitignore"), "/target\n".into())?;
    Ok(())
}
