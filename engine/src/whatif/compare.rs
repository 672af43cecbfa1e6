//! Comparing two assessments of the same facts: what moved when the facts
//! changed ([`compare`], [`explain_unmoved`]), or when the rules did
//! ([`compare_packs`]); and the rationale as a sentence diff.

use super::prose::{fact_text, join_limited, sentence};
use crate::eval::{Assessment, CriterionResult, StepResult};
use crate::facts::Facts;
use crate::pack::{Outcome, RulePack};
use crate::reads::{self, ReadMap, Reader};
use crate::whatif::scenario::Change;

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
    /// Why no criterion moved, or the tier did not, derived from what the
    /// rules read (filled by [`explain_unmoved`]).
    pub why: Vec<String>,
}

impl Delta {
    pub fn tier_changed(&self) -> bool {
        self.before.tier != self.after.tier
    }
}

/// A criterion whose outcome differs between two assessments; `None` on
/// the side that has no such criterion (two packs need not have the same).
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeChange {
    pub id: String,
    pub before: Option<Outcome>,
    pub after: Option<Outcome>,
}

/// The criteria whose outcome differs: in the order of `after`, then those
/// only `before` has.
fn outcome_changes(before: &Assessment, after: &Assessment) -> Vec<OutcomeChange> {
    let mut out: Vec<OutcomeChange> = after
        .criteria
        .iter()
        .filter_map(|a| {
            let b = before.outcome(&a.id);
            (b != Some(a.outcome)).then(|| OutcomeChange {
                id: a.id.clone(),
                before: b,
                after: Some(a.outcome),
            })
        })
        .collect();
    out.extend(
        before
            .criteria
            .iter()
            .filter(|b| after.outcome(&b.id).is_none())
            .map(|b| OutcomeChange {
                id: b.id.clone(),
                before: Some(b.outcome),
                after: None,
            }),
    );
    out
}

/// The same facts assessed under two rule packs (`tiers diff`): the tier
/// when it moved, and the criteria whose outcome moved.
#[derive(Debug, Clone, PartialEq)]
pub struct PackDelta {
    /// (base, new) when the tier differs.
    pub tier: Option<(Option<String>, Option<String>)>,
    pub criteria: Vec<OutcomeChange>,
}

impl PackDelta {
    /// Whether nothing moved.
    pub fn is_empty(&self) -> bool {
        self.tier.is_none() && self.criteria.is_empty()
    }
}

/// Compares the assessments of one case under a base pack and a new one.
pub fn compare_packs(base: &Assessment, new: &Assessment) -> PackDelta {
    PackDelta {
        tier: (base.tier != new.tier).then(|| (base.tier.clone(), new.tier.clone())),
        criteria: outcome_changes(base, new),
    }
}

/// Compares two assessments of one case under one pack, before and after
/// a change to the facts.
pub fn compare(before: Assessment, after: Assessment) -> Delta {
    let find = |a: &Assessment, id: &str| a.criteria.iter().find(|c| c.id == id).cloned();
    let moved = outcome_changes(&before, &after)
        .into_iter()
        .filter_map(|c| Some((find(&before, &c.id)?, find(&after, &c.id)?)))
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
        why: vec![],
    }
}

/// Says why nothing moved when no criterion did, one note per changed
/// path, and what the tier rests on when it did not move. Derived from
/// what the pack's rules read, not from text about particular facts.
pub fn explain_unmoved(
    pack: &RulePack,
    before: &Facts,
    after: &Facts,
    changes: &[Change],
    d: &mut Delta,
) {
    let mut why = vec![];
    let nothing_moved = d.moved.is_empty()
        && !d.tier_changed()
        && d.steps_added.is_empty()
        && d.steps_removed.is_empty();
    if nothing_moved {
        if before.root == after.root {
            let set: Vec<String> = changes
                .iter()
                .map(|c| format!("{} = {}", c.path, fact_text(&c.value)))
                .collect();
            why.push(format!(
                "The facts already say so ({}): nothing changed.",
                join_limited(&set, 3)
            ));
        } else {
            let map = ReadMap::of(pack);
            let mut said: Vec<String> = vec![];
            for c in changes {
                let path = reads::normalize(&c.path);
                if said.contains(&path) {
                    continue;
                }
                said.push(path.clone());
                why.extend(unmoved_notes(pack, &map, d, &c.path, &path));
            }
        }
    }
    if !d.tier_changed() {
        if let Some(step) = d.after.steps.iter().find(|s| s.tier.is_some()) {
            why.push(format!(
                "The tier did not move: it rests on {}: {}",
                step.title,
                sentence(&step.because)
            ));
        }
    }
    d.why = why;
}

