//! Procedures and constants: prologues, arity and stack checks, procedure info words, the start-up code that builds quoted data, the import tables of plugins.

use std::fmt::Write;

use super::*;

impl<'a> Codegen<'a> {
    /// The shared error path of a procedure called with a wrong number of
    /// arguments (closure in `rdi`, count in `esi`).
    pub(super) fn arity_stub(&mut self) -> String {
        self.stub("wrong number of arguments".into(), |_| {
            "    mov rdx, rsi\n    mov rsi, rdi\n    mov rdi, r15\n    call scm_error_arity\n"
                .into()
        })
    }

    pub(super) fn overflow_stub(&mut self) -> String {
        self.stub("stack overflow".into(), |_| {
            "    mov rdi, r15\n    call scm_error_stack_overflow\n".into()
        })
    }

    pub(super) fn lambda_code(&mut self, l: &'a Lambda, label: &str) {
        let outer_info = std::mem::replace(&mut self.proc_info, format!("{label}.info"));
        let outer_pairs = std::mem::take(&mut self.known_pairs);
        self.lambda_body(l, label);
        self.proc_info = outer_info;
        self.known_pairs = outer_pairs;
    }

    pub(super) fn lambda_body(&mut self, l: &'a Lambda, label: &str) {
        let n = l.params.len();
        let mut p = Proc {
            lambda: Some(l as *const Lambda),
            code: String::new(),
            locs: HashMap::new(),
            closure_slot: None,
        };
        for (i, &v) in l.params.iter().enumerate() {
            p.locs.insert(v, Loc::Slot(i));
        }
        let arity_stub = self.arity_stub();
        let overflow_stub = self.overflow_stub();
        let mut d = n;
        if let Some(rest) = l.rest {
            self.emit(&mut p, &format!("cmp esi, {n}"));
            self.emit(&mut p, &format!("jb {arity_stub}"));
            self.emit(
                &mut p,
                &format!("cmp rsp, qword ptr [r15 + {}]", abi::CTX_STACK_LIMIT),
            );
            self.emit(&mut p, &format!("jb {overflow_stub}"));
            // Collect the extra arguments into a list in slot n (below the
            // arguments, so the call cannot overwrite them).
            self.emit(&mut p, "mov rbx, rdi  # keep the closure");
            self.emit(&mut p, "mov r12, rsp");
            self.emit(&mut p, "mov edx, esi");
            self.emit(&mut p, "lea rax, [rdx * 8 + 8]");
            self.emit(&mut p, "sub rsp, rax");
            self.emit(&mut p, "and rsp, -16");
            self.emit(&mut p, "mov rdi, r15");
            self.emit(&mut p, "mov rsi, r12");
            self.emit(&mut p, &format!("mov ecx, {n}"));
            self.emit(&mut p, "call scm_collect_rest");
            self.emit(&mut p, "mov rsp, r12");
            self.emit(
                &mut p,
                &format!(
                    "mov {}, rax  # rest: {}",
                    slot(n),
                    self.program.vars[rest].name
                ),
            );
            self.emit(&mut p, "mov rdi, rbx");
            p.locs.insert(rest, Loc::Slot(n));
            d += 1;
        } else {
            self.emit(&mut p, &format!("cmp esi, {n}"));
            self.emit(&mut p, &format!("jne {arity_stub}"));
            // Known callers (arity checked at compile time) enter here.
            self.place(&mut p, &format!("{label}.direct"));
            // A leaf's frame is the last on the stack (its callers checked
            // theirs): deep recursion always passes through a check.
            if !self.is_leaf(&l.body) {
                self.emit(
                    &mut p,
                    &format!("cmp rsp, qword ptr [r15 + {}]", abi::CTX_STACK_LIMIT),
                );
                self.emit(&mut p, &format!("jb {overflow_stub}"));
            }
        }
        if !l.free.is_empty() {
            self.emit(&mut p, &format!("mov {}, rdi  # own closure", slot(d)));
            p.closure_slot = Some(d);
            for (j, &v) in l.free.iter().enumerate() {
                p.locs.insert(v, Loc::Free(j));
            }
            d += 1;
        }
        // Self tail calls jump here with the new arguments in place.
        self.place(&mut p, &format!("{label}.loop"));
        for (i, &v) in l.params.iter().chain(&l.rest).enumerate() {
            self.box_slot(&mut p, v, i, d);
        }
        self.expr(&mut p, &l.body, d, true);

        let name = if l.name.is_empty() { "lambda" } else { &l.name };
        let name_label = format!("{label}.name");
        let _ = writeln!(
            self.rodata,
            "{name_label}:\n    .ascii \"{}\"",
            escape_ascii(name.as_bytes())
        );
        let _ = writeln!(
            self.data,
            "    .p2align 3\n{label}.info:\n    .quad {name_label}, {}",
            name.len()
        );
        let line = self
            .sources
            .locate(l.span.start)
            .map_or(0, |(_, line, _)| line);
        let params: Vec<&str> = l
            .params
            .iter()
            .map(|&v| self.program.vars[v].name.as_str())
            .collect();
        let rest = l
            .rest
            .map(|v| format!(" . {}", self.program.vars[v].name))
            .unwrap_or_default();
        // No alignment directive: GNU as relaxes branches in passes over
        // the whole section, and alignment padding between branches made
        // the number of passes grow with the program (a 10,000-line
        // program took 5 s to assemble, a 100,000-line one minutes). The
        // `ProcInfo` word before the code is read unaligned.
        let _ = writeln!(
            self.text,
            "\n# procedure `{name}` ({}{rest}), line {line}\n    .quad {label}.info - .\n{label}:\n{}",
            params.join(" "),
            jumps::clean_jumps(&p.code)
        );
    }

