//! What moves when facts change: the comparison of two assessments, and the
//! search for the smallest sets of reform levers that reach a target.
//! The changes themselves (`--set PATH=VALUE`, levers, scenario files) are
//! made in `scenario`.

pub mod scenario;

use crate::eval::{call_hook, decide, evaluate, Assessment, CriterionResult, Decision, StepResult};
use crate::facts::{Fact, Facts};
use crate::pack::{Outcome, PathSeg, RulePack};
use crate::reads::{self, ReadMap, Reader};
use crate::whatif::scenario::{apply, lever_changes, Change};
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
    /// Why no criterion moved, or the tier did not, derived from what the
    /// rules read (filled by [`explain_unmoved`]).
    pub why: Vec<String>,
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
                .map(|c| format!("{} = {}", c.path, fact_yaml(&c.value)))
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
            .filter(|r| {
                !r.path.starts_with("param ") && !reads::touches(&reads::normalize(&r.path), path)
            })
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
    /// How the tier reads ("Tier 1"), from the pack's `tier_label`.
    pub tier_label: Option<String>,
    /// Criteria that go from not met to met (and from unknown to met with
    /// `assume_unknown_fails`).
    pub fixes: Vec<String>,
}

/// A fact that is not known, which a lever would set, and what establishing
/// it as the lever would set it does to the answer.
#[derive(Debug, Clone)]
pub struct Establish {
    /// The concrete path (`law.provisions[1].max_years`).
    pub path: String,
    /// The value, as YAML.
    pub value: String,
    /// The levers that would set it.
    pub levers: Vec<String>,
    /// The target is then reached with no lever.
    pub reached_already: bool,
    /// The smallest lever sets that then reach the target.
    pub solutions: Vec<Vec<String>>,
}

