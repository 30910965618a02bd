//! Continuations, `dynamic-wind` and the Rust-to-Scheme boundary.
//!
//! Segmented stack (Hieb, Dybvig and Bruggeman, "Representing control in
//! the presence of first-class continuations"), adapted to frames that
//! never move:
//!
//! - The live stack segment is `[rsp, ctx.stack_base)`; the slot at
//!   `stack_base` holds the return address its bottom frame returns to:
//!   `scm_underflow` when older frames wait in a continuation object
//!   (`ctx.cont_next`, from word `ctx.cont_offset` of its frames), or the
//!   boundary's own return address (`scm_run_on_stack`, `scm_call_scheme`).
//! - `call/cc` copies the live segment into a continuation object (linked
//!   to `cont_next`), makes the segment empty (`stack_base = rsp`, its slot
//!   now `scm_underflow`) and tail-calls the receiver. Capture costs the
//!   frames since the last capture, not the whole stack: capturing
//!   repeatedly at depth d costs O(1) each after the first.
//! - Returning into `scm_underflow` copies back one frame (its size comes
//!   from the compiler's table of return addresses, `ctx.frames`) to the
//!   address it was captured at, and returns into it. A frame always lives
//!   at the same address, so frames may be copied without relocation.
//! - Calling a continuation runs the `dynamic-wind` thunks between here and
//!   there, points `stack_base` at the continuation's first frame and
//!   returns through `scm_underflow`.
//! - Rust frames are never jumped over: `Ctx::call` is a boundary. A jump
//!   to a continuation outside it, or a raise that no handler inside it
//!   takes, returns from `Ctx::call` with `Err` (`scm_abort_boundary`); the
//!   Rust code returns the `Err` to its trampoline, which continues the
//!   jump or re-raises. A continuation captured inside a `Ctx::call` that
//!   has returned cannot be re-entered (a catchable error, as in Chez).

use crate::abi::*;
use crate::heap::Root;
use crate::rt::Ctx;
use crate::rt::Procedure;
use crate::rt::Value;

/// An active `Ctx::call`: if it `catches`, a raise with `ctx.handlers`
/// equal to `handlers` found no handler inside the call, and goes to the
/// Rust caller. The runtime's own calls (handlers, `vector-map`'s
/// procedure, ...) do not catch: a raise goes on to the handlers outside,
/// and `raise-continuable` returns what they return.
pub struct Boundary {
    pub id: u64,
    pub handlers: Value,
    pub catches: bool,
    /// The held values and borrows of the calls outside it.
    pub(crate) scope: crate::scope::ScopeMark,
}

/// Why a `Ctx::call` is being left early.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Pending {
    /// A raised object (`ctx.pending_value`) that no handler inside took.
    Raised,
    /// A jump to a continuation outside (`ctx.throw_target`).
    Escape,
}

/// What `Ctx::call` returns when the Scheme code it calls does not return
/// normally. Return it from a `#[scheme_fn]` (`?`) to let it go on: a
/// raise is re-raised to the primitive's caller, a jump goes on to its
/// continuation. A raise may also be handled in Rust: [`Exception::value`]
/// is the raised object.
pub struct Exception(ExceptionKind);

enum ExceptionKind {
    Raised(Root),
    Escape,
}

impl Exception {
    /// An exception that raises `v` when it goes on.
    pub(crate) fn raised(ctx: &mut Ctx, v: Value) -> Exception {
        Exception(ExceptionKind::Raised(ctx.root(v)))
    }

    /// The raised object, or `None` for a continuation jump passing through.
    pub fn value<'s>(&self, ctx: &mut crate::ctx::Ctx<'s>) -> Option<crate::value::Value<'s>> {
        match &self.0 {
            ExceptionKind::Raised(r) => Some(r.get(ctx)),
            ExceptionKind::Escape => None,
        }
    }

    /// The raised object (the runtime's own code).
    pub(crate) fn raised_value(&self) -> Option<Value> {
        match &self.0 {
            ExceptionKind::Raised(r) => Some(r.value()),
            ExceptionKind::Escape => None,
        }
    }

    /// The message Scheme would print for it, uncaught.
    pub fn message(&self) -> String {
        match &self.0 {
            ExceptionKind::Raised(r) => crate::exception::describe(r.value()),
            ExceptionKind::Escape => "a continuation jump passing through".into(),
        }
    }

    /// Let it go on from a primitive (after Rust frames have unwound).
    pub(crate) fn resume(self, ctx: &mut Ctx) -> ! {
        match self.0 {
            ExceptionKind::Raised(r) => {
                let v = r.value();
                drop(r);
                crate::exception::raise_error(ctx, v)
            }
            ExceptionKind::Escape => crate::exception::unwind_or(ctx, resume_throw),
        }
    }
}

