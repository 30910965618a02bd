//! Compile errors: passes return `Diagnostic`s; only the driver renders them
//! (`SourceMap::render`), with `scheme_runtime::diagnostic` (annotate-snippets,
//! as rustc renders): `error: message`, `--> file:line:col`, the source
//! line with the form underlined, and each secondary label ("defined
//! here", "in expansion of") marked and labelled where it is.

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
        line_col(self.source, &self.starts, offset)
    }
}

fn line_col(source: &str, starts: &[usize], offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let line = starts.partition_point(|&s| s <= offset);
    let start = starts[line - 1];
    let col = source.get(start..offset).map_or(0, |t| t.chars().count());
    (line, col + 1)
}

/// One source file of a program: its spans are `base..base + text.len()`
/// in the offsets every `Span` uses, so a span says its file too.
pub struct SourceFile {
    pub base: usize,
    /// The name shown in messages, and the absolute path (where the
    /// running program reads the line of an error).
    pub name: String,
    pub path: String,
    pub text: String,
    starts: Vec<usize>,
}

/// Every file of a program (the main file, included files, library
/// files), each at its own range of offsets.
#[derive(Default)]
pub struct SourceMap {
    pub files: Vec<SourceFile>,
}

impl SourceMap {
    /// Add a file; returns the offset its spans start at.
    pub fn add(&mut self, name: &str, path: &str, text: String) -> usize {
        // A gap of one between files: an empty file still has an offset
        // of its own, and a span at a file's end stays in that file.
        let base = self.files.last().map_or(0, |f| f.base + f.text.len() + 1);
        let starts = Lines::new(&text).starts;
        self.files.push(SourceFile {
            base,
            name: name.to_owned(),
            path: path.to_owned(),
            text,
            starts,
        });
        base
    }

    /// Where every offset at or beyond the files is (the prelude's).
    pub fn end(&self) -> usize {
        self.files.last().map_or(0, |f| f.base + f.text.len() + 1)
    }

    /// The file holding `offset`, if any (not the prelude's offsets).
    pub fn file_of(&self, offset: usize) -> Option<usize> {
        let i = self
            .files
            .partition_point(|f| f.base <= offset)
            .checked_sub(1)?;
        (offset <= self.files[i].base + self.files[i].text.len()).then_some(i)
    }

    /// File index, 1-based line and column of `offset`.
    pub fn locate(&self, offset: usize) -> Option<(usize, usize, usize)> {
        let file = self.file_of(offset)?;
        let f = &self.files[file];
        let (line, col) = line_col(&f.text, &f.starts, offset - f.base);
        Some((file, line, col))
    }

    /// The text from `offset` to the end of its line.
    pub fn rest_of_line(&self, offset: usize) -> &str {
        let Some(file) = self.file_of(offset) else {
            return "";
        };
        let text = &self.files[file].text[offset - self.files[file].base..];
        text.split(['\n', '\r']).next().unwrap_or("")
    }

    /// `d` rendered, in whichever files its spans are, coloured or not.
    pub fn render(&self, d: &Diagnostic, colour: bool) -> String {
        use scheme_runtime::diagnostic::{render, Excerpt};
        let excerpt = |span: Span| {
            let f = &self.files[self.file_of(span.start)?];
            Some(Excerpt {
                file: &f.name,
                text: &f.text,
                first_line: 1,
                start: span.start - f.base,
                end: span.end.saturating_sub(f.base),
            })
        };
        let notes: Vec<(Excerpt, &str)> = d
            .labels
            .iter()
            .filter_map(|l| Some((excerpt(l.span)?, l.message.as_str())))
            .collect();
        render(&d.message, excerpt(d.span).as_ref(), &notes, colour)
    }
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
        assert_eq!(lines.line_col(8), (3, 1));
        assert_eq!(lines.line_col(9), (4, 1));
        assert_eq!(lines.line_col(100), (4, 2));
    }
}
