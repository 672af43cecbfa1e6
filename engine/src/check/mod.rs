//! Static checks: resolve every name, type every expression, find cycles,
//! and compile the AST into a [`RulePack`]. Every problem is reported at
//! once, each with a stable code.
//!
//! One pass a file, run in order by [`Checker::run`]: `names` (declarations,
//! duplicates, what a name refers to), `sources` (public sources and the
//! cites that name them), `types` (type declarations, the facts' record, the
//! tier type), `items` (parameters, defs, judgments, criteria, placement,
//! rationale, warnings, levers), `exprs` and `calls` (expressions), `deps`
//! (cycles and depth limits across defs, judgments and criteria). This file
//! holds the checker's state and the order of the passes.

mod calls;
mod deps;
mod exprs;
mod items;
mod names;
mod sources;
mod types;

use crate::diag::{did_you_mean, Code, Diagnostic, SourceMap};
use crate::pack::*;
use crate::syntax::ast::{self, Span, TypeExpr};
use deps::Graph;
use names::FirstSeen;
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

/// What a branch must give: an outcome word (criteria) or a value of a type.
enum Expected {
    Outcome,
    Value(Ty),
}

struct Checker {
    sources: SourceMap,
    diags: Vec<Diagnostic>,
    types: HashMap<String, (TypeExpr, Span)>,
    root: Rc<RecTy>,
    globals: HashMap<String, Global>,
    /// Where each top-level name (fact, parameter, def, judgment) was
    /// first declared: they share one namespace.
    declared: FirstSeen,
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

impl Checker {
    fn new(sources: SourceMap) -> Checker {
        Checker {
            sources,
            diags: vec![],
            types: HashMap::new(),
            root: Rc::new(RecTy { fields: vec![] }),
            globals: HashMap::new(),
            declared: FirstSeen::default(),
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
            criteria_rec: types::criteria_record(),
            levers_rec: types::levers_record(),
        }
    }

    /// The passes, in order: each reports what it finds and hands on what
    /// the later ones need.
    fn run(&mut self, file: ast::File) -> Option<RulePack> {
        let pack = self.pack_declaration(&file)?;
        let cite_sources = self.cite_sources(&file);
        self.declare_types(&file);
        self.declare_facts(&file);
        let edition_field = self.role_field(pack.edition_fact.as_deref(), &pack, "edition_fact");
        let findings_field = self.role_field(pack.findings_fact.as_deref(), &pack, "findings_fact");
        // the tier type is needed before anything mentions `tier`
        let placement = self.placement_type(&file, &pack);
        let params = self.params(&file);
        self.declare_defs_and_judgments(&file);
        self.declare_criteria(&file);

        let mut graph = Graph::new();
        let defs = self.defs(&file, &mut graph);
        let judgments = self.judgments(&file, &mut graph);
        let criteria = self.criteria(&file, &mut graph);
        self.exception_targets(&file);
        self.dependencies(&graph);

        let steps = self.steps(placement.as_ref());
        let rationale = self.rationale(&file);
        let warns = self.warns(&file);
        let levers = self.levers(&file, edition_field);
        self.duplicate_levers(&file);

        let hook =
            |name: &str, arity: usize| defs.iter().position(|d| d.name == name && d.arity == arity);
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
            previous_tier_def: hook("previous_tier", 0),
            movement_def: hook("movement", 0),
            tier_label_def: hook("tier_label", 1),
            tier_rank_def: hook("tier_rank", 1),
            defs,
            judgments,
            criteria,
            steps,
            rationale,
            warns,
            levers,
            criteria_rec: self.criteria_rec.clone(),
            levers_rec: self.levers_rec.clone(),
        };
        // the analysis follows defs, so only on a pack that checked clean:
        // no cycles, no chains too deep
        if !self.diags.iter().any(|d| d.is_error()) {
            items::lever_fixes(&mut compiled);
        }
        Some(compiled)
    }

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
}
