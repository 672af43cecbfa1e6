//! Evaluation: pure and total. `evaluate(&RulePack, &Facts)` gives an
//! [`Assessment`] with the justification of every outcome; it never
//! panics, and a missing fact gives `unknown`, never a silent `not_met`.

use crate::facts::{Fact, Facts};
use crate::pack::*;
use crate::syntax::ast::{AggKind, BinOp, QuantKind};
use crate::text::num::fmt_num;
use serde_json::Value as Json;
use std::rc::Rc;

/// How many expression steps one assessment may take before it stops with
/// an `eval-limit` warning (a guard against pathological rule packs).
pub const MAX_STEPS: u64 = 5_000_000;

/// How deep evaluation may nest (expressions inside expressions, and defs,
/// judgments and criteria that read one another): deeper is unknown, with
/// an `eval-limit` warning, so no pack can exhaust the stack (the checker
/// keeps one expression within [`crate::syntax::parse::MAX_EXPR_DEPTH`]; chains of
/// defs add up).
pub const MAX_EVAL_DEPTH: usize = 250;

/// The longest text a value may reach, in bytes (a def that doubles a text
/// 40 times would need a terabyte): longer is unknown, with an
/// `eval-limit` warning.
pub const MAX_TEXT: usize = 1024 * 1024;

/// One segment of the YAML path of a fact value.
#[derive(Debug)]
struct PathNode {
    parent: Option<Rc<PathNode>>,
    seg: Seg,
}

#[derive(Debug)]
enum Seg {
    Field(Rc<str>),
    Index(usize),
}

fn extend(parent: &Option<Rc<PathNode>>, seg: Seg) -> Option<Rc<PathNode>> {
    Some(Rc::new(PathNode {
        parent: parent.clone(),
        seg,
    }))
}

fn path_string(p: &Option<Rc<PathNode>>) -> String {
    let mut nodes: Vec<&PathNode> = vec![];
    let mut cur = p.as_deref();
    while let Some(n) = cur {
        nodes.push(n);
        cur = n.parent.as_deref();
    }
    let mut s = String::with_capacity(nodes.len() * 12);
    for n in nodes.iter().rev() {
        match &n.seg {
            Seg::Field(f) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(f);
            }
            Seg::Index(i) => {
                use std::fmt::Write;
                let _ = write!(s, "[{i}]");
            }
        }
    }
    s
}

#[derive(Debug, Clone)]
enum Value<'a> {
    Unknown,
    Bool(bool),
    Num(f64),
    Text(Rc<str>),
    /// A record or list straight from the facts, with its path.
    Fact(&'a Fact, Option<Rc<PathNode>>),
    List(Rc<Vec<Value<'a>>>),
    Rec(Rc<Vec<Value<'a>>>),
}

impl Value<'_> {
    fn truth(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
}

/// A fact or criterion the engine read while deciding, with its value.
#[derive(Debug, Clone, PartialEq)]
pub struct Read {
    pub path: String,
    pub value: Json,
}

#[derive(Debug, Clone)]
pub struct CriterionResult {
    pub id: String,
    pub title: String,
    pub cites: Vec<String>,
    pub pillar: Option<String>,
    pub outcome: Outcome,
    pub because: String,
    /// The exception that decided the outcome, if one did.
    pub exception: Option<String>,
    /// The branch that decided (index into the compiled body; exceptions
    /// first), `None` when a condition was unknown.
    pub branch: Option<usize>,
    pub facts: Vec<Read>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Found,
    Derived,
    Unknown,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Found => "found",
            Source::Derived => "derived",
            Source::Unknown => "unknown",
        }
    }
}

