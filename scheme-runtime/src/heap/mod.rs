//! The heap: allocation, and (in `gc`) a non-moving mark-sweep collector
//! with conservative stack scanning and precise heap tracing.
//!
//! Memory is one reserved address range cut into 32 KiB blocks. Pairs live
//! in pair blocks (no header: every 16-byte granule is a pair); every other
//! object lives in object blocks and starts with a header word, so those
//! blocks can be walked; objects over 8 KiB get whole blocks of their own.
//! Allocation bumps a pointer through a free run ("hole"); compiled code
//! inlines that fast path (`ctx.alloc_ptr/alloc_limit` for objects,
//! `ctx.pair_ptr/pair_limit` for pairs) and calls `scm_alloc_slow` /
//! `scm_alloc_pair_slow` when the hole is used up.
//!
//! Rules for code that holds Scheme values (compiled code, the runtime,
//! `#[scheme_fn]` functions and plugins):
//! 1. The collector never moves an object: a `Value` stays valid as long as
//!    the object is reachable.
//! 2. Values in local variables (registers or the stack) of any running
//!    code are roots: the whole Scheme stack, Rust frames included, is
//!    scanned conservatively, with the callee-saved registers spilled.
//! 3. Inside a `#[scheme_fn]` call, every value Rust code gets through the
//!    context (allocated, read out of an object, returned by a callback,
//!    converted from an argument) is held until the call returns, wherever
//!    Rust keeps it (`scope.rs`). Values kept beyond the call need a
//!    [`crate::Root`] or a foreign object's `trace`. Outside a call (the
//!    runtime's entry points) nothing is held: keep values in locals.
//! 4. Collection happens only inside an allocation (or a call that may
//!    allocate, including calls back into Scheme, and `collect`); between
//!    two such points no object moves or dies.
//! 5. A plugin has no heap: it allocates through the host's `Ctx`, whose
//!    slow path is the host's function (`Ctx::host`).

mod cards;
mod gc;
mod roots;
mod traced;

pub(crate) use cards::{attach as attach_cards, dirty as write_barrier, table as card_table};
pub(crate) use gc::collect;
pub use gc::GcStats;
pub use roots::Root;
pub use traced::Traced;

use crate::abi::*;
use crate::rt::Ctx;
use crate::rt::Value;

pub const BLOCK_BYTES: usize = 32 << 10;
const GRANULES: usize = BLOCK_BYTES / 8;
/// Free runs smaller than this are not worth bumping through.
const MIN_HOLE_BYTES: usize = 64;
/// With generations, free runs smaller than this are left unused (until
/// the objects around them die): new objects then go mostly to whole
/// blocks, so a minor collection sweeps few runs, and the writes into
/// young objects dirty few blocks that hold old ones.
const GENERATIONAL_MIN_HOLE_BYTES: usize = 1 << 10;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum BlockKind {
    /// Not in use (its pages are returned to the system).
    Free,
    Pairs,
    Objects,
    /// First block of a large object spanning `span` blocks.
    Large,
    /// A later block of a large object.
    LargeRest,
}

pub(crate) struct BlockMeta {
    pub kind: BlockKind,
    pub span: usize,
    /// One bit per 8-byte granule: the object starting there is marked.
    pub marks: [u64; GRANULES / 64],
    /// One bit per granule: an object starts there (object blocks; found
    /// by walking the block, during a collection, when first needed).
    pub starts: [u64; GRANULES / 64],
    pub starts_known: bool,
    /// Allocated into since the last collection (a minor collection
    /// sweeps only what was allocated into).
    pub fresh: Fresh,
    /// Bytes live in the block after its last sweep.
    pub live: usize,
}

impl BlockMeta {
    fn new() -> BlockMeta {
        BlockMeta {
            kind: BlockKind::Free,
            span: 0,
            marks: [0; GRANULES / 64],
            starts: [0; GRANULES / 64],
            starts_known: false,
            fresh: Fresh::No,
            live: 0,
        }
    }
}

/// What of a block was allocated into since the last collection.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Fresh {
    No,
    /// Taken whole from the free blocks: holds young objects only.
    Whole,
    /// Some of its holes (`Heap::handed_out`): old objects around them.
    Holes,
}