impl std::fmt::Debug for Exception {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Exception({})", self.message())
    }
}

std::arch::global_asm!(
    // call/cc: rdi = closure, esi = argc, the receiver at [rsp - 8].
    ".quad 0",
    ".globl scm_callcc_code",
    "scm_callcc_code:",
    "cmp esi, 1",
    "jne 8f",
    "mov rbx, [rsp - 8]",
    "mov eax, ebx",
    "and eax, 7",
    "cmp eax, 2",
    "jne 9f",
    // `scm_capture`'s work inline when the live segment is at most
    // {fast_words} words and the continuation and its closure fit in the
    // current allocation hole (one bump for both): rcx = the segment's
    // size in bytes, which is also its length in words as a fixnum.
    "mov rcx, [r15 + {stack_base}]",
    "sub rcx, rsp",
    "cmp rcx, 8 * {fast_words}",
    "ja 6f",
    "mov rax, [r15 + {alloc_ptr}]",
    "lea rdx, [rax + rcx + 8 * ({cont_words} + 1 + 3)]",
    "cmp rdx, [r15 + {alloc_limit}]",
    "ja 6f",
    "mov [r15 + {alloc_ptr}], rdx",
    // The continuation at rax: header, then the fields K_NEXT..K_LEN.
    "lea rdx, [rcx + 8 * {cont_words}]",
    "shl rdx, {length_shift} - 3",
    "or rdx, {type_continuation}",
    "mov [rax], rdx",
    "mov rdx, [r15 + {cont_next}]",
    "mov [rax + 8 * {k_next}], rdx",
    "mov rdx, [r15 + {cont_offset}]",
    "shl rdx, 3",
    "mov [rax + 8 * {k_next_offset}], rdx",
    "mov rdx, [r15 + {winders}]",
    "mov [rax + 8 * {k_winders}], rdx",
    "mov rdx, [r15 + {handlers}]",
    "mov [rax + 8 * {k_handlers}], rdx",
    "mov rdx, [r15 + {boundary_id}]",
    "shl rdx, 3",
    "mov [rax + 8 * {k_boundary}], rdx",
    "mov [rax + 8 * {k_start}], rsp",
    "mov [rax + 8 * {k_len}], rcx",
    // The segment's words after the fields.
    "xor edx, edx",
    "test rcx, rcx",
    "jz 2f",
    "3:",
    "mov r8, [rsp + rdx]",
    "mov [rax + rdx + 8 * ({cont_words} + 1)], r8",
    "add rdx, 8",
    "cmp rdx, rcx",
    "jne 3b",
    // The closure after it: header, code, the continuation.
    "2:",
    "lea rdx, [rax + rcx + 8 * ({cont_words} + 1)]",
    "mov qword ptr [rdx], {closure_header}",
    "lea r8, [rip + scm_continuation_code]",
    "mov [rdx + 8], r8",
    "or rax, {tag_object}",
    "mov [rdx + 16], rax",
    "or rdx, {tag_closure}",
    // A non-empty segment now belongs to the continuation: empty it.
    "test rcx, rcx",
    "jz 4f",
    "mov [r15 + {cont_next}], rax",
    "mov qword ptr [r15 + {cont_offset}], 0",
    "mov [r15 + {stack_base}], rsp",
    "lea r8, [rip + scm_underflow]",
    "mov [rsp], r8",
    "4:",
    "mov rax, rdx",
    "jmp 5f",
    "6:",
    "mov rdi, r15",
    "mov rsi, rsp",
    "sub rsp, 8",
    "call scm_capture",
    "add rsp, 8",
    "5:",
    "mov [rsp - 8], rax",
    "mov rdi, rbx",
    "mov esi, 1",
    "jmp [rdi + 6]",
    "8:",
    "mov edx, 0x1F",
    "jmp 7f",
    "9:",
    "mov rdx, rbx",
    "mov esi, 1",
    "7:",
    "mov rdi, r15",
    "and rsp, -16",
    "call scm_callcc_error",
    "ud2",
    // A continuation closure: rdi = closure, esi = argc, argument i at
    // [rsp - 8(i+1)]. Moves rsp below the arguments and throws.
    ".quad 0",
    ".globl scm_continuation_code",
    "scm_continuation_code:",
    "mov edx, esi",
    "mov rsi, rdi",
    "lea rcx, [rsp - 8]",
    "lea rax, [rdx*8 + 8]",
    "sub rsp, rax",
    "and rsp, -16",
    "mov rdi, r15",
    "call scm_throw",
    "ud2",
    // Reached by returning past the bottom of the live segment: rax is
    // the value, rsp = stack_base + 8 (16-byte aligned). Restores the next
    // frame and returns into it. The frame's size comes from
    // `ctx.frame_cache` (hashed as `frame_size` does); when it is not
    // there, `scm_frame_cache_fill` puts it there and this starts over.
    ".globl scm_underflow",
    "scm_underflow:",
    "mov rdx, [r15 + {cont_next}]",
    "and rdx, -8",
    "mov rcx, [r15 + {cont_offset}]",
    // rsi = the address of k_word(k, off), r8 = the frame's return address.
    "lea rsi, [rdx + rcx*8 + 8*({cont_words} + 1)]",
    "mov r8, [rsi]",
    "mov r9, r8",
    "shr r9, 10",
    "xor r9, r8",
    "and r9d, {cache_mask}",
    "shl r9d, 4",
    "add r9, [r15 + {frame_cache}]",
    "cmp [r9], r8",
    "jne 5f",
    // r9 = m, the frame's size in words: copy them to [rsp, rsp + 8m).
    "mov r9, [r9 + 8]",
    "xor r10d, r10d",
    "test r9, r9",
    "jz 2f",
    "3:",
    "mov r11, [rsi + r10*8 + 8]",
    "mov [rsp + r10*8], r11",
    "inc r10",
    "cmp r10, r9",
    "jne 3b",
    "2:",
    // r10 = the new stack base; rcx = the word after the frame.
    "lea r10, [rsp + r9*8]",
    "lea rcx, [rcx + r9 + 1]",
    "mov r11, [rdx + 8*{k_len}]",
    "sar r11, 3",
    "cmp rcx, r11",
    "jae 4f",
    "mov [r15 + {cont_offset}], rcx",
    "jmp 6f",
    // Past k's last frame: its next continuation, or the boundary's
    // return address (still in its slot) when there is none.
    "4:",
    "mov rcx, [rdx + 8*{k_next}]",
    "mov [r15 + {cont_next}], rcx",
    "mov r11, [rdx + 8*{k_next_offset}]",
    "sar r11, 3",
    "mov [r15 + {cont_offset}], r11",
    "cmp rcx, {false_}",
    "je 7f",
    "6:",
    "lea r11, [rip + scm_underflow]",
    "mov [r10], r11",
    "7:",
    "mov [r15 + {stack_base}], r10",
    "jmp r8",
    "5:",
    "mov rbx, rax",
    "mov rdi, r15",
    "call scm_frame_cache_fill",
    "mov rax, rbx",
    // Clear what that call left below rsp: its frames may hold the
    // continuation, the next frames built there have slots they never
    // write, and a later capture would copy that stale pointer from
    // them, chaining every continuation to the one before (a leak found
    // by capturing in a loop). The path above writes no memory below
    // rsp. 32 sixteen-byte stores (`rep stosq` starts slowly); rsp is
    // 16-byte aligned here.
    "pxor xmm0, xmm0",
    ".set scm_clear_offset, 512",
    ".rept 32",
    "movaps [rsp - scm_clear_offset], xmm0",
    ".set scm_clear_offset, scm_clear_offset - 16",
    ".endr",
    "jmp scm_underflow",
    // scm_jump(ctx, target, value, underflow): rsp = target, [rsp] =
    // scm_underflow if asked, return `value` through [rsp]. Compiled code
    // needs r15 = ctx, and rbp = the boundary's frame (Rust code may have
    // used both, and its epilogues do not run).
    ".globl scm_jump",
    "scm_jump:",
    "mov r15, rdi",
    "mov rbp, [rdi + 48]",
    "mov rsp, rsi",
    "mov rax, rdx",
    "test rcx, rcx",
    "jz 2f",
    "lea rcx, [rip + scm_underflow]",
    "mov [rsp], rcx",
    "2:",
    "ret",
    // scm_abort_boundary(ctx): return from the innermost scm_call_scheme
    // through its own epilogue (entry.rs), with its frame pointer.
    ".globl scm_abort_boundary",
    "scm_abort_boundary:",
    "mov rbp, [rdi + 48]",
    "mov eax, 0x1F",
    "jmp scm_call_scheme_return",
    cont_next = const CTX_CONT_NEXT,
    cont_offset = const CTX_CONT_OFFSET,
    frame_cache = const CTX_FRAME_CACHE,
    stack_base = const CTX_STACK_BASE,
    cache_mask = const FRAME_CACHE - 1,
    cont_words = const CONT_WORDS,
    k_len = const K_LEN,
    k_next = const K_NEXT,
    k_next_offset = const K_NEXT_OFFSET,
    false_ = const FALSE,
    fast_words = const 64,
    alloc_ptr = const CTX_ALLOC_PTR,
    alloc_limit = const CTX_ALLOC_LIMIT,
    winders = const CTX_WINDERS,
    handlers = const CTX_HANDLERS,
    boundary_id = const CTX_BOUNDARY_ID,
    length_shift = const HEADER_LENGTH_SHIFT,
    type_continuation = const TYPE_CONTINUATION,
    k_winders = const K_WINDERS,
    k_handlers = const K_HANDLERS,
    k_boundary = const K_BOUNDARY,
    k_start = const K_START,
    closure_header = const (1 << HEADER_LENGTH_SHIFT) | TYPE_CLOSURE,
    tag_object = const TAG_OBJECT,
    tag_closure = const TAG_CLOSURE,
);