#[derive(Debug, Clone)]
pub struct JudgmentResult {
    pub name: String,
    pub title: String,
    pub cites: Vec<String>,
    pub value: Json,
    pub source: Source,
    pub because: String,
    pub facts: Vec<Read>,
    /// The derivation branch that decided, when derived (for coverage).
    pub branch: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct StepResult {
    /// Index of the branch of the step that fired.
    pub branch: usize,
    pub rule: String,
    pub title: String,
    pub cites: Vec<String>,
    pub tier: Option<String>,
    pub because: String,
}

/// The result of assessing one facts file.
#[derive(Debug, Clone)]
pub struct Assessment {
    pub source: String,
    pub country: String,
    pub year: Option<f64>,
    pub rulepack: String,
    pub tier: Option<String>,
    pub previous_tier: Option<String>,
    pub movement: Option<String>,
    /// How the tier reads ("Tier 2 Watch List"), from the pack's `tier_label`.
    pub tier_label: Option<String>,
    pub previous_tier_label: Option<String>,
    pub criteria: Vec<CriterionResult>,
    pub judgments: Vec<JudgmentResult>,
    pub steps: Vec<StepResult>,
    pub warnings: Vec<String>,
    pub rationale: String,
    /// Values of the pack's `history_<field>` defs after placement: the
    /// extra fields of this year's entry in a later year's history.
    pub history_fields: Vec<(String, Json)>,
    /// The declared sources the criteria and placement steps cite, in the
    /// pack's order.
    pub sources: Vec<CiteSource>,
}

impl Assessment {
    pub fn outcome(&self, id: &str) -> Option<Outcome> {
        self.criteria.iter().find(|c| c.id == id).map(|c| c.outcome)
    }
}

/// Evaluates every criterion, judgment, placement step, warning and the
/// rationale of `pack` against `facts`.
pub fn evaluate(pack: &RulePack, facts: &Facts) -> Assessment {
    let mut ev = Ev::new(pack, &facts.root);
    let n = pack.criteria.len();
    let mut criteria = Vec::with_capacity(n);
    for i in 0..n {
        ev.criterion(i);
    }
    for (i, c) in pack.criteria.iter().enumerate() {
        let r = ev.crit[i].clone().unwrap_or_else(|| CritMemo {
            outcome: Outcome::Unknown,
            because: "not evaluated".into(),
            exception: None,
            branch: None,
            reads: vec![],
        });
        criteria.push(CriterionResult {
            id: c.id.clone(),
            title: c.meta.title.clone().unwrap_or_else(|| c.id.clone()),
            cites: c.meta.cites.clone(),
            pillar: c.meta.pillar.clone(),
            outcome: r.outcome,
            because: r.because,
            exception: r.exception,
            branch: r.branch,
            facts: r.reads,
        });
    }
    ev.criteria_done = true;
    for j in 0..pack.judgments.len() {
        ev.judgment(j);
    }

    let (steps, mut warnings) = ev.placement();

    // rationale
    let mut sentences: Vec<String> = vec![];
    for item in &pack.rationale {
        match item {
            CRationale::Say(text, when, frame) => {
                let mut fr = vec![Value::Unknown; *frame];
                let ok = match when {
                    Some(w) => ev.eval(w, &mut fr).truth() == Some(true),
                    None => true,
                };
                if ok {
                    let t = ev.eval(text, &mut fr);
                    sentences.push(display(&t));
                }
            }
            CRationale::Choose(body) => {
                let r = ev.body(body);
                if let Fired::Yes { result, .. } = r {
                    sentences.push(display(&result));
                }
            }
            CRationale::Paragraph => sentences.push(PARAGRAPH.into()),
        }
    }
    let sentences: Vec<String> = sentences
        .into_iter()
        .filter(|s| s == PARAGRAPH || !s.trim().is_empty())
        .collect();

    // warnings
    for w in &pack.warns {
        let mut fr = vec![Value::Unknown; w.frame.max(1)];
        match &w.each {
            Some(list) => {
                let l = ev.eval(list, &mut fr);
                for item in items(&l) {
                    fr[0] = item;
                    if ev.eval(&w.when, &mut fr).truth() == Some(true) {
                        warnings.push(display(&ev.eval(&w.message, &mut fr)));
                    }
                }
            }
            None => {
                if ev.eval(&w.when, &mut fr).truth() == Some(true) {
                    warnings.push(display(&ev.eval(&w.message, &mut fr)));
                }
            }
        }
    }
    if ev.exhausted {
        warnings.push(format!(
            "evaluation stopped after {MAX_STEPS} steps; outcomes past that point are unknown"
        ));
    }
    if ev.too_deep {
        warnings.push(format!(
            "evaluation nested deeper than {MAX_EVAL_DEPTH} levels (defs, judgments and criteria reading one another) and stopped; outcomes past that point are unknown"
        ));
    }
    if ev.oversized {
        warnings.push(format!(
            "a text value grew past {MAX_TEXT} bytes and evaluation stopped; outcomes past that point are unknown"
        ));
    }

    let history_fields = ev.history_fields();
    let previous_tier = pack
        .previous_tier_def
        .and_then(|d| text_of(&ev.def(d, vec![])));
    let movement = pack.movement_def.and_then(|d| text_of(&ev.def(d, vec![])));
    let label = |ev: &mut Ev, t: &Option<String>| match (pack.tier_label_def, t) {
        (Some(d), Some(t)) => text_of(&ev.def(d, vec![Value::Text(t.as_str().into())])),
        _ => None,
    };
    let tier = ev.tier.as_ref().map(|t| t.to_string());
    let tier_label = label(&mut ev, &tier);
    let previous_tier_label = label(&mut ev, &previous_tier);
    let judgments = (0..pack.judgments.len())
        .map(|j| {
            let m = ev.judg[j].clone().unwrap_or(JudgMemo {
                value: Json::Null,
                source: Source::Unknown,
                because: String::new(),
                reads: vec![],
                branch: None,
            });
            let meta = &pack.judgments[j].meta;
            JudgmentResult {
                name: pack.judgments[j].name.clone(),
                title: meta
                    .title
                    .clone()
                    .unwrap_or_else(|| pack.judgments[j].name.clone()),
                cites: meta.cites.clone(),
                value: m.value,
                source: m.source,
                because: m.because,
                facts: m.reads,
                branch: m.branch,
            }
        })
        .collect();

    let country = match (&facts.root, pack.root.index("country")) {
        (Fact::Record(f), Some(i)) => match &f[i] {
            Fact::Text(t) => t.to_string(),
            _ => String::new(),
        },
        _ => String::new(),
    };
    let year = match (&facts.root, pack.edition_field) {
        (Fact::Record(f), Some(i)) => match &f[i] {
            Fact::Num(n) => Some(*n),
            _ => None,
        },
        _ => None,
    };
    let mut a = Assessment {
        source: facts.path.clone(),
        country,
        year,
        rulepack: pack.name.clone(),
        tier,
        previous_tier,
        movement,
        tier_label,
        previous_tier_label,
        criteria,
        judgments,
        steps,
        warnings,
        rationale: paragraphs(&sentences),
        history_fields,
        sources: Vec::new(),
    };
    a.sources = cited_sources(pack, &a);
    a
}

/// The declared sources that the criteria and steps of `a` cite.
fn cited_sources(pack: &RulePack, a: &Assessment) -> Vec<CiteSource> {
    let cites = a
        .criteria
        .iter()
        .flat_map(|c| &c.cites)
        .chain(a.steps.iter().flat_map(|s| &s.cites));
    let mut used = vec![false; pack.cite_sources.len()];
    for c in cites {
        let id = cite_source_id(c);
        if let Some(i) = pack.cite_sources.iter().position(|s| s.id == id) {
            used[i] = true;
        }
    }
    pack.cite_sources
        .iter()
        .zip(used)
        .filter(|(_, u)| *u)
        .map(|(s, _)| s.clone())
        .collect()
}

fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::Text(t) => Some(t.to_string()),
        _ => None,
    }
}

#[derive(Debug, Clone)]
struct CritMemo {
    outcome: Outcome,
    because: String,
    exception: Option<String>,
    branch: Option<usize>,
    reads: Vec<Read>,
}

