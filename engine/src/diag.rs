//! Diagnostics: a stable kebab-case code, a message, a span into a source
//! file and an optional help. Every code is listed in docs/diagnostics.md.

use crate::io;
use crate::text::escape;
use std::fmt;

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

macro_rules! codes {
    ($($variant:ident => $code:literal,)*) => {
        /// The stable code of a diagnostic.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code { $($variant,)* }
        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }
        }
    };
}

codes! {
    Syntax => "syntax",
    NestingTooDeep => "nesting-too-deep",
    InputTooLarge => "input-too-large",
    NotText => "not-text",
    EmptyInput => "empty-input",
    Io => "io",
    UnknownFact => "unknown-fact",
    UnknownName => "unknown-name",
    UnknownType => "unknown-type",
    UnknownCriterion => "unknown-criterion",
    UnknownOutcome => "unknown-outcome",
    UnknownVariant => "unknown-variant",
    UnknownFunction => "unknown-function",
    TypeMismatch => "type-mismatch",
    DuplicateCriterion => "duplicate-criterion",
    DuplicateName => "duplicate-name",
    DuplicateField => "duplicate-field",
    CriterionCycle => "criterion-cycle",
    DefCycle => "def-cycle",
    MissingPack => "missing-pack",
    MissingPlacement => "missing-placement",
    MissingOtherwise => "missing-otherwise",
    UnreachableBranch => "unreachable-branch",
    BadParam => "bad-param",
    BadLever => "bad-lever",
    UnknownSource => "unknown-source",
    BadSource => "bad-source",
    BadCite => "bad-cite",
    YamlSyntax => "yaml-syntax",
    YamlLimit => "yaml-limit",
    DuplicateKey => "duplicate-key",
    UnknownKey => "unknown-key",
    WrongType => "wrong-type",
    MissingField => "missing-field",
    BadValue => "bad-value",
    BadTier => "bad-tier",
    BadExpect => "bad-expect",
    BadPath => "bad-path",
    EvalLimit => "eval-limit",
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    pub span: Span,
    pub help: Option<String>,
    /// Secondary places, each with what it is ("first declared here").
    pub labels: Vec<(Span, String)>,
}

impl Diagnostic {
    pub fn new(code: Code, message: String, span: Span) -> Diagnostic {
        Diagnostic {
            code,
            severity: Severity::Error,
            message,
            span,
            help: None,
            labels: vec![],
        }
    }

    /// Adds a secondary place with what it is ("first declared here").
    pub fn label(mut self, span: Span, what: impl Into<String>) -> Diagnostic {
        self.labels.push((span, what.into()));
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Diagnostic {}

impl miette::Diagnostic for Diagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code.as_str()))
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
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