/// How the search treats facts that are not known.
#[derive(Debug, Clone, Copy)]
pub struct SearchOptions {
    /// The largest set of levers tried.
    pub max_size: usize,
    /// Let levers set facts that are not known (null), as if they failed:
    /// a lever may then "fix" a criterion that is only unknown.
    pub assume_unknown_fails: bool,
    /// Say which unknown facts, if established, would change the answer
    /// (one more search per such fact).
    pub establish: bool,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            max_size: 3,
            assume_unknown_fails: false,
            establish: true,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Reforms {
    pub target: Target,
    /// How a tier target reads ("Tier 1"), from the pack's `tier_label`.
    pub target_label: Option<String>,
    pub current_tier: Option<String>,
    pub current_label: Option<String>,
    pub reached_already: bool,
    pub solutions: Vec<Solution>,
    /// Levers that change nothing in this case's facts.
    pub inert: Vec<String>,
    /// Why each of `inert` changes nothing: (lever, reason).
    pub inert_reasons: Vec<(String, String)>,
    /// Levers with the same effect as an earlier one: (lever, same as).
    pub equivalent: Vec<(String, String)>,
    /// Levers left out because they would only set facts that are not
    /// known: (lever, those paths). Empty with `assume_unknown_fails`.
    pub unknown_levers: Vec<(String, Vec<String>)>,
    /// Unknown facts that, established as a lever would set them, change
    /// the answer.
    pub establish: Vec<Establish>,
    /// Criteria that are unknown now, with the facts that are not known.
    pub unknown_criteria: Vec<(String, Vec<String>)>,
    pub assume_unknown_fails: bool,
    /// Why nothing reaches the target, when nothing does.
    pub unreachable: Option<String>,
    /// How many lever sets were evaluated.
    pub evaluated: usize,
    /// The largest set size searched.
    pub max_size: usize,
    /// Why the search stopped before the size asked for, if it did.
    pub stopped: Option<String>,
}

/// The most lever sets one search enumerates (a bound on time whatever
/// `--max-size` asks: 22 levers have 4 million sets).
pub const MAX_SETS: usize = 100_000;

/// Sets of up to this many levers are always searched; larger ones only
/// while the target may still be reachable (see [`reforms_with`]).
pub const ALWAYS_SEARCHED: usize = 3;

/// n choose k, saturating.
fn choose(n: usize, k: usize) -> usize {
    let k = k.min(n.saturating_sub(k));
    let mut r: usize = 1;
    for i in 0..k {
        r = r.saturating_mul(n - i) / (i + 1);
    }
    r
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

/// A lever's change made concrete on these facts: `[*]` expanded to each
/// element. The changes of known values, and those of values that are not
/// known (null, or inside a record or list that is not given).
fn split_change(root: &Fact, change: &Change) -> (Vec<Change>, Vec<Change>) {
    let mut known = vec![];
    let mut unknown = vec![];
    let mut done = vec![];
    split_at(
        root,
        &change.segs,
        &mut done,
        "",
        change,
        &mut known,
        &mut unknown,
    );
    (known, unknown)
}

fn seg_text(path: &str, seg: &PathSeg) -> String {
    match seg {
        PathSeg::Field(_, name) if path.is_empty() => name.to_string(),
        PathSeg::Field(_, name) => format!("{path}.{name}"),
        PathSeg::Each => format!("{path}[*]"),
        PathSeg::Index(k) => format!("{path}[{k}]"),
    }
}

fn split_at(
    cur: &Fact,
    segs: &[PathSeg],
    done: &mut Vec<PathSeg>,
    path: &str,
    change: &Change,
    known: &mut Vec<Change>,
    unknown: &mut Vec<Change>,
) {
    let concrete = |done: &[PathSeg], rest: &[PathSeg], path: &str| {
        let mut segs = done.to_vec();
        segs.extend_from_slice(rest);
        let path = rest.iter().fold(path.to_string(), |p, s| seg_text(&p, s));
        Change {
            path,
            segs,
            value: change.value.clone(),
        }
    };
    if cur.is_null() {
        unknown.push(concrete(done, segs, path));
        return;
    }
    let Some((first, rest)) = segs.split_first() else {
        known.push(concrete(done, segs, path));
        return;
    };
    let mut step = |item: &Fact, seg: PathSeg, done: &mut Vec<PathSeg>| {
        let p = seg_text(path, &seg);
        done.push(seg);
        split_at(item, rest, done, &p, change, known, unknown);
        done.pop();
    };
    match (first, cur) {
        (PathSeg::Field(i, _), Fact::Record(fields)) => {
            if let Some(f) = fields.get(*i) {
                step(f, first.clone(), done);
            }
        }
        (PathSeg::Each, Fact::List(items)) => {
            for (k, item) in items.iter().enumerate() {
                step(item, PathSeg::Index(k), done);
            }
        }
        (PathSeg::Index(k), Fact::List(items)) => {
            if let Some(item) = items.get(*k) {
                step(item, first.clone(), done);
            }
        }
        _ => {}
    }
}

fn fact_yaml(f: &Fact) -> String {
    match f {
        Fact::Null => "null".into(),
        Fact::Bool(b) => b.to_string(),
        Fact::Num(n) => crate::text::num::fmt_num(*n),
        Fact::Text(t) => t.to_string(),
        Fact::List(xs) => format!(
            "[{}]",
            xs.iter().map(fact_yaml).collect::<Vec<_>>().join(", ")
        ),
        Fact::Record(_) => "{...}".into(),
    }
}

/// Finds the minimal sets of the pack's levers (up to `max_size` levers)
/// that reach `target`, smallest first, never a superset of a reported set.
/// Levers only change facts that are known; see [`reforms_with`].
pub fn reforms(pack: &RulePack, facts: &Facts, target: Target, max_size: usize) -> Reforms {
    reforms_with(
        pack,
        facts,
        target,
        SearchOptions {
            max_size,
            ..SearchOptions::default()
        },
    )
}

/// Finds the minimal sets of the pack's levers that reach `target`,
/// smallest first, never a superset of a reported set. Levers that change
/// nothing are dropped, levers with identical effects are merged, and
/// identical fact states are evaluated once.
///
/// A lever changes only facts that are known unless
/// `assume_unknown_fails`: a reform is not proposed for a criterion that is
/// only unknown. With `establish`, the unknown facts a lever would set are
/// tried one at a time, as the lever would set them, and those that change
/// the answer are reported.
pub fn reforms_with(
    pack: &RulePack,
    facts: &Facts,
    target: Target,
    opts: SearchOptions,
) -> Reforms {
    let max_size = opts.max_size;
    let base = evaluate(pack, facts);
    let mut out = Reforms {
        target: target.clone(),
        target_label: match &target {
            Target::Tier(t) => call_hook(pack, facts, pack.tier_label_def, t)
                .and_then(|j| j.as_str().map(String::from)),
            Target::Criterion(_) => None,
        },
        current_tier: base.tier.clone(),
        current_label: base.tier_label.clone(),
        reached_already: reached_assessment(pack, facts, &base, &target),
        solutions: vec![],
        inert: vec![],
        inert_reasons: vec![],
        equivalent: vec![],
        unknown_levers: vec![],
        establish: vec![],
        unknown_criteria: base
            .criteria
            .iter()
            .filter(|c| c.outcome == Outcome::Unknown)
            .map(|c| {
                let missing = c
                    .facts
                    .iter()
                    .filter(|r| r.value.is_null())
                    .map(|r| r.path.clone())
                    .collect();
                (c.id.clone(), missing)
            })
            .collect(),
        assume_unknown_fails: opts.assume_unknown_fails,
        unreachable: None,
        evaluated: 1,
        max_size,
        stopped: None,
    };
    if out.reached_already {
        return out;
    }
    // the changes each lever makes here, and its effect
    let mut changes: Vec<Vec<Change>> = vec![];
    let mut unknown_changes: Vec<(usize, Change)> = vec![];
    let mut effective: Vec<(usize, Fact)> = vec![];
    for (i, lever) in pack.levers.iter().enumerate() {
        let all = lever_changes(lever);
        let mut mine = vec![];
        let mut unknown = vec![];
        for c in &all {
            let (k, u) = split_change(&facts.root, c);
            mine.extend(k);
            unknown.extend(u);
        }
        if opts.assume_unknown_fails {
            mine = all;
        } else if !unknown.is_empty() {
            out.unknown_levers.push((
                lever.name.clone(),
                unknown.iter().map(|c| c.path.clone()).collect(),
            ));
            unknown_changes.extend(unknown.iter().map(|c| (i, c.clone())));
        }
        let mut root = facts.root.clone();
        let ok = mine.iter().all(|c| apply(&mut root, &pack.root, c).is_ok());
        changes.push(mine.clone());
        if !ok || root == facts.root {
            if opts.assume_unknown_fails || unknown.is_empty() || !mine.is_empty() {
                let why = if !ok {
                    "the facts it sets are not given".to_string()
                } else if mine.is_empty() {
                    let paths: Vec<String> = lever.sets.iter().map(|(_, _, p)| p.clone()).collect();
                    format!("{} has nothing to change here", paths.join(", "))
                } else {
                    let set: Vec<String> = mine
                        .iter()
                        .map(|c| format!("{} = {}", c.path, fact_yaml(&c.value)))
                        .collect();
                    format!("already so: {}", join_limited(&set, 3))
                };
                out.inert.push(lever.name.clone());
                out.inert_reasons.push((lever.name.clone(), why));
            }
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
    // whether every lever that changes this case, all together, reaches
    // the target: when not even they do, sets past ALWAYS_SEARCHED are not
    // tried (decided once, and only when such sizes are asked for)
    let mut all_reach: Option<bool> = None;
    let mut enumerated = 0usize;
    let mut searched = 0;
    for size in 1..=max_size.min(n) {
        if size > ALWAYS_SEARCHED && out.solutions.is_empty() {
            let reach = *all_reach.get_or_insert_with(|| {
                let mut f = facts.clone();
                for (i, _) in &effective {
                    for c in &changes[*i] {
                        let _ = apply(&mut f.root, &pack.root, c);
                    }
                }
                reached_decision(pack, &f, &decide(pack, &f), &target)
            });
            if !reach {
                out.stopped = Some(format!(
                    "Sets of more than {searched} levers were not searched: none of up to {searched} reaches the target, nor do all {n} levers that change this case together."
                ));
                break;
            }
        }
        if enumerated.saturating_add(choose(n, size)) > MAX_SETS {
            out.stopped = Some(format!(
                "The search stopped after sets of {searched} levers: the {} sets of {size} would pass the bound of {MAX_SETS} sets per search (ask for a smaller --max-size or a criterion --target).",
                choose(n, size)
            ));
            break;
        }
        enumerated += choose(n, size);
        searched = size;
        let mut combo: Vec<usize> = (0..size).collect();
        loop {
            if !solutions
                .iter()
                .any(|s| s.iter().all(|x| combo.contains(x)))
            {
                let mut f = facts.clone();
                for &k in &combo {
                    for c in &changes[effective[k].0] {
                        let _ = apply(&mut f.root, &pack.root, c);
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
                                    let was = base.outcome(&c.id);
                                    c.outcome == Outcome::Met
                                        && (was == Some(Outcome::NotMet)
                                            || (opts.assume_unknown_fails
                                                && was != Some(Outcome::Met)))
                                })
                                .map(|c| c.id.clone())
                                .collect();
                            out.solutions.push(Solution {
                                levers: combo
                                    .iter()
                                    .map(|k| pack.levers[effective[*k].0].name.clone())
                                    .collect(),
                                tier: a.tier.clone(),
                                tier_label: a.tier_label.clone(),
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
    out.max_size = searched.max(1).min(max_size);
    if out.solutions.is_empty() {
        out.unreachable = Some(explain_unreachable(
            pack,
            facts,
            &changes,
            &effective,
            &target,
            out.max_size,
        ));
    }
    if opts.establish && !opts.assume_unknown_fails {
        out.establish = establish(pack, facts, &target, opts, &out, &unknown_changes);
    }
    out
}

/// The text with a full stop at its end.
fn sentence(text: &str) -> String {
    let t = text.trim_end();
    if t.ends_with(['.', '!', '?']) {
        t.to_string()
    } else {
        format!("{t}.")
    }
}

/// Joins at most `n` items, then "and N more".
fn join_limited(items: &[String], n: usize) -> String {
    if items.len() <= n {
        items.join(", ")
    } else {
        format!("{}, and {} more", items[..n].join(", "), items.len() - n)
    }
}

/// The unknown facts that, each established as a lever would set it,
/// change the answer of the search `outer`.
fn establish(
    pack: &RulePack,
    facts: &Facts,
    target: &Target,
    opts: SearchOptions,
    outer: &Reforms,
    unknown: &[(usize, Change)],
) -> Vec<Establish> {
    let sets = |r: &Reforms| -> Vec<Vec<String>> {
        r.solutions.iter().map(|s| s.levers.clone()).collect()
    };
    let before = sets(outer);
    let mut out: Vec<Establish> = vec![];
    let mut tried: Vec<(String, String)> = vec![];
    for (i, c) in unknown {
        let value = fact_yaml(&c.value);
        let key = (c.path.clone(), value.clone());
        if let Some(k) = tried.iter().position(|t| *t == key) {
            // another lever sets the same fact: name it too
            if let Some(e) = out
                .iter_mut()
                .find(|e| e.path == tried[k].0 && e.value == tried[k].1)
            {
                if !e.levers.contains(&pack.levers[*i].name) {
                    e.levers.push(pack.levers[*i].name.clone());
                }
            }
            continue;
        }
        tried.push(key);
        let mut f = facts.clone();
        if apply(&mut f.root, &pack.root, c).is_err() {
            continue;
        }
        let inner = reforms_with(
            pack,
            &f,
            target.clone(),
            SearchOptions {
                establish: false,
                ..opts
            },
        );
        let after = sets(&inner);
        if inner.reached_already || after != before {
            out.push(Establish {
                path: c.path.clone(),
                value,
                levers: vec![pack.levers[*i].name.clone()],
                reached_already: inner.reached_already,
                solutions: after,
            });
        }
    }
    out
}

fn explain_unreachable(
    pack: &RulePack,
    facts: &Facts,
    changes: &[Vec<Change>],
    effective: &[(usize, Fact)],
    target: &Target,
    max_size: usize,
) -> String {
    let mut f = facts.clone();
    for (i, _) in effective {
        for c in &changes[*i] {
            let _ = apply(&mut f.root, &pack.root, c);
        }
    }
    let a = evaluate(pack, &f);
    let n = effective.len();
    if n > max_size && reached_assessment(pack, &f, &a, target) {
        return format!(
            "No set of at most {max_size} levers reaches the target, but all {n} that change this case do together; search larger sets with --max-size."
        );
    }
    let mut s = vec![];
    match target {
        Target::Criterion(id) => {
            s.push(format!(
                "No set of the pack's levers (law and practice) makes `{id}` met."
            ));
            if let Some(c) = a.criteria.iter().find(|c| &c.id == id) {
                let with = if n == 0 {
                    "No lever changes what is known in this case; it is".to_string()
                } else {
                    format!("With all {n} levers that change this case, it is")
                };
                s.push(format!("{with} {}: {}", c.outcome, sentence(&c.because)));
            }
            return s.join(" ");
        }
        Target::Tier(_) => {
            s.push("No set of the pack's levers (law and practice) reaches the target.".into());
            let step = a
                .steps
                .iter()
                .find(|s| s.tier.is_some())
                .map(|s| format!("{}: {}", s.title, sentence(&s.because)))
                .unwrap_or_else(|| "no placement step decided.".into());
            let placement = a.tier_label.as_deref().unwrap_or("undecided");
            s.push(if n == 0 {
                format!("No lever changes what is known in this case; the placement is {placement}, and it rests on {step}")
            } else {
                format!("With all {n} levers that change this case, the placement is {placement}; it rests on {step}")
            });
        }
    }
    let found: Vec<String> = a
        .judgments
        .iter()
        .filter(|j| j.source == crate::eval::Source::Found)
        .map(|j| format!("{} = {}", j.name, j.value))
        .collect();
    if !found.is_empty() {
        s.push(format!(
            "Reviewer findings, which no lever changes: {}.",
            found.join(", ")
        ));
    }
    let map = ReadMap::of(pack);
    let set_by_levers: Vec<String> = pack
        .levers
        .iter()
        .flat_map(|l| l.sets.iter().map(|(_, _, p)| reads::normalize(p)))
        .collect();
    let still: Vec<String> = a
        .criteria
        .iter()
        .filter(|c| c.outcome == Outcome::NotMet)
        .map(|c| {
            let reads = map.reads(&Reader::Criterion(c.id.clone()));
            let settable = reads.is_some_and(|r| {
                r.decides.iter().any(|p| {
                    set_by_levers
                        .iter()
                        .any(|l| reads::touches(l, p) || reads::touches(p, l))
                })
            });
            if settable {
                format!(
                    "{} (the levers that set its facts do not make it met)",
                    c.id
                )
            } else {
                format!("{} (no lever sets the facts it reads)", c.id)
            }
        })
        .collect();
    if !still.is_empty() {
        s.push(format!("Criteria still not met: {}.", still.join("; ")));
    }
    s.join(" ")
}

/// The tier one step better than `current` by the pack's `tier_rank`.
pub fn next_tier_up(pack: &RulePack, facts: &Facts, current: Option<&str>) -> String {
    let rank = |t: &str| call_hook(pack, facts, pack.tier_rank_def, t).and_then(|j| j.as_f64());
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
