//! Where a runtime error happened. The compiler emits a table of call
//! sites (return address, frame size, position, procedure); it costs
//! nothing until it is read: by `call/cc` to restore frames, and here, to
//! walk the active Scheme frames when an error goes uncaught.
//!
//! The walk starts at `ctx.native_sp` (compiled code stores `rsp` there
//! before each call into the runtime that may raise) and follows frame
//! sizes up to the live segment's base, then through the frames saved in
//! continuations. Tail calls leave no frame, so they do not show.

use std::fmt::Write;

use crate::rt::Ctx;
use crate::rt::Value;

/// One entry of the compiler's table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct CallSite {
    /// The return address of the call.
    pub ret: u64,
    /// Words of the caller's frame live across the call.
    pub frame: u64,
    /// 1-based line and column of the call, and its source file (an
    /// index into `Ctx::sources`); line 0: no position (the prelude).
    pub line: u32,
    /// Column of the call (see `line`; clamped to 20 bits).
    pub col: u32,
    /// Source file of the call (see `line`).
    pub file: u32,
    /// The calling procedure's `ProcInfo`; null at top level; an
    /// `abi::InlineFrame` with `abi::INLINE_FRAME` set in inlined code.
    pub info: u64,
    /// 0 for the call itself; 1, 2, ... for the procedures its inlined
    /// code sits in, outwards (`with_inline_frames`).
    pub depth: u32,
}

/// Read the table (four words per site) and sort it for lookup.
///
/// # Safety
/// `[start, end)` holds the compiler's table.
pub unsafe fn read_table(start: *const u64, end: *const u64) -> Vec<CallSite> {
    let n = (end as usize - start as usize) / 32;
    let mut table: Vec<CallSite> = (0..n)
        .map(|i| {
            // SAFETY: the compiler emits `n` entries of four words.
            let w = |j: usize| unsafe { *start.add(4 * i + j) };
            CallSite {
                ret: w(0),
                frame: w(1),
                line: (w(2) >> 32) as u32,
                col: (w(2) & 0xF_FFFF) as u32,
                file: ((w(2) >> 20) & 0xFFF) as u32,
                info: w(3),
                depth: 0,
            }
        })
        .collect();
    table.sort_unstable();
    table
}

/// A call site in inlined code stands for a chain of calls: the frame of
/// the inlined procedure (named by its record, at the site's position),
/// then the procedure it was inlined into, at the position of the call
/// the inlining replaced, and so on outwards.
fn with_inline_frames(site: CallSite, mut push: impl FnMut(CallSite)) {
    let mut s = site;
    loop {
        if s.info & crate::abi::INLINE_FRAME == 0 {
            push(s);
            return;
        }
        // SAFETY: the compiler emits an `InlineFrame` for every info word
        // with the bit set.
        let frame =
            unsafe { &*((s.info & !crate::abi::INLINE_FRAME) as *const crate::abi::InlineFrame) };
        push(CallSite {
            info: &frame.info as *const crate::abi::ProcInfo as u64,
            ..s
        });
        let p = frame.position;
        s = CallSite {
            line: (p >> 32) as u32,
            col: (p & 0xF_FFFF) as u32,
            file: ((p >> 20) & 0xFFF) as u32,
            info: frame.outer,
            depth: s.depth + 1,
            ..s
        };
    }
}

/// The file a call site is in: its name as shown, and its path.
fn source_of<'c>(ctx: &'c Ctx, site: &CallSite) -> (&'c str, &'c str) {
    ctx.sources
        .get(site.file as usize)
        .map_or(("?", ""), |(name, path)| (name.as_str(), path.as_str()))
}

/// The call site whose return address is `r`.
pub(crate) fn call_site(ctx: &Ctx, r: u64) -> Option<CallSite> {
    let i = ctx.frames.binary_search_by_key(&r, |s| s.ret).ok()?;
    Some(ctx.frames[i])
}

