//! Record operations compiled inline (what `define-record-type` expands
//! into: expand/records.rs): a tag and header check, a comparison of the
//! record's descriptor word with the type, then a load or a store. A value
//! of another type jumps to an error stub of the call site, which calls
//! `scm_error_record` (`who: argument 1: expected TYPE, got VALUE`).
//!
//!   (%record-ref r rtd i 'who)     => check r; load field i
//!   (%record-set! r rtd i v 'who)  => check r; store v in field i
//!   (%record? x rtd)               => the same check, as a boolean
//!   (f a ...)  where `f` is a known procedure whose body is one of these
//!              over its parameters, in order => the operation on `a ...`
//!
//! So `(point-x p)` is a check and a load at the call site, with no call.
//! The index is not checked: these `%` primitives are the expansion's,
//! and it passes indexes of the type's fields. A descriptor variable that
//! is still unbound holds `abi::UNBOUND`, which no record holds: the check
//! fails and the runtime reports the accessor as used before its definition.

use scheme_runtime::abi;
use scheme_runtime::registry::PrimDesc;

use super::{slot, Codegen, Proc};
use crate::ast::{Datum, Expr};

pub(super) enum RecordOp<'a> {
    Ref {
        obj: &'a Expr,
        rtd: &'a Expr,
        index: usize,
        who: &'a str,
    },
    Set {
        obj: &'a Expr,
        rtd: &'a Expr,
        index: usize,
        value: &'a Expr,
        who: &'a str,
    },
    Is {
        obj: &'a Expr,
        rtd: &'a Expr,
    },
}

impl<'a> RecordOp<'a> {
    /// The inline operation that `prim` applied to `args` is, if any.
    pub(super) fn of(prim: &PrimDesc, args: Vec<&'a Expr>) -> Option<RecordOp<'a>> {
        let rtd_ok = |e: &Expr| matches!(e, Expr::Global(_) | Expr::Local(_));
        let index = |e: &'a Expr| match e {
            Expr::Const(Datum::Int(i)) => usize::try_from(*i).ok(),
            _ => None,
        };
        let name = |e: &'a Expr| match e {
            Expr::Const(Datum::Sym(s)) => Some(s.as_str()),
            _ => None,
        };
        match (prim.name, args.as_slice()) {
            ("%record-ref", &[obj, rtd, i, who]) if rtd_ok(rtd) => Some(RecordOp::Ref {
                obj,
                rtd,
                index: index(i)?,
                who: name(who)?,
            }),
            ("%record-set!", &[obj, rtd, i, value, who]) if rtd_ok(rtd) => Some(RecordOp::Set {
                obj,
                rtd,
                index: index(i)?,
                value,
                who: name(who)?,
            }),
            ("%record?", &[obj, rtd]) if rtd_ok(rtd) => Some(RecordOp::Is { obj, rtd }),
            _ => None,
        }
    }
}

/// Offset of field `i` from a tagged record pointer.
fn field(i: usize) -> i64 {
    abi::RECORD_FIELDS + 8 * i as i64 - abi::TAG_OBJECT as i64
}

impl<'a> Codegen<'a> {
    /// The record operation a call `(f args ...)` stands for, when `f` is
    /// a known procedure whose body is one (an accessor, a modifier or a
    /// predicate of `define-record-type`).
    pub(super) fn inline_callee(&self, f: &'a Expr, args: &'a [Expr]) -> Option<RecordOp<'a>> {
        let l = self.known_callee(f, args.len())?;
        let mut body = &l.body;
        while let Expr::Seq(xs) = body {
            match &xs[..] {
                [x] => body = x,
                _ => return None,
            }
        }
        let Expr::PrimCall(prim, body_args, _) = body else {
            return None;
        };
        // Each parameter once, in order (the call's evaluation order);
        // anything else a constant or a global.
        let mut next = 0;
        let mut actual = Vec::new();
        for a in body_args {
            match a {
                Expr::Local(v) if l.params.get(next) == Some(v) => {
                    actual.push(&args[next]);
                    next += 1;
                }
                Expr::Const(_) | Expr::Global(_) => actual.push(a),
                _ => return None,
            }
        }
        if next != args.len() {
            return None;
        }
        RecordOp::of(prim, actual)
    }

    /// Compile `op`, leaving its value in `rax`.
    pub(super) fn record_op(&mut self, p: &mut Proc, op: RecordOp<'a>, d: usize) {
        match op {
            RecordOp::Ref {
                obj,
                rtd,
                index,
                who,
            } => {
                self.expr(p, obj, d, false);
                self.load_rtd(p, rtd);
                let stub = self.record_error_stub(who);
                self.check_record(p, &stub);
                self.emit(p, &format!("mov rax, qword ptr [rax + {}]", field(index)));
            }
            RecordOp::Set {
                obj,
                rtd,
                index,
                value,
                who,
            } => {
                self.expr(p, obj, d, false);
                if self.is_simple(value) {
                    self.load_simple(p, value, "r9");
                } else {
                    self.emit(p, &format!("mov {}, rax", slot(d)));
                    self.expr(p, value, d + 1, false);
                    self.emit(p, "mov r9, rax");
                    self.emit(p, &format!("mov rax, {}", slot(d)));
                }
                self.load_rtd(p, rtd);
                let stub = self.record_error_stub(who);
                self.check_record(p, &stub);
                self.emit(p, &format!("mov qword ptr [rax + {}], r9", field(index)));
                self.write_barrier_for(p, "rax", value);
                self.emit(p, &format!("mov eax, {:#x}", abi::UNSPECIFIED));
            }
            RecordOp::Is { obj, rtd } => {
                self.expr(p, obj, d, false);
                self.load_rtd(p, rtd);
                let (no, done) = (self.label("not_record"), self.label("done"));
                self.check_record(p, &no);
                self.emit(p, &format!("mov eax, {:#x}", abi::TRUE));
                self.emit(p, &format!("jmp {done}"));
                self.place(p, &no);
                self.emit(p, &format!("mov eax, {:#x}", abi::FALSE));
                self.place(p, &done);
            }
        }
    }

    /// The type descriptor into `rcx` (a global unchecked: see the header).
    fn load_rtd(&mut self, p: &mut Proc, rtd: &'a Expr) {
        match rtd {
            Expr::Global(g) => self.load_global(p, *g, "rcx"),
            _ => self.load_simple(p, rtd, "rcx"),
        }
    }

    /// Jump to `fail` unless `rax` is a record whose descriptor is `rcx`
    /// (clobbers `edx`).
    fn check_record(&mut self, p: &mut Proc, fail: &str) {
        let tag = abi::TAG_OBJECT;
        self.emit(p, "mov edx, eax");
        self.emit(p, "and edx, 7");
        self.emit(p, &format!("cmp edx, {tag}"));
        self.emit(p, &format!("jne {fail}"));
        self.emit(
            p,
            &format!("cmp byte ptr [rax - {tag}], {}", abi::TYPE_RECORD),
        );
        self.emit(p, &format!("jne {fail}"));
        let rtd = abi::RECORD_RTD - tag as i64;
        self.emit(p, &format!("cmp rcx, qword ptr [rax + {rtd}]"));
        self.emit(p, &format!("jne {fail}"));
    }

    /// The error path of this site: the value in `rax` is not a record of
    /// the type in `rcx`.
    fn record_error_stub(&mut self, who: &str) -> String {
        let who = self.cstring(who);
        self.site_stub(&format!(
            "    mov rdx, rcx\n    mov rcx, rax\n    lea rsi, [rip + {who}]\n    mov rdi, r15\n    call scm_error_record\n"
        ))
    }
}
