//! Foreign procedures and callables (issue 16): the compiled code of
//! `foreign-procedure` and `foreign-callable` forms.
//!
//! A foreign procedure is an ordinary Scheme procedure (a static closure,
//! Scheme calling convention, `ProcInfo` named after the C function) whose
//! body converts each argument into its C bits, calls the C function
//! through a slot that `scm_load_shared_objects` fills at start-up, and
//! converts the result. Common conversions are inline (fixnums to integer
//! types with the range check, flonums and fixnums to `double`, `u8*`,
//! integer and `double` results); the rest, and every error, go through
//! `scm_foreign_arg`, `scm_foreign_string_arg` and `scm_foreign_result`.
//! A top-level `define` of one is a known procedure: calls enter it past the
//! argument count check (`Codegen::call`).
//!
//! Frame of a foreign procedure with n parameters: slots 0..n the
//! arguments, n..2n their C bits, 2n..3n the copies made for `string`
//! arguments (kept there, so alive, for the call), then the C stack
//! arguments beyond six integer and eight SSE registers.
//!
//! A callable's stub follows the C convention: it stores the C arguments
//! as words in its frame and calls `scm_foreign_callable_invoke` with the
//! thunk's slot (in `r11`, see `c_callable.rs`).

use std::fmt::Write;

use scheme_runtime::abi;
use scheme_runtime::c_ffi::CType;

use super::{escape_ascii, odd, slot, Codegen, Proc};
use crate::ast::Expr;
use crate::foreign::ForeignSig;

const INT_REGS: [&str; 6] = ["rdi", "rsi", "rdx", "rcx", "r8", "r9"];
const SSE_REGS: usize = 8;

/// Where each C argument goes: `Ok(register)` or `Err(stack index)`.
fn placement(params: &[CType]) -> (Vec<Result<String, usize>>, usize, usize) {
    let (mut ints, mut sses, mut stack) = (0, 0, 0);
    let mut out = Vec::new();
    for t in params {
        if t.is_float() && sses < SSE_REGS {
            out.push(Ok(format!("xmm{sses}")));
            sses += 1;
        } else if !t.is_float() && ints < INT_REGS.len() {
            out.push(Ok(INT_REGS[ints].to_owned()));
            ints += 1;
        } else {
            out.push(Err(stack));
            stack += 1;
        }
    }
    (out, stack, sses)
}

/// The low byte and low doubleword names of a 64-bit register.
fn low_names(r: &str) -> (String, String) {
    match r {
        "rax" | "rcx" | "rdx" | "rbx" => {
            let x = &r[1..2];
            (format!("{x}l"), format!("e{x}x"))
        }
        "rdi" | "rsi" => (format!("{}l", &r[1..]), format!("e{}", &r[1..])),
        _ => (format!("{r}b"), format!("{r}d")),
    }
}

/// The low word name of a 64-bit register.
fn word_name(r: &str) -> String {
    match r {
        "rax" | "rcx" | "rdx" | "rbx" | "rdi" | "rsi" => r[1..].to_owned(),
        _ => format!("{r}w"),
    }
}

impl<'a> Codegen<'a> {
    /// Label of foreign procedure `id`.
    pub(super) fn foreign_label(id: usize) -> String {
        format!("foreign_{id}")
    }

    /// Code, closure, slot and info of every foreign procedure, and the
    /// entry stubs of the callables.
    pub(super) fn foreign_code(&mut self) {
        for id in 0..self.program.foreign.len() {
            self.foreign_procedure(id);
        }
        for id in 0..self.program.callables.len() {
            self.callable_stub(id);
        }
    }

