//! Process start-up: the generated `main` calls [`scm_main`], which builds
//! the [`Ctx`], maps the Scheme stack and runs the program on it.
//!
//! Compiled code runs on a stack of its own (1 GiB reserved, touched lazily,
//! with a guard region at the bottom) so that deep non-tail recursion works.
//! Procedure prologues compare `rsp` with `ctx.stack_limit` and report a
//! clean "stack overflow" error; the guard region and a SIGSEGV handler on
//! an alternate stack catch anything that gets past that check (deep
//! recursion inside Rust code).

use std::io::Write;

use crate::rt::Ctx;
use crate::rt::Value;

const STACK_BYTES: usize = 1 << 30;
const GUARD_BYTES: usize = 1 << 16;
/// Room left below `stack_limit` for runtime functions called from Scheme.
const RUNTIME_STACK_MARGIN: usize = 16 << 20;

std::arch::global_asm!(
    // scm_run_on_stack(ctx, entry, stack_top): call `entry` with r15 = ctx
    // on the Scheme stack, then return on the C stack.
    ".globl scm_run_on_stack",
    "scm_run_on_stack:",
    "push rbp",
    "push rbx",
    "push r12",
    "push r13",
    "push r14",
    "push r15",
    "mov r15, rdi",
    // Compiled code may clobber every register but r15 and rbp: keep the
    // C stack pointer on the new stack.
    "mov rax, rsp",
    "mov rsp, rdx",
    "push rax",
    "sub rsp, 8",
    // The bottom of the live stack segment: the slot `call` pushes to.
    "lea rax, [rsp - 8]",
    "mov [r15 + 40], rax",
    "call rsi",
    "add rsp, 8",
    "pop rsp",
    "pop r15",
    "pop r14",
    "pop r13",
    "pop r12",
    "pop rbx",
    "pop rbp",
    "ret",
    // Scheme-convention entry shared by all primitive closures
    // ([header][scm_prim_adapter][fn][info]): rdi = closure, rsi = argc,
    // argument i at [rsp - 8(i+1)]. Moves rsp below the arguments, aligns
    // it and lets `scm_apply_primitive` do the rest.
    ".globl scm_prim_adapter",
    ".quad 0",
    "scm_prim_adapter:",
    // Errors start their backtrace at the caller's return address.
    "lea r11, [rsp + 8]",
    "mov [r15 + 56], r11",
    "mov rdx, rsi",
    "mov rsi, rdi",
    "mov rcx, rsp",
    "mov r10, rsp",
    "lea rax, [rdx*8 + 8]",
    "sub rsp, rax",
    "and rsp, -16",
    "push r10",
    "push r10",
    "mov rdi, r15",
    "call scm_apply_primitive",
    "mov rsp, [rsp]",
    "ret",
    // scm_call_scheme(ctx, closure, argc, argv): call a Scheme procedure
    // from Rust (already on the Scheme stack) and return its value.
    ".globl scm_call_scheme",
    "scm_call_scheme:",
    "push rbp",
    "mov rbp, rsp",
    "push rbx",
    "push r12",
    "push r13",
    "push r14",
    "push r15",
    "mov r15, rdi",
    "and rsp, -16",
    "xor eax, eax",
    "2:",
    "cmp rax, rdx",
    "je 3f",
    "mov r8, [rcx + rax*8]",
    "neg rax",
    "mov [rsp + rax*8 - 16], r8",
    "neg rax",
    "inc rax",
    "jmp 2b",
    "3:",
    // A boundary (control.rs): the segment ends at the slot `call`
    // pushes to, and scm_abort_boundary returns from this frame.
    "lea rax, [rsp - 8]",
    "mov [r15 + 40], rax",
    "mov [r15 + 48], rbp",
    "mov rdi, rsi",
    "mov rsi, rdx",
    "call [rdi + 6]",
    // scm_abort_boundary (control.rs) also returns from here.
    ".globl scm_call_scheme_return",
    "scm_call_scheme_return:",
    "lea rsp, [rbp - 40]",
    "pop r15",
    "pop r14",
    "pop r13",
    "pop r12",
    "pop rbx",
    "pop rbp",
    "ret",
);

extern "C" {
    fn scm_run_on_stack(ctx: *mut std::ffi::c_void, entry: extern "C" fn(), stack_top: *mut u8);
    pub fn scm_prim_adapter();
}

