//! `Ctx`: the runtime state of one running program. Compiled code keeps a
//! pointer to it in `r15` and passes it to every runtime function, so no
//! runtime state lives in statics (a plugin never sees a second copy).

use std::collections::HashMap;
use std::io::Write;

use crate::value::Value;

/// Flush the output buffer when it grows past this many bytes.
const OUTPUT_FLUSH_BYTES: usize = 1 << 16;

/// Functions of the host that plugins call through `Ctx`.
#[repr(C)]
pub struct HostFns {
    pub alloc_slow: extern "C" fn(&mut Ctx, u64) -> u64,
    pub alloc_pair_slow: extern "C" fn(&mut Ctx) -> u64,
}

#[repr(C)]
pub struct Ctx {
    // The first fields are read by compiled code: see `abi::CTX_*`.
    /// Next free byte of the current hole for objects with headers.
    pub alloc_ptr: u64,
    /// End of that hole.
    pub alloc_limit: u64,
    /// Lowest stack address compiled code may use before reporting overflow.
    pub stack_limit: u64,
    /// Next free pair of the current pair hole, and its end.
    pub pair_ptr: u64,
    pub pair_limit: u64,
    /// The host's allocation slow paths. A plugin runs its own copy of the
    /// runtime's code, but reaches the host's heap only through these.
    pub host: HostFns,
    /// The collector's state (host only: see `host`).
    pub heap: *mut crate::heap::Heap,
    /// Bytes that new objects own outside the heap (string buffers, foreign
    /// values), counted towards the next collection.
    pub external_bytes: u64,
    /// Buffered standard output.
    pub out: Vec<u8>,
    /// Interned symbols by name.
    pub symbols: HashMap<&'static str, Value>,
    /// Every port object made, to flush at exit.
    pub ports: Vec<Value>,
    /// Objects that own Rust memory (ports, foreign objects): the collector
    /// finalizes those that die (the sweep visits live objects only).
    pub finalizable: Vec<Value>,
    /// Where `display` and friends write by default.
    pub current_output: Value,
    pub current_input: Value,
    pub stdout_port: Value,
    pub stderr_port: Value,
}

impl Ctx {
    pub fn new() -> Ctx {
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
            external_bytes: 0,
            out: Vec::with_capacity(OUTPUT_FLUSH_BYTES),
            symbols: HashMap::new(),
            ports: Vec::new(),
            finalizable: Vec::new(),
            current_output: Value::FALSE,
            current_input: Value::FALSE,
            stdout_port: Value::FALSE,
            stderr_port: Value::FALSE,
        }
    }

    /// The context of a running program, with its standard ports.
    pub fn with_standard_ports() -> Ctx {
        let mut ctx = Ctx::new();
        ctx.stdout_port = ctx.make_port(crate::port::Port::stdout());
        ctx.stderr_port = ctx.make_port(crate::port::Port::stderr());
        ctx.current_input = ctx.make_port(crate::port::Port::stdin());
        ctx.current_output = ctx.stdout_port;
        ctx
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
        self.flush_ports();
        self.flush();
        let heap = self.heap();
        if heap.stats.report {
            eprintln!("{}", heap.stats.summary(heap.allocated_since_gc));
        }
        std::process::exit(code)
    }

    pub fn flush(&mut self) {
        let mut stdout = std::io::stdout().lock();
        // A closed stdout (e.g. `| head`) must not turn into a crash.
        let _ = stdout.write_all(&self.out);
        let _ = stdout.flush();
        self.out.clear();
    }
}

impl Default for Ctx {
    fn default() -> Self {
        Ctx::new()
    }
}
