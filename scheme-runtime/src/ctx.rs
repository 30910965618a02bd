//! `Ctx`: the runtime state of one running program. Compiled code keeps a
//! pointer to it in `r15` and passes it to every runtime function, so no
//! runtime state lives in statics (a plugin never sees a second copy).

use std::collections::HashMap;
use std::io::Write;

use crate::rt::Value;

/// Flush the output buffer when it grows past this many bytes.
const OUTPUT_FLUSH_BYTES: usize = 1 << 16;

/// Functions of the host that plugins call through `Ctx`.
#[repr(C)]
pub struct HostFns {
    /// Allocate `bytes` (a multiple of 8) for an object with a header when
    /// the current hole is full; may collect. Returns the address.
    pub alloc_slow: extern "C" fn(&mut Ctx<'static>, u64) -> u64,
    /// Allocate a pair when the pair hole is full; may collect. Returns the address.
    pub alloc_pair_slow: extern "C" fn(&mut Ctx<'static>) -> u64,
}

/// The state of one running program (heap, ports, handlers...), passed to
/// every runtime function and to a `#[scheme_fn]` that takes `&mut Ctx`.
#[repr(C)]
pub struct Ctx<'s> {
    // The first fields are read by compiled code: see `abi::CTX_*`.
    /// Next free byte of the current hole for objects with headers.
    pub(crate) alloc_ptr: u64,
    /// End of that hole.
    pub(crate) alloc_limit: u64,
    /// Lowest stack address compiled code may use before reporting overflow.
    pub(crate) stack_limit: u64,
    /// Next free pair of the current pair hole, and its end.
    pub(crate) pair_ptr: u64,
    pub(crate) pair_limit: u64,
    /// The live stack segment ends at this slot, which holds the return
    /// address its bottom frame returns to (`control.rs`).
    pub(crate) stack_base: u64,
    /// `rbp` of the innermost Rust-to-Scheme boundary frame.
    pub(crate) boundary_frame: u64,
    /// `rsp` before compiled code's latest call into the runtime.
    pub(crate) native_sp: u64,
    /// `borrows.len()`, for compiled code (`abi::CTX_BORROW_COUNT`).
    pub(crate) borrow_count: u64,
    /// The write barrier's card table (`abi::CTX_CARDS`).
    pub(crate) cards: *mut u8,
    /// Dynamic state of the running program (see `control.rs`): the
    /// continuation below `stack_base` and where in it (read by
    /// `scm_underflow`: `abi::CTX_CONT_NEXT`, `abi::CTX_CONT_OFFSET`).
    pub(crate) cont_next: Value,
    pub(crate) cont_offset: u64,
    /// Frame sizes of recently restored frames, by return address
    /// (`control::frame_size`, `abi::CTX_FRAME_CACHE`); emptied when
    /// `frames` changes.
    pub(crate) frame_cache: Box<[(u64, u64); crate::control::FRAME_CACHE]>,
    /// The handlers of `with-exception-handler`, innermost first; the
    /// `dynamic-wind` entries `(before . after)`, innermost first (saved
    /// in continuations by `call/cc`: `abi::CTX_HANDLERS`, `CTX_WINDERS`).
    pub(crate) handlers: Value,
    pub(crate) winders: Value,
    /// The id of the innermost active boundary, 0 for none: the last of
    /// `boundaries` (`abi::CTX_BOUNDARY_ID`).
    pub(crate) boundary_id: u64,
    /// The host's allocation slow paths. A plugin runs its own copy of the
    /// runtime's code, but reaches the host's heap only through these.
    pub(crate) host: HostFns,
    /// The collector's state (host only: see `host`).
    pub(crate) heap: *mut crate::heap::Heap,
    /// Bytes that new objects own outside the heap (string buffers, foreign
    /// values), counted towards the next collection.
    pub(crate) external_bytes: u64,
    /// Buffered standard output.
    pub(crate) out: Vec<u8>,
    /// Interned symbols by name.
    pub(crate) symbols: HashMap<&'static str, Value>,
    /// Every port object made, to flush at exit.
    pub(crate) ports: Vec<Value>,
    /// Objects that own Rust memory (ports, foreign objects): the collector
    /// finalizes those that die (the sweep visits live objects only).
    pub(crate) finalizable: Vec<Value>,
    /// Where `display` and friends write by default.
    pub(crate) current_output: Value,
    pub(crate) current_input: Value,
    pub(crate) stdout_port: Value,
    pub(crate) stderr_port: Value,
    /// Active Rust-to-Scheme boundaries (`Ctx::call`), innermost last.
    pub(crate) boundaries: Vec<crate::control::Boundary>,
    pub(crate) next_boundary_id: u64,
    /// `#[scheme_fn]` trampolines (with `catch_unwind`) active since the
    /// innermost boundary: a raise may unwind Rust frames only when > 0.
    pub(crate) catch_depth: u64,
    /// Values held by the running primitive calls, and the objects their
    /// arguments borrow (`scope.rs`).
    pub(crate) held: Vec<Value>,
    /// Calls of primitives that hold (`PrimDesc::holds`) active since the
    /// innermost boundary: `Ctx::hold` records only when > 0.
    pub(crate) holding: u64,
    pub(crate) borrows: Vec<crate::scope::Borrow>,
    /// A jump in progress: the continuation and the value(s) it gets.
    pub(crate) throw_target: Value,
    pub(crate) throw_value: Value,
    /// A condition being raised from Rust code, while Rust frames unwind.
    pub(crate) raising: Value,
    /// Why the innermost boundary is being left early, and the raised
    /// object when that is a raise.
    pub(crate) pending: Option<crate::control::Pending>,
    pub(crate) pending_value: Value,
    /// The compiler's table of call sites, sorted by return address (read
    /// when a continuation's frame is restored, and by error messages).
    pub(crate) frames: Vec<crate::backtrace::CallSite>,
    /// The program's source files: each one's name as shown and absolute
    /// path (call sites name them by index).
    pub(crate) sources: Vec<(String, String)>,
    /// Entry points of `foreign-callable` objects (`c_callable.rs`).
    pub(crate) thunks: crate::c_callable::Thunks,
    /// Live blocks from `foreign-alloc`: start => size.
    pub(crate) foreign_blocks: std::collections::BTreeMap<u64, u64>,
    /// Record types of `#[derive(SchemeRecord)]` structs, made on first
    /// use: `SchemeRecord::KEY` => descriptor.
    pub(crate) rust_record_types: HashMap<&'static str, crate::heap::Root>,
    /// The program's `scheme_program` table (`abi::MODULE_*`); null in a
    /// context that runs no compiled program.
    pub(crate) program: *const u64,
    /// The program's command line when it is not the process's (a program
    /// the launcher of `schemec run` started).
    pub(crate) command_line: Option<Vec<String>>,
    /// What `eval`, `load` and the REPL keep between units (`eval.rs`).
    pub(crate) eval: Option<Box<crate::eval::EvalState>>,
    /// Where the latest raise called a handler (read only while that
    /// handler runs: the raiser's frames are still on the stack then).
    pub(crate) raise_point: Option<crate::backtrace::StackPoint>,
    /// The brand of the values this context hands out (see `Value`):
    /// invariant, so a call's context cannot pass for another's.
    pub(crate) _brand: std::marker::PhantomData<fn(&'s ()) -> &'s ()>,
}

impl Ctx<'static> {
    pub(crate) fn new() -> Ctx<'static> {
        Ctx {
            alloc_ptr: 0,
            alloc_limit: 0,
            stack_limit: 0,
            pair_ptr: 0,
            pair_limit: 0,
            host: HostFns {
                alloc_slow: crate::heap::scm_alloc_slow,
                alloc_pair_slow: crate::heap::scm_alloc_pair_slow,
            },
            heap: Box::into_raw(Box::new(crate::heap::Heap::new())),
            cards: crate::heap::card_table(),
            external_bytes: 0,
            out: Vec::with_capacity(OUTPUT_FLUSH_BYTES),
            symbols: HashMap::new(),
            ports: Vec::new(),
            finalizable: Vec::new(),
            current_output: Value::FALSE,
            current_input: Value::FALSE,
            stdout_port: Value::FALSE,
            stderr_port: Value::FALSE,
            stack_base: 0,
            boundary_frame: 0,
            native_sp: 0,
            borrow_count: 0,
            cont_next: Value::FALSE,
            cont_offset: 0,
            handlers: Value::NIL,
            winders: Value::NIL,
            boundary_id: 0,
            boundaries: Vec::new(),
            next_boundary_id: 1,
            catch_depth: 0,
            held: Vec::new(),
            holding: 0,
            borrows: Vec::new(),
            throw_target: Value::FALSE,
            throw_value: Value::FALSE,
            raising: Value::FALSE,
            pending: None,
            pending_value: Value::FALSE,
            frames: Vec::new(),
            frame_cache: Box::new([(0, 0); crate::control::FRAME_CACHE]),
            sources: Vec::new(),
            thunks: Default::default(),
            foreign_blocks: Default::default(),
            rust_record_types: HashMap::new(),
            program: std::ptr::null(),
            command_line: None,
            eval: None,
            raise_point: None,
            _brand: std::marker::PhantomData,
        }
    }