#[derive(Debug, Clone)]
struct JudgMemo {
    value: Json,
    source: Source,
    because: String,
    reads: Vec<Read>,
    branch: Option<usize>,
}

enum Fired<'a> {
    Yes {
        result: Value<'a>,
        because: Option<String>,
        exception: Option<String>,
        /// Index of the branch that fired.
        branch: usize,
        /// Where the reads of the firing `when` condition (and its reason)
        /// begin; `None` for `otherwise`, which rests on everything before.
        reads_from: Option<usize>,
    },
    No,
    /// A condition could not be decided; the unknown facts it read.
    Unknown(Vec<String>),
}

struct Ev<'a> {
    /// Record facts read and render reasons; off for the fast path.
    explain: bool,
    pack: &'a RulePack,
    root: &'a Fact,
    edition: Option<f64>,
    crit: Vec<Option<CritMemo>>,
    judg: Vec<Option<JudgMemo>>,
    judg_values: Vec<Option<Value<'a>>>,
    busy: Vec<bool>,
    reads: Vec<Read>,
    tier: Option<Rc<str>>,
    results: Option<Rc<Vec<Value<'a>>>>,
    /// Every criterion has been evaluated: `criteria` may be read.
    criteria_done: bool,
    steps: u64,
    exhausted: bool,
    /// How deep `eval` is nested now, and whether it passed [`MAX_EVAL_DEPTH`].
    depth: usize,
    too_deep: bool,
    /// Whether a text value passed [`MAX_TEXT`].
    oversized: bool,
}

