//! The AST of generated programs, and its Scheme text. The reference
//! interpreter (`interp.rs`) runs the same AST.

use std::fmt::Write as _;
use std::rc::Rc;

use num_bigint::BigInt;

/// Types of generated expressions and variables.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Ty {
    Int,
    Bool,
    Char,
    Str,
    /// A proper list of integers.
    List,
    /// A non-empty vector of integers.
    Vector,
    /// Pure procedures of one and two integers to an integer.
    Fn1,
    Fn2,
    /// A procedure of no arguments with effects on variables it captured
    /// (a counter): called only where those effects are sequenced.
    Counter,
    /// A top-level recursive procedure `(f fuel x)`, fuel a small literal.
    Rec,
}

#[derive(Debug)]
pub enum Expr {
    Int(BigInt),
    Bool(bool),
    Char(char),
    Str(String),
    Sym(&'static str),
    /// `'(1 2 3)`
    QuoteList(Vec<BigInt>),
    Var(String),
    /// A call of a primitive (never shadowed: variables have other names).
    Prim(&'static str, Vec<Expr>),
    /// A call of the procedure in a variable.
    App(String, Vec<Expr>),
    /// `((lambda (x) ...) arg)`
    AppLambda(Rc<Lambda>, Vec<Expr>),
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    Cond(Vec<(Expr, Expr)>, Box<Expr>),
    Case(Box<Expr>, Vec<(Vec<Expr>, Expr)>, Box<Expr>),
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Let(LetKind, Vec<(String, Expr)>, Box<Body>),
    NamedLet(String, Vec<(String, Expr)>, Rc<Body>),
    Lambda(Rc<Lambda>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LetKind {
    Let,
    LetStar,
    Letrec,
}

#[derive(Debug)]
pub struct Lambda {
    pub params: Vec<String>,
    pub body: Body,
}

/// Internal definitions, statements, then the value.
#[derive(Debug)]
pub struct Body {
    pub defs: Vec<(String, Expr)>,
    pub stmts: Vec<Stmt>,
    pub result: Expr,
}

#[derive(Debug)]
pub enum Stmt {
    Set(String, Expr),
    /// `(vector-set! v (modulo i (vector-length v)) x)`
    VectorSet(String, Expr, Expr),
    Write(Expr),
    Display(Expr),
    Newline,
    /// `(when test stmt ...)`, or `unless` when the flag is set.
    When(bool, Expr, Vec<Stmt>),
    /// `(for-each (lambda (x) stmt ...) list)`: in order, by R7RS.
    ForEach(String, Vec<Stmt>, Expr),
    /// A call for its effect (a counter).
    Call(String),
}

pub enum Top {
    Define(String, Expr),
    Stmt(Stmt),
}

/// One generated program: top-level forms.
pub struct Program {
    pub forms: Vec<Top>,
}

impl Program {
    pub fn to_scheme(&self) -> String {
        let mut s = String::new();
        for f in &self.forms {
            match f {
                Top::Define(name, value) => define(&mut s, name, value),
                Top::Stmt(st) => stmt(&mut s, st),
            }
            s.push('\n');
        }
        s
    }
}

fn define(s: &mut String, name: &str, value: &Expr) {
    if let Expr::Lambda(l) = value {
        let _ = write!(s, "(define ({name}");
        for p in &l.params {
            let _ = write!(s, " {p}");
        }
        s.push(')');
        body(s, &l.body);
        s.push(')');
    } else {
        let _ = write!(s, "(define {name} ");
        expr(s, value);
        s.push(')');
    }
}

fn body(s: &mut String, b: &Body) {
    for (n, v) in &b.defs {
        s.push(' ');
        define(s, n, v);
    }
    for st in &b.stmts {
        s.push(' ');
        stmt(s, st);
    }
    s.push(' ');
    expr(s, &b.result);
}

fn stmt(s: &mut String, st: &Stmt) {
    match st {
        Stmt::Set(n, e) => {
            let _ = write!(s, "(set! {n} ");
            expr(s, e);
            s.push(')');
        }
        Stmt::VectorSet(v, i, x) => {
            let _ = write!(s, "(vector-set! {v} (modulo ");
            expr(s, i);
            let _ = write!(s, " (vector-length {v})) ");
            expr(s, x);
            s.push(')');
        }
        Stmt::Write(e) | Stmt::Display(e) => {
            s.push_str(if matches!(st, Stmt::Write(_)) {
                "(write "
            } else {
                "(display "
            });
            expr(s, e);
            s.push(')');
        }
        Stmt::Newline => s.push_str("(newline)"),
        Stmt::When(unless, test, stmts) => {
            s.push_str(if *unless { "(unless " } else { "(when " });
            expr(s, test);
            for st in stmts {
                s.push(' ');
                stmt(s, st);
            }
            s.push(')');
        }
        Stmt::ForEach(x, stmts, list) => {
            let _ = write!(s, "(for-each (lambda ({x})");
            for st in stmts {
                s.push(' ');
                stmt(s, st);
            }
            s.push_str(") ");
            expr(s, list);
            s.push(')');
        }
        Stmt::Call(f) => {
            let _ = write!(s, "({f})");
        }
    }
}

/// A character as a literal (`#\a`, `#\space`).
pub fn char_name(c: char) -> String {
    match c {
        ' ' => "#\\space".into(),
        '\n' => "#\\newline".into(),
        '\t' => "#\\tab".into(),
        c => format!("#\\{c}"),
    }
}

/// A string as a literal, escaped as `write` prints it.
pub fn string_literal(text: &str) -> String {
    let mut s = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            '\t' => s.push_str("\\t"),
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

fn exprs(s: &mut String, es: &[Expr]) {
    for e in es {
        s.push(' ');
        expr(s, e);
    }
}

fn bindings(s: &mut String, bs: &[(String, Expr)]) {
    s.push('(');
    for (i, (n, e)) in bs.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        let _ = write!(s, "({n} ");
        expr(s, e);
        s.push(')');
    }
    s.push(')');
}

pub fn expr(s: &mut String, e: &Expr) {
    match e {
        Expr::Int(n) => {
            let _ = write!(s, "{n}");
        }
        Expr::Bool(b) => s.push_str(if *b { "#t" } else { "#f" }),
        Expr::Char(c) => s.push_str(&char_name(*c)),
        Expr::Str(t) => s.push_str(&string_literal(t)),
        Expr::Sym(t) => {
            let _ = write!(s, "'{t}");
        }
        Expr::QuoteList(items) => {
            s.push_str("'(");
            for (i, n) in items.iter().enumerate() {
                if i > 0 {
                    s.push(' ');
                }
                let _ = write!(s, "{n}");
            }
            s.push(')');
        }
        Expr::Var(n) => s.push_str(n),
        Expr::Prim(p, args) => {
            let _ = write!(s, "({p}");
            exprs(s, args);
            s.push(')');
        }
        Expr::App(f, args) => {
            let _ = write!(s, "({f}");
            exprs(s, args);
            s.push(')');
        }
        Expr::AppLambda(l, args) => {
            s.push_str("((lambda (");
            s.push_str(&l.params.join(" "));
            s.push(')');
            body(s, &l.body);
            s.push(')');
            exprs(s, args);
            s.push(')');
        }
        Expr::If(c, t, f) => {
            s.push_str("(if");
            for e in [c, t, f] {
                s.push(' ');
                expr(s, e);
            }
            s.push(')');
        }
        Expr::Cond(clauses, otherwise) => {
            s.push_str("(cond");
            for (t, e) in clauses {
                s.push_str(" (");
                expr(s, t);
                s.push(' ');
                expr(s, e);
                s.push(')');
            }
            s.push_str(" (else ");
            expr(s, otherwise);
            s.push_str("))");
        }
        Expr::Case(key, clauses, otherwise) => {
            s.push_str("(case ");
            expr(s, key);
            for (data, e) in clauses {
                s.push_str(" (");
                for (i, d) in data.iter().enumerate() {
                    s.push(if i == 0 { '(' } else { ' ' });
                    expr(s, d);
                }
                s.push_str(") ");
                expr(s, e);
                s.push(')');
            }
            s.push_str(" (else ");
            expr(s, otherwise);
            s.push_str("))");
        }
        Expr::And(es) | Expr::Or(es) => {
            s.push_str(if matches!(e, Expr::And(_)) {
                "(and"
            } else {
                "(or"
            });
            exprs(s, es);
            s.push(')');
        }
        Expr::Let(kind, bs, b) => {
            s.push_str(match kind {
                LetKind::Let => "(let ",
                LetKind::LetStar => "(let* ",
                LetKind::Letrec => "(letrec ",
            });
            bindings(s, bs);
            body(s, b);
            s.push(')');
        }
        Expr::NamedLet(name, bs, b) => {
            let _ = write!(s, "(let {name} ");
            bindings(s, bs);
            body(s, b);
            s.push(')');
        }
        Expr::Lambda(l) => {
            s.push_str("(lambda (");
            s.push_str(&l.params.join(" "));
            s.push(')');
            body(s, &l.body);
            s.push(')');
        }
    }
}
