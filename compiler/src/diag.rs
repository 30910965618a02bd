//! Compile errors: passes return `Diagnostic`s; only the driver renders them
//! as `file:line:col: error: message`, the source line and a caret.
//!
//! The rendering is written here rather than taken from a diagnostics crate
//! because the exact format (one GNU-style first line, then the line and a
//! caret) is a requirement and takes a dozen lines.

use std::fmt::Write;

/// A byte range in the source text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }
}

#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub span: Span,
    pub message: String,
}

impl Diagnostic {
    pub fn new(span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            span,
            message: message.into(),
        }
    }
}

pub type Result<T> = std::result::Result<T, Diagnostic>;

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = source[line_start..offset].chars().count() + 1;
    (line, col)
}

/// `file:line:col: error: message`, the source line, and a caret under the
/// start of the span.
pub fn render(file: &str, source: &str, d: &Diagnostic) -> String {
    let (line, col) = line_col(source, d.span.start);
    let text = source.lines().nth(line - 1).unwrap_or("");
    let mut out = format!("{file}:{line}:{col}: error: {}\n", d.message);
    let _ = writeln!(out, "{text}");
    let pad: String = text
        .chars()
        .take(col - 1)
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    let _ = writeln!(out, "{pad}^");
    out
}
