//! Variables, boxes, closures and allocation: `let` bindings, stores to
//! slots and boxes, bump allocation of objects and pairs, closures and
//! `letrec` groups, the write barrier.

use super::*;

impl<'a> Codegen<'a> {
    /// Evaluate `let` bindings into slots `d..` and bind their variables.
    pub(super) fn bind_let(&mut self, p: &mut Proc, bindings: &'a [(VarId, Expr)], d: usize) {
        for (v, init) in bindings {
            // A procedure bound once: calls of it enter it directly.
            if let (Expr::Lambda(l), false) = (init, self.program.vars[*v].mutated) {
                self.known_locals.insert(*v, l);
            }
        }
        for (i, (v, init)) in bindings.iter().enumerate() {
            self.expr(p, init, d + i, false);
            let name = &self.program.vars[*v].name;
            self.emit(p, &format!("mov {}, rax  # {name}", slot(d + i)));
        }
        for (i, (v, _)) in bindings.iter().enumerate() {
            p.locs.insert(*v, Loc::Slot(d + i));
            self.box_slot(p, *v, d + i, d + bindings.len());
        }
    }

    /// Store `rax` into variable `v` (through its box if it has one).
    pub(super) fn store_var(&mut self, p: &mut Proc, v: VarId) {
        let name = self.program.vars[v].name.clone();
        if self.program.vars[v].boxed() {
            self.load_raw(p, v, "rcx");
            self.emit(
                p,
                &format!(
                    "mov qword ptr [rcx + {}], rax  # set! {name}",
                    abi::BOX_VALUE - abi::TAG_OBJECT as i64
                ),
            );
            self.write_barrier(p, "rcx");
        } else {
            match p.locs[&v] {
                Loc::Slot(k) => self.emit(p, &format!("mov {}, rax  # set! {name}", slot(k))),
                Loc::Free(_) => unreachable!("assigned captured variables are boxed"),
            }
        }
    }

    /// If `v` (now in slot `k`) is boxed, replace its value by a box holding it.
    pub(super) fn box_slot(&mut self, p: &mut Proc, v: VarId, k: usize, d: usize) {
        if !self.program.vars[v].boxed() {
            return;
        }
        self.alloc(p, abi::BOX_SIZE, d);
        self.emit(p, &format!("mov rcx, {:#x}", abi::header(abi::TYPE_BOX, 0)));
        self.emit(p, "mov qword ptr [rax], rcx");
        self.emit(p, &format!("mov rcx, {}", slot(k)));
        self.emit(p, "mov qword ptr [rax + 8], rcx");
        self.emit(p, &format!("or rax, {}", abi::TAG_OBJECT));
        self.emit(
            p,
            &format!(
                "mov {}, rax  # box for {}",
                slot(k),
                self.program.vars[v].name
            ),
        );
    }

    /// Inline bump allocation of `bytes`; the untagged address ends in `rax`.
    /// Clobbers `rdx` (and every caller-saved register on the slow path).
    pub(super) fn alloc(&mut self, p: &mut Proc, bytes: u64, d: usize) {
        if bytes as usize > scheme_runtime::abi::LARGE_OBJECT_BYTES {
            // Too big for a hole: the runtime gives it blocks of its own.
            self.emit(p, "mov rdi, r15");
            self.emit(p, &format!("mov esi, {bytes}"));
            self.runtime_call(p, "scm_alloc_slow", odd(d));
            return;
        }
        self.bump(
            p,
            bytes,
            d,
            abi::CTX_ALLOC_PTR,
            abi::CTX_ALLOC_LIMIT,
            "scm_alloc_slow",
        );
    }

    /// Inline bump allocation of a pair; the untagged address ends in `rax`.
    pub(super) fn alloc_pair(&mut self, p: &mut Proc, d: usize) {
        self.bump(
            p,
            abi::PAIR_SIZE,
            d,
            abi::CTX_PAIR_PTR,
            abi::CTX_PAIR_LIMIT,
            "scm_alloc_pair_slow",
        );
    }

    /// Inline bump allocation of `n` adjacent pairs (at most 16); the
    /// untagged address of the first ends in `rax`.
    pub(super) fn alloc_pairs(&mut self, p: &mut Proc, n: usize, d: usize) {
        debug_assert!((1..=16).contains(&n));
        if n == 1 {
            return self.alloc_pair(p, d);
        }
        let bytes = abi::PAIR_SIZE * n as u64;
        self.bump(
            p,
            bytes,
            d,
            abi::CTX_PAIR_PTR,
            abi::CTX_PAIR_LIMIT,
            "scm_alloc_pairs_slow",
        );
    }

    /// The allocation fast path: bump `ctx[ptr]` if it stays within
    /// `ctx[limit]`, else call `slow` (which may collect: no live value may
    /// be in a register here). Clobbers `rdx`, and every caller-saved
    /// register on the slow path.
    pub(super) fn bump(
        &mut self,
        p: &mut Proc,
        bytes: u64,
        d: usize,
        ptr: i64,
        limit: i64,
        slow_fn: &str,
    ) {
        let slow = self.label("alloc_slow");
        let done = self.label("alloc_done");
        self.emit(
            p,
            &format!("mov rax, qword ptr [r15 + {ptr}]  # allocate {bytes} bytes"),
        );
        self.emit(p, &format!("lea rdx, [rax + {bytes}]"));
        self.emit(p, &format!("cmp rdx, qword ptr [r15 + {limit}]"));
        self.emit(p, &format!("ja {slow}"));
        self.emit(p, &format!("mov qword ptr [r15 + {ptr}], rdx"));
        self.place(p, &done);
        // The slow path sits out of line, after the procedure.
        // A collection may raise "heap exhausted": a call site like others.
        let call = self.call_text(slow_fn, odd(d), true);
        let _ = write!(
            self.text,
            "{slow}:\n    mov rdi, r15\n    mov esi, {bytes}\n{call}    jmp {done}\n"
        );
    }