    /// The start-up call that opens the shared objects and fills the
    /// foreign procedures' slots (none when the program uses none).
    pub(super) fn load_shared_objects(&mut self) -> String {
        let specs = &self.prims.shared.runtime_specs;
        if specs.is_empty() && self.program.foreign.is_empty() {
            return String::new();
        }
        let mut objects = format!("scheme_shared_objects:\n    .quad {}\n", specs.len());
        for spec in specs.clone() {
            let l = self.literal_bytes(spec.as_bytes());
            let _ = writeln!(objects, "    .quad {l}, {}", spec.len());
        }
        let mut symbols = format!(
            "scheme_foreign_symbols:\n    .quad {}\n",
            self.program.foreign.len()
        );
        for (id, sig) in self.program.foreign.iter().enumerate() {
            let l = self.literal_bytes(sig.name.as_bytes());
            let _ = writeln!(
                symbols,
                "    .quad {l}, {}, {}.slot",
                sig.name.len(),
                Self::foreign_label(id)
            );
        }
        let _ = write!(self.data, "    .p2align 3\n{objects}{symbols}");
        "    mov rdi, r15\n    lea rsi, [rip + scheme_shared_objects]\n    lea rdx, [rip + scheme_foreign_symbols]\n    sub rsp, 8\n    call scm_load_shared_objects\n    add rsp, 8\n".into()
    }

    fn foreign_procedure(&mut self, id: usize) {
        let sig: ForeignSig = self.program.foreign[id].clone();
        let label = Self::foreign_label(id);
        let info = format!("{label}.info");
        let outer_info = std::mem::replace(&mut self.proc_info, info.clone());
        let n = sig.params.len();
        let (places, stack_args, sses) = placement(&sig.params);
        let frame = odd(3 * n + stack_args);
        let live = odd(3 * n);
        let arity_stub = self.arity_stub();
        let overflow_stub = self.overflow_stub();
        let mut c = String::new();
        let mut slow = String::new();
        let _ = writeln!(
            c,
            "    cmp esi, {n}\n    jne {arity_stub}\n{label}.direct:\n    cmp rsp, qword ptr [r15 + {}]\n    jb {overflow_stub}",
            abi::CTX_STACK_LIMIT
        );
        for (i, &t) in sig.params.iter().enumerate() {
            let code = t.code() as usize | (i + 1) << 8;
            let back = self.label("converted");
            let miss = self.label("convert");
            let call_arg = |cg: &mut Self, helper: &str| {
                let call = cg.call_text(helper, live, true);
                format!(
                    "    mov rdi, r15\n    mov rsi, {}\n    mov edx, {code:#x}\n    lea rcx, [rip + {info}]\n{call}",
                    slot(i)
                )
            };
            if t == CType::String {
                let null = self.label("null");
                let call = call_arg(self, "scm_foreign_string_arg");
                let _ = write!(
                    c,
                    "{call}    mov {}, rax\n    cmp rax, {:#x}\n    je {null}\n    add rax, {}\n    jmp {back}\n{null}:\n    xor eax, eax\n",
                    slot(2 * n + i),
                    abi::FALSE,
                    abi::BYTEVECTOR_DATA - abi::TAG_OBJECT as i64
                );
            } else {
                let _ = writeln!(c, "    mov rax, {}", slot(i));
                self.inline_argument(&mut c, t, "rax", &miss);
                let call = call_arg(self, "scm_foreign_arg");
                let _ = write!(slow, "{miss}:\n{call}    jmp {back}\n");
            }
            let _ = writeln!(c, "{back}:\n    mov {}, rax", slot(n + i));
        }
        // Stack arguments first (through rax), then registers.
        for (i, place) in places.iter().enumerate() {
            if let Err(j) = place {
                let _ = writeln!(
                    c,
                    "    mov rax, {}\n    mov {}, rax",
                    slot(n + i),
                    slot(frame - 1 - j)
                );
            }
        }
        for (i, place) in places.iter().enumerate() {
            match place {
                Ok(r) if r.starts_with("xmm") => {
                    let _ = writeln!(c, "    movq {r}, {}", slot(n + i));
                }
                Ok(r) => {
                    let _ = writeln!(c, "    mov {r}, {}", slot(n + i));
                }
                Err(_) => {}
            }
        }
        // `al`: SSE registers used, for variadic C functions.
        let _ = writeln!(c, "    mov eax, {sses}");
        c.push_str(&self.call_text(&format!("qword ptr [rip + {label}.slot]"), frame, true));
        self.convert_result(&mut c, sig.result, live);
        c.push_str("    ret\n");

        let types: Vec<&str> = sig.params.iter().map(|t| t.name()).collect();
        let _ = writeln!(
            self.text,
            "\n# foreign procedure `{}` ({}) {}\n    .quad {info} - .\n{label}:\n{c}{slow}",
            sig.name,
            types.join(" "),
            sig.result.name()
        );
        let name = format!("{label}.name");
        let _ = writeln!(
            self.rodata,
            "{name}:\n    .ascii \"{}\"",
            escape_ascii(sig.name.as_bytes())
        );
        let _ = writeln!(
            self.data,
            "    .p2align 3\n{info}:\n    .quad {name}, {}\n{label}.closure:\n    .quad {:#x}, {label}\n{label}.slot:\n    .quad 0",
            sig.name.len(),
            abi::header(abi::TYPE_CLOSURE, 0)
        );
        self.proc_info = outer_info;
    }

