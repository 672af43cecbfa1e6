//! Diagnostics: a stable kebab-case code, a message, a span into a source
//! file and an optional help. Every code is listed in docs/diagnostics.md.
//!
//! This file holds [`Diagnostic`], [`Severity`] and [`Failure`]; the codes
//! are in `code.rs`, the source map and spans in `source.rs`, rendering in
//! `render.rs` and "did you mean" in `suggest.rs`.

mod code;
mod render;
mod source;
mod suggest;

pub use code::Code;
pub use source::{SourceMap, Span};
pub use suggest::did_you_mean;

use crate::io;
use std::fmt;

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

    /// An engine bug, never a user mistake: `what` says what went wrong
    /// (for the bug report), `span` where in the input it showed.
    pub fn internal(what: impl fmt::Display, span: Span) -> Diagnostic {
        Diagnostic::new(
            Code::Internal,
            format!("an internal error: please report it ({what})"),
            span,
        )
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
