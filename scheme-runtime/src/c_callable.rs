//! `foreign-callable`: C function pointers that call Scheme procedures.
//!
//! The compiler generates, per `foreign-callable` form, an entry stub that
//! follows the C convention for its signature: it stores the C arguments
//! as raw words in its frame and calls `scm_foreign_callable_invoke`. Each
//! evaluation of the form makes a callable object whose entry point is a
//! thunk of its own: `lea r11, [rip + slot]; jmp [r11]`, where the slot
//! (in the data page just after the thunk's code page) holds the stub's
//! address, the callable and the context. The code pages are written once
//! and then made executable, never writable again.
//!
//! Rules (ARCHITECTURE.md, README): a callable runs Scheme code only while
//! its object is alive (a call after it was collected ends the program
//! with an error, never a jump into freed memory); only on the program's
//! thread; a raise that its procedure does not handle, or a continuation
//! jump out of it, cannot unwind the C frames between it and the foreign
//! procedure that called C, so it ends the program with the error and a
//! note. Handlers installed outside the C call are not seen inside it.

use crate::c_ffi::{from_c, to_c, CType};
use crate::foreign::{SchemeObject, Tracer};
use crate::rt::Ctx;
use crate::rt::Value;

const PAGE: usize = 4096;
/// Bytes per thunk in the code page and per slot in the data page.
const SLOT: usize = 32;
/// Slot words: stub address, `*const Callable` (0 once it died), `*mut Ctx`.
const SLOT_STUB: usize = 0;
const SLOT_CALLABLE: usize = 1;
const SLOT_CTX: usize = 2;
/// The most parameters a callable may have (the invoke's frame array).
pub const MAX_CALLABLE_PARAMS: usize = 16;

/// The compiler's description of one `foreign-callable` form.
#[repr(C)]
pub struct CallableDesc {
    name: *const u8,
    name_len: u64,
    stub: u64,
    params: *const u8,
    nparams: u64,
    result: u64,
}

/// Pages of thunks: each code page is followed by its data page.
#[derive(Default)]
pub(crate) struct Thunks {
    pages: Vec<usize>,
    next: usize,
}

impl Thunks {
    /// A fresh slot's address and its thunk's (the entry point). Slots are
    /// never reused: a stale C pointer finds a dead slot, not another
    /// callable.
    fn take(&mut self) -> Option<(*mut u64, u64)> {
        let per_page = PAGE / SLOT;
        if self.next.is_multiple_of(per_page) {
            self.pages.push(new_page()?);
        }
        let page = *self.pages.last().expect("pushed above");
        let i = self.next % per_page;
        self.next += 1;
        Some((
            (page + PAGE + i * SLOT) as *mut u64,
            (page + i * SLOT) as u64,
        ))
    }
}

/// Map a code page of thunks (then read and execute only) and its data page.
fn new_page() -> Option<usize> {
    // SAFETY: a fresh anonymous mapping; written before it is executable.
    unsafe {
        let p = libc::mmap(
            std::ptr::null_mut(),
            2 * PAGE,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
            -1,
            0,
        );
        if p == libc::MAP_FAILED {
            return None;
        }
        let code = p as *mut u8;
        // The data slot is PAGE bytes after its thunk; rip after the
        // 7-byte `lea` is 7 bytes past the thunk.
        let disp = (PAGE as i32 - 7).to_le_bytes();
        let thunk: [u8; 10] = [
            0x4C, 0x8D, 0x1D, disp[0], disp[1], disp[2], disp[3], // lea r11, [rip + disp]
            0x41, 0xFF, 0x23, // jmp qword ptr [r11]
        ];
        for i in 0..PAGE / SLOT {
            let t = code.add(i * SLOT);
            std::ptr::write_bytes(t, 0xCC, SLOT); // int3 padding
            std::ptr::copy_nonoverlapping(thunk.as_ptr(), t, thunk.len());
        }
        if libc::mprotect(p, PAGE, libc::PROT_READ | libc::PROT_EXEC) != 0 {
            libc::munmap(p, 2 * PAGE);
            return None;
        }
        Some(p as usize)
    }
}

/// The object `foreign-callable` returns.
struct Callable {
    procedure: Value,
    desc: *const CallableDesc,
    slot: *mut u64,
    entry: u64,
    thread: libc::pthread_t,
}

impl SchemeObject for Callable {
    const TYPE_NAME: &'static str = "foreign-callable";
    fn trace(&self, tracer: &mut Tracer) {
        tracer.mark_value(self.procedure);
    }
}

impl Drop for Callable {
    fn drop(&mut self) {
        // SAFETY: the slot is a word of a data page that is never unmapped.
        unsafe { *self.slot.add(SLOT_CALLABLE) = 0 };
    }
}

fn desc_name<'a>(desc: &CallableDesc) -> &'a str {
    // SAFETY: the compiler emits the name's UTF-8 bytes.
    unsafe {
        std::str::from_utf8_unchecked(std::slice::from_raw_parts(
            desc.name,
            desc.name_len as usize,
        ))
    }
}

fn types(desc: &CallableDesc) -> (Vec<CType>, CType) {
    // SAFETY: the compiler emits `nparams` valid type codes.
    let codes = unsafe { std::slice::from_raw_parts(desc.params, desc.nparams as usize) };
    let t = |c: u8| CType::from_code(c).expect("the compiler emits valid type codes");
    (codes.iter().map(|&c| t(c)).collect(), t(desc.result as u8))
}

