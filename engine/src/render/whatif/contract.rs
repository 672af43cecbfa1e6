//! The JSON contract of the what-if, reform, lever-list and rule-diff
//! views: one `Serialize` struct per object, fields in the order the keys
//! are written (serde_json keeps it), built from the engine's results
//! without deciding anything.

use crate::eval::{CriterionResult, StepResult};
use crate::pack::{CLever, Const};
use crate::whatif::{Delta, Establish, Reforms, Solution};
use serde::Serialize;

/// `tiers whatif --format json`.
#[derive(Serialize)]
pub struct DeltaDoc<'a> {
    country: &'a str,
    year: Option<f64>,
    note: Option<&'a str>,
    changes: &'a [String],
    tier_before: &'a Option<String>,
    tier_after: &'a Option<String>,
    criteria_moved: Vec<MovedDoc<'a>>,
    steps_removed: Vec<StepDoc<'a>>,
    steps_added: Vec<StepDoc<'a>>,
    why: &'a [String],
    rationale_before: &'a str,
    rationale_after: &'a str,
}

#[derive(Serialize)]
struct MovedDoc<'a> {
    id: &'a str,
    before: &'a str,
    after: &'a str,
    because_before: &'a str,
    because_after: &'a str,
}

#[derive(Serialize)]
struct StepDoc<'a> {
    rule: &'a str,
    tier: &'a Option<String>,
    because: &'a str,
}

impl<'a> StepDoc<'a> {
    fn of(s: &'a StepResult) -> Self {
        StepDoc {
            rule: &s.rule,
            tier: &s.tier,
            because: &s.because,
        }
    }
}

impl<'a> DeltaDoc<'a> {
    pub fn new(d: &'a Delta, changes: &'a [String], note: Option<&'a str>) -> Self {
        let moved = |(x, y): &'a (CriterionResult, CriterionResult)| MovedDoc {
            id: &x.id,
            before: x.outcome.as_str(),
            after: y.outcome.as_str(),
            because_before: &x.because,
            because_after: &y.because,
        };
        DeltaDoc {
            country: &d.before.country,
            year: d.before.year,
            note,
            changes,
            tier_before: &d.before.tier,
            tier_after: &d.after.tier,
            criteria_moved: d.moved.iter().map(moved).collect(),
            steps_removed: d.steps_removed.iter().map(StepDoc::of).collect(),
            steps_added: d.steps_added.iter().map(StepDoc::of).collect(),
            why: &d.why,
            rationale_before: &d.before.rationale,
            rationale_after: &d.after.rationale,
        }
    }
}

/// `tiers reforms --format json`.
#[derive(Serialize)]
pub struct ReformsDoc<'a> {
    country: &'a str,
    target: String,
    current_tier: &'a Option<String>,
    reached_already: bool,
    assume_unknown_fails: bool,
    solutions: Vec<SolutionDoc<'a>>,
    unreachable: &'a Option<String>,
    establish: Vec<EstablishDoc<'a>>,
    unknown_criteria: Vec<NotKnownDoc<'a>>,
    levers: Vec<LeverDoc<'a>>,
    inert_levers: &'a [String],
    inert_reasons: Vec<InertDoc<'a>>,
    unknown_levers: Vec<UnknownLeverDoc<'a>>,
    equivalent_levers: &'a [(String, String)],
    evaluated: usize,
    stopped: &'a Option<String>,
    criteria: Vec<CriterionReformsDoc<'a>>,
}

#[derive(Serialize)]
struct SolutionDoc<'a> {
    levers: &'a [String],
    tier: &'a Option<String>,
    fixes: &'a [String],
}

fn solutions(r: &Reforms) -> Vec<SolutionDoc<'_>> {
    r.solutions
        .iter()
        .map(|s: &Solution| SolutionDoc {
            levers: &s.levers,
            tier: &s.tier,
            fixes: &s.fixes,
        })
        .collect()
}

#[derive(Serialize)]
struct EstablishDoc<'a> {
    path: &'a str,
    value: &'a str,
    levers: &'a [String],
    reached_already: bool,
    solutions: &'a [Vec<String>],
}

#[derive(Serialize)]
struct NotKnownDoc<'a> {
    id: &'a str,
    not_known: &'a [String],
}

#[derive(Serialize)]
struct InertDoc<'a> {
    lever: &'a str,
    why: &'a str,
}

#[derive(Serialize)]
struct UnknownLeverDoc<'a> {
    lever: &'a str,
    not_known: &'a [String],
}