    /// Code of `scheme_init_constants`: build each heap constant and store
    /// it in its data slot.
    pub(super) fn constants_code(&mut self) -> String {
        let mut p = Proc {
            lambda: None,
            code: String::new(),
            locs: HashMap::new(),
            closure_slot: None,
        };
        for (label, datum) in std::mem::take(&mut self.constants) {
            self.build_datum(&mut p, &datum, 0);
            self.emit(&mut p, &format!("mov qword ptr [rip + {label}], rax"));
        }
        self.emit(&mut p, "ret");
        p.code
    }

    /// `library_N.imports: [count][name, len, array slot, fast slot]...`,
    /// read by `scm_load_library`.
    pub(super) fn import_tables(&mut self) {
        for (i, uses) in std::mem::take(&mut self.imports).into_iter().enumerate() {
            let _ = writeln!(
                self.data,
                "    .p2align 3\nlibrary_{i}.imports:\n    .quad {}",
                uses.len()
            );
            for (prim, closure, fast) in uses {
                let name = self.literal_bytes(prim.name.as_bytes());
                let fast = fast.unwrap_or_else(|| "0".into());
                let _ = writeln!(
                    self.data,
                    "    .quad {name}, {}, {closure} + 16, {fast}",
                    prim.name.len()
                );
            }
        }
    }

    pub(super) fn literal_bytes(&mut self, bytes: &[u8]) -> String {
        let l = self.label("literal");
        let _ = writeln!(self.rodata, "{l}:\n    .ascii \"{}\"", escape_ascii(bytes));
        l
    }

