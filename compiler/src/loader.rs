//! Files beyond the program's own: `Vec<Sexp>` => `Vec<Sexp>`.
//!
//! - `(include "file" ...)` at the top level, and inside `define-library`,
//!   is replaced by the forms of the files (a `begin` in a library),
//!   found relative to the file that includes them.
//! - `(import ...)` of a library that is neither standard nor defined in
//!   the program's file reads `a/b.sld` for `(a b)`: from the program's
//!   directory, else from each `-I` directory, then each directory of
//!   `SCHEMEC_LIBRARY_PATH` (`:` separated). Its `define-library` (after the libraries it imports)
//!   comes before the form that first imports it; `expand/libraries.rs`
//!   does the rest.
//!
//! Every file read is added to the `SourceMap`, so spans and diagnostics
//! name the file they are in.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, SourceMap, Span};
use crate::reader::{self, Sexp, SexpKind};

/// The libraries every program has (`expand/libraries.rs` has the list).
fn is_standard(name: &[String]) -> bool {
    let text = format!("({})", name.join(" "));
    crate::expand::libraries::STANDARD.contains(&text.as_str())
}

struct Loader<'m> {
    sources: &'m mut SourceMap,
    /// Where library files are looked for after the program's directory.
    library_dirs: &'m [PathBuf],
    /// Libraries defined so far (in the program's file or loaded), and
    /// those being loaded (an import cycle).
    defined: HashSet<Vec<String>>,
    loading: Vec<Vec<String>>,
    out: Vec<Sexp>,
    errors: Vec<Diagnostic>,
}

/// The program's forms with included files spliced in and the library
/// files it imports (directly or not) placed before their first import.
pub fn load(
    forms: Vec<Sexp>,
    sources: &mut SourceMap,
    library_dirs: &[PathBuf],
) -> Result<Vec<Sexp>, Vec<Diagnostic>> {
    let mut l = Loader {
        sources,
        library_dirs,
        defined: HashSet::new(),
        loading: Vec::new(),
        out: Vec::new(),
        errors: Vec::new(),
    };
    // Libraries defined in the program's file may be imported anywhere in
    // it (the expander checks the order).
    for f in &forms {
        if head(f) == Some("define-library") {
            if let Some(name) = f.list().and_then(|i| i.get(1)).and_then(library_name) {
                l.defined.insert(name);
            }
        }
    }
    for f in forms {
        l.top_level(f);
    }
    if l.errors.is_empty() {
        Ok(l.out)
    } else {
        Err(l.errors)
    }
}

fn head(form: &Sexp) -> Option<&str> {
    form.list()?.first()?.sym()
}

/// `(a b 1)` as its parts, if it is a library name.
fn library_name(form: &Sexp) -> Option<Vec<String>> {
    form.list()?
        .iter()
        .map(|p| match &p.kind {
            SexpKind::Sym(s) => Some(s.clone()),
            SexpKind::Int(n) if *n >= 0 => Some(n.to_string()),
            _ => None,
        })
        .collect()
}

/// The library an import set names, under its `only`/`prefix`/....
fn set_library(set: &Sexp) -> Option<(Vec<String>, Span)> {
    let items = set.list()?;
    match items.first().and_then(Sexp::sym) {
        Some("only" | "except" | "prefix" | "rename") if items.get(1)?.list().is_some() => {
            set_library(&items[1])
        }
        _ => Some((library_name(set)?, set.span)),
    }
}

