//! Primitives compiled inline: fixnum arithmetic and comparisons, pairs, vectors, strings, characters, with their tag checks and out-of-line slow paths (a call of the runtime primitive: the same result and error).

use std::fmt::Write;

use super::*;

impl<'a> Codegen<'a> {
    /// Evaluate `a` into `rax` and `b` into `rcx`.
    pub(super) fn two(&mut self, p: &mut Proc, a: &'a Expr, b: &'a Expr, d: usize) {
        if self.is_simple(b) {
            self.expr(p, a, d, false);
            self.load_simple(p, b, "rcx");
        } else if self.is_simple(a) {
            self.expr(p, b, d, false);
            self.emit(p, "mov rcx, rax");
            self.load_simple(p, a, "rax");
        } else {
            self.expr(p, a, d, false);
            self.emit(p, &format!("mov {}, rax", slot(d)));
            self.expr(p, b, d + 1, false);
            self.emit(p, "mov rcx, rax");
            self.emit(p, &format!("mov rax, {}", slot(d)));
        }
    }

    /// Out-of-line call of the primitive `symbol` on the values in `regs`,
    /// followed by `after`; returns its label. Inline arithmetic jumps
    /// here when an operand is not a fixnum or the result overflows: the
    /// runtime then computes with bignums or reports the type error.
    pub(super) fn slow_path(
        &mut self,
        symbol: &str,
        regs: &[&str],
        d: usize,
        after: &str,
    ) -> String {
        let slow = self.label("generic");
        let n = regs.len();
        let _ = writeln!(self.text, "{slow}:");
        for (i, r) in regs.iter().enumerate() {
            let _ = writeln!(self.text, "    mov {}, {r}", slot(d + n - 1 - i));
        }
        let call = self.call_text(symbol, odd(d + n), true);
        let _ = write!(
            self.text,
            "    mov rdi, r15\n    lea rsi, [rsp - {}]\n    mov edx, {n}\n{call}{after}",
            8 * (d + n)
        );
        slow
    }

    /// What a slow path does with the runtime's result: go on at `done`
    /// with it in `rax`, or (an `if` test) jump to `false_label` if it is
    /// `#f` and else to `done`.
    pub(super) fn after_slow_call(false_label: Option<&str>, done: &str) -> String {
        match false_label {
            Some(no) => format!(
                "    cmp rax, {:#x}\n    je {no}\n    jmp {done}\n",
                abi::FALSE
            ),
            None => format!("    jmp {done}\n"),
        }
    }

    /// A generic slow path that returns to `done` with the result in `rax`.
    pub(super) fn slow_to(&mut self, symbol: &str, regs: &[&str], d: usize) -> (String, String) {
        let done = self.label("done");
        let slow = self.slow_path(symbol, regs, d, &format!("    jmp {done}\n"));
        self.rejoins.push(done.clone());
        (slow, done)
    }

    /// Jump to `slow` unless the operands `a` (in `rax`) and `b` (in
    /// `rcx`) are both fixnums or both characters.
    pub(super) fn operand_check(
        &mut self,
        p: &mut Proc,
        operands: Operands,
        (a, b): (&Expr, &Expr),
        slow: &str,
    ) {
        match operands {
            Operands::Fixnums => self.fixnum_check_of(p, a, b, slow),
            Operands::Chars => self.char_check(p, slow),
        }
    }

    /// `fixnum_check` for operands `a` (in `rax`) and `b` (in `rcx`): a
    /// fixnum literal needs no check, so only the other register is tested.
    pub(super) fn fixnum_check_of(&mut self, p: &mut Proc, a: &Expr, b: &Expr, slow: &str) {
        let literal = |e: &Expr| matches!(e, Expr::Const(Datum::Int(_)));
        let reg = match (literal(a), literal(b)) {
            (false, true) => "al",
            (true, false) => "cl",
            _ => return self.fixnum_check(p, slow),
        };
        self.emit(p, &format!("test {reg}, 7"));
        self.emit(p, &format!("jnz {slow}"));
    }

    /// Jump to `slow` unless both `rax` and `rcx` are characters.
    pub(super) fn char_check(&mut self, p: &mut Proc, slow: &str) {
        self.emit(p, &format!("cmp al, {:#x}", abi::CHAR_TAG));
        self.emit(p, &format!("jne {slow}"));
        self.emit(p, &format!("cmp cl, {:#x}", abi::CHAR_TAG));
        self.emit(p, &format!("jne {slow}"));
    }

    /// Jump to `slow` unless both `rax` and `rcx` are fixnums.
    pub(super) fn fixnum_check(&mut self, p: &mut Proc, slow: &str) {
        self.emit(p, "mov edx, eax");
        self.emit(p, "or edx, ecx");
        self.emit(p, "test dl, 7");
        self.emit(p, &format!("jnz {slow}"));
    }

    /// Is `e` a local known to hold a pair here (`known_pairs`)?
    pub(super) fn known_pair(&self, e: &Expr) -> bool {
        matches!(e, Expr::Local(v) if self.known_pairs.contains(v))
    }