impl<'a> Ev<'a> {
    fn new(pack: &'a RulePack, root: &'a Fact) -> Ev<'a> {
        let edition = match (root, pack.edition_field) {
            (Fact::Record(f), Some(i)) => match f.get(i) {
                Some(Fact::Num(n)) => Some(*n),
                _ => None,
            },
            _ => None,
        };
        Ev {
            explain: true,
            pack,
            root,
            edition,
            crit: vec![None; pack.criteria.len()],
            judg: vec![None; pack.judgments.len()],
            judg_values: vec![None; pack.judgments.len()],
            busy: vec![false; pack.criteria.len()],
            reads: vec![],
            tier: None,
            results: None,
            criteria_done: false,
            steps: 0,
            exhausted: false,
            depth: 0,
            too_deep: false,
            oversized: false,
        }
    }

    fn log_at(&mut self, path: &Option<Rc<PathNode>>, value: Json) {
        if self.explain {
            self.reads.push(Read {
                path: path_string(path),
                value,
            });
        }
    }

    fn log(&mut self, path: String, value: Json) {
        if self.explain {
            self.reads.push(Read { path, value });
        }
    }

    fn criterion(&mut self, i: usize) -> Outcome {
        if let Some(m) = &self.crit[i] {
            return m.outcome;
        }
        if self.busy[i] {
            // the checker rejects cycles; stay total all the same
            return Outcome::Unknown;
        }
        self.busy[i] = true;
        let saved = std::mem::take(&mut self.reads);
        let body = &self.pack.criteria[i].body;
        let fired = self.body(body);
        let (outcome, because, exception, branch, from) = match fired {
            Fired::Yes {
                result,
                because,
                exception,
                branch,
                reads_from,
            } => {
                let o = match &result {
                    Value::Text(t) => Outcome::parse(t).unwrap_or(Outcome::Unknown),
                    _ => Outcome::Unknown,
                };
                let b = because.unwrap_or_else(|| o.as_str().to_string());
                (o, b, exception, Some(branch), reads_from)
            }
            Fired::No => (
                Outcome::Unknown,
                "no branch applied".into(),
                None,
                None,
                None,
            ),
            Fired::Unknown(missing) => (
                Outcome::Unknown,
                unknown_because(&missing),
                None,
                None,
                None,
            ),
        };
        let mut all = std::mem::replace(&mut self.reads, saved);
        // the facts that decided: those the firing condition read, when it
        // read any; else (an `otherwise`, or a condition on `let`s) all
        if let Some(from) = from {
            if all[from.min(all.len())..]
                .iter()
                .any(|r| !r.path.starts_with("param "))
            {
                all.drain(..from.min(all.len()));
            }
        }
        let reads = dedup(all);
        self.busy[i] = false;
        self.crit[i] = Some(CritMemo {
            outcome,
            because,
            exception,
            branch,
            reads,
        });
        outcome
    }

    /// The record `{id, title, outcome, pillar, reason}` of a criterion.
    fn criterion_record(&mut self, i: usize) -> Value<'a> {
        let outcome = self.criterion(i);
        let c = &self.pack.criteria[i];
        let reason = self.crit[i]
            .as_ref()
            .map(|m| m.because.as_str())
            .unwrap_or("");
        Value::Rec(Rc::new(vec![
            Value::Text(c.id.as_str().into()),
            Value::Text(c.meta.title.as_deref().unwrap_or(&c.id).into()),
            Value::Text(outcome.as_str().into()),
            Value::Text(c.meta.pillar.as_deref().unwrap_or("").into()),
            Value::Text(reason.into()),
        ]))
    }

    fn judgment(&mut self, j: usize) -> Value<'a> {
        if let Some(v) = &self.judg_values[j] {
            return v.clone();
        }
        let saved = std::mem::take(&mut self.reads);
        let jd = &self.pack.judgments[j];
        let mut fr = vec![Value::Unknown; jd.body.frame.max(1)];
        let found = self.eval(&jd.found, &mut fr);
        let mut branch = None;
        let (value, source, because) = if !matches!(found, Value::Unknown) {
            let shown = display(&found);
            let what = self
                .reads
                .first()
                .map(|r| r.path.clone())
                .unwrap_or_default();
            // the finding as written in the facts (`true`, not "yes")
            let shown = match &found {
                Value::Bool(b) => b.to_string(),
                _ => shown,
            };
            (
                found,
                Source::Found,
                format!("reviewer finding: {what} = {shown}"),
            )
        } else {
            match self.body(&jd.body) {
                Fired::Yes {
                    result,
                    because,
                    branch: fired,
                    ..
                } => {
                    branch = Some(fired);
                    let b = because.unwrap_or_default();
                    (result, Source::Derived, b)
                }
                Fired::No => (
                    Value::Unknown,
                    Source::Unknown,
                    "no derivation applied".into(),
                ),
                Fired::Unknown(missing) => {
                    (Value::Unknown, Source::Unknown, unknown_because(&missing))
                }
            }
        };
        let reads = dedup(std::mem::replace(&mut self.reads, saved));
        self.judg[j] = Some(JudgMemo {
            value: to_json(&value),
            source,
            because,
            reads,
            branch,
        });
        self.judg_values[j] = Some(value.clone());
        value
    }

    /// The placement procedure: `decide` steps until one places the
    /// country, then every `adjust` step. Returns the steps that fired and
    /// the warnings.
    fn placement(&mut self) -> (Vec<StepResult>, Vec<String>) {
        let mut steps = vec![];
        let mut warnings = vec![];
        // `decide` steps run until one fires; one that fires with no tier
        // (`null because ...`) abstains: the placement is undecided, with
        // its reason, and the `adjust` steps do not run.
        for step in self.pack.steps.iter().filter(|s| s.decide) {
            let before = steps.len();
            self.place(step, &mut steps, &mut warnings);
            if steps.len() > before {
                break;
            }
        }
        if steps.is_empty() {
            warnings.push("no placement step decided a tier".into());
        }
        // `adjust` steps run in order while a tier stands; one that fires
        // with no tier abstains too, and the placement ends undecided.
        for step in self.pack.steps.iter().filter(|s| !s.decide) {
            if self.tier.is_none() {
                break;
            }
            self.place(step, &mut steps, &mut warnings);
        }
        (steps, warnings)
    }

    fn place(&mut self, step: &CStep, steps: &mut Vec<StepResult>, warnings: &mut Vec<String>) {
        let saved = std::mem::take(&mut self.reads);
        let fired = self.body(&step.body);
        self.reads = saved;
        match fired {
            Fired::Yes {
                result,
                because,
                branch,
                ..
            } => {
                let t = text_of(&result);
                self.tier = t.as_deref().map(Into::into);
                steps.push(StepResult {
                    rule: step.name.clone(),
                    title: step.meta.title.clone().unwrap_or_else(|| step.name.clone()),
                    cites: step.meta.cites.clone(),
                    tier: t,
                    because: because.unwrap_or_default(),
                    branch,
                });
            }
            Fired::No => {}
            Fired::Unknown(missing) => warnings.push(format!(
                "placement step `{}` could not be decided ({}); it was passed over",
                step.name,
                unknown_because(&missing)
            )),
        }
    }

    /// Evaluates `let`s, then the branches in order. The first branch whose
    /// condition holds decides, unless an earlier condition was unknown and
    /// that branch would give another result: then the outcome depends on
    /// the unknown facts and is unknown. (When every branch that might have
    /// fired gives the same result, the unknown facts do not matter.)
    fn body(&mut self, body: &Body) -> Fired<'a> {
        let mut fr = vec![Value::Unknown; body.frame.max(1)];
        for (slot, e) in &body.lets {
            let v = self.eval(e, &mut fr);
            if let Some(s) = fr.get_mut(*slot) {
                *s = v;
            }
        }
        // results of earlier branches whose condition was unknown
        let mut maybe: Vec<Value<'a>> = vec![];
        let mut missing: Vec<String> = vec![];
        for (index, b) in body.branches.iter().enumerate() {
            let start = self.reads.len();
            let holds = match &b.when {
                None => Some(true),
                Some(w) => self.eval(w, &mut fr).truth(),
            };
            match holds {
                Some(true) => {
                    let result = self.eval(&b.result, &mut fr);
                    if maybe.iter().any(|m| !same_result(m, &result)) {
                        return Fired::Unknown(missing);
                    }
                    let because = match &b.because {
                        Some(e) if self.explain => Some(display(&self.eval(e, &mut fr))),
                        _ => None,
                    };
                    return Fired::Yes {
                        result,
                        because,
                        exception: b.exception.clone(),
                        branch: index,
                        reads_from: b.when.as_ref().map(|_| start),
                    };
                }
                Some(false) => continue,
                None => {
                    let mut here: Vec<String> = self.reads[start..]
                        .iter()
                        .filter(|r| r.value.is_null())
                        .map(|r| r.path.clone())
                        .collect();
                    if here.is_empty() {
                        here = self
                            .reads
                            .iter()
                            .filter(|r| r.value.is_null() || r.value == "unknown")
                            .map(|r| r.path.clone())
                            .collect();
                    }
                    for m in here {
                        if !missing.contains(&m) {
                            missing.push(m);
                        }
                    }
                    let r = self.eval(&b.result, &mut fr);
                    maybe.push(r);
                }
            }
        }
        if maybe.is_empty() {
            Fired::No
        } else {
            Fired::Unknown(missing)
        }
    }

    /// Values of the pack's `history_<field>` defs after placement.
    fn history_fields(&mut self) -> Vec<(String, Json)> {
        let pack = self.pack;
        pack.defs
            .iter()
            .enumerate()
            .filter(|(_, d)| d.arity == 0 && d.name.starts_with("history_"))
            .map(|(i, d)| {
                (
                    d.name["history_".len()..].to_string(),
                    to_json(&self.def(i, vec![])),
                )
            })
            .collect()
    }

    fn def(&mut self, i: usize, args: Vec<Value<'a>>) -> Value<'a> {
        // not memoised: a def may read `tier`, which changes during placement
        let d = &self.pack.defs[i];
        let mut fr = args;
        fr.resize(d.frame.max(d.arity).max(1), Value::Unknown);
        self.eval(&d.body, &mut fr)
    }

    fn fact_value(&mut self, f: &'a Fact, path: Option<Rc<PathNode>>) -> Value<'a> {
        match f {
            Fact::Null => {
                self.log_at(&path, Json::Null);
                Value::Unknown
            }
            Fact::Bool(b) => {
                self.log_at(&path, Json::Bool(*b));
                Value::Bool(*b)
            }
            Fact::Num(n) => {
                self.log_at(&path, num_json(*n));
                Value::Num(*n)
            }
            Fact::Text(t) => {
                self.log_at(&path, Json::String(t.to_string()));
                Value::Text(t.clone())
            }
            Fact::List(items) => {
                if items
                    .iter()
                    .all(|i| !matches!(i, Fact::Record(_) | Fact::List(_)))
                {
                    let j = fact_json(f);
                    self.log_at(&path, j);
                }
                Value::Fact(f, path)
            }
            Fact::Record(_) => Value::Fact(f, path),
        }
    }

    fn eval(&mut self, e: &CExpr, fr: &mut Vec<Value<'a>>) -> Value<'a> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            self.exhausted = true;
            return Value::Unknown;
        }
        // like the step budget, the other limits stop evaluation for good:
        // a text made from an unknown part would read "unknown" and compare
        // as if it were known
        if self.oversized || self.too_deep {
            return Value::Unknown;
        }
        if self.depth >= MAX_EVAL_DEPTH {
            self.too_deep = true;
            return Value::Unknown;
        }
        self.depth += 1;
        let v = self.eval_at(e, fr);
        self.depth -= 1;
        v
    }

    /// A text value, or unknown (and the `oversized` warning) past [`MAX_TEXT`].
    fn text(&mut self, s: String) -> Value<'a> {
        if s.len() > MAX_TEXT {
            self.oversized = true;
            return Value::Unknown;
        }
        Value::Text(s.into())
    }

    fn eval_at(&mut self, e: &CExpr, fr: &mut Vec<Value<'a>>) -> Value<'a> {
        match e {
            CExpr::Const(c) => match c {
                Const::Null => Value::Unknown,
                Const::Bool(b) => Value::Bool(*b),
                Const::Num(n) => Value::Num(*n),
                Const::Text(t) => Value::Text(t.clone()),
            },
            CExpr::Template(parts) => {
                let mut s = String::new();
                for p in parts.iter() {
                    match p {
                        CPart::Text(t) => s.push_str(t),
                        CPart::Expr(x) => {
                            let v = self.eval(x, fr);
                            if display_exceeds(&v, MAX_TEXT.saturating_sub(s.len())) {
                                self.oversized = true;
                                return Value::Unknown;
                            }
                            s.push_str(&display(&v));
                        }
                    }
                }
                self.text(s)
            }
            CExpr::Fact(idx) => {
                let mut cur: &'a Fact = self.root;
                let mut path: Option<Rc<PathNode>> = None;
                for (i, name) in idx.iter() {
                    if self.explain {
                        path = extend(&path, Seg::Field(name.clone()));
                    }
                    match cur {
                        Fact::Record(fields) => match fields.get(*i) {
                            Some(f) => cur = f,
                            None => return Value::Unknown,
                        },
                        _ => {
                            self.log_at(&path, Json::Null);
                            return Value::Unknown;
                        }
                    }
                }
                self.fact_value(cur, path)
            }
            CExpr::Local(slot) => fr.get(*slot).cloned().unwrap_or(Value::Unknown),
            CExpr::Field(base, j, name) => {
                let b = self.eval(base, fr);
                match b {
                    Value::Fact(Fact::Record(fields), path) => match fields.get(*j) {
                        Some(f) => {
                            let p = if path.is_some() {
                                extend(&path, Seg::Field(name.clone()))
                            } else {
                                None
                            };
                            self.fact_value(f, p)
                        }
                        None => Value::Unknown,
                    },
                    Value::Rec(vals) => vals.get(*j).cloned().unwrap_or(Value::Unknown),
                    _ => Value::Unknown,
                }
            }
            CExpr::Param(i) => {
                let p = &self.pack.params[*i];
                let v = match self.edition {
                    Some(year) => p
                        .values
                        .iter()
                        .rev()
                        .find(|(from, _)| *from <= year)
                        .map(|(_, c)| c.clone()),
                    None => None,
                };
                let v = match v {
                    Some(Const::Bool(b)) => Value::Bool(b),
                    Some(Const::Num(n)) => Value::Num(n),
                    Some(Const::Text(t)) => Value::Text(t),
                    _ => Value::Unknown,
                };
                if self.explain {
                    self.log(format!("param {}", p.name), to_json(&v));
                }
                v
            }
            CExpr::Def(i, args) => {
                let args: Vec<Value<'a>> = args.iter().map(|a| self.eval(a, fr)).collect();
                self.def(*i, args)
            }
            CExpr::Judgment(j) => {
                let v = self.judgment(*j);
                if self.explain {
                    let name = &self.pack.judgments[*j].name;
                    let src = self.judg[*j]
                        .as_ref()
                        .map(|m| m.source)
                        .unwrap_or(Source::Unknown);
                    self.log(format!("{name} ({})", src.as_str()), to_json(&v));
                }
                v
            }
            CExpr::Is(i, o) => {
                let got = self.criterion(*i);
                if self.explain {
                    self.log(
                        self.pack.criteria[*i].id.clone(),
                        Json::String(got.as_str().into()),
                    );
                }
                if got == Outcome::Unknown && *o != Outcome::Unknown {
                    Value::Unknown
                } else {
                    Value::Bool(got == *o)
                }
            }
            CExpr::Tier => match &self.tier {
                Some(t) => Value::Text(t.clone()),
                None => Value::Unknown,
            },
            CExpr::Levers => Value::List(Rc::new(
                self.pack
                    .levers
                    .iter()
                    .map(|l| {
                        Value::Rec(Rc::new(vec![
                            Value::Text(l.name.as_str().into()),
                            Value::Text(l.meta.title.as_deref().unwrap_or(&l.name).into()),
                            Value::Text(l.meta.pillar.as_deref().unwrap_or("").into()),
                            match &l.recommend {
                                Some(r) => Value::Text(r.as_str().into()),
                                None => Value::Unknown,
                            },
                            Value::List(Rc::new(
                                l.fixes
                                    .iter()
                                    .map(|f| Value::Text(f.as_str().into()))
                                    .collect(),
                            )),
                        ]))
                    })
                    .collect(),
            )),
            CExpr::Criteria => {
                // built on first use, once every criterion is decided
                if !self.criteria_done {
                    return Value::Unknown;
                }
                if self.results.is_none() {
                    let list = (0..self.pack.criteria.len())
                        .map(|i| self.criterion_record(i))
                        .collect();
                    self.results = Some(Rc::new(list));
                }
                self.results
                    .as_ref()
                    .map(|r| Value::List(r.clone()))
                    .unwrap_or(Value::Unknown)
            }
            CExpr::Not(a) => match self.eval(a, fr) {
                Value::Bool(b) => Value::Bool(!b),
                _ => Value::Unknown,
            },
            CExpr::Neg(a) => match self.eval(a, fr) {
                Value::Num(n) => Value::Num(-n),
                _ => Value::Unknown,
            },
            CExpr::Num(n, _) => Value::Num(*n),
            CExpr::Bin(op, a, b, _) => self.binary(*op, a, b, fr),
            CExpr::If(c, t, f) => match self.eval(c, fr).truth() {
                Some(true) => self.eval(t, fr),
                Some(false) => self.eval(f, fr),
                None => Value::Unknown,
            },
            CExpr::Quant {
                kind,
                slot,
                year_field,
                list,
                filter,
            } => {
                let l = self.eval(list, fr);
                if matches!(l, Value::Unknown) {
                    return Value::Unknown;
                }
                let elems = items(&l);
                ensure(fr, *slot);
                match kind {
                    QuantKind::Any | QuantKind::All | QuantKind::Count => {
                        let mut trues = 0usize;
                        let mut falses = 0usize;
                        let mut unknowns = 0usize;
                        for item in elems {
                            fr[*slot] = item;
                            let t = match filter {
                                Some(f) => self.eval(f, fr).truth(),
                                None => Some(true),
                            };
                            match t {
                                Some(true) => {
                                    trues += 1;
                                    if *kind == QuantKind::Any {
                                        return Value::Bool(true);
                                    }
                                }
                                Some(false) => {
                                    falses += 1;
                                    if *kind == QuantKind::All {
                                        return Value::Bool(false);
                                    }
                                }
                                None => unknowns += 1,
                            }
                        }
                        let _ = falses;
                        if unknowns > 0 {
                            return Value::Unknown;
                        }
                        match kind {
                            QuantKind::Any => Value::Bool(false),
                            QuantKind::All => Value::Bool(true),
                            _ => Value::Num(trues as f64),
                        }
                    }
                    QuantKind::Streak => {
                        let Some(edition) = self.edition else {
                            return Value::Unknown;
                        };
                        let mut year = edition - 1.0;
                        let mut n = 0.0;
                        loop {
                            let mut found = false;
                            let mut unknown = false;
                            for item in elems.iter() {
                                let y = year_of(item, *year_field);
                                if y != Some(year) {
                                    continue;
                                }
                                fr[*slot] = item.clone();
                                match filter {
                                    Some(f) => match self.eval(f, fr).truth() {
                                        Some(true) => found = true,
                                        Some(false) => {}
                                        None => unknown = true,
                                    },
                                    None => found = true,
                                }
                            }
                            if found {
                                n += 1.0;
                                year -= 1.0;
                            } else if unknown {
                                return Value::Unknown;
                            } else {
                                return Value::Num(n);
                            }
                            if n > 10_000.0 {
                                return Value::Num(n);
                            }
                        }
                    }
                }
            }
            CExpr::Agg {
                kind,
                slot,
                value,
                list,
                filter,
            } => {
                let l = self.eval(list, fr);
                if matches!(l, Value::Unknown) {
                    return Value::Unknown;
                }
                ensure(fr, *slot);
                let mut acc: Option<f64> = None;
                let mut collected: Vec<Value<'a>> = vec![];
                for item in items(&l) {
                    fr[*slot] = item;
                    let keep = match filter {
                        Some(f) => self.eval(f, fr).truth(),
                        None => Some(true),
                    };
                    match keep {
                        Some(true) => {}
                        Some(false) => continue,
                        None => return Value::Unknown,
                    }
                    let v = self.eval(value, fr);
                    if *kind == AggKind::First {
                        return v;
                    }
                    if *kind == AggKind::Collect {
                        collected.push(v);
                        continue;
                    }
                    let Value::Num(n) = v else {
                        return Value::Unknown;
                    };
                    acc = Some(match (kind, acc) {
                        (_, None) => n,
                        (AggKind::Max, Some(a)) => a.max(n),
                        (AggKind::Min, Some(a)) => a.min(n),
                        (_, Some(a)) => a + n,
                    });
                }
                if *kind == AggKind::Collect {
                    return Value::List(Rc::new(collected));
                }
                match (kind, acc) {
                    (_, Some(a)) => Value::Num(a),
                    (AggKind::Sum, None) => Value::Num(0.0),
                    _ => Value::Unknown,
                }
            }
            CExpr::Call(b, args) => {
                let v = args
                    .first()
                    .map(|a| self.eval(a, fr))
                    .unwrap_or(Value::Unknown);
                match b {
                    Builtin::Known => Value::Bool(!matches!(v, Value::Unknown)),
                    Builtin::Len => match v {
                        Value::Unknown => Value::Unknown,
                        other => Value::Num(items(&other).len() as f64),
                    },
                    Builtin::Join => match v {
                        Value::Unknown => Value::Unknown,
                        other if display_exceeds(&other, MAX_TEXT) => {
                            self.oversized = true;
                            Value::Unknown
                        }
                        other => {
                            let parts: Vec<String> = items(&other).iter().map(display).collect();
                            self.text(join_words(&parts))
                        }
                    },
                    Builtin::Sentences => match v {
                        Value::Unknown => Value::Unknown,
                        other if display_exceeds(&other, MAX_TEXT) => {
                            self.oversized = true;
                            Value::Unknown
                        }
                        other => {
                            let mut parts: Vec<String> = vec![];
                            for p in items(&other) {
                                if matches!(p, Value::Unknown) {
                                    continue;
                                }
                                let s = display(&p);
                                // each text once, in first-seen order
                                if !s.trim().is_empty() && !parts.contains(&s) {
                                    parts.push(s);
                                }
                            }
                            self.text(parts.join(" "))
                        }
                    },
                    Builtin::Round => match v {
                        Value::Num(n) => Value::Num(n.round()),
                        _ => Value::Unknown,
                    },
                    Builtin::LowerFirst => match v {
                        Value::Text(t) => {
                            let mut c = t.chars();
                            match c.next() {
                                Some(f) => Value::Text(
                                    format!("{}{}", f.to_lowercase(), c.as_str()).into(),
                                ),
                                None => Value::Text(t),
                            }
                        }
                        _ => Value::Unknown,
                    },
                }
            }
            CExpr::Bind(binds, body) => {
                for (slot, a) in binds {
                    let v = self.eval(a, fr);
                    ensure(fr, *slot);
                    fr[*slot] = v;
                }
                self.eval(body, fr)
            }
            CExpr::List(xs) => {
                let vals: Vec<Value<'a>> = xs.iter().map(|x| self.eval(x, fr)).collect();
                Value::List(Rc::new(vals))
            }
        }
    }

    fn binary(&mut self, op: BinOp, a: &CExpr, b: &CExpr, fr: &mut Vec<Value<'a>>) -> Value<'a> {
        match op {
            // Kleene: `and` is decided by a false side, `or` by a true one
            BinOp::And | BinOp::Or => {
                let decisive = op == BinOp::Or;
                let x = self.eval(a, fr).truth();
                if x == Some(decisive) {
                    return Value::Bool(decisive);
                }
                let y = self.eval(b, fr).truth();
                match (x, y) {
                    (_, Some(v)) if v == decisive => Value::Bool(decisive),
                    (Some(_), Some(_)) => Value::Bool(!decisive),
                    _ => Value::Unknown,
                }
            }
            BinOp::Coalesce => {
                let start = self.reads.len();
                match self.eval(a, fr) {
                    Value::Unknown => {
                        // the default applies: the missing fact decided nothing
                        self.reads.truncate(start);
                        self.eval(b, fr)
                    }
                    v => v,
                }
            }
            _ => {
                let x = self.eval(a, fr);
                let y = self.eval(b, fr);
                if matches!(x, Value::Unknown) || matches!(y, Value::Unknown) {
                    return Value::Unknown;
                }
                match op {
                    BinOp::Eq => Value::Bool(equal(&x, &y)),
                    BinOp::Ne => Value::Bool(!equal(&x, &y)),
                    BinOp::In => Value::Bool(items(&y).iter().any(|i| equal(&x, i))),
                    _ => {
                        let (Value::Num(p), Value::Num(q)) = (x, y) else {
                            return Value::Unknown;
                        };
                        match op {
                            BinOp::Lt => Value::Bool(p < q),
                            BinOp::Le => Value::Bool(p <= q),
                            BinOp::Gt => Value::Bool(p > q),
                            BinOp::Ge => Value::Bool(p >= q),
                            BinOp::Add => Value::Num(p + q),
                            BinOp::Sub => Value::Num(p - q),
                            BinOp::Mul => Value::Num(p * q),
                            BinOp::Div if q != 0.0 => Value::Num(p / q),
                            _ => Value::Unknown,
                        }
                    }
                }
            }
        }
    }
}

fn ensure(fr: &mut Vec<Value>, slot: usize) {
    if fr.len() <= slot {
        fr.resize(slot + 1, Value::Unknown);
    }
}

fn year_of(v: &Value, field: usize) -> Option<f64> {
    match v {
        Value::Fact(Fact::Record(fields), _) => match fields.get(field) {
            Some(Fact::Num(n)) => Some(*n),
            _ => None,
        },
        _ => None,
    }
}

fn items<'a>(v: &Value<'a>) -> Vec<Value<'a>> {
    match v {
        Value::Fact(Fact::List(xs), path) => xs
            .iter()
            .enumerate()
            .map(|(i, x)| {
                let p = path.as_ref().and_then(|_| extend(path, Seg::Index(i)));
                match x {
                    Fact::Null => Value::Unknown,
                    Fact::Bool(b) => Value::Bool(*b),
                    Fact::Num(n) => Value::Num(*n),
                    Fact::Text(t) => Value::Text(t.clone()),
                    other => Value::Fact(other, p),
                }
            })
            .collect(),
        Value::List(xs) => xs.as_ref().clone(),
        _ => vec![],
    }
}