#[derive(Serialize)]
struct CriterionReformsDoc<'a> {
    id: &'a str,
    solutions: Vec<SolutionDoc<'a>>,
    unreachable: &'a Option<String>,
}

impl<'a> ReformsDoc<'a> {
    /// `target` is the target as the text view words it; `named` the
    /// levers the result names, in pack order.
    pub fn new(
        r: &'a Reforms,
        country: &'a str,
        target: String,
        per_criterion: &'a [(String, Reforms)],
        named: &[&'a CLever],
    ) -> Self {
        ReformsDoc {
            country,
            target,
            current_tier: &r.current_tier,
            reached_already: r.reached_already,
            assume_unknown_fails: r.assume_unknown_fails,
            solutions: solutions(r),
            unreachable: &r.unreachable,
            establish: r
                .establish
                .iter()
                .map(|e: &Establish| EstablishDoc {
                    path: &e.path,
                    value: &e.value,
                    levers: &e.levers,
                    reached_already: e.reached_already,
                    solutions: &e.solutions,
                })
                .collect(),
            unknown_criteria: r
                .unknown_criteria
                .iter()
                .map(|(id, facts)| NotKnownDoc {
                    id,
                    not_known: facts,
                })
                .collect(),
            levers: named.iter().map(|l| LeverDoc::new(l, None)).collect(),
            inert_levers: &r.inert,
            inert_reasons: r
                .inert_reasons
                .iter()
                .map(|(lever, why)| InertDoc { lever, why })
                .collect(),
            unknown_levers: r
                .unknown_levers
                .iter()
                .map(|(lever, p)| UnknownLeverDoc {
                    lever,
                    not_known: p,
                })
                .collect(),
            equivalent_levers: &r.equivalent,
            evaluated: r.evaluated,
            stopped: &r.stopped,
            criteria: per_criterion
                .iter()
                .map(|(id, c)| CriterionReformsDoc {
                    id,
                    solutions: solutions(c),
                    unreachable: &c.unreachable,
                })
                .collect(),
        }
    }
}

/// A lever, in the reform result and in `tiers reforms --list` (which
/// adds `can_change`).
#[derive(Serialize)]
pub struct LeverDoc<'a> {
    name: &'a str,
    title: &'a Option<String>,
    recommend: &'a Option<String>,
    pillar: &'a Option<String>,
    cites: &'a [String],
    sets: Vec<SetDoc<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    can_change: Option<Vec<String>>,
}

#[derive(Serialize)]
struct SetDoc<'a> {
    path: &'a str,
    value: ConstDoc<'a>,
}

/// A lever's value as JSON: null, a boolean, a number or a string.
#[derive(Serialize)]
#[serde(untagged)]
enum ConstDoc<'a> {
    Null,
    Bool(bool),
    Num(f64),
    Text(&'a str),
}

impl<'a> LeverDoc<'a> {
    pub fn new(l: &'a CLever, can_change: Option<Vec<String>>) -> Self {
        LeverDoc {
            name: &l.name,
            title: &l.meta.title,
            recommend: &l.recommend,
            pillar: &l.meta.pillar,
            cites: &l.meta.cites,
            sets: l
                .sets
                .iter()
                .map(|(_, c, p)| SetDoc {
                    path: p,
                    value: match c {
                        Const::Null => ConstDoc::Null,
                        Const::Bool(b) => ConstDoc::Bool(*b),
                        Const::Num(n) => ConstDoc::Num(*n),
                        Const::Text(t) => ConstDoc::Text(t),
                    },
                })
                .collect(),
            can_change,
        }
    }
}

/// `tiers diff --format json`.
#[derive(Serialize)]
pub struct DiffDoc<'a> {
    pub base: &'a str,
    pub rules: &'a str,
    pub cases: usize,
    pub changed: Vec<DiffCaseDoc<'a>>,
}

/// One case that changes between the packs; the words are the text
/// view's (`undecided`, `absent`, `loads`).
#[derive(Serialize)]
pub struct DiffCaseDoc<'a> {
    pub case: &'a str,
    pub tier: Option<BaseNew<'a>>,
    pub criteria: Vec<CriterionDiffDoc<'a>>,
}

#[derive(Serialize)]
pub struct BaseNew<'a> {
    pub base: &'a str,
    pub new: &'a str,
}

#[derive(Serialize)]
pub struct CriterionDiffDoc<'a> {
    pub id: &'a str,
    pub base: &'a str,
    pub new: &'a str,
}
