//! Pest pairs -> declarations: pack, source, type, facts, param, def,
//! judgment, criterion, exception, placement, rationale, warn and lever,
//! with their metadata, `let`s, branches and types. Expressions inside
//! them are built by `expr.rs`.

use super::{lit, Builder, Rule};
use crate::syntax::ast::*;
use pest::iterators::{Pair, Pairs};

/// What criteria, exceptions and placement steps have in common: a name
/// (a criterion id, the criterion an exception is to, a step's name),
/// metadata, `let`s and branches.
struct RuleBody {
    name: String,
    name_span: Span,
    meta: Meta,
    lets: Vec<Let>,
    branches: Vec<Branch>,
}

impl Builder {
    pub(super) fn item(&mut self, p: Pair<Rule>, out: &mut File) {
        let span = self.span(&p);
        match p.as_rule() {
            Rule::pack => out.packs.push(self.pack(p, span)),
            Rule::source_decl => out.sources.push(self.source_decl(p, span)),
            Rule::type_decl => out.types.push(self.type_decl(p, span)),
            Rule::facts => {
                let mut it = p.into_inner();
                if let Some(rec) = self.next(&mut it, "record of facts", span) {
                    out.facts.push((self.record_fields(rec), span));
                }
            }
            Rule::param => out.params.push(self.param(p, span)),
            Rule::def => out.defs.push(self.def(p, span)),
            Rule::judgment => out.judgments.push(self.judgment(p, span)),
            Rule::criterion => {
                let body = self.rule_body(p);
                out.criteria.push(Criterion {
                    id: body.name,
                    meta: body.meta,
                    lets: body.lets,
                    branches: body.branches,
                    span,
                    id_span: body.name_span,
                });
            }
            Rule::exception => {
                let body = self.rule_body(p);
                out.exceptions.push(Exception {
                    target: body.name,
                    meta: body.meta,
                    lets: body.lets,
                    branches: body.branches,
                    span,
                    target_span: body.name_span,
                });
            }
            Rule::placement => out.placements.push(self.placement(p, span)),
            Rule::rationale => self.rationale(p, &mut out.rationale),
            Rule::warn => out.warns.push(self.warn(p, span)),
            Rule::lever => out.levers.push(self.lever(p, span)),
            Rule::EOI => {}
            _ => self.unexpected(&p, "the list of declarations"),
        }
    }

    fn type_decl(&mut self, p: Pair<Rule>, span: Span) -> TypeDecl {
        let mut it = p.into_inner();
        let name = self.next_str(&mut it, "name of a type", span);
        let ty = match self.next(&mut it, "type of a type declaration", span) {
            Some(t) => self.type_expr(t),
            None => TypeExpr::Text,
        };
        TypeDecl { name, ty, span }
    }