    /// The context of a running program, with its standard ports.
    pub(crate) fn with_standard_ports() -> Ctx<'static> {
        let mut ctx = Ctx::new();
        ctx.stdout_port = ctx.make_port(crate::port::Port::stdout());
        ctx.stderr_port = ctx.make_port(crate::port::Port::stderr());
        ctx.current_input = ctx.make_port(crate::port::Port::stdin());
        ctx.current_output = ctx.stdout_port;
        ctx
    }
}

impl<'s> Ctx<'s> {
    /// This context at the runtime's own brand: the runtime's code works
    /// at `'static` (`crate::rt`); public methods take and give values at
    /// the caller's brand `'s` and reach that code through this.
    #[inline(always)]
    pub(crate) fn rt(&mut self) -> &mut Ctx<'static> {
        // SAFETY: the brand is a phantom parameter, so both are the same
        // struct; what the runtime's code returns is re-branded `'s` by the
        // public method's signature before the caller sees it.
        unsafe { &mut *(self as *mut Ctx<'s>).cast::<Ctx<'static>>() }
    }

    /// Append to standard output, flushing when the buffer is full.
    pub fn write_out(&mut self, bytes: &[u8]) {
        self.out.extend_from_slice(bytes);
        if self.out.len() >= OUTPUT_FLUSH_BYTES {
            self.flush();
        }
    }

