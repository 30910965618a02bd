//! Datum syntax: text => `Sexp`s (data with byte spans), the one reader
//! of R7RS lexical syntax. The compiler reads programs with it
//! (`compiler/src/reader.rs` renders its errors as diagnostics) and `read`
//! reads data from ports with it (`read_one`), so both accept exactly the
//! same syntax: numbers (through `number_syntax`, which `string->number`
//! shares), booleans, characters (`#\a`, `#\space`, `#\x3bb`), strings
//! with escapes, symbols (including `|...|`), lists, dotted pairs, vectors,
//! bytevectors (`#u8(1 2 3)`), `'` `` ` `` `,` `,@`, and `;`, `#|...|#` and
//! `#;` comments. Datum labels (`#0=` and `#0#`) are read only when asked
//! for (`read`; a program's source has none).
//!
//! It lives in the runtime because the runtime cannot depend on the
//! compiler; it knows nothing of values (`read` builds them from the
//! `Sexp`), so the compiler keeps spans and the runtime pays for nothing
//! it does not read.

use std::cell::Cell;

use crate::abi::{FIXNUM_MAX, FIXNUM_MIN};
use crate::number::Number;
use crate::number_syntax;

/// A byte range in the source text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }
}

/// Malformed text: where, and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadError {
    pub span: Span,
    pub message: String,
    /// The text ended before the datum did: more text might complete it.
    pub incomplete: bool,
}

type Result<T> = std::result::Result<T, ReadError>;

#[derive(Debug, Clone, PartialEq)]
pub enum SexpKind {
    /// A fixnum.
    Int(i64),
    /// Any other number (a bignum, ratio or flonum), parsed once: `read`
    /// builds it directly; the compiler writes it (`number_syntax::format`).
    Number(crate::number::Number),
    Bool(bool),
    Char(char),
    Str(String),
    Sym(String),
    /// A list; `tail` is set for dotted lists `(a b . c)`.
    List(Vec<Sexp>, Option<Box<Sexp>>),
    Vector(Vec<Sexp>),
    Bytevector(Vec<u8>),
    /// `#n=datum`: the datum, labelled `n` (only with labels enabled).
    Label(u64, Box<Sexp>),
    /// `#n#`: the datum labelled `n` (only with labels enabled).
    LabelRef(u64),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Sexp {
    pub kind: SexpKind,
    pub span: Span,
}

impl Sexp {
    pub fn sym(&self) -> Option<&str> {
        match &self.kind {
            SexpKind::Sym(s) => Some(s),
            _ => None,
        }
    }
    /// The elements of a proper list.
    pub fn list(&self) -> Option<&[Sexp]> {
        match &self.kind {
            SexpKind::List(items, None) => Some(items),
            _ => None,
        }
    }
}

/// Read every datum in `source`. Errors that leave the structure intact
/// (a malformed number) are collected and reading goes on; any other
/// error ends reading and comes last.
pub fn read_all(source: &str) -> (Vec<Sexp>, Vec<ReadError>) {
    read_all_folding(source, false)
}

/// `read_all`, starting case-folded if `fold_case` (as after
/// `#!fold-case`: for `include-ci`).
pub fn read_all_folding(source: &str, fold_case: bool) -> (Vec<Sexp>, Vec<ReadError>) {
    let mut r = Reader::new(source, MAX_DEPTH, false);
    r.fold_case = fold_case;
    let mut out = Vec::new();
    let fatal = loop {
        if let Err(e) = r.skip_atmosphere() {
            break Some(e);
        }
        if r.pos >= r.src.len() {
            break None;
        }
        match r.datum() {
            Ok(d) => out.push(d),
            Err(e) => break Some(e),
        }
    };
    r.errors.extend(fatal);
    (out, r.errors)
}

/// Read the first datum of `source`, with datum labels, nested at most
/// `max_depth` deep: the datum and the offset just after it, or `None` if
/// only white space and comments remain, or the first error; and whether
/// reading looked past the end of `source` (then more text could change
/// the result: a longer token, a list closed later).
pub fn read_one(source: &str, max_depth: usize) -> (Result<Option<(Sexp, usize)>>, bool) {
    let mut r = Reader::new(source, max_depth, true);
    let result = (|| {
        r.skip_atmosphere()?;
        if r.pos >= r.src.len() {
            r.hit_end.set(true);
            return Ok(None);
        }
        let d = r.datum()?;
        match r.errors.drain(..).next() {
            Some(e) => Err(e),
            None => Ok(Some((d, r.pos))),
        }
    })();
    (result, r.hit_end.get())
}

/// Deepest nesting of data accepted: every pass recurses over the nesting,
/// and the compiler thread's stack (`driver::COMPILER_STACK`) is sized for
/// this many levels. Deeper input is a compile error, not a stack overflow.
pub const MAX_DEPTH: usize = 500_000;

struct Reader<'a> {
    src: &'a str,
    pos: usize,
    /// Errors reading went on after.
    errors: Vec<ReadError>,
    /// Data being read, nested.
    depth: usize,
    max_depth: usize,
    /// Read `#n=` and `#n#`.
    labels: bool,
    /// Reading looked past the end of the text.
    hit_end: Cell<bool>,
    /// After `#!fold-case` (until `#!no-fold-case`): symbols and character
    /// names are read case-folded (R7RS 2.1).
    fold_case: bool,
}

