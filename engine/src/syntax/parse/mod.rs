//! Source text -> [`ast::File`]. The only module that sees pest types.
//!
//! This file holds the entry point ([`parse_file`]), the limits, the
//! syntax-error messages and the `Builder`'s shared helpers; the builder
//! turns pest pairs into declarations in `items.rs`, into expressions in
//! `expr.rs` and string templates in `template.rs`. A pair the builder
//! does not expect is a mismatch between the grammar and the builder: an
//! engine bug, reported as an `internal` diagnostic, never a panic and
//! never a silent default.

mod expr;
mod items;
mod template;

use crate::diag::{Code, Diagnostic};
use crate::syntax::ast::*;
use pest::iterators::{Pair, Pairs};
use pest::Parser;

#[derive(pest_derive::Parser)]
#[grammar = "syntax/grammar.pest"]
struct RuleParser;

/// The deepest bracket nesting a rule file may have. Deeper input is
/// rejected before the recursive-descent parser sees it.
pub const MAX_NESTING: usize = 64;

/// The deepest an expression may nest, counting every operation (an
/// operand of `+`, `and`, `not`, a comparison, a call): 10,000 terms of
/// `1+1+...` nest 10,000 deep without a bracket, so brackets alone are no
/// bound. Deeper expressions are refused while the syntax tree is built.
pub const MAX_EXPR_DEPTH: usize = 200;

/// The largest rule file accepted, in bytes.
pub const MAX_RULE_FILE: usize = 4 * 1024 * 1024;

/// Parses one rule file. `file` is the index of the file in the pack's
/// source map and ends up in every span.
pub fn parse_file(file: u32, src: &str) -> Result<File, Vec<Diagnostic>> {
    if src.len() > MAX_RULE_FILE {
        return Err(vec![Diagnostic::new(
            Code::InputTooLarge,
            format!(
                "rule file is {} bytes; the limit is {MAX_RULE_FILE}",
                src.len()
            ),
            Span::new(file, 0, 0),
        )]);
    }
    if let Some(at) = too_deep(src) {
        return Err(vec![Diagnostic::new(
            Code::NestingTooDeep,
            format!("brackets nest deeper than {MAX_NESTING} levels"),
            Span::new(file, at, at + 1),
        )
        .help("split the expression with `let` or `def`")]);
    }
    let mut pairs = RuleParser::parse(Rule::file, src).map_err(|e| {
        let mut d = syntax_error(file, e);
        // a quote where a string was expected that never closes on its line
        let at = d.span.start as usize;
        if src[at.min(src.len())..].starts_with('"') {
            let line_end = src[at..].find('\n').map(|i| at + i).unwrap_or(src.len());
            if !src[at + 1..line_end].contains('"') {
                d.message = "unterminated string".into();
                d.help = Some(
                    "close it with `\"` on the same line; write `\\\"` for a quote inside it"
                        .into(),
                );
            }
        }
        vec![d]
    })?;
    let mut b = Builder {
        file,
        diags: vec![],
        too_deep: false,
    };
    let mut out = File::default();
    if let Some(top) = b.next(&mut pairs, "file", Span::new(file, 0, 0)) {
        for pair in top.into_inner() {
            b.item(pair, &mut out);
        }
    }
    if b.diags.is_empty() {
        Ok(out)
    } else {
        Err(b.diags)
    }
}