    /// Convert the value in `r` (an integer register) to C type `t`'s bits
    /// in `r`, jumping to `miss` when the fast path does not apply. Scratch:
    /// `r11` and `xmm15`, never argument registers. `Double` only in `rax`.
    fn inline_argument(&mut self, c: &mut String, t: CType, r: &str, miss: &str) {
        let (b, d) = low_names(r);
        let fixnum = format!("    test {b}, 7\n    jnz {miss}\n");
        match t {
            CType::I64 => {
                let _ = writeln!(c, "{fixnum}    sar {r}, 3");
            }
            CType::U64 | CType::VoidPtr => {
                let _ = write!(
                    c,
                    "{fixnum}    test {r}, {r}\n    js {miss}\n    sar {r}, 3\n"
                );
            }
            CType::I8 | CType::I16 | CType::I32 | CType::U8 | CType::U16 | CType::U32 => {
                let w = &d;
                let extend = match t {
                    CType::I8 => format!("movsx r11, {b}"),
                    CType::I16 => format!("movsx r11, {}", word_name(r)),
                    CType::I32 => format!("movsxd r11, {w}"),
                    CType::U8 => format!("movzx r11d, {b}"),
                    CType::U16 => format!("movzx r11d, {}", word_name(r)),
                    _ => format!("mov r11d, {w}"),
                };
                let _ = write!(
                    c,
                    "{fixnum}    sar {r}, 3\n    {extend}\n    cmp r11, {r}\n    jne {miss}\n"
                );
            }
            CType::Double => {
                assert_eq!(r, "rax", "doubles convert in rax");
                let flo = self.label("flonum");
                let done = self.label("double");
                let _ = write!(
                    c,
                    "    test al, 7\n    jnz {flo}\n    sar rax, 3\n    cvtsi2sd xmm15, rax\n    movq rax, xmm15\n    jmp {done}\n{flo}:\n    mov r11d, eax\n    and r11d, 7\n    cmp r11d, {}\n    jne {miss}\n    mov rax, qword ptr [rax + {}]\n{done}:\n",
                    abi::TAG_FLONUM,
                    abi::FLONUM_BITS - abi::TAG_FLONUM as i64
                );
            }
            CType::Boolean => {
                let _ = write!(
                    c,
                    "    cmp {r}, {:#x}\n    setne {b}\n    movzx {d}, {b}\n",
                    abi::FALSE
                );
            }
            CType::Char => {
                let _ = write!(
                    c,
                    "    cmp {b}, {:#x}\n    jne {miss}\n    shr {r}, {}\n    cmp {r}, 255\n    ja {miss}\n",
                    abi::CHAR_TAG,
                    abi::CHAR_SHIFT
                );
            }
            CType::U8Ptr => {
                let _ = write!(
                    c,
                    "    mov r11d, {d}\n    and r11d, 7\n    cmp r11d, {}\n    jne {miss}\n    cmp byte ptr [{r} - {}], {}\n    jne {miss}\n    add {r}, {}\n",
                    abi::TAG_OBJECT,
                    abi::TAG_OBJECT,
                    abi::TYPE_BYTEVECTOR,
                    abi::BYTEVECTOR_DATA - abi::TAG_OBJECT as i64
                );
            }
            CType::SchemeObject => {}
            // Floats, and anything unusual: the runtime converts.
            _ => {
                let _ = writeln!(c, "    jmp {miss}");
            }
        }
    }

