//! The reference interpreter: a tree walker over the generated AST, with
//! exact integers of any size (`num-bigint`), printing as `write` and
//! `display` do. It knows nothing of how `schemec` compiles, so the two
//! agreeing is evidence. It also refuses what the generator should not
//! make (a `car` of `()`, a huge integer, a run too long): such a program
//! is discarded, not compared.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{Signed, ToPrimitive, Zero};

use crate::ast::*;

#[derive(Clone)]
pub enum Value {
    Int(BigInt),
    Bool(bool),
    Char(char),
    Str(Rc<str>),
    Sym(&'static str),
    Nil,
    Pair(Rc<(Value, Value)>),
    Vector(Rc<RefCell<Vec<Value>>>),
    Proc(Rc<Closure>),
    Unspecified,
}

pub struct Closure {
    params: Vec<String>,
    body: ClosureBody,
    env: Env,
}

/// A lambda's body, or a named let's.
enum ClosureBody {
    Lambda(Rc<Lambda>),
    Named(Rc<Body>),
}

/// A chain of bindings; each binding is a mutable cell (for `set!`).
type Env = Option<Rc<Binding>>;

pub struct Binding {
    name: String,
    value: RefCell<Value>,
    next: Env,
}

fn bind(env: &Env, name: &str, value: Value) -> Env {
    Some(Rc::new(Binding {
        name: name.to_string(),
        value: RefCell::new(value),
        next: env.clone(),
    }))
}

fn lookup<'e>(env: &'e Env, name: &str) -> Result<&'e Binding, String> {
    let mut e = env;
    while let Some(b) = e {
        if b.name == name {
            return Ok(b);
        }
        e = &b.next;
    }
    Err(format!("unbound {name}"))
}

type R<T> = Result<T, String>;

/// Evaluation steps allowed per program, and the largest integer (bits).
const MAX_STEPS: u64 = 1_000_000;
const MAX_BITS: u64 = 2048;
/// Bytes of output per program.
const MAX_OUTPUT: usize = 20_000;

pub struct Interp {
    pub out: String,
    steps: Cell<u64>,
}

impl Interp {
    pub fn new() -> Interp {
        Interp {
            out: String::new(),
            steps: Cell::new(0),
        }
    }

    /// Run a program: its output, or why it is not a fair test.
    pub fn run(program: &Program) -> R<String> {
        let mut it = Interp::new();
        // Top-level definitions see each other in order; a global's
        // binding is made before its value (procedures may recur).
        let mut env: Env = None;
        for form in &program.forms {
            match form {
                Top::Define(name, value) => {
                    env = bind(&env, name, Value::Unspecified);
                    let v = it.eval(value, &env)?;
                    *lookup(&env, name)?.value.borrow_mut() = v;
                }
                Top::Stmt(s) => it.stmt(s, &env)?,
            }
        }
        Ok(it.out)
    }

    fn tick(&self) -> R<()> {
        self.charge(1)
    }

    /// Count `n` steps: operations on lists, strings and vectors cost
    /// their length, so that a loop of `append`s cannot build a list of
    /// exponential size within the step limit.
    fn charge(&self, n: usize) -> R<()> {
        let n = self.steps.get() + n as u64;
        self.steps.set(n);
        if n > MAX_STEPS {
            return Err("too many steps".into());
        }
        Ok(())
    }

    fn stmt(&mut self, s: &Stmt, env: &Env) -> R<()> {
        self.tick()?;
        match s {
            Stmt::Set(name, e) => {
                let v = self.eval(e, env)?;
                *lookup(env, name)?.value.borrow_mut() = v;
            }
            Stmt::VectorSet(name, i, x) => {
                let v = lookup(env, name)?.value.borrow().clone();
                let Value::Vector(items) = v else {
                    return Err("not a vector".into());
                };
                let i = int(self.eval(i, env)?)?;
                let x = self.eval(x, env)?;
                let len = items.borrow().len();
                let k = i.mod_floor(&BigInt::from(len)).to_usize().expect("index");
                items.borrow_mut()[k] = x;
            }
            Stmt::Write(e) | Stmt::Display(e) => {
                let v = self.eval(e, env)?;
                self.charge(size(&v))?;
                print(&v, matches!(s, Stmt::Write(_)), &mut self.out);
                if self.out.len() > MAX_OUTPUT {
                    return Err("too much output".into());
                }
            }
            Stmt::Newline => self.out.push('\n'),
            Stmt::When(unless, test, body) => {
                if truthy(&self.eval(test, env)?) != *unless {
                    for s in body {
                        self.stmt(s, env)?;
                    }
                }
            }
            Stmt::ForEach(x, body, list) => {
                let l = self.eval(list, env)?;
                for item in list_items(&l)? {
                    let env = bind(env, x, item);
                    for s in body {
                        self.stmt(s, &env)?;
                    }
                }
            }
            Stmt::Call(f) => {
                let p = lookup(env, f)?.value.borrow().clone();
                self.apply(&p, vec![])?;
            }
        }
        Ok(())
    }