/// The byte offset where bracket nesting first exceeds [`MAX_NESTING`],
/// ignoring brackets in strings and comments.
fn too_deep(src: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_str = false;
    let mut in_comment = false;
    let mut escaped = false;
    for (i, c) in src.char_indices() {
        if in_comment {
            in_comment = c != '\n';
            continue;
        }
        if in_str {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' | '\n' => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '#' => in_comment = true,
            '"' => in_str = true,
            '(' | '[' | '{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(i);
                }
            }
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

fn rule_label(r: &Rule) -> String {
    let s = match r {
        Rule::EOI => "end of file",
        Rule::expr | Rule::expr_or | Rule::expr_and | Rule::expr_not | Rule::expr_cmp => {
            "expression"
        }
        Rule::expr_add | Rule::expr_mul | Rule::expr_unary | Rule::coalesce => "expression",
        Rule::ident => "name",
        Rule::name => "dotted name",
        Rule::string | Rule::string_inner => "string",
        Rule::number => "number",
        Rule::type_expr | Rule::prim_type | Rule::type_ref => "type",
        Rule::branch | Rule::when_cond | Rule::otherwise => "`when` or `otherwise` branch",
        Rule::meta | Rule::title | Rule::cites | Rule::pillar | Rule::note => "title, cites, pillar or note",
        Rule::pack
        | Rule::source_decl
        | Rule::type_decl
        | Rule::facts
        | Rule::param
        | Rule::def
        | Rule::judgment
        | Rule::criterion
        | Rule::exception
        | Rule::placement
        | Rule::rationale
        | Rule::warn
        | Rule::lever => "declaration (pack, source, type, facts, param, def, judgment, criterion, exception, placement, rationale, warn, lever)",
        Rule::cmp_op => "comparison",
        Rule::is_op => "`is`",
        Rule::add_op | Rule::mul_op => "operator",
        Rule::kw_and | Rule::kw_or => "`and` or `or`",
        Rule::because => "`because`",
        Rule::field_decl => "field declaration",
        Rule::param_value => "`from YEAR = value`",
        Rule::literal => "literal value",
        Rule::decide | Rule::adjust => "`decide` or `adjust` step",
        Rule::say | Rule::choose => "`say` or `choose`",
        Rule::lever_set => "`set PATH = value`",
        Rule::recommend => "`recommend`",
        Rule::source_field | Rule::source_edition | Rule::publisher | Rule::url => {
            "title, edition, publisher, url or note"
        }
        other => return format!("{other:?}").replace('_', " "),
    };
    s.to_string()
}

fn syntax_error(file: u32, e: pest::error::Error<Rule>) -> Diagnostic {
    use pest::error::{ErrorVariant, InputLocation};
    let (start, end) = match e.location {
        InputLocation::Pos(p) => (p, p),
        InputLocation::Span((s, e)) => (s, e),
    };
    let message = match &e.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            let mut names: Vec<String> = positives.iter().map(rule_label).collect();
            names.sort();
            names.dedup();
            if names.is_empty() {
                "unexpected input".to_string()
            } else {
                format!("expected {}", names.join(" or "))
            }
        }
        ErrorVariant::CustomError { message } => message.clone(),
    };
    Diagnostic::new(Code::Syntax, message, Span::new(file, start, end))
}

/// Builds the syntax tree of one file from pest's pairs, collecting
/// diagnostics as it goes.
struct Builder {
    file: u32,
    diags: Vec<Diagnostic>,
    /// Whether an expression went past [`MAX_EXPR_DEPTH`] (reported once).
    too_deep: bool,
}

/// `\n`, `\t`, and a backslash before any other character stands for it.
fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn lit(l: Literal, span: Span) -> Expr {
    Expr {
        kind: ExprKind::Lit(l),
        span,
    }
}

impl Builder {
    fn span(&self, p: &Pair<Rule>) -> Span {
        let s = p.as_span();
        Span::new(self.file, s.start(), s.end())
    }

    /// Records a pair the builder does not expect `within` its parent: the
    /// grammar and the builder disagree (an engine bug).
    fn unexpected(&mut self, p: &Pair<Rule>, within: &str) {
        let what = format!(
            "the rule-file parser met an unexpected `{:?}` in {within}",
            p.as_rule()
        );
        self.diags.push(Diagnostic::internal(what, self.span(p)));
    }

    /// Records that a part the grammar promises is missing (an engine bug).
    fn missing(&mut self, what: &str, span: Span) {
        let what = format!("the rule-file parser found no {what}");
        self.diags.push(Diagnostic::internal(what, span));
    }