    /// Allocate the closure object for `l`; tagged in `rax`. Its free
    /// variables are zeroed if `zeroed`: needed when an allocation (which
    /// may collect, tracing them) comes before `fill_closure`.
    pub(super) fn closure(&mut self, p: &mut Proc, l: &'a Lambda, d: usize, zeroed: bool) {
        let code = self.lambda_label(l);
        let n = l.free.len();
        self.alloc(p, 16 + 8 * n as u64, d);
        self.emit(
            p,
            &format!("mov rcx, {:#x}", abi::header(abi::TYPE_CLOSURE, n as u64)),
        );
        self.emit(p, "mov qword ptr [rax], rcx");
        self.emit(p, &format!("lea rcx, [rip + {code}]"));
        self.emit(p, "mov qword ptr [rax + 8], rcx");
        for j in (0..n).filter(|_| zeroed) {
            self.emit(p, &format!("mov qword ptr [rax + {}], 0", 16 + 8 * j));
        }
        self.emit(p, &format!("or rax, {}", abi::TAG_CLOSURE));
    }

    /// The write barrier after storing a value into the object in `reg`
    /// (tagged): mark its block in the card table (`heap/cards.rs`), so a
    /// minor collection traces the object again if it is old. Not needed
    /// for an object allocated since the last call or allocation. Uses r11.
    pub(super) fn write_barrier(&mut self, p: &mut Proc, reg: &str) {
        self.emit(p, &format!("mov r11, {reg}"));
        self.emit(p, &format!("shr r11, {}", abi::CARD_SHIFT));
        self.emit(p, &format!("add r11, qword ptr [r15 + {}]", abi::CTX_CARDS));
        self.emit(p, "mov byte ptr [r11], 1");
    }

    /// `write_barrier` after storing the value of `value`: none when it is
    /// an immediate literal (no pointer for the collector to follow).
    pub(super) fn write_barrier_for(&mut self, p: &mut Proc, reg: &str, value: &Expr) {
        if !matches!(value, Expr::Const(d) if immediate(d).is_some()) {
            self.write_barrier(p, reg);
        }
    }

    /// Store the free variables of `l` into the closure in `rax`.
    pub(super) fn fill_closure(&mut self, p: &mut Proc, l: &Lambda) {
        for (j, &v) in l.free.iter().enumerate() {
            self.load_raw(p, v, "rcx");
            let off = abi::CLOSURE_FREE + 8 * j as i64 - abi::TAG_CLOSURE as i64;
            self.emit(p, &format!("mov qword ptr [rax + {off}], rcx"));
        }
    }

    /// Bind mutually recursive procedures in slots `d..`: allocate every
    /// closure first, then fill in the free variables.
    pub(super) fn letrec(&mut self, p: &mut Proc, bindings: &'a [(VarId, Lambda)], d: usize) {
        let n = bindings.len();
        for (v, l) in bindings {
            if !self.program.vars[*v].mutated {
                self.known_locals.insert(*v, l);
            }
        }
        if bindings.iter().all(|(_, l)| l.free.is_empty()) {
            self.static_vars
                .extend(bindings.iter().map(|(v, l)| (*v, l)));
        }
        for (i, (v, _)) in bindings.iter().enumerate() {
            p.locs.insert(*v, Loc::Slot(d + i));
            if self.program.vars[*v].boxed() {
                self.emit(p, &format!("mov eax, {:#x}", abi::UNSPECIFIED));
                self.emit(p, &format!("mov {}, rax", slot(d + i)));
                self.box_slot(p, *v, d + i, d + n);
            }
        }
        for (i, (v, l)) in bindings.iter().enumerate() {
            if l.free.is_empty() {
                self.static_closure(p, l, "rax");
            } else {
                // Filled after the group's other closures are made.
                let later = bindings.iter().filter(|(_, l)| !l.free.is_empty()).count() > 1;
                self.closure(p, l, d + n, later);
            }
            if self.program.vars[*v].boxed() {
                self.emit(p, &format!("mov rcx, {}", slot(d + i)));
                self.emit(
                    p,
                    &format!(
                        "mov qword ptr [rcx + {}], rax",
                        abi::BOX_VALUE - abi::TAG_OBJECT as i64
                    ),
                );
                // The box was made before the closures, which may collect.
                self.write_barrier(p, "rcx");
            } else {
                self.emit(
                    p,
                    &format!("mov {}, rax  # {}", slot(d + i), self.program.vars[*v].name),
                );
            }
        }
        for (i, (v, l)) in bindings.iter().enumerate() {
            if l.free.is_empty() {
                continue;
            }
            self.emit(p, &format!("mov rax, {}", slot(d + i)));
            if self.program.vars[*v].boxed() {
                self.emit(
                    p,
                    &format!(
                        "mov rax, qword ptr [rax + {}]",
                        abi::BOX_VALUE - abi::TAG_OBJECT as i64
                    ),
                );
            }
            self.fill_closure(p, l);
            // Made before the other closures, whose allocation may collect.
            self.write_barrier(p, "rax");
        }
    }
}