extern "C" {
    pub fn scm_continuation_code();
    fn scm_underflow();
    fn scm_jump(ctx: *mut std::ffi::c_void, target: u64, value: Value, underflow: u64) -> !;
    fn scm_abort_boundary(ctx: *mut std::ffi::c_void) -> !;
    fn scm_call_scheme(
        ctx: *mut std::ffi::c_void,
        closure: Value,
        argc: u64,
        argv: *const Value,
    ) -> Value;
}

// The continuation object's fields (word indices; see `abi::TYPE_CONTINUATION`).
const K_NEXT: usize = 1;
const K_NEXT_OFFSET: usize = 2;
const K_WINDERS: usize = 3;
const K_HANDLERS: usize = 4;
const K_BOUNDARY: usize = 5;
const K_START: usize = 6;
const K_LEN: usize = 7;
const _: () = assert!(K_LEN == CONT_WORDS);

pub(crate) fn k_len(k: Value) -> usize {
    Value::from_bits(k.word(K_LEN)).as_fixnum() as usize
}

/// Stack word `i` saved in continuation `k`.
pub(crate) fn k_word(k: Value, i: usize) -> u64 {
    k.word(CONT_WORDS + 1 + i)
}

/// The continuation (and offset in it) that `k`'s frames return into.
pub(crate) fn k_next(k: Value) -> (Value, usize) {
    (
        Value::from_bits(k.word(K_NEXT)),
        Value::from_bits(k.word(K_NEXT_OFFSET)).as_fixnum() as usize,
    )
}

