//! The collector: mark (conservative roots, precise heap) and sweep.

use std::time::{Duration, Instant};

use super::{
    bit, object_bytes, set_bit, write_filler, BlockKind, Fresh, Heap, BLOCK_BYTES, EXTRA_GROWTH,
    MIN_THRESHOLD,
};
use crate::abi::*;
use crate::rt::Ctx;
use crate::rt::Value;

/// What `SCHEME_GC_STATS=1` reports at exit.
#[derive(Default, Debug)]
pub struct GcStats {
    pub report: bool,
    pub collections: u64,
    /// Bytes handed to the allocator (holes and blocks) over the run.
    pub bytes_allocated: u64,
    pub total_pause: Duration,
    pub max_pause: Duration,
    pub live_after_last: u64,
    /// Of `collections`, the full ones (the others were minor).
    pub full_collections: u64,
}

impl GcStats {
    /// One line for stderr; `pending` is what was allocated since the last
    /// collection.
    pub fn summary(&self, pending: usize) -> String {
        format!(
            "gc: {} collections ({} full), {} bytes allocated, {:.3} ms total pause, {:.3} ms longest pause, {} bytes live after the last collection, peak RSS {} KiB",
            self.collections,
            self.full_collections,
            self.bytes_allocated + pending as u64,
            self.total_pause.as_secs_f64() * 1e3,
            self.max_pause.as_secs_f64() * 1e3,
            self.live_after_last,
            peak_rss_kib()
        )
    }
}

/// The process's peak resident set size so far.
fn peak_rss_kib() -> u64 {
    // SAFETY: getrusage fills the struct it is given.
    unsafe {
        let mut u: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut u);
        u.ru_maxrss as u64
    }
}

/// Free memory kept beyond what the next cycle allocates (see `collect_as`).
const SPARE_FREE_BYTES: usize = 48 << 20;

/// The live data outgrew the limit: raise a condition (kind `heap`), with
/// an eighth of the limit more room while the program handles it; if it is
/// still over after that, or the address space reserved runs out, exit.
#[cold]
pub(crate) fn heap_exhausted(ctx: &mut Ctx) -> ! {
    let heap = ctx.heap();
    let base = heap.base_limit;
    let message = exhausted_message(base);
    if heap.limit > base {
        crate::error::fatal(ctx, &message)
    }
    heap.limit = base + base / 8;
    let c = crate::exception::make_condition(ctx, "heap", None, &message, Value::NIL);
    drop(message);
    crate::exception::raise_error(ctx, c)
}

/// The heap itself is full (beyond the room `heap_exhausted` gives).
#[cold]
pub(crate) fn heap_full(ctx: &mut Ctx) -> ! {
    let message = exhausted_message(ctx.heap().base_limit);
    crate::error::fatal(ctx, &message)
}

fn exhausted_message(limit: usize) -> String {
    format!("heap exhausted: the live data needs more than the heap limit of {limit} bytes (set SCHEME_HEAP_LIMIT, e.g. SCHEME_HEAP_LIMIT=32G)")
}

/// An object of more than `LARGE_OBJECT_BYTES`: whole blocks of its own.
pub(crate) fn alloc_large(ctx: &mut Ctx, bytes: usize) -> usize {
    let n = bytes.div_ceil(BLOCK_BYTES);
    if ctx.heap().should_collect() {
        collect_due(ctx);
    }
    let heap = ctx.heap();
    let b = match heap.take_blocks(n, BlockKind::Large) {
        Some(b) => b,
        None => {
            collect(ctx);
            match ctx.heap().take_blocks(n, BlockKind::Large) {
                Some(b) => b,
                None => heap_full(ctx),
            }
        }
    };
    let heap = ctx.heap();
    heap.allocated_since_gc += n * BLOCK_BYTES;
    heap.block_start(b)
}

/// Collect all garbage now (a full collection: `collect`, a heap that
/// cannot grow, live data over the limit).
pub(crate) fn collect(ctx: &mut Ctx) {
    collect_as(ctx, true)
}

/// The collection allocation found due: minor, unless the old objects have
/// grown enough since the last full one (see `Heap::full_next`).
pub(crate) fn collect_due(ctx: &mut Ctx) {
    let heap = ctx.heap();
    // Under `SCHEME_GC_STRESS` every eighth is full, so both kinds run.
    let full = !heap.generational
        || heap.full_next
        || (heap.stress && heap.stats.collections.is_multiple_of(8));
    collect_as(ctx, full)
}