    /// Flush every port and end the process with `code`.
    pub fn exit(&mut self, code: i32) -> ! {
        let ctx = self.rt();
        crate::eval::cleanup(ctx);
        ctx.flush_ports();
        ctx.flush();
        let heap = ctx.heap();
        if heap.stats.report {
            eprintln!("{}", heap.stats.summary(heap.allocated_since_gc));
        }
        std::process::exit(code)
    }

    /// Write buffered standard output to stdout now; write errors (a closed pipe) are ignored.
    pub fn flush(&mut self) {
        let mut stdout = std::io::stdout().lock();
        // A closed stdout (e.g. `| head`) must not turn into a crash.
        let _ = stdout.write_all(&self.out);
        let _ = stdout.flush();
        self.out.clear();
    }
}

// Compiled code and the assembly in `entry.rs`/`control.rs` read these.
const _: () = {
    use crate::abi::*;
    assert!(std::mem::offset_of!(Ctx<'static>, stack_limit) == CTX_STACK_LIMIT as usize);
    assert!(std::mem::offset_of!(Ctx<'static>, stack_base) == CTX_STACK_BASE as usize);
    assert!(std::mem::offset_of!(Ctx<'static>, boundary_frame) == CTX_BOUNDARY_FRAME as usize);
    assert!(std::mem::offset_of!(Ctx<'static>, native_sp) == CTX_NATIVE_SP as usize);
    assert!(std::mem::offset_of!(Ctx<'static>, borrow_count) == CTX_BORROW_COUNT as usize);
    assert!(std::mem::offset_of!(Ctx<'static>, cards) == CTX_CARDS as usize);
    assert!(std::mem::offset_of!(Ctx<'static>, cont_next) == CTX_CONT_NEXT as usize);
    assert!(std::mem::offset_of!(Ctx<'static>, cont_offset) == CTX_CONT_OFFSET as usize);
    assert!(std::mem::offset_of!(Ctx<'static>, frame_cache) == CTX_FRAME_CACHE as usize);
    assert!(std::mem::offset_of!(Ctx<'static>, handlers) == CTX_HANDLERS as usize);
    assert!(std::mem::offset_of!(Ctx<'static>, winders) == CTX_WINDERS as usize);
    assert!(std::mem::offset_of!(Ctx<'static>, boundary_id) == CTX_BOUNDARY_ID as usize);
};
