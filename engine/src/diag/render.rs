//! Rendering one diagnostic for the terminal, the way compilers do.

use super::{Diagnostic, Severity, SourceMap};
use crate::text::escape;

/// The widest source excerpt a diagnostic shows, in characters.
const SHOWN: usize = 160;

impl SourceMap {
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
        let hidden = self.is_hidden(d.span.file);
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