/// A full collection clears every mark and traces everything live; a
/// minor one keeps the marks of the objects that survived earlier
/// collections (sticky mark bits: they are old), traces from the roots
/// and from the old objects of blocks the write barrier saw written
/// (`cards.rs`), and sweeps only blocks allocated into since.
#[inline(never)]
fn collect_as(ctx: &mut Ctx, full: bool) {
    let started = Instant::now();
    // Spill the callee-saved registers onto this frame: a value that lives
    // only in one of them is then found by the stack scan.
    let mut regs = [0u64; 6];
    // SAFETY: stores six registers into a local array.
    unsafe {
        std::arch::asm!(
            "mov [{0}], rbx", "mov [{0} + 8], rbp", "mov [{0} + 16], r12",
            "mov [{0} + 24], r13", "mov [{0} + 32], r14", "mov [{0} + 40], r15",
            in(reg) regs.as_mut_ptr(),
        );
    }
    std::hint::black_box(&mut regs);
    let sp: usize;
    // SAFETY: reads the stack pointer.
    unsafe { std::arch::asm!("mov {}, rsp", out(reg) sp) };
    collect_below(ctx, full, sp, started);
    std::hint::black_box(&regs);
}

/// The collection proper, in frames below `sp`, which the stack scan does
/// not reach: the words the marker spills there (object addresses) would
/// otherwise be found, stale, in the next collection's frame and keep
/// dead objects alive.
#[inline(never)]
fn collect_below(ctx: &mut Ctx, full: bool, sp: usize, started: Instant) {
    write_filler(ctx.alloc_ptr as usize, ctx.alloc_limit as usize);
    let current_pair_hole = (ctx.pair_ptr as usize, ctx.pair_limit as usize);
    ctx.alloc_ptr = 0;
    ctx.alloc_limit = 0;
    ctx.pair_ptr = 0;
    ctx.pair_limit = 0;
    // SAFETY: the heap outlives this call; `ctx`'s other fields are read
    // below, never the heap through `ctx`.
    let heap: &mut Heap = unsafe { &mut *ctx.heap };
    let mut free_pairs = heap.pair_holes.clone();
    if current_pair_hole.0 < current_pair_hole.1 {
        free_pairs.push(current_pair_hole);
    }
    free_pairs.sort_unstable();
    // What this collection sweeps: every block (full), or the blocks taken
    // whole since the last collection and the holes handed out (minor).
    let swept = Swept::of(heap, full);
    if full {
        heap.object_holes.clear();
        heap.pair_holes.clear();
    } else {
        // The sweep finds the holes of what it sweeps again. (Under
        // `SCHEME_GC_STRESS` the rest of a handed-out hole goes back to
        // the list: it is swept, so it leaves the list.)
        for kind in [BlockKind::Objects, BlockKind::Pairs] {
            let mut holes = std::mem::take(heap.holes(kind));
            holes.retain(|h| !swept.covers(heap, h.0));
            *heap.holes(kind) = holes;
        }
    }
    reset_blocks(heap, full);

    let mut marker = Marker {
        heap,
        stack: Vec::new(),
        free_pairs,
        found: Vec::new(),
    };
    // Before the roots, while only old objects are marked.
    marker.scan_dirty(full);
    marker.scan_range(sp, marker.heap.stack_top);
    for i in 0..marker.heap.regions.len() {
        let (start, end) = marker.heap.regions[i];
        for g in (start..end).step_by(8) {
            // SAFETY: the roots regions hold values (or zero) only.
            marker.value(Value::from_bits(unsafe { *(g as *const u64) }));
        }
    }
    for v in [
        ctx.current_output,
        ctx.current_input,
        ctx.stdout_port,
        ctx.stderr_port,
        ctx.cont_next,
        ctx.handlers,
        ctx.winders,
        ctx.throw_target,
        ctx.throw_value,
        ctx.raising,
        ctx.pending_value,
    ] {
        marker.value(v);
    }
    for b in &ctx.boundaries {
        marker.value(b.handlers);
    }
    for &v in ctx.symbols.values() {
        marker.value(v);
    }
    for &v in &ctx.held {
        marker.value(v);
    }
    for b in &ctx.borrows {
        marker.value(b.object);
    }
    for i in 0..marker.heap.roots.slots.len() {
        let v = marker.heap.roots.slots[i];
        marker.value(v);
    }
    if !full {
        // An old foreign object is not traced again, and a `Traced` it
        // holds may have been set to a young value: in a minor collection
        // they are all strong, and cleared only by a full one.
        // SAFETY: the table is a separate allocation; nothing else uses it
        // during the collection.
        let traced = unsafe { &*marker.heap.traced };
        for &v in &traced.slots {
            marker.value(v);
        }
    }
    marker.trace();
    if full {
        super::traced::clear_dead(heap.traced, |v| {
            !crate::scope::is_heap(v) || heap_marked(heap, v.0 as usize & !7)
        });
    }

    // Ports that died are closed after the sweep (`dead_owners`); forget them here.
    ctx.ports.retain(|&p| heap_marked(heap, p.0 as usize & !7));
    let dead = dead_owners(ctx, heap);
    let live = sweep(heap, full, &swept);

    heap.threshold = if heap.generational {
        // Minor collections cost what survives and what was written, not
        // the old data: collect young objects while they are in the cache.
        // A full collection when the old objects have doubled.
        if full {
            heap.live_after_full = live;
        }
        heap.full_next = live > heap.live_after_full + heap.live_after_full.max(MIN_THRESHOLD);
        heap.nursery
    } else {
        // Let the heap grow to about nine times the live data before the
        // next collection (three times beyond 21 MiB live, plus 128 MiB):
        // fewer collections, at a bounded cost in memory. Measured on
        // r7rs-benchmarks (ARCHITECTURE, performance findings).
        MIN_THRESHOLD.max(2 * live + (6 * live).min(EXTRA_GROWTH))
    };
    // Free blocks the next cycle will allocate into stay resident, with
    // room to spare: large objects need runs of adjacent blocks, and blocks
    // given back cost a page fault and the kernel's zeroing on reuse
    // (array1: 1.35 s of system time in 2.3 s with no spare room).
    heap.trim_free_blocks(heap.threshold.max(heap.live_after_full) + SPARE_FREE_BYTES);
    let pause = started.elapsed();
    let s = &mut heap.stats;
    s.collections += 1;
    s.full_collections += full as u64;
    s.bytes_allocated += heap.allocated_since_gc as u64;
    heap.allocated_since_gc = 0;
    s.total_pause += pause;
    s.max_pause = s.max_pause.max(pause);
    s.live_after_last = live as u64;
    let over = live > heap.limit;
    if live <= heap.base_limit {
        // Back under the limit after a raised "heap exhausted".
        heap.limit = heap.base_limit;
    }
    // Dropped once the collector holds no reference to the heap: a
    // foreign value's `Drop` may drop a `Root`, which writes the root table.
    for owned in dead {
        owned.release();
    }
    if over && !full {
        // Old garbage counted as live: a full collection decides.
        collect_as(ctx, true);
    } else if over {
        heap_exhausted(ctx);
    }
}