/// Why a change to `path` moved no criterion.
fn unmoved_notes(
    pack: &RulePack,
    map: &ReadMap,
    d: &Delta,
    shown: &str,
    path: &str,
) -> Vec<String> {
    let (mut decides, words) = map.readers_of(path);
    // the rules an outcome could move through: criteria and judgments first
    if !decides_only_steps(&decides) {
        decides.retain(|r| matches!(r, Reader::Criterion(_) | Reader::Judgment(_)));
    }
    if decides.is_empty() && words.is_empty() {
        return vec![format!(
            "No criterion, judgment or placement step reads `{shown}`, so it changes nothing in the assessment."
        )];
    }
    // what a criterion's outcome rests on now: the facts its deciding
    // branch read, other than the changed one
    let rests_on = |id: &str| -> String {
        let Some(c) = d.after.criteria.iter().find(|c| c.id == id) else {
            return String::new();
        };
        let facts: Vec<String> = c
            .facts
            .iter()
            .filter(|r| !r.param && !reads::touches(&reads::normalize(&r.path), path))
            .map(|r| format!("`{}` = {}", r.path, json_text(&r.value)))
            .collect();
        if facts.is_empty() {
            format!("`{id}` stays {}", c.outcome)
        } else {
            format!(
                "`{id}` stays {}: it rests on {}",
                c.outcome,
                join_limited(&facts, 4)
            )
        }
    };
    let mut notes = vec![];
    let crit_words: Vec<&str> = words
        .iter()
        .filter_map(|r| match r {
            Reader::Criterion(id) => Some(id.as_str()),
            _ => None,
        })
        .collect();
    if decides.is_empty() {
        let parts: Vec<String> = crit_words.iter().map(|id| rests_on(id)).collect();
        notes.push(format!(
            "`{shown}` only words the reason of {}, it decides no outcome{}",
            crate::reads::readers_text(&words),
            if parts.is_empty() {
                ".".to_string()
            } else {
                format!("; {}.", parts.join("; "))
            }
        ));
        return notes;
    }
    let mut parts: Vec<String> = vec![];
    for r in &decides {
        match r {
            Reader::Criterion(id) => parts.push(rests_on(id)),
            Reader::Judgment(name) => {
                if let Some(j) = d.after.judgments.iter().find(|j| &j.name == name) {
                    if j.source == crate::eval::Source::Found {
                        parts.push(format!(
                            "judgment `{name}` is the reviewer's finding ({}), which the facts do not change",
                            j.value
                        ));
                    } else {
                        parts.push(format!("judgment `{name}` stays {}", j.value));
                    }
                }
            }
            _ => {}
        }
    }
    let _ = pack;
    notes.push(format!(
        "`{shown}` is read by {}, but no outcome changed{}",
        crate::reads::readers_text(&decides),
        if parts.is_empty() {
            ".".to_string()
        } else {
            format!(": {}.", parts.join("; "))
        }
    ));
    notes
}

/// Whether a reader list holds no criterion or judgment (then the placement
/// steps and outputs are what reads the fact).
fn decides_only_steps(rs: &[&Reader]) -> bool {
    !rs.iter()
        .any(|r| matches!(r, Reader::Criterion(_) | Reader::Judgment(_)))
}

fn json_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "null (not known)".into(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Splits a rationale into sentences: at a full stop followed by a space,
/// a line break or the end, at paragraph breaks, and before each "• "
/// recommendation.
pub fn sentences(text: &str) -> Vec<String> {
    let mut out = vec![];
    for para in text.split("\n\n") {
        let mut cur = String::new();
        let chars: Vec<char> = para.chars().collect();
        for (i, c) in chars.iter().enumerate() {
            if *c == '•' && !cur.trim().is_empty() {
                out.push(cur.trim().to_string());
                cur.clear();
            }
            cur.push(*c);
            if *c == '.' && chars.get(i + 1).is_none_or(|n| n.is_whitespace()) {
                out.push(cur.trim().to_string());
                cur.clear();
            }
        }
        if !cur.trim().is_empty() {
            out.push(cur.trim().to_string());
        }
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
