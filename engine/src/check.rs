//! Static checks: resolve every name, type every expression, find cycles,
//! and compile the AST into a [`RulePack`]. Every problem is reported at
//! once, each with a stable code.

use crate::diag::{did_you_mean, Code, Diagnostic, SourceMap};
use crate::pack::*;
use crate::syntax::ast::{
    self, BinOp, Branch, ExprKind, Literal, QuantKind, Span, TemplatePart, TypeExpr,
};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

/// Checks a merged pack and compiles it. On failure, every diagnostic.
pub fn check(file: ast::File, sources: SourceMap) -> Result<RulePack, Vec<Diagnostic>> {
    let mut c = Checker::new(sources);
    let pack = c.run(file);
    let errors: Vec<Diagnostic> = c.diags.iter().filter(|d| d.is_error()).cloned().collect();
    match pack {
        Some(p) if errors.is_empty() => Ok(p),
        _ => Err(c.diags),
    }
}

/// What a name refers to at the top level.
#[derive(Clone)]
enum Global {
    Param(usize, Ty),
    Def(usize),
    Judgment(usize),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    /// Criteria, judgments, defs: no `tier`, no `criteria`.
    Rule,
    /// Placement, rationale, warnings.
    Placement,
}

/// A node of the dependency graph.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Node {
    Criterion(usize),
    Def(usize),
    Judgment(usize),
}

struct Scope {
    locals: Vec<(String, Ty)>,
    max: usize,
    ctx: Ctx,
    deps: HashSet<Node>,
    /// The first of `tier`, `criteria`, `levers` read here, and where.
    placement_read: Option<(String, Span)>,
}

impl Scope {
    fn new(ctx: Ctx) -> Scope {
        Scope {
            locals: vec![],
            max: 0,
            ctx,
            deps: HashSet::new(),
            placement_read: None,
        }
    }
    fn push(&mut self, name: &str, ty: Ty) -> usize {
        self.locals.push((name.to_string(), ty));
        self.max = self.max.max(self.locals.len());
        self.locals.len() - 1
    }
}

struct Checker {
    sources: SourceMap,
    diags: Vec<Diagnostic>,
    types: HashMap<String, (TypeExpr, Span)>,
    root: Rc<RecTy>,
    globals: HashMap<String, Global>,
    def_sigs: Vec<(String, Vec<String>, Ty)>,
    def_asts: Vec<ast::Def>,
    inline_depth: usize,
    /// How deep the expression being compiled nests, defs written out.
    expr_depth: usize,
    /// Whether [`crate::syntax::parse::MAX_EXPR_DEPTH`] was passed (reported once).
    too_deep: bool,
    /// The deepest `expr_depth` since the item being compiled began.
    deepest: usize,
    /// How deep each def, judgment and criterion body nests on its own.
    body_depth: HashMap<Node, usize>,
    /// The defs that read `tier`, `criteria` or `levers` themselves (the
    /// name and where), which criteria and judgments may not read.
    def_placement: HashMap<usize, (String, Span)>,
    judgment_tys: Vec<Ty>,
    criteria_ids: HashMap<String, usize>,
    tier_variants: Rc<Vec<String>>,
    criteria_rec: Rc<RecTy>,
    levers_rec: Rc<RecTy>,
}

fn err(code: Code, msg: impl Into<String>, span: Span) -> Diagnostic {
    Diagnostic::new(code, msg.into(), span)
}

fn const_of(l: &Literal) -> Const {
    match l {
        Literal::Num(n) => Const::Num(*n),
        Literal::Text(s) => Const::Text(s.as_str().into()),
        Literal::Bool(b) => Const::Bool(*b),
        Literal::Null => Const::Null,
    }
}

fn const_ty(c: &Const) -> Ty {
    match c {
        Const::Null => Ty::Null,
        Const::Bool(_) => Ty::Bool,
        Const::Num(_) => Ty::Num,
        Const::Text(_) => Ty::Text,
    }
}

impl Checker {
    fn new(sources: SourceMap) -> Checker {
        let outcome_ty = Ty::Enum(Rc::new(
            Outcome::ALL
                .iter()
                .map(|o| o.as_str().to_string())
                .collect(),
        ));
        let criteria_rec = Rc::new(RecTy {
            fields: ["id", "title", "outcome", "pillar", "reason"]
                .iter()
                .map(|n| FieldTy {
                    name: (*n).into(),
                    ty: if *n == "outcome" {
                        outcome_ty.clone()
                    } else {
                        Ty::Text
                    },
                    required: true,
                    range: None,
                    doc: None,
                })
                .collect(),
        });
        let text_field = |n: &str, ty: Ty| FieldTy {
            name: n.into(),
            ty,
            required: true,
            range: None,
            doc: None,
        };
        let levers_rec = Rc::new(RecTy {
            fields: vec![
                text_field("name", Ty::Text),
                text_field("title", Ty::Text),
                text_field("pillar", Ty::Text),
                text_field("recommend", Ty::Text),
                text_field("fixes", Ty::List(Box::new(Ty::Text))),
            ],
        });
        Checker {
            sources,
            diags: vec![],
            types: HashMap::new(),
            root: Rc::new(RecTy { fields: vec![] }),
            globals: HashMap::new(),
            def_sigs: vec![],
            def_asts: vec![],
            inline_depth: 0,
            expr_depth: 0,
            too_deep: false,
            deepest: 0,
            body_depth: HashMap::new(),
            def_placement: HashMap::new(),
            judgment_tys: vec![],
            criteria_ids: HashMap::new(),
            tier_variants: Rc::new(vec![]),
            criteria_rec,
            levers_rec,
        }
    }