fn bit(bits: &[u64], i: usize) -> bool {
    bits[i / 64] & (1 << (i % 64)) != 0
}
fn set_bit(bits: &mut [u64], i: usize) {
    bits[i / 64] |= 1 << (i % 64);
}

/// The collector's state. Lives behind `Ctx::heap`; only the host's code
/// touches it (plugins reach it through `Ctx::host`).
pub struct Heap {
    base: usize,
    /// Blocks reserved in the address range.
    capacity: usize,
    /// Blocks handed out so far from the start of the range.
    used: usize,
    pub(crate) meta: Vec<BlockMeta>,
    /// Free blocks whose pages may still be resident (contents garbage).
    free_blocks: Vec<usize>,
    /// Free blocks given back to the system (contents zero).
    returned_blocks: Vec<usize>,
    /// One bit per block of `used`: set when the block is free (in
    /// `free_blocks` or `returned_blocks`), to find runs for large objects.
    free_map: Vec<u64>,
    object_holes: Vec<(usize, usize)>,
    pair_holes: Vec<(usize, usize)>,
    /// The holes taken from `object_holes` and `pair_holes` since the last
    /// collection: all a minor collection sweeps of `Fresh::Holes` blocks.
    pub(crate) handed_out: Vec<(usize, usize)>,
    /// Bytes handed to the allocator since the last collection.
    pub(crate) allocated_since_gc: usize,
    /// Collect when `allocated_since_gc` passes this.
    threshold: usize,
    /// Refuse to keep more than this many live bytes (`SCHEME_HEAP_LIMIT`);
    /// `limit` is that, or more while a program handles running out
    /// (`gc::heap_exhausted`), so its handler has room to run.
    pub(crate) base_limit: usize,
    pub(crate) limit: usize,
    /// Collect at every allocation (debugging the collector and its users).
    stress: bool,
    /// Minor collections between full ones (`SCHEME_GC_GENERATIONAL=1`;
    /// off by default: slower on graphs, earley and nboyer as measured,
    /// see ARCHITECTURE).
    pub(crate) generational: bool,
    /// The smallest free run the sweep lists for allocation.
    pub(crate) min_hole: usize,
    /// The next collection is a full one (the old objects have grown).
    pub(crate) full_next: bool,
    pub(crate) live_after_full: usize,
    /// Bytes allocated between minor collections.
    pub(crate) nursery: usize,
    /// Never collect until the heap is full (`SCHEME_GC=off`, for measuring
    /// the collector's cost).
    disabled: bool,
    pub stats: GcStats,
    /// Scheme stack range to scan, and the program's globals.
    pub(crate) stack_top: usize,
    /// Regions of values the compiler emitted (a program's and each
    /// loaded unit's globals and constants), `[start, end)`.
    pub(crate) regions: Vec<(usize, usize)>,
    pub(crate) roots: roots::RootTable,
    /// The slots of `Traced` values: weak, marked through their owners'
    /// `trace` (a separate allocation: `trace` reads it while the
    /// collector holds the heap).
    pub(crate) traced: *mut roots::RootTable,
}

const MIN_THRESHOLD: usize = 16 << 20;
/// How much more than twice the live data the heap may grow between
/// collections: twice the live data again, up to this (`gc.rs`).
pub(crate) const EXTRA_GROWTH: usize = 128 << 20;

impl Default for Heap {
    fn default() -> Heap {
        Heap::new()
    }
}

/// `SCHEME_HEAP_LIMIT`: bytes, with an optional K, M or G suffix.
fn parse_size(s: &str) -> Option<usize> {
    let s = s.trim();
    let (digits, unit) = match s.char_indices().last()? {
        (i, c) if c.is_ascii_alphabetic() => (&s[..i], c.to_ascii_uppercase()),
        _ => (s, 'B'),
    };
    let n: usize = digits.trim().parse().ok()?;
    Some(match unit {
        'B' => n,
        'K' => n << 10,
        'M' => n << 20,
        'G' => n << 30,
        _ => return None,
    })
}