/// The id of the innermost active boundary (0: the program's own stack).
fn current_boundary(ctx: &Ctx) -> u64 {
    debug_assert_eq!(ctx.boundary_id, ctx.boundaries.last().map_or(0, |b| b.id));
    ctx.boundary_id
}

/// `call/cc`'s work: save the live segment (`[sp, stack_base)`) in a new
/// continuation, empty the segment, and return the continuation closure.
#[no_mangle]
pub extern "C" fn scm_capture(ctx: &mut Ctx, sp: u64) -> Value {
    let n = ((ctx.stack_base - sp) / 8) as usize;
    let words = (CONT_WORDS + n) as u64;
    let k = ctx.alloc_object(TYPE_CONTINUATION, words, words);
    // `k` is new: no write barrier (`init_word`).
    k.init_word(K_NEXT, ctx.cont_next.0);
    k.init_word(K_NEXT_OFFSET, Value::fixnum(ctx.cont_offset as i64).0);
    k.init_word(K_WINDERS, ctx.winders.0);
    k.init_word(K_HANDLERS, ctx.handlers.0);
    k.init_word(K_BOUNDARY, Value::fixnum(current_boundary(ctx) as i64).0);
    // An 8-aligned address reads as a fixnum: the collector ignores it.
    k.init_word(K_START, sp);
    k.init_word(K_LEN, Value::fixnum(n as i64).0);
    // SAFETY: `[sp, stack_base)` is the live stack segment, `n` words.
    let frames = unsafe { std::slice::from_raw_parts(sp as *const u64, n) };
    k.init_words(CONT_WORDS + 1, frames);
    // `k` stays live in this entry point (a register or its frame, both
    // scanned) while the closure is allocated: no `Root` (heap rule 2).
    if n > 0 {
        ctx.cont_next = k;
        ctx.cont_offset = 0;
        ctx.stack_base = sp;
        // SAFETY: `sp` is the return-address slot of `call/cc`'s caller,
        // saved in `k` above.
        unsafe { *(sp as *mut u64) = scm_underflow as *const () as u64 };
    }
    let closure = ctx.alloc_object(TYPE_CLOSURE, 1, 2);
    closure.init_word(1, scm_continuation_code as *const () as u64);
    closure.init_word(2, k.0);
    Value::from_bits((closure.0 & !TAG_MASK) | TAG_CLOSURE)
}

