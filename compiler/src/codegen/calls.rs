//! Calls: Scheme procedures (known, unknown, tail, self and loop jumps), `apply`, primitives through their entries, call sites and their frame-table entries.

use std::fmt::Write;

use super::*;

impl<'a> Codegen<'a> {
    /// Evaluate `args` that are not simple into slots from `base` on;
    /// returns where each one went.
    pub(super) fn eval_to_temps(
        &mut self,
        p: &mut Proc,
        args: impl IntoIterator<Item = &'a Expr>,
        base: usize,
        keep: impl Fn(&Self, &Expr) -> bool,
    ) -> (Vec<Option<usize>>, usize) {
        let mut next = base;
        let mut homes = Vec::new();
        for a in args {
            if keep(self, a) {
                homes.push(None);
            } else {
                self.expr(p, a, next, false);
                self.emit(p, &format!("mov {}, rax", slot(next)));
                homes.push(Some(next));
                next += 1;
            }
        }
        (homes, next)
    }

    pub(super) fn load_home(&mut self, p: &mut Proc, e: &'a Expr, home: Option<usize>, reg: &str) {
        match home {
            Some(k) => self.emit(p, &format!("mov {reg}, {}", slot(k))),
            None => self.load_simple(p, e, reg),
        }
    }

    /// Check that `rdi`, the value of operator `f`, holds a procedure
    /// (a primitive's closure is one).
    pub(super) fn check_operator(&mut self, p: &mut Proc, f: &Expr) {
        if !matches!(f, Expr::PrimRef(_)) {
            self.check_procedure(p);
        }
    }

    /// Check that `rdi` holds a procedure.
    pub(super) fn check_procedure(&mut self, p: &mut Proc) {
        let stub = self
            .site_stub("    mov rsi, rdi\n    mov rdi, r15\n    call scm_error_not_procedure\n");
        // The tag bits of `rdi - TAG_CLOSURE` are zero just for closures.
        self.emit(p, &format!("lea eax, [rdi - {}]", abi::TAG_CLOSURE));
        self.emit(p, "test al, 7");
        self.emit(p, &format!("jnz {stub}"));
    }