/// Clear the mark bits (in a full collection), and forget where objects
/// start (recomputed only for the blocks that a conservative root points
/// into).
fn reset_blocks(heap: &mut Heap, full: bool) {
    for m in &mut heap.meta[..heap.used] {
        if full {
            m.marks = [0; super::GRANULES / 64];
        }
        m.starts_known = false;
    }
}

/// Walk object block `b` and record where its objects start.
fn find_object_starts(heap: &mut Heap, b: usize) {
    let start = heap.block_start(b);
    let m = &mut heap.meta[b];
    m.starts = [0; super::GRANULES / 64];
    let mut off = 0;
    while off < BLOCK_BYTES {
        set_bit(&mut m.starts, off / 8);
        // SAFETY: object blocks are walkable: every word range is an object
        // or a filler, and fresh memory reads as zero fillers.
        let h = unsafe { *((start + off) as *const u64) };
        off += object_bytes(h);
    }
    m.starts_known = true;
}

fn heap_marked(heap: &Heap, a: usize) -> bool {
    match heap.block_of(a) {
        Some(b) => bit(&heap.meta[b].marks, (a - heap.block_start(b)) / 8),
        None => true,
    }
}

struct Marker<'h> {
    heap: &'h mut Heap,
    /// Marked objects whose fields are still to be traced.
    stack: Vec<usize>,
    /// The pair slots not handed out since the last collection (the holes
    /// the allocator has not reached, and the rest of its current one),
    /// sorted. Their words are stale: whatever pairs lived there before.
    free_pairs: Vec<(usize, usize)>,
    /// What a foreign object's `trace` found (reused buffer).
    found: Vec<Value>,
}