/// Where a walk of the Scheme frames starts: `ctx.native_sp` and the
/// segment registers, now or when a raise called its handler.
#[derive(Clone, Copy)]
pub(crate) struct StackPoint {
    pub(crate) native_sp: u64,
    pub(crate) stack_base: u64,
    pub(crate) cont_next: Value,
    pub(crate) cont_offset: u64,
}

impl StackPoint {
    pub(crate) fn now(ctx: &Ctx) -> StackPoint {
        StackPoint {
            native_sp: ctx.native_sp,
            stack_base: ctx.stack_base,
            cont_next: ctx.cont_next,
            cont_offset: ctx.cont_offset,
        }
    }
}

/// The call sites of the active Scheme frames from `at` (now, or a raise
/// whose handler is running: its frames are still on the stack),
/// innermost first: at most `limit` of them, and how many more there are.
fn active_calls_at(ctx: &Ctx, at: StackPoint, limit: usize) -> (Vec<CallSite>, usize) {
    let mut out = Vec::new();
    let mut more = 0;
    let mut push = |s: CallSite| {
        if out.len() < limit {
            out.push(s)
        } else {
            more += 1
        }
    };
    if at.native_sp == 0 {
        return (out, 0);
    }
    // The live segment, `[native_sp - 8, stack_base)`.
    let mut slot = at.native_sp - 8;
    while slot < at.stack_base {
        // SAFETY: `slot` lies in the live stack segment.
        let r = unsafe { *(slot as *const u64) };
        let Some(site) = call_site(ctx, r) else {
            return (out, more);
        };
        with_inline_frames(site, &mut push);
        slot += 8 + 8 * site.frame;
    }
    if slot != at.stack_base {
        return (out, more);
    }
    // Older frames, saved in continuations.
    let (mut k, mut off) = (at.cont_next, at.cont_offset as usize);
    while k != Value::FALSE {
        let len = crate::control::k_len(k);
        while off < len {
            let Some(site) = call_site(ctx, crate::control::k_word(k, off)) else {
                return (out, more);
            };
            with_inline_frames(site, &mut push);
            off += 1 + site.frame as usize;
        }
        (k, off) = crate::control::k_next(k);
    }
    (out, more)
}

/// The name of the procedure a call site is in.
fn procedure(site: &CallSite) -> String {
    if site.info == 0 {
        return "top level".into();
    }
    // SAFETY: the compiler emits a `ProcInfo` for every procedure.
    let info = unsafe { &*(site.info as *const crate::abi::ProcInfo) };
    if info.name_len == 0 {
        return "anonymous procedure".into();
    }
    // SAFETY: as above; the name is UTF-8 text of `name_len` bytes.
    let bytes = unsafe { std::slice::from_raw_parts(info.name, info.name_len as usize) };
    String::from_utf8_lossy(bytes).into_owned()
}