/// The primitive function type: `argv[0..argc]` are the arguments.
pub type PrimFn = unsafe extern "C" fn(*mut Ctx, *const Value, u64) -> Value;

/// Called by `scm_prim_adapter`: gathers the arguments (stored downwards
/// from `frame`) into order and calls the closure's primitive.
///
/// # Safety
/// `closure` is a primitive closure and `argc` values are stored below `frame`.
#[no_mangle]
pub unsafe extern "C" fn scm_apply_primitive(
    ctx: &mut Ctx,
    closure: Value,
    argc: u64,
    frame: *const Value,
) -> Value {
    // SAFETY: the caller stored `argc` arguments below `frame`.
    let arg = |i: usize| unsafe { *frame.sub(i + 1) };
    // SAFETY: word 2 of a primitive closure is a `PrimFn`, set by the compiler.
    let f: PrimFn = unsafe { std::mem::transmute(closure.word(2)) };
    let n = argc as usize;
    // Few arguments (the usual case) are put in order without allocating.
    let mut small = [Value::FALSE; 8];
    if n <= small.len() {
        for (i, slot) in small.iter_mut().take(n).enumerate() {
            *slot = arg(i);
        }
        // SAFETY: `small` holds `argc` values.
        return unsafe { f(ctx, small.as_ptr(), argc) };
    }
    let args: Vec<Value> = (0..n).map(arg).collect();
    // SAFETY: `args` holds `argc` values.
    unsafe { f(ctx, args.as_ptr(), argc) }
}

/// Entry point called by the generated `main`.
///
/// # Safety
/// The arguments are the tables and strings the compiler emits.
#[no_mangle]
pub unsafe extern "C" fn scm_main(tables: *const u64) -> i32 {
    // SAFETY: guaranteed by the caller.
    unsafe { start(tables, None) }
}

/// Run the program whose tables are `tables`, with `command_line` if it
/// is not the process's.
///
/// # Safety
/// As `scm_main`.
unsafe fn start(tables: *const u64, command_line: Option<Vec<String>>) -> i32 {
    use crate::abi::*;
    // Panics inside primitives are reported by their trampolines.
    std::panic::set_hook(Box::new(|_| {}));
    let ctx = Box::leak(Box::new(Ctx::with_standard_ports()));
    let stack = map_stack();
    let heap = ctx.heap();
    heap.stack_top = stack as usize + STACK_BYTES;
    // SAFETY: the caller passes the compiler's `scheme_program` table.
    let word = |i: usize| unsafe { *tables.add(i) };
    heap.regions.push((
        word(MODULE_ROOTS_START) as usize,
        word(MODULE_ROOTS_END) as usize,
    ));
    // SAFETY: the table's words are the compiler's tables.
    unsafe {
        ctx.frames = crate::backtrace::read_table(
            word(MODULE_FRAMES_START) as *const u64,
            word(MODULE_FRAMES_END) as *const u64,
        );
        ctx.sources = read_sources(word(MODULE_SOURCE) as *const u64);
    }
    ctx.program = tables;
    ctx.command_line = command_line;
    // SAFETY: a program's entry is a C-convention function.
    let entry: extern "C" fn() = unsafe { std::mem::transmute(word(MODULE_ENTRY)) };
    ctx.stack_limit = stack as u64 + (GUARD_BYTES + RUNTIME_STACK_MARGIN) as u64;
    install_overflow_handler(stack);
    // SAFETY: the stack region is mapped and 16-byte aligned at its top.
    unsafe {
        scm_run_on_stack(
            ctx as *mut Ctx as *mut std::ffi::c_void,
            entry,
            stack.add(STACK_BYTES),
        )
    };
    ctx.exit(0)
}

