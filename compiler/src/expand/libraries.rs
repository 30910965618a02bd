//! R7RS libraries (5.2, 5.6): `import` and `define-library`, after the
//! loader (`loader.rs`) has read library files and included files into
//! the top-level forms. Runs over them before anything else is expanded:
//!
//! - `(define-library name decl ...)` becomes its body's forms, each name
//!   the library defines at its top level renamed to a private
//!   `name\0N` (N above any macro expansion's number; `base_name` shows
//!   `name`), so two libraries may use the same private names and a
//!   program sees only what a library exports.
//! - `(import set ...)`, in the program or a library, makes names visible:
//!   a user library's exports as top-level aliases of their private names,
//!   a standard library's (its names from `r7rs-identifiers.txt`) as
//!   themselves or, renamed or prefixed, as aliases; `only`, `except`,
//!   `prefix` and `rename` apply to the export list. Once a standard
//!   library is imported, a built-in procedure with a standard name is
//!   visible to the program's code only if some import brings it in
//!   (`Expander::hidden`); without any, everything is, as before. Built-in
//!   names that no standard library exports (schemec's own) and syntactic
//!   keywords stay visible.
//!
//! `include`, `include-library-declarations` and `cond-expand` among a
//! library's declarations are spliced by the loader (`loader.rs`).

use std::collections::{HashMap, HashSet};

use super::hygiene::ALIAS_MARK;
use super::Expander;
use crate::diag::Diagnostic;
use crate::reader::{Sexp, SexpKind};

/// The standard libraries of R7RS-small; all their names are built in.
pub(crate) const STANDARD: &[&str] = &[
    "(scheme base)",
    "(scheme case-lambda)",
    "(scheme char)",
    "(scheme complex)",
    "(scheme cxr)",
    "(scheme eval)",
    "(scheme file)",
    "(scheme inexact)",
    "(scheme lazy)",
    "(scheme load)",
    "(scheme process-context)",
    "(scheme read)",
    "(scheme repl)",
    "(scheme time)",
    "(scheme write)",
    "(scheme r5rs)",
    // SRFIs whose names are all built in.
    "(srfi 6)",
    "(srfi 8)",
    "(srfi 9)",
    "(srfi 11)",
    "(srfi 16)",
    "(srfi 23)",
    "(srfi 34)",
    "(srfi 39)",
    "(srfi 69)",
];

/// Every identifier of the R7RS-small libraries, `(library) identifier`
/// per line (R7RS appendix A).
const R7RS_IDENTIFIERS: &str = include_str!("r7rs-identifiers.txt");

/// The standard names the SRFIs of `STANDARD` export (the rest of their
/// names are schemec's own, always visible).
const SRFI_EXPORTS: &[(&str, &[&str])] = &[
    (
        "(srfi 6)",
        &[
            "open-input-string",
            "open-output-string",
            "get-output-string",
        ],
    ),
    ("(srfi 8)", &["receive"]),
    ("(srfi 9)", &["define-record-type"]),
    ("(srfi 11)", &["let-values", "let*-values"]),
    ("(srfi 16)", &["case-lambda"]),
    ("(srfi 23)", &["error"]),
    ("(srfi 34)", &["with-exception-handler", "guard", "raise"]),
    ("(srfi 39)", &["make-parameter", "parameterize"]),
    ("(srfi 69)", &[]),
];

/// The lines of `R7RS_IDENTIFIERS` as (library, identifier).
fn r7rs_identifiers() -> impl Iterator<Item = (&'static str, &'static str)> {
    R7RS_IDENTIFIERS
        .lines()
        .filter(|l| l.starts_with('('))
        .filter_map(|l| l.rsplit_once(' '))
}

/// What the standard library `name` exports.
fn standard_exports(name: &str) -> Vec<&'static str> {
    if let Some((_, names)) = SRFI_EXPORTS.iter().find(|(n, _)| *n == name) {
        return names.to_vec();
    }
    r7rs_identifiers()
        .filter(|&(library, _)| library == name)
        .map(|(_, id)| id)
        .collect()
}

/// Is `name` exported by a standard library?
pub(super) fn is_standard_name(name: &str) -> bool {
    static NAMES: std::sync::OnceLock<HashSet<&'static str>> = std::sync::OnceLock::new();
    NAMES
        .get_or_init(|| r7rs_identifiers().map(|(_, id)| id).collect())
        .contains(name)
}

