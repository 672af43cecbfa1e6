//! The texts behind the spans: [`Span`], [`SourceMap`] and the mapping
//! between byte offsets and 1-based lines and columns.

/// A byte range in one file of a [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub file: u32,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: u32, start: usize, end: usize) -> Span {
        Span {
            file,
            start: start as u32,
            end: end as u32,
        }
    }
}

/// The texts behind the spans: rule files and facts files alike.
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

#[derive(Debug, Clone)]
struct SourceFile {
    path: String,
    text: String,
    /// The byte offset where each line starts (computed once, so that
    /// finding the line of a span is a binary search, not a scan).
    lines: Vec<u32>,
    /// Whether rendering may quote the file's lines (see [`SourceMap::hide`]).
    hidden: bool,
}

impl SourceMap {
    pub fn add(&mut self, path: impl Into<String>, text: impl Into<String>) -> u32 {
        let text = text.into();
        let mut lines = vec![0u32];
        lines.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| (i + 1) as u32),
        );
        self.files.push(SourceFile {
            path: path.into(),
            text,
            lines,
            hidden: false,
        });
        (self.files.len() - 1) as u32
    }

    /// Never quote the lines of `file` in rendered diagnostics (a file that
    /// turned out not to be what it was meant to be, such as a scenario's
    /// `base:` that is no facts file).
    pub fn hide(&mut self, file: u32) {
        if let Some(f) = self.files.get_mut(file as usize) {
            f.hidden = true;
        }
    }

    /// Whether `file` is hidden (or unknown): its lines are never quoted.
    pub(super) fn is_hidden(&self, file: u32) -> bool {
        self.files.get(file as usize).is_none_or(|f| f.hidden)
    }

    /// How many files the map holds (ids are `0..file_count()`).
    pub fn file_count(&self) -> usize {
        self.files.len()
    }

    pub fn path(&self, file: u32) -> &str {
        self.files
            .get(file as usize)
            .map(|f| f.path.as_str())
            .unwrap_or("<unknown>")
    }

    pub fn text(&self, file: u32) -> &str {
        self.files
            .get(file as usize)
            .map(|f| f.text.as_str())
            .unwrap_or("")
    }

    fn line_starts(&self, file: u32) -> &[u32] {
        self.files
            .get(file as usize)
            .map(|f| f.lines.as_slice())
            .unwrap_or(&[0])
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, file: u32, offset: u32) -> (usize, usize) {
        let text = self.text(file);
        let offset = (offset as usize).min(text.len());
        let offset = (0..=offset)
            .rev()
            .find(|o| text.is_char_boundary(*o))
            .unwrap_or(0);
        let starts = self.line_starts(file);
        let line = starts.partition_point(|s| (*s as usize) <= offset).max(1);
        let line_start = starts[line - 1] as usize;
        let col = text[line_start..offset].chars().count() + 1;
        (line, col)
    }

    /// Byte offset of a 1-based line and column.
    pub fn offset(&self, file: u32, line: usize, col: usize) -> usize {
        let text = self.text(file);
        let starts = self.line_starts(file);
        let Some(start) = starts.get(line.max(1) - 1).map(|s| *s as usize) else {
            return text.len();
        };
        let line_text = &text[start..];
        let line_text = &line_text[..line_text.find('\n').unwrap_or(line_text.len())];
        start
            + line_text
                .char_indices()
                .nth(col.saturating_sub(1))
                .map(|(i, _)| i)
                .unwrap_or(line_text.len())
    }

    /// The text of a 1-based line, without its line break.
    pub(super) fn line_text(&self, file: u32, line: usize) -> Option<&str> {
        let text = self.text(file);
        let start = *self.line_starts(file).get(line.checked_sub(1)?)? as usize;
        let rest = text.get(start..)?;
        let end = rest.find('\n').unwrap_or(rest.len());
        Some(rest[..end].trim_end_matches('\r'))
    }

    /// `path:line:col`
    pub fn location(&self, span: Span) -> String {
        let (line, col) = self.line_col(span.file, span.start);
        format!("{}:{line}:{col}", self.path(span.file))
    }
}