    fn body(&mut self, b: &Body, env: &Env) -> R<Value> {
        let mut env = env.clone();
        for (name, init) in &b.defs {
            env = bind(&env, name, Value::Unspecified);
            let v = self.eval(init, &env)?;
            *lookup(&env, name)?.value.borrow_mut() = v;
        }
        for s in &b.stmts {
            self.stmt(s, &env)?;
        }
        self.eval(&b.result, &env)
    }

    fn apply(&mut self, p: &Value, args: Vec<Value>) -> R<Value> {
        self.tick()?;
        let Value::Proc(c) = p else {
            return Err("not a procedure".into());
        };
        if c.params.len() != args.len() {
            return Err("arity".into());
        }
        let mut env = c.env.clone();
        for (p, a) in c.params.iter().zip(args) {
            env = bind(&env, p, a);
        }
        match &c.body {
            ClosureBody::Lambda(l) => self.body(&l.body, &env),
            ClosureBody::Named(b) => self.body(b, &env),
        }
    }

    pub fn eval(&mut self, e: &Expr, env: &Env) -> R<Value> {
        self.tick()?;
        Ok(match e {
            Expr::Int(n) => Value::Int(n.clone()),
            Expr::Bool(b) => Value::Bool(*b),
            Expr::Char(c) => Value::Char(*c),
            Expr::Str(s) => Value::Str(s.as_str().into()),
            Expr::Sym(s) => Value::Sym(s),
            Expr::QuoteList(items) => list(items.iter().map(|n| Value::Int(n.clone())).collect()),
            Expr::Var(name) => lookup(env, name)?.value.borrow().clone(),
            Expr::Prim(p, args) => {
                let mut vs = Vec::with_capacity(args.len());
                for a in args {
                    vs.push(self.eval(a, env)?);
                }
                self.prim(p, vs)?
            }
            Expr::App(f, args) => {
                let p = lookup(env, f)?.value.borrow().clone();
                let mut vs = Vec::with_capacity(args.len());
                for a in args {
                    vs.push(self.eval(a, env)?);
                }
                self.apply(&p, vs)?
            }
            Expr::AppLambda(l, args) => {
                let mut vs = Vec::with_capacity(args.len());
                for a in args {
                    vs.push(self.eval(a, env)?);
                }
                let p = closure(l, env);
                self.apply(&p, vs)?
            }
            Expr::If(c, t, f) => {
                if truthy(&self.eval(c, env)?) {
                    self.eval(t, env)?
                } else {
                    self.eval(f, env)?
                }
            }
            Expr::Cond(clauses, otherwise) => {
                for (test, e) in clauses {
                    if truthy(&self.eval(test, env)?) {
                        return self.eval(e, env);
                    }
                }
                self.eval(otherwise, env)?
            }
            Expr::Case(key, clauses, otherwise) => {
                let k = self.eval(key, env)?;
                for (data, e) in clauses {
                    for d in data {
                        if eqv(&k, &self.eval(d, env)?) {
                            return self.eval(e, env);
                        }
                    }
                }
                self.eval(otherwise, env)?
            }
            Expr::And(es) => {
                let mut v = Value::Bool(true);
                for e in es {
                    v = self.eval(e, env)?;
                    if !truthy(&v) {
                        break;
                    }
                }
                v
            }
            Expr::Or(es) => {
                let mut v = Value::Bool(false);
                for e in es {
                    v = self.eval(e, env)?;
                    if truthy(&v) {
                        break;
                    }
                }
                v
            }
            Expr::Let(kind, bs, b) => {
                let mut new = env.clone();
                match kind {
                    LetKind::Let => {
                        for (name, init) in bs {
                            let v = self.eval(init, env)?;
                            new = bind(&new, name, v);
                        }
                    }
                    LetKind::LetStar => {
                        for (name, init) in bs {
                            let v = self.eval(init, &new)?;
                            new = bind(&new, name, v);
                        }
                    }
                    LetKind::Letrec => {
                        for (name, _) in bs {
                            new = bind(&new, name, Value::Unspecified);
                        }
                        for (name, init) in bs {
                            let v = self.eval(init, &new)?;
                            *lookup(&new, name)?.value.borrow_mut() = v;
                        }
                    }
                }
                self.body(b, &new)?
            }
            Expr::NamedLet(name, bs, b) => {
                let mut vs = Vec::new();
                for (_, init) in bs {
                    vs.push(self.eval(init, env)?);
                }
                let loop_env = bind(env, name, Value::Unspecified);
                let p = Value::Proc(Rc::new(Closure {
                    params: bs.iter().map(|(n, _)| n.clone()).collect(),
                    body: ClosureBody::Named(b.clone()),
                    env: loop_env.clone(),
                }));
                *lookup(&loop_env, name)?.value.borrow_mut() = p.clone();
                self.apply(&p, vs)?
            }
            Expr::Lambda(l) => closure(l, env),
        })
    }