/// The end (a byte offset in `text`) of the datum that starts at `start`:
/// its closing parenthesis for a list (strings, characters and comments
/// inside skipped roughly), else the end of its token. Errors know only
/// where their expression starts; this marks all of it.
fn datum_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let delimiter = |b: u8| b.is_ascii_whitespace() || b"()[]\";".contains(&b);
    let mut i = start;
    let mut depth = 0usize;
    while i < bytes.len() {
        match bytes[i] {
            b'(' | b'[' => depth += 1,
            b')' | b']' => {
                if depth <= 1 {
                    return i + usize::from(depth == 1);
                }
                depth -= 1;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += 1 + usize::from(bytes[i] == b'\\');
                }
            }
            b'#' if bytes.get(i + 1) == Some(&b'\\') => i += 2,
            b';' if depth > 0 => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'\n' if depth > 0 => return i,
            b if depth == 0 && i > start && delimiter(b) => return i,
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// The byte offset of 1-based `line` and `col` (in characters) in `text`,
/// if the file has that line and the line that column (or its line
/// break).
fn offset_of(text: &str, line: usize, col: usize) -> Option<usize> {
    let line_start = match line {
        0 | 1 => 0,
        _ => text.match_indices('\n').nth(line - 2)?.0 + 1,
    };
    let line_text = text[line_start..].split_inclusive('\n').next()?;
    let (i, _) = line_text.char_indices().nth(col.saturating_sub(1))?;
    Some(line_start + i)
}

/// Frames a backtrace shows at most.
const BACKTRACE_FRAMES: usize = 20;

/// The report of an uncaught error: its position with the source line
/// (read from the source file, if it is still there), then the active
/// procedures. Just `error: message` when the position is unknown.
pub(crate) fn report(ctx: &Ctx, message: &str) -> String {
    report_at(ctx, StackPoint::now(ctx), message, None)
}

/// `report` for the frames at `at`; with `from_file`, only the frames
/// down to the outermost one in a source file from that index on (the
/// REPL leaves out its own frames, which are in the files before).
pub(crate) fn report_at(
    ctx: &Ctx,
    at: StackPoint,
    message: &str,
    from_file: Option<u32>,
) -> String {
    let (mut calls, mut more) = active_calls_at(ctx, at, BACKTRACE_FRAMES * 50);
    // The shared paths of inline arithmetic (no position, no procedure)
    // are not procedures of the program.
    calls.retain(|s| s.line > 0 || s.info != 0);
    if let Some(first) = from_file {
        let keep = calls.iter().rposition(|s| s.line > 0 && s.file >= first);
        calls.truncate(keep.map_or(0, |i| i + 1));
        more = 0;
    }
    let located = calls.iter().position(|s| s.line > 0);
    let colour = colour_stderr();
    let mut out = match located.map(|i| calls[i]) {
        Some(site) => {
            let (name, path) = source_of(ctx, &site);
            // The line as it is now (the file may have changed: then
            // only the position is right).
            let source = std::fs::read_to_string(path).unwrap_or_default();
            match offset_of(&source, site.line as usize, site.col as usize) {
                Some(start) => {
                    let at = crate::diagnostic::Excerpt {
                        file: name,
                        text: &source,
                        first_line: 1,
                        start,
                        end: datum_end(&source, start),
                    };
                    crate::diagnostic::render(message, Some(&at), &[], colour)
                }
                None => {
                    // The file is shorter now: the position alone.
                    let line = crate::diagnostic::render(message, None, &[], colour);
                    format!("{line} --> {name}:{}:{}\n", site.line, site.col)
                }
            }
        }
        None => crate::diagnostic::render(message, None, &[], colour),
    };
    // Only the top level: the position above says it all.
    if calls.iter().all(|s| s.info == 0) && calls.len() <= 1 {
        return out;
    }
    out.push_str("backtrace, most recent call first (tail calls leave no frame):\n");
    // A run of frames from the same call site (recursion) shows once.
    let (mut i, mut shown) = (0, 0);
    while i < calls.len() && shown < BACKTRACE_FRAMES {
        let site = calls[i];
        let run = calls[i..]
            .iter()
            .take_while(|s| (s.ret, s.depth) == (site.ret, site.depth))
            .count();
        let _ = write!(out, "  {}", procedure(&site));
        if site.line > 0 {
            let (name, _) = source_of(ctx, &site);
            let _ = write!(out, " at {}:{}:{}", name, site.line, site.col);
        }
        if run > 1 {
            let _ = write!(out, " ({run} times)");
        }
        out.push('\n');
        i += run;
        shown += 1;
    }
    let more = more + (calls.len() - i);
    if more > 0 {
        let _ = writeln!(out, "  ... and {more} more");
    }
    out
}

/// Whether reports on standard error are coloured: when it is a terminal,
/// unless `NO_COLOR` is set (no-color.org); `SCHEMEC_COLOR=always` or
/// `never` decides instead.
pub fn colour_stderr() -> bool {
    use std::io::IsTerminal;
    match std::env::var("SCHEMEC_COLOR").as_deref() {
        Ok("always") => true,
        Ok("never") => false,
        _ => std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal(),
    }
}