/// `call/cc` with a wrong argument count or a non-procedure.
#[no_mangle]
pub extern "C" fn scm_callcc_error(ctx: &mut Ctx, argc: u64, receiver: Value) -> ! {
    if receiver.0 == UNSPECIFIED {
        crate::error::arity_error(ctx, "call/cc", "1", argc)
    }
    crate::error::type_error(ctx, "call/cc", "procedure", receiver)
}

/// Size in words of the frame that return address `r` returns into.
fn frame_size(ctx: &mut Ctx, r: u64) -> u64 {
    // A direct-mapped cache in front of the binary search of the whole
    // table: restoring frames looks up the same few return addresses
    // again and again, and the search was most of `fibc`'s time.
    let slot = ((r ^ (r >> 10)) as usize) & (FRAME_CACHE - 1);
    let (key, size) = ctx.frame_cache[slot];
    if key == r {
        return size;
    }
    match crate::backtrace::call_site(ctx, r) {
        Some(site) => {
            ctx.frame_cache[slot] = (r, site.frame);
            site.frame
        }
        None => crate::error::fatal(
            ctx,
            &format!("internal error: return address {r:#x} is not in the frame table"),
        ),
    }
}

/// Entries of `Ctx::frame_cache` (a power of two).
pub(crate) const FRAME_CACHE: usize = 512;

/// `scm_underflow`'s slow path: put the size of the frame it restores
/// next into `ctx.frame_cache`, where its fast path finds it when it
/// starts over.
#[no_mangle]
pub extern "C" fn scm_frame_cache_fill(ctx: &mut Ctx) {
    let r = k_word(ctx.cont_next, ctx.cont_offset as usize);
    frame_size(ctx, r);
}

/// A continuation was called: gather its arguments into one value and jump.
///
/// # Safety
/// `closure` is a continuation closure and `argc` values are stored
/// downwards from `args` (argument i at `args - i`).
#[no_mangle]
pub unsafe extern "C" fn scm_throw(
    ctx: &mut Ctx,
    closure: Value,
    argc: u64,
    args: *const Value,
) -> ! {
    let k = Value::from_bits(closure.word(2));
    if argc == 1
        && Value::from_bits(k.word(K_BOUNDARY)).as_fixnum() as u64 == current_boundary(ctx)
        && k.word(K_WINDERS) == ctx.winders.0
    {
        // The usual escape: one value, this side of the boundary, no
        // `dynamic-wind` between here and there (`resume_throw`'s path).
        ctx.handlers = Value::from_bits(k.word(K_HANDLERS));
        // SAFETY: guaranteed by the caller.
        jump_into(ctx, k, unsafe { *args })
    }
    ctx.throw_target = k;
    ctx.throw_value = if argc == 1 {
        // The usual escape: one value, nothing to allocate.
        // SAFETY: guaranteed by the caller.
        unsafe { *args.sub(0) }
    } else {
        let vals: Vec<Value> = (0..argc as usize)
            // SAFETY: guaranteed by the caller.
            .map(|i| unsafe { *args.sub(i) })
            .collect();
        // The arguments stay on the stack (scanned) while `values` allocates.
        ctx.values(&vals)
    };
    resume_throw(ctx)
}