    /// Convert the C result (`rax` or `xmm0`) of type `t` to a value in
    /// `rax`; `live` words of the frame are live.
    fn convert_result(&mut self, c: &mut String, t: CType, live: usize) {
        let done = self.label("result");
        let generic = |cg: &mut Self, c: &mut String| {
            let call = cg.call_text("scm_foreign_result", live, true);
            let _ = write!(
                c,
                "    mov rsi, rax\n    mov rdi, r15\n    mov edx, {}\n{call}",
                t.code()
            );
        };
        match t {
            CType::Void => {
                let _ = writeln!(c, "    mov eax, {:#x}", abi::UNSPECIFIED);
            }
            CType::I8 | CType::I16 | CType::I32 | CType::U8 | CType::U16 | CType::U32 => {
                let extend = match t {
                    CType::I8 => "movsx rax, al",
                    CType::I16 => "movsx rax, ax",
                    CType::I32 => "movsxd rax, eax",
                    CType::U8 => "movzx eax, al",
                    CType::U16 => "movzx eax, ax",
                    _ => "mov eax, eax",
                };
                let _ = writeln!(c, "    {extend}\n    shl rax, 3");
            }
            CType::I64 | CType::U64 | CType::VoidPtr | CType::U8Ptr => {
                let big = self.label("big");
                let check = if t == CType::I64 {
                    format!(
                        "    mov rdx, rax\n    imul rdx, rdx, 8\n    jo {big}\n    mov rax, rdx\n"
                    )
                } else {
                    format!("    mov rdx, rax\n    shr rdx, 60\n    jnz {big}\n    shl rax, 3\n")
                };
                let _ = write!(c, "{check}    jmp {done}\n{big}:\n");
                generic(self, c);
            }
            CType::Double | CType::Float => {
                if t == CType::Float {
                    c.push_str("    cvtss2sd xmm0, xmm0\n");
                }
                self.box_double(c, &done, live);
            }
            CType::Boolean => {
                let _ = writeln!(
                    c,
                    "    test eax, eax\n    mov eax, {:#x}\n    mov ecx, {:#x}\n    cmovne eax, ecx",
                    abi::FALSE,
                    abi::TRUE
                );
            }
            CType::Char => {
                let _ = writeln!(
                    c,
                    "    movzx eax, al\n    shl rax, {}\n    or rax, {:#x}",
                    abi::CHAR_SHIFT,
                    abi::CHAR_TAG
                );
            }
            CType::SchemeObject => {}
            CType::String => generic(self, c),
        }
        let _ = writeln!(c, "{done}:");
    }

    /// The C entry stub of callable `id` and its description.
    fn callable_stub(&mut self, id: usize) {
        let sig = self.program.callables[id].clone();
        let label = format!("callable_{id}");
        let n = sig.params.len();
        let words = odd(n.max(1));
        let (places, _, _) = placement(&sig.params);
        let mut c = format!("    sub rsp, {}\n", 8 * words);
        for (i, place) in places.iter().enumerate() {
            let _ = match place {
                Ok(r) if r.starts_with("xmm") => {
                    writeln!(c, "    movq qword ptr [rsp + {}], {r}", 8 * i)
                }
                Ok(r) => writeln!(c, "    mov qword ptr [rsp + {}], {r}", 8 * i),
                // Above the return address: the caller's stack arguments.
                Err(j) => writeln!(
                    c,
                    "    mov rax, qword ptr [rsp + {}]\n    mov qword ptr [rsp + {}], rax",
                    8 * (words + 1 + j),
                    8 * i
                ),
            };
        }
        let _ = writeln!(
            c,
            "    mov rdi, r11\n    mov rsi, rsp\n    call scm_foreign_callable_invoke"
        );
        if sig.result.is_float() {
            c.push_str("    movq xmm0, rax\n");
        }
        let _ = writeln!(c, "    add rsp, {}\n    ret", 8 * words);
        let _ = writeln!(
            self.text,
            "\n# foreign-callable `{}`: C entry stub\n{label}:\n{c}",
            sig.name
        );
        let name = self.literal_bytes(sig.name.as_bytes());
        let codes: Vec<u8> = sig.params.iter().map(|t| t.code()).collect();
        let params = self.literal_bytes(&codes);
        let _ = writeln!(
            self.data,
            "    .p2align 3\n{label}.desc:\n    .quad {name}, {}, {label}, {params}, {n}, {}",
            sig.name.len(),
            sig.result.code()
        );
    }