/// `main` of the launcher `schemec run` starts programs with: `argv[1]` is
/// the program, compiled into a shared object, `argv[0]` the name it runs
/// as, then its arguments. Loads the program and starts it with its
/// tables and that command line.
///
/// # Safety
/// `argv` holds `argc` C strings; the program was compiled by the schemec
/// that made this launcher.
#[no_mangle]
pub unsafe extern "C" fn scm_launch(argc: i32, argv: *const *const std::ffi::c_char) -> i32 {
    use libloading::os::unix::{Library, RTLD_LOCAL, RTLD_NOW};
    // SAFETY: guaranteed by the caller.
    let arg = |i: usize| unsafe {
        let p = *argv.add(i);
        std::ffi::CStr::from_ptr(p).to_string_lossy().into_owned()
    };
    let args: Vec<String> = (0..argc.max(0) as usize).map(arg).collect();
    let [name, program, rest @ ..] = &args[..] else {
        eprintln!("usage: launcher PROGRAM.so [ARGUMENT...] (started by `schemec run`)");
        return 2;
    };
    let command_line = std::iter::once(name).chain(rest).cloned().collect();
    // SAFETY: guaranteed by the caller (programs have no initialisers).
    let lib = match unsafe { Library::open(Some(program), RTLD_NOW | RTLD_LOCAL) } {
        Ok(lib) => lib,
        Err(e) => {
            eprintln!("error: cannot load the compiled program {program}: {e}");
            return 70;
        }
    };
    let symbol = format!("{}\0", crate::abi::PROGRAM_SYMBOL);
    // SAFETY: a program exports its table under this name.
    let tables = match unsafe { lib.get::<*const u64>(symbol.as_bytes()) } {
        Ok(tables) => *tables,
        Err(e) => {
            eprintln!("error: {program} is not a compiled program: {e}");
            return 70;
        }
    };
    // Its code stays mapped for the whole run.
    std::mem::forget(lib);
    // SAFETY: the program's tables, as the compiler emits them.
    unsafe { start(tables, Some(command_line)) }
}

/// The compiler's table of source files: a count, then that many pairs
/// of pointers to NUL-terminated strings, a file's name and its path.
///
/// # Safety
/// `source` is such a table.
pub(crate) unsafe fn read_sources(source: *const u64) -> Vec<(String, String)> {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let text = |p: u64| {
            std::ffi::CStr::from_ptr(p as *const std::ffi::c_char)
                .to_string_lossy()
                .into_owned()
        };
        let n = *source as usize;
        (0..n)
            .map(|i| (text(*source.add(1 + 2 * i)), text(*source.add(2 + 2 * i))))
            .collect()
    }
}

fn map_stack() -> *mut u8 {
    // SAFETY: plain anonymous mapping; checked for failure below.
    unsafe {
        let p = libc::mmap(
            std::ptr::null_mut(),
            STACK_BYTES,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
            -1,
            0,
        );
        if p == libc::MAP_FAILED {
            eprintln!("error: cannot map the Scheme stack");
            std::process::exit(1);
        }
        libc::mprotect(p, GUARD_BYTES, libc::PROT_NONE);
        p as *mut u8
    }
}

static mut GUARD_START: usize = 0;

extern "C" fn on_segv(_sig: i32, info: *mut libc::siginfo_t, _uc: *mut libc::c_void) {
    // SAFETY: reading the fault address the kernel filled in; GUARD_START
    // is written once before the handler is installed.
    let addr = unsafe { (*info).si_addr() } as usize;
    let guard = unsafe { GUARD_START };
    let msg: &[u8] = if addr >= guard && addr < guard + GUARD_BYTES + 4096 {
        b"error: stack overflow (recursion too deep)\n"
    } else {
        b"error: segmentation fault (internal error)\n"
    };
    let _ = std::io::stdout().flush();
    // SAFETY: write(2) and _exit(2) are async-signal-safe.
    unsafe {
        libc::write(2, msg.as_ptr() as *const libc::c_void, msg.len());
        libc::_exit(1);
    }
}

fn install_overflow_handler(stack: *mut u8) {
    const ALT_BYTES: usize = 1 << 16;
    // SAFETY: sets up an alternate signal stack (leaked) and a handler
    // that only uses async-signal-safe calls.
    unsafe {
        GUARD_START = stack as usize;
        let alt = Box::leak(vec![0u8; ALT_BYTES].into_boxed_slice());
        let ss = libc::stack_t {
            ss_sp: alt.as_mut_ptr() as *mut libc::c_void,
            ss_flags: 0,
            ss_size: ALT_BYTES,
        };
        libc::sigaltstack(&ss, std::ptr::null_mut());
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_segv as *const () as usize;
        action.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
        libc::sigaction(libc::SIGSEGV, &action, std::ptr::null_mut());
    }
}