    fn prim(&mut self, p: &str, mut a: Vec<Value>) -> R<Value> {
        for v in &a {
            self.charge(size(v))?;
        }
        let ints = |a: &[Value]| a.iter().cloned().map(int).collect::<R<Vec<BigInt>>>();
        let v = match p {
            "+" => Value::Int(ints(&a)?.into_iter().sum()),
            "*" => Value::Int(ints(&a)?.into_iter().product()),
            "-" => {
                let ns = ints(&a)?;
                if ns.len() == 1 {
                    Value::Int(-&ns[0])
                } else {
                    Value::Int(ns[1..].iter().fold(ns[0].clone(), |x, y| x - y))
                }
            }
            "quotient" | "remainder" | "modulo" => {
                let ns = ints(&a)?;
                if ns[1].is_zero() {
                    return Err("division by zero".into());
                }
                Value::Int(match p {
                    "quotient" => &ns[0] / &ns[1],
                    "remainder" => &ns[0] % &ns[1],
                    _ => ns[0].mod_floor(&ns[1]),
                })
            }
            "min" => Value::Int(ints(&a)?.into_iter().min().expect("operands")),
            "max" => Value::Int(ints(&a)?.into_iter().max().expect("operands")),
            "abs" => Value::Int(int(a.remove(0))?.abs()),
            "expt" => {
                let ns = ints(&a)?;
                Value::Int(num_traits::pow(
                    ns[0].clone(),
                    ns[1].to_usize().expect("small"),
                ))
            }
            "=" | "<" | ">" | "<=" | ">=" => {
                let ns = ints(&a)?;
                Value::Bool(ns.windows(2).all(|w| match p {
                    "=" => w[0] == w[1],
                    "<" => w[0] < w[1],
                    ">" => w[0] > w[1],
                    "<=" => w[0] <= w[1],
                    _ => w[0] >= w[1],
                }))
            }
            "zero?" => Value::Bool(int(a.remove(0))?.is_zero()),
            "even?" => Value::Bool(int(a.remove(0))?.is_even()),
            "odd?" => Value::Bool(int(a.remove(0))?.is_odd()),
            "positive?" => Value::Bool(int(a.remove(0))?.is_positive()),
            "negative?" => Value::Bool(int(a.remove(0))?.is_negative()),
            "not" => Value::Bool(!truthy(&a[0])),
            "equal?" => Value::Bool(equal(&a[0], &a[1])),
            "null?" => Value::Bool(matches!(a[0], Value::Nil)),
            "pair?" => Value::Bool(matches!(a[0], Value::Pair(_))),
            "number?" => Value::Bool(matches!(a[0], Value::Int(_))),
            "string?" => Value::Bool(matches!(a[0], Value::Str(_))),
            "vector?" => Value::Bool(matches!(a[0], Value::Vector(_))),
            "char?" => Value::Bool(matches!(a[0], Value::Char(_))),
            "boolean?" => Value::Bool(matches!(a[0], Value::Bool(_))),
            "string=?" => Value::Bool(string(&a[0])? == string(&a[1])?),
            // Scheme compares strings by code point, as Rust does.
            "string<?" => Value::Bool(string(&a[0])? < string(&a[1])?),
            "char=?" => Value::Bool(char(&a[0])? == char(&a[1])?),
            "char<?" => Value::Bool(char(&a[0])? < char(&a[1])?),
            "char-upcase" | "char-downcase" => {
                let c = char(&a[0])?;
                // Simple case mapping: a character that maps to several
                // (`ß` => `SS`) stays as it is.
                let mut m: Vec<char> = if p == "char-upcase" {
                    c.to_uppercase().collect()
                } else {
                    c.to_lowercase().collect()
                };
                Value::Char(if m.len() == 1 { m.remove(0) } else { c })
            }
            "char->integer" => Value::Int(BigInt::from(char(&a[0])? as u32)),
            "integer->char" => {
                let n = int(a.remove(0))?.to_u32().ok_or("char code")?;
                Value::Char(char::from_u32(n).ok_or("char code")?)
            }
            "string-length" => Value::Int(string(&a[0])?.chars().count().into()),
            "string-ref" => {
                let i = int(a[1].clone())?.to_usize().ok_or("index")?;
                Value::Char(string(&a[0])?.chars().nth(i).ok_or("index")?)
            }
            "substring" => {
                let (s, e) = (int(a[1].clone())?, int(a[2].clone())?);
                let (s, e) = (s.to_usize().ok_or("index")?, e.to_usize().ok_or("index")?);
                let text: String = string(&a[0])?.chars().skip(s).take(e - s).collect();
                Value::Str(text.into())
            }
            "string-append" => {
                let mut s = String::new();
                for v in &a {
                    s.push_str(string(v)?);
                }
                Value::Str(s.into())
            }
            "string" => Value::Str(a.iter().map(char).collect::<R<String>>()?.into()),
            "list->string" => Value::Str(
                list_items(&a[0])?
                    .iter()
                    .map(char)
                    .collect::<R<String>>()?
                    .into(),
            ),
            "number->string" => {
                let radix = if a.len() > 1 {
                    int(a[1].clone())?.to_u32().expect("radix")
                } else {
                    10
                };
                Value::Str(int(a.remove(0))?.to_str_radix(radix).to_uppercase().into())
            }
            "list" => list(a),
            "cons" => {
                let d = a.pop().expect("operands");
                let x = a.pop().expect("operands");
                Value::Pair(Rc::new((x, d)))
            }
            "car" | "cdr" => match &a[0] {
                Value::Pair(pair) => {
                    if p == "car" {
                        pair.0.clone()
                    } else {
                        pair.1.clone()
                    }
                }
                _ => return Err(format!("{p} of a non-pair")),
            },
            "length" => Value::Int(list_items(&a[0])?.len().into()),
            "list-ref" => {
                let i = int(a[1].clone())?.to_usize().ok_or("index")?;
                list_items(&a[0])?.get(i).cloned().ok_or("index")?
            }
            "append" => {
                let mut items = Vec::new();
                for v in &a {
                    items.extend(list_items(v)?);
                }
                list(items)
            }
            "reverse" => {
                let mut items = list_items(&a[0])?;
                items.reverse();
                list(items)
            }
            "map" => {
                let mut out = Vec::new();
                for x in list_items(&a[1])? {
                    out.push(self.apply(&a[0], vec![x])?);
                }
                list(out)
            }
            "vector" => Value::Vector(Rc::new(RefCell::new(a))),
            "make-vector" => {
                let k = int(a[0].clone())?.to_usize().ok_or("size")?;
                Value::Vector(Rc::new(RefCell::new(vec![a[1].clone(); k])))
            }
            "list->vector" => Value::Vector(Rc::new(RefCell::new(list_items(&a[0])?))),
            "vector->list" => match &a[0] {
                Value::Vector(items) => list(items.borrow().clone()),
                _ => return Err("not a vector".into()),
            },
            "vector-length" => match &a[0] {
                Value::Vector(items) => Value::Int(items.borrow().len().into()),
                _ => return Err("not a vector".into()),
            },
            "vector-ref" => match &a[0] {
                Value::Vector(items) => {
                    let i = int(a[1].clone())?.to_usize().ok_or("index")?;
                    items.borrow().get(i).cloned().ok_or("index")?
                }
                _ => return Err("not a vector".into()),
            },
            _ => return Err(format!("unknown primitive {p}")),
        };
        if let Value::Int(n) = &v {
            if n.bits() > MAX_BITS {
                return Err("integer too large".into());
            }
        }
        Ok(v)
    }
}

