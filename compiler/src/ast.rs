//! The core language that the expander produces and the back end compiles.
//! Every variable is resolved: a local (unique `VarId`), a global, or a
//! primitive from the registry.

use crate::diag::Span;
use scheme_runtime::registry::PrimDesc;

pub type VarId = usize;
pub type GlobalId = usize;

/// Quoted data and literals.
#[derive(Clone, Debug, PartialEq)]
pub enum Datum {
    /// A fixnum.
    Int(i64),
    /// Any other number, in its written form (`number_syntax::format`).
    Number(String),
    Bool(bool),
    Char(char),
    Str(String),
    Sym(String),
    Nil,
    Unspecified,
    Pair(Box<Datum>, Box<Datum>),
    Vector(Vec<Datum>),
    Bytevector(Vec<u8>),
}

#[derive(Clone, Debug)]
pub enum Expr {
    Const(Datum),
    Local(VarId),
    Global(GlobalId),
    /// A primitive used as a value.
    PrimRef(&'static PrimDesc),
    SetLocal(VarId, Box<Expr>),
    /// `set!` or `define` of a top-level variable.
    SetGlobal(GlobalId, Box<Expr>),
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    /// Never empty.
    Seq(Vec<Expr>),
    Lambda(Box<Lambda>),
    Call(Box<Expr>, Vec<Expr>, Span),
    /// A call of a known primitive with an argument count it accepts.
    PrimCall(&'static PrimDesc, Vec<Expr>, Span),
    /// `(apply f arg ... list)` with the primitive `apply`.
    Apply(Box<Expr>, Vec<Expr>, Span),
    Let(Vec<(VarId, Expr)>, Box<Expr>),
    /// Mutually recursive procedures (from `letrec`, named `let`, `do` and
    /// internal definitions whose values are all lambdas).
    Letrec(Vec<(VarId, Lambda)>, Box<Expr>),
    /// `(foreign-procedure ...)`: the compiled procedure for signature
    /// `Program::foreign[id]` (a static closure).
    Foreign(usize),
    /// `(foreign-callable proc ...)`: a new callable for `proc` with the
    /// entry stub of `Program::callables[id]`.
    Callable(usize, Box<Expr>, Span),
    /// A procedure's body inlined at one of its calls (`inline_calls`).
    Inlined(Box<Inlined>),
}

/// Code inlined from procedure `name`, called at `call`: backtraces show
/// a frame of `name` for the code in `body` (`codegen`'s inline frames).
#[derive(Clone, Debug)]
pub struct Inlined {
    pub name: String,
    pub call: Span,
    pub body: Expr,
    /// The global `name` is bound to, when a later top-level form defines
    /// it: the call first checks that the definition has run (and reports
    /// it at `call` if not), as the call it replaces did.
    pub defined_check: Option<GlobalId>,
}

impl Expr {
    /// Call `f` on each expression directly inside `e` (a lambda's body
    /// counts), in no particular order: for walks that keep their own stack.
    pub fn for_each_child<'e>(&'e self, mut f: impl FnMut(&'e Expr)) {
        match self {
            Expr::Const(_) | Expr::Local(_) | Expr::Global(_) | Expr::PrimRef(_) => {}
            Expr::Foreign(_) => {}
            Expr::SetLocal(_, x) | Expr::SetGlobal(_, x) | Expr::Callable(_, x, _) => f(x),
            Expr::If(c, t, e) => [c, t, e].into_iter().for_each(|x| f(x)),
            Expr::Seq(xs) | Expr::PrimCall(_, xs, _) => xs.iter().for_each(f),
            Expr::Call(g, xs, _) | Expr::Apply(g, xs, _) => {
                f(g);
                xs.iter().for_each(f);
            }
            Expr::Lambda(l) => f(&l.body),
            Expr::Inlined(i) => f(&i.body),
            Expr::Let(bs, body) => {
                bs.iter().for_each(|(_, x)| f(x));
                f(body);
            }
            Expr::Letrec(bs, body) => {
                bs.iter().for_each(|(_, l)| f(&l.body));
                f(body);
            }
        }
    }
}

#[derive(Clone, Debug)]
pub struct Lambda {
    /// For error messages and `write`: the name it was defined under.
    pub name: String,
    pub params: Vec<VarId>,
    pub rest: Option<VarId>,
    pub body: Expr,
    /// Free variables, in closure order (filled in by `analyze`).
    pub free: Vec<VarId>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct VarInfo {
    pub name: String,
    /// Assigned somewhere (by `set!`, or by the initialization the
    /// expander makes of `letrec` and internal definitions).
    pub mutated: bool,
    /// Assigned by a `set!` in the program.
    pub assigned: bool,
    /// Referenced from a lambda other than the one that binds it.
    pub captured: bool,
}

impl VarInfo {
    /// Lives in a heap box: assigned and shared with a closure, or assigned
    /// by `set!` at all. A continuation holds copies of stack frames, so a
    /// variable a program assigns must not live in one: re-entering the
    /// continuation would bring its old value back (the location is what
    /// a continuation shares, R7RS 3.1).
    pub fn boxed(&self) -> bool {
        self.assigned || (self.mutated && self.captured)
    }
}

#[derive(Debug)]
pub struct Program {
    pub globals: Vec<String>,
    pub vars: Vec<VarInfo>,
    pub body: Expr,
    /// Signatures of the `foreign-procedure` forms, one per distinct one.
    pub foreign: Vec<crate::foreign::ForeignSig>,
    /// Signatures of the `foreign-callable` forms, one per form.
    pub callables: Vec<crate::foreign::ForeignSig>,
}