/// Carry out the jump to `ctx.throw_target` from here: wind, then jump if
/// its frames belong to this side of the innermost boundary, else leave
/// the boundary first.
pub(crate) fn resume_throw(ctx: &mut Ctx) -> ! {
    loop {
        let k = ctx.throw_target;
        let kb = Value::from_bits(k.word(K_BOUNDARY)).as_fixnum() as u64;
        if kb != current_boundary(ctx) {
            if kb == 0 || ctx.boundaries.iter().any(|b| b.id == kb) {
                ctx.pending = Some(Pending::Escape);
                // SAFETY: inside a boundary (`kb` is outer); no Rust frame
                // with anything to drop lies between here and it.
                unsafe { scm_abort_boundary(ctx as *mut Ctx as *mut std::ffi::c_void) }
            }
            ctx.throw_target = Value::FALSE;
            ctx.throw_value = Value::FALSE;
            let c = crate::exception::make_condition(
                ctx,
                "continuation",
                None,
                "cannot re-enter a continuation captured inside a Rust call (`Ctx::call`) that has returned",
                Value::NIL,
            );
            crate::exception::raise_here(ctx, c)
        }
        let to = Value::from_bits(k.word(K_WINDERS));
        match rewind(ctx, to) {
            Ok(()) => {}
            Err(e) => match e.0 {
                // A thunk jumped elsewhere: that jump wins.
                ExceptionKind::Escape => continue,
                ExceptionKind::Raised(r) => {
                    let v = r.value();
                    drop(r);
                    crate::exception::raise_here(ctx, v)
                }
            },
        }
        ctx.handlers = Value::from_bits(k.word(K_HANDLERS));
        let value = ctx.throw_value;
        ctx.throw_target = Value::FALSE;
        ctx.throw_value = Value::FALSE;
        jump_into(ctx, k, value)
    }
}

/// Return `value` into continuation `k`, of the innermost boundary, with
/// the winding done and its handlers installed.
fn jump_into(ctx: &mut Ctx, k: Value, value: Value) -> ! {
    let start = k.word(K_START);
    ctx.stack_base = start;
    // Compiled code runs outside trampolines (see `exception.rs`); the
    // trampolines inside this boundary are abandoned with what they held.
    ctx.catch_depth = 0;
    ctx.scope_release_to_boundary();
    let underflow = if k_len(k) > 0 {
        ctx.cont_next = k;
        ctx.cont_offset = 0;
        1
    } else {
        ctx.cont_next = Value::from_bits(k.word(K_NEXT));
        ctx.cont_offset = Value::from_bits(k.word(K_NEXT_OFFSET)).as_fixnum() as u64;
        u64::from(ctx.cont_next.0 != FALSE)
    };
    // SAFETY: `k` belongs to this boundary, so its frames' addresses
    // hold only Scheme frames that are being abandoned; the Rust frames
    // left behind (this one and its callers up to compiled code) own
    // nothing that needs dropping.
    unsafe {
        scm_jump(
            ctx as *mut Ctx as *mut std::ffi::c_void,
            start,
            value,
            underflow,
        )
    }
}

/// Leave the innermost boundary with `ctx.pending` set.
pub(crate) fn abort_boundary(ctx: &mut Ctx) -> ! {
    // SAFETY: callers have set `pending` and dropped what they own; only
    // Scheme frames and frameless runtime code lie between here and the
    // innermost `scm_call_scheme`.
    unsafe { scm_abort_boundary(ctx as *mut Ctx as *mut std::ffi::c_void) }
}

/// Run the `after` thunks from the current `dynamic-wind` list down to
/// the part it shares with `to`, then the `before` thunks up to `to`.
#[inline]
pub(crate) fn rewind(ctx: &mut Ctx, to: Value) -> Result<(), Exception> {
    if ctx.winders == to {
        // The usual escape: no `dynamic-wind` between here and there.
        return Ok(());
    }
    rewind_thunks(ctx, to)
}

#[cold]
fn rewind_thunks(ctx: &mut Ctx, to: Value) -> Result<(), Exception> {
    let keep = ctx.root(to);
    let len = |mut l: Value| {
        let mut n = 0;
        while l.is_pair() {
            n += 1;
            l = l.cdr();
        }
        n
    };
    let (mut f, mut t) = (ctx.winders, to);
    let (mut lf, mut lt) = (len(f), len(t));
    while lf > lt {
        f = f.cdr();
        lf -= 1;
    }
    while lt > lf {
        t = t.cdr();
        lt -= 1;
    }
    while f != t {
        f = f.cdr();
        t = t.cdr();
    }
    let common = f;
    while ctx.winders != common {
        let w = ctx.winders;
        ctx.winders = w.cdr();
        ctx.call(crate::convert::Procedure(w.car().cdr()), &[])?;
    }
    let mut entering = Vec::new();
    let mut l = keep.value();
    while l != common {
        entering.push(l);
        l = l.cdr();
    }
    // `entering` holds parts of `to`, kept alive by `keep`.
    for &w in entering.iter().rev() {
        ctx.call(crate::convert::Procedure(w.car().car()), &[])?;
        ctx.winders = w;
    }
    Ok(())
}

