//! Items: compiles each declaration that holds expressions: parameters,
//! defs, judgments, criteria with their exceptions, placement steps,
//! rationale, warnings and levers (and what each lever can fix), with the
//! branches (`body`) they share. Each records its dependencies in the graph
//! that `deps` checks.

use super::deps::Graph;
use super::types::{const_of, const_ty};
use super::{err, Checker, Ctx, Expected, Global, Node, Scope};
use crate::diag::Code;
use crate::pack::*;
use crate::syntax::ast::{self, Branch, ExprKind, Span};

impl Checker {
    /// The parameters, each value checked against the declared type and
    /// the years ascending.
    pub(super) fn params(&mut self, file: &ast::File) -> Vec<CParam> {
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
        params
    }

    /// Def types are inferred in order of declaration; a def that uses a
    /// later def sees its type once compiled (two passes suffice for the
    /// non-recursive defs the cycle check allows).
    pub(super) fn defs(&mut self, file: &ast::File, graph: &mut Graph) -> Vec<CDef> {
        let mut defs: Vec<CDef> = vec![];
        for pass in 0..2 {
            let before = self.diags.len();
            defs.clear();
            for (i, d) in file.defs.iter().enumerate() {
                defs.push(self.def(i, d, graph));
            }
            if pass == 0 {
                self.diags.truncate(before);
            }
        }
        defs
    }

    fn def(&mut self, i: usize, d: &ast::Def, graph: &mut Graph) -> CDef {
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
        CDef {
            name: d.name.clone(),
            arity: d.params.len(),
            body,
            frame: scope.max,
            ty,
        }
    }

    pub(super) fn judgments(&mut self, file: &ast::File, graph: &mut Graph) -> Vec<CJudgment> {
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
        judgments
    }

    /// The criteria (the first of each id), each with its exceptions first.
    pub(super) fn criteria(&mut self, file: &ast::File, graph: &mut Graph) -> Vec<CCriterion> {
        let mut criteria = vec![];
        for (i, c) in file.criteria.iter().enumerate() {
            if self.criteria_ids.get(&c.id) != Some(&i) {
                continue;
            }
            let mut scope = Scope::new(Ctx::Rule);
            self.deepest = 0;
            // exceptions come first: they override the general rule
            let (mut exc_lets, mut exc_branches) = self.exceptions(file, &c.id, &mut scope);
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
        criteria
    }

    /// The exceptions to criterion `id`: their lets and their branches.
    fn exceptions(
        &mut self,
        file: &ast::File,
        id: &str,
        scope: &mut Scope,
    ) -> (Vec<(usize, CExpr)>, Vec<CBranch>) {
        let mut exc_branches: Vec<CBranch> = vec![];
        let mut exc_lets = vec![];
        for e in file.exceptions.iter().filter(|e| e.target == id) {
            let label = e.meta.title.clone().unwrap_or_else(|| "exception".into());
            let b = self.body(&e.lets, &e.branches, scope, Expected::Outcome, Some(&label));
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
        (exc_lets, exc_branches)
    }

    pub(super) fn steps(&mut self, placement: Option<&ast::Placement>) -> Vec<CStep> {
        let mut steps = vec![];
        if let Some(p) = placement {
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
        steps
    }

    pub(super) fn rationale(&mut self, file: &ast::File) -> Vec<CRationale> {
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
        rationale
    }

    pub(super) fn warns(&mut self, file: &ast::File) -> Vec<CWarn> {
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
        warns
    }

    /// The levers, each `set` checked as a facts file's value would be.
    pub(super) fn levers(&mut self, file: &ast::File, edition_field: Option<usize>) -> Vec<CLever> {
        let mut levers = vec![];
        for l in &file.levers {
            let sets = l
                .sets
                .iter()
                .filter_map(|s| self.lever_set(&l.name, s, edition_field))
                .collect();
            levers.push(CLever {
                name: l.name.clone(),
                meta: l.meta.clone(),
                recommend: l.recommend.clone(),
                sets,
                fixes: vec![],
            });
        }
        levers
    }

    fn lever_set(
        &mut self,
        lever: &str,
        s: &ast::LeverSet,
        edition_field: Option<usize>,
    ) -> Option<(Vec<PathSeg>, Const, String)> {
        let (segs, ty) = self.lever_path(&s.path, s.span)?;
        let c = const_of(&s.value);
        if !const_ty(&c).fits(&ty) {
            self.diags.push(err(
                Code::BadLever,
                format!(
                    "lever `{lever}` sets `{}` ({}) to a {}",
                    s.path,
                    ty.describe(),
                    const_ty(&c).describe()
                ),
                s.span,
            ));
        }
        self.variant_check(&ty, &c, s.span);
        // the checks a facts file's value gets (range, required, a whole
        // edition year); the edition's bound by the year is checked when
        // the lever is applied (`scenario::apply_all`): the pack has no year
        let value = crate::facts::lever_value(&c);
        if let Some((_, msg, help)) =
            crate::facts::path_problem(&self.root, edition_field, &segs, &s.path, &value, None)
        {
            let mut d = err(Code::BadLever, format!("lever `{lever}`: {msg}"), s.span);
            d.help = help;
            self.diags.push(d);
        }
        Some((segs, c, s.path.clone()))
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

    /// The lets and branches of a criterion, judgment, step or `choose`.
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
            let res = self.branch_result(&b.result, &result, scope);
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

    /// What a branch gives: an outcome word, or a value of the expected type.
    fn branch_result(&mut self, e: &ast::Expr, result: &Expected, scope: &mut Scope) -> CExpr {
        match result {
            Expected::Outcome => self.outcome_literal(e),
            Expected::Value(ty) => {
                let (c, rty) = self.expr(e, scope);
                if !rty.fits(ty) {
                    self.diags.push(err(
                        Code::TypeMismatch,
                        format!(
                            "this branch gives {}, expected {}",
                            rty.describe(),
                            ty.describe()
                        ),
                        e.span,
                    ));
                }
                if let CExpr::Const(k) = &c {
                    self.variant_check(ty, k, e.span);
                }
                c
            }
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
}

/// What each lever can fix: the criteria that read what it sets.
pub(super) fn lever_fixes(compiled: &mut RulePack) {
    let map = crate::reads::ReadMap::of(compiled);
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
}