impl Loader<'_> {
    fn top_level(&mut self, form: Sexp) {
        match head(&form) {
            Some("include" | "include-ci") => {
                for f in self.included(&form) {
                    self.top_level(f);
                }
            }
            Some("import") => {
                self.imports(&form);
                self.out.push(form);
            }
            Some("define-library") => {
                let form = self.library(form);
                self.out.push(form);
            }
            _ => self.out.push(form),
        }
    }

    /// The directory of the file holding `span`.
    fn dir_of(&self, span: Span) -> PathBuf {
        let file = self.sources.file_of(span.start).unwrap_or(0);
        Path::new(&self.sources.files[file].path)
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    }

    /// The name to show for a file `rel` next to the file holding `span`.
    fn shown_name(&self, span: Span, rel: &Path) -> String {
        let file = self.sources.file_of(span.start).unwrap_or(0);
        let shown = Path::new(&self.sources.files[file].name);
        match shown.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.join(rel).display().to_string(),
            _ => rel.display().to_string(),
        }
    }

    /// Read `path` as a new source file, reporting at `span`; case-folded
    /// (`include-ci`) if `fold_case`.
    fn read(&mut self, path: &Path, shown: String, span: Span, fold_case: bool) -> Vec<Sexp> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                self.errors.push(Diagnostic::new(
                    span,
                    format!("cannot read {}: {e}", path.display()),
                ));
                return Vec::new();
            }
        };
        let absolute = std::fs::canonicalize(path)
            .map_or_else(|_| path.display().to_string(), |p| p.display().to_string());
        let base = self.sources.add(&shown, &absolute, text);
        let text = &self.sources.files.last().expect("just added").text;
        let (forms, errors) = reader::read_at_folding(text, base, fold_case);
        self.errors.extend(errors);
        forms
    }

    /// The forms of the files an `include` names.
    fn included(&mut self, form: &Sexp) -> Vec<Sexp> {
        let fold_case = head(form) == Some("include-ci");
        let mut forms = Vec::new();
        for name in &form.list().unwrap_or(&[])[1..] {
            let SexpKind::Str(rel) = &name.kind else {
                self.errors.push(Diagnostic::new(
                    name.span,
                    "`include` takes file names (strings)",
                ));
                continue;
            };
            let path = self.dir_of(name.span).join(rel);
            let shown = self.shown_name(name.span, Path::new(rel));
            forms.extend(self.read(&path, shown, name.span, fold_case));
        }
        forms
    }

    /// Load the libraries an `import` form names that are not known yet.
    fn imports(&mut self, form: &Sexp) {
        for set in &form.list().unwrap_or(&[])[1..] {
            let Some((name, span)) = set_library(set) else {
                continue; // the expander reports a malformed set
            };
            if is_standard(&name) || self.defined.contains(&name) {
                continue;
            }
            if self.loading.contains(&name) {
                self.errors.push(Diagnostic::new(
                    span,
                    format!(
                        "library `({})` imports itself (through the libraries it imports)",
                        name.join(" ")
                    ),
                ));
                continue;
            }
            self.load_library(&name, span);
        }
    }

    fn load_library(&mut self, name: &[String], span: Span) {
        let rel: PathBuf = format!("{}.sld", name.join("/")).into();
        // The program's directory (library names are paths from it), then
        // the search path.
        let main = Span::new(0, 0);
        let mut dirs = vec![self.dir_of(main)];
        dirs.extend(self.library_dirs.iter().cloned());
        if let Some(paths) = std::env::var_os("SCHEMEC_LIBRARY_PATH") {
            dirs.extend(std::env::split_paths(&paths).filter(|d| !d.as_os_str().is_empty()));
        }
        let Some(path) = dirs.iter().map(|d| d.join(&rel)).find(|p| p.is_file()) else {
            let tried: Vec<String> = dirs
                .iter()
                .map(|d| d.join(&rel).display().to_string())
                .collect();
            self.errors.push(Diagnostic::new(
                span,
                format!(
                    "library `({})` not found; looked for {}",
                    name.join(" "),
                    tried.join(", ")
                ),
            ));
            return;
        };
        let shown = if path.starts_with(self.dir_of(main)) {
            self.shown_name(main, &rel)
        } else {
            path.display().to_string()
        };
        self.loading.push(name.to_vec());
        let forms = self.read(&path, shown, span, false);
        let mut found = false;
        for f in forms {
            if head(&f) == Some("define-library") {
                if f.list()
                    .and_then(|i| i.get(1))
                    .and_then(library_name)
                    .as_deref()
                    == Some(name)
                {
                    found = true;
                }
                let f = self.library(f);
                self.out.push(f);
            } else {
                self.errors.push(Diagnostic::new(
                    f.span,
                    "a library file holds `define-library` forms only",
                ));
            }
        }
        self.loading.pop();
        if !found {
            self.errors.push(Diagnostic::new(
                span,
                format!(
                    "{} does not define library `({})`",
                    path.display(),
                    name.join(" ")
                ),
            ));
        }
        self.defined.insert(name.to_vec());
    }

    /// Library declarations as the expander takes them: `include`s read
    /// (as `begin`s), `include-library-declarations` and `cond-expand`
    /// spliced (R7RS 5.6.1), the libraries imported loaded first.
    fn declarations(&mut self, items: Vec<Sexp>, decls: &mut Vec<Sexp>) {
        for decl in items {
            match head(&decl) {
                Some("import") => {
                    self.imports(&decl);
                    decls.push(decl);
                }
                Some("include" | "include-ci") => {
                    let begin = Sexp {
                        kind: SexpKind::Sym("begin".into()),
                        span: decl.span,
                    };
                    let mut body = vec![begin];
                    body.extend(self.included(&decl));
                    decls.push(Sexp {
                        kind: SexpKind::List(body, None),
                        span: decl.span,
                    });
                }
                // A plugin or shared object a library uses: loaded for the
                // whole program (placed at the top level, before the
                // library), its names then visible in the library.
                Some("load-library" | "load-shared-object") => self.out.push(decl),
                Some("include-library-declarations") => {
                    let included = self.included(&decl);
                    self.declarations(included, decls);
                }
                Some("cond-expand") => match crate::expand::features::cond_expand(&decl) {
                    Ok(chosen) => self.declarations(chosen.to_vec(), decls),
                    Err(e) => self.errors.push(e),
                },
                _ => decls.push(decl),
            }
        }
    }

    /// A `define-library` with its declarations read (`declarations`).
    fn library(&mut self, form: Sexp) -> Sexp {
        let Sexp {
            kind: SexpKind::List(items, None),
            span,
        } = form
        else {
            return form;
        };
        let mut decls = Vec::with_capacity(items.len());
        let mut items = items.into_iter();
        // `define-library` and the name, then the declarations.
        decls.extend(items.by_ref().take(2));
        self.declarations(items.collect(), &mut decls);
        if let Some(name) = decls.get(1).and_then(library_name) {
            self.defined.insert(name);
        }
        Sexp {
            kind: SexpKind::List(decls, None),
            span,
        }
    }
}