impl Heap {
    /// Reserve address space for `limit` bytes of heap (pages are committed
    /// only when touched).
    pub fn new() -> Heap {
        let limit = std::env::var("SCHEME_HEAP_LIMIT")
            .ok()
            .and_then(|s| parse_size(&s))
            .unwrap_or(16 << 30);
        let generational = std::env::var("SCHEME_GC_GENERATIONAL").is_ok_and(|v| v == "1");
        // Room beyond the limit for handling a raised "heap exhausted".
        let capacity = (limit + limit / 4).div_ceil(BLOCK_BYTES) + 1;
        let bytes = capacity * BLOCK_BYTES + BLOCK_BYTES;
        // SAFETY: an anonymous private mapping, checked below.
        let p = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                bytes,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                -1,
                0,
            )
        };
        if p == libc::MAP_FAILED {
            eprintln!("error: cannot reserve {limit} bytes of address space for the heap");
            std::process::exit(1);
        }
        let base = (p as usize).next_multiple_of(BLOCK_BYTES);
        if !cards::covers(base + bytes) {
            eprintln!("error: the heap was reserved beyond the addresses its card table covers");
            std::process::exit(1);
        }
        cards::table();
        let flag = |name| std::env::var(name).is_ok_and(|v| !v.is_empty() && v != "0");
        Heap {
            base,
            capacity,
            used: 0,
            meta: Vec::new(),
            free_blocks: Vec::new(),
            returned_blocks: Vec::new(),
            free_map: Vec::new(),
            object_holes: Vec::new(),
            pair_holes: Vec::new(),
            handed_out: Vec::new(),
            allocated_since_gc: 0,
            threshold: MIN_THRESHOLD,
            base_limit: limit,
            limit,
            stress: flag("SCHEME_GC_STRESS"),
            generational,
            min_hole: if generational {
                GENERATIONAL_MIN_HOLE_BYTES
            } else {
                MIN_HOLE_BYTES
            },
            full_next: false,
            live_after_full: 0,
            nursery: std::env::var("SCHEME_GC_NURSERY")
                .ok()
                .and_then(|s| parse_size(&s))
                .unwrap_or(MIN_THRESHOLD),
            disabled: std::env::var("SCHEME_GC").is_ok_and(|v| v == "off"),
            stats: GcStats {
                report: flag("SCHEME_GC_STATS"),
                ..GcStats::default()
            },
            stack_top: 0,
            regions: Vec::new(),
            roots: roots::RootTable::default(),
            traced: Box::into_raw(Box::default()),
        }
    }

    fn block_start(&self, b: usize) -> usize {
        self.base + b * BLOCK_BYTES
    }

    /// The block holding address `a`, if it is in the heap.
    fn block_of(&self, a: usize) -> Option<usize> {
        if a < self.base || a >= self.base + self.used * BLOCK_BYTES {
            return None;
        }
        Some((a - self.base) / BLOCK_BYTES)
    }

    /// A run of `n` free blocks of `kind`; `None` when the heap is full.
    fn take_blocks(&mut self, n: usize, kind: BlockKind) -> Option<usize> {
        let reused = if n == 1 {
            self.free_blocks
                .pop()
                .or_else(|| self.returned_blocks.pop())
        } else {
            // Large objects reuse free blocks too: without that, each one
            // took new address space (and new pages) until the heap was full.
            self.take_free_run(n)
        };
        if let Some(b) = reused {
            for i in b..b + n {
                self.free_map[i / 64] &= !(1 << (i % 64));
            }
        }
        let b = if let Some(b) = reused {
            if kind == BlockKind::Objects {
                // Old contents would not parse: make the block one filler.
                write_filler(self.block_start(b), self.block_start(b) + BLOCK_BYTES);
            }
            b
        } else {
            if self.used + n > self.capacity {
                return None;
            }
            self.used += n;
            self.meta.extend((0..n).map(|_| BlockMeta::new()));
            self.free_map.resize(self.used.div_ceil(64), 0);
            self.used - n
        };
        for (i, m) in self.meta[b..b + n].iter_mut().enumerate() {
            m.kind = if i == 0 { kind } else { BlockKind::LargeRest };
            m.span = n;
            m.marks = [0; GRANULES / 64];
            m.starts = [0; GRANULES / 64];
            m.fresh = Fresh::Whole;
            m.live = 0;
        }
        Some(b)
    }

    /// The free runs not handed out yet of blocks of `kind`.
    fn holes(&mut self, kind: BlockKind) -> &mut Vec<(usize, usize)> {
        if kind == BlockKind::Pairs {
            &mut self.pair_holes
        } else {
            &mut self.object_holes
        }
    }

    /// Remember a block as free (its contents are garbage from now on).
    fn release_block(&mut self, b: usize) {
        self.meta[b].kind = BlockKind::Free;
        self.meta[b].fresh = Fresh::No;
        self.meta[b].live = 0;
        self.free_blocks.push(b);
        self.free_map[b / 64] |= 1 << (b % 64);
    }

    /// The first of the lowest `n` adjacent free blocks, taken out of the
    /// free lists (kept or returned); `None` if there is no such run.
    fn take_free_run(&mut self, n: usize) -> Option<usize> {
        let mut run = 0;
        let mut b = 0;
        let first = loop {
            if b >= self.used {
                return None;
            }
            let bits = self.free_map[b / 64] >> (b % 64);
            if bits == 0 {
                // No free block in the rest of this word.
                run = 0;
                b = (b / 64 + 1) * 64;
                continue;
            }
            run = if bits & 1 != 0 { run + 1 } else { 0 };
            b += 1;
            if run == n {
                break b - n;
            }
        };
        let outside = |x: &usize| *x < first || *x >= first + n;
        self.free_blocks.retain(outside);
        self.returned_blocks.retain(outside);
        Some(first)
    }

    /// Give the pages of free blocks beyond `keep` bytes back to the system,
    /// so a program's memory shrinks after its live data does.
    fn trim_free_blocks(&mut self, keep: usize) {
        while self.free_blocks.len() * BLOCK_BYTES > keep {
            let b = self.free_blocks.pop().expect("checked");
            // SAFETY: the block is free; its pages read back as zeros.
            unsafe {
                libc::madvise(
                    self.block_start(b) as *mut libc::c_void,
                    BLOCK_BYTES,
                    libc::MADV_DONTNEED,
                )
            };
            self.returned_blocks.push(b);
        }
    }

    fn should_collect(&self) -> bool {
        self.stress || (self.allocated_since_gc >= self.threshold && !self.disabled)
    }
}

