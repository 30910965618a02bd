//! How compile errors and uncaught runtime errors are shown: the message,
//! then each source excerpt it points at, rendered by `annotate-snippets`
//! (the renderer rustc uses), so `schemec` and every compiled program
//! print errors alike:
//!
//! ```text
//! error: car: argument 1 (pair): expected pair, got 5
//!  --> prog.scm:2:15
//!   |
//! 2 | (define (f x) (car x))
//!   |               ^^^^^^^
//! ```
//!
//! Notes (a macro's definition, an earlier definition) are labelled
//! excerpts, in the same snippet when they are in the same file.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// A place in a source file.
#[derive(Clone, Copy, Debug)]
pub struct Excerpt<'a> {
    /// The file's name as shown.
    pub file: &'a str,
    /// Text of the file from the start of line `first_line` (the whole
    /// file, or only the lines around the place).
    pub text: &'a str,
    /// The line number of `text`'s first line (1-based).
    pub first_line: usize,
    /// Where what is pointed at starts in `text` (a byte offset).
    pub start: usize,
    /// Where it ends; only its first line is marked.
    pub end: usize,
}

impl Excerpt<'_> {
    /// The marked byte range: inside `text`, on a character boundary, on
    /// one line, and at least one character when the line has one.
    fn marked(&self) -> std::ops::Range<usize> {
        let text = self.text;
        let mut start = self.start.min(text.len());
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let line_end = text[start..]
            .find(['\n', '\r'])
            .map_or(text.len(), |i| start + i);
        let mut end = self.end.clamp(start, line_end);
        if end == start && end < line_end {
            end += text[start..].chars().next().map_or(0, char::len_utf8);
        }
        while !text.is_char_boundary(end) {
            end += 1;
        }
        start..end
    }
}

/// `error: message` and the excerpt `at` with its place underlined; then
/// each note's excerpt with its place marked and labelled. Coloured (bold
/// position, red error, blue gutter) when `colour`.
pub fn render(
    message: &str,
    at: Option<&Excerpt>,
    notes: &[(Excerpt, &str)],
    colour: bool,
) -> String {
    let renderer = if colour {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let Some(at) = at else {
        let mut out = renderer.render(&[Group::with_title(Level::ERROR.primary_title(message))]);
        out.push('\n');
        return out;
    };
    // One snippet per file (the primary's first), with its marks.
    let marks = std::iter::once((at, None)).chain(notes.iter().map(|(e, l)| (e, Some(*l))));
    let mut files: Vec<(&Excerpt, Vec<annotate_snippets::Annotation>)> = Vec::new();
    for (e, label) in marks {
        let mark = match label {
            None => AnnotationKind::Primary.span(e.marked()),
            Some(label) => AnnotationKind::Context.span(e.marked()).label(label),
        };
        let same = |f: &&Excerpt| f.file == e.file && std::ptr::eq(f.text, e.text);
        match files.iter_mut().find(|(f, _)| same(f)) {
            Some((_, file_marks)) => file_marks.push(mark),
            None => files.push((e, vec![mark])),
        }
    }
    let snippets = files.into_iter().map(|(e, marks)| {
        Snippet::source(e.text)
            .line_start(e.first_line)
            .path(e.file)
            .annotations(marks)
    });
    let group = Level::ERROR.primary_title(message).elements(snippets);
    let mut out = renderer.render(&[group]);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::{render, Excerpt};

    fn at(text: &str, start: usize, end: usize) -> Excerpt<'_> {
        Excerpt {
            file: "f.scm",
            text,
            first_line: 1,
            start,
            end,
        }
    }

    #[test]
    fn a_place_and_a_note() {
        let text = "(define (f x)\n  (car x))\n(f 5)\n";
        let out = render(
            "car: argument 1 (pair): expected pair, got 5",
            Some(&at(text, 16, 23)),
            &[(at(text, 25, 30), "called here")],
            false,
        );
        assert_eq!(
            out,
            "error: car: argument 1 (pair): expected pair, got 5
 --> f.scm:2:3
  |
2 |   (car x))
  |   ^^^^^^^
3 | (f 5)
  | ----- called here
"
        );
    }

    #[test]
    fn only_the_first_line_of_a_form_is_marked() {
        let text = "(let ((x 1))\n  x)";
        let out = render("here", Some(&at(text, 0, text.len())), &[], false);
        assert!(
            out.contains("1 | (let ((x 1))\n  | ^^^^^^^^^^^^\n"),
            "{out}"
        );
    }

    #[test]
    fn long_lines_are_shown_around_the_mark() {
        let text = format!("{}x{}", "(".repeat(1000), ")".repeat(1000));
        let out = render("here", Some(&at(&text, 1000, 1001)), &[], false);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[1], " --> f.scm:1:1001");
        assert!(lines[3].len() < 300 && lines[3].contains("(x)"), "{out}");
    }

    #[test]
    fn no_place_and_odd_offsets() {
        assert_eq!(render("oops", None, &[], false), "error: oops\n");
        // Past the end, inside a character, in an empty file: no panic.
        for (text, start) in [("λx", 1), ("ab", 10), ("", 0)] {
            let out = render("m", Some(&at(text, start, start + 1)), &[], false);
            assert!(out.starts_with("error: m\n --> f.scm:1:"), "{out}");
        }
    }
}