    /// The next pair of `it`; when there is none, an internal error that
    /// names `what` was missing in `span`.
    fn next<'i>(
        &mut self,
        it: &mut Pairs<'i, Rule>,
        what: &str,
        span: Span,
    ) -> Option<Pair<'i, Rule>> {
        let next = it.next();
        if next.is_none() {
            self.missing(what, span);
        }
        next
    }

    /// The text of the next pair of `it` (a name), or an internal error.
    fn next_str(&mut self, it: &mut Pairs<Rule>, what: &str, span: Span) -> String {
        self.next(it, what, span)
            .map(|p| p.as_str().to_string())
            .unwrap_or_default()
    }

    /// The next pair of `it` built as an expression `depth` deep.
    fn next_expr(&mut self, it: &mut Pairs<Rule>, what: &str, span: Span, depth: usize) -> Expr {
        match self.next(it, what, span) {
            Some(e) => self.expr(e, depth),
            None => lit(Literal::Null, span),
        }
    }

    /// `e`, or (when the grammar failed to give it) an internal error and
    /// a placeholder.
    fn need(&mut self, e: Option<Expr>, what: &str, span: Span) -> Expr {
        e.unwrap_or_else(|| {
            self.missing(what, span);
            lit(Literal::Null, span)
        })
    }

    /// The text of a `string` pair, unescaped.
    fn string(&mut self, p: Pair<Rule>) -> String {
        let span = self.span(&p);
        let mut it = p.into_inner();
        match self.next(&mut it, "string contents", span) {
            Some(inner) => unescape(inner.as_str()),
            None => String::new(),
        }
    }

    /// The string of the next pair of `it`, when it is one.
    fn next_string(&mut self, it: &mut Pairs<Rule>, what: &str, span: Span) -> String {
        match self.next(it, what, span) {
            Some(s) => self.string(s),
            None => String::new(),
        }
    }

    /// The value of a `number` pair (the grammar only admits numbers Rust
    /// reads as `f64`).
    fn number(&mut self, p: &Pair<Rule>) -> f64 {
        match p.as_str().trim().parse() {
            Ok(n) => n,
            Err(_) => {
                self.unexpected(p, "a number");
                0.0
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builder() -> Builder {
        Builder {
            file: 0,
            diags: vec![],
            too_deep: false,
        }
    }

    fn pair(rule: Rule, src: &str) -> Pair<'_, Rule> {
        match RuleParser::parse(rule, src).map(|mut p| p.next()) {
            Ok(Some(p)) => p,
            other => panic!("{src:?} does not parse as {rule:?}: {other:?}"),
        }
    }

    #[test]
    fn an_unexpected_pair_is_an_internal_error_not_a_panic() {
        let mut b = builder();
        let mut out = File::default();
        b.item(pair(Rule::expr, "1 + 2"), &mut out);
        let e = b.expr(
            pair(Rule::criterion, "criterion a.b { otherwise => met }"),
            0,
        );
        assert!(matches!(e.kind, ExprKind::Lit(Literal::Null)));
        let codes: Vec<&str> = b.diags.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["internal", "internal"]);
        assert!(
            b.diags[0]
                .message
                .starts_with("an internal error: please report it")
                && b.diags[0].message.contains("`expr`"),
            "{}",
            b.diags[0].message
        );
    }

    #[test]
    fn a_missing_part_is_an_internal_error() {
        let mut b = builder();
        // an `ident` where a `let` belongs: neither its name nor its value
        let p = pair(Rule::ident, "x");
        let l = b.let_decl(p);
        assert!(matches!(l.value.kind, ExprKind::Lit(Literal::Null)));
        assert!(!b.diags.is_empty());
        assert!(b.diags.iter().all(|d| d.code == Code::Internal));
    }

    #[test]
    fn a_problem_inside_a_placeholder_points_into_the_file() {
        let src = "criterion a.b { otherwise => met because \"value {1 is met} here\" }";
        let diags = parse_file(0, src).expect_err("`1 is met` is refused");
        assert_eq!(diags[0].message, "`is` takes a criterion id on its left");
        let at = src.find("1 is").unwrap_or_default();
        assert_eq!(diags[0].span.start as usize, at);
    }

    #[test]
    fn well_formed_input_gives_no_internal_error() {
        let src = "pack t { editions 2017 edition_fact year }\ncriterion a.b { when 1 + 2 * 3 > 4 and not x.y is met => met otherwise => not_met because \"{max v for v in [1, 2]}\" }\n";
        assert!(parse_file(0, src).is_ok());
    }
}