    fn run(&mut self, file: ast::File) -> Option<RulePack> {
        // pack metadata
        let pack = match file.packs.as_slice() {
            [] => {
                self.diags.push(
                    err(Code::MissingPack, "no `pack` declaration", Span::default()).help(
                        "add `pack NAME { title \"...\" editions 2017, 2023 }` to one rule file",
                    ),
                );
                return None;
            }
            [p, rest @ ..] => {
                for other in rest {
                    self.diags.push(err(
                        Code::DuplicateName,
                        format!("a second `pack` declaration (`{}`)", other.name),
                        other.span,
                    ));
                }
                p.clone()
            }
        };

        // public sources, and the cites that name them
        let cite_sources = self.cite_sources(&file);

        // types
        for t in &file.types {
            if self
                .types
                .insert(t.name.clone(), (t.ty.clone(), t.span))
                .is_some()
            {
                self.diags.push(err(
                    Code::DuplicateName,
                    format!("type `{}` is declared twice", t.name),
                    t.span,
                ));
            }
        }

        // every declared type must resolve, used or not
        for t in &file.types {
            self.resolve_type(&t.ty, 0);
        }

        // facts: several `facts` blocks merge into one root record
        let mut fields: Vec<FieldTy> = vec![];
        let mut seen: HashMap<String, Span> = HashMap::new();
        for (decls, _) in &file.facts {
            for d in decls {
                if let Some(prev) = seen.get(&d.name) {
                    let (l, _) = self.sources.line_col(prev.file, prev.start);
                    self.diags.push(
                        err(
                            Code::DuplicateField,
                            format!("fact `{}` is declared twice", d.name),
                            d.span,
                        )
                        .help(format!("first declared at line {l}")),
                    );
                    continue;
                }
                seen.insert(d.name.clone(), d.span);
                fields.push(self.field(d, 0));
            }
        }
        self.root = Rc::new(RecTy { fields });
        let edition_field = self.role_field(pack.edition_fact.as_deref(), &pack, "edition_fact");
        let findings_field = self.role_field(pack.findings_fact.as_deref(), &pack, "findings_fact");

        // placement type (needed before anything mentions `tier`)
        let placement = match file.placements.as_slice() {
            [] => {
                self.diags.push(
                    err(Code::MissingPlacement, "no `placement` block", pack.span)
                        .help("add `placement tier { decide ... }`"),
                );
                None
            }
            [p, rest @ ..] => {
                // several blocks (e.g. one per file) add their steps in order
                let mut merged = p.clone();
                for other in rest {
                    if other.tier_type != p.tier_type {
                        self.diags.push(err(
                            Code::TypeMismatch,
                            format!(
                                "this `placement` places a `{}`, the first one a `{}`",
                                other.tier_type, p.tier_type
                            ),
                            other.span,
                        ));
                    }
                    merged.steps.extend(other.steps.iter().cloned());
                }
                Some(merged)
            }
        };
        if let Some(p) = &placement {
            match self.resolve_type(&TypeExpr::Ref(p.tier_type.clone(), p.span), 0) {
                Ty::Enum(v) => self.tier_variants = v,
                other => self.diags.push(err(
                    Code::TypeMismatch,
                    format!(
                        "placement type `{}` must be an enum, found {}",
                        p.tier_type,
                        other.describe()
                    ),
                    p.span,
                )),
            }
        }

        // globals: params, defs, judgments
        let mut params = vec![];
        for p in &file.params {
            let ty = self.resolve_type(&p.ty, 0);
            let mut values: Vec<(f64, Const)> = vec![];
            let mut spans = vec![];
            for (year, lit, span) in &p.values {
                let c = const_of(lit);
                if !const_ty(&c).fits(&ty) {
                    self.diags.push(err(
                        Code::BadParam,
                        format!(
                            "parameter `{}` is declared {} but its value from {year} is {}",
                            p.name,
                            ty.describe(),
                            const_ty(&c).describe()
                        ),
                        *span,
                    ));
                }
                if let Some((prev, _)) = values.last() {
                    if *year <= *prev {
                        self.diags.push(err(
                            Code::BadParam,
                            format!(
                                "parameter `{}`: years must ascend ({year} after {prev})",
                                p.name
                            ),
                            *span,
                        ));
                    }
                }
                self.variant_check(&ty, &c, *span);
                values.push((*year, c));
                spans.push(*span);
            }
            self.declare(&p.name, Global::Param(params.len(), ty), p.span);
            params.push(CParam {
                name: p.name.clone(),
                meta: p.meta.clone(),
                values,
                spans,
            });
        }
        self.def_asts = file.defs.clone();
        for (i, d) in file.defs.iter().enumerate() {
            self.declare(&d.name, Global::Def(i), d.span);
            self.def_sigs
                .push((d.name.clone(), d.params.clone(), Ty::Null));
        }
        for (i, j) in file.judgments.iter().enumerate() {
            self.declare(&j.name, Global::Judgment(i), j.span);
            self.judgment_tys.push(Ty::Null);
        }

        // criteria ids
        let mut criteria_spans: HashMap<String, Span> = HashMap::new();
        for (i, c) in file.criteria.iter().enumerate() {
            if let Some(prev) = criteria_spans.get(&c.id) {
                let loc = self.sources.location(*prev);
                self.diags.push(
                    err(
                        Code::DuplicateCriterion,
                        format!("criterion `{}` is declared twice", c.id),
                        c.id_span,
                    )
                    .help(format!("first declared at {loc}")),
                );
                continue;
            }
            criteria_spans.insert(c.id.clone(), c.id_span);
            self.criteria_ids.insert(c.id.clone(), i);
        }

        // Def types are inferred in order of declaration; a def that uses a
        // later def sees its type once compiled (two passes suffice for the
        // non-recursive defs the cycle check allows).
        let mut graph: HashMap<Node, (HashSet<Node>, Span, String)> = HashMap::new();
        let mut defs: Vec<CDef> = vec![];
        for pass in 0..2 {
            let before = self.diags.len();
            defs.clear();
            for (i, d) in file.defs.iter().enumerate() {
                // defs may read `tier` and `criteria`: they are known
                // (not unknown) only once placement has run
                let mut scope = Scope::new(Ctx::Placement);
                self.deepest = 0;
                let (body, ty) = if d.params.is_empty() {
                    self.expr(&d.body, &mut scope)
                } else if (d.name == "tier_label" || d.name == "tier_rank") && d.params.len() == 1 {
                    // the output hook: called by the engine with a tier
                    scope.push(&d.params[0], Ty::Enum(self.tier_variants.clone()));
                    self.expr(&d.body, &mut scope)
                } else {
                    // checked where it is called, with the arguments' types
                    (CExpr::Const(Const::Null), Ty::Null)
                };
                self.def_sigs[i].2 = ty.clone();
                self.body_depth.insert(Node::Def(i), self.deepest);
                if let Some(r) = scope.placement_read.take() {
                    self.def_placement.insert(i, r);
                }
                graph.insert(
                    Node::Def(i),
                    (scope.deps, d.span, format!("def `{}`", d.name)),
                );
                defs.push(CDef {
                    name: d.name.clone(),
                    arity: d.params.len(),
                    body,
                    frame: scope.max,
                    ty,
                });
            }
            if pass == 0 {
                self.diags.truncate(before);
            }
        }

        let mut judgments = vec![];
        for (i, j) in file.judgments.iter().enumerate() {
            let mut scope = Scope::new(Ctx::Rule);
            self.deepest = 0;
            let (found, fty) = self.expr(&j.found, &mut scope);
            self.judgment_tys[i] = fty.clone();
            let body = self.body(
                &j.lets,
                &j.branches,
                &mut scope,
                Expected::Value(fty.clone()),
                None,
            );
            self.body_depth.insert(Node::Judgment(i), self.deepest);
            graph.insert(
                Node::Judgment(i),
                (scope.deps, j.span, format!("judgment `{}`", j.name)),
            );
            judgments.push(CJudgment {
                name: j.name.clone(),
                meta: j.meta.clone(),
                found,
                body,
                ty: fty,
            });
        }

        let mut criteria = vec![];
        for (i, c) in file.criteria.iter().enumerate() {
            if self.criteria_ids.get(&c.id) != Some(&i) {
                continue;
            }
            let mut scope = Scope::new(Ctx::Rule);
            self.deepest = 0;
            // exceptions come first: they override the general rule
            let mut exc_branches: Vec<CBranch> = vec![];
            let mut exc_lets = vec![];
            for e in file.exceptions.iter().filter(|e| e.target == c.id) {
                let label = e.meta.title.clone().unwrap_or_else(|| "exception".into());
                let b = self.body(
                    &e.lets,
                    &e.branches,
                    &mut scope,
                    Expected::Outcome,
                    Some(&label),
                );
                if let Some(o) = e.branches.iter().find(|b| b.when.is_none()) {
                    self.diags.push(
                        err(
                            Code::UnreachableBranch,
                            "an exception cannot have `otherwise`",
                            o.span,
                        )
                        .help("an exception applies only `when` its condition holds"),
                    );
                }
                exc_lets.extend(b.lets);
                exc_branches.extend(b.branches);
            }
            let mut body = self.body(&c.lets, &c.branches, &mut scope, Expected::Outcome, None);
            if !exc_branches.is_empty() {
                exc_lets.append(&mut body.lets);
                body.lets = exc_lets;
                exc_branches.append(&mut body.branches);
                body.branches = exc_branches;
            }
            body.frame = scope.max;
            self.require_otherwise(&c.branches, c.span, &format!("criterion `{}`", c.id));
            self.body_depth
                .insert(Node::Criterion(criteria.len()), self.deepest);
            graph.insert(
                Node::Criterion(criteria.len()),
                (scope.deps, c.id_span, format!("criterion `{}`", c.id)),
            );
            criteria.push(CCriterion {
                id: c.id.clone(),
                meta: c.meta.clone(),
                body,
                span: c.span,
            });
        }
        for e in &file.exceptions {
            if !self.criteria_ids.contains_key(&e.target) {
                let hint = self.suggest(&e.target, self.criteria_ids.keys().map(String::as_str));
                let mut d = err(
                    Code::UnknownCriterion,
                    format!("exception to unknown criterion `{}`", e.target),
                    e.target_span,
                );
                if let Some(h) = hint {
                    d = d.help(format!("did you mean `{h}`?"));
                }
                self.diags.push(d);
            }
        }
        let before_cycles = self.diags.len();
        self.cycles(&graph);
        self.placement_reads(&graph);
        if self.diags.len() == before_cycles {
            self.chain_depth(&graph);
        }

        // placement
        let mut steps = vec![];
        if let Some(p) = &placement {
            let tier_ty = Ty::Enum(self.tier_variants.clone());
            for s in &p.steps {
                let mut scope = Scope::new(Ctx::Placement);
                let body = self.body(
                    &s.lets,
                    &s.branches,
                    &mut scope,
                    Expected::Value(tier_ty.clone()),
                    None,
                );
                steps.push(CStep {
                    name: s.name.clone(),
                    decide: s.kind == ast::StepKind::Decide,
                    meta: s.meta.clone(),
                    body,
                });
            }
        }

        // rationale
        let mut rationale = vec![];
        for item in &file.rationale {
            match item {
                ast::RationaleItem::Say { text, when } => {
                    let mut scope = Scope::new(Ctx::Placement);
                    let (t, _) = self.expr(text, &mut scope);
                    let w = when.as_ref().map(|w| self.bool_expr(w, &mut scope));
                    rationale.push(CRationale::Say(t, w, scope.max));
                }
                ast::RationaleItem::Choose(bs) => {
                    let mut scope = Scope::new(Ctx::Placement);
                    let body = self.body(&[], bs, &mut scope, Expected::Value(Ty::Text), None);
                    rationale.push(CRationale::Choose(body));
                }
                ast::RationaleItem::Paragraph => rationale.push(CRationale::Paragraph),
            }
        }

        // warnings
        let mut warns = vec![];
        for w in &file.warns {
            let mut scope = Scope::new(Ctx::Placement);
            let each = w.each.as_ref().map(|(var, list)| {
                let (l, lty) = self.expr(list, &mut scope);
                let elem = match lty {
                    Ty::List(t) => *t,
                    Ty::Null => Ty::Null,
                    other => {
                        self.diags.push(err(
                            Code::TypeMismatch,
                            format!("`warn for` needs a list, found {}", other.describe()),
                            list.span,
                        ));
                        Ty::Null
                    }
                };
                scope.push(var, elem);
                l
            });
            let when = self.bool_expr(&w.when, &mut scope);
            let (message, _) = self.expr(&w.message, &mut scope);
            warns.push(CWarn {
                each,
                when,
                message,
                frame: scope.max,
            });
        }

        // levers
        let mut levers = vec![];
        for l in &file.levers {
            let mut sets = vec![];
            for s in &l.sets {
                match self.lever_path(&s.path, s.span) {
                    Some((segs, ty)) => {
                        let c = const_of(&s.value);
                        if !const_ty(&c).fits(&ty) {
                            self.diags.push(err(
                                Code::BadLever,
                                format!(
                                    "lever `{}` sets `{}` ({}) to a {}",
                                    l.name,
                                    s.path,
                                    ty.describe(),
                                    const_ty(&c).describe()
                                ),
                                s.span,
                            ));
                        }
                        self.variant_check(&ty, &c, s.span);
                        // the checks a facts file's value gets (range, required, edition)
                        let value = crate::facts::lever_value(&c);
                        if let Some((_, msg, help)) = crate::facts::path_problem(
                            &self.root,
                            edition_field,
                            &segs,
                            &s.path,
                            &value,
                        ) {
                            let mut d =
                                err(Code::BadLever, format!("lever `{}`: {msg}", l.name), s.span);
                            d.help = help;
                            self.diags.push(d);
                        }
                        sets.push((segs, c, s.path.clone()));
                    }
                    None => continue,
                }
            }
            levers.push(CLever {
                name: l.name.clone(),
                meta: l.meta.clone(),
                recommend: l.recommend.clone(),
                sets,
                fixes: vec![],
            });
        }
        let mut lever_names = HashSet::new();
        for l in &file.levers {
            if !lever_names.insert(&l.name) {
                self.diags.push(err(
                    Code::DuplicateName,
                    format!("lever `{}` is declared twice", l.name),
                    l.span,
                ));
            }
        }

        let previous_tier_def = defs
            .iter()
            .position(|d| d.name == "previous_tier" && d.arity == 0);
        let movement_def = defs
            .iter()
            .position(|d| d.name == "movement" && d.arity == 0);
        let tier_label_def = defs
            .iter()
            .position(|d| d.name == "tier_label" && d.arity == 1);
        let tier_rank_def = defs
            .iter()
            .position(|d| d.name == "tier_rank" && d.arity == 1);
        let mut compiled = RulePack {
            name: pack.name.clone(),
            title: pack.title.clone(),
            editions: pack.editions.clone(),
            source: pack.source.clone(),
            cite_sources,
            sources: self.sources.clone(),
            root: self.root.clone(),
            edition_field,
            findings_field,
            tier_variants: self.tier_variants.clone(),
            params,
            defs,
            judgments,
            criteria,
            steps,
            rationale,
            warns,
            levers,
            previous_tier_def,
            movement_def,
            tier_label_def,
            tier_rank_def,
            criteria_rec: self.criteria_rec.clone(),
            levers_rec: self.levers_rec.clone(),
        };
        // what each lever can fix: the criteria that read what it sets (the
        // analysis follows defs, so only on a pack that checked clean: no
        // cycles, no chains too deep)
        if self.diags.iter().any(|d| d.is_error()) {
            return Some(compiled);
        }
        let map = crate::reads::ReadMap::of(&compiled);
        let fixes: Vec<Vec<String>> = compiled
            .levers
            .iter()
            .map(|l| {
                let mut ids: Vec<String> = vec![];
                for (_, _, path) in &l.sets {
                    for r in map.readers_of(path).0 {
                        if let crate::reads::Reader::Criterion(id) = r {
                            if !ids.contains(id) {
                                ids.push(id.clone());
                            }
                        }
                    }
                }
                ids
            })
            .collect();
        for (l, f) in compiled.levers.iter_mut().zip(fixes) {
            l.fixes = f;
        }
        Some(compiled)
    }