impl Marker<'_> {
    /// Is pair slot `a` free (see `free_pairs`)?
    fn is_free_pair(&self, a: usize) -> bool {
        let i = self.free_pairs.partition_point(|&(start, _)| start <= a);
        i > 0 && a < self.free_pairs[i - 1].1
    }

    /// The start of the object that an arbitrary word `w` points at, if any.
    fn object_at(&mut self, w: usize) -> Option<(usize, usize)> {
        let a = w & !7;
        let b = self.heap.block_of(a)?;
        let off = a - self.heap.block_start(b);
        if self.heap.meta[b].kind == BlockKind::Objects && !self.heap.meta[b].starts_known {
            find_object_starts(self.heap, b);
        }
        let m = &self.heap.meta[b];
        // A conservative root may point at free memory. A free slot of a
        // pair block still holds the car and cdr of a dead pair, which may
        // point at memory since reused for other objects: tracing it would
        // mark and read those as objects. So a free pair slot is refused
        // here (checked rather than cleared at sweep: the check costs a
        // binary search per root word that points into a pair block, while
        // clearing would write every dead pair). Object blocks need no such
        // check: their free space is always a filler, which is not an
        // object start, and a dead object is a filler after the sweep.
        let is_start = match m.kind {
            BlockKind::Pairs => off.is_multiple_of(PAIR_SIZE as usize) && !self.is_free_pair(a),
            BlockKind::Objects => {
                bit(&m.starts, off / 8) && {
                    // SAFETY: `a` starts an object in an object block.
                    let h = unsafe { *(a as *const u64) };
                    h & IMMEDIATE_MASK != TYPE_FILLER
                }
            }
            BlockKind::Large => off == 0,
            BlockKind::Free | BlockKind::LargeRest => false,
        };
        is_start.then_some((a, b))
    }

    /// Mark what a word that may or may not be a pointer points at.
    fn mark_word(&mut self, w: usize) {
        if let Some((a, b)) = self.object_at(w) {
            self.mark(a, b);
        }
    }

    /// Mark the object starting at `a` in block `b`.
    fn mark(&mut self, a: usize, b: usize) {
        let start = self.heap.block_start(b);
        let m = &mut self.heap.meta[b];
        let g = (a - start) / 8;
        if !bit(&m.marks, g) {
            set_bit(&mut m.marks, g);
            self.stack.push(a);
        }
    }

    /// A value from a precise location: a heap pointer in it is an object
    /// start (no check needed), unless it points outside the heap (static
    /// closures, which hold no heap values).
    fn value(&mut self, v: Value) {
        if matches!(
            v.0 & TAG_MASK,
            TAG_PAIR | TAG_CLOSURE | TAG_OBJECT | TAG_FLONUM
        ) {
            let a = v.0 as usize & !7;
            if let Some(b) = self.heap.block_of(a) {
                self.mark(a, b);
            }
        }
    }

    /// Every word in `[from, to)` that could be a pointer.
    fn scan_range(&mut self, from: usize, to: usize) {
        let mut p = from & !7;
        while p < to {
            // SAFETY: the range is mapped stack or data memory.
            let w = unsafe { *(p as *const usize) };
            self.mark_word(w);
            p += 8;
        }
    }

    /// A minor collection traces the old (marked) objects of the blocks
    /// written since the last collection; every collection cleans the
    /// cards of its blocks.
    fn scan_dirty(&mut self, full: bool) {
        for b in 0..self.heap.used {
            let start = self.heap.block_start(b);
            if !super::cards::take(start) || full {
                continue;
            }
            let marks = self.heap.meta[b].marks;
            match self.heap.meta[b].kind {
                BlockKind::Pairs | BlockKind::Objects => {
                    for (w, &word) in marks.iter().enumerate() {
                        let mut bits = word;
                        while bits != 0 {
                            let g = 64 * w + bits.trailing_zeros() as usize;
                            bits &= bits - 1;
                            self.trace_object(start + 8 * g, b);
                        }
                    }
                }
                BlockKind::Large if marks[0] & 1 != 0 => self.trace_object(start, b),
                // The barrier marks the block of an object's first word.
                BlockKind::Large | BlockKind::LargeRest | BlockKind::Free => {}
            }
        }
    }

    fn trace(&mut self) {
        while let Some(a) = self.stack.pop() {
            // Marking waits on the first word of each object popped (a
            // cache miss, most of a collection's time): start loading the
            // one PREFETCH_AHEAD entries down the stack, popped soon when
            // a wide object (a vector, a closure) pushed its fields, and
            // left alone in a list's car-cdr walk.
            if self.stack.len() >= PREFETCH_AHEAD {
                let ahead = self.stack[self.stack.len() - PREFETCH_AHEAD];
                // SAFETY: a prefetch never faults, whatever the address.
                unsafe {
                    std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
                        ahead as *const i8,
                    )
                };
            }
            let b = self
                .heap
                .block_of(a)
                .expect("marked objects are in the heap");
            self.trace_object(a, b);
        }
    }

    /// Mark what the marked object at `a`, in block `b`, refers to.
    fn trace_object(&mut self, a: usize, b: usize) {
        {
            // SAFETY: `a` starts a marked object, whose words are in the
            // heap; its layout is the one its header (or block) says.
            let word = |i: usize| Value::from_bits(unsafe { *((a + 8 * i) as *const u64) });
            if self.heap.meta[b].kind == BlockKind::Pairs {
                self.value(word(0));
                self.value(word(1));
                return;
            }
            let h = word(0).0;
            let len = (h >> HEADER_LENGTH_SHIFT) as usize;
            match h & IMMEDIATE_MASK {
                TYPE_VECTOR | TYPE_VALUES | TYPE_CONDITION | TYPE_RECORD | TYPE_HASHTABLE => {
                    (1..=len).for_each(|i| self.value(word(i)))
                }
                TYPE_CONTINUATION => {
                    (1..=CONT_WORDS).for_each(|i| self.value(word(i)));
                    // Saved stack frames: any word may be a value.
                    (CONT_WORDS + 1..=len).for_each(|i| self.mark_word(word(i).0 as usize));
                }
                TYPE_CLOSURE => (2..2 + len).for_each(|i| self.value(word(i))),
                TYPE_BOX => self.value(word(1)),
                // The string `symbol->string` made.
                TYPE_SYMBOL => self.value(word(3)),
                TYPE_STRING => self.value(word(3)),
                TYPE_RATNUM => {
                    self.value(word(1));
                    self.value(word(2));
                }
                TYPE_FOREIGN => {
                    let mut found = std::mem::take(&mut self.found);
                    crate::foreign::trace_foreign(
                        Value::from_bits(a as u64 | TAG_OBJECT),
                        &mut found,
                    );
                    // Checked like a conservative root: the values come
                    // from plugin code.
                    found.drain(..).for_each(|v| self.mark_word(v.0 as usize));
                    self.found = found;
                }
                _ => {}
            }
        }
    }
}