/// `(foreign-callable proc (type ...) result)`: a new callable object for
/// `proc` with the compiled form's stub.
///
/// # Safety
/// `desc` is the compiler's description of the form.
#[no_mangle]
pub unsafe extern "C" fn scm_make_foreign_callable(
    ctx: &mut Ctx,
    procedure: Value,
    desc: *const CallableDesc,
) -> Value {
    if !procedure.is_closure() {
        crate::error::type_error(ctx, "foreign-callable", "procedure", procedure)
    }
    // SAFETY: guaranteed by the caller.
    let d = unsafe { &*desc };
    let Some((slot, entry)) = ctx.thunks.take() else {
        crate::error::raise(
            ctx,
            "error",
            "foreign-callable",
            "cannot map memory for its entry point",
        )
    };
    let v = ctx.make_foreign(Callable {
        procedure,
        desc,
        slot,
        entry,
        // SAFETY: always safe to call.
        thread: unsafe { libc::pthread_self() },
    });
    let callable = crate::foreign::foreign_value_ptr(v) as *const Callable;
    // SAFETY: a fresh slot of a data page (three words of four).
    unsafe {
        *slot.add(SLOT_STUB) = d.stub;
        *slot.add(SLOT_CALLABLE) = callable as u64;
        *slot.add(SLOT_CTX) = ctx as *mut Ctx as u64;
    }
    v
}

/// `(foreign-callable-entry-point c)`: the address C calls.
#[scheme_ffi_macros::scheme_fn(name = "foreign-callable-entry-point")]
fn foreign_callable_entry_point(c: &Callable) -> u64 {
    c.entry
}

/// Print `message` and a note, and end the program (no C frame may be
/// unwound; see the module comment).
#[cold]
fn die(ctx: &mut Ctx, name: &str, message: &str) -> ! {
    let text = format!(
        "{message}\nnote: in foreign-callable `{name}`, called from C: an error or a continuation jump cannot leave a callable through the C frames, so the program ends"
    );
    let report = crate::backtrace::report(ctx, &text);
    crate::error::exit_with_report(ctx, &report)
}

/// Called by a callable's stub: `slot` is its thunk's slot, `raw` the C
/// arguments as words (doubles by their bits). Returns the result's raw
/// bits.
///
/// # Safety
/// Called only by compiler-generated stubs, with their slot and arguments.
#[no_mangle]
pub unsafe extern "C" fn scm_foreign_callable_invoke(slot: *const u64, raw: *const u64) -> u64 {
    // SAFETY: the stub passes its slot: three words written at creation.
    let (callable, ctx) = unsafe {
        (
            *slot.add(SLOT_CALLABLE) as *const Callable,
            &mut *(*slot.add(SLOT_CTX) as *mut Ctx),
        )
    };
    if callable.is_null() {
        crate::error::fatal(
            ctx,
            "a foreign-callable was called from C after its callable object was collected; keep the object reachable while C may call it",
        )
    }
    // SAFETY: alive (not collected: the slot says so); read at once, since
    // a collection during the call may free it.
    let (procedure, desc, thread) = unsafe {
        (
            (*callable).procedure,
            &*(*callable).desc,
            (*callable).thread,
        )
    };
    // SAFETY: always safe to call.
    if unsafe { libc::pthread_equal(thread, libc::pthread_self()) } == 0 {
        eprintln!("error: a foreign-callable was called from another thread than the program's");
        std::process::exit(1)
    }
    let name = desc_name(desc);
    let (params, result) = types(desc);
    // On this stack, so the collector sees them (conservative scan).
    let mut args = [Value::FALSE; MAX_CALLABLE_PARAMS];
    let keep = procedure;
    for (i, t) in params.iter().enumerate() {
        // SAFETY: the stub stored one word per parameter.
        let bits = unsafe { *raw.add(i) };
        args[i] = from_c(ctx, bits, *t);
    }
    // Only handlers installed inside the callable apply (see the rules).
    let handlers = std::mem::replace(&mut ctx.handlers, Value::NIL);
    let r = ctx.call(crate::convert::Procedure(procedure), &args[..params.len()]);
    ctx.handlers = handlers;
    std::hint::black_box(keep);
    let v = match r {
        Ok(v) => v,
        Err(e) => match e.raised_value() {
            Some(obj) => die(ctx, name, &crate::exception::describe(obj)),
            None => die(ctx, name, "a continuation jump out of the callable"),
        },
    };
    if result == CType::Void {
        return 0;
    }
    match to_c(v, result) {
        Some(bits) => bits,
        None => {
            let msg = format!(
                "foreign-callable `{name}`: the procedure returned {}, expected {}",
                crate::print::to_string(v, true),
                result.expected()
            );
            die(ctx, name, &msg)
        }
    }
}

/// Parameter and result checks the compiler makes before it emits a stub.
pub fn check_signature(params: &[CType], result: CType) -> Result<(), String> {
    if params.len() > MAX_CALLABLE_PARAMS {
        return Err(format!(
            "a foreign-callable takes at most {MAX_CALLABLE_PARAMS} parameters"
        ));
    }
    if params.contains(&CType::Void) {
        return Err("`void` is only a result type".into());
    }
    if result == CType::String {
        return Err("a foreign-callable cannot return `string` (nothing would free the copy); return `void*` or `u8*`".into());
    }
    Ok(())
}