/// Write a filler object over `[start, end)` so object blocks stay walkable.
pub(crate) fn write_filler(start: usize, end: usize) {
    if end > start {
        let words = ((end - start) / 8) as u64;
        // SAFETY: the range is free heap memory owned by the allocator.
        unsafe { *(start as *mut u64) = header(TYPE_FILLER, words - 1) };
    }
}

/// Size in bytes of the object (not pair) whose header is `h`.
pub(crate) fn object_bytes(h: u64) -> usize {
    let len = (h >> HEADER_LENGTH_SHIFT) as usize;
    let words = match h & IMMEDIATE_MASK {
        TYPE_VECTOR | TYPE_FILLER | TYPE_BYTES | TYPE_BIGNUM | TYPE_VALUES | TYPE_CONTINUATION
        | TYPE_CONDITION | TYPE_RECORD => 1 + len,
        TYPE_BYTEVECTOR | TYPE_HASHTABLE => 1 + len,
        TYPE_CLOSURE => 2 + len,
        TYPE_STRING => 4,
        TYPE_SYMBOL => 4,
        TYPE_BOX | TYPE_PORT | TYPE_FOREIGN | TYPE_FLONUM => 2,
        TYPE_RATNUM => 3,
        other => unreachable!("object header with type {other}"),
    };
    words * 8
}

impl Ctx {
    /// Allocate `bytes` (rounded up to 8) for an object with a header.
    #[inline]
    pub(crate) fn alloc(&mut self, bytes: u64) -> *mut u64 {
        let bytes = (bytes + 7) & !7;
        if self.alloc_ptr + bytes <= self.alloc_limit {
            let p = self.alloc_ptr;
            self.alloc_ptr += bytes;
            return p as *mut u64;
        }
        (self.host.alloc_slow)(self, bytes) as *mut u64
    }