/// How far down the mark stack `Marker::trace` prefetches (measured on
/// r7rs-benchmarks: see ARCHITECTURE, performance findings).
const PREFETCH_AHEAD: usize = 16;

/// The holes handed out since the last collection, sorted and merged
/// (empty in a full collection, which sweeps everything).
struct Swept {
    ranges: Vec<(usize, usize)>,
}

impl Swept {
    fn of(heap: &mut Heap, full: bool) -> Swept {
        let mut handed = std::mem::take(&mut heap.handed_out);
        let mut ranges: Vec<(usize, usize)> = Vec::new();
        if !full {
            handed.sort_unstable();
            for (from, to) in handed {
                match ranges.last_mut() {
                    // Overlapping (stress mode): one range. Adjacent ones
                    // may be in two blocks: kept apart.
                    Some(last) if from < last.1 => last.1 = last.1.max(to),
                    _ => ranges.push((from, to)),
                }
            }
        }
        Swept { ranges }
    }

    /// Is address `a` in memory this (minor) collection sweeps?
    fn covers(&self, heap: &Heap, a: usize) -> bool {
        let b = heap.block_of(a).expect("a hole is in the heap");
        if heap.meta[b].fresh == Fresh::Whole {
            return true;
        }
        let i = self.ranges.partition_point(|&(from, _)| from <= a);
        i > 0 && a < self.ranges[i - 1].1
    }
}