/// The standard library that exports `name` (the first listed).
pub(super) fn standard_library_of(name: &str) -> Option<&'static str> {
    r7rs_identifiers().find_map(|(library, id)| (id == name).then_some(library))
}

/// Private names are numbered from here, above any expansion number.
const FIRST_LIBRARY_MARK: usize = 1_000_000_000;

/// A library defined earlier in the file: external name => what it means
/// at the top level (a private name, or a name it imported).
struct Library {
    exports: Vec<(String, String)>,
}

/// What an import set makes visible: (visible name, target) pairs.
struct Visible(Vec<(String, String)>);

#[derive(Default)]
pub(super) struct Libraries {
    defined: HashMap<String, Library>,
}

type Errors = Vec<Diagnostic>;

impl Expander<'_> {
    /// The program's forms with libraries flattened and imports done.
    pub(super) fn libraries(&mut self, forms: &[Sexp]) -> Result<Vec<Sexp>, Errors> {
        let mut out = Vec::with_capacity(forms.len());
        let mut errors = Vec::new();
        for form in forms {
            match head(form) {
                Some("define-library") => match self.define_library(form) {
                    Ok(body) => out.extend(body),
                    Err(d) => errors.push(d),
                },
                Some("import") => {
                    for set in &form.list().unwrap_or(&[])[1..] {
                        if let Err(d) = self.import(set) {
                            errors.push(d);
                        }
                    }
                }
                _ => out.push(form.clone()),
            }
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }

    fn define_library(&mut self, form: &Sexp) -> Result<Vec<Sexp>, Diagnostic> {
        let items = form.list().unwrap_or(&[]);
        let Some(name_form) = items.get(1) else {
            return Err(Diagnostic::new(
                form.span,
                "`define-library` needs a library name",
            ));
        };
        let name = library_name(name_form)?;
        if self.libraries.defined.contains_key(&name) {
            return Err(Diagnostic::new(
                name_form.span,
                format!("library `{name}` is defined twice"),
            ));
        }
        let mut export_specs = Vec::new();
        let mut body = Vec::new();
        for decl in &items[2..] {
            match head(decl) {
                Some("export") => {
                    export_specs.extend(decl.list().unwrap_or(&[])[1..].iter().cloned())
                }
                Some("import") => {
                    for set in &decl.list().unwrap_or(&[])[1..] {
                        self.import(set)?;
                    }
                }
                Some("begin") => body.extend(decl.list().unwrap_or(&[])[1..].iter().cloned()),
                _ => {
                    return Err(Diagnostic::new(
                        decl.span,
                        "a library declaration is `export`, `import` or `begin`",
                    ))
                }
            }
        }
        // Private names: everything the body defines at its top level.
        let mut defined = HashSet::new();
        for f in &body {
            defined_names(f, &mut defined);
        }
        let mark = FIRST_LIBRARY_MARK + self.libraries.defined.len();
        let renames: HashMap<String, String> = defined
            .iter()
            .map(|n| (n.clone(), format!("{n}{ALIAS_MARK}{mark}")))
            .collect();
        let body: Vec<Sexp> = body.iter().map(|f| rename(f, &renames)).collect();
        let mut exports = Vec::new();
        for spec in &export_specs {
            let (internal, external) = match (spec.sym(), spec.list()) {
                (Some(s), _) => (s.to_owned(), s.to_owned()),
                (None, Some([r, a, b])) if r.sym() == Some("rename") => match (a.sym(), b.sym()) {
                    (Some(a), Some(b)) => (a.to_owned(), b.to_owned()),
                    _ => {
                        return Err(Diagnostic::new(
                            spec.span,
                            "`(rename internal external)` takes two names",
                        ))
                    }
                },
                _ => {
                    return Err(Diagnostic::new(
                        spec.span,
                        "an export is a name or `(rename internal external)`",
                    ))
                }
            };
            let target = renames.get(&internal).cloned().unwrap_or(internal);
            exports.push((external, target));
        }
        self.libraries.defined.insert(name, Library { exports });
        Ok(body)
    }

    fn import(&mut self, set: &Sexp) -> Result<(), Diagnostic> {
        let (Visible(names), standard) = self.import_set(set)?;
        if standard {
            self.standard_imported.get_or_insert_with(Default::default);
        }
        for (visible, target) in names {
            if visible != target {
                self.import_alias(&visible, &target);
            } else if let Some(imported) = &mut self.standard_imported {
                imported.insert(target);
            }
        }
        Ok(())
    }

    /// What `set` makes visible, and whether it imports a standard library.
    fn import_set(&self, set: &Sexp) -> Result<(Visible, bool), Diagnostic> {
        let items = set.list().unwrap_or(&[]);
        let kind = items.first().and_then(Sexp::sym);
        let modifier = matches!(kind, Some("only" | "except" | "prefix" | "rename"))
            && items.get(1).is_some_and(|s| s.list().is_some());
        if !modifier {
            let name = library_name(set)?;
            if STANDARD.contains(&name.as_str()) {
                let names = standard_exports(&name)
                    .into_iter()
                    .map(|n| (n.to_owned(), n.to_owned()));
                return Ok((Visible(names.collect()), true));
            }
            return match self.libraries.defined.get(&name) {
                Some(lib) => Ok((Visible(lib.exports.clone()), false)),
                None => Err(Diagnostic::new(
                    set.span,
                    format!("library `{name}` is imported before its `define-library`"),
                )),
            };
        }
        let (inner, standard) = self.import_set(&items[1])?;
        let args = &items[2..];
        let names = |what: &str| -> Result<Vec<String>, Diagnostic> {
            args.iter()
                .map(|a| {
                    a.sym()
                        .map(str::to_owned)
                        .ok_or_else(|| Diagnostic::new(a.span, format!("`{what}` takes names")))
                })
                .collect()
        };
        let Visible(ns) = inner;
        let visible = match kind.unwrap_or("") {
            "only" => {
                let keep = names("only")?;
                for k in &keep {
                    if !ns.iter().any(|(v, _)| v == k) {
                        return Err(Diagnostic::new(
                            set.span,
                            format!("`{k}` is not exported by this import set"),
                        ));
                    }
                }
                ns.into_iter().filter(|(v, _)| keep.contains(v)).collect()
            }
            "except" => {
                let drop = names("except")?;
                ns.into_iter().filter(|(v, _)| !drop.contains(v)).collect()
            }
            "prefix" => {
                let p = prefix_arg(set, args)?;
                ns.into_iter()
                    .map(|(v, t)| (format!("{p}{v}"), t))
                    .collect()
            }
            "rename" => {
                let mut ns = ns;
                for (from, to) in rename_pairs(args)? {
                    match ns.iter_mut().find(|(v, _)| *v == from) {
                        Some(entry) => entry.0 = to,
                        None => {
                            return Err(Diagnostic::new(
                                set.span,
                                format!("`{from}` is not exported by this import set"),
                            ))
                        }
                    }
                }
                ns
            }
            _ => unreachable!("import set kinds are checked above"),
        };
        Ok((Visible(visible), standard))
    }
}

