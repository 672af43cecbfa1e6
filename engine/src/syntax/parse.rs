//! Source text -> [`ast::File`]. The only module that sees pest types.

use crate::diag::{Code, Diagnostic};
use crate::syntax::ast::*;
use pest::iterators::Pair;
use pest::Parser;
use std::rc::Rc;

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
    let pairs = RuleParser::parse(Rule::file, src).map_err(|e| {
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
    for pair in pairs
        .into_iter()
        .next()
        .into_iter()
        .flat_map(|p| p.into_inner())
    {
        b.item(pair, &mut out);
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

struct Builder {
    file: u32,
    diags: Vec<Diagnostic>,
    /// Whether an expression went past [`MAX_EXPR_DEPTH`] (reported once).
    too_deep: bool,
}

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

impl Builder {
    fn span(&self, p: &Pair<Rule>) -> Span {
        let s = p.as_span();
        Span::new(self.file, s.start(), s.end())
    }

    fn string(&self, p: Pair<Rule>) -> String {
        unescape(p.into_inner().next().map(|i| i.as_str()).unwrap_or(""))
    }

    fn item(&mut self, p: Pair<Rule>, out: &mut File) {
        let span = self.span(&p);
        match p.as_rule() {
            Rule::pack => out.packs.push(self.pack(p, span)),
            Rule::source_decl => out.sources.push(self.source_decl(p, span)),
            Rule::type_decl => {
                let mut it = p.into_inner();
                let name = next_str(&mut it);
                let ty = it
                    .next()
                    .map(|t| self.type_expr(t))
                    .unwrap_or(TypeExpr::Text);
                out.types.push(TypeDecl { name, ty, span });
            }
            Rule::facts => {
                if let Some(rec) = p.into_inner().next() {
                    out.facts.push((self.record_fields(rec), span));
                }
            }
            Rule::param => out.params.push(self.param(p, span)),
            Rule::def => {
                let mut name = String::new();
                let mut params = vec![];
                let mut body = None;
                for c in p.into_inner() {
                    match c.as_rule() {
                        Rule::ident => name = c.as_str().to_string(),
                        Rule::def_params => {
                            params = c.into_inner().map(|i| i.as_str().to_string()).collect()
                        }
                        Rule::expr => body = Some(self.expr(c, 0)),
                        _ => {}
                    }
                }
                if let Some(body) = body {
                    out.defs.push(Def {
                        name,
                        params,
                        body,
                        span,
                    });
                }
            }
            Rule::judgment => {
                let mut name = String::new();
                let mut meta = Meta::default();
                let mut found = None;
                let mut lets = vec![];
                let mut branches = vec![];
                for c in p.into_inner() {
                    match c.as_rule() {
                        Rule::ident => name = c.as_str().to_string(),
                        Rule::found => {
                            found = c.into_inner().next().map(|e| self.expr(e, 0));
                        }
                        Rule::let_decl => lets.push(self.let_decl(c)),
                        Rule::branch => branches.push(self.branch(c)),
                        _ => self.meta(c, &mut meta),
                    }
                }
                if let Some(found) = found {
                    out.judgments.push(Judgment {
                        name,
                        meta,
                        found,
                        lets,
                        branches,
                        span,
                    });
                }
            }
            Rule::criterion => {
                let (id, id_span, meta, lets, branches) = self.rule_body(p);
                out.criteria.push(Criterion {
                    id,
                    meta,
                    lets,
                    branches,
                    span,
                    id_span,
                });
            }
            Rule::exception => {
                let (target, target_span, meta, lets, branches) = self.rule_body(p);
                out.exceptions.push(Exception {
                    target,
                    meta,
                    lets,
                    branches,
                    span,
                    target_span,
                });
            }
            Rule::placement => {
                let mut it = p.into_inner();
                let tier_type = next_str(&mut it);
                let mut steps = vec![];
                for s in it {
                    let kind = if s.as_rule() == Rule::decide {
                        StepKind::Decide
                    } else {
                        StepKind::Adjust
                    };
                    let sspan = self.span(&s);
                    let (name, _, meta, lets, branches) = self.rule_body(s);
                    steps.push(Step {
                        kind,
                        name,
                        meta,
                        lets,
                        branches,
                        span: sspan,
                    });
                }
                out.placements.push(Placement {
                    tier_type,
                    steps,
                    span,
                });
            }
            Rule::rationale => {
                for c in p.into_inner() {
                    match c.as_rule() {
                        Rule::say => {
                            let mut it = c.into_inner();
                            let text = it.next().map(|s| self.string_expr(s));
                            let when = it
                                .next()
                                .and_then(|w| w.into_inner().next())
                                .map(|e| self.expr(e, 0));
                            if let Some(text) = text {
                                out.rationale.push(RationaleItem::Say { text, when });
                            }
                        }
                        Rule::choose => {
                            let bs = c.into_inner().map(|b| self.branch(b)).collect();
                            out.rationale.push(RationaleItem::Choose(bs));
                        }
                        Rule::paragraph => out.rationale.push(RationaleItem::Paragraph),
                        _ => {}
                    }
                }
            }
            Rule::warn => {
                let mut each = None;
                let mut when = None;
                let mut message = None;
                for c in p.into_inner() {
                    match c.as_rule() {
                        Rule::warn_for => {
                            let mut it = c.into_inner();
                            let var = next_str(&mut it);
                            if let Some(e) = it.next() {
                                each = Some((var, self.expr(e, 0)));
                            }
                        }
                        Rule::when_cond => when = c.into_inner().next().map(|e| self.expr(e, 0)),
                        Rule::expr => message = Some(self.expr(c, 0)),
                        _ => {}
                    }
                }
                if let (Some(when), Some(message)) = (when, message) {
                    out.warns.push(Warn {
                        each,
                        when,
                        message,
                        span,
                    });
                }
            }
            Rule::lever => {
                let mut name = String::new();
                let mut meta = Meta::default();
                let mut recommend = None;
                let mut sets = vec![];
                for c in p.into_inner() {
                    match c.as_rule() {
                        Rule::ident => name = c.as_str().to_string(),
                        Rule::recommend => {
                            recommend = c.into_inner().next().map(|s| self.string(s))
                        }
                        Rule::lever_set => {
                            let sspan = self.span(&c);
                            let mut it = c.into_inner();
                            let path = next_str(&mut it);
                            let value = it.next().map(|l| self.literal(l)).unwrap_or(Literal::Null);
                            sets.push(LeverSet {
                                path,
                                value,
                                span: sspan,
                            });
                        }
                        _ => self.meta(c, &mut meta),
                    }
                }
                out.levers.push(Lever {
                    name,
                    meta,
                    recommend,
                    sets,
                    span,
                });
            }
            _ => {}
        }
    }

    fn pack(&mut self, p: Pair<Rule>, span: Span) -> Pack {
        let mut it = p.into_inner();
        let name = next_str(&mut it);
        let mut pack = Pack {
            name,
            title: None,
            editions: vec![],
            source: None,
            edition_fact: None,
            findings_fact: None,
            span,
        };
        for f in it {
            let Some(f) = f.into_inner().next() else {
                continue;
            };
            match f.as_rule() {
                Rule::title => pack.title = f.into_inner().next().map(|s| self.string(s)),
                Rule::source => pack.source = f.into_inner().next().map(|s| self.string(s)),
                Rule::editions => {
                    pack.editions = f
                        .into_inner()
                        .filter_map(|n| n.as_str().parse().ok())
                        .collect()
                }
                Rule::pack_role => {
                    let role = f
                        .as_str()
                        .split_whitespace()
                        .next()
                        .unwrap_or("")
                        .to_string();
                    let value = f.into_inner().next().map(|i| i.as_str().to_string());
                    if role == "edition_fact" {
                        pack.edition_fact = value;
                    } else {
                        pack.findings_fact = value;
                    }
                }
                _ => {}
            }
        }
        pack
    }

    fn source_decl(&mut self, p: Pair<Rule>, span: Span) -> SourceDecl {
        let mut it = p.into_inner();
        let id_pair = it.next();
        let id_span = id_pair.as_ref().map(|i| self.span(i)).unwrap_or(span);
        let mut src = SourceDecl {
            id: id_pair.map(|i| i.as_str().to_string()).unwrap_or_default(),
            title: None,
            edition: None,
            publisher: None,
            url: None,
            note: None,
            span,
            id_span,
        };
        for f in it {
            let Some(f) = f.into_inner().next() else {
                continue;
            };
            let rule = f.as_rule();
            let value = f.into_inner().next();
            match rule {
                Rule::title => src.title = value.map(|s| self.string(s)),
                Rule::publisher => src.publisher = value.map(|s| self.string(s)),
                Rule::url => src.url = value.map(|s| self.string(s)),
                Rule::note => src.note = value.map(|s| self.string(s)),
                Rule::source_edition => src.edition = value.and_then(|n| n.as_str().parse().ok()),
                _ => {}
            }
        }
        src
    }

    fn meta(&mut self, p: Pair<Rule>, meta: &mut Meta) {
        match p.as_rule() {
            Rule::title => meta.title = p.into_inner().next().map(|s| self.string(s)),
            Rule::note => meta.note = p.into_inner().next().map(|s| self.string(s)),
            Rule::pillar => meta.pillar = p.into_inner().next().map(|s| s.as_str().to_string()),
            Rule::cites => {
                for c in p.into_inner() {
                    meta.cite_spans.push(self.span(&c));
                    meta.cites.push(self.string(c));
                }
            }
            _ => {}
        }
    }

    #[allow(clippy::type_complexity)]
    fn rule_body(&mut self, p: Pair<Rule>) -> (String, Span, Meta, Vec<Let>, Vec<Branch>) {
        let mut name = String::new();
        let mut name_span = self.span(&p);
        let mut meta = Meta::default();
        let mut lets = vec![];
        let mut branches = vec![];
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::name | Rule::ident => {
                    name_span = self.span(&c);
                    name = c.as_str().to_string();
                }
                Rule::let_decl => lets.push(self.let_decl(c)),
                Rule::branch => branches.push(self.branch(c)),
                _ => self.meta(c, &mut meta),
            }
        }
        (name, name_span, meta, lets, branches)
    }

    fn let_decl(&mut self, p: Pair<Rule>) -> Let {
        let span = self.span(&p);
        let mut it = p.into_inner();
        let name = next_str(&mut it);
        let value = match it.next() {
            Some(e) => self.expr(e, 0),
            None => lit(Literal::Null, span),
        };
        Let { name, value, span }
    }

    fn branch(&mut self, p: Pair<Rule>) -> Branch {
        let span = self.span(&p);
        let mut when = None;
        let mut result = None;
        let mut because = None;
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::when_cond => when = c.into_inner().next().map(|e| self.expr(e, 0)),
                Rule::otherwise => {}
                Rule::expr => result = Some(self.expr(c, 0)),
                Rule::because => because = c.into_inner().next().map(|s| self.string_expr(s)),
                _ => {}
            }
        }
        Branch {
            when,
            result: result.unwrap_or_else(|| lit(Literal::Null, span)),
            because,
            span,
        }
    }

    fn record_fields(&mut self, p: Pair<Rule>) -> Vec<FieldDecl> {
        p.into_inner()
            .map(|f| {
                let span = self.span(&f);
                let mut name = String::new();
                let mut ty = TypeExpr::Text;
                let mut required = false;
                let mut range = None;
                let mut doc = None;
                for c in f.into_inner() {
                    match c.as_rule() {
                        Rule::ident => name = c.as_str().to_string(),
                        Rule::type_expr => ty = self.type_expr(c),
                        Rule::required => required = true,
                        Rule::range => {
                            let text = c.as_str().trim_start_matches("in").trim().to_string();
                            let (lo, hi) = text.split_once("..").unwrap_or((&text, ""));
                            range = Some((lo.trim().parse().ok(), hi.trim().parse().ok()));
                        }
                        Rule::string => doc = Some(self.string(c)),
                        _ => {}
                    }
                }
                FieldDecl {
                    name,
                    ty,
                    required,
                    range,
                    doc,
                    span,
                }
            })
            .collect()
    }

    fn type_expr(&mut self, p: Pair<Rule>) -> TypeExpr {
        let inner = match p.as_rule() {
            Rule::type_expr => match p.into_inner().next() {
                Some(i) => i,
                None => return TypeExpr::Text,
            },
            _ => p,
        };
        match inner.as_rule() {
            Rule::list_type => match inner.into_inner().next() {
                Some(t) => TypeExpr::List(Box::new(self.type_expr(t))),
                None => TypeExpr::Text,
            },
            Rule::record_type => TypeExpr::Record(self.record_fields(inner)),
            Rule::enum_type => TypeExpr::Enum(
                inner
                    .into_inner()
                    .filter_map(|v| v.into_inner().next())
                    .map(|v| {
                        if v.as_rule() == Rule::string {
                            self.string(v)
                        } else {
                            v.as_str().to_string()
                        }
                    })
                    .collect(),
            ),
            Rule::prim_type => match inner.as_str() {
                "bool" => TypeExpr::Bool,
                "number" => TypeExpr::Number,
                _ => TypeExpr::Text,
            },
            Rule::type_ref => {
                let span = self.span(&inner);
                TypeExpr::Ref(inner.as_str().to_string(), span)
            }
            _ => TypeExpr::Text,
        }
    }

    fn param(&mut self, p: Pair<Rule>, span: Span) -> Param {
        let mut name = String::new();
        let mut ty = TypeExpr::Number;
        let mut meta = Meta::default();
        let mut values = vec![];
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::ident => name = c.as_str().to_string(),
                Rule::type_expr => ty = self.type_expr(c),
                Rule::param_value => {
                    let vspan = self.span(&c);
                    let mut it = c.into_inner();
                    let year = it
                        .next()
                        .and_then(|n| n.as_str().parse().ok())
                        .unwrap_or(0.0);
                    let value = it.next().map(|l| self.literal(l)).unwrap_or(Literal::Null);
                    values.push((year, value, vspan));
                }
                _ => self.meta(c, &mut meta),
            }
        }
        Param {
            name,
            ty,
            meta,
            values,
            span,
        }
    }

    fn literal(&mut self, p: Pair<Rule>) -> Literal {
        let inner = match p.as_rule() {
            Rule::literal => match p.into_inner().next() {
                Some(i) => i,
                None => return Literal::Null,
            },
            _ => p,
        };
        match inner.as_rule() {
            Rule::number => Literal::Num(inner.as_str().parse().unwrap_or(0.0)),
            Rule::string => Literal::Text(self.string(inner)),
            Rule::kw_true => Literal::Bool(true),
            Rule::kw_false => Literal::Bool(false),
            _ => Literal::Null,
        }
    }

    /// A string literal in expression position: plain text, or a template
    /// when it holds `{...}` placeholders (`{{` and `}}` are literal braces).
    fn string_expr(&mut self, p: Pair<Rule>) -> Expr {
        let span = self.span(&p);
        let inner = p.into_inner().next();
        let (raw, base) = match &inner {
            Some(i) => (i.as_str(), i.as_span().start()),
            None => ("", span.start as usize),
        };
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
                let inner_src = &raw[i + 1..i + 1 + close];
                match RuleParser::parse(Rule::template_expr, inner_src) {
                    Ok(mut pairs) => {
                        if let Some(e) = pairs.next().and_then(|p| p.into_inner().next()) {
                            let mut e = self.expr(e, 0);
                            shift(&mut e, (base + i + 1) as u32);
                            parts.push(TemplatePart::Expr(e));
                        }
                    }
                    Err(err) => {
                        let mut d = syntax_error(self.file, err);
                        d.span.start += (base + i + 1) as u32;
                        d.span.end += (base + i + 1) as u32;
                        d.message = format!("in template placeholder: {}", d.message);
                        self.diags.push(d);
                    }
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
                let ch = raw[i..].chars().next().unwrap_or(' ');
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

    /// Builds an expression whose root sits `depth` operations deep.
    fn expr(&mut self, p: Pair<Rule>, depth: usize) -> Expr {
        let p = pass_through(p);
        let span = self.span(&p);
        if depth > MAX_EXPR_DEPTH {
            // once per file: the rest of a long chain would say the same
            if !self.too_deep {
                self.too_deep = true;
                self.diags.push(
                    Diagnostic::new(
                        Code::NestingTooDeep,
                        format!("the expression nests more than {MAX_EXPR_DEPTH} operations deep"),
                        span,
                    )
                    .help("a long chain of operators (`1 + 1 + ...`, `not not ...`) nests one level per operator: split it with `let` or `def`"),
                );
            }
            return lit(Literal::Null, span);
        }
        let rule = p.as_rule();
        match rule {
            Rule::expr | Rule::template_expr => match p.into_inner().next() {
                Some(i) => self.expr(i, depth),
                None => lit(Literal::Null, span),
            },
            Rule::if_expr => {
                let mut it = p.into_inner().map(|e| self.expr(e, depth + 1));
                let c = it.next().unwrap_or_else(|| lit(Literal::Null, span));
                let t = it.next().unwrap_or_else(|| lit(Literal::Null, span));
                let e = it.next().unwrap_or_else(|| lit(Literal::Null, span));
                Expr {
                    kind: ExprKind::If(Box::new(c), Box::new(t), Box::new(e)),
                    span,
                }
            }
            Rule::quant => {
                let mut it = p.into_inner();
                let kind = match it.next().map(|k| k.as_str()) {
                    Some("all") => QuantKind::All,
                    Some("count") => QuantKind::Count,
                    Some("streak") => QuantKind::Streak,
                    _ => QuantKind::Any,
                };
                let var = next_str(&mut it);
                let list = it
                    .next()
                    .map(|e| self.expr(e, depth + 1))
                    .unwrap_or_else(|| lit(Literal::Null, span));
                let filter = it.next().map(|e| Box::new(self.expr(e, depth + 1)));
                Expr {
                    kind: ExprKind::Quant {
                        kind,
                        var,
                        list: Box::new(list),
                        filter,
                    },
                    span,
                }
            }
            Rule::agg => {
                let mut it = p.into_inner();
                let kind = match it.next().map(|k| k.as_str()) {
                    Some("min") => AggKind::Min,
                    Some("sum") => AggKind::Sum,
                    Some("first") => AggKind::First,
                    Some("collect") => AggKind::Collect,
                    _ => AggKind::Max,
                };
                let value = it
                    .next()
                    .map(|e| self.expr(e, depth + 1))
                    .unwrap_or_else(|| lit(Literal::Null, span));
                let var = next_str(&mut it);
                let list = it
                    .next()
                    .map(|e| self.expr(e, depth + 1))
                    .unwrap_or_else(|| lit(Literal::Null, span));
                let filter = it.next().map(|e| Box::new(self.expr(e, depth + 1)));
                Expr {
                    kind: ExprKind::Agg {
                        kind,
                        value: Box::new(value),
                        var,
                        list: Box::new(list),
                        filter,
                    },
                    span,
                }
            }
            Rule::coalesce | Rule::expr_or | Rule::expr_and | Rule::expr_add | Rule::expr_mul => {
                // a chain of n operators folds into n nested nodes: every
                // operand sits at most n deeper than the chain
                let ops = p
                    .clone()
                    .into_inner()
                    .filter(|c| {
                        !matches!(
                            c.as_rule(),
                            Rule::kw_or | Rule::kw_and | Rule::add_op | Rule::mul_op
                        )
                    })
                    .count()
                    .saturating_sub(1);
                let below = depth + ops;
                let mut it = p.into_inner();
                let mut acc = match it.next() {
                    Some(first) => self.expr(first, below),
                    None => return lit(Literal::Null, span),
                };
                let default_op = match rule {
                    Rule::coalesce => Some(BinOp::Coalesce),
                    Rule::expr_or => Some(BinOp::Or),
                    Rule::expr_and => Some(BinOp::And),
                    _ => None,
                };
                let mut pending = default_op;
                for c in it {
                    match c.as_rule() {
                        Rule::kw_or => pending = Some(BinOp::Or),
                        Rule::kw_and => pending = Some(BinOp::And),
                        Rule::add_op => {
                            pending = Some(if c.as_str() == "+" {
                                BinOp::Add
                            } else {
                                BinOp::Sub
                            })
                        }
                        Rule::mul_op => {
                            pending = Some(if c.as_str() == "*" {
                                BinOp::Mul
                            } else {
                                BinOp::Div
                            })
                        }
                        _ => {
                            let rhs = self.expr(c, below);
                            let op = pending.unwrap_or(BinOp::Add);
                            let s = Span {
                                file: self.file,
                                start: acc.span.start,
                                end: rhs.span.end,
                            };
                            acc = Expr {
                                kind: ExprKind::Bin(op, Box::new(acc), Box::new(rhs)),
                                span: s,
                            };
                            pending = default_op;
                        }
                    }
                }
                acc
            }
            Rule::expr_not => {
                let nots = p
                    .clone()
                    .into_inner()
                    .filter(|c| c.as_rule() == Rule::neg_not)
                    .count();
                let mut inner = None;
                for c in p.into_inner() {
                    if c.as_rule() != Rule::neg_not {
                        inner = Some(self.expr(c, depth + nots));
                    }
                }
                let mut e = inner.unwrap_or_else(|| lit(Literal::Null, span));
                for _ in 0..nots {
                    e = Expr {
                        kind: ExprKind::Not(Box::new(e)),
                        span,
                    };
                }
                e
            }
            Rule::expr_cmp => {
                let below = depth + usize::from(p.clone().into_inner().count() > 1);
                let mut it = p.into_inner();
                let lhs = match it.next() {
                    Some(l) => self.expr(l, below),
                    None => return lit(Literal::Null, span),
                };
                match it.next() {
                    None => lhs,
                    Some(op) if op.as_rule() == Rule::is_op => {
                        let outcome = it
                            .next()
                            .map(|o| o.as_str().to_string())
                            .unwrap_or_default();
                        match lhs.kind {
                            ExprKind::Name(parts) => Expr {
                                kind: ExprKind::Is(parts, outcome),
                                span,
                            },
                            _ => {
                                self.diags.push(
                                    Diagnostic::new(
                                        Code::Syntax,
                                        "`is` takes a criterion id on its left".into(),
                                        lhs.span,
                                    )
                                    .help("write `law.child_sex_without_means is met`"),
                                );
                                lhs
                            }
                        }
                    }
                    Some(op) => {
                        let bop = match op.as_str().trim() {
                            "=" => BinOp::Eq,
                            "!=" => BinOp::Ne,
                            "<" => BinOp::Lt,
                            "<=" => BinOp::Le,
                            ">" => BinOp::Gt,
                            ">=" => BinOp::Ge,
                            _ => BinOp::In,
                        };
                        let rhs = it
                            .next()
                            .map(|r| self.expr(r, below))
                            .unwrap_or_else(|| lit(Literal::Null, span));
                        Expr {
                            kind: ExprKind::Bin(bop, Box::new(lhs), Box::new(rhs)),
                            span,
                        }
                    }
                }
            }
            Rule::expr_unary => {
                let neg = p.clone().into_inner().any(|c| c.as_rule() == Rule::neg);
                let mut inner = None;
                for c in p.into_inner() {
                    if c.as_rule() != Rule::neg {
                        inner = Some(self.expr(c, depth + usize::from(neg)));
                    }
                }
                let e = inner.unwrap_or_else(|| lit(Literal::Null, span));
                if neg {
                    Expr {
                        kind: ExprKind::Neg(Box::new(e)),
                        span,
                    }
                } else {
                    e
                }
            }
            Rule::number => lit(Literal::Num(p.as_str().parse().unwrap_or(0.0)), span),
            Rule::string => self.string_expr(p),
            Rule::kw_true => lit(Literal::Bool(true), span),
            Rule::kw_false => lit(Literal::Bool(false), span),
            Rule::kw_null => lit(Literal::Null, span),
            Rule::name => Expr {
                kind: ExprKind::Name(p.as_str().split('.').map(str::to_string).collect()),
                span,
            },
            Rule::call => {
                let mut it = p.into_inner();
                let f = next_str(&mut it);
                let args = it.map(|a| self.expr(a, depth + 1)).collect();
                Expr {
                    kind: ExprKind::Call(f, args),
                    span,
                }
            }
            Rule::list_lit => Expr {
                kind: ExprKind::List(p.into_inner().map(|a| self.expr(a, depth + 1)).collect()),
                span,
            },
            _ => self.expr_fallback(p, depth),
        }
    }

    fn expr_fallback(&mut self, p: Pair<Rule>, depth: usize) -> Expr {
        let span = self.span(&p);
        match p.into_inner().next() {
            Some(i) => self.expr(i, depth),
            None => lit(Literal::Null, span),
        }
    }
}

/// The first pair below `p` that is more than a level of the precedence
/// grammar: `(x)` is `expr > coalesce > expr_or > expr_and > expr_not >
/// expr_cmp > expr_add > expr_mul > expr_unary > ...` with one child each.
/// Skipping them in a loop keeps the builder's recursion to one call per
/// node of the tree (ten per bracket would overflow a small stack long
/// before the nesting limit).
fn pass_through(mut p: Pair<Rule>) -> Pair<Rule> {
    loop {
        let level = matches!(
            p.as_rule(),
            Rule::expr
                | Rule::template_expr
                | Rule::coalesce
                | Rule::expr_or
                | Rule::expr_and
                | Rule::expr_not
                | Rule::expr_cmp
                | Rule::expr_add
                | Rule::expr_mul
                | Rule::expr_unary
        );
        if !level {
            return p;
        }
        let mut inner = p.clone().into_inner();
        match (inner.next(), inner.next()) {
            (Some(only), None) => p = only,
            _ => return p,
        }
    }
}

fn next_str(it: &mut pest::iterators::Pairs<Rule>) -> String {
    it.next()
        .map(|p| p.as_str().to_string())
        .unwrap_or_default()
}

fn lit(l: Literal, span: Span) -> Expr {
    Expr {
        kind: ExprKind::Lit(l),
        span,
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