/// Free what is not marked; returns the bytes still live. A minor
/// collection sweeps only the blocks taken whole since the last one and
/// the holes handed out since: the rest holds old objects only, which it
/// did not unmark (their holes stay in the lists).
fn sweep(heap: &mut Heap, full: bool, swept: &Swept) -> usize {
    if !full {
        for &(from, to) in &swept.ranges {
            let b = heap.block_of(from).expect("holes are in the heap");
            if heap.meta[b].fresh == Fresh::Holes {
                let l = match heap.meta[b].kind {
                    BlockKind::Pairs => sweep_pair_range(heap, b, from, to),
                    _ => sweep_object_range(heap, b, from, to),
                };
                heap.meta[b].live += l;
            }
        }
    }
    let mut live = 0;
    let mut b = 0;
    while b < heap.used {
        let span = heap.meta[b].span.max(1);
        let m = &mut heap.meta[b];
        let whole = full || m.fresh == Fresh::Whole;
        m.fresh = Fresh::No;
        if !whole {
            live += m.live;
            b += if m.kind == BlockKind::Large { span } else { 1 };
            continue;
        }
        match heap.meta[b].kind {
            BlockKind::Pairs => {
                let l = sweep_pairs(heap, b);
                heap.meta[b].live = l;
                live += l;
            }
            BlockKind::Objects => {
                let l = sweep_objects(heap, b);
                heap.meta[b].live = l;
                live += l;
            }
            BlockKind::Large => {
                if bit(&heap.meta[b].marks, 0) {
                    heap.meta[b].live = span * BLOCK_BYTES;
                    live += span * BLOCK_BYTES;
                } else {
                    // Large objects (vectors, strings) own nothing outside the heap.
                    for i in b..b + span {
                        heap.release_block(i);
                    }
                }
                b += span;
                continue;
            }
            BlockKind::Free | BlockKind::LargeRest => {}
        }
        b += 1;
    }
    live
}

/// The marked granules of block `b`'s bitmap in `[g0, g1)`, in order.
fn marked_granules(marks: &[u64], g0: usize, g1: usize, mut f: impl FnMut(usize)) {
    let mut g = g0;
    while g < g1 {
        let w = g / 64;
        let mut bits = marks[w] & (!0u64 << (g % 64));
        let end = (64 * (w + 1)).min(g1);
        if !end.is_multiple_of(64) {
            bits &= (1u64 << (end % 64)) - 1;
        }
        while bits != 0 {
            f(64 * w + bits.trailing_zeros() as usize);
            bits &= bits - 1;
        }
        g = end;
    }
}

/// The live bytes in `[from, to)` of block `b` and the gaps between its
/// marked objects, `size` giving each one's bytes from its address.
fn live_and_gaps(
    heap: &Heap,
    b: usize,
    (from, to): (usize, usize),
    size: impl Fn(usize) -> usize,
) -> (usize, Vec<(usize, usize)>) {
    let start = heap.block_start(b);
    let (mut live, mut gaps, mut off) = (0, Vec::new(), from);
    marked_granules(
        &heap.meta[b].marks,
        (from - start) / 8,
        (to - start) / 8,
        |g| {
            let at = start + 8 * g;
            if at > off {
                gaps.push((off, at));
            }
            let n = size(at);
            live += n;
            off = at + n;
        },
    );
    if off < to {
        gaps.push((off, to));
    }
    (live, gaps)
}

/// Sweep `[from, to)` of pair block `b`, a hole handed out since the last
/// collection: the gaps between its marked pairs become holes. Returns the
/// bytes of the pairs that survived.
fn sweep_pair_range(heap: &mut Heap, b: usize, from: usize, to: usize) -> usize {
    let (live, holes) = live_and_gaps(heap, b, (from, to), |_| PAIR_SIZE as usize);
    keep_pair_holes(heap, holes);
    live
}

/// Sweep `[from, to)` of object block `b` (all of it, or a hole handed
/// out since the last collection: the objects allocated there end inside
/// it): the gaps between its marked objects become fillers, and holes if
/// big enough. Only live objects are visited (through the mark bitmap), so
/// dead flonums cost a few bitmap words, not a walk over every object.
/// Returns the bytes of the objects that survived.
fn sweep_object_range(heap: &mut Heap, b: usize, from: usize, to: usize) -> usize {
    // SAFETY: marks are set only at object starts.
    let size = |a: usize| object_bytes(unsafe { *(a as *const u64) });
    let (live, holes) = live_and_gaps(heap, b, (from, to), size);
    for (from, to) in holes {
        write_filler(from, to);
        if to - from >= heap.min_hole {
            heap.object_holes.push((from, to));
        }
    }
    live
}