    /// Checks the `source` declarations and that every `cites` string
    /// starts with a declared source id followed by a pinpoint.
    fn cite_sources(&mut self, file: &ast::File) -> Vec<CiteSource> {
        let mut out: Vec<CiteSource> = vec![];
        let mut seen: HashMap<&str, Span> = HashMap::new();
        for s in &file.sources {
            if let Some(prev) = seen.insert(&s.id, s.id_span) {
                let loc = self.sources.location(prev);
                self.diags.push(
                    err(
                        Code::DuplicateName,
                        format!("source `{}` is declared twice", s.id),
                        s.id_span,
                    )
                    .help(format!("the first declaration is at {loc}")),
                );
                continue;
            }
            let mut missing = vec![];
            let mut add = vec![];
            if s.title.is_none() {
                missing.push("title");
                add.push("`title \"...\"`");
            }
            if s.url.is_none() {
                missing.push("url");
                add.push("`url \"https://...\"`");
            }
            if !missing.is_empty() {
                self.diags.push(
                    err(
                        Code::BadSource,
                        format!("source `{}` has no {}", s.id, missing.join(" and ")),
                        s.id_span,
                    )
                    .help(format!(
                        "a reader follows a citation by its title and public address: add {}",
                        add.join(" and ")
                    )),
                );
                continue;
            }
            let url = s.url.clone().unwrap_or_default();
            if !(url.starts_with("https://") || url.starts_with("http://"))
                || url.contains(char::is_whitespace)
            {
                self.diags.push(
                    err(
                        Code::BadSource,
                        format!(
                            "source `{}` has url `{url}`, which is not a web address",
                            s.id
                        ),
                        s.span,
                    )
                    .help("give the public address of the document, starting with `https://`"),
                );
                continue;
            }
            out.push(CiteSource {
                id: s.id.clone(),
                title: s.title.clone().unwrap_or_default(),
                edition: s.edition,
                publisher: s.publisher.clone(),
                url,
                note: s.note.clone(),
            });
        }
        let declared: Vec<String> = file.sources.iter().map(|s| s.id.clone()).collect();
        let metas = file
            .params
            .iter()
            .map(|p| &p.meta)
            .chain(file.judgments.iter().map(|j| &j.meta))
            .chain(file.criteria.iter().map(|c| &c.meta))
            .chain(file.exceptions.iter().map(|e| &e.meta))
            .chain(
                file.placements
                    .iter()
                    .flat_map(|p| p.steps.iter().map(|s| &s.meta)),
            )
            .chain(file.levers.iter().map(|l| &l.meta));
        for meta in metas {
            for (i, cite) in meta.cites.iter().enumerate() {
                let span = meta.cite_spans.get(i).copied().unwrap_or_default();
                let id = cite_source_id(cite);
                if !declared.iter().any(|d| d == id) {
                    let mut d = err(
                        Code::UnknownSource,
                        format!("cite `{cite}` names no declared source (`{id}`)"),
                        span,
                    );
                    d = match self.suggest(id, declared.iter().map(String::as_str)) {
                        Some(near) => d.help(format!("did you mean `{near}`?")),
                        None if declared.is_empty() => d.help(format!(
                            "declare the public document it cites: `source {} {{ title \"...\" url \"https://...\" }}`, then cite it as `{} PINPOINT`",
                            if id.is_empty() { "ID" } else { id },
                            if id.is_empty() { "ID" } else { id },
                        )),
                        None => d.help(format!(
                            "a cite starts with a declared source id ({}), then a pinpoint in that document",
                            declared.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
                        )),
                    };
                    self.diags.push(d);
                } else if cite[cite.find(id).unwrap_or(0) + id.len()..]
                    .trim()
                    .is_empty()
                {
                    self.diags.push(
                        err(
                            Code::BadCite,
                            format!("cite `{cite}` names a source but no place in it"),
                            span,
                        )
                        .help(format!(
                            "after `{id}`, add a place a reader can find in the document: a statute section (`§108(a)(3)`) or a section heading (`Jamaica, Prosecution`)"
                        )),
                    );
                }
            }
        }
        out
    }