fn equal(x: &Value, y: &Value) -> bool {
    match (x, y) {
        (Value::Bool(a), Value::Bool(b)) => a == b,
        (Value::Num(a), Value::Num(b)) => a == b,
        (Value::Text(a), Value::Text(b)) => a == b,
        _ => false,
    }
}

/// How a value reads in a sentence.
/// Whether [`display`] would give more than `limit` bytes, found without
/// building the text (a list of lists that doubles at each level is
/// counted only up to the limit: every element counts at least the two
/// bytes of its separator).
fn display_exceeds(v: &Value, limit: usize) -> bool {
    fn go(v: &Value, left: &mut usize) -> bool {
        let own = match v {
            Value::Text(t) => t.len(),
            Value::Num(_) | Value::Bool(_) | Value::Unknown | Value::Rec(_) => 24,
            Value::Fact(Fact::List(_), _) | Value::List(_) => {
                for x in items(v) {
                    if *left < 2 {
                        return true;
                    }
                    *left -= 2;
                    if go(&x, left) {
                        return true;
                    }
                }
                return false;
            }
            Value::Fact(_, _) => 8,
        };
        if own > *left {
            return true;
        }
        *left -= own;
        false
    }
    let mut left = limit;
    go(v, &mut left)
}

/// A value as text in a sentence. Text past [`MAX_TEXT`] is never built:
/// callers check with [`display_exceeds`] first, and this says so if not.
fn display(v: &Value) -> String {
    if display_exceeds(v, MAX_TEXT.saturating_mul(2)) {
        return "(text too long to show)".into();
    }
    match v {
        Value::Unknown => "unknown".into(),
        Value::Bool(b) => if *b { "yes" } else { "no" }.into(),
        Value::Num(n) => fmt_num(*n),
        Value::Text(t) => t.to_string(),
        Value::Fact(f, _) => match f {
            Fact::List(_) => join_words(&items(v).iter().map(display).collect::<Vec<_>>()),
            _ => "(record)".into(),
        },
        Value::List(xs) => join_words(&xs.iter().map(display).collect::<Vec<_>>()),
        Value::Rec(_) => "(record)".into(),
    }
}