fn head(form: &Sexp) -> Option<&str> {
    form.list()?.first()?.sym()
}

/// `(scheme base)` as text, checking its parts (names or integers).
pub(super) fn library_name(form: &Sexp) -> Result<String, Diagnostic> {
    let parts = form.list().filter(|p| !p.is_empty()).ok_or_else(|| {
        Diagnostic::new(
            form.span,
            "a library name is a list of names and integers, such as `(scheme base)`",
        )
    })?;
    let mut text = Vec::new();
    for p in parts {
        match &p.kind {
            SexpKind::Sym(s) => text.push(s.clone()),
            SexpKind::Int(n) if *n >= 0 => text.push(n.to_string()),
            _ => {
                return Err(Diagnostic::new(
                    p.span,
                    "a library name's parts are names and non-negative integers",
                ))
            }
        }
    }
    Ok(format!("({})", text.join(" ")))
}

fn prefix_arg(set: &Sexp, args: &[Sexp]) -> Result<String, Diagnostic> {
    match args {
        [p] => p
            .sym()
            .map(str::to_owned)
            .ok_or_else(|| Diagnostic::new(p.span, "`prefix` takes a name")),
        _ => Err(Diagnostic::new(
            set.span,
            "`(prefix set name)` takes one name",
        )),
    }
}

fn rename_pairs(args: &[Sexp]) -> Result<Vec<(String, String)>, Diagnostic> {
    args.iter()
        .map(|a| match a.list() {
            Some([from, to]) => match (from.sym(), to.sym()) {
                (Some(f), Some(t)) => Ok((f.to_owned(), t.to_owned())),
                _ => Err(Diagnostic::new(a.span, "`rename` takes pairs of names")),
            },
            _ => Err(Diagnostic::new(a.span, "`rename` takes pairs `(old new)`")),
        })
        .collect()
}

