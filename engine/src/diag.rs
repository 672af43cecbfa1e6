//! Diagnostics: a stable kebab-case code, a message, a span into a source
//! file and an optional help. Every code is listed in docs/diagnostics.md.

use crate::ast::Span;
use std::fmt;

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
}

impl Diagnostic {
    pub fn new(code: Code, message: String, span: Span) -> Diagnostic {
        Diagnostic {
            code,
            severity: Severity::Error,
            message,
            span,
            help: None,
        }
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
    files: Vec<(String, String)>,
}

impl SourceMap {
    pub fn add(&mut self, path: impl Into<String>, text: impl Into<String>) -> u32 {
        self.files.push((path.into(), text.into()));
        (self.files.len() - 1) as u32
    }

    pub fn path(&self, file: u32) -> &str {
        self.files
            .get(file as usize)
            .map(|f| f.0.as_str())
            .unwrap_or("<unknown>")
    }

    pub fn text(&self, file: u32) -> &str {
        self.files
            .get(file as usize)
            .map(|f| f.1.as_str())
            .unwrap_or("")
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, file: u32, offset: u32) -> (usize, usize) {
        let text = self.text(file);
        let offset = (offset as usize).min(text.len());
        let offset = (0..=offset)
            .rev()
            .find(|o| text.is_char_boundary(*o))
            .unwrap_or(0);
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
        let col = text[line_start..offset].chars().count() + 1;
        (line, col)
    }

    /// Byte offset of a 1-based line and column.
    pub fn offset(&self, file: u32, line: usize, col: usize) -> usize {
        let text = self.text(file);
        let mut start = 0;
        for _ in 1..line.max(1) {
            match text[start..].find('\n') {
                Some(i) => start += i + 1,
                None => return text.len(),
            }
        }
        let line_text = &text[start..];
        start
            + line_text
                .char_indices()
                .nth(col.saturating_sub(1))
                .map(|(i, _)| i)
                .unwrap_or(line_text.len())
    }

    /// `path:line:col`
    pub fn location(&self, span: Span) -> String {
        let (line, col) = self.line_col(span.file, span.start);
        format!("{}:{line}:{col}", self.path(span.file))
    }

    /// Renders a diagnostic the way compilers do: header, location, the
    /// source line with a caret, and the help.
    pub fn render(&self, d: &Diagnostic) -> String {
        let kind = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut out = format!("{kind}[{}]: {}\n", d.code.as_str(), d.message);
        let (line, col) = self.line_col(d.span.file, d.span.start);
        out.push_str(&format!("  --> {}:{line}:{col}\n", self.path(d.span.file)));
        let text = self.text(d.span.file);
        if let Some(src_line) = text.lines().nth(line.saturating_sub(1)) {
            let shown: String = src_line.chars().take(160).collect();
            if !shown.trim().is_empty() && is_printable(&shown) {
                let gutter = line.to_string();
                let pad = " ".repeat(gutter.len());
                let (end_line, end_col) = self.line_col(d.span.file, d.span.end);
                let width = if end_line == line && end_col > col {
                    end_col - col
                } else {
                    1
                };
                let width = width
                    .min(shown.chars().count().saturating_sub(col - 1))
                    .max(1);
                out.push_str(&format!("{pad} |\n{gutter} | {shown}\n"));
                out.push_str(&format!(
                    "{pad} | {}{}\n",
                    " ".repeat(col.saturating_sub(1)),
                    "^".repeat(width)
                ));
            }
        }
        if let Some(h) = &d.help {
            out.push_str(&format!("  = help: {h}\n"));
        }
        out
    }
}

fn is_printable(s: &str) -> bool {
    s.chars().all(|c| !c.is_control() || c == '\t')
}

/// The closest of `candidates` to `word`, when it is close enough to be
/// worth suggesting.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = edit_distance(word, c);
        let limit = (word.chars().count().max(c.chars().count()) / 3).max(2);
        let suffix_hit = c.ends_with(word) || word.ends_with(c);
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