    fn role_field(&mut self, name: Option<&str>, pack: &ast::Pack, role: &str) -> Option<usize> {
        let name = name?;
        let idx = self.root.index(name);
        if idx.is_none() {
            self.diags.push(err(
                Code::UnknownFact,
                format!("`{role}` names `{name}`, which is not a declared fact"),
                pack.span,
            ));
        }
        idx
    }

    fn declare(&mut self, name: &str, g: Global, span: Span) {
        if self.globals.contains_key(name) || self.root.index(name).is_some() {
            self.diags.push(err(
                Code::DuplicateName,
                format!("`{name}` is already declared"),
                span,
            ));
            return;
        }
        self.globals.insert(name.to_string(), g);
    }

    fn field(&mut self, d: &ast::FieldDecl, depth: usize) -> FieldTy {
        FieldTy {
            name: d.name.as_str().into(),
            ty: self.resolve_type(&d.ty, depth),
            required: d.required,
            range: d.range,
            doc: d.doc.clone(),
        }
    }

    fn resolve_type(&mut self, t: &TypeExpr, depth: usize) -> Ty {
        if depth > 32 {
            return Ty::Null;
        }
        match t {
            TypeExpr::Bool => Ty::Bool,
            TypeExpr::Number => Ty::Num,
            TypeExpr::Text => Ty::Text,
            TypeExpr::Enum(v) => Ty::Enum(Rc::new(v.clone())),
            TypeExpr::List(inner) => Ty::List(Box::new(self.resolve_type(inner, depth + 1))),
            TypeExpr::Record(fields) => {
                let mut seen = HashSet::new();
                let mut out = vec![];
                for f in fields {
                    if !seen.insert(f.name.clone()) {
                        self.diags.push(err(
                            Code::DuplicateField,
                            format!("field `{}` is declared twice", f.name),
                            f.span,
                        ));
                        continue;
                    }
                    out.push(self.field(f, depth + 1));
                }
                Ty::Record(Rc::new(RecTy { fields: out }))
            }
            TypeExpr::Ref(name, span) => match self.types.get(name).cloned() {
                Some((t, _)) => {
                    if depth > 16 {
                        self.diags.push(err(
                            Code::UnknownType,
                            format!("type `{name}` refers to itself"),
                            *span,
                        ));
                        return Ty::Null;
                    }
                    self.resolve_type(&t, depth + 1)
                }
                None => {
                    let hint = self.suggest(name, self.types.keys().map(String::as_str));
                    let mut d = err(Code::UnknownType, format!("unknown type `{name}`"), *span);
                    d = d.help(match hint {
                        Some(h) => format!("did you mean `{h}`?"),
                        None => "the types are bool, number, text, enum {...}, list of T, {...} and declared `type` names".into(),
                    });
                    self.diags.push(d);
                    Ty::Null
                }
            },
        }
    }

    fn variant_check(&mut self, ty: &Ty, c: &Const, span: Span) {
        if let (Ty::Enum(vs), Const::Text(s)) = (ty, c) {
            if !vs.iter().any(|v| **v == **s) {
                let mut d = err(
                    Code::UnknownVariant,
                    format!("`\"{s}\"` is not one of {}", ty.describe()),
                    span,
                );
                if let Some(h) = self.suggest(s, vs.iter().map(String::as_str)) {
                    d = d.help(format!("did you mean `\"{h}\"`?"));
                }
                self.diags.push(d);
            }
        }
    }

    fn lever_path(&mut self, path: &str, span: Span) -> Option<(Vec<PathSeg>, Ty)> {
        match crate::pack::resolve_path(&self.root, path) {
            Ok(x) => Some(x),
            Err((msg, help)) => {
                let mut d = err(Code::BadLever, msg, span);
                if let Some(h) = help {
                    d = d.help(h);
                }
                self.diags.push(d);
                None
            }
        }
    }

    fn require_otherwise(&mut self, branches: &[Branch], span: Span, what: &str) {
        // an `otherwise` that is not last is reported as `unreachable-branch`
        if branches.iter().all(|b| b.when.is_some()) && !branches.is_empty() {
            self.diags.push(
                err(
                    Code::MissingOtherwise,
                    format!("{what} has no `otherwise` branch"),
                    span,
                )
                .help("end the branches with `otherwise => ... because \"...\"` so every case has an outcome"),
            );
        }
    }

    fn body(
        &mut self,
        lets: &[ast::Let],
        branches: &[Branch],
        scope: &mut Scope,
        result: Expected,
        exception: Option<&str>,
    ) -> Body {
        let mut clets = vec![];
        for l in lets {
            let (e, ty) = self.expr(&l.value, scope);
            let slot = scope.push(&l.name, ty);
            clets.push((slot, e));
        }
        let mut cbranches = vec![];
        for (i, b) in branches.iter().enumerate() {
            if b.when.is_none() && i + 1 < branches.len() {
                self.diags.push(err(
                    Code::UnreachableBranch,
                    "branches after `otherwise` can never apply",
                    branches[i + 1].span,
                ));
            }
            let when = b.when.as_ref().map(|w| self.bool_expr(w, scope));
            let res = match &result {
                Expected::Outcome => self.outcome_literal(&b.result),
                Expected::Value(ty) => {
                    let (e, rty) = self.expr(&b.result, scope);
                    if !rty.fits(ty) {
                        self.diags.push(err(
                            Code::TypeMismatch,
                            format!(
                                "this branch gives {}, expected {}",
                                rty.describe(),
                                ty.describe()
                            ),
                            b.result.span,
                        ));
                    }
                    if let CExpr::Const(c) = &e {
                        self.variant_check(ty, c, b.result.span);
                    }
                    e
                }
            };
            let because = b.because.as_ref().map(|e| self.expr(e, scope).0);
            cbranches.push(CBranch {
                when,
                result: res,
                because,
                span: b.span,
                exception: exception.map(str::to_string),
            });
        }
        // let-bound names stay in scope (and keep their slots) to the end of
        // the rule, so an exception's lets and the rule's own never collide
        Body {
            lets: clets,
            branches: cbranches,
            frame: scope.max,
        }
    }

