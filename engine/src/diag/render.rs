//! Rendering one diagnostic for the terminal, the way compilers do, with
//! `annotate-snippets` (plain: no colour codes): the `error[code]: message`
//! header, `--> path:line:col`, the source line with a caret under the
//! primary span, secondary labels (`first declared here`) under theirs,
//! notes and the help.
//!
//! What comes from the input is escaped for the terminal
//! ([`escape::terminal_line`]); a source line is quoted only when it is in
//! a file that is not hidden, is not blank and holds no character that
//! [`escape::is_unsafe`]; a label that cannot be quoted becomes a note
//! with its location. Long lines are cut to a window around the caret.

use super::{Diagnostic, Severity, SourceMap, Span};
use crate::text::escape;
use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

/// The widest a rendered line is, in columns: a longer source line is
/// shown as a window around the caret.
const SHOWN: usize = 160;

/// A place a diagnostic marks: the primary span or a secondary label.
struct Mark<'d> {
    span: Span,
    /// What the place is ("first declared here"); `None` for the primary.
    label: Option<&'d str>,
    /// 1-based line and column (in characters) of the span's start.
    line: usize,
    col: usize,
}

impl Mark<'_> {
    fn primary(&self) -> bool {
        self.label.is_none()
    }
}

impl SourceMap {
    /// Renders a diagnostic: header, location, the marked source lines,
    /// notes and help; one string ending in a newline.
    pub fn render(&self, d: &Diagnostic) -> String {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let title = level
            .primary_title(escape::terminal_line(&d.message).into_owned())
            .id(d.code.as_str());
        let marks: Vec<Mark> = std::iter::once((d.span, None))
            .chain(d.labels.iter().map(|(s, what)| (*s, Some(what.as_str()))))
            .map(|(span, label)| {
                let (line, col) = self.line_col(span.file, span.start);
                Mark {
                    span,
                    label,
                    line,
                    col,
                }
            })
            .collect();
        let quotable: Vec<bool> = marks.iter().map(|m| self.quotable(m, &marks)).collect();
        let (shown, unshown): (Vec<_>, Vec<_>) =
            marks.into_iter().zip(quotable).partition(|(_, q)| *q);
        let shown: Vec<Mark> = shown.into_iter().map(|(m, _)| m).collect();
        let unshown: Vec<Mark> = unshown.into_iter().map(|(m, _)| m).collect();
        let mut group = Group::with_title(title);
        if let Some(p) = unshown.iter().find(|m| m.primary()) {
            let path = escape::terminal_line(self.path(p.span.file)).into_owned();
            group = group.element(Origin::path(path).line(p.line).char_column(p.col));
        }
        for excerpt in self.excerpts(shown) {
            group = group.element(excerpt);
        }
        for m in unshown.iter().filter(|m| !m.primary()) {
            let what = escape::terminal_line(m.label.unwrap_or_default()).into_owned();
            let at = escape::terminal_line(&self.location(m.span)).into_owned();
            group = group.element(Level::NOTE.message(format!("{what} at {at}")));
        }
        if let Some(h) = &d.help {
            group = group.element(Level::HELP.message(escape::terminal_line(h).into_owned()));
        }
        let mut out = Renderer::plain().term_width(SHOWN).render(&[group]);
        out.push('\n');
        out
    }

    /// Whether a mark's line may be quoted: a file that is not hidden, a
    /// line that is not blank and holds nothing unsafe for a terminal, and
    /// (on a line too long to show whole) near the first mark on that
    /// line, so that one window shows both.
    fn quotable(&self, m: &Mark, marks: &[Mark]) -> bool {
        if self.is_hidden(m.span.file) {
            return false;
        }
        let Some(text) = self.line_text(m.span.file, m.line) else {
            return false;
        };
        if text.trim().is_empty() || text.chars().any(escape::is_unsafe) {
            return false;
        }
        let anchor = marks
            .iter()
            .find(|a| a.span.file == m.span.file && a.line == m.line)
            .map_or(m.col, |a| a.col);
        text.len() <= SHOWN || anchor.abs_diff(m.col) <= SHOWN / 2
    }

