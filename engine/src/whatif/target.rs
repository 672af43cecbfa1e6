//! What a reform search aims at, and whether an assessment (or the fast
//! decision) reaches it: by the pack's `tier_rank` for a tier, by the
//! outcome `met` for a criterion.

use crate::eval::{call_hook, Assessment, Decision};
use crate::facts::Facts;
use crate::pack::{Outcome, RulePack};

/// What a reform search aims at.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// A tier at least as good as this one (by the pack's `tier_rank`).
    Tier(String),
    /// A criterion that comes out `met`.
    Criterion(String),
}

fn rank(pack: &RulePack, facts: &Facts, tier: &str) -> Option<f64> {
    call_hook(pack, facts, pack.tier_rank_def, tier).and_then(|j| j.as_f64())
}

fn reached(
    pack: &RulePack,
    facts: &Facts,
    tier: Option<&str>,
    outcome: impl Fn(&str) -> Option<Outcome>,
    target: &Target,
) -> bool {
    match target {
        Target::Criterion(id) => outcome(id) == Some(Outcome::Met),
        Target::Tier(t) => match (tier, rank(pack, facts, t)) {
            (Some(got), Some(want)) => rank(pack, facts, got).is_some_and(|g| g <= want && g > 0.0),
            (Some(got), None) => got == t,
            _ => false,
        },
    }
}

pub(super) fn reached_assessment(
    pack: &RulePack,
    facts: &Facts,
    a: &Assessment,
    target: &Target,
) -> bool {
    reached(pack, facts, a.tier.as_deref(), |id| a.outcome(id), target)
}

pub(super) fn reached_decision(
    pack: &RulePack,
    facts: &Facts,
    d: &Decision,
    target: &Target,
) -> bool {
    let outcome = |id: &str| {
        pack.criterion_index(id)
            .and_then(|i| d.outcomes.get(i).copied())
    };
    reached(pack, facts, d.tier.as_deref(), outcome, target)
}

/// The tier one step better than `current` by the pack's `tier_rank`.
pub fn next_tier_up(pack: &RulePack, facts: &Facts, current: Option<&str>) -> String {
    let rank = |t: &str| rank(pack, facts, t);
    let cur = current.and_then(rank).unwrap_or(f64::MAX);
    pack.tier_variants
        .iter()
        .filter_map(|t| {
            rank(t)
                .filter(|r| *r > 0.0 && *r < cur)
                .map(|r| (r, t.clone()))
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, t)| t)
        .unwrap_or_else(|| current.unwrap_or_default().to_string())
}