    fn outcome_literal(&mut self, e: &ast::Expr) -> CExpr {
        if let ExprKind::Name(parts) = &e.kind {
            if parts.len() == 1 {
                if let Some(o) = Outcome::parse(&parts[0]) {
                    return CExpr::Const(Const::Text(o.as_str().into()));
                }
            }
            let word = parts.join(".");
            let mut d = err(
                Code::UnknownOutcome,
                format!("`{word}` is not an outcome"),
                e.span,
            );
            d = d.help(
                match self.suggest(&word, Outcome::ALL.iter().map(|o| o.as_str())) {
                    Some(h) => format!("did you mean `{h}`?"),
                    None => {
                        "a criterion branch gives met, not_met, unknown or not_applicable".into()
                    }
                },
            );
            self.diags.push(d);
        } else {
            self.diags.push(
                err(
                    Code::UnknownOutcome,
                    "a criterion branch must give an outcome word",
                    e.span,
                )
                .help("met, not_met, unknown or not_applicable"),
            );
        }
        CExpr::Const(Const::Null)
    }

    fn bool_expr(&mut self, e: &ast::Expr, scope: &mut Scope) -> CExpr {
        self.expect_expr(e, scope, &Ty::Bool, "a condition (bool)")
    }

    fn num_expr(&mut self, e: &ast::Expr, scope: &mut Scope) -> CExpr {
        self.expect_expr(e, scope, &Ty::Num, "a number")
    }

    /// Compiles `e` and reports a mismatch unless it fits `want`.
    fn expect_expr(&mut self, e: &ast::Expr, scope: &mut Scope, want: &Ty, what: &str) -> CExpr {
        let (c, ty) = self.expr(e, scope);
        if !ty.fits(want) {
            self.diags.push(err(
                Code::TypeMismatch,
                format!("expected {what}, found {}", ty.describe()),
                e.span,
            ));
        }
        c
    }

    /// Compiles an expression; with the bodies of the defs it calls written
    /// out (inlined), it may nest at most [`crate::syntax::parse::MAX_EXPR_DEPTH`]
    /// operations deep, so that evaluating it cannot exhaust the stack.
    fn expr(&mut self, e: &ast::Expr, scope: &mut Scope) -> (CExpr, Ty) {
        if self.expr_depth >= crate::syntax::parse::MAX_EXPR_DEPTH {
            if !self.too_deep {
                self.too_deep = true;
                self.diags.push(
                    err(
                        Code::NestingTooDeep,
                        format!(
                            "with the defs it calls written out, the expression nests more than {} operations deep",
                            crate::syntax::parse::MAX_EXPR_DEPTH
                        ),
                        e.span,
                    )
                    .help("defs with parameters are written out where they are called: call fewer of them inside one another"),
                );
            }
            return (CExpr::Const(Const::Null), Ty::Null);
        }
        self.expr_depth += 1;
        self.deepest = self.deepest.max(self.expr_depth);
        let r = self.expr_at(e, scope);
        self.expr_depth -= 1;
        r
    }

    fn expr_at(&mut self, e: &ast::Expr, scope: &mut Scope) -> (CExpr, Ty) {
        match &e.kind {
            ExprKind::Lit(l) => {
                let c = const_of(l);
                let ty = const_ty(&c);
                match c {
                    Const::Num(n) => (CExpr::Num(n, e.span), ty),
                    c => (CExpr::Const(c), ty),
                }
            }
            ExprKind::Template(parts) => {
                let mut out = vec![];
                for p in parts.iter() {
                    match p {
                        TemplatePart::Text(t) => out.push(CPart::Text(t.as_str().into())),
                        TemplatePart::Expr(x) => out.push(CPart::Expr(self.expr(x, scope).0)),
                    }
                }
                (CExpr::Template(Rc::new(out)), Ty::Text)
            }
            ExprKind::Name(parts) => self.name(parts, e.span, scope),
            ExprKind::Not(a) => (CExpr::Not(Box::new(self.bool_expr(a, scope))), Ty::Bool),
            ExprKind::Neg(a) => {
                let x = self.num_expr(a, scope);
                (CExpr::Neg(Box::new(x)), Ty::Num)
            }
            ExprKind::Bin(op, a, b) => self.binary(*op, a, b, e.span, scope),
            ExprKind::Is(parts, outcome) => {
                let id = parts.join(".");
                let Some(o) = Outcome::parse(outcome) else {
                    let mut d = err(
                        Code::UnknownOutcome,
                        format!("`{outcome}` is not an outcome"),
                        e.span,
                    );
                    if let Some(h) = self.suggest(outcome, Outcome::ALL.iter().map(|o| o.as_str()))
                    {
                        d = d.help(format!("did you mean `{h}`?"));
                    }
                    self.diags.push(d);
                    return (CExpr::Const(Const::Null), Ty::Bool);
                };
                match self.criteria_ids.get(&id) {
                    Some(i) => {
                        scope.deps.insert(Node::Criterion(*i));
                        (CExpr::Is(*i, o), Ty::Bool)
                    }
                    None => {
                        let mut d = err(
                            Code::UnknownCriterion,
                            format!("unknown criterion `{id}`"),
                            e.span,
                        );
                        if let Some(h) =
                            self.suggest(&id, self.criteria_ids.keys().map(String::as_str))
                        {
                            d = d.help(format!("did you mean `{h}`?"));
                        }
                        self.diags.push(d);
                        (CExpr::Const(Const::Null), Ty::Bool)
                    }
                }
            }
            ExprKind::If(c, t, f) => {
                let cc = self.bool_expr(c, scope);
                let (tt, tty) = self.expr(t, scope);
                let (ff, fty) = self.expr(f, scope);
                if !tty.fits(&fty) {
                    self.diags.push(err(
                        Code::TypeMismatch,
                        format!(
                            "`then` gives {} but `else` gives {}",
                            tty.describe(),
                            fty.describe()
                        ),
                        e.span,
                    ));
                }
                let ty = if matches!(tty, Ty::Null) { fty } else { tty };
                (CExpr::If(Box::new(cc), Box::new(tt), Box::new(ff)), ty)
            }
            ExprKind::Quant {
                kind,
                var,
                list,
                filter,
            } => {
                let (l, elem) = self.list_expr(list, scope);
                let year_field = match &elem {
                    Ty::Record(r) => r.index("year").unwrap_or(0),
                    _ => 0,
                };
                if *kind == QuantKind::Streak {
                    let ok = match &elem {
                        Ty::Record(r) => r
                            .index("year")
                            .is_some_and(|i| matches!(r.fields[i].ty, Ty::Num)),
                        Ty::Null => true,
                        _ => false,
                    };
                    if !ok {
                        self.diags.push(
                            err(
                                Code::TypeMismatch,
                                "`streak` needs a list of records with a `year: number` field",
                                list.span,
                            )
                            .help("streak counts consecutive years before the edition year"),
                        );
                    }
                }
                let slot = scope.push(var, elem);
                let f = filter.as_ref().map(|f| Box::new(self.bool_expr(f, scope)));
                scope.locals.truncate(slot);
                let ty = match kind {
                    QuantKind::Any | QuantKind::All => Ty::Bool,
                    QuantKind::Count | QuantKind::Streak => Ty::Num,
                };
                (
                    CExpr::Quant {
                        kind: *kind,
                        slot,
                        year_field,
                        list: Box::new(l),
                        filter: f,
                    },
                    ty,
                )
            }
            ExprKind::Agg {
                kind,
                value,
                var,
                list,
                filter,
            } => {
                let (l, elem) = self.list_expr(list, scope);
                let slot = scope.push(var, elem);
                let (v, vty) = self.expr(value, scope);
                let numeric = !matches!(kind, ast::AggKind::First | ast::AggKind::Collect);
                if numeric && !vty.fits(&Ty::Num) {
                    self.diags.push(err(
                        Code::TypeMismatch,
                        format!("max, min and sum need numbers, found {}", vty.describe()),
                        value.span,
                    ));
                }
                let f = filter.as_ref().map(|f| Box::new(self.bool_expr(f, scope)));
                scope.locals.truncate(slot);
                let ty = match kind {
                    ast::AggKind::First => vty,
                    ast::AggKind::Collect => Ty::List(Box::new(vty)),
                    _ => Ty::Num,
                };
                (
                    CExpr::Agg {
                        kind: *kind,
                        slot,
                        value: Box::new(v),
                        list: Box::new(l),
                        filter: f,
                    },
                    ty,
                )
            }
            ExprKind::Call(name, args) => self.call(name, args, e.span, scope),
            ExprKind::List(items) => {
                let mut out = vec![];
                let mut ty = Ty::Null;
                for i in items {
                    let (c, t) = self.expr(i, scope);
                    if !t.fits(&ty) {
                        self.diags.push(err(
                            Code::TypeMismatch,
                            format!("list mixes {} and {}", ty.describe(), t.describe()),
                            i.span,
                        ));
                    }
                    if matches!(ty, Ty::Null) {
                        ty = t;
                    }
                    out.push(c);
                }
                (CExpr::List(out), Ty::List(Box::new(ty)))
            }
        }
    }