    /// Note that `e`, if a local never assigned, holds a pair from here on.
    pub(super) fn learn_pair(&mut self, e: &Expr) {
        const MOST: usize = 16;
        let Expr::Local(v) = e else { return };
        if self.program.vars[*v].mutated || self.unboxed.contains(v) || self.known_pair(e) {
            return;
        }
        if self.known_pairs.len() == MOST {
            self.known_pairs.remove(0);
        }
        self.known_pairs.push(*v);
    }

    /// Jump to `slow` unless `rax` is a pair (clobbers `ecx`).
    pub(super) fn check_pair(&mut self, p: &mut Proc, slow: &str) {
        self.emit(p, &format!("lea ecx, [rax - {}]", abi::TAG_PAIR));
        self.emit(p, "test cl, 7");
        self.emit(p, &format!("jnz {slow}"));
    }

    /// `check_vector` for the value of `e` in `rax`, with no test when `e`
    /// is a global that always holds a vector once defined (reading it
    /// checked that it is), or a local bound to a new vector.
    pub(super) fn check_vector_of(&mut self, p: &mut Proc, e: &Expr, slow: &str) {
        let known = match e {
            Expr::Global(g) => self.known_vectors.contains(g),
            Expr::Local(v) => self.vector_locals.contains(v),
            _ => false,
        };
        if known {
            let obj = abi::TAG_OBJECT;
            self.emit(p, &format!("mov rdx, qword ptr [rax - {obj}]"));
            self.emit(
                p,
                &format!("shr rdx, {}", abi::HEADER_LENGTH_SHIFT - abi::TAG_BITS),
            );
        } else {
            self.check_vector(p, slow);
        }
    }

    /// Jump to `slow` unless `rax` is a vector; leaves its length as a
    /// fixnum in `rdx` (the header shifted so the type byte drops out).
    pub(super) fn check_vector(&mut self, p: &mut Proc, slow: &str) {
        const _: () = assert!(abi::TYPE_VECTOR >> (abi::HEADER_LENGTH_SHIFT - abi::TAG_BITS) == 0);
        let obj = abi::TAG_OBJECT;
        self.emit(p, &format!("lea edx, [rax - {obj}]"));
        self.emit(p, "test dl, 7");
        self.emit(p, &format!("jnz {slow}"));
        self.emit(p, &format!("mov rdx, qword ptr [rax - {obj}]"));
        self.emit(p, &format!("cmp dl, {}", abi::TYPE_VECTOR));
        self.emit(p, &format!("jne {slow}"));
        self.emit(
            p,
            &format!("shr rdx, {}", abi::HEADER_LENGTH_SHIFT - abi::TAG_BITS),
        );
    }

    /// Jump to `slow` unless `rcx` is a fixnum below the fixnum in `rdx`
    /// (a vector index after `check_vector`). One unsigned comparison of
    /// the tagged words: a negative index is a huge unsigned number. `rcx`
    /// is then the index times 8, a scaled address offset.
    pub(super) fn check_vector_index(&mut self, p: &mut Proc, slow: &str) {
        const _: () = assert!(abi::TAG_BITS == 3 && abi::TAG_FIXNUM == 0);
        self.emit(p, "test cl, 7");
        self.emit(p, &format!("jnz {slow}"));
        self.emit(p, "cmp rcx, rdx");
        self.emit(p, &format!("jae {slow}"));
    }

    /// The three arguments of an inline `vector-set!` or `string-set!` in
    /// `rax`, `rcx` and `r9`, and the labels of its slow path (which calls
    /// `prim` with them) and of its end.
    pub(super) fn three(
        &mut self,
        p: &mut Proc,
        prim: &PrimDesc,
        args: &'a [Expr],
        d: usize,
    ) -> (String, String) {
        // The last argument that is not simple is evaluated last, into its
        // register; the others before it into temporaries.
        let regs = ["rax", "rcx", "r9"];
        let last = (0..3).rev().find(|&i| !self.is_simple(&args[i]));
        let mut homes = [None; 3];
        let mut next = d;
        for (i, a) in args.iter().enumerate() {
            if !self.is_simple(a) && Some(i) != last {
                self.expr(p, a, next, false);
                self.emit(p, &format!("mov {}, rax", slot(next)));
                homes[i] = Some(next);
                next += 1;
            }
        }
        if let Some(i) = last {
            self.expr(p, &args[i], next, false);
            if i != 0 {
                self.emit(p, &format!("mov {}, rax", regs[i]));
            }
        }
        for (i, a) in args.iter().enumerate() {
            if Some(i) != last {
                self.load_home(p, a, homes[i], regs[i]);
            }
        }
        self.slow_to(prim.symbol, &regs, next)
    }