    /// A fresh object of `words` words after a header of type `kind`.
    pub(crate) fn alloc_object(&mut self, kind: u64, length: u64, words: u64) -> Value {
        // A size no heap can hold (and past which `8 * (words + 1)` and
        // the header's length field would wrap) is raised, never computed.
        if words > MAX_OBJECT_WORDS || length > MAX_OBJECT_WORDS {
            too_large(self, words.max(length))
        }
        let p = self.alloc(8 * (words + 1));
        // SAFETY: `p` points at `words + 1` fresh words.
        unsafe { *p = header(kind, length) };
        self.hold(Value::from_bits(p as u64 | TAG_OBJECT))
    }

    pub(crate) fn heap(&mut self) -> &mut Heap {
        // SAFETY: `heap` is set by `scm_main` before any Scheme code runs and
        // lives as long as the process; only host code calls this.
        unsafe { &mut *self.heap }
    }
}

/// A free run of at least `bytes` for `kind` (pairs or objects): collects
/// first when due, and once more when the heap is full.
fn next_hole(ctx: &mut Ctx, kind: BlockKind, bytes: usize) -> (usize, usize) {
    // What new objects own outside the heap counts towards the next collection.
    let external = std::mem::take(&mut ctx.external_bytes);
    ctx.heap().allocated_since_gc += external as usize;
    let mut collected = false;
    loop {
        if !collected && ctx.heap().should_collect() {
            gc::collect_due(ctx);
            collected = true;
            continue;
        }
        let heap = ctx.heap();
        let hole = match heap.holes(kind).pop() {
            Some(h) => {
                let b = heap.block_of(h.0).expect("holes are in the heap");
                if heap.meta[b].fresh == Fresh::No {
                    heap.meta[b].fresh = Fresh::Holes;
                }
                heap.handed_out.push(h);
                h
            }
            None => match heap.take_blocks(1, kind) {
                Some(b) => (heap.block_start(b), heap.block_start(b) + BLOCK_BYTES),
                None if !collected => {
                    gc::collect(ctx);
                    collected = true;
                    continue;
                }
                None => gc::heap_full(ctx),
            },
        };
        if hole.1 - hole.0 >= bytes {
            heap.allocated_since_gc += hole.1 - hole.0;
            return hole;
        }
        // Too small for this object: an object run stays a filler; a pair
        // run (too small for several pairs at once) is cleared, since it
        // now counts as handed out and a stale pair in it must not be
        // traced from a conservative root.
        if kind == BlockKind::Pairs {
            clear_pairs(hole.0, hole.1);
        }
    }
}

/// Slow path of object allocation (`bytes` is a multiple of 8): the
/// current hole is used up. Called by compiled code and through `Ctx::host`.
#[no_mangle]
pub extern "C" fn scm_alloc_slow(ctx: &mut Ctx, bytes: u64) -> u64 {
    let bytes = bytes as usize;
    if bytes > LARGE_OBJECT_BYTES {
        return gc::alloc_large(ctx, bytes) as u64;
    }
    write_filler(ctx.alloc_ptr as usize, ctx.alloc_limit as usize);
    ctx.alloc_ptr = 0;
    ctx.alloc_limit = 0;
    let (p, end) = next_hole(ctx, BlockKind::Objects, bytes);
    let heap = ctx.heap();
    let limit = if heap.stress {
        // An empty hole, so that compiled code's next allocation comes here too.
        write_filler(p + bytes, end);
        if end - (p + bytes) >= MIN_HOLE_BYTES {
            heap.object_holes.push((p + bytes, end));
        }
        p + bytes
    } else {
        end
    };
    ctx.alloc_ptr = (p + bytes) as u64;
    ctx.alloc_limit = limit as u64;
    p as u64
}

/// Slow path of pair allocation.
#[no_mangle]
pub extern "C" fn scm_alloc_pair_slow(ctx: &mut Ctx) -> u64 {
    scm_alloc_pairs_slow(ctx, PAIR_SIZE)
}