/// The widest source excerpt a diagnostic shows, in characters.
const SHOWN: usize = 160;

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
    fn line_text(&self, file: u32, line: usize) -> Option<&str> {
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

    /// Renders a diagnostic the way compilers do: header, location, the
    /// source line with a caret, and the help. What comes from the input
    /// (names, values, paths) is escaped for the terminal; a long line is
    /// shown as a window of at most 160 characters around the caret.
    pub fn render(&self, d: &Diagnostic) -> String {
        let kind = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut out = format!(
            "{kind}[{}]: {}\n",
            d.code.as_str(),
            escape::terminal_line(&d.message)
        );
        let (line, col) = self.line_col(d.span.file, d.span.start);
        out.push_str(&format!(
            "  --> {}:{line}:{col}\n",
            escape::terminal_line(self.path(d.span.file))
        ));
        let hidden = self
            .files
            .get(d.span.file as usize)
            .is_none_or(|f| f.hidden);
        if let Some(src_line) = self.line_text(d.span.file, line).filter(|_| !hidden) {
            let chars: Vec<char> = src_line.chars().collect();
            // a window of the line that holds the caret
            let from = if col <= SHOWN {
                0
            } else {
                (col - 1).saturating_sub(SHOWN / 2)
            };
            let to = (from + SHOWN).min(chars.len());
            let shown: String = chars[from.min(to)..to].iter().collect();
            let printable = !shown.chars().any(escape::is_unsafe);
            if !shown.trim().is_empty() && printable {
                let lead = if from > 0 { "…" } else { "" };
                let tail = if to < chars.len() { "…" } else { "" };
                let gutter = line.to_string();
                let pad = " ".repeat(gutter.len());
                let (end_line, end_col) = self.line_col(d.span.file, d.span.end);
                let width = if end_line == line && end_col > col {
                    end_col - col
                } else {
                    1
                };
                // the caret, inside the window (a span past the line's end
                // points just after it)
                let at = (col - 1).saturating_sub(from).min(to - from.min(to));
                let width = width.min((to - from.min(to)).saturating_sub(at)).max(1);
                out.push_str(&format!("{pad} |\n{gutter} | {lead}{shown}{tail}\n"));
                out.push_str(&format!(
                    "{pad} | {}{}{}\n",
                    " ".repeat(lead.chars().count()),
                    " ".repeat(at),
                    "^".repeat(width)
                ));
            }
        }
        for (at, what) in &d.labels {
            out.push_str(&format!(
                "  = note: {} at {}\n",
                escape::terminal_line(what),
                escape::terminal_line(&self.location(*at))
            ));
        }
        if let Some(h) = &d.help {
            out.push_str(&format!("  = help: {}\n", escape::terminal_line(h)));
        }
        out
    }
}

/// The closest of `candidates` to `word`, when it is close enough to be
/// worth suggesting.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let mut best: Option<(usize, &str)> = None;
    let wl = word.chars().count();
    for c in candidates {
        let cl = c.chars().count();
        let limit = (wl.max(cl) / 3).max(2);
        let suffix_hit = c.ends_with(word) || word.ends_with(c);
        // the distance is at least the difference in length: most
        // candidates are ruled out without computing it
        if !suffix_hit && wl.abs_diff(cl) > limit {
            continue;
        }
        if best.is_some_and(|(bd, _)| wl.abs_diff(cl) >= bd) {
            continue;
        }
        let d = edit_distance(word, c);
        if (d <= limit || suffix_hit) && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c.to_string())
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The most diagnostics [`Failure::render`] shows; the rest are counted.
pub const MAX_SHOWN: usize = 50;

/// Diagnostics together with the sources they point into.
#[derive(Debug, Clone)]
pub struct Failure {
    pub sources: SourceMap,
    pub diags: Vec<Diagnostic>,
}

impl Failure {
    pub fn new(sources: SourceMap, diags: Vec<Diagnostic>) -> Failure {
        Failure { sources, diags }
    }

    /// The diagnostics, rendered one after the other: the first
    /// [`MAX_SHOWN`], then how many more there are.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for d in self.diags.iter().take(MAX_SHOWN) {
            out.push_str(&self.sources.render(d));
        }
        if self.diags.len() > MAX_SHOWN {
            out.push_str(&format!(
                "... and {} more problems like these, not shown (fix the first ones and run again)\n",
                self.diags.len() - MAX_SHOWN
            ));
        }
        out
    }

    pub fn has_errors(&self) -> bool {
        self.diags.iter().any(|d| d.is_error())
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render())
    }
}

impl std::error::Error for Failure {}

/// The diagnostic for a file that [`io::read_limited`] refused; `what`
/// names the kind of file ("rule file", "facts file").
pub fn read_diagnostic(e: &io::ReadError, what: &str, at: Span) -> Diagnostic {
    match e {
        io::ReadError::TooLarge { limit } => Diagnostic::new(
            Code::InputTooLarge,
            format!("{what} is larger than the limit of {limit} bytes"),
            at,
        ),
        io::ReadError::NotRegular(kind) => Diagnostic::new(
            Code::Io,
            format!("cannot read the {what}: {kind}, not a regular file"),
            at,
        )
        .help("only regular files (or symlinks to them) are read"),
        io::ReadError::Io(err) => Diagnostic::new(
            Code::Io,
            format!("cannot read the {what}: {}", io::describe_io(err)),
            at,
        ),
    }
}