    /// The source excerpts of the marks to quote: one per run of adjacent
    /// lines of one file, the primary's first.
    fn excerpts<'a>(
        &self,
        mut marks: Vec<Mark>,
    ) -> Vec<Snippet<'a, annotate_snippets::Annotation<'a>>> {
        marks.sort_by_key(|m| (m.span.file, m.line));
        let mut runs: Vec<Vec<Mark>> = vec![];
        for m in marks {
            match runs.last_mut() {
                Some(run)
                    if run
                        .last()
                        .is_some_and(|l| l.span.file == m.span.file && m.line <= l.line + 1) =>
                {
                    run.push(m)
                }
                _ => runs.push(vec![m]),
            }
        }
        // the primary's run first (the sort is stable: the rest keep their order)
        runs.sort_by_key(|run| !run.iter().any(Mark::primary));
        runs.into_iter().map(|run| self.excerpt(run)).collect()
    }

    /// One source excerpt: the lines of `run` (adjacent lines of one
    /// file), each mark an annotation on its first line.
    fn excerpt<'a>(&self, run: Vec<Mark>) -> Snippet<'a, annotate_snippets::Annotation<'a>> {
        let file = run[0].span.file;
        let first = run[0].line;
        let last = run.iter().map(|m| m.line).max().unwrap_or(first);
        let mut source = String::new();
        let mut line_at = vec![];
        for line in first..=last {
            if line > first {
                source.push('\n');
            }
            line_at.push(source.len());
            source.push_str(self.line_text(file, line).unwrap_or_default());
        }
        let mut annotations = vec![];
        for m in &run {
            let base = line_at[m.line - first];
            let text = self.line_text(file, m.line).unwrap_or_default();
            let line_start = self.offset(file, m.line, 1);
            let within = |offset: u32| {
                let mut at = (offset as usize).saturating_sub(line_start).min(text.len());
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                at
            };
            let start = within(m.span.start);
            // a span that goes on past its first line is marked by a caret
            // at its start
            let end = if (m.span.end as usize) <= line_start + text.len() {
                within(m.span.end).max(start)
            } else {
                start
            };
            let annotation = match m.label {
                None => AnnotationKind::Primary.span(base + start..base + end),
                Some(what) => AnnotationKind::Context
                    .span(base + start..base + end)
                    .label(escape::terminal_line(what).into_owned()),
            };
            annotations.push(annotation);
        }
        Snippet::source(source)
            .path(escape::terminal_line(self.path(file)).into_owned())
            .line_start(first)
            .annotations(annotations)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;

    fn diag(span: Span) -> Diagnostic {
        Diagnostic::new(Code::DuplicateName, "`x` is already declared".into(), span)
    }

    #[test]
    fn a_label_in_a_shown_file_is_drawn_under_its_line() {
        let mut map = SourceMap::default();
        let f = map.add("a.rules", "def x = 1\ndef x = 2\n");
        let out = map
            .render(&diag(Span::new(f, 14, 15)).label(Span::new(f, 4, 5), "first declared here"));
        assert_eq!(
            out,
            "error[duplicate-name]: `x` is already declared\n --> a.rules:2:5\n  |\n1 | def x = 1\n  |     - first declared here\n2 | def x = 2\n  |     ^\n"
        );
    }

    #[test]
    fn a_label_in_another_or_a_hidden_file() {
        let mut map = SourceMap::default();
        let a = map.add("a.rules", "def x = 1\n");
        let b = map.add("b.rules", "def x = 2\n");
        let h = map.add("base.yaml", "secret: 1\n");
        map.hide(h);
        let d = diag(Span::new(b, 4, 5))
            .label(Span::new(a, 4, 5), "first declared here")
            .label(Span::new(h, 0, 6), "read here");
        let out = map.render(&d);
        assert!(out.contains("::: a.rules:1:5"), "{out}");
        assert!(out.contains("- first declared here"), "{out}");
        assert!(out.contains("= note: read here at base.yaml:1:1"), "{out}");
        assert!(!out.contains("secret"), "{out}");
    }

    #[test]
    fn a_100_kb_line_is_shown_as_a_window() {
        let mut map = SourceMap::default();
        let line = format!("a: {}x{}y\n", "b".repeat(100_000), "c".repeat(100_000));
        let f = map.add("long.yaml", line);
        let d =
            diag(Span::new(f, 100_003, 100_004)).label(Span::new(f, 200_004, 200_005), "far away");
        let out = map.render(&d);
        assert!(out.len() < 1_000, "{} bytes", out.len());
        assert!(out.contains("--> long.yaml:1:100004"), "{out}");
        assert!(
            out.contains("= note: far away at long.yaml:1:200005"),
            "{out}"
        );
    }

    #[test]
    fn spans_past_the_end_and_unsafe_lines_do_not_panic_or_leak() {
        let mut map = SourceMap::default();
        let f = map.add("a.rules", "ok\n\u{1b}[31mred\u{202e}\n");
        for (start, end) in [(0, 1000), (1000, 2000), (3, 5), (2, 1), (5, 3)] {
            let mut d = diag(Span::new(f, start, end)).label(Span::new(f, end, start), "\u{1b}x");
            d.message = "bad \u{1b}[2J".into();
            let out = map.render(&d);
            assert!(!out.chars().any(escape::is_unsafe), "{out:?}");
        }
    }

    /// annotate-snippets panics on a range past its source: every span,
    /// however wrong, is clamped first.
    #[test]
    fn random_spans_over_awkward_text_never_panic() {
        let alphabet: Vec<char> = "ab \t\n\r名前é\u{301}😀\u{200d}{}\"".chars().collect();
        let mut x: u64 = 88_172_645_463_325_252;
        let mut next = move |n: usize| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % n as u64) as usize
        };
        for _ in 0..2_000 {
            let text: String = (0..next(40))
                .map(|_| alphabet[next(alphabet.len())])
                .collect();
            let mut map = SourceMap::default();
            let f = map.add("t", text.clone());
            let g = map.add("u", text);
            let other = if next(2) == 0 { f } else { g };
            let d = diag(Span::new(f, next(60), next(60)))
                .label(Span::new(other, next(60), next(60)), "here")
                .label(Span::new(7, next(60), next(60)), "in no file");
            assert!(map.render(&d).starts_with("error[duplicate-name]"));
        }
    }
}