    fn list_expr(&mut self, e: &ast::Expr, scope: &mut Scope) -> (CExpr, Ty) {
        let (c, ty) = self.expr(e, scope);
        match ty {
            Ty::List(t) => (c, *t),
            Ty::Null => (c, Ty::Null),
            other => {
                self.diags.push(err(
                    Code::TypeMismatch,
                    format!("expected a list, found {}", other.describe()),
                    e.span,
                ));
                (c, Ty::Null)
            }
        }
    }

    fn binary(
        &mut self,
        op: BinOp,
        a: &ast::Expr,
        b: &ast::Expr,
        span: Span,
        scope: &mut Scope,
    ) -> (CExpr, Ty) {
        let (ca, ta) = self.expr(a, scope);
        let (cb, tb) = self.expr(b, scope);
        let mismatch = |s: &mut Checker, want: &str| {
            s.diags.push(
                err(
                    Code::TypeMismatch,
                    format!(
                        "`{}` needs {want}, found {} and {}",
                        op.symbol(),
                        ta.describe(),
                        tb.describe()
                    ),
                    span,
                )
                .help("compare a fact with a value of its declared type"),
            );
        };
        let ty = match op {
            BinOp::And | BinOp::Or => {
                if !ta.fits(&Ty::Bool) || !tb.fits(&Ty::Bool) {
                    mismatch(self, "conditions (bool) on both sides");
                }
                Ty::Bool
            }
            BinOp::Eq | BinOp::Ne => {
                if !ta.fits(&tb) {
                    mismatch(self, "values of one type");
                }
                self.enum_literal_check(&ta, &cb, b.span);
                self.enum_literal_check(&tb, &ca, a.span);
                Ty::Bool
            }
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                if !ta.fits(&Ty::Num) || !tb.fits(&Ty::Num) {
                    mismatch(self, "numbers");
                }
                Ty::Bool
            }
            BinOp::In => {
                match &tb {
                    Ty::List(elem) => {
                        if !ta.fits(elem) {
                            mismatch(self, "a value and a list of that type");
                        }
                        self.enum_literal_check(elem, &ca, a.span);
                    }
                    Ty::Null => {}
                    _ => mismatch(self, "a list on the right"),
                }
                Ty::Bool
            }
            BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div => {
                if !ta.fits(&Ty::Num) || !tb.fits(&Ty::Num) {
                    mismatch(self, "numbers");
                }
                Ty::Num
            }
            BinOp::Coalesce => {
                if !ta.fits(&tb) {
                    mismatch(self, "values of one type");
                }
                if matches!(ta, Ty::Null) {
                    tb
                } else {
                    ta
                }
            }
        };
        let gap = Span {
            file: span.file,
            start: a.span.end.min(b.span.start),
            end: b.span.start,
        };
        (CExpr::Bin(op, Box::new(ca), Box::new(cb), gap), ty)
    }

    fn enum_literal_check(&mut self, ty: &Ty, c: &CExpr, span: Span) {
        if let CExpr::Const(k) = c {
            self.variant_check(ty, k, span);
        }
        if let CExpr::List(items) = c {
            if let Ty::List(elem) = ty {
                for i in items {
                    if let CExpr::Const(k) = i {
                        self.variant_check(elem, k, span);
                    }
                }
            }
        }
    }

    fn call(
        &mut self,
        name: &str,
        args: &[ast::Expr],
        span: Span,
        scope: &mut Scope,
    ) -> (CExpr, Ty) {
        let builtin = match name {
            "known" => Some((Builtin::Known, Ty::Bool)),
            "len" => Some((Builtin::Len, Ty::Num)),
            "join" => Some((Builtin::Join, Ty::Text)),
            "round" => Some((Builtin::Round, Ty::Num)),
            "lower_first" => Some((Builtin::LowerFirst, Ty::Text)),
            "sentences" => Some((Builtin::Sentences, Ty::Text)),
            _ => None,
        };
        if let Some((b, ty)) = builtin {
            let cargs: Vec<(CExpr, Ty)> = args.iter().map(|a| self.expr(a, scope)).collect();
            if cargs.len() != 1 {
                self.diags.push(err(
                    Code::TypeMismatch,
                    format!("`{name}` takes one argument, given {}", cargs.len()),
                    span,
                ));
            } else {
                let t = &cargs[0].1;
                let ok = match b {
                    Builtin::Known => true,
                    Builtin::Len | Builtin::Join | Builtin::Sentences => {
                        matches!(t, Ty::List(_) | Ty::Null)
                    }
                    Builtin::Round => t.fits(&Ty::Num),
                    Builtin::LowerFirst => t.fits(&Ty::Text),
                };
                if !ok {
                    self.diags.push(err(
                        Code::TypeMismatch,
                        format!("`{name}` cannot take {}", t.describe()),
                        span,
                    ));
                }
            }
            return (CExpr::Call(b, cargs.into_iter().map(|c| c.0).collect()), ty);
        }
        match self.globals.get(name).cloned() {
            Some(Global::Def(i)) => {
                let (_, params, ty) = self.def_sigs[i].clone();
                if params.len() != args.len() {
                    self.diags.push(err(
                        Code::TypeMismatch,
                        format!(
                            "`{name}` takes {} argument(s), given {}",
                            params.len(),
                            args.len()
                        ),
                        span,
                    ));
                }
                scope.deps.insert(Node::Def(i));
                if params.is_empty() {
                    return (CExpr::Def(i, vec![]), ty);
                }
                // inline the body with the arguments' types, in a scope that
                // hides the caller's locals
                let cargs: Vec<(CExpr, Ty)> = args.iter().map(|a| self.expr(a, scope)).collect();
                if self.inline_depth > 16 {
                    self.diags.push(err(
                        Code::DefCycle,
                        format!("`{name}` calls itself (directly or through other defs)"),
                        span,
                    ));
                    return (CExpr::Const(Const::Null), Ty::Null);
                }
                let base = scope.locals.len();
                let mut inner = Scope::new(scope.ctx);
                for _ in 0..base {
                    inner.push("", Ty::Null);
                }
                let mut binds = vec![];
                for (k, p) in params.iter().enumerate() {
                    let (c, t) = cargs
                        .get(k)
                        .cloned()
                        .unwrap_or((CExpr::Const(Const::Null), Ty::Null));
                    let slot = inner.push(p, t);
                    binds.push((slot, c));
                }
                let body_ast = self.def_asts[i].body.clone();
                self.inline_depth += 1;
                let before = self.diags.len();
                let (body, bty) = self.expr(&body_ast, &mut inner);
                self.inline_depth -= 1;
                if self.diags.len() > before {
                    let (l, _) = self.sources.line_col(span.file, span.start);
                    for d in &mut self.diags[before..] {
                        if d.help.is_none() {
                            d.help = Some(format!("in `{name}` as called at line {l}"));
                        }
                    }
                }
                scope.max = scope.max.max(inner.max);
                scope.deps.extend(inner.deps);
                (CExpr::Bind(binds, Box::new(body)), bty)
            }
            _ => {
                let mut names: Vec<&str> =
                    vec!["known", "len", "join", "round", "lower_first", "sentences"];
                let defs: Vec<String> = self.def_sigs.iter().map(|d| d.0.clone()).collect();
                names.extend(defs.iter().map(String::as_str));
                let mut d = err(
                    Code::UnknownFunction,
                    format!("unknown function `{name}`"),
                    span,
                );
                d = d.help(match self.suggest(name, names) {
                    Some(h) => format!("did you mean `{h}`?"),
                    None => {
                        "the functions are known, len, join, round, lower_first and the pack's `def`s".into()
                    }
                });
                self.diags.push(d);
                (CExpr::Const(Const::Null), Ty::Null)
            }
        }
    }

    fn name(&mut self, parts: &[String], span: Span, scope: &mut Scope) -> (CExpr, Ty) {
        let head = parts[0].as_str();
        let (base, ty) = if let Some(slot) = scope.locals.iter().rposition(|(n, _)| n == head) {
            (CExpr::Local(slot), scope.locals[slot].1.clone())
        } else if head == "tier" && scope.ctx == Ctx::Placement {
            scope.placement_read.get_or_insert((head.to_string(), span));
            (CExpr::Tier, Ty::Enum(self.tier_variants.clone()))
        } else if head == "criteria" && scope.ctx == Ctx::Placement {
            scope.placement_read.get_or_insert((head.to_string(), span));
            (
                CExpr::Criteria,
                Ty::List(Box::new(Ty::Record(self.criteria_rec.clone()))),
            )
        } else if head == "levers" && scope.ctx == Ctx::Placement {
            scope.placement_read.get_or_insert((head.to_string(), span));
            (
                CExpr::Levers,
                Ty::List(Box::new(Ty::Record(self.levers_rec.clone()))),
            )
        } else if let Some(g) = self.globals.get(head).cloned() {
            match g {
                Global::Param(i, ty) => (CExpr::Param(i), ty),
                Global::Def(i) => {
                    if !self.def_sigs[i].1.is_empty() {
                        self.diags.push(err(
                            Code::TypeMismatch,
                            format!("`{head}` takes arguments: call it as `{head}(...)`"),
                            span,
                        ));
                    }
                    scope.deps.insert(Node::Def(i));
                    (CExpr::Def(i, vec![]), self.def_sigs[i].2.clone())
                }
                Global::Judgment(i) => {
                    scope.deps.insert(Node::Judgment(i));
                    (CExpr::Judgment(i), self.judgment_tys[i].clone())
                }
            }
        } else if let Some(i) = self.root.index(head) {
            // a fact path: fold the whole chain into one index list
            let mut idx = vec![(i, self.root.fields[i].name.clone())];
            let mut ty = self.root.fields[i].ty.clone();
            for (k, part) in parts.iter().enumerate().skip(1) {
                match &ty {
                    Ty::Record(r) => match r.index(part) {
                        Some(j) => {
                            idx.push((j, r.fields[j].name.clone()));
                            ty = r.fields[j].ty.clone();
                        }
                        None => {
                            self.unknown_field(&parts[..k], part, r, span, true);
                            return (CExpr::Const(Const::Null), Ty::Null);
                        }
                    },
                    other => {
                        self.diags.push(err(
                            Code::TypeMismatch,
                            format!(
                                "`{}` is {}, which has no field `{part}`",
                                parts[..k].join("."),
                                other.describe()
                            ),
                            span,
                        ));
                        return (CExpr::Const(Const::Null), Ty::Null);
                    }
                }
            }
            return (CExpr::Fact(Rc::new(idx)), ty);
        } else {
            let full = parts.join(".");
            if self.criteria_ids.contains_key(&full) {
                self.diags.push(
                    err(
                        Code::TypeMismatch,
                        format!("criterion `{full}` is not a value"),
                        span,
                    )
                    .help(format!("test its outcome: `{full} is met`")),
                );
                return (CExpr::Const(Const::Null), Ty::Bool);
            }
            let candidates = self
                .root
                .fields
                .iter()
                .map(|f| &*f.name)
                .chain(scope.locals.iter().map(|(n, _)| n.as_str()))
                .chain(self.globals.keys().map(String::as_str));
            let is_fact_like = parts.len() > 1;
            let code = if is_fact_like {
                Code::UnknownFact
            } else {
                Code::UnknownName
            };
            let what = if is_fact_like { "fact" } else { "name" };
            let mut d = err(code, format!("unknown {what} `{full}`"), span);
            let hint = self.suggest(head, candidates).or_else(|| {
                self.suggest(&full, self.criteria_ids.keys().map(String::as_str))
                    .map(|c| format!("{c} is met"))
            });
            if let Some(h) = hint {
                let shown = if parts.len() > 1 && !h.ends_with(" is met") {
                    format!("{h}.{}", parts[1..].join("."))
                } else {
                    h
                };
                d = d.help(format!("did you mean `{shown}`?"));
            } else if head == "tier" || head == "criteria" || head == "levers" {
                d = d.help(format!(
                    "`{head}` is known only in placement, rationale and warn"
                ));
            }
            self.diags.push(d);
            return (CExpr::Const(Const::Null), Ty::Null);
        };
        // fields of a local, parameter, def or judgment value
        let mut cur = base;
        let mut ty = ty;
        for (k, part) in parts.iter().enumerate().skip(1) {
            match &ty {
                Ty::Record(r) => match r.index(part) {
                    Some(j) => {
                        cur = CExpr::Field(Box::new(cur), j, r.fields[j].name.clone());
                        ty = r.fields[j].ty.clone();
                    }
                    None => {
                        let r = r.clone();
                        self.unknown_field(&parts[..k], part, &r, span, false);
                        return (CExpr::Const(Const::Null), Ty::Null);
                    }
                },
                Ty::Null => return (CExpr::Const(Const::Null), Ty::Null),
                other => {
                    self.diags.push(err(
                        Code::TypeMismatch,
                        format!(
                            "`{}` is {}, which has no field `{part}`",
                            parts[..k].join("."),
                            other.describe()
                        ),
                        span,
                    ));
                    return (CExpr::Const(Const::Null), Ty::Null);
                }
            }
        }
        (cur, ty)
    }

    fn unknown_field(&mut self, prefix: &[String], part: &str, r: &RecTy, span: Span, fact: bool) {
        let prefix = prefix.join(".");
        let code = if fact {
            Code::UnknownFact
        } else {
            Code::UnknownName
        };
        let mut d = err(code, format!("unknown fact `{prefix}.{part}`"), span);
        if !fact {
            d.message = format!("`{prefix}` has no field `{part}`");
        }
        let hint = self.suggest(part, r.fields.iter().map(|f| &*f.name));
        d = d.help(match hint {
            Some(h) => format!("did you mean `{prefix}.{h}`?"),
            None => {
                let names: Vec<&str> = r.fields.iter().map(|f| &*f.name).collect();
                format!("`{prefix}` has: {}", names.join(", "))
            }
        });
        self.diags.push(d);
    }

    fn cycles(&mut self, graph: &HashMap<Node, (HashSet<Node>, Span, String)>) {
        // iterative DFS with colours; report each cycle once
        let mut colour: HashMap<Node, u8> = HashMap::new();
        let mut nodes: Vec<&Node> = graph.keys().collect();
        nodes.sort_by_key(|n| graph[n].1.start);
        nodes.sort_by_key(|n| graph[n].1.file);
        for &start in &nodes {
            if colour.get(start).copied().unwrap_or(0) != 0 {
                continue;
            }
            let mut stack: Vec<(Node, Vec<Node>)> = vec![(*start, deps_sorted(graph, start))];
            let mut path: Vec<Node> = vec![*start];
            colour.insert(*start, 1);
            while let Some((_, todo)) = stack.last_mut() {
                match todo.pop() {
                    Some(next) => match colour.get(&next).copied().unwrap_or(0) {
                        0 => {
                            colour.insert(next, 1);
                            path.push(next);
                            stack.push((next, deps_sorted(graph, &next)));
                        }
                        1 => {
                            let from = path.iter().position(|n| *n == next).unwrap_or(0);
                            let names: Vec<String> = path[from..]
                                .iter()
                                .chain(std::iter::once(&next))
                                .map(|n| graph.get(n).map(|g| g.2.clone()).unwrap_or_default())
                                .collect();
                            let is_criteria =
                                path[from..].iter().all(|n| matches!(n, Node::Criterion(_)));
                            let code = if is_criteria {
                                Code::CriterionCycle
                            } else {
                                Code::DefCycle
                            };
                            let span = graph.get(&next).map(|g| g.1).unwrap_or_default();
                            self.diags.push(
                                err(code, format!("cycle: {}", names.join(" -> ")), span)
                                    .help("an outcome cannot depend on itself; break the chain"),
                            );
                        }
                        _ => {}
                    },
                    None => {
                        if let Some((n, _)) = stack.pop() {
                            colour.insert(n, 2);
                            path.pop();
                        }
                    }
                }
            }
        }
    }
}