/// State a boundary saves and restores.
struct Saved {
    stack_base: u64,
    boundary_frame: u64,
    native_sp: u64,
    cont_next: Value,
    cont_offset: u64,
    catch_depth: u64,
    holding: u64,
    handlers: Value,
}

impl Ctx {
    /// `call` for the runtime's own primitives: an `Err` goes on at once
    /// (unwinding the Rust frames to the primitive's trampoline).
    pub(crate) fn call_or_unwind(&mut self, f: Procedure, args: &[Value]) -> Value {
        match self.call_with(f, args, false) {
            Ok(v) => v,
            Err(e) => e.resume(self),
        }
    }

    /// `call`; raises inside go to the Rust caller only if `catches`.
    pub(crate) fn call_with(
        &mut self,
        f: Procedure,
        args: &[Value],
        catches: bool,
    ) -> Result<Value, Exception> {
        let saved = Saved {
            stack_base: self.stack_base,
            boundary_frame: self.boundary_frame,
            native_sp: self.native_sp,
            cont_next: self.cont_next,
            cont_offset: self.cont_offset,
            catch_depth: self.catch_depth,
            holding: self.holding,
            handlers: self.handlers,
        };
        let winders = self.winders;
        let id = self.next_boundary_id;
        self.next_boundary_id += 1;
        self.boundaries.push(Boundary {
            id,
            handlers: self.handlers,
            catches,
            scope: self.scope_mark(),
        });
        self.boundary_id = id;
        self.cont_next = Value::FALSE;
        self.cont_offset = 0;
        self.catch_depth = 0;
        self.holding = 0;
        let ctx = self as *mut Ctx as *mut std::ffi::c_void;
        // SAFETY: `f` is a closure; compiled code follows the convention
        // that `scm_call_scheme` sets up (see ARCHITECTURE.md); it returns
        // normally or through `scm_abort_boundary`, both to here.
        let v = unsafe { scm_call_scheme(ctx, f.0, args.len() as u64, args.as_ptr()) };
        if let Some(b) = self.boundaries.pop() {
            // Trampolines left by `scm_abort_boundary` did not release.
            self.scope_release(b.scope);
        }
        self.boundary_id = self.boundaries.last().map_or(0, |b| b.id);
        self.stack_base = saved.stack_base;
        self.boundary_frame = saved.boundary_frame;
        self.native_sp = saved.native_sp;
        self.cont_next = saved.cont_next;
        self.cont_offset = saved.cont_offset;
        self.catch_depth = saved.catch_depth;
        self.holding = saved.holding;
        self.handlers = saved.handlers;
        let Some(pending) = self.pending.take() else {
            return Ok(self.hold(v));
        };
        let e = match pending {
            Pending::Raised => {
                // Held too: `Exception::value` hands it out.
                let raised = self.hold(self.pending_value);
                let r = self.root(raised);
                self.pending_value = Value::FALSE;
                Exception(ExceptionKind::Raised(r))
            }
            Pending::Escape => Exception(ExceptionKind::Escape),
        };
        // Leaving the call's dynamic extent: its `after` thunks run now.
        if self.winders != winders {
            rewind(self, winders)?;
        }
        Err(e)
    }
}

impl<'s> crate::ctx::Ctx<'s> {
    /// Call the Scheme procedure `f` with `args`. `Err` when it raised an
    /// object that no handler inside the call took, or when a continuation
    /// jump leaves it: return the `Err` from your `#[scheme_fn]` (`?`) to let
    /// it go on, or handle a raise yourself.
    pub fn call(
        &mut self,
        f: crate::convert::Procedure<'s>,
        args: &[crate::value::Value<'s>],
    ) -> Result<crate::value::Value<'s>, Exception> {
        let args = crate::value::rt_slice(args);
        self.rt().call_with(f.rt(), args, true)
    }
}
