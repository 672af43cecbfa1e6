//! What moves when facts change: the comparison of two assessments, and the
//! search for the smallest sets of reform levers that reach a target.

use crate::eval::{call_hook, decide, evaluate, Assessment, CriterionResult, Decision, StepResult};
use crate::facts::{Fact, Facts};
use crate::pack::{Outcome, RulePack};
use crate::scenario::{apply, lever_changes};
use std::collections::HashMap;

/// Two assessments of one country: before and after a change.
#[derive(Debug, Clone)]
pub struct Delta {
    pub before: Assessment,
    pub after: Assessment,
    /// Criteria whose outcome moved: (before, after).
    pub moved: Vec<(CriterionResult, CriterionResult)>,
    /// Placement steps that fired before but not after, or the reverse, or
    /// with another result.
    pub steps_removed: Vec<StepResult>,
    pub steps_added: Vec<StepResult>,
    /// The rationale, sentence by sentence: ' ' kept, '-' removed, '+' added.
    pub rationale: Vec<(char, String)>,
}

impl Delta {
    pub fn tier_changed(&self) -> bool {
        self.before.tier != self.after.tier
    }
}

pub fn compare(before: Assessment, after: Assessment) -> Delta {
    let moved = before
        .criteria
        .iter()
        .filter_map(|b| {
            let a = after.criteria.iter().find(|a| a.id == b.id)?;
            (a.outcome != b.outcome).then(|| (b.clone(), a.clone()))
        })
        .collect();
    let same = |x: &StepResult, y: &StepResult| {
        x.rule == y.rule && x.tier == y.tier && x.because == y.because
    };
    let steps_removed = before
        .steps
        .iter()
        .filter(|s| !after.steps.iter().any(|t| same(s, t)))
        .cloned()
        .collect();
    let steps_added = after
        .steps
        .iter()
        .filter(|s| !before.steps.iter().any(|t| same(s, t)))
        .cloned()
        .collect();
    let rationale = diff_lines(&sentences(&before.rationale), &sentences(&after.rationale));
    Delta {
        before,
        after,
        moved,
        steps_removed,
        steps_added,
        rationale,
    }
}

/// Splits a rationale into sentences (at ". " and "; therefore").
pub fn sentences(text: &str) -> Vec<String> {
    let mut out = vec![];
    let mut cur = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        cur.push(*c);
        if *c == '.' && chars.get(i + 1).is_none_or(|n| *n == ' ') {
            out.push(cur.trim().to_string());
            cur.clear();
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}

/// A line diff by longest common subsequence.
fn diff_lines(a: &[String], b: &[String]) -> Vec<(char, String)> {
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = vec![];
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            out.push((' ', a[i].clone()));
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] > lcs[i + 1][j]) {
            out.push(('+', b[j].clone()));
            j += 1;
        } else {
            out.push(('-', a[i].clone()));
            i += 1;
        }
    }
    out
}

/// What a reform search aims at.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// A tier at least as good as this one (by the pack's `tier_rank`).
    Tier(String),
    /// A criterion that comes out `met`.
    Criterion(String),
}