    /// Build `datum` into `rax` (slots `d..` are free).
    pub(super) fn build_datum(&mut self, p: &mut Proc, datum: &Datum, d: usize) {
        if let Some(imm) = immediate(datum) {
            self.emit(p, &format!("mov rax, {imm:#x}"));
            return;
        }
        let frame = 8 * odd(d);
        match datum {
            Datum::Str(_) | Datum::Sym(_) | Datum::Number(_) | Datum::Bytevector(_) => {
                let (s, f) = match datum {
                    Datum::Str(s) => (s.as_bytes(), "scm_string_literal"),
                    Datum::Sym(s) => (s.as_bytes(), "scm_symbol_literal"),
                    Datum::Bytevector(b) => (b.as_slice(), "scm_bytevector_literal"),
                    Datum::Number(s) => (s.as_bytes(), "scm_number_literal"),
                    _ => unreachable!("matched above"),
                };
                let l = self.literal_bytes(s);
                self.emit(p, "mov rdi, r15");
                self.emit(p, &format!("lea rsi, [rip + {l}]"));
                self.emit(p, &format!("mov edx, {}", s.len()));
                self.emit(p, &format!("sub rsp, {frame}"));
                self.emit(p, &format!("call {f}"));
                self.emit(p, &format!("add rsp, {frame}"));
            }
            Datum::Pair(..) => {
                // Walk the spine, then cons from the end (no deep recursion).
                let mut items = Vec::new();
                let mut tail = datum;
                while let Datum::Pair(a, b) = tail {
                    items.push(a.as_ref());
                    tail = b;
                }
                self.build_datum(p, tail, d);
                for item in items.into_iter().rev() {
                    // cons(item, rest): argv = [item, rest] ascending.
                    self.emit(p, &format!("mov {}, rax", slot(d)));
                    self.build_datum(p, item, d + 2);
                    self.emit(p, &format!("mov {}, rax", slot(d + 1)));
                    let cons = self.prims.get("cons").expect("cons is built in").symbol;
                    self.raw_prim_call(p, cons, d, 2);
                }
            }
            Datum::Vector(items) => {
                let n = items.len();
                for (i, item) in items.iter().enumerate() {
                    self.build_datum(p, item, d + n);
                    self.emit(p, &format!("mov {}, rax", slot(d + n - 1 - i)));
                }
                let vector = self.prims.get("vector").expect("vector is built in").symbol;
                self.raw_prim_call(p, vector, d, n);
            }
            _ => unreachable!("immediates handled above"),
        }
    }

    /// Call primitive `symbol` on the `n` arguments in slots `d+n-1 .. d`.
    pub(super) fn raw_prim_call(&mut self, p: &mut Proc, symbol: &str, d: usize, n: usize) {
        let frame = 8 * odd(d + n);
        self.emit(p, "mov rdi, r15");
        self.emit(p, &format!("lea rsi, [rsp - {}]", 8 * (d + n)));
        self.emit(p, &format!("mov edx, {n}"));
        self.emit(p, &format!("sub rsp, {frame}"));
        self.emit(p, &format!("call {symbol}"));
        self.emit(p, &format!("add rsp, {frame}"));
    }

    /// Does a procedure with this body make no call that returns to it (a
    /// call not in tail position)? Inline loops are part of the body; the
    /// runtime functions of primitives have the stack margin below the
    /// limit, and what they call checks for itself.
    fn is_leaf(&self, body: &Expr) -> bool {
        let mut todo = vec![(body, true)];
        while let Some((e, tail)) = todo.pop() {
            match e {
                Expr::Call(f, args, _) | Expr::Apply(f, args, _) => {
                    if !tail {
                        return false;
                    }
                    todo.push((f, false));
                    todo.extend(args.iter().map(|a| (a, false)));
                }
                Expr::If(c, t, f) => todo.extend([(&**c, false), (&**t, tail), (&**f, tail)]),
                Expr::Seq(es) => {
                    let (last, init) = es.split_last().expect("sequences are not empty");
                    todo.extend(init.iter().map(|x| (x, false)));
                    todo.push((last, tail));
                }
                Expr::Let(bindings, body) => {
                    todo.extend(bindings.iter().map(|(_, x)| (x, false)));
                    todo.push((body, tail));
                }
                Expr::Letrec(bindings, body) => {
                    // An inline loop's body runs in this frame (as `expr`
                    // compiles it); other procedures' bodies do not.
                    if let [(v, l)] = &bindings[..] {
                        if self.loops.contains(v) {
                            todo.push((&l.body, tail));
                        }
                    }
                    todo.push((body, tail));
                }
                Expr::Inlined(i) => todo.push((&i.body, tail)),
                // Another procedure's body.
                Expr::Lambda(_) => {}
                e => e.for_each_child(|x| todo.push((x, false))),
            }
        }
        true
    }
}