    /// A list of `items` ending in `tail` (`'()` if none), made by one
    /// allocation of adjacent pairs once every element is evaluated
    /// (left to right, into temporaries unless simple).
    fn build_list(&mut self, p: &mut Proc, items: &[&'a Expr], tail: Option<&'a Expr>, d: usize) {
        let n = items.len();
        let all = items.iter().copied().chain(tail);
        let (homes, next) = self.eval_to_temps(p, all, d, |cg, e| cg.is_simple(e));
        self.alloc_pairs(p, n, next);
        let size = abi::PAIR_SIZE as i64;
        for (i, a) in items.iter().enumerate() {
            let at = size * i as i64;
            self.load_home(p, a, homes[i], "rcx");
            self.emit(
                p,
                &format!("mov qword ptr [rax + {}], rcx", at + abi::PAIR_CAR),
            );
            if i + 1 < n {
                let next_pair = at + size + abi::TAG_PAIR as i64;
                self.emit(p, &format!("lea rcx, [rax + {next_pair}]"));
            } else if let Some(t) = tail {
                self.load_home(p, t, homes[n], "rcx");
            } else {
                self.emit(p, &format!("mov ecx, {:#x}", abi::NIL));
            }
            self.emit(
                p,
                &format!("mov qword ptr [rax + {}], rcx", at + abi::PAIR_CDR),
            );
        }
        self.emit(p, &format!("or rax, {}", abi::TAG_PAIR));
    }

    /// Jump to `slow` unless `rax` is a string; leaves its length in
    /// characters in `rdx` (for `check_index`).
    pub(super) fn check_string(&mut self, p: &mut Proc, slow: &str) {
        self.check_counted(p, abi::TYPE_STRING, abi::STRING_CHAR_COUNT, slow);
    }

    /// Jump to `slow` unless `rax` is an object of type `ty`; leaves the
    /// count at byte `count_at` of the object (characters, bytes) in `rdx`.
    fn check_counted(&mut self, p: &mut Proc, ty: u64, count_at: i64, slow: &str) {
        const _: () = assert!(abi::HEADER_LENGTH_SHIFT >= 8);
        let obj = abi::TAG_OBJECT as i64;
        self.emit(p, "mov edx, eax");
        self.emit(p, "and edx, 7");
        self.emit(p, &format!("cmp edx, {}", abi::TAG_OBJECT));
        self.emit(p, &format!("jne {slow}"));
        self.emit(p, &format!("cmp byte ptr [rax - {obj}], {ty}"));
        self.emit(p, &format!("jne {slow}"));
        self.emit(p, &format!("mov rdx, qword ptr [rax + {}]", count_at - obj));
    }

    /// Jump to `slow` unless `rcx` indexes the vector in `rax` (length in
    /// `rdx`); leaves the untagged index in `r8`.
    pub(super) fn check_index(&mut self, p: &mut Proc, slow: &str) {
        self.emit(p, "test cl, 7");
        self.emit(p, &format!("jnz {slow}"));
        self.emit(p, "mov r8, rcx");
        self.emit(p, &format!("sar r8, {}", abi::TAG_BITS));
        self.emit(p, "cmp r8, rdx");
        self.emit(p, &format!("jae {slow}"));
    }

    /// Jump to `no` unless the value in `rax` is an object of the type
    /// `predicate` tests (see `object_type`). Uses `rcx`.
    pub(super) fn object_type_test(&mut self, p: &mut Proc, predicate: &str, no: &str) {
        let ty = object_type(predicate).expect("an object type predicate");
        let obj = abi::TAG_OBJECT;
        self.emit(p, &format!("lea ecx, [rax - {obj}]"));
        self.emit(p, "test cl, 7");
        self.emit(p, &format!("jnz {no}"));
        self.emit(p, &format!("cmp byte ptr [rax - {obj}], {ty}"));
        self.emit(p, &format!("jne {no}"));
    }

    pub(super) fn boolean_from_flags(&mut self, p: &mut Proc, cc: &str) {
        self.emit(p, &format!("mov eax, {:#x}", abi::FALSE));
        self.emit(p, &format!("mov edx, {:#x}", abi::TRUE));
        self.emit(p, &format!("cmov{cc} eax, edx"));
    }

    /// Inline code for a primitive. Whenever an argument is of the wrong
    /// type (or arithmetic overflows) it jumps to a slow path that calls the
    /// primitive's runtime function with the same arguments, which computes
    /// the general case or reports the error, in exactly the words a
    /// non-inlined call would use.
    pub(super) fn inline_prim(
        &mut self,
        p: &mut Proc,
        prim: &PrimDesc,
        args: &'a [Expr],
        d: usize,
    ) {
        let who = prim.name;
        let car = abi::PAIR_CAR - abi::TAG_PAIR as i64;
        let cdr = abi::PAIR_CDR - abi::TAG_PAIR as i64;
        match (who, args.len()) {
            (name, 1) if is_cxr(name) => {
                self.expr(p, &args[0], d, false);
                let offset = |step| if step == 'a' { car } else { cdr };
                // c[ad]+r: apply the letters right to left.
                let mut steps = who[1..who.len() - 1].chars().rev();
                if self.known_pair(&args[0]) && name.len() == 3 {
                    let off = offset(steps.next().expect("a cxr has a step"));
                    self.emit(p, &format!("mov rax, qword ptr [rax + {off}]"));
                    return;
                }
                // The slow path wants the argument: past the first step it
                // is no longer in `rax`.
                let (slow, done) = if name.len() == 3 {
                    self.slow_to(prim.symbol, &["rax"], d)
                } else {
                    self.emit(p, "mov rdx, rax");
                    self.slow_to(prim.symbol, &["rdx"], d)
                };
                let checked = !self.known_pair(&args[0]);
                for (i, step) in steps.enumerate() {
                    if i > 0 || checked {
                        self.check_pair(p, &slow);
                    }
                    self.emit(p, &format!("mov rax, qword ptr [rax + {}]", offset(step)));
                }
                self.place(p, &done);
                self.learn_pair(&args[0]);
            }
            ("set-car!" | "set-cdr!", 2) => {
                self.two(p, &args[0], &args[1], d);
                let (slow, done) = self.slow_to(prim.symbol, &["rax", "rcx"], d);
                self.emit(p, &format!("lea edx, [rax - {}]", abi::TAG_PAIR));
                self.emit(p, "test dl, 7");
                self.emit(p, &format!("jnz {slow}"));
                let off = if who == "set-car!" { car } else { cdr };
                self.emit(p, &format!("mov qword ptr [rax + {off}], rcx"));
                self.write_barrier_for(p, "rax", &args[1]);
                self.emit(p, &format!("mov eax, {:#x}", abi::UNSPECIFIED));
                self.place(p, &done);
            }
            ("cons", 2) => {
                // `(cons a (cons b ... tail))`: one allocation for the chain.
                let mut items = vec![&args[0]];
                let mut tail = &args[1];
                while let Expr::PrimCall(q, xs, _) = tail {
                    if q.name != "cons" || xs.len() != 2 || items.len() == 16 {
                        break;
                    }
                    items.push(&xs[0]);
                    tail = &xs[1];
                }
                self.build_list(p, &items, Some(tail), d);
            }
            ("list", _) => {
                let items: Vec<&'a Expr> = args.iter().collect();
                self.build_list(p, &items, None, d);
            }
            ("append", 2) => {
                // `scm_append2` copies a short proper list without the
                // primitive call's overhead; anything else (0) calls `append`.
                // The operands stay in slots d+1 and d, where the call's
                // argument array wants them, and where the collector sees them.
                self.two(p, &args[0], &args[1], d);
                self.emit(p, &format!("mov {}, rax", slot(d + 1)));
                self.emit(p, &format!("mov {}, rcx", slot(d)));
                self.emit(p, "mov rsi, rax");
                self.emit(p, "mov rdx, rcx");
                self.emit(p, "mov rdi, r15");
                self.runtime_call(p, "scm_append2", odd(d + 2));
                let (slow, done) = (self.label("generic"), self.label("appended"));
                self.emit(p, "test rax, rax");
                self.emit(p, &format!("jz {slow}"));
                self.place(p, &done);
                let call = self.call_text(prim.symbol, odd(d + 2), true);
                let _ = write!(
                    self.text,
                    "{slow}:\n    mov rdi, r15\n    lea rsi, [rsp - {}]\n    mov edx, 2\n{call}    jmp {done}\n",
                    8 * (d + 2)
                );
            }
            ("vector" | "%record", n) => {
                // Allocated inline like `cons`: no call, no argument array.
                // A record is laid out as a vector of its descriptor and fields.
                let (homes, next) = self.eval_to_temps(p, args, d, |cg, e| cg.is_simple(e));
                self.alloc(p, 8 * (n as u64 + 1), next);
                let ty = if who == "vector" {
                    abi::TYPE_VECTOR
                } else {
                    abi::TYPE_RECORD
                };
                let header = abi::header(ty, n as u64);
                self.emit(p, &format!("mov rcx, {header:#x}"));
                self.emit(p, "mov qword ptr [rax], rcx");
                for (i, a) in args.iter().enumerate() {
                    self.load_home(p, a, homes[i], "rcx");
                    let off = abi::VECTOR_ELEMENTS + 8 * i as i64;
                    self.emit(p, &format!("mov qword ptr [rax + {off}], rcx"));
                }
                self.emit(p, &format!("or rax, {}", abi::TAG_OBJECT));
            }
            ("+" | "-" | "*", n) if n > 2 => {
                // All operands into slots (argv order), then inline steps; any
                // unusual case calls the runtime with every operand, so the
                // result and the error are those of the whole call.
                for (i, a) in args.iter().enumerate() {
                    self.expr(p, a, d + n, false);
                    self.emit(p, &format!("mov {}, rax", slot(d + n - 1 - i)));
                }
                let slow = self.label("generic");
                let done = self.label("done");
                let call = self.call_text(prim.symbol, odd(d + n), true);
                let _ = write!(
                    self.text,
                    "{slow}:\n    mov rdi, r15\n    lea rsi, [rsp - {}]\n    mov edx, {n}\n{call}    jmp {done}\n",
                    8 * (d + n)
                );
                let slow = match self.fuse_entry.take() {
                    Some(fused) => fused,
                    None => {
                        let ins = match who {
                            "+" => "addsd",
                            "-" => "subsd",
                            _ => "mulsd",
                        };
                        let slots: Vec<String> = (0..n).map(|i| slot(d + n - 1 - i)).collect();
                        self.float_nary(ins, &slots, &slow, &done, d + n)
                    }
                };
                self.emit(p, &format!("mov rax, {}", slot(d + n - 1)));
                for i in 1..n {
                    self.emit(p, &format!("mov rcx, {}", slot(d + n - 1 - i)));
                    self.fixnum_check(p, &slow);
                    match who {
                        "+" => self.emit(p, "add rax, rcx"),
                        "-" => self.emit(p, "sub rax, rcx"),
                        _ => {
                            self.emit(p, &format!("sar rax, {}", abi::TAG_BITS));
                            self.emit(p, "imul rax, rcx");
                        }
                    }
                    self.emit(p, &format!("jo {slow}"));
                }
                self.place(p, &done);
            }
            (_, 2) if search::search_key(prim, args).is_some() => {
                self.inline_search(p, prim, args, d)
            }
            ("+" | "-", 2) if self.add_literal(p, who, prim.symbol, args, d) => {}
            ("+" | "-" | "*", _) => {
                let (slow, done) = if args.len() == 2 {
                    self.two(p, &args[0], &args[1], d);
                    let done = self.label("done");
                    let op = FloatOp::of(who).expect("+ - * have float ops");
                    (
                        self.non_fixnum_path(prim.symbol, op, args, &done, Outcome::Boolean, d),
                        done,
                    )
                } else {
                    // (- x) is (- 0 x) for fixnums; a flonum's sign is
                    // flipped out of line (so `(- 0.0)` is -0.0); the
                    // runtime negates anything else.
                    self.expr(p, &args[0], d, false);
                    self.emit(p, "mov rcx, rax");
                    self.emit(p, "mov eax, 0");
                    let (slow, done) = self.slow_to(prim.symbol, &["rcx"], d);
                    (self.negated_flonum_path(&slow, &done), done)
                };
                match args {
                    [a, b] => self.fixnum_check_of(p, a, b, &slow),
                    _ => self.fixnum_check(p, &slow),
                }
                if who == "*" {
                    self.emit(p, "mov rdx, rax");
                    self.emit(p, &format!("sar rdx, {}", abi::TAG_BITS));
                    self.emit(p, "imul rdx, rcx");
                    self.emit(p, &format!("jo {slow}"));
                    self.emit(p, "mov rax, rdx");
                } else {
                    // In place; an overflow is undone (the inverse wraps
                    // back exactly) before the slow path.
                    let (ins, inverse) = if who == "+" {
                        ("add", "sub")
                    } else {
                        ("sub", "add")
                    };
                    let undo = self.label("overflow");
                    let _ = writeln!(self.text, "{undo}:\n    {inverse} rax, rcx\n    jmp {slow}");
                    self.emit(p, &format!("{ins} rax, rcx"));
                    self.emit(p, &format!("jo {undo}"));
                }
                self.place(p, &done);
            }
            ("/", 2) => {
                // Two fixnums make a ratio: only flonums are inline.
                self.two(p, &args[0], &args[1], d);
                let done = self.label("done");
                let op = FloatOp::of(who).expect("/ has a float op");
                let slow = self.non_fixnum_path(prim.symbol, op, args, &done, Outcome::Boolean, d);
                self.emit(p, &format!("jmp {slow}"));
                self.place(p, &done);
            }
            ("quotient" | "remainder" | "modulo", 2) => {
                self.two(p, &args[0], &args[1], d);
                let (slow, done) = self.slow_to(prim.symbol, &["rax", "rcx"], d);
                self.fixnum_check_of(p, &args[0], &args[1], &slow);
                // Division by 0, and by -1 (which can overflow), go the slow way.
                self.emit(p, "lea rdx, [rcx + 8]");
                self.emit(p, "cmp rdx, 8");
                self.emit(p, &format!("jbe {slow}"));
                self.emit(p, "mov r8, rcx");
                self.emit(p, &format!("sar rax, {}", abi::TAG_BITS));
                self.emit(p, &format!("sar r8, {}", abi::TAG_BITS));
                self.emit(p, "cqo");
                self.emit(p, "idiv r8");
                match who {
                    "quotient" => {}
                    "remainder" => self.emit(p, "mov rax, rdx"),
                    _ => {
                        // modulo: a non-zero remainder takes the divisor's sign.
                        let keep = self.label("modulo_done");
                        self.emit(p, "mov rax, rdx");
                        self.emit(p, "test rdx, rdx");
                        self.emit(p, &format!("je {keep}"));
                        self.emit(p, "xor rdx, r8");
                        self.emit(p, &format!("jns {keep}"));
                        self.emit(p, "add rax, r8");
                        self.place(p, &keep);
                    }
                }
                self.emit(p, &format!("shl rax, {}", abi::TAG_BITS));
                self.place(p, &done);
            }
            (name, 2) if comparison(name).is_some() => {
                if let Some(lit) = LiteralOperand::of_comparison(name, args) {
                    self.compare_literal(p, (prim.symbol, name), args, lit, d, None);
                    return;
                }
                let (operands, cc) = comparison(name).expect("checked");
                self.two(p, &args[0], &args[1], d);
                let (slow, done) = match FloatOp::of(name) {
                    Some(op) => {
                        let done = self.label("done");
                        let slow =
                            self.non_fixnum_path(prim.symbol, op, args, &done, Outcome::Boolean, d);
                        (slow, done)
                    }
                    None => self.slow_to(prim.symbol, &["rax", "rcx"], d),
                };
                self.operand_check(p, operands, (&args[0], &args[1]), &slow);
                self.emit(p, "cmp rax, rcx");
                self.boolean_from_flags(p, cc);
                self.place(p, &done);
            }
            // `eqv?` only as `eqv_as_eq` allows.
            ("eq?" | "eqv?", 2) => {
                self.two(p, &args[0], &args[1], d);
                self.emit(p, "cmp rax, rcx");
                self.boolean_from_flags(p, "e");
            }
            ("null?" | "not", 1) => {
                self.expr(p, &args[0], d, false);
                let v = if who == "null?" { abi::NIL } else { abi::FALSE };
                self.emit(p, &format!("cmp rax, {v:#x}"));
                self.boolean_from_flags(p, "e");
            }
            ("pair?" | "procedure?", 1) => {
                self.expr(p, &args[0], d, false);
                let tag = if who == "pair?" {
                    abi::TAG_PAIR
                } else {
                    abi::TAG_CLOSURE
                };
                self.emit(p, "and eax, 7");
                self.emit(p, &format!("cmp eax, {tag}"));
                self.boolean_from_flags(p, "e");
            }
            (name, 1) if object_type(name).is_some() => {
                self.expr(p, &args[0], d, false);
                let (no, done) = (self.label("not_type"), self.label("typed"));
                self.object_type_test(p, name, &no);
                self.emit(p, &format!("mov eax, {:#x}", abi::TRUE));
                self.emit(p, &format!("jmp {done}"));
                self.place(p, &no);
                self.emit(p, &format!("mov eax, {:#x}", abi::FALSE));
                self.place(p, &done);
            }
            (name, 1) if fixnum_predicate(name).is_some() => {
                self.number_predicate(p, prim, &args[0], d, None);
            }
            ("char->integer", 1) => {
                self.expr(p, &args[0], d, false);
                let (slow, done) = self.slow_to(prim.symbol, &["rax"], d);
                self.emit(p, &format!("cmp al, {:#x}", abi::CHAR_TAG));
                self.emit(p, &format!("jne {slow}"));
                self.emit(p, &format!("shr rax, {}", abi::CHAR_SHIFT));
                self.emit(p, &format!("shl rax, {}", abi::TAG_BITS));
                self.place(p, &done);
            }
            ("string-length", 1) => {
                self.expr(p, &args[0], d, false);
                let (slow, done) = self.slow_to(prim.symbol, &["rax"], d);
                self.emit(p, "mov edx, eax");
                self.emit(p, "and edx, 7");
                self.emit(p, &format!("cmp edx, {}", abi::TAG_OBJECT));
                self.emit(p, &format!("jne {slow}"));
                self.emit(
                    p,
                    &format!(
                        "cmp byte ptr [rax - {}], {}",
                        abi::TAG_OBJECT,
                        abi::TYPE_STRING
                    ),
                );
                self.emit(p, &format!("jne {slow}"));
                self.emit(
                    p,
                    &format!(
                        "mov rax, qword ptr [rax + {}]",
                        abi::STRING_CHAR_COUNT - abi::TAG_OBJECT as i64
                    ),
                );
                self.emit(p, &format!("shl rax, {}", abi::TAG_BITS));
                self.place(p, &done);
            }
            ("vector-length", 1) => {
                self.expr(p, &args[0], d, false);
                let (slow, done) = self.slow_to(prim.symbol, &["rax"], d);
                self.check_vector_of(p, &args[0], &slow);
                self.emit(p, "mov rax, rdx");
                self.place(p, &done);
            }
            ("vector-ref", 2) => {
                self.two(p, &args[0], &args[1], d);
                let (slow, done) = self.slow_to(prim.symbol, &["rax", "rcx"], d);
                self.check_vector_of(p, &args[0], &slow);
                self.check_vector_index(p, &slow);
                let off = abi::VECTOR_ELEMENTS - abi::TAG_OBJECT as i64;
                self.emit(p, &format!("mov rax, qword ptr [rax + rcx + {off}]"));
                self.place(p, &done);
            }
            ("string-ref", 2) => {
                // O(1) at either width (`text.rs`): a byte, or a UTF-32
                // unit, made a character.
                self.two(p, &args[0], &args[1], d);
                let (slow, done) = self.slow_to(prim.symbol, &["rax", "rcx"], d);
                let wide = self.label("wide");
                let loaded = self.label("loaded");
                let obj = abi::TAG_OBJECT as i64;
                self.check_string(p, &slow);
                self.check_index(p, &slow);
                self.emit(
                    p,
                    &format!("mov rdx, qword ptr [rax + {}]", abi::STRING_STORAGE - obj),
                );
                self.emit(
                    p,
                    &format!("cmp qword ptr [rax + {}], 4", abi::STRING_WIDTH - obj),
                );
                self.emit(p, &format!("je {wide}"));
                self.emit(
                    p,
                    &format!("movzx eax, byte ptr [rdx + r8 + {}]", abi::BYTES_DATA - obj),
                );
                self.emit(p, &format!("jmp {loaded}"));
                self.place(p, &wide);
                self.emit(
                    p,
                    &format!(
                        "mov eax, dword ptr [rdx + r8 * 4 + {}]",
                        abi::BYTES_DATA - obj
                    ),
                );
                self.place(p, &loaded);
                self.emit(p, &format!("shl rax, {}", abi::CHAR_SHIFT));
                self.emit(p, &format!("or rax, {:#x}", abi::CHAR_TAG));
                self.place(p, &done);
            }
            ("string-set!", 3) => {
                // In place (`text.rs`) when the character fits the
                // string's width and no Rust call borrows any object;
                // anything else (widening, a borrow, an error) is the
                // runtime's. Every jump to `slow` leaves rax, rcx, r9 as
                // the arguments.
                let (slow, done) = self.three(p, prim, args, d);
                let wide = self.label("wide");
                let narrow = self.label("narrow");
                let obj = abi::TAG_OBJECT as i64;
                let data = abi::BYTES_DATA - obj;
                self.check_string(p, &slow);
                self.check_index(p, &slow);
                self.emit(
                    p,
                    &format!("cmp qword ptr [r15 + {}], 0", abi::CTX_BORROW_COUNT),
                );
                self.emit(p, &format!("jne {slow}"));
                self.emit(p, &format!("cmp r9b, {:#x}", abi::CHAR_TAG));
                self.emit(p, &format!("jne {slow}"));
                self.emit(p, "mov rdx, r9");
                self.emit(p, &format!("shr rdx, {}", abi::CHAR_SHIFT));
                self.emit(
                    p,
                    &format!("mov r11, qword ptr [rax + {}]", abi::STRING_WIDTH - obj),
                );
                self.emit(p, "cmp r11, 4");
                self.emit(p, &format!("je {wide}"));
                self.emit(p, "cmp rdx, 128");
                self.emit(p, &format!("jb {narrow}"));
                self.emit(p, "cmp rdx, 256");
                self.emit(p, &format!("jae {slow}"));
                self.emit(p, "cmp r11, 1");
                self.emit(p, &format!("jne {slow}"));
                self.place(p, &narrow);
                self.emit(
                    p,
                    &format!("mov r11, qword ptr [rax + {}]", abi::STRING_STORAGE - obj),
                );
                self.emit(p, &format!("mov byte ptr [r11 + r8 + {data}], dl"));
                self.emit(p, &format!("mov eax, {:#x}", abi::UNSPECIFIED));
                self.emit(p, &format!("jmp {done}"));
                self.place(p, &wide);
                self.emit(
                    p,
                    &format!("mov r11, qword ptr [rax + {}]", abi::STRING_STORAGE - obj),
                );
                self.emit(p, &format!("mov dword ptr [r11 + r8 * 4 + {data}], edx"));
                self.emit(p, &format!("mov eax, {:#x}", abi::UNSPECIFIED));
                self.place(p, &done);
            }
            ("symbol->string", 1) => {
                // The string kept in the symbol; the runtime makes it at
                // the first call (and reports a non-symbol).
                self.expr(p, &args[0], d, false);
                let (slow, done) = self.slow_to(prim.symbol, &["rax"], d);
                self.object_type_test(p, "symbol?", &slow);
                let at = abi::SYMBOL_STRING - abi::TAG_OBJECT as i64;
                self.emit(p, &format!("mov rdx, qword ptr [rax + {at}]"));
                self.emit(p, &format!("cmp rdx, {:#x}", abi::FALSE));
                self.emit(p, &format!("je {slow}"));
                self.emit(p, "mov rax, rdx");
                self.place(p, &done);
            }
            ("bytevector-u8-ref", 2) => {
                self.two(p, &args[0], &args[1], d);
                let (slow, done) = self.slow_to(prim.symbol, &["rax", "rcx"], d);
                let ty = abi::TYPE_BYTEVECTOR;
                self.check_counted(p, ty, abi::BYTEVECTOR_LENGTH, &slow);
                self.check_index(p, &slow);
                let data = abi::BYTEVECTOR_DATA - abi::TAG_OBJECT as i64;
                self.emit(p, &format!("movzx eax, byte ptr [rax + r8 + {data}]"));
                self.emit(p, &format!("shl eax, {}", abi::TAG_BITS));
                self.place(p, &done);
            }
            ("bytevector-u8-set!", 3) => {
                // In place when the value is a byte and no Rust call borrows
                // any object (a `&[u8]` may be reading it); else the runtime's.
                let (slow, done) = self.three(p, prim, args, d);
                let ty = abi::TYPE_BYTEVECTOR;
                self.check_counted(p, ty, abi::BYTEVECTOR_LENGTH, &slow);
                self.check_index(p, &slow);
                self.emit(
                    p,
                    &format!("cmp qword ptr [r15 + {}], 0", abi::CTX_BORROW_COUNT),
                );
                self.emit(p, &format!("jne {slow}"));
                // A fixnum 0..255: one unsigned comparison of the word.
                self.emit(p, "test r9b, 7");
                self.emit(p, &format!("jnz {slow}"));
                self.emit(p, &format!("cmp r9, {:#x}", 255 << abi::TAG_BITS));
                self.emit(p, &format!("ja {slow}"));
                self.emit(p, "mov rdx, r9");
                self.emit(p, &format!("shr edx, {}", abi::TAG_BITS));
                let data = abi::BYTEVECTOR_DATA - abi::TAG_OBJECT as i64;
                self.emit(p, &format!("mov byte ptr [rax + r8 + {data}], dl"));
                self.emit(p, &format!("mov eax, {:#x}", abi::UNSPECIFIED));
                self.place(p, &done);
            }
            ("vector-set!", 3) => {
                let (slow, done) = self.three(p, prim, args, d);
                self.check_vector_of(p, &args[0], &slow);
                self.check_vector_index(p, &slow);
                let off = abi::VECTOR_ELEMENTS - abi::TAG_OBJECT as i64;
                self.emit(p, &format!("mov qword ptr [rax + rcx + {off}], r9"));
                self.write_barrier_for(p, "rax", &args[2]);
                self.emit(p, &format!("mov eax, {:#x}", abi::UNSPECIFIED));
                self.place(p, &done);
            }
            _ => unreachable!("`inlined` and `inline_prim` agree"),
        }
    }
}

impl<'a> Codegen<'a> {
    /// `zero?`, `positive?`, `negative?`, `odd?` or `even?` of `arg`,
    /// inline on fixnums (and flonums but for `odd?`/`even?`): jumps to
    /// `false_label` when false (`Some`), or leaves `#t`/`#f` in `rax`
    /// (`None`).
    pub(super) fn number_predicate(
        &mut self,
        p: &mut Proc,
        prim: &PrimDesc,
        arg: &'a Expr,
        d: usize,
        false_label: Option<&str>,
    ) {
        self.expr(p, arg, d, false);
        let done = self.label("tested");
        let after = Self::after_slow_call(false_label, &done);
        let mut slow = self.slow_path(prim.symbol, &["rax"], d, &after);
        // A flonum compared with 0.0: zero when equal (-0.0 is zero),
        // positive when above, negative when 0.0 is above it; NaN is
        // unordered, none of them.
        let compare = match prim.name {
            "zero?" => Some("ucomisd xmm0, xmm1"),
            "positive?" => Some("ucomisd xmm0, xmm1"),
            "negative?" => Some("ucomisd xmm1, xmm0"),
            _ => None,
        };
        if let Some(compare) = compare {
            let flonum = self.label("flonum");
            let (f, t) = (abi::FALSE, abi::TRUE);
            let outcome = match (prim.name, false_label) {
                ("zero?", Some(no)) => format!("    jp {no}\n    jne {no}\n    jmp {done}"),
                ("zero?", None) => format!(
                    "    mov eax, {f:#x}\n    mov edx, {t:#x}\n    cmove eax, edx\n    mov edx, {f:#x}\n    cmovp eax, edx\n    jmp {done}"
                ),
                (_, Some(no)) => format!("    jbe {no}\n    jmp {done}"),
                (_, None) => format!(
                    "    mov eax, {f:#x}\n    mov edx, {t:#x}\n    cmova eax, edx\n    jmp {done}"
                ),
            };
            let _ = writeln!(
                self.text,
                "{flonum}:\n    mov edx, eax\n    and edx, 7\n    cmp edx, {}\n    jne {slow}\n    movsd xmm0, qword ptr [rax + {}]\n    xorpd xmm1, xmm1\n    {compare}\n{outcome}",
                abi::TAG_FLONUM,
                8 - abi::TAG_FLONUM
            );
            slow = flonum;
        }
        self.emit(p, "test al, 7");
        self.emit(p, &format!("jnz {slow}"));
        let (test, cc) = fixnum_predicate(prim.name).expect("a number predicate");
        self.emit(p, test);
        match false_label {
            Some(no) => self.emit(p, &format!("j{} {no}", super::negate(cc))),
            None => self.boolean_from_flags(p, cc),
        }
        self.place(p, &done);
    }
}

/// For `zero?`, `positive?`, `negative?`, `odd?` and `even?`, compiled
/// inline on fixnums: the test of the fixnum in `rax` and the condition
/// code that holds when the predicate is true. Other numbers take the
/// runtime's path (after `number_predicate`'s flonum path).
pub(super) fn fixnum_predicate(name: &str) -> Option<(&'static str, &'static str)> {
    // A fixnum is the integer shifted left by the tag's 3 bits: bit 3 is
    // the integer's lowest bit.
    const _: () = assert!(abi::TAG_BITS == 3);
    match name {
        "zero?" => Some(("test rax, rax", "z")),
        "positive?" => Some(("test rax, rax", "g")),
        "negative?" => Some(("test rax, rax", "l")),
        "odd?" => Some(("test al, 8", "nz")),
        "even?" => Some(("test al, 8", "z")),
        _ => None,
    }
}

/// `car`, `cdr` and their compositions up to four deep (`cadr`, `cdddr`,
/// `cadadr`...), which compile to a chain of pair checks and loads.
pub(crate) fn is_cxr(name: &str) -> bool {
    let path = name
        .strip_prefix('c')
        .and_then(|rest| rest.strip_suffix('r'))
        .unwrap_or("");
    (1..=4).contains(&path.len()) && path.chars().all(|c| c == 'a' || c == 'd')
}
