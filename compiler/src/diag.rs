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

/// Where each line starts and how many characters precede every 64-byte
/// block, found once, so that a position costs a binary search and a
/// count of at most 64 bytes (a rescan for each of a program's comments
/// and diagnostics made compiling quadratic in the program's length, and
/// so did counting a column's characters from the start of a very long
/// line).
pub struct Lines<'a> {
    source: &'a str,
    index: LineIndex,
}

/// The tables of `Lines`, kept with each `SourceFile`.
struct LineIndex {
    /// Byte offset of the start of each line.
    starts: Vec<usize>,
    /// Characters in `source[..64 * i]`, for each i.
    chars_before: Vec<usize>,
}

const BLOCK: usize = 64;

impl LineIndex {
    fn new(source: &str) -> LineIndex {
        let breaks = source.match_indices('\n').map(|(i, _)| i + 1);
        let mut chars_before = Vec::with_capacity(source.len() / BLOCK + 1);
        let mut count = 0;
        for block in source.as_bytes().chunks(BLOCK) {
            chars_before.push(count);
            count += chars_in(block);
        }
        chars_before.push(count);
        LineIndex {
            starts: std::iter::once(0).chain(breaks).collect(),
            chars_before,
        }
    }

    /// Characters in `source[..offset]`.
    fn chars_to(&self, source: &str, offset: usize) -> usize {
        let block = offset / BLOCK;
        self.chars_before[block] + chars_in(&source.as_bytes()[block * BLOCK..offset])
    }

    /// 1-based line and column (in characters) of a byte offset.
    fn line_col(&self, source: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(source.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let col = self.chars_to(source, offset) - self.chars_to(source, start);
        (line, col + 1)
    }
}

/// Characters that start in `bytes` (UTF-8: the bytes that are not
/// continuation bytes).
fn chars_in(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

impl<'a> Lines<'a> {
    pub fn new(source: &'a str) -> Lines<'a> {
        Lines {
            source,
            index: LineIndex::new(source),
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        self.index.line_col(self.source, offset)
    }
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
    lines: LineIndex,
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
        let lines = LineIndex::new(&text);
        self.files.push(SourceFile {
            base,
            name: name.to_owned(),
            path: path.to_owned(),
            text,
            lines,
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
        let (line, col) = f.lines.line_col(&f.text, offset - f.base);
        Some((file, line, col))
    }

    /// At most `max` characters of the text from `offset` to the end of
    /// its line (a line may be the whole program: only `max` are looked at).
    pub fn rest_of_line(&self, offset: usize, max: usize) -> String {
        let Some(file) = self.file_of(offset) else {
            return String::new();
        };
        let text = &self.files[file].text[offset - self.files[file].base..];
        text.chars()
            .take(max)
            .take_while(|&c| c != '\n' && c != '\r')
            .collect()
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

    #[test]
    fn columns_on_long_lines_count_characters() {
        // Multi-byte characters on both sides of 64-byte block boundaries.
        let text = format!("{}\n{}", "λ".repeat(50), "aλ".repeat(100));
        let lines = Lines::new(&text);
        for (i, (offset, _)) in text.char_indices().enumerate() {
            let expected = if i <= 50 { (1, i + 1) } else { (2, i - 50) };
            assert_eq!(lines.line_col(offset), expected, "offset {offset}");
        }
    }
}
