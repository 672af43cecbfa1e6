//! Evaluation: pure and total. `evaluate(&RulePack, &Facts)` gives an
//! [`Assessment`] with the justification of every outcome; it never
//! panics, and a missing fact gives `unknown`, never a silent `not_met`.
//!
//! `evaluate`, `decide` and `decide_history` are short pipelines of named
//! steps; the steps are methods of the evaluator, `state::Ev`:
//! - `state`: the evaluator (memo tables, the facts read, the limits);
//! - `rules`: criteria, judgments, defs, placement steps, bodies;
//! - `expr` and `quant`: expressions, builtins and binary operators;
//!   quantifiers and aggregates;
//! - `value`: the values expressions give, how they read and compare;
//! - `output`: the assessment's results, rationale, warnings, hooks and
//!   cited sources;
//! - `result`: the public result types ([`Assessment`] and its parts).

mod expr;
mod output;
mod quant;
mod result;
mod rules;
mod state;
mod value;

pub use result::{Assessment, CriterionResult, JudgmentResult, Read, Source, StepResult};

use crate::facts::Facts;
use crate::pack::{Outcome, RulePack};
use serde_json::Value as Json;
use state::Ev;
use std::rc::Rc;
use value::{to_json, Value};

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

/// Evaluates every criterion, judgment, placement step, warning and the
/// rationale of `pack` against `facts`.
pub fn evaluate(pack: &RulePack, facts: &Facts) -> Assessment {
    let mut ev = Ev::new(pack, &facts.root);
    let criteria = ev.criteria_results();
    ev.criteria_done = true;
    for j in 0..pack.judgments.len() {
        ev.judgment(j);
    }
    let (steps, mut warnings) = ev.placement();
    // every criterion, judgment and step is decided and explained by now;
    // the draft and the warnings only word them, and what they read is not
    // reported, so it is not logged
    let explain = std::mem::replace(&mut ev.explain, false);
    let sentences = ev.rationale_sentences();
    ev.pack_warnings(&mut warnings);
    ev.explain = explain;
    ev.limit_warnings(&mut warnings);
    let history_fields = ev.history_fields();
    let previous_tier = ev.text_hook(pack.previous_tier_def);
    let movement = ev.text_hook(pack.movement_def);
    let tier = ev.tier.as_ref().map(|t| t.to_string());
    let tier_label = ev.tier_label(&tier);
    let previous_tier_label = ev.tier_label(&previous_tier);
    let judgments = ev.judgment_results();
    let mut a = Assessment {
        source: facts.path.clone(),
        country: output::country(pack, facts),
        year: ev.edition,
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
        rationale: output::paragraphs(&sentences),
        history_fields,
        sources: Vec::new(),
    };
    a.sources = output::cited_sources(pack, &a);
    a
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