/// The names a top-level form of a library body defines.
fn defined_names(form: &Sexp, out: &mut HashSet<String>) {
    let Some(items) = form.list() else { return };
    let sym = |i: usize| items.get(i).and_then(Sexp::sym).map(str::to_owned);
    match head(form) {
        Some("define" | "define-syntax") => {
            let target = items.get(1);
            let name = target.and_then(Sexp::sym).map(str::to_owned).or_else(|| {
                // `(define (f . args) ...)`, curried `(define ((f a) b) ...)`.
                let mut t = target?;
                while let Some(first) = t.list().and_then(<[Sexp]>::first).or(match &t.kind {
                    SexpKind::List(items, Some(_)) => items.first(),
                    _ => None,
                }) {
                    t = first;
                }
                t.sym().map(str::to_owned)
            });
            out.extend(name);
        }
        Some("define-values") => {
            if let Some(f) = items.get(1) {
                collect_symbols(f, out);
            }
        }
        Some("define-record-type") => {
            out.extend(sym(1));
            if let Some(c) = items.get(2) {
                match c.list() {
                    Some(parts) => out.extend(parts.first().and_then(Sexp::sym).map(str::to_owned)),
                    None => out.extend(c.sym().map(str::to_owned)),
                }
            }
            out.extend(sym(3));
            for field in items.iter().skip(4) {
                for accessor in field.list().unwrap_or(&[]).iter().skip(1) {
                    out.extend(accessor.sym().map(str::to_owned));
                }
            }
        }
        Some("begin") => items[1..].iter().for_each(|f| defined_names(f, out)),
        _ => {}
    }
}

fn collect_symbols(form: &Sexp, out: &mut HashSet<String>) {
    match &form.kind {
        SexpKind::Sym(s) => {
            out.insert(s.clone());
        }
        SexpKind::List(items, tail) => {
            items.iter().for_each(|i| collect_symbols(i, out));
            if let Some(t) = tail {
                collect_symbols(t, out);
            }
        }
        _ => {}
    }
}

/// `form` with the symbols in `renames` replaced, except in quoted data.
fn rename(form: &Sexp, renames: &HashMap<String, String>) -> Sexp {
    let kind = match &form.kind {
        SexpKind::Sym(s) => match renames.get(s) {
            Some(r) => SexpKind::Sym(r.clone()),
            None => return form.clone(),
        },
        SexpKind::List(items, _) if head(form) == Some("quote") && items.len() == 2 => {
            return form.clone()
        }
        SexpKind::List(items, _) if head(form) == Some("quasiquote") && items.len() == 2 => {
            SexpKind::List(vec![items[0].clone(), quasi(&items[1], renames, 1)], None)
        }
        SexpKind::List(items, tail) => SexpKind::List(
            items.iter().map(|i| rename(i, renames)).collect(),
            tail.as_ref().map(|t| Box::new(rename(t, renames))),
        ),
        SexpKind::Vector(items) => {
            SexpKind::Vector(items.iter().map(|i| rename(i, renames)).collect())
        }
        _ => return form.clone(),
    };
    Sexp {
        kind,
        span: form.span,
    }
}

/// Quasiquoted data at nesting `depth`: renamed only inside `unquote`s that
/// bring it back to 0.
fn quasi(form: &Sexp, renames: &HashMap<String, String>, depth: usize) -> Sexp {
    let kind = match &form.kind {
        SexpKind::List(items, None)
            if items.len() == 2 && matches!(head(form), Some("unquote" | "unquote-splicing")) =>
        {
            let inner = if depth == 1 {
                rename(&items[1], renames)
            } else {
                quasi(&items[1], renames, depth - 1)
            };
            SexpKind::List(vec![items[0].clone(), inner], None)
        }
        SexpKind::List(items, None) if items.len() == 2 && head(form) == Some("quasiquote") => {
            SexpKind::List(
                vec![items[0].clone(), quasi(&items[1], renames, depth + 1)],
                None,
            )
        }
        SexpKind::List(items, tail) => SexpKind::List(
            items.iter().map(|i| quasi(i, renames, depth)).collect(),
            tail.as_ref().map(|t| Box::new(quasi(t, renames, depth))),
        ),
        SexpKind::Vector(items) => {
            SexpKind::Vector(items.iter().map(|i| quasi(i, renames, depth)).collect())
        }
        _ => return form.clone(),
    };
    Sexp {
        kind,
        span: form.span,
    }
}
