//! The source text of mutants: where an operator or a result is written,
//! how a constant is written, the line before and after a change, and the
//! whole span of each binary operation (for `and`/`or` swaps).

use crate::diag::Span;
use crate::pack::{Const, RulePack};
use crate::Outcome;
use std::collections::HashMap;

/// (file, the end of a binary operation's left operand, the start of its
/// right one) to the operation's whole span.
type Wholes = HashMap<(u32, u32, u32), (u32, u32)>;

/// For each binary operation of the pack's source, (file, the end of its
/// left operand, the start of its right one) to the operation's whole
/// span: where `and`/`or` swaps are shown in parentheses. The files are
/// parsed again for this (display only; nothing is checked).
pub(super) fn operand_spans(pack: &RulePack) -> Wholes {
    use crate::syntax::ast::{Branch, Expr, ExprKind, Let, RationaleItem, TemplatePart};
    fn expr(e: &Expr, out: &mut Wholes) {
        match &e.kind {
            ExprKind::Bin(_, a, b) => {
                let start = a.span.end.min(b.span.start);
                out.insert(
                    (e.span.file, start, b.span.start),
                    (e.span.start, e.span.end),
                );
                expr(a, out);
                expr(b, out);
            }
            ExprKind::Template(parts) => {
                for p in parts.iter() {
                    if let TemplatePart::Expr(x) = p {
                        expr(x, out);
                    }
                }
            }
            ExprKind::Not(x) | ExprKind::Neg(x) => expr(x, out),
            ExprKind::If(c, a, b) => {
                expr(c, out);
                expr(a, out);
                expr(b, out);
            }
            ExprKind::Quant { list, filter, .. } => {
                expr(list, out);
                if let Some(f) = filter {
                    expr(f, out);
                }
            }
            ExprKind::Agg {
                value,
                list,
                filter,
                ..
            } => {
                expr(value, out);
                expr(list, out);
                if let Some(f) = filter {
                    expr(f, out);
                }
            }
            ExprKind::Call(_, xs) | ExprKind::List(xs) => {
                for x in xs {
                    expr(x, out);
                }
            }
            ExprKind::Lit(_) | ExprKind::Name(_) | ExprKind::Is(..) => {}
        }
    }
    fn body(lets: &[Let], branches: &[Branch], out: &mut Wholes) {
        for l in lets {
            expr(&l.value, out);
        }
        for b in branches {
            if let Some(w) = &b.when {
                expr(w, out);
            }
            expr(&b.result, out);
        }
    }
    let mut out = HashMap::new();
    for id in 0..pack.sources.file_count() as u32 {
        let Ok(f) = crate::syntax::parse::parse_file(id, pack.sources.text(id)) else {
            continue;
        };
        for d in &f.defs {
            expr(&d.body, &mut out);
        }
        for j in &f.judgments {
            expr(&j.found, &mut out);
            body(&j.lets, &j.branches, &mut out);
        }
        for c in &f.criteria {
            body(&c.lets, &c.branches, &mut out);
        }
        for x in &f.exceptions {
            body(&x.lets, &x.branches, &mut out);
        }
        for p in &f.placements {
            for s in &p.steps {
                body(&s.lets, &s.branches, &mut out);
            }
        }
        for r in &f.rationale {
            if let RationaleItem::Say { text, when } = r {
                expr(text, &mut out);
                if let Some(w) = when {
                    expr(w, &mut out);
                }
            }
        }
    }
    out
}

pub(super) fn const_text(c: &Const) -> String {
    match c {
        Const::Null => "null".into(),
        Const::Bool(b) => b.to_string(),
        Const::Num(n) => crate::text::num::fmt_num(*n),
        Const::Text(t) => match Outcome::parse(t) {
            Some(o) => o.as_str().to_string(),
            None => format!("\"{t}\""),
        },
    }
}

/// Byte offset of `sym` in the text between two operands (a word
/// operator must stand alone).
pub(super) fn find_symbol(text: &str, gap: Span, sym: &str) -> Option<usize> {
    let g = text.get(gap.start as usize..gap.end as usize)?;
    let word = sym.chars().all(|c| c.is_ascii_alphabetic());
    let mut from = 0;
    while let Some(i) = g[from..].find(sym) {
        let at = from + i;
        let before = g[..at].chars().next_back();
        let after = g[at + sym.len()..].chars().next();
        let alone = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric() && c != '_');
        let op_char = |c: Option<char>| c.is_some_and(|c| "<>=!".contains(c));
        let ok = if word {
            alone(before) && alone(after)
        } else {
            !op_char(before) && !op_char(after)
        };
        if ok {
            return Some(gap.start as usize + at);
        }
        from = at + sym.len();
    }
    None
}

/// Where a branch's result `word` is written: after its `=>`.
pub(super) fn result_offset(text: &str, span: Span, word: &str) -> usize {
    let start = span.start as usize;
    let b = text.get(start..span.end as usize).unwrap_or("");
    let arrow = b.find("=>").map(|i| i + 2).unwrap_or(0);
    b[arrow..]
        .find(word)
        .map(|i| start + arrow + i)
        .unwrap_or(start)
}

/// The line holding byte `at` (trimmed), and the same line with `len` bytes
/// at `at` replaced by `with`.
pub(super) fn line_with(text: &str, at: usize, len: usize, with: &str) -> (String, String) {
    let at = at.min(text.len());
    let start = text[..at].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let end = text[at..].find('\n').map(|i| at + i).unwrap_or(text.len());
    let line = &text[start..end];
    let cut = (at + len).min(end);
    let after = format!("{}{with}{}", &text[start..at], &text[cut..end]);
    (line.trim().to_string(), after.trim().to_string())
}