/// The length of a list (its spine), string or vector; 1 for the rest.
fn size(v: &Value) -> usize {
    match v {
        Value::Str(s) => 1 + s.len(),
        Value::Vector(items) => 1 + items.borrow().len(),
        Value::Pair(_) => {
            let mut n = 1;
            let mut v = v;
            while let Value::Pair(p) = v {
                n += 1;
                v = &p.1;
            }
            n
        }
        _ => 1,
    }
}

fn closure(l: &Rc<Lambda>, env: &Env) -> Value {
    Value::Proc(Rc::new(Closure {
        params: l.params.clone(),
        body: ClosureBody::Lambda(l.clone()),
        env: env.clone(),
    }))
}

fn truthy(v: &Value) -> bool {
    !matches!(v, Value::Bool(false))
}

fn int(v: Value) -> R<BigInt> {
    match v {
        Value::Int(n) => Ok(n),
        _ => Err("not an integer".into()),
    }
}

fn string(v: &Value) -> R<&str> {
    match v {
        Value::Str(s) => Ok(s),
        _ => Err("not a string".into()),
    }
}

fn char(v: &Value) -> R<char> {
    match v {
        Value::Char(c) => Ok(*c),
        _ => Err("not a char".into()),
    }
}

fn list(items: Vec<Value>) -> Value {
    items
        .into_iter()
        .rev()
        .fold(Value::Nil, |d, x| Value::Pair(Rc::new((x, d))))
}