impl Checker {
    /// [`did_you_mean`], while the diagnostics still fit on the screen:
    /// past what [`crate::diag::Failure::render`] shows, no suggestion is
    /// computed (5,000 unknown names against 5,000 defs would take minutes).
    fn suggest<'a>(
        &self,
        word: &str,
        candidates: impl IntoIterator<Item = &'a str>,
    ) -> Option<String> {
        if self.diags.len() >= crate::diag::MAX_SHOWN * 2 {
            return None;
        }
        did_you_mean(word, candidates)
    }

    /// Criteria and judgments are decided before placement: one that reads
    /// `criteria`, `tier` or `levers` through a def depends on every
    /// criterion (itself included), a cycle the evaluator could only answer
    /// with "cannot be decided". Refused here, with the chain of defs.
    fn placement_reads(&mut self, graph: &HashMap<Node, (HashSet<Node>, Span, String)>) {
        let mut starts: Vec<&Node> = graph
            .keys()
            .filter(|n| matches!(n, Node::Criterion(_) | Node::Judgment(_)))
            .collect();
        starts.sort_by_key(|n| (graph[n].1.file, graph[n].1.start));
        for start in starts {
            // breadth-first through the defs it reads, keeping the way back
            let mut back: HashMap<Node, Node> = HashMap::new();
            let mut queue = std::collections::VecDeque::from([*start]);
            let mut found = None;
            while let Some(n) = queue.pop_front() {
                if let Node::Def(i) = n {
                    if let Some(r) = self.def_placement.get(&i) {
                        found = Some((n, r.clone()));
                        break;
                    }
                }
                for d in deps_sorted(graph, &n).into_iter().rev() {
                    if matches!(d, Node::Def(_)) && d != *start && !back.contains_key(&d) {
                        back.insert(d, n);
                        queue.push_back(d);
                    }
                }
            }
            let Some((mut at, (name, _))) = found else {
                continue;
            };
            let mut chain = vec![graph[&at].2.clone()];
            while let Some(prev) = back.get(&at) {
                chain.push(graph[prev].2.clone());
                at = *prev;
                if at == *start {
                    break;
                }
            }
            chain.reverse();
            let code = match start {
                Node::Criterion(_) => Code::CriterionCycle,
                _ => Code::DefCycle,
            };
            let what = match name.as_str() {
                "criteria" => "every criterion's outcome, this one's included",
                "tier" => "the tier, which rests on every criterion",
                _ => "the levers and the criteria they fix",
            };
            self.diags.push(
                err(
                    code,
                    format!("cycle: {} -> `{name}` ({what})", chain.join(" -> ")),
                    graph[start].1,
                )
                .help(format!(
                    "`{name}` is known only once placement runs: read it in placement, rationale or warn, not in a criterion or judgment"
                )),
            );
        }
    }

    /// Defs, judgments and criteria that read one another nest their
    /// expressions: the longest such chain, each body counted as deep as it
    /// nests, stays within [`crate::syntax::parse::MAX_EXPR_DEPTH`], so evaluating
    /// and analysing the pack cannot exhaust the stack (a chain of 5,000
    /// defs each reading the next is refused here).
    fn chain_depth(&mut self, graph: &HashMap<Node, (HashSet<Node>, Span, String)>) {
        let limit = crate::syntax::parse::MAX_EXPR_DEPTH;
        let mut total: HashMap<Node, (usize, Option<Node>)> = HashMap::new();
        let mut nodes: Vec<&Node> = graph.keys().collect();
        nodes.sort_by_key(|n| (graph[n].1.file, graph[n].1.start));
        for &start in &nodes {
            // post-order without recursion (the graph has no cycles here)
            let mut stack = vec![(*start, false)];
            while let Some((n, expanded)) = stack.pop() {
                if total.contains_key(&n) {
                    continue;
                }
                let deps = deps_sorted(graph, &n);
                if !expanded {
                    stack.push((n, true));
                    stack.extend(
                        deps.iter()
                            .filter(|d| !total.contains_key(d))
                            .map(|d| (*d, false)),
                    );
                    continue;
                }
                let own = self.body_depth.get(&n).copied().unwrap_or(1);
                let below = deps
                    .iter()
                    .filter_map(|d| total.get(d).map(|(w, _)| (*w, *d)))
                    .max_by_key(|(w, _)| *w);
                total.insert(
                    n,
                    (
                        own + below.map(|(w, _)| w).unwrap_or(0),
                        below.map(|(_, d)| d),
                    ),
                );
            }
        }
        let worst = nodes
            .iter()
            .filter_map(|n| total.get(n).map(|(w, _)| (*w, **n)))
            .filter(|(w, _)| *w > limit)
            .max_by_key(|(w, _)| *w);
        if let Some((w, n)) = worst {
            let mut chain = vec![graph[&n].2.clone()];
            let mut at = n;
            while let Some((_, Some(next))) = total.get(&at) {
                chain.push(graph[next].2.clone());
                at = *next;
                if chain.len() > 6 {
                    chain.push("...".into());
                    break;
                }
            }
            self.diags.push(
                err(
                    Code::NestingTooDeep,
                    format!(
                        "{} reads defs, judgments or criteria that together nest {w} operations deep (more than {limit}): {}",
                        graph[&n].2,
                        chain.join(" -> ")
                    ),
                    graph[&n].1,
                )
                .help("shorten the chain of defs that read one another, or split long expressions"),
            );
        }
    }
}

fn deps_sorted(graph: &HashMap<Node, (HashSet<Node>, Span, String)>, n: &Node) -> Vec<Node> {
    let mut v: Vec<Node> = graph
        .get(n)
        .map(|g| {
            g.0.iter()
                .copied()
                .filter(|d| graph.contains_key(d))
                .collect()
        })
        .unwrap_or_default();
    v.sort_by_key(|d| std::cmp::Reverse(graph[d].1.start));
    v
}

enum Expected {
    Outcome,
    Value(Ty),
}
