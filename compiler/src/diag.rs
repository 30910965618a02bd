//! Compile errors: passes return `Diagnostic`s; only the driver renders them
//! as `file:line:col: error: message`, the source line and a caret, then
//! each secondary label (`file:line:col: note: message`, its line and a
//! caret), as rustc adds "defined here" and "in this macro invocation".
//!
//! The rendering is written here rather than taken from a diagnostics crate
//! because the exact format (one GNU-style first line, then the line and a
//! caret) is a requirement and takes a dozen lines.

/// A byte range in the source text (defined with the reader).
pub use scheme_runtime::datum_syntax::Span;

#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub span: Span,
    pub message: String,
    /// Other places that explain the error, in the order shown.
    pub labels: Vec<Label>,
}

/// A secondary position of a diagnostic, rendered as a `note:`.
#[derive(Debug, Clone)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

impl Diagnostic {
    pub fn new(span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            span,
            message: message.into(),
            labels: Vec::new(),
        }
    }

    /// The same diagnostic with one more label.
    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }
}

pub type Result<T> = std::result::Result<T, Diagnostic>;

/// Where each line starts, found once, so that a position costs a binary
/// search (a rescan from the start for each of a program's comments and
/// diagnostics made compiling quadratic in the program's length).
pub struct Lines<'a> {
    source: &'a str,
    /// Byte offset of the start of each line.
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub fn new(source: &'a str) -> Lines<'a> {
        let breaks = source.match_indices('\n').map(|(i, _)| i + 1);
        Lines {
            source,
            starts: std::iter::once(0).chain(breaks).collect(),
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.source.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let col = self
            .source
            .get(start..offset)
            .map_or(0, |t| t.chars().count());
        (line, col + 1)
    }

    /// The text of 1-based line `line`, without its line break.
    pub fn text(&self, line: usize) -> &'a str {
        let start = self.starts[line - 1];
        let end = self.starts.get(line).map_or(self.source.len(), |&e| e - 1);
        let text = &self.source[start..end];
        text.strip_suffix('\r').unwrap_or(text)
    }
}

/// `file:line:col: error: message`, the source line (around the caret when
/// it is long), and a caret under the start of the span; then the same
/// for each label, as a `note:`. The runtime renders uncaught errors with
/// the same function (`scheme_runtime::backtrace::render`).
pub fn render(file: &str, lines: &Lines, d: &Diagnostic) -> String {
    let mut out = located(file, lines, d.span, "error", &d.message);
    for l in &d.labels {
        out.push_str(&located(file, lines, l.span, "note", &l.message));
    }
    out
}

/// One located message: its first line, the source line and a caret.
fn located(file: &str, lines: &Lines, span: Span, kind: &str, message: &str) -> String {
    let (line, col) = lines.line_col(span.start);
    scheme_runtime::backtrace::render(file, line, col, lines.text(line), kind, message)
}

#[cfg(test)]
mod tests {
    use super::Lines;

    #[test]
    fn positions() {
        let lines = Lines::new("ab\nλx\r\n\nz");
        assert_eq!(lines.line_col(0), (1, 1));
        assert_eq!(lines.line_col(2), (1, 3));
        assert_eq!(lines.line_col(3), (2, 1));
        assert_eq!(lines.line_col(5), (2, 2));
        assert_eq!(lines.text(2), "λx");
        assert_eq!(lines.line_col(8), (3, 1));
        assert_eq!(lines.line_col(9), (4, 1));
        assert_eq!(lines.text(4), "z");
        assert_eq!(lines.line_col(100), (4, 2));
    }

    #[test]
    fn long_lines_are_shown_around_the_caret() {
        let source = format!("{}x{}", "(".repeat(1000), ")".repeat(1000));
        let lines = Lines::new(&source);
        let d = super::Diagnostic::new(super::Span::new(1000, 1001), "here");
        let out = super::render("f.scm", &lines, &d);
        let shown: Vec<&str> = out.lines().collect();
        assert_eq!(shown[0], "f.scm:1:1001: error: here");
        assert_eq!(
            shown[1],
            format!("...{}x{}...", "(".repeat(100), ")".repeat(99))
        );
        assert_eq!(shown[2], format!("{}^", " ".repeat(103)));
    }
}
