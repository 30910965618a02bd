//! Hygiene: what an identifier means, when macros introduce identifiers.
//!
//! Renaming ("Macros that work", Clinger and Rees 1991). Each expansion
//! of a macro use renames every symbol its template introduces to a fresh
//! alias, `name` + U+0000 + a number unique to that expansion (the reader
//! refuses U+0000 in symbols, so no source symbol is an alias). The alias
//! table remembers each alias's `base` (the template's symbol, itself
//! maybe an alias when a macro defined a macro) and the environment of the
//! macro's definition, as a `limit`: the local bindings in scope where the
//! macro was defined are exactly those in scope at its use that were
//! pushed before it (a binding's `serial` is the order it was pushed in;
//! scopes nest, so later bindings are popped before earlier ones).
//!
//! Resolving a symbol (`resolve`): its own local bindings first (an alias
//! is bound when the expansion's output binds it: such a binding is
//! invisible to the user's identifiers, which are other strings), then
//! top-level macros and definitions under that exact string, then, for an
//! alias, its base resolved in the macro's environment (local bindings
//! pushed before `limit`), and last special forms and primitives. So an
//! introduced `if` means the special form even where the user bound `if`,
//! and an introduced `tmp` never captures the user's `tmp`.
//!
//! `quote` strips aliases (`base_name`): `'tmp` in a template is the
//! symbol `tmp`. Names shown to the user and kept in the output (variable
//! names, procedure names) are stripped too.

use super::*;

/// Separates an alias's base name from its expansion number.
pub(super) const ALIAS_MARK: char = '\0';

/// The source name of an identifier (an alias without its marks).
pub fn base_name(s: &str) -> &str {
    s.split(ALIAS_MARK).next().unwrap_or(s)
}

/// What an alias stands for.
pub(super) struct Alias {
    /// The symbol of the template it replaced.
    base: String,
    /// Local bindings pushed before this serial are the macro's
    /// environment.
    limit: u32,
    /// A name of the core language (`core`): the special form or
    /// primitive, whatever the program binds.
    core: bool,
}

/// A local binding: a variable or a macro (`let-syntax`, body
/// `define-syntax`).
#[derive(Clone, Copy)]
pub(super) enum Local {
    Var(VarId),
    Macro(MacroId),
}

pub(super) struct Binding {
    serial: u32,
    local: Local,
}

/// What an identifier denotes.
#[derive(Clone, Debug)]
pub(super) enum Meaning {
    Var(VarId),
    Macro(MacroId),
    Global(GlobalId),
    Prim(&'static PrimDesc),
    Special(&'static str),
    /// Unbound: its source name.
    Unbound(String),
}

impl PartialEq for Meaning {
    /// `free-identifier=?`: the same binding, or both unbound with the same name.
    fn eq(&self, other: &Meaning) -> bool {
        use Meaning::*;
        match (self, other) {
            (Var(a), Var(b)) | (Macro(a), Macro(b)) | (Global(a), Global(b)) => a == b,
            (Prim(a), Prim(b)) => a.name == b.name,
            (Special(a), Special(b)) => a == b,
            (Unbound(a), Unbound(b)) => a == b,
            _ => false,
        }
    }
}

impl Expander<'_> {
    /// What `name` means here.
    pub(super) fn resolve(&self, name: &str) -> Meaning {
        self.resolve_before(name, u32::MAX)
    }

    /// What `name` means counting only local bindings pushed before
    /// `limit` (a macro's environment).
    pub(super) fn resolve_before(&self, name: &str, limit: u32) -> Meaning {
        let (mut name, mut limit) = (name, limit);
        // Through an alias (an import's rename or prefix, a macro's
        // template): imports do not restrict it.
        let mut aliased = false;
        loop {
            let local = self
                .locals
                .get(name)
                .and_then(|bs| bs.iter().rev().find(|b| b.serial < limit));
            if let Some(b) = local {
                return match b.local {
                    Local::Var(v) => Meaning::Var(v),
                    Local::Macro(m) => Meaning::Macro(m),
                };
            }
            if let Some(&m) = self.top_macros.get(name) {
                return Meaning::Macro(m);
            }
            if let Some(&g) = self.globals.get(name) {
                if !aliased && self.prelude_names.contains(name) && self.hidden(name) {
                    return Meaning::Unbound(name.to_owned());
                }
                return Meaning::Global(g);
            }
            if let Some(a) = self.aliases.get(name) {
                if a.core {
                    return self.resolve_core(&a.base);
                }
                (name, limit) = (&a.base, a.limit);
                aliased = true;
                continue;
            }
            if let Some(k) = SPECIAL_FORMS.iter().find(|k| **k == name) {
                return Meaning::Special(k);
            }
            if let Some(p) = self.prims.get(name) {
                if !aliased && self.hidden(name) {
                    return Meaning::Unbound(name.to_owned());
                }
                return Meaning::Prim(p);
            }
            return Meaning::Unbound(name.to_owned());
        }
    }

    /// Is the built-in procedure `name` hidden from the program's code:
    /// a standard name, once a standard library is imported, that no
    /// import brings in as itself (`libraries.rs`)?
    pub(super) fn hidden(&self, name: &str) -> bool {
        self.in_program_code
            && self
                .standard_imported
                .as_ref()
                .is_some_and(|imported| !imported.contains(name))
            && super::libraries::is_standard_name(name)
    }

    /// What a core name means: the special form, else the primitive, else
    /// the global (procedures of the prelude), never a program's binding
    /// of the same name.
    fn resolve_core(&self, name: &str) -> Meaning {
        if let Some(k) = SPECIAL_FORMS.iter().find(|k| **k == name) {
            return Meaning::Special(k);
        }
        if let Some(p) = self.prims.get(name) {
            return Meaning::Prim(p);
        }
        match self.globals.get(name) {
            Some(&g) => Meaning::Global(g),
            None => Meaning::Unbound(name.to_owned()),
        }
    }

    /// The special form `s` names here, if it is an identifier that does.
    pub(super) fn keyword(&self, s: &Sexp) -> Option<&'static str> {
        match self.resolve(s.sym()?) {
            Meaning::Special(k) => Some(k),
            _ => None,
        }
    }

