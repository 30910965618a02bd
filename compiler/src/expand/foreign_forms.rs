//! `foreign-procedure` and `foreign-callable` (issue 16; Chez Scheme's
//! forms): each becomes a core expression over a signature the program
//! records, compiled by `codegen/foreign.rs`.
//!
//!   (foreign-procedure "strlen" (string) size_t)  => Expr::Foreign(id)
//!   (foreign-callable proc (int int) int)         => Expr::Callable(id, proc)

use super::*;
use crate::foreign::{parse_type, ForeignSig};
use scheme_runtime::c_ffi::CType;

impl Expander<'_> {
    /// The types of `(type ...)` and of `result`.
    fn signature(&self, params: &Sexp, result: &Sexp, form: &str) -> Result<(Vec<CType>, CType)> {
        let Some(items) = params.list() else {
            return err(
                params.span,
                format!("`{form}` needs a list of parameter types, e.g. `(int double)`"),
            );
        };
        let one = |s: &Sexp| -> Result<CType> {
            let Some(name) = s.sym() else {
                return err(
                    s.span,
                    "a foreign type is a symbol such as `int` or `double`",
                );
            };
            parse_type(hygiene::base_name(name)).map_err(|m| Diagnostic::new(s.span, m))
        };
        let mut types = Vec::new();
        for s in items {
            if s.sym().map(hygiene::base_name) == Some("...") {
                return err(
                    s.span,
                    "variadic C functions are not supported as such: declare the types of the arguments one call passes, e.g. `(foreign-procedure __varargs \"printf\" (string int) int)`, one definition per argument list",
                );
            }
            let t = one(s)?;
            if t == CType::Void {
                return err(s.span, "`void` is only a result type");
            }
            types.push(t);
        }
        Ok((types, one(result)?))
    }

    /// Check the calling conventions before a form's last three
    /// arguments (Chez: `__varargs`, `(__varargs_after n)`, ...); none
    /// changes the code here.
    fn conventions<'a>(&self, args: &'a [Sexp], form: &str) -> Result<&'a [Sexp]> {
        let n = args.len().saturating_sub(3);
        for c in &args[..n] {
            let known = match (&c.kind, c.sym().map(hygiene::base_name)) {
                // x86-64 has one C convention; variadic calls already get
                // `al` (the SSE argument count); one thread, so a call
                // that lets others collect changes nothing.
                (_, Some("__cdecl" | "__varargs" | "__collect_safe")) => true,
                (SexpKind::Bool(false), _) => true,
                _ => c.list().is_some_and(|l| {
                    matches!(l, [head, n] if head.sym().map(hygiene::base_name) == Some("__varargs_after")
                        && matches!(n.kind, SexpKind::Int(_)))
                }),
            };
            if !known {
                return err(
                    c.span,
                    format!("`{form}`: unknown or unsupported convention (supported: #f, __cdecl, __varargs, (__varargs_after n), __collect_safe)"),
                );
            }
        }
        Ok(&args[n..])
    }

    pub(super) fn foreign_procedure(&mut self, args: &[Sexp], span: Span) -> Result<Expr> {
        let args = self.conventions(args, "foreign-procedure")?;
        let [name, params, result] = args else {
            return err(
                span,
                "`foreign-procedure` takes a C function's name, its parameter types and its result type: `(foreign-procedure \"strlen\" (string) size_t)`",
            );
        };
        let SexpKind::Str(c_name) = &name.kind else {
            return err(
                name.span,
                "the C function's name must be a string literal (a function chosen at run time is not supported)",
            );
        };
        let (params, result) = self.signature(params, result, "foreign-procedure")?;
        self.prims
            .shared
            .check(c_name)
            .map_err(|m| Diagnostic::new(name.span, m))?;
        let sig = ForeignSig {
            name: c_name.clone(),
            params,
            result,
        };
        // One compiled procedure per signature, however often it is named.
        let id = match self.foreign.iter().position(|s| *s == sig) {
            Some(id) => id,
            None => {
                self.foreign.push(sig);
                self.foreign.len() - 1
            }
        };
        Ok(Expr::Foreign(id))
    }

    pub(super) fn foreign_callable(&mut self, args: &[Sexp], span: Span) -> Result<Expr> {
        let args = self.conventions(args, "foreign-callable")?;
        let [procedure, params, result] = args else {
            return err(
                span,
                "`foreign-callable` takes a procedure, its parameter types and its result type: `(foreign-callable compare (void* void*) int)`",
            );
        };
        let (params, result) = self.signature(params, result, "foreign-callable")?;
        scheme_runtime::c_callable::check_signature(&params, result)
            .map_err(|m| Diagnostic::new(span, m))?;
        let name = match procedure.sym() {
            Some(s) => hygiene::base_name(s).to_owned(),
            None => "lambda".into(),
        };
        let procedure = self.expr(procedure)?;
        self.callables.push(ForeignSig {
            name,
            params,
            result,
        });
        Ok(Expr::Callable(
            self.callables.len() - 1,
            Box::new(procedure),
            span,
        ))
    }
}