/// One minimal set of levers that reaches the target.
#[derive(Debug, Clone)]
pub struct Solution {
    pub levers: Vec<String>,
    pub tier: Option<String>,
    /// Criteria that go from not met (or unknown) to met.
    pub fixes: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Reforms {
    pub target: Target,
    pub current_tier: Option<String>,
    pub reached_already: bool,
    pub solutions: Vec<Solution>,
    /// Levers that change nothing in this case's facts.
    pub inert: Vec<String>,
    /// Levers with the same effect as an earlier one: (lever, same as).
    pub equivalent: Vec<(String, String)>,
    /// Why nothing reaches the target, when nothing does.
    pub unreachable: Option<String>,
    /// How many lever sets were evaluated.
    pub evaluated: usize,
    /// The largest set size searched.
    pub max_size: usize,
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

fn reached_assessment(pack: &RulePack, facts: &Facts, a: &Assessment, target: &Target) -> bool {
    reached(pack, facts, a.tier.as_deref(), |id| a.outcome(id), target)
}

fn reached_decision(pack: &RulePack, facts: &Facts, d: &Decision, target: &Target) -> bool {
    let outcome = |id: &str| {
        pack.criterion_index(id)
            .and_then(|i| d.outcomes.get(i).copied())
    };
    reached(pack, facts, d.tier.as_deref(), outcome, target)
}

/// Finds the minimal sets of the pack's levers (up to `max_size` levers)
/// that reach `target`, smallest first, never a superset of a reported set.
/// Levers that change nothing are dropped, levers with identical effects
/// are merged, and identical fact states are evaluated once.
pub fn reforms(pack: &RulePack, facts: &Facts, target: Target, max_size: usize) -> Reforms {
    let base = evaluate(pack, facts);
    let mut out = Reforms {
        target: target.clone(),
        current_tier: base.tier.clone(),
        reached_already: reached_assessment(pack, facts, &base, &target),
        solutions: vec![],
        inert: vec![],
        equivalent: vec![],
        unreachable: None,
        evaluated: 1,
        max_size,
    };
    if out.reached_already {
        return out;
    }
    // levers that change this case, each with its effect
    let mut effective: Vec<(usize, Fact)> = vec![];
    for (i, lever) in pack.levers.iter().enumerate() {
        let mut root = facts.root.clone();
        let ok = lever_changes(lever)
            .iter()
            .all(|c| apply(&mut root, &pack.root, c).is_ok());
        if !ok || root == facts.root {
            out.inert.push(lever.name.clone());
            continue;
        }
        if let Some((j, _)) = effective.iter().find(|(_, r)| *r == root) {
            out.equivalent
                .push((lever.name.clone(), pack.levers[*j].name.clone()));
            continue;
        }
        effective.push((i, root));
    }
    let n = effective.len();
    // identical fact states (levers that overlap) are decided once
    let mut seen: HashMap<Fact, bool> = HashMap::new();
    let mut solutions: Vec<Vec<usize>> = vec![];
    for size in 1..=max_size.min(n) {
        let mut combo: Vec<usize> = (0..size).collect();
        loop {
            if !solutions
                .iter()
                .any(|s| s.iter().all(|x| combo.contains(x)))
            {
                let mut f = facts.clone();
                for &k in &combo {
                    for c in lever_changes(&pack.levers[effective[k].0]) {
                        let _ = apply(&mut f.root, &pack.root, &c);
                    }
                }
                let hit = match seen.get(&f.root) {
                    Some(h) => *h,
                    None => {
                        out.evaluated += 1;
                        // the fast path decides; only a hit is explained
                        let h = reached_decision(pack, &f, &decide(pack, &f), &target);
                        if h {
                            let a = evaluate(pack, &f);
                            let fixes = a
                                .criteria
                                .iter()
                                .filter(|c| {
                                    c.outcome == Outcome::Met
                                        && base.outcome(&c.id) != Some(Outcome::Met)
                                })
                                .map(|c| c.id.clone())
                                .collect();
                            out.solutions.push(Solution {
                                levers: combo
                                    .iter()
                                    .map(|k| pack.levers[effective[*k].0].name.clone())
                                    .collect(),
                                tier: a.tier.clone(),
                                fixes,
                            });
                        }
                        seen.insert(f.root, h);
                        h
                    }
                };
                if hit {
                    solutions.push(combo.clone());
                }
            }
            // next combination in lexicographic order
            let mut i = size;
            while i > 0 && combo[i - 1] == n - size + i - 1 {
                i -= 1;
            }
            if i == 0 {
                break;
            }
            combo[i - 1] += 1;
            for j in i..size {
                combo[j] = combo[j - 1] + 1;
            }
        }
    }
    if out.solutions.is_empty() {
        out.unreachable = Some(explain_unreachable(
            pack, facts, &effective, &target, max_size,
        ));
    }
    out
}

fn explain_unreachable(
    pack: &RulePack,
    facts: &Facts,
    effective: &[(usize, Fact)],
    target: &Target,
    max_size: usize,
) -> String {
    let mut f = facts.clone();
    for (i, _) in effective {
        for c in lever_changes(&pack.levers[*i]) {
            let _ = apply(&mut f.root, &pack.root, &c);
        }
    }
    let a = evaluate(pack, &f);
    if effective.len() > max_size && reached_assessment(pack, &f, &a, target) {
        return format!(
            "no set of at most {max_size} levers reaches the target, but all {} together do; search larger sets with --max-size",
            effective.len()
        );
    }
    let step = a
        .steps
        .iter()
        .find(|s| s.tier.is_some())
        .map(|s| format!("{}: {}", s.title, s.because.trim_end_matches('.')))
        .unwrap_or_else(|| "no placement step decided".into());
    let found: Vec<String> = a
        .judgments
        .iter()
        .filter(|j| j.source == crate::eval::Source::Found)
        .map(|j| format!("{} = {} (reviewer finding)", j.name, j.value))
        .collect();
    let law_ok = a
        .criteria
        .iter()
        .filter(|c| c.outcome == Outcome::NotMet)
        .map(|c| c.id.clone())
        .collect::<Vec<_>>();
    let mut s = format!(
        "no set of the pack's law levers reaches the target: even with all {} applicable levers the placement is {}. It rests on: {step}",
        effective.len(),
        a.tier.as_deref().unwrap_or("undecided")
    );
    if !found.is_empty() {
        s.push_str(&format!(
            ". Findings that levers do not change: {}",
            found.join(", ")
        ));
    }
    if !law_ok.is_empty() {
        s.push_str(&format!(
            ". Criteria still not met (enforcement or protection facts, not law): {}",
            law_ok.join(", ")
        ));
    }
    s
}