/// `a`, `a and b`, `a, b and c`.
fn join_words(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn num_json(n: f64) -> Json {
    if n.fract() == 0.0 && n.abs() < 9e15 {
        Json::from(n as i64)
    } else {
        serde_json::Number::from_f64(n)
            .map(Json::Number)
            .unwrap_or(Json::Null)
    }
}

fn fact_json(f: &Fact) -> Json {
    match f {
        Fact::Null => Json::Null,
        Fact::Bool(b) => Json::Bool(*b),
        Fact::Num(n) => num_json(*n),
        Fact::Text(t) => Json::String(t.to_string()),
        Fact::List(xs) => Json::Array(xs.iter().map(fact_json).collect()),
        Fact::Record(_) => Json::String("(record)".into()),
    }
}

fn to_json(v: &Value) -> Json {
    match v {
        Value::Unknown => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Num(n) => num_json(*n),
        Value::Text(t) => Json::String(t.to_string()),
        Value::Fact(f, _) => fact_json(f),
        Value::List(xs) => Json::Array(xs.iter().map(to_json).collect()),
        Value::Rec(_) => Json::String("(record)".into()),
    }
}

fn dedup(reads: Vec<Read>) -> Vec<Read> {
    let mut seen = std::collections::HashSet::with_capacity(reads.len());
    reads
        .into_iter()
        .filter(|r| seen.insert(r.path.clone()))
        .collect()
}

fn unknown_because(missing: &[String]) -> String {
    let facts: Vec<&String> = missing
        .iter()
        .filter(|m| !m.starts_with("param "))
        .collect();
    if facts.is_empty() {
        "cannot be decided from the facts given".into()
    } else {
        let shown: Vec<String> = facts.iter().take(4).map(|m| format!("`{m}`")).collect();
        let more = if facts.len() > 4 {
            format!(" and {} more", facts.len() - 4)
        } else {
            String::new()
        };
        format!("cannot be decided: {}{more} not known", shown.join(", "))
    }
}

/// Calls a one-argument output hook (`tier_label`, `tier_rank`) with a text
/// argument; `None` when the hook is missing or gives unknown.
pub fn call_hook(pack: &RulePack, facts: &Facts, def: Option<usize>, arg: &str) -> Option<Json> {
    let d = def?;
    let mut ev = Ev::new(pack, &facts.root);
    let v = ev.def(d, vec![Value::Text(arg.into())]);
    match v {
        Value::Unknown => None,
        other => Some(to_json(&other)),
    }
}

fn same_result(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Unknown, Value::Unknown) => true,
        _ => equal(a, b),
    }
}