    /// Does `s` name the special form `k` here?
    pub(super) fn is(&self, s: &Sexp, k: &str) -> bool {
        self.keyword(s) == Some(k)
    }

    /// The serial the next pushed binding gets; macros defined now see
    /// the bindings before it.
    pub(super) fn scope_mark(&self) -> u32 {
        self.serial
    }

    pub(super) fn push_local(&mut self, name: &str, local: Local) {
        let serial = self.serial;
        self.serial += 1;
        self.locals
            .entry(name.to_owned())
            .or_default()
            .push(Binding { serial, local });
    }

    pub(super) fn pop_local(&mut self, name: &str) {
        self.locals.get_mut(name).and_then(Vec::pop);
    }

    pub(super) fn with_scope<T>(
        &mut self,
        names: &[(String, VarId)],
        f: impl FnOnce(&mut Self) -> Result<T>,
    ) -> Result<T> {
        for (name, v) in names {
            self.push_local(name, Local::Var(*v));
        }
        let r = f(self);
        for (name, _) in names.iter().rev() {
            self.pop_local(name);
        }
        r
    }

    /// The alias `name` becomes in expansion number `expansion` of a
    /// macro whose environment ends at `limit`.
    pub(super) fn alias(&mut self, name: &str, expansion: usize, limit: u32) -> String {
        let alias = format!("{name}{ALIAS_MARK}{expansion}");
        self.aliases.entry(alias.clone()).or_insert_with(|| Alias {
            base: name.to_owned(),
            limit,
            core: false,
        });
        alias
    }

    /// A symbol that means the special form (or primitive, or prelude
    /// procedure) `name` wherever it is used, whatever the program binds
    /// to `name`: for forms the expander builds (`guard`, records).
    pub(super) fn core(&mut self, name: &str) -> String {
        let alias = format!("{name}{ALIAS_MARK}0");
        self.aliases.entry(alias.clone()).or_insert_with(|| Alias {
            base: name.to_owned(),
            limit: 0,
            core: true,
        });
        alias
    }

    /// Make `name` mean what `target` means at the top level (an import
    /// renamed by `prefix` or `rename`).
    pub(super) fn import_alias(&mut self, name: &str, target: &str) {
        self.aliases.insert(
            name.to_owned(),
            Alias {
                base: target.to_owned(),
                limit: 0,
                core: false,
            },
        );
    }
}

/// `d` with the marks of aliases taken out of its messages.
pub(super) fn clean_names(mut d: Diagnostic) -> Diagnostic {
    d.message = clean(&d.message);
    for l in &mut d.labels {
        l.message = clean(&l.message);
    }
    d
}

/// `text` without alias marks and their numbers.
fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ALIAS_MARK {
            while chars.peek().is_some_and(char::is_ascii_digit) {
                chars.next();
            }
        } else {
            out.push(c);
        }
    }
    out
}