    fn def(&mut self, p: Pair<Rule>, span: Span) -> Def {
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
                _ => self.unexpected(&c, "a `def`"),
            }
        }
        let body = self.need(body, "body of a `def`", span);
        Def {
            name,
            params,
            body,
            span,
        }
    }

    fn judgment(&mut self, p: Pair<Rule>, span: Span) -> Judgment {
        let mut name = String::new();
        let mut meta = Meta::default();
        let mut found = None;
        let mut lets = vec![];
        let mut branches = vec![];
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::ident => name = c.as_str().to_string(),
                Rule::found => {
                    let cspan = self.span(&c);
                    found =
                        Some(self.next_expr(&mut c.into_inner(), "`found` expression", cspan, 0));
                }
                Rule::let_decl => lets.push(self.let_decl(c)),
                Rule::branch => branches.push(self.branch(c)),
                _ => self.meta(c, &mut meta),
            }
        }
        let found = self.need(found, "`found` of a judgment", span);
        Judgment {
            name,
            meta,
            found,
            lets,
            branches,
            span,
        }
    }

    fn placement(&mut self, p: Pair<Rule>, span: Span) -> Placement {
        let mut it = p.into_inner();
        let tier_type = self.next_str(&mut it, "tier type of a placement", span);
        let mut steps = vec![];
        for s in it {
            let kind = match s.as_rule() {
                Rule::decide => StepKind::Decide,
                Rule::adjust => StepKind::Adjust,
                _ => {
                    self.unexpected(&s, "a placement");
                    continue;
                }
            };
            let sspan = self.span(&s);
            let body = self.rule_body(s);
            steps.push(Step {
                kind,
                name: body.name,
                meta: body.meta,
                lets: body.lets,
                branches: body.branches,
                span: sspan,
            });
        }
        Placement {
            tier_type,
            steps,
            span,
        }
    }

    fn rationale(&mut self, p: Pair<Rule>, out: &mut Vec<RationaleItem>) {
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::say => {
                    let cspan = self.span(&c);
                    let mut it = c.into_inner();
                    let text = match self.next(&mut it, "text of a `say`", cspan) {
                        Some(s) => self.string_expr(s),
                        None => lit(Literal::Null, cspan),
                    };
                    let when = it.next().map(|w| self.when_cond(w));
                    out.push(RationaleItem::Say { text, when });
                }
                Rule::choose => {
                    let bs = c.into_inner().map(|b| self.branch(b)).collect();
                    out.push(RationaleItem::Choose(bs));
                }
                Rule::paragraph => out.push(RationaleItem::Paragraph),
                _ => self.unexpected(&c, "a rationale"),
            }
        }
    }

    /// The condition of a `when_cond` pair.
    fn when_cond(&mut self, p: Pair<Rule>) -> Expr {
        let span = self.span(&p);
        if p.as_rule() != Rule::when_cond {
            self.unexpected(&p, "place of a `when`");
            return lit(Literal::Null, span);
        }
        self.next_expr(&mut p.into_inner(), "condition after `when`", span, 0)
    }

    fn warn(&mut self, p: Pair<Rule>, span: Span) -> Warn {
        let mut each = None;
        let mut when = None;
        let mut message = None;
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::warn_for => {
                    let cspan = self.span(&c);
                    let mut it = c.into_inner();
                    let var = self.next_str(&mut it, "variable of `warn for`", cspan);
                    let list = self.next_expr(&mut it, "list of `warn for`", cspan, 0);
                    each = Some((var, list));
                }
                Rule::when_cond => when = Some(self.when_cond(c)),
                Rule::expr => message = Some(self.expr(c, 0)),
                _ => self.unexpected(&c, "a `warn`"),
            }
        }
        let when = self.need(when, "`when` of a `warn`", span);
        let message = self.need(message, "message of a `warn`", span);
        Warn {
            each,
            when,
            message,
            span,
        }
    }

    fn lever(&mut self, p: Pair<Rule>, span: Span) -> Lever {
        let mut name = String::new();
        let mut meta = Meta::default();
        let mut recommend = None;
        let mut sets = vec![];
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::ident => name = c.as_str().to_string(),
                Rule::recommend => {
                    let cspan = self.span(&c);
                    let mut it = c.into_inner();
                    recommend = Some(self.next_string(&mut it, "text of `recommend`", cspan));
                }
                Rule::lever_set => {
                    let sspan = self.span(&c);
                    let mut it = c.into_inner();
                    let path = self.next_str(&mut it, "path of a `set`", sspan);
                    let value = self.next_literal(&mut it, "value of a `set`", sspan);
                    sets.push(LeverSet {
                        path,
                        value,
                        span: sspan,
                    });
                }
                _ => self.meta(c, &mut meta),
            }
        }
        Lever {
            name,
            meta,
            recommend,
            sets,
            span,
        }
    }

    fn pack(&mut self, p: Pair<Rule>, span: Span) -> Pack {
        let mut it = p.into_inner();
        let name = self.next_str(&mut it, "name of the pack", span);
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
            let fspan = self.span(&f);
            let Some(f) = self.next(&mut f.into_inner(), "pack field", fspan) else {
                continue;
            };
            let fspan = self.span(&f);
            match f.as_rule() {
                Rule::title => {
                    pack.title = Some(self.next_string(&mut f.into_inner(), "title", fspan))
                }
                Rule::source => {
                    pack.source = Some(self.next_string(&mut f.into_inner(), "source", fspan))
                }
                Rule::editions => pack.editions = f.into_inner().map(|n| self.number(&n)).collect(),
                Rule::pack_role => {
                    let role = f
                        .as_str()
                        .split_whitespace()
                        .next()
                        .unwrap_or_default()
                        .to_string();
                    let value =
                        self.next_str(&mut f.clone().into_inner(), "fact of a pack role", fspan);
                    match role.as_str() {
                        "edition_fact" => pack.edition_fact = Some(value),
                        "findings_fact" => pack.findings_fact = Some(value),
                        _ => self.unexpected(&f, "the pack's roles"),
                    }
                }
                _ => self.unexpected(&f, "a pack"),
            }
        }
        pack
    }

    fn source_decl(&mut self, p: Pair<Rule>, span: Span) -> SourceDecl {
        let mut it = p.into_inner();
        let id_pair = self.next(&mut it, "id of a source", span);
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
            let fspan = self.span(&f);
            let Some(f) = self.next(&mut f.into_inner(), "source field", fspan) else {
                continue;
            };
            let fspan = self.span(&f);
            let rule = f.as_rule();
            let mut value = f.clone().into_inner();
            match rule {
                Rule::title => src.title = Some(self.next_string(&mut value, "title", fspan)),
                Rule::publisher => {
                    src.publisher = Some(self.next_string(&mut value, "publisher", fspan))
                }
                Rule::url => src.url = Some(self.next_string(&mut value, "url", fspan)),
                Rule::note => src.note = Some(self.next_string(&mut value, "note", fspan)),
                Rule::source_edition => {
                    src.edition = self
                        .next(&mut value, "edition", fspan)
                        .map(|n| self.number(&n))
                }
                _ => self.unexpected(&f, "a source"),
            }
        }
        src
    }

    fn meta(&mut self, p: Pair<Rule>, meta: &mut Meta) {
        let span = self.span(&p);
        match p.as_rule() {
            Rule::title => meta.title = Some(self.next_string(&mut p.into_inner(), "title", span)),
            Rule::note => meta.note = Some(self.next_string(&mut p.into_inner(), "note", span)),
            Rule::pillar => meta.pillar = Some(self.next_str(&mut p.into_inner(), "pillar", span)),
            Rule::cites => {
                for c in p.into_inner() {
                    meta.cite_spans.push(self.span(&c));
                    let cite = self.string(c);
                    meta.cites.push(cite);
                }
            }
            _ => self.unexpected(&p, "a declaration's metadata"),
        }
    }

    fn rule_body(&mut self, p: Pair<Rule>) -> RuleBody {
        let mut body = RuleBody {
            name: String::new(),
            name_span: self.span(&p),
            meta: Meta::default(),
            lets: vec![],
            branches: vec![],
        };
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::name | Rule::ident => {
                    body.name_span = self.span(&c);
                    body.name = c.as_str().to_string();
                }
                Rule::let_decl => body.lets.push(self.let_decl(c)),
                Rule::branch => body.branches.push(self.branch(c)),
                _ => self.meta(c, &mut body.meta),
            }
        }
        body
    }

    pub(super) fn let_decl(&mut self, p: Pair<Rule>) -> Let {
        let span = self.span(&p);
        let mut it = p.into_inner();
        let name = self.next_str(&mut it, "name of a `let`", span);
        let value = self.next_expr(&mut it, "value of a `let`", span, 0);
        Let { name, value, span }
    }

    fn branch(&mut self, p: Pair<Rule>) -> Branch {
        let span = self.span(&p);
        let mut when = None;
        let mut result = None;
        let mut because = None;
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::when_cond => when = Some(self.when_cond(c)),
                Rule::otherwise => {}
                Rule::expr => result = Some(self.expr(c, 0)),
                Rule::because => {
                    let cspan = self.span(&c);
                    let text = self.next(&mut c.into_inner(), "text of `because`", cspan);
                    because = text.map(|s| self.string_expr(s));
                }
                _ => self.unexpected(&c, "a branch"),
            }
        }
        let result = self.need(result, "result of a branch", span);
        Branch {
            when,
            result,
            because,
            span,
        }
    }

    fn record_fields(&mut self, p: Pair<Rule>) -> Vec<FieldDecl> {
        p.into_inner().map(|f| self.field_decl(f)).collect()
    }

    fn field_decl(&mut self, f: Pair<Rule>) -> FieldDecl {
        let span = self.span(&f);
        let mut field = FieldDecl {
            name: String::new(),
            ty: TypeExpr::Text,
            required: false,
            range: None,
            doc: None,
            span,
        };
        for c in f.into_inner() {
            match c.as_rule() {
                Rule::ident => field.name = c.as_str().to_string(),
                Rule::type_expr => field.ty = self.type_expr(c),
                Rule::required => field.required = true,
                Rule::range => field.range = Some(self.range(c)),
                Rule::string => field.doc = Some(self.string(c)),
                _ => self.unexpected(&c, "a field declaration"),
            }
        }
        field
    }

    /// `in LO..HI`, either end optional.
    fn range(&mut self, p: Pair<Rule>) -> (Option<f64>, Option<f64>) {
        let text = p.as_str().trim_start_matches("in").trim();
        let Some((lo, hi)) = text.split_once("..") else {
            self.unexpected(&p, "a range without `..`");
            return (None, None);
        };
        (lo.trim().parse().ok(), hi.trim().parse().ok())
    }

    fn type_expr(&mut self, p: Pair<Rule>) -> TypeExpr {
        let inner = match p.as_rule() {
            Rule::type_expr => {
                let span = self.span(&p);
                match self.next(&mut p.into_inner(), "type", span) {
                    Some(i) => i,
                    None => return TypeExpr::Text,
                }
            }
            _ => p,
        };
        let span = self.span(&inner);
        match inner.as_rule() {
            Rule::list_type => match self.next(&mut inner.into_inner(), "element type", span) {
                Some(t) => TypeExpr::List(Box::new(self.type_expr(t))),
                None => TypeExpr::Text,
            },
            Rule::record_type => TypeExpr::Record(self.record_fields(inner)),
            Rule::enum_type => {
                TypeExpr::Enum(inner.into_inner().map(|v| self.variant(v)).collect())
            }
            Rule::prim_type => match inner.as_str() {
                "bool" => TypeExpr::Bool,
                "number" => TypeExpr::Number,
                "text" => TypeExpr::Text,
                _ => {
                    self.unexpected(&inner, "a type");
                    TypeExpr::Text
                }
            },
            Rule::type_ref => TypeExpr::Ref(inner.as_str().to_string(), span),
            _ => {
                self.unexpected(&inner, "a type");
                TypeExpr::Text
            }
        }
    }

    /// A word of an enum type: a string or a bare name.
    fn variant(&mut self, p: Pair<Rule>) -> String {
        let span = self.span(&p);
        match self.next(&mut p.into_inner(), "enum word", span) {
            Some(v) if v.as_rule() == Rule::string => self.string(v),
            Some(v) => v.as_str().to_string(),
            None => String::new(),
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
                    let year = match self.next(&mut it, "year of a parameter value", vspan) {
                        Some(n) => self.number(&n),
                        None => 0.0,
                    };
                    let value = self.next_literal(&mut it, "parameter value", vspan);
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

    /// The literal of the next pair of `it` (a `literal` pair).
    fn next_literal(&mut self, it: &mut Pairs<Rule>, what: &str, span: Span) -> Literal {
        let Some(p) = self.next(it, what, span) else {
            return Literal::Null;
        };
        let pspan = self.span(&p);
        let inner = match p.as_rule() {
            Rule::literal => match self.next(&mut p.into_inner(), what, pspan) {
                Some(i) => i,
                None => return Literal::Null,
            },
            _ => p,
        };
        match inner.as_rule() {
            Rule::number => Literal::Num(self.number(&inner)),
            Rule::string => Literal::Text(self.string(inner)),
            Rule::kw_true => Literal::Bool(true),
            Rule::kw_false => Literal::Bool(false),
            Rule::kw_null => Literal::Null,
            _ => {
                self.unexpected(&inner, "a literal");
                Literal::Null
            }
        }
    }
}
