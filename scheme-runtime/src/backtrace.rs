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

use crate::ctx::Ctx;
use crate::value::Value;

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
    /// The calling procedure's `ProcInfo`; null at top level.
    pub info: u64,
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
            }
        })
        .collect();
    table.sort_unstable();
    table
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
        push(site);
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
            push(site);
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

/// Longest stretch of a source line shown on each side of the caret.
const CONTEXT_CHARS: usize = 100;

/// `file:line:col: KIND: message` (kind `error` or `note`), the source
/// line `text` (around the caret when it is long) and a caret under column
/// `col`. The compiler renders its diagnostics with this too.
pub fn render(
    file: &str,
    line: usize,
    col: usize,
    text: &str,
    kind: &str,
    message: &str,
) -> String {
    let chars: Vec<char> = text.chars().collect();
    let from = (col - 1).saturating_sub(CONTEXT_CHARS);
    let to = (col - 1 + CONTEXT_CHARS).min(chars.len());
    let before = if from > 0 { "..." } else { "" };
    let after = if to < chars.len() { "..." } else { "" };
    let shown: String = chars[from.min(chars.len())..to.max(from).min(chars.len())]
        .iter()
        .collect();
    let mut out = format!("{file}:{line}:{col}: {kind}: {message}\n");
    let _ = writeln!(out, "{before}{shown}{after}");
    let pad: String = before
        .chars()
        .chain(
            chars[from.min(chars.len())..(col - 1).min(chars.len())]
                .iter()
                .copied(),
        )
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    let _ = writeln!(out, "{pad}^");
    out
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
    let mut out = match located.map(|i| calls[i]) {
        Some(site) => {
            let (name, path) = source_of(ctx, &site);
            let source = std::fs::read_to_string(path).unwrap_or_default();
            let text = source.lines().nth(site.line as usize - 1).unwrap_or("");
            render(
                name,
                site.line as usize,
                site.col as usize,
                text,
                "error",
                message,
            )
        }
        None => format!("error: {message}\n"),
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
        let run = calls[i..].iter().take_while(|s| s.ret == site.ret).count();
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

/// `report` (as `render` and `report` write them) with colour: the
/// position in bold, `error:` in red, `note:` in cyan, the caret in
/// green. Plain text otherwise unchanged.
pub fn colourize(report: &str) -> String {
    use anstyle::{AnsiColor, Style};
    let paint =
        |style: Style, text: &str| format!("{}{text}{}", style.render(), style.render_reset());
    let bold = Style::new().bold();
    let mut out = String::with_capacity(report.len() + 64);
    for line in report.split_inclusive('\n') {
        let body = line.trim_end_matches('\n');
        let newline = &line[body.len()..];
        let kinds = [("error: ", AnsiColor::Red), ("note: ", AnsiColor::Cyan)];
        let marked = kinds.iter().find_map(|(kind, colour)| {
            let at = body.find(kind)?;
            // `file:line:col: error: ...` or a bare `error: ...`.
            let position = &body[..at];
            (position.is_empty() || position.ends_with(": ")).then_some((at, *kind, *colour))
        });
        match marked {
            Some((at, kind, colour)) => {
                if at > 0 {
                    out.push_str(&paint(bold, &body[..at]));
                }
                out.push_str(&paint(bold.fg_color(Some(colour.into())), kind.trim_end()));
                out.push(' ');
                out.push_str(&paint(bold, &body[at + kind.len()..]));
            }
            None if body.trim_start().starts_with('^') && body.trim() == "^" => {
                let pad = &body[..body.len() - 1];
                out.push_str(pad);
                out.push_str(&paint(bold.fg_color(Some(AnsiColor::Green.into())), "^"));
            }
            None => out.push_str(body),
        }
        out.push_str(newline);
    }
    out
}