    /// A call, in the procedure being compiled, of the global known to be
    /// foreign procedure `id`, with the argument count it takes: when no
    /// conversion needs the procedure's own frame (strings, floats, stack
    /// arguments), compiled at the call site (arguments converted straight
    /// into the C registers, the C call, the result) and `true`; else
    /// nothing is emitted and `false`.
    pub(super) fn inline_foreign_call(
        &mut self,
        p: &mut Proc,
        g: usize,
        id: usize,
        args: &'a [Expr],
        d: usize,
    ) -> bool {
        let sig = self.program.foreign[id].clone();
        let (places, stack, sses) = placement(&sig.params);
        if stack > 0
            || sig
                .params
                .iter()
                .any(|t| matches!(t, CType::String | CType::Float))
        {
            return false;
        }
        self.check_defined(p, g);
        let label = Self::foreign_label(id);
        let info = format!("{label}.info");
        let n = args.len();
        let (homes, next) = self.eval_to_temps(p, args, d, |cg, e| cg.is_simple(e));
        // Slow paths save the registers already converted in next..next+n.
        let live = odd(next + n);
        for (i, &t) in sig.params.iter().enumerate() {
            let reg = places[i].clone().expect("no stack arguments");
            let xmm = reg.starts_with("xmm");
            let target = if xmm { "rax".to_owned() } else { reg.clone() };
            self.load_home(p, &args[i], homes[i], &target);
            let miss = self.label("convert");
            let back = self.label("converted");
            let mut c = String::new();
            self.inline_argument(&mut c, t, &target, &miss);
            let _ = writeln!(c, "{back}:");
            if xmm {
                let _ = writeln!(c, "    movq {reg}, rax");
            }
            p.code.push_str(&c);
            // Out of line: save, convert in the runtime, restore.
            let mut s = format!("{miss}:\n");
            let mut restore = String::new();
            for (k, place) in places[..i].iter().enumerate() {
                let r = place.clone().expect("no stack arguments");
                let mv = if r.starts_with("xmm") { "movq" } else { "mov" };
                let _ = writeln!(s, "    {mv} {}, {r}", slot(next + k));
                let _ = writeln!(restore, "    {mv} {r}, {}", slot(next + k));
            }
            let outer = std::mem::take(&mut p.code);
            self.load_home(p, &args[i], homes[i], "rsi");
            s.push_str(&std::mem::replace(&mut p.code, outer));
            let call = self.call_text("scm_foreign_arg", live, true);
            let code = t.code() as usize | (i + 1) << 8;
            let _ = write!(
                s,
                "    mov rdi, r15\n    mov edx, {code:#x}\n    lea rcx, [rip + {info}]\n{call}    mov {target}, rax\n{restore}    jmp {back}\n"
            );
            self.text.push_str(&s);
        }
        if sses > 0 {
            self.emit(p, &format!("mov eax, {sses}"));
        }
        let call = self.call_text(&format!("qword ptr [rip + {label}.slot]"), odd(next), true);
        p.code.push_str(&call);
        let mut c = String::new();
        self.convert_result(&mut c, sig.result, odd(next));
        p.code.push_str(&c);
        true
    }

    /// `(foreign-callable proc ...)` with `proc`'s value in `rax`: a new
    /// callable object in `rax` (slots `0..d` live).
    pub(super) fn make_callable(&mut self, id: usize, d: usize) -> String {
        let call = self.call_text("scm_make_foreign_callable", odd(d), true);
        format!(
            "    mov rsi, rax\n    mov rdi, r15\n    lea rdx, [rip + callable_{id}.desc]\n{call}"
        )
    }
}