    /// The lambda that a call's operator is known to be, when the call can
    /// enter it directly (past the arity check).
    pub(super) fn known_callee(&self, f: &Expr, argc: usize) -> Option<&'a Lambda> {
        let l = match f {
            Expr::Local(v) if !self.program.vars[*v].mutated => *self.known_locals.get(v)?,
            Expr::Global(g) => *self.known_globals.get(g)?,
            _ => return None,
        };
        (l.rest.is_none() && l.params.len() == argc).then_some(l)
    }

    /// A data word holding the address of `label.direct`.
    pub(super) fn direct_entry(&mut self, label: &str) -> String {
        let entry = format!("{label}.entry");
        if !self.direct_entries.contains(&entry) {
            let _ = writeln!(
                self.data,
                "    .p2align 3\n{entry}:\n    .quad {label}.direct"
            );
            self.direct_entries.insert(entry.clone());
        }
        entry
    }

    /// The shared error path for global `name` read before its definition ran.
    pub(super) fn unbound_stub(&mut self, name: &str) -> String {
        let n = self.cstring(name);
        // In the interaction environment a global may be defined nowhere.
        let error = if self.output.shared_globals() {
            "scm_error_not_bound"
        } else {
            "scm_error_unbound"
        };
        self.site_stub(&format!(
            "    lea rsi, [rip + {n}]\n    mov rdi, r15\n    call {error}\n"
        ))
    }

    /// An error path of its own for this call site, so the error has its
    /// position. Reached by a jump from the procedure's body, where `rsp`
    /// points at the procedure's return address; `code` calls the runtime.
    pub(super) fn site_stub(&mut self, code: &str) -> String {
        let l = self.label("site_error");
        let ret = self.site(1);
        let _ = writeln!(
            self.stub_text,
            "{l}:\n    sub rsp, 8\n    mov qword ptr [r15 + {}], rsp\n{code}{ret}:\n    ud2",
            abi::CTX_NATIVE_SP
        );
        l
    }

    /// For a direct call of `l` through `f`: check that a global is
    /// defined, and put the closure in `rdi` if `l` needs it.
    pub(super) fn prepare_direct(
        &mut self,
        p: &mut Proc,
        f: &'a Expr,
        home: Option<usize>,
        l: &'a Lambda,
    ) {
        match f {
            Expr::Global(g) if self.surely_defined(p, *g) => {}
            Expr::Global(g) => self.check_defined(p, *g),
            _ if !l.free.is_empty() => self.load_home(p, f, home, "rdi"),
            _ => {}
        }
    }

    /// The foreign procedure id of a call's operator, when it is a global
    /// bound once to a foreign procedure taking `argc` arguments.
    pub(super) fn known_foreign_callee(&self, f: &Expr, argc: usize) -> Option<(GlobalId, usize)> {
        let Expr::Global(g) = f else { return None };
        let id = *self.known_foreign.get(g)?;
        (self.program.foreign[id].params.len() == argc).then_some((*g, id))
    }

    /// Is global `g` certainly defined when the code of `p` runs?
    pub(super) fn surely_defined(&self, p: &Proc, g: GlobalId) -> bool {
        let order = &self.definition_order;
        let form = p.lambda.and_then(|l| order.form_of.get(&l));
        matches!((order.defined_by.get(&g), form), (Some(i), Some(j)) if i <= j)
    }

    /// Jump to the unbound-variable error unless global `g` is defined.
    pub(super) fn check_defined(&mut self, p: &mut Proc, g: GlobalId) {
        let name = self.program.globals[g].clone();
        let stub = self.unbound_stub(&name);
        let cell = self.global_cell(p, g);
        self.emit(p, &format!("cmp qword ptr {cell}, {:#x}", abi::UNBOUND));
        self.emit(p, &format!("je {stub}"));
    }

    pub(super) fn call(&mut self, p: &mut Proc, f: &'a Expr, args: &'a [Expr], d: usize) {
        if let Some((g, id)) = self.known_foreign_callee(f, args.len()) {
            if self.inline_foreign_call(p, g, id, args, d) {
                return;
            }
        }
        let all: Vec<&'a Expr> = std::iter::once(f).chain(args).collect();
        // The last argument that is not simple goes straight to its place
        // in the callee's frame: nothing evaluated after it can overwrite it.
        let last = (1..all.len()).rev().find(|&i| !self.is_simple(all[i]));
        let last = last.filter(|&i| all[i..].iter().skip(1).all(|a| self.is_simple(a)));
        let mut next = d;
        let mut homes = Vec::new();
        let mut direct = None;
        for (i, a) in all.iter().enumerate() {
            if self.is_simple(a) {
                homes.push(None);
            } else if Some(i) == last {
                self.expr(p, a, next, false);
                let frame = odd(next);
                self.emit(
                    p,
                    &format!("mov qword ptr [rsp - {}], rax", 8 * (frame + 1 + i)),
                );
                homes.push(None);
                direct = Some(i);
            } else {
                self.expr(p, a, next, false);
                self.emit(p, &format!("mov {}, rax", slot(next)));
                homes.push(Some(next));
                next += 1;
            }
        }
        let frame = odd(next);
        for (i, a) in args.iter().enumerate() {
            if direct == Some(i + 1) {
                continue;
            }
            self.load_home(p, a, homes[i + 1], "rax");
            self.emit(
                p,
                &format!("mov qword ptr [rsp - {}], rax", 8 * (frame + 2 + i)),
            );
        }
        if let Some(l) = self.known_callee(f, args.len()) {
            self.prepare_direct(p, f, homes[0], l);
            let label = self.lambda_label(l);
            let entry = self.direct_entry(&label);
            // Through memory: on this project's machine (AMD EPYC) a direct
            // `call` made 1,000,000-deep recursion ~25% slower than a
            // memory-indirect one (bench/compare.sh, 21-deep-recursion-tree).
            self.scheme_call(p, &format!("qword ptr [rip + {entry}]"), frame);
            return;
        }
        if let Some((g, id)) = self.known_foreign_callee(f, args.len()) {
            // A foreign procedure: past its argument count check.
            self.check_defined(p, g);
            let entry = self.direct_entry(&Self::foreign_label(id));
            self.scheme_call(p, &format!("qword ptr [rip + {entry}]"), frame);
            return;
        }
        self.load_home(p, f, homes[0], "rdi");
        self.check_operator(p, f);
        self.emit(p, &format!("mov esi, {}", args.len()));
        let code = abi::CLOSURE_CODE - abi::TAG_CLOSURE as i64;
        self.scheme_call(p, &format!("qword ptr [rdi + {code}]"), frame);
    }

    /// Call Scheme code with `frame` words of this frame live, and record
    /// the call site (see `site`).
    pub(super) fn scheme_call(&mut self, p: &mut Proc, target: &str, frame: usize) {
        let call = self.call_text(target, frame, false);
        p.code.push_str(&call);
    }

    /// Call runtime code that may raise: as `scheme_call`, and tell the
    /// runtime where the Scheme frames start (`Ctx::native_sp`).
    pub(super) fn runtime_call(&mut self, p: &mut Proc, target: &str, frame: usize) {
        let call = self.call_text(target, frame, true);
        p.code.push_str(&call);
    }

    /// The lines of a call made with `frame` words live: lower `rsp` past
    /// them, store it in `Ctx::native_sp` if `runtime` (a call into the
    /// runtime that may raise), call, and restore `rsp`; the return
    /// address is a call site (`site`). Out-of-line paths use it too.
    pub(crate) fn call_text(&mut self, target: &str, frame: usize, runtime: bool) -> String {
        let ret = self.site(frame);
        let bytes = 8 * frame;
        let native = if runtime {
            format!("    mov qword ptr [r15 + {}], rsp\n", abi::CTX_NATIVE_SP)
        } else {
            String::new()
        };
        format!("    sub rsp, {bytes}\n{native}    call {target}\n{ret}:\n    add rsp, {bytes}\n")
    }

    /// A label for the return address of a call made with `frame` words
    /// live, entered in the frame table with the innermost call's position
    /// and the procedure being compiled.
    pub(super) fn site(&mut self, frame: usize) -> String {
        let ret = self.label("ret");
        let pos = match self.sites.last().and_then(|s| self.sources.locate(s.start)) {
            Some((file, line, col)) => abi::call_site_position(file, line, col),
            // The prelude, or no call: no position.
            None => 0,
        };
        let _ = writeln!(
            self.frame_table,
            "    .quad {ret}, {frame}, {pos:#x}, {}",
            self.proc_info
        );
        ret
    }

    pub(super) fn tail_call(&mut self, p: &mut Proc, f: &'a Expr, args: &'a [Expr], d: usize) {
        if let Some((g, id)) = self.known_foreign_callee(f, args.len()) {
            if self.inline_foreign_call(p, g, id, args, d) {
                self.emit(p, "ret");
                return;
            }
        }
        let n = args.len();
        let known = self.known_callee(f, n);
        if let Some(l) = known.filter(|&l| p.lambda == Some(l as *const Lambda)) {
            // A self call: a loop.
            let head = format!("{}.loop", self.lambda_label(l));
            // (Procedure parameters are never unboxed: `unbox.rs`.)
            self.loop_jump(p, &head, 0, &l.params, args, d.max(n));
            return;
        }
        if self.is_simple(f) {
            self.tail_call_in_place(p, f, known, args, d.max(n));
            return;
        }
        let in_place = |cg: &Self, pr: &Proc, i: usize, a: &Expr| cg.in_slot(pr, a, i);
        let mut next = d.max(n);
        let mut homes = Vec::new();
        for (i, a) in args.iter().enumerate() {
            if self.is_constant(a) || in_place(self, p, i, a) {
                homes.push(None);
            } else {
                self.expr(p, a, next, false);
                self.emit(p, &format!("mov {}, rax", slot(next)));
                homes.push(Some(next));
                next += 1;
            }
        }
        let f_home = if self.is_constant(f) {
            None
        } else {
            self.expr(p, f, next, false);
            self.emit(p, &format!("mov {}, rax", slot(next)));
            Some(next)
        };
        match known {
            Some(l) => self.prepare_direct(p, f, f_home, l),
            None => {
                self.load_home(p, f, f_home, "rdi");
                self.check_procedure(p);
            }
        }
        for (i, a) in args.iter().enumerate() {
            if homes[i].is_none() && in_place(self, p, i, a) {
                continue;
            }
            self.load_home(p, a, homes[i], "rax");
            self.emit(p, &format!("mov {}, rax", slot(i)));
        }
        self.tail_jump(p, known, n);
    }

    /// The jump that ends a tail call of `n` arguments, all in place: to
    /// the known procedure past its checks, or through the closure in
    /// `rdi` with the argument count.
    fn tail_jump(&mut self, p: &mut Proc, known: Option<&'a Lambda>, n: usize) {
        if let Some(l) = known {
            let label = self.lambda_label(l);
            self.emit(p, &format!("jmp {label}.direct"));
            return;
        }
        self.emit(p, &format!("mov esi, {n}"));
        self.emit(
            p,
            &format!(
                "jmp qword ptr [rdi + {}]",
                abi::CLOSURE_CODE - abi::TAG_CLOSURE as i64
            ),
        );
    }

    /// A tail call whose operator `f` is a simple value: the arguments go
    /// to slots `0..n` as a parallel assignment (`assign_slots`), each
    /// straight to its slot when no argument evaluated or moved after it
    /// reads that slot, and `f` is read before its slot is overwritten.
    /// Slots from `d` on are free (`d` is past the arguments).
    fn tail_call_in_place(
        &mut self,
        p: &mut Proc,
        f: &'a Expr,
        known: Option<&'a Lambda>,
        args: &'a [Expr],
        mut d: usize,
    ) {
        let n = args.len();
        let needs_f = known.is_none_or(|l| !l.free.is_empty());
        let f_home = if needs_f && (0..n).any(|s| self.reads_slot(p, f, s)) {
            self.load_simple(p, f, "rax");
            self.emit(p, &format!("mov {}, rax", slot(d)));
            d += 1;
            Some(d - 1)
        } else {
            None
        };
        let reads = |cg: &Self, pr: &Proc, a: &Expr, i: usize| cg.reads_slot(pr, a, i);
        self.assign_slots(p, 0, &[], args, d, &reads);
        match known {
            Some(l) => self.prepare_direct(p, f, f_home, l),
            None => {
                self.load_home(p, f, f_home, "rdi");
                self.check_operator(p, f);
            }
        }
        self.tail_jump(p, known, n);
    }

    /// Does evaluating `e` read slot `s` of this frame: a variable that
    /// lives there, or (for free variables) the procedure's own closure?
    pub(super) fn reads_slot(&self, p: &Proc, e: &Expr, s: usize) -> bool {
        mentions_any(e, |v| match p.locs.get(&v) {
            Some(Loc::Slot(j)) => *j == s,
            Some(Loc::Free(_)) => p.closure_slot == Some(s),
            None => false,
        })
    }

    /// Is `a` a variable already in slot `k` (an argument that needs no move)?
    pub(super) fn in_slot(&self, p: &Proc, a: &Expr, k: usize) -> bool {
        match a {
            Expr::Local(v) => {
                !self.program.vars[*v].boxed()
                    && matches!(p.locs.get(v), Some(Loc::Slot(j)) if *j == k)
            }
            _ => false,
        }
    }

    /// A jump to a loop's `head` whose parameters (`params`, when they are
    /// known) are slots `base..`: a self tail call, or a call of a loop
    /// compiled inline (`inline_loop`). Slots from `d` on are free (and `d`
    /// is past the parameters). An unboxed parameter gets a raw double.
    pub(super) fn loop_jump(
        &mut self,
        p: &mut Proc,
        head: &str,
        base: usize,
        params: &[VarId],
        args: &'a [Expr],
        d: usize,
    ) {
        // An argument reads parameter i if it mentions its variable.
        let reads =
            |_: &Self, _: &Proc, a: &Expr, i: usize| params.get(i).is_none_or(|&v| mentions(a, v));
        self.assign_slots(p, base, params, args, d, &reads);
        self.emit(p, &format!("jmp {head}"));
    }

    /// Store `args` into slots `base..` as a parallel assignment: what an
    /// argument reads is the slots' old values. `reads(a, i)`: does
    /// evaluating `a` read slot `base + i`? `params`: the variables of
    /// those slots when they are a loop's (an unboxed one gets a raw
    /// double), else empty. Slots from `d` on are free.
    fn assign_slots(
        &mut self,
        p: &mut Proc,
        base: usize,
        params: &[VarId],
        args: &'a [Expr],
        d: usize,
        reads: &dyn Fn(&Self, &Proc, &Expr, usize) -> bool,
    ) {
        // Each argument is unchanged (already in its slot), deferred (a
        // simple value, read at the end: a move) or computed (in order; the
        // last one stays in `rax`/`xmm0` and is stored last). A computed
        // value goes straight to its parameter's slot when nothing read
        // after it reads that parameter, else through a temporary slot.
        let raw = |cg: &Self, i: usize| params.get(i).is_some_and(|v| cg.unboxed.contains(v));
        let unchanged = |cg: &Self, pr: &Proc, i: usize| cg.in_slot(pr, &args[i], base + i);
        let deferred = |cg: &Self, pr: &Proc, i: usize| {
            !unchanged(cg, pr, i) && !raw(cg, i) && cg.is_simple(&args[i])
        };
        let computed =
            |cg: &Self, pr: &Proc, i: usize| !unchanged(cg, pr, i) && !deferred(cg, pr, i);
        let last = (0..args.len()).rposition(|i| computed(self, p, i));
        let read_after = |cg: &Self, pr: &Proc, i: usize| {
            (0..args.len()).any(|j| {
                ((j > i && computed(cg, pr, j)) || deferred(cg, pr, j))
                    && reads(cg, pr, &args[j], i)
            })
        };
        // Store the computed value of argument i (`rax`, or `xmm0` if raw).
        let store = |cg: &mut Self, pr: &mut Proc, i: usize, to: usize| {
            let ins = if raw(cg, i) { "movsd" } else { "mov" };
            let reg = if raw(cg, i) { "xmm0" } else { "rax" };
            cg.emit(pr, &format!("{ins} {}, {reg}", slot(to)));
        };
        let mut next = d;
        // The moves left: (argument, its temporary slot if computed).
        let mut moves: Vec<(usize, Option<usize>)> = Vec::new();
        for (i, a) in args.iter().enumerate() {
            if deferred(self, p, i) {
                moves.push((i, None));
                continue;
            }
            if !computed(self, p, i) {
                continue;
            }
            if raw(self, i) {
                self.flonum(p, a, next);
            } else {
                self.expr(p, a, next, false);
            }
            if last == Some(i) {
                continue;
            }
            if read_after(self, p, i) {
                store(self, p, i, next);
                moves.push((i, Some(next)));
                next += 1;
            } else {
                store(self, p, i, base + i);
            }
        }
        // The moves as a parallel assignment: one whose slot no other
        // pending move reads goes first; a cycle (`(loop y x)`) is broken
        // by copying one value to a temporary. Only deferred moves (no
        // temporary) read parameters.
        while !moves.is_empty() {
            let blocks = |cg: &Self, pr: &Proc, m: &(usize, Option<usize>), i: usize| {
                m.1.is_none() && reads(cg, pr, &args[m.0], i)
            };
            let free = (0..moves.len()).find(|&k| {
                let i = moves[k].0;
                moves
                    .iter()
                    .enumerate()
                    .all(|(l, m)| l == k || !blocks(self, p, m, i))
            });
            match free {
                Some(k) => {
                    let (i, temp) = moves.remove(k);
                    self.load_home(p, &args[i], temp, "rcx");
                    self.emit(p, &format!("mov {}, rcx", slot(base + i)));
                }
                None => {
                    // Temporaries read no parameter: a deferred move blocks.
                    let k = moves
                        .iter()
                        .position(|m| m.1.is_none())
                        .expect("a cycle of deferred moves");
                    self.load_home(p, &args[moves[k].0], None, "rcx");
                    self.emit(p, &format!("mov {}, rcx", slot(next)));
                    moves[k].1 = Some(next);
                    next += 1;
                }
            }
        }
        if let Some(i) = last {
            store(self, p, i, base + i);
        }
    }

    /// A `letrec` of one procedure that `loops.rs` found is only ever
    /// jumped to: its parameters take slots `d..` of this frame, its body
    /// follows the code of the `letrec` body, and its calls are jumps
    /// (`loop_jump`). No closure, no call, no frame of its own.
    pub(super) fn inline_loop(
        &mut self,
        p: &mut Proc,
        v: VarId,
        l: &'a Lambda,
        body: &'a Expr,
        d: usize,
        tail: bool,
    ) {
        let n = l.params.len();
        let head = self.label("loop");
        let end = self.label("loop_end");
        self.loop_heads.insert(v, (head.clone(), d, &l.params));
        let _ = writeln!(p.code, "    # loop {}", l.name);
        // What holds before the loop holds at its head and after it.
        let before = self.known_pairs.clone();
        self.expr(p, body, d + n, tail);
        if !tail {
            self.emit(p, &format!("jmp {end}"));
        }
        self.place(p, &head);
        self.known_pairs.clone_from(&before);
        for (i, &param) in l.params.iter().enumerate() {
            p.locs.insert(param, Loc::Slot(d + i));
        }
        for (i, &param) in l.params.iter().enumerate() {
            self.box_slot(p, param, d + i, d + n);
        }
        self.expr(p, &l.body, d + n, tail);
        if !tail {
            self.place(p, &end);
            self.known_pairs = before;
        }
        self.loop_heads.remove(&v);
    }

    /// `(apply f a ... list)`: spread the list into the outgoing arguments.
    pub(super) fn apply(
        &mut self,
        p: &mut Proc,
        f: &'a Expr,
        args: &'a [Expr],
        d: usize,
        tail: bool,
    ) {
        let (list, fixed) = args.split_last().expect("apply has a list argument");
        let k = fixed.len();
        let base = if tail { d.max(k) } else { d };
        let all: Vec<&'a Expr> = std::iter::once(f).chain(args).collect();
        for (i, a) in all.iter().enumerate() {
            self.expr(p, a, base + i, false);
            self.emit(p, &format!("mov {}, rax", slot(base + i)));
        }
        let next = base + all.len();
        let list_slot = slot(next - 1);
        let frame = odd(next);
        self.emit(p, "mov rdi, r15");
        self.emit(p, &format!("mov rsi, {list_slot}"));
        self.runtime_call(p, "scm_apply_length", frame);
        self.emit(p, "mov rdx, rax");
        self.emit(p, &format!("mov rdi, {}", slot(base)));
        self.check_procedure(p);
        let _ = list;
        // Outgoing argument i goes to [rsp - out(i)].
        let out = |i: usize| {
            if tail {
                8 * (i + 1)
            } else {
                8 * (frame + 2 + i)
            }
        };
        self.emit(p, &format!("mov rcx, {list_slot}"));
        for i in 0..k {
            self.emit(p, &format!("mov rax, {}", slot(base + 1 + i)));
            self.emit(p, &format!("mov qword ptr [rsp - {}], rax", out(i)));
        }
        let lp = self.label("spread");
        let done = self.label("spread_done");
        self.emit(p, &format!("lea r8, [rsp - {}]", out(k)));
        self.place(p, &lp);
        self.emit(p, &format!("cmp rcx, {:#x}", abi::NIL));
        self.emit(p, &format!("je {done}"));
        self.emit(p, &format!("mov rax, qword ptr [rcx - {}]", abi::TAG_PAIR));
        self.emit(p, "mov qword ptr [r8], rax");
        self.emit(p, "sub r8, 8");
        self.emit(
            p,
            &format!(
                "mov rcx, qword ptr [rcx + {}]",
                abi::PAIR_CDR - abi::TAG_PAIR as i64
            ),
        );
        self.emit(p, &format!("jmp {lp}"));
        self.place(p, &done);
        self.emit(p, &format!("lea esi, [rdx + {k}]"));
        let code = abi::CLOSURE_CODE - abi::TAG_CLOSURE as i64;
        if tail {
            self.emit(p, &format!("jmp qword ptr [rdi + {code}]"));
        } else {
            self.scheme_call(p, &format!("qword ptr [rdi + {code}]"), frame);
        }
    }

    /// Call a primitive's C function with `argv` in the frame.
    pub(super) fn prim_call(
        &mut self,
        p: &mut Proc,
        prim: &'static PrimDesc,
        args: &'a [Expr],
        d: usize,
    ) {
        let n = args.len();
        // Plugin primitives are called through slots filled at load time.
        let (fast_target, array_target) = match self.prims.library_of(prim) {
            Some(_) => {
                let closure = self.prim_closure(prim);
                let fast = self
                    .imports
                    .iter()
                    .flatten()
                    .find(|i| i.1 == closure)
                    .and_then(|i| i.2.clone());
                (
                    fast.map(|f| format!("qword ptr [rip + {f}]")),
                    format!("qword ptr [rip + {closure} + 16]"),
                )
            }
            None => (prim.fast_symbol.map(str::to_owned), prim.symbol.to_owned()),
        };
        if let Some(fast) = fast_target {
            // Register entry: (ctx, arg0, ..., arg4) in rdi, rsi, rdx, rcx, r8, r9.
            const REGS: [&str; 5] = ["rsi", "rdx", "rcx", "r8", "r9"];
            let (homes, next) = self.eval_to_temps(p, args, d, |cg, e| cg.is_simple(e));
            for (i, a) in args.iter().enumerate() {
                self.load_home(p, a, homes[i], REGS[i]);
            }
            let frame = odd(next);
            self.emit(p, "mov rdi, r15");
            self.runtime_call(p, &fast, frame);
            return;
        }
        // Argument i goes to slot d+n-1-i so that argv ascends in memory.
        for (i, a) in args.iter().enumerate() {
            self.expr(p, a, d + n, false);
            self.emit(p, &format!("mov {}, rax", slot(d + n - 1 - i)));
        }
        let frame = odd(d + n);
        self.emit(p, "mov rdi, r15");
        self.emit(p, &format!("lea rsi, [rsp - {}]", 8 * (d + n)));
        self.emit(p, &format!("mov edx, {n}"));
        self.runtime_call(p, &array_target, frame);
    }
}