fn sweep_pairs(heap: &mut Heap, b: usize) -> usize {
    let start = heap.block_start(b);
    let pair = PAIR_SIZE as usize;
    let marks = &heap.meta[b].marks;
    // A block with no marks at all is free (the common case for young blocks).
    if marks.iter().all(|&w| w == 0) {
        heap.release_block(b);
        return 0;
    }
    let mut live = 0;
    let mut run: Option<usize> = None;
    let mut holes = Vec::new();
    for (w, &word) in marks.iter().enumerate() {
        // One mark word covers 32 pairs (a pair starts every other granule).
        if word == 0 {
            run.get_or_insert(w * 64 * 8);
            continue;
        }
        for g in (0..64).step_by(2) {
            let off = (w * 64 + g) * 8;
            if word & (1 << g) != 0 {
                live += pair;
                if let Some(r) = run.take() {
                    holes.push((start + r, start + off));
                }
            } else if run.is_none() {
                run = Some(off);
            }
        }
    }
    if let Some(r) = run {
        holes.push((start + r, start + BLOCK_BYTES));
    }
    keep_pair_holes(heap, holes);
    live
}

/// List the free runs `holes` of a pair block for allocation, or clear
/// those too small to list: an unlisted free slot must not hold a dead
/// pair, whose car and cdr may point at memory reused since (a
/// conservative root may point at the slot: see `Marker::object_at`).
fn keep_pair_holes(heap: &mut Heap, holes: Vec<(usize, usize)>) {
    for (from, to) in holes {
        // Without generations every free run is listed, as it always was.
        if !heap.generational || to - from >= heap.min_hole {
            heap.pair_holes.push((from, to));
        } else {
            super::clear_pairs(from, to);
        }
    }
}

/// Sweep object block `b`: free if nothing in it is marked, else as
/// `sweep_object_range` over the whole block (dead objects that own memory
/// were taken out before, `dead_owners`).
fn sweep_objects(heap: &mut Heap, b: usize) -> usize {
    if heap.meta[b].marks.iter().all(|&w| w == 0) {
        heap.release_block(b);
        return 0;
    }
    let start = heap.block_start(b);
    sweep_object_range(heap, b, start, start + BLOCK_BYTES)
}

/// Finalize the objects owning Rust memory that did not survive, before the
/// sweep turns them into free space.
fn dead_owners(ctx: &mut Ctx, heap: &Heap) -> Vec<Owned> {
    let mut dead = Vec::new();
    ctx.finalizable.retain(|&v| {
        let a = v.0 as usize & !7;
        let alive = heap_marked(heap, a);
        if !alive {
            dead.extend(owned(a));
        }
        alive
    });
    dead
}

/// What a dead object owned outside the heap, taken out of it before the
/// sweep reuses its memory.
enum Owned {
    Port(*mut crate::port::Port),
    Foreign(*mut crate::foreign::ForeignBox),
}

impl Owned {
    fn release(self) {
        // SAFETY: the pointers came from the constructors named below
        // (`make_port`, `make_foreign`), and each dead object is taken out
        // once (it left `ctx.finalizable`).
        unsafe {
            match self {
                Owned::Port(p) => drop(Box::from_raw(p)),
                Owned::Foreign(b) => crate::foreign::finalize_foreign(b),
            }
        }
    }
}

