//! String literals in expression position: plain text, or a template
//! whose `{...}` placeholders are parsed as expressions of their own and
//! moved to their place in the file.

use super::{lit, syntax_error, unescape, Builder, Rule, RuleParser};
use crate::diag::{Code, Diagnostic};
use crate::syntax::ast::*;
use pest::iterators::Pair;
use pest::Parser;
use std::rc::Rc;

impl Builder {
    /// A string literal in expression position: plain text, or a template
    /// when it holds `{...}` placeholders (`{{` and `}}` are literal braces).
    pub(super) fn string_expr(&mut self, p: Pair<Rule>) -> Expr {
        let span = self.span(&p);
        let Some(inner) = self.next(&mut p.into_inner(), "string contents", span) else {
            return lit(Literal::Null, span);
        };
        let (raw, base) = (inner.as_str(), inner.as_span().start());
        if !raw.contains('{') && !raw.contains('}') {
            return lit(Literal::Text(unescape(raw)), span);
        }
        let mut parts = vec![];
        let mut text = String::new();
        let bytes = raw.as_bytes();
        let mut i = 0;
        while i < raw.len() {
            let c = bytes[i];
            if c == b'{' && bytes.get(i + 1) == Some(&b'{') {
                text.push('{');
                i += 2;
            } else if c == b'}' && bytes.get(i + 1) == Some(&b'}') {
                text.push('}');
                i += 2;
            } else if c == b'{' {
                let Some(close) = placeholder_len(&raw[i + 1..]) else {
                    self.diags.push(
                        Diagnostic::new(
                            Code::Syntax,
                            "unclosed `{` in template".into(),
                            Span::new(self.file, base + i, base + i + 1),
                        )
                        .help("write `{{` for a literal brace"),
                    );
                    return lit(Literal::Text(unescape(raw)), span);
                };
                if !text.is_empty() {
                    parts.push(TemplatePart::Text(unescape(&std::mem::take(&mut text))));
                }
                if let Some(e) = self.placeholder(&raw[i + 1..i + 1 + close], base + i + 1) {
                    parts.push(TemplatePart::Expr(e));
                }
                i += close + 2;
            } else if c == b'}' {
                self.diags.push(
                    Diagnostic::new(
                        Code::Syntax,
                        "unmatched `}` in template".into(),
                        Span::new(self.file, base + i, base + i + 1),
                    )
                    .help("write `}}` for a literal brace"),
                );
                i += 1;
            } else {
                let Some(ch) = raw.get(i..).and_then(|r| r.chars().next()) else {
                    self.missing("character at a character boundary", span);
                    break;
                };
                text.push(ch);
                i += ch.len_utf8();
            }
        }
        if !text.is_empty() {
            parts.push(TemplatePart::Text(unescape(&text)));
        }
        Expr {
            kind: ExprKind::Template(Rc::new(parts)),
            span,
        }
    }

    /// The expression of a placeholder `src` that starts at byte `at` of
    /// the file, or `None` after a syntax error.
    fn placeholder(&mut self, src: &str, at: usize) -> Option<Expr> {
        match RuleParser::parse(Rule::template_expr, src) {
            Ok(mut pairs) => {
                let span = Span::new(self.file, at, at + src.len());
                let top = self.next(&mut pairs, "placeholder", span)?;
                // spans relative to `src` until the shift below, the
                // expression's and those of the problems found in it
                let relative = Span::new(self.file, 0, src.len());
                let before = self.diags.len();
                let mut e =
                    self.next_expr(&mut top.into_inner(), "placeholder expression", relative, 0);
                shift(&mut e, at as u32);
                for d in &mut self.diags[before..] {
                    d.span.start += at as u32;
                    d.span.end += at as u32;
                }
                Some(e)
            }
            Err(err) => {
                let mut d = syntax_error(self.file, err);
                d.span.start += at as u32;
                d.span.end += at as u32;
                d.message = format!("in template placeholder: {}", d.message);
                self.diags.push(d);
                None
            }
        }
    }
}

/// Moves every span of a placeholder expression parsed on its own to its
/// place in the enclosing file.
fn shift(e: &mut Expr, by: u32) {
    e.span.start += by;
    e.span.end += by;
    match &mut e.kind {
        ExprKind::Lit(_) | ExprKind::Name(_) | ExprKind::Is(..) => {}
        ExprKind::Template(parts) => {
            if let Some(parts) = Rc::get_mut(parts) {
                for p in parts.iter_mut() {
                    if let TemplatePart::Expr(e) = p {
                        shift(e, by);
                    }
                }
            }
        }
        ExprKind::Not(a) | ExprKind::Neg(a) => shift(a, by),
        ExprKind::Bin(_, a, b) => {
            shift(a, by);
            shift(b, by);
        }
        ExprKind::If(a, b, c) => {
            shift(a, by);
            shift(b, by);
            shift(c, by);
        }
        ExprKind::Quant { list, filter, .. } => {
            shift(list, by);
            if let Some(f) = filter {
                shift(f, by);
            }
        }
        ExprKind::Agg {
            value,
            list,
            filter,
            ..
        } => {
            shift(value, by);
            shift(list, by);
            if let Some(f) = filter {
                shift(f, by);
            }
        }
        ExprKind::Call(_, args) | ExprKind::List(args) => {
            for a in args {
                shift(a, by);
            }
        }
    }
}

/// The length of a placeholder body up to its closing `}`, skipping
/// strings; `None` when it is not closed (or holds a bare `{`).
fn placeholder_len(s: &str) -> Option<usize> {
    let mut in_str = false;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if in_str {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_str = true,
            '{' => return None,
            '}' => return Some(i),
            _ => {}
        }
    }
    None
}