fn list_items(v: &Value) -> R<Vec<Value>> {
    let mut out = Vec::new();
    let mut v = v;
    loop {
        match v {
            Value::Nil => return Ok(out),
            Value::Pair(p) => {
                out.push(p.0.clone());
                v = &p.1;
            }
            _ => return Err("not a list".into()),
        }
    }
}

fn eqv(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Char(x), Value::Char(y)) => x == y,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        _ => false,
    }
}

fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Sym(x), Value::Sym(y)) => x == y,
        (Value::Nil, Value::Nil) => true,
        (Value::Pair(x), Value::Pair(y)) => equal(&x.0, &y.0) && equal(&x.1, &y.1),
        (Value::Vector(x), Value::Vector(y)) => {
            let (x, y) = (x.borrow(), y.borrow());
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(a, b)| equal(a, b))
        }
        _ => eqv(a, b),
    }
}

/// `write` (`quote` set) or `display` of `v`.
pub fn print(v: &Value, quote: bool, out: &mut String) {
    match v {
        Value::Int(n) => out.push_str(&n.to_string()),
        Value::Bool(b) => out.push_str(if *b { "#t" } else { "#f" }),
        Value::Char(c) if quote => out.push_str(&char_name(*c)),
        Value::Char(c) => out.push(*c),
        Value::Str(s) if quote => out.push_str(&string_literal(s)),
        Value::Str(s) => out.push_str(s),
        Value::Sym(s) => out.push_str(s),
        Value::Nil => out.push_str("()"),
        Value::Pair(_) => {
            out.push('(');
            let mut v = v;
            let mut first = true;
            loop {
                match v {
                    Value::Pair(p) => {
                        if !first {
                            out.push(' ');
                        }
                        first = false;
                        print(&p.0, quote, out);
                        v = &p.1;
                    }
                    Value::Nil => break,
                    tail => {
                        out.push_str(" . ");
                        print(tail, quote, out);
                        break;
                    }
                }
            }
            out.push(')');
        }
        Value::Vector(items) => {
            out.push_str("#(");
            for (i, x) in items.borrow().iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                print(x, quote, out);
            }
            out.push(')');
        }
        Value::Proc(_) => out.push_str("#<procedure>"),
        Value::Unspecified => {}
    }
}