/// What the dead object at `a` owns, if anything.
fn owned(a: usize) -> Option<Owned> {
    // SAFETY: `a` starts a dead object (not yet swept) of the type its
    // header says.
    let word = |i: usize| unsafe { *((a + 8 * i) as *const u64) };
    match word(0) & IMMEDIATE_MASK {
        TYPE_PORT => Some(Owned::Port(word(1) as *mut _)),
        TYPE_FOREIGN => Some(Owned::Foreign(word(1) as *mut _)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::bit;
    use super::*;

    /// Whether the collection just made marked the object at `a`.
    fn marked(ctx: &mut Ctx, v: Value) -> bool {
        let a = v.0 as usize & !7;
        let heap = ctx.heap();
        let b = heap.block_of(a).expect("in the heap");
        bit(&heap.meta[b].marks, (a - heap.block_start(b)) / 8)
    }

    /// A conservative root that points at a freed pair slot, whose stale
    /// car points into memory reused by another object, marks nothing.
    #[test]
    fn a_root_at_a_freed_pair_slot_is_not_traced() {
        let mut ctx = Ctx::new();
        // Keeps the pair block in use, so that the freed slot becomes a
        // hole instead of the whole block being freed.
        let kept = ctx.cons(Value::fixnum(1), Value::NIL);
        let _kept = ctx.root(kept);
        let pad = ctx.make_box(Value::NIL);
        let v = ctx.make_vector(2, Value::NIL);
        let stale = ctx.cons(v, Value::NIL);
        // No stack is scanned (`stack_top` is 0): all but `kept` die.
        collect(&mut ctx);
        // Reuse the object memory: one vector over where `pad` and `v` were,
        // so the stale car now points into the middle of it.
        let w = ctx.make_vector(6, Value::fixnum(7));
        assert_eq!(w.0 & !7, pad.0 & !7, "the freed memory is reused");
        assert!(v.0 & !7 > w.0 & !7 && v.0 & !7 < (w.0 & !7) + 56);

        // Now scan a stack that holds the freed slot's address.
        let words = std::hint::black_box([stale.0 as usize]);
        ctx.heap().stack_top = words.as_ptr() as usize + 8;
        collect(&mut ctx);
        ctx.heap().stack_top = 0;
        std::hint::black_box(&words);
        assert!(marked(&mut ctx, kept));
        assert!(
            !marked(&mut ctx, stale),
            "a free pair slot was taken as a pair"
        );
        assert!(
            !marked(&mut ctx, v),
            "a stale car was traced into reused memory"
        );
    }

    /// The same through a run too small for `list`'s several pairs at once:
    /// the run counts as handed out once taken, so its stale pairs must be
    /// cleared when the allocation moves past it (chudnovsky ran out of heap
    /// when a stale car made the collector read a bogus object size). The
    /// run is passed over when taken from the hole list, or when it is the
    /// rest of the current run.
    #[test]
    fn a_run_skipped_by_a_multi_pair_allocation_is_cleared() {
        for rest_of_current in [false, true] {
            skipped_run_is_cleared(rest_of_current);
        }
    }

    fn skipped_run_is_cleared(rest_of_current: bool) {
        let mut ctx = Ctx::new();
        let before = ctx.cons(Value::fixnum(1), Value::NIL);
        let _before = ctx.root(before);
        let pad = ctx.make_box(Value::NIL);
        let v = ctx.make_vector(2, Value::NIL);
        if rest_of_current {
            // A dead pair first: the free run is two pairs long.
            ctx.cons(Value::NIL, Value::NIL);
        }
        let stale = ctx.cons(v, Value::NIL);
        let after = ctx.cons(Value::fixnum(2), Value::NIL);
        let _after = ctx.root(after);
        collect(&mut ctx);
        let w = ctx.make_vector(6, Value::fixnum(7));
        assert_eq!(w.0 & !7, pad.0 & !7, "the freed memory is reused");

        let slot = stale.0 as usize & !7;
        let pending = |ctx: &mut Ctx| {
            let (ptr, limit) = (ctx.pair_ptr as usize, ctx.pair_limit as usize);
            (ptr <= slot && slot < limit)
                || ctx
                    .heap()
                    .pair_holes
                    .iter()
                    .any(|&(f, t)| f <= slot && slot < t)
        };
        assert!(pending(&mut ctx), "the freed slot is a free run");
        if rest_of_current {
            // Single pairs until the stale one is all that is left of the run.
            while ctx.pair_ptr as usize != slot {
                ctx.cons(Value::NIL, Value::NIL);
            }
        }
        // Three pairs at a time until the run at `stale` is passed over.
        while pending(&mut ctx) {
            super::super::scm_alloc_pairs_slow(&mut ctx, 3 * PAIR_SIZE);
        }

        let words = std::hint::black_box([stale.0 as usize]);
        ctx.heap().stack_top = words.as_ptr() as usize + 8;
        collect(&mut ctx);
        ctx.heap().stack_top = 0;
        std::hint::black_box(&words);
        assert!(
            !marked(&mut ctx, v),
            "a stale car was traced into reused memory"
        );
    }
}