fn is_delimiter(c: char) -> bool {
    if c.is_ascii() {
        matches!(c, '(' | ')' | '"' | ';' | '\'' | '`' | ',' | '\x0b') || c.is_ascii_whitespace()
    } else {
        c.is_whitespace()
    }
}

impl Reader<'_> {
    fn new(src: &str, max_depth: usize, labels: bool) -> Reader<'_> {
        Reader {
            src,
            pos: 0,
            errors: Vec::new(),
            depth: 0,
            max_depth,
            labels,
            hit_end: Cell::new(false),
            fold_case: false,
        }
    }
    fn peek(&self) -> Option<char> {
        let c = match self.src.as_bytes().get(self.pos) {
            Some(&b) if b.is_ascii() => Some(b as char),
            _ => self.src[self.pos..].chars().next(),
        };
        if c.is_none() {
            self.hit_end.set(true);
        }
        c
    }
    fn peek2(&self) -> Option<char> {
        let c = self.src[self.pos..].chars().nth(1);
        if c.is_none() {
            self.hit_end.set(true);
        }
        c
    }
    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }
    fn err<T>(&self, start: usize, msg: impl Into<String>) -> Result<T> {
        Err(ReadError {
            span: Span::new(start, self.pos.max(start + 1)),
            message: msg.into(),
            incomplete: self.hit_end.get(),
        })
    }

    /// Skip white space and comments.
    fn skip_atmosphere(&mut self) -> Result<()> {
        loop {
            match self.peek() {
                Some(c) if c.is_whitespace() => {
                    self.bump();
                }
                Some(';') => match self.src[self.pos..].find('\n') {
                    Some(i) => self.pos += i + 1,
                    None => {
                        self.pos = self.src.len();
                        self.hit_end.set(true);
                    }
                },
                Some('#') if self.peek2() == Some('|') => {
                    let start = self.pos;
                    self.pos += 2;
                    let mut depth = 1;
                    while depth > 0 {
                        match self.bump() {
                            None => return self.err(start, "unterminated block comment `#|`"),
                            Some('|') if self.peek() == Some('#') => {
                                self.bump();
                                depth -= 1;
                            }
                            Some('#') if self.peek() == Some('|') => {
                                self.bump();
                                depth += 1;
                            }
                            _ => {}
                        }
                    }
                }
                Some('#') if self.peek2() == Some('!') => {
                    let rest = &self.src[self.pos..];
                    let directive = ["#!fold-case", "#!no-fold-case"].into_iter().find(|d| {
                        rest.starts_with(d)
                            && rest[d.len()..].chars().next().is_none_or(is_delimiter)
                    });
                    match directive {
                        Some(d) => {
                            self.fold_case = d == "#!fold-case";
                            self.pos += d.len();
                        }
                        // Not a directive: `datum` reports it.
                        None => return Ok(()),
                    }
                }
                Some('#') if self.peek2() == Some(';') => {
                    self.pos += 2;
                    self.skip_atmosphere()?;
                    let start = self.pos;
                    if self.pos >= self.src.len() {
                        return self.err(start, "`#;` comments out nothing");
                    }
                    self.datum()?;
                }
                _ => return Ok(()),
            }
        }
    }

    fn datum(&mut self) -> Result<Sexp> {
        if self.depth == self.max_depth {
            self.skip_atmosphere()?;
            return self.err(
                self.pos,
                format!(
                    "nesting too deep: data nested more than {} levels",
                    self.max_depth
                ),
            );
        }
        self.depth += 1;
        let d = self.nested_datum();
        self.depth -= 1;
        d
    }

    fn nested_datum(&mut self) -> Result<Sexp> {
        self.skip_atmosphere()?;
        let start = self.pos;
        let Some(c) = self.peek() else {
            return self.err(start, "unexpected end of input: a datum is missing");
        };
        let kind = match c {
            '(' | '[' => {
                self.bump();
                return self.list_tail(start, if c == '(' { ')' } else { ']' });
            }
            ')' | ']' => {
                self.bump();
                return self.err(
                    start,
                    format!("unexpected `{c}` with no matching open parenthesis"),
                );
            }
            '\'' | '`' | ',' => {
                self.bump();
                let name = match c {
                    '\'' => "quote",
                    '`' => "quasiquote",
                    _ if self.peek() == Some('@') => {
                        self.bump();
                        "unquote-splicing"
                    }
                    _ => "unquote",
                };
                let head = Sexp {
                    kind: SexpKind::Sym(name.into()),
                    span: Span::new(start, self.pos),
                };
                let quoted = self.datum()?;
                let span = Span::new(start, quoted.span.end);
                return Ok(Sexp {
                    kind: SexpKind::List(vec![head, quoted], None),
                    span,
                });
            }
            '"' => self.string(start)?,
            '#' => self.hash(start)?,
            '|' => self.bar_symbol(start)?,
            _ => self.atom(start)?,
        };
        Ok(Sexp {
            kind,
            span: Span::new(start, self.pos),
        })
    }

    fn list_tail(&mut self, start: usize, close: char) -> Result<Sexp> {
        let mut items = Vec::new();
        let mut tail = None;
        loop {
            self.skip_atmosphere()?;
            match self.peek() {
                None => {
                    return self.err(start, "unbalanced parenthesis: this list is never closed")
                }
                Some(c) if c == close => {
                    self.bump();
                    break;
                }
                Some(c @ (')' | ']')) => {
                    let at = self.pos;
                    self.bump();
                    return self.err(
                        at,
                        format!(
                            "`{c}` closes a list opened with `{}`",
                            if close == ')' { '(' } else { '[' }
                        ),
                    );
                }
                Some('.') if self.peek2().is_none_or(is_delimiter) => {
                    let dot = self.pos;
                    self.bump();
                    if items.is_empty() {
                        return self.err(dot, "`.` must follow at least one datum");
                    }
                    tail = Some(Box::new(self.datum()?));
                    self.skip_atmosphere()?;
                    if self.peek() != Some(close) {
                        let at = self.pos;
                        return self.err(at, "expected `)` after the datum following `.`");
                    }
                    self.bump();
                    break;
                }
                Some(_) => items.push(self.datum()?),
            }
        }
        Ok(Sexp {
            kind: SexpKind::List(items, tail),
            span: Span::new(start, self.pos),
        })
    }

    fn string(&mut self, start: usize) -> Result<SexpKind> {
        self.bump();
        let mut s = String::new();
        loop {
            match self.bump() {
                None => return self.err(start, "unterminated string"),
                Some('"') => return Ok(SexpKind::Str(s)),
                Some('\\') => {
                    let at = self.pos - 1;
                    match self.bump() {
                        Some('n') => s.push('\n'),
                        Some('t') => s.push('\t'),
                        Some('r') => s.push('\r'),
                        Some('a') => s.push('\x07'),
                        Some('b') => s.push('\x08'),
                        Some('0') => s.push('\0'),
                        Some('\\') => s.push('\\'),
                        Some('"') => s.push('"'),
                        Some('x') | Some('X') => {
                            let hex_start = self.pos;
                            while self.peek().is_some_and(|c| c != ';' && c != '"') {
                                self.bump();
                            }
                            let hex = &self.src[hex_start..self.pos];
                            if self.bump() != Some(';') {
                                return self.err(at, "`\\x` escape must end with `;`");
                            }
                            match u32::from_str_radix(hex, 16).ok().and_then(char::from_u32) {
                                Some(c) => s.push(c),
                                None => {
                                    return self.err(
                                        at,
                                        format!("`\\x{hex};` is not a Unicode scalar value"),
                                    )
                                }
                            }
                        }
                        Some(c) if c == '\n' || c == ' ' || c == '\t' => {
                            // Line continuation: skip trailing and leading blanks.
                            let mut saw_newline = c == '\n';
                            while let Some(c) = self.peek() {
                                if c == '\n' && !saw_newline {
                                    saw_newline = true;
                                } else if c != ' ' && c != '\t' {
                                    break;
                                }
                                self.bump();
                            }
                        }
                        Some(c) => return self.err(at, format!("unknown string escape `\\{c}`")),
                        None => return self.err(start, "unterminated string"),
                    }
                }
                Some(c) => s.push(c),
            }
        }
    }

    fn token(&mut self) -> &str {
        let start = self.pos;
        let bytes = self.src.as_bytes();
        while bytes
            .get(self.pos)
            .is_some_and(|&b| b.is_ascii() && !is_delimiter(b as char))
        {
            self.pos += 1;
        }
        while self.peek().is_some_and(|c| !is_delimiter(c)) {
            self.bump();
        }
        &self.src[start..self.pos]
    }

    fn hash(&mut self, start: usize) -> Result<SexpKind> {
        self.bump();
        match self.peek() {
            Some('(') => {
                self.bump();
                let list = self.list_tail(start, ')')?;
                match list.kind {
                    SexpKind::List(items, None) => Ok(SexpKind::Vector(items)),
                    _ => self.err(start, "a vector cannot be dotted"),
                }
            }
            Some('\\') => {
                self.bump();
                let first = match self.bump() {
                    Some(c) => c,
                    None => return self.err(start, "`#\\` must be followed by a character"),
                };
                let rest_start = self.pos;
                while self.peek().is_some_and(|c| !is_delimiter(c)) {
                    self.bump();
                }
                let name = format!("{first}{}", &self.src[rest_start..self.pos]);
                if name.chars().count() == 1 {
                    return Ok(SexpKind::Char(first));
                }
                let name = if self.fold_case {
                    crate::primitives::strings_more::fold(&name)
                } else {
                    name
                };
                let c = match name.as_str() {
                    "space" => ' ',
                    "newline" | "linefeed" => '\n',
                    "tab" => '\t',
                    "return" => '\r',
                    "null" | "nul" => '\0',
                    "alarm" => '\x07',
                    "backspace" => '\x08',
                    "delete" | "rubout" => '\x7f',
                    "escape" | "altmode" => '\x1b',
                    _ if name.starts_with(['x', 'X']) => {
                        match u32::from_str_radix(&name[1..], 16)
                            .ok()
                            .and_then(char::from_u32)
                        {
                            Some(c) => c,
                            None => {
                                return self
                                    .err(start, format!("`#\\{name}` is not a valid character"))
                            }
                        }
                    }
                    _ => return self.err(start, format!("unknown character name `#\\{name}`")),
                };
                Ok(SexpKind::Char(c))
            }
            Some('u' | 'U') if self.src[self.pos..].get(..3) == Some("u8(") => {
                self.pos += 3;
                self.bytevector(start)
            }
            Some('0'..='9') if self.labels => self.label(start),
            _ => {
                let tok = self.token().to_owned();
                match tok.as_str() {
                    "t" | "true" => Ok(SexpKind::Bool(true)),
                    "f" | "false" => Ok(SexpKind::Bool(false)),
                    _ => {
                        if !tok.starts_with([
                            'x', 'X', 'b', 'B', 'o', 'O', 'd', 'D', 'e', 'E', 'i', 'I',
                        ]) {
                            return self.err(start, format!("unknown syntax `#{tok}`"));
                        }
                        Ok(self.number(start, &format!("#{tok}")))
                    }
                }
            }
        }
    }

    /// The bytes of `#u8(...)`, after the `(`.
    fn bytevector(&mut self, start: usize) -> Result<SexpKind> {
        let list = self.list_tail(start, ')')?;
        let SexpKind::List(items, None) = list.kind else {
            return self.err(start, "a bytevector cannot be dotted");
        };
        let mut bytes = Vec::with_capacity(items.len());
        for item in items {
            match item.kind {
                SexpKind::Int(n) if (0..=255).contains(&n) => bytes.push(n as u8),
                _ => {
                    let text = &self.src[item.span.start..item.span.end];
                    return Err(ReadError {
                        span: item.span,
                        message: format!("`{text}` in a bytevector is not a byte (0 to 255)"),
                        incomplete: false,
                    });
                }
            }
        }
        Ok(SexpKind::Bytevector(bytes))
    }

    /// `#n=datum` or `#n#`, after the `#`.
    fn label(&mut self, start: usize) -> Result<SexpKind> {
        let digits = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.bump();
        }
        let Ok(n) = self.src[digits..self.pos].parse::<u64>() else {
            return self.err(start, "datum label too large");
        };
        match self.bump() {
            Some('#') => Ok(SexpKind::LabelRef(n)),
            Some('=') => Ok(SexpKind::Label(n, Box::new(self.datum()?))),
            _ => self.err(
                start,
                "expected `=` or `#` after the number of a datum label",
            ),
        }
    }

    fn bar_symbol(&mut self, start: usize) -> Result<SexpKind> {
        self.bump();
        let mut s = String::new();
        loop {
            match self.bump() {
                None => return self.err(start, "unterminated `|symbol|`"),
                Some('|') => return self.symbol(start, s),
                Some('\\') => match self.bump() {
                    Some(c) => s.push(c),
                    None => return self.err(start, "unterminated `|symbol|`"),
                },
                Some(c) => s.push(c),
            }
        }
    }

    fn atom(&mut self, start: usize) -> Result<SexpKind> {
        let tok = self.token().to_owned();
        if tok.is_empty() {
            self.bump();
            return self.err(start, "unexpected character");
        }
        let looks_numeric = tok.starts_with(|c: char| c.is_ascii_digit())
            || (tok.starts_with(['+', '-'])
                && tok[1..].starts_with(|c: char| c.is_ascii_digit() || c == '.'))
            || (tok.starts_with('.') && tok[1..].starts_with(|c: char| c.is_ascii_digit()))
            || ["+inf.0", "-inf.0", "+nan.0", "-nan.0"]
                .iter()
                .any(|special| tok.eq_ignore_ascii_case(special));
        if looks_numeric {
            return Ok(self.number(start, &tok));
        }
        let name = if self.fold_case {
            crate::primitives::strings_more::fold(&tok)
        } else {
            tok
        };
        self.symbol(start, name)
    }

    /// A symbol named `name`. U+0000 is refused: the expander marks the
    /// identifiers that macros introduce with it (`expand/hygiene.rs`).
    fn symbol(&self, start: usize, name: String) -> Result<SexpKind> {
        if name.contains('\0') {
            return self.err(start, "a symbol cannot contain the character U+0000");
        }
        Ok(SexpKind::Sym(name))
    }

    /// The number `tok` spells; if it spells none, the error is recorded
    /// and reading goes on (the datum reads as 0).
    fn number(&mut self, start: usize, tok: &str) -> SexpKind {
        match number_syntax::parse(tok, 10) {
            Some(Number::Fix(n)) if (FIXNUM_MIN..=FIXNUM_MAX).contains(&n) => SexpKind::Int(n),
            Some(n) => SexpKind::Number(n),
            None => {
                let span = Span::new(start, self.pos.max(start + 1));
                self.errors.push(ReadError {
                    span,
                    message: format!("`{tok}` is not a valid number"),
                    incomplete: false,
                });
                SexpKind::Int(0)
            }
        }
    }
}