/// The decision alone: the tier and every criterion's outcome, without
/// reasons, facts read or rationale (the fast path for batch runs, reform
/// search and benchmarks). Same outcomes as [`evaluate`].
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub tier: Option<Rc<str>>,
    pub outcomes: Vec<Outcome>,
    /// The last placement step that fired: it set the final tier, or
    /// abstained (what `expect.placement` checks).
    pub placed_by: Option<String>,
}

pub fn decide(pack: &RulePack, facts: &Facts) -> Decision {
    decide_ev(pack, facts, false).0
}

/// [`decide`], and the values of the pack's `history_<field>` defs (what a
/// later year's history entry for this year records, as in
/// [`Assessment::history_fields`]).
pub fn decide_history(pack: &RulePack, facts: &Facts) -> (Decision, Vec<(String, Json)>) {
    decide_ev(pack, facts, true)
}

fn decide_ev(pack: &RulePack, facts: &Facts, history: bool) -> (Decision, Vec<(String, Json)>) {
    let mut ev = Ev::new(pack, &facts.root);
    ev.explain = false;
    let outcomes: Vec<Outcome> = (0..pack.criteria.len()).map(|i| ev.criterion(i)).collect();
    ev.criteria_done = true;
    let (steps, _) = ev.placement();
    let placed_by = steps.into_iter().last().map(|s| s.rule);
    let fields = if history { ev.history_fields() } else { vec![] };
    (
        Decision {
            tier: ev.tier.clone(),
            outcomes,
            placed_by,
        },
        fields,
    )
}

/// The draft from its sentences: joined by spaces, with a blank line where a
/// `paragraph` stands; empty paragraphs are dropped.
/// Marks a `paragraph` among the sentences (U+2029 PARAGRAPH SEPARATOR).
const PARAGRAPH: &str = "\u{2029}";

fn paragraphs(sentences: &[String]) -> String {
    let mut out: Vec<String> = vec![];
    let mut cur: Vec<&str> = vec![];
    for s in sentences {
        if s == PARAGRAPH {
            if !cur.is_empty() {
                out.push(cur.join(" "));
                cur.clear();
            }
        } else {
            cur.push(s.as_str());
        }
    }
    if !cur.is_empty() {
        out.push(cur.join(" "));
    }
    out.join("\n\n")
}