/// Slow path of allocating `bytes / PAIR_SIZE` adjacent pairs at once
/// (compiled code's `list` and nested `cons`; at most 16 pairs).
#[no_mangle]
pub extern "C" fn scm_alloc_pairs_slow(ctx: &mut Ctx, bytes: u64) -> u64 {
    debug_assert!(bytes.is_multiple_of(PAIR_SIZE) && bytes <= 16 * PAIR_SIZE);
    let bytes = bytes as usize;
    // What is left of the current run (fewer pairs than asked for) was
    // handed out but is never allocated: clear its stale pairs.
    clear_pairs(ctx.pair_ptr as usize, ctx.pair_limit as usize);
    ctx.pair_ptr = 0;
    ctx.pair_limit = 0;
    let (p, end) = next_hole(ctx, BlockKind::Pairs, bytes);
    let heap = ctx.heap();
    let limit = if heap.stress {
        if end > p + bytes {
            heap.pair_holes.push((p + bytes, end));
        }
        p + bytes
    } else {
        end
    };
    ctx.pair_ptr = (p + bytes) as u64;
    ctx.pair_limit = limit as u64;
    p as u64
}

/// Zero the free pair slots `[from, to)` (empty when `from >= to`), so
/// that a conservative root into them finds `(0 . 0)`, not a dead pair
/// whose car and cdr may point into reused memory.
pub(super) fn clear_pairs(from: usize, to: usize) {
    if from < to {
        // SAFETY: callers pass a free run of a pair block (the rest of the
        // current run, a run taken from the hole list or one the sweep does
        // not list), in whole pairs.
        unsafe { std::ptr::write_bytes(from as *mut u8, 0, to - from) };
    }
}

/// More words than any object may have: far beyond any heap (2^40 words,
/// 8 TiB), far below where sizes and header lengths wrap.
const MAX_OBJECT_WORDS: u64 = 1 << 40;

/// Raise the "heap" condition for an object of `words` words.
#[cold]
#[inline(never)]
fn too_large(ctx: &mut Ctx, words: u64) -> ! {
    let message = format!("cannot allocate an object of {words} words: larger than any heap");
    let c = crate::exception::make_condition(ctx, "heap", None, &message, Value::NIL);
    crate::exception::raise_error(ctx, c)
}

impl<'s> crate::ctx::Ctx<'s> {
    /// A new pair `(car . cdr)`.
    pub fn cons(
        &mut self,
        car: crate::value::Value<'s>,
        cdr: crate::value::Value<'s>,
    ) -> crate::value::Value<'s> {
        let ctx = self.rt();
        let car = car.rt();
        let cdr = cdr.rt();
        let p = if ctx.pair_ptr + PAIR_SIZE <= ctx.pair_limit {
            let p = ctx.pair_ptr;
            ctx.pair_ptr += PAIR_SIZE;
            p
        } else {
            (ctx.host.alloc_pair_slow)(ctx)
        } as *mut u64;
        // SAFETY: `p` points at 16 fresh bytes.
        unsafe {
            *p = car.0;
            *p.add(1) = cdr.0;
        }
        ctx.hold(Value::from_bits(p as u64 | TAG_PAIR))
    }

    /// A new vector of `len` elements, each `fill`.
    pub fn make_vector(
        &mut self,
        len: usize,
        fill: crate::value::Value<'s>,
    ) -> crate::value::Value<'s> {
        let ctx = self.rt();
        let fill = fill.rt();
        let v = ctx.alloc_object(TYPE_VECTOR, len as u64, len as u64);
        // New: no write barrier per element.
        for i in 0..len {
            v.init_word(1 + i, fill.0);
        }
        v
    }

    /// A new box holding `value`.
    pub fn make_box(&mut self, value: crate::value::Value<'s>) -> crate::value::Value<'s> {
        let ctx = self.rt();
        let value = value.rt();
        let b = ctx.alloc_object(TYPE_BOX, 0, 1);
        b.init_word(1, value.0);
        b
    }

    /// Build a proper list from `items` (which must stay reachable: they
    /// are read while the list is being allocated).
    pub fn list(&mut self, items: &[crate::value::Value<'s>]) -> crate::value::Value<'s> {
        let ctx = self.rt();
        let items = crate::value::rt_slice(items);
        items
            .iter()
            .rev()
            .fold(Value::NIL, |tail, &item| ctx.cons(item, tail))
    }
}
