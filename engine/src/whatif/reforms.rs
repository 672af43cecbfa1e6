//! The reform search: the smallest sets of the pack's levers that reach a
//! target ([`reforms_with`]), and the unknown facts that, established,
//! would change its answer ([`establish`]).

use super::levers::split_change;
use super::prose::{fact_text, join_limited};
use super::target::{reached_assessment, reached_decision, Target};
use super::unreachable::explain_unreachable;
use crate::eval::{call_hook, decide, evaluate, Assessment};
use crate::facts::{Fact, Facts};
use crate::pack::{Outcome, RulePack};
use crate::whatif::scenario::{apply, lever_changes, Change};
use std::collections::HashMap;

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
    let base = evaluate(pack, facts);
    let mut out = start(pack, facts, &base, target.clone(), opts);
    if out.reached_already {
        return out;
    }
    let levers = lever_effects(pack, facts, opts, &mut out);
    let search = Search {
        pack,
        facts,
        base: &base,
        target: &target,
        opts,
        levers: &levers,
    };
    search.run(&mut out);
    if out.solutions.is_empty() {
        out.unreachable = Some(explain_unreachable(
            pack,
            &search.all_levers(),
            levers.effective.len(),
            &target,
            out.max_size,
        ));
    }
    if opts.establish && !opts.assume_unknown_fails {
        out.establish = establish(pack, facts, &target, opts, &out, &levers.unknown);
    }
    out
}

/// The result before any lever is tried: the current tier, whether the
/// target is reached already, and the criteria that are unknown now.
fn start(
    pack: &RulePack,
    facts: &Facts,
    base: &Assessment,
    target: Target,
    opts: SearchOptions,
) -> Reforms {
    Reforms {
        target_label: match &target {
            Target::Tier(t) => call_hook(pack, facts, pack.tier_label_def, t)
                .and_then(|j| j.as_str().map(String::from)),
            Target::Criterion(_) => None,
        },
        current_tier: base.tier.clone(),
        current_label: base.tier_label.clone(),
        reached_already: reached_assessment(pack, facts, base, &target),
        target,
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
        max_size: opts.max_size,
        stopped: None,
    }
}

/// The levers as the search sees them on one case's facts.
struct LeverEffects {
    /// The changes each lever makes here (by the pack's lever index).
    changes: Vec<Vec<Change>>,
    /// The changes of facts that are not known: (lever index, change).
    unknown: Vec<(usize, Change)>,
    /// The levers that change this case, each with the facts it makes,
    /// one for each distinct effect.
    effective: Vec<(usize, Fact)>,
}

/// The changes each lever makes here, and its effect; levers that change
/// nothing go to `out.inert`, those with the effect of an earlier one to
/// `out.equivalent`, those that set only unknown facts to
/// `out.unknown_levers`.
fn lever_effects(
    pack: &RulePack,
    facts: &Facts,
    opts: SearchOptions,
    out: &mut Reforms,
) -> LeverEffects {
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
                let why = inert_reason(lever, ok, &mine);
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
    LeverEffects {
        changes,
        unknown: unknown_changes,
        effective,
    }
}

/// Why a lever changes nothing here: `ok` is false when its changes do not
/// apply, `mine` are the changes it makes on these facts.
fn inert_reason(lever: &crate::pack::CLever, ok: bool, mine: &[Change]) -> String {
    if !ok {
        "the facts it sets are not given".to_string()
    } else if mine.is_empty() {
        let paths: Vec<String> = lever.sets.iter().map(|(_, _, p)| p.clone()).collect();
        format!("{} has nothing to change here", paths.join(", "))
    } else {
        let set: Vec<String> = mine
            .iter()
            .map(|c| format!("{} = {}", c.path, fact_text(&c.value)))
            .collect();
        format!("already so: {}", join_limited(&set, 3))
    }
}

/// One search over the sets of effective levers, smallest first.
struct Search<'a> {
    pack: &'a RulePack,
    facts: &'a Facts,
    base: &'a Assessment,
    target: &'a Target,
    opts: SearchOptions,
    levers: &'a LeverEffects,
}

impl Search<'_> {
    /// Tries every set of 1 to `max_size` levers that is not a superset of
    /// a set that reached the target, within the bounds ([`MAX_SETS`],
    /// [`ALWAYS_SEARCHED`]); fills `out.solutions`, `out.evaluated`,
    /// `out.stopped` and `out.max_size`.
    fn run(&self, out: &mut Reforms) {
        let max_size = self.opts.max_size;
        let n = self.levers.effective.len();
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
                let reach = *all_reach.get_or_insert_with(|| self.all_reach());
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
                    && self.try_set(&combo, &mut seen, out)
                {
                    solutions.push(combo.clone());
                }
                if !next_combination(&mut combo, n) {
                    break;
                }
            }
        }
        out.max_size = searched.max(1).min(max_size);
    }

    /// The facts with every lever of `set` (indices into `effective`) applied.
    fn with_levers<'s>(&self, set: impl IntoIterator<Item = &'s usize>) -> Facts {
        let mut f = self.facts.clone();
        for &k in set {
            for c in &self.levers.changes[self.levers.effective[k].0] {
                let _ = apply(&mut f.root, &self.pack.root, c);
            }
        }
        f
    }

    /// The facts with every effective lever applied.
    fn all_levers(&self) -> Facts {
        let all: Vec<usize> = (0..self.levers.effective.len()).collect();
        self.with_levers(&all)
    }

    /// Whether every effective lever together reaches the target.
    fn all_reach(&self) -> bool {
        let f = self.all_levers();
        reached_decision(self.pack, &f, &decide(self.pack, &f), self.target)
    }

    /// Whether the lever set `combo` reaches the target; a hit not seen
    /// before is explained and added to `out.solutions`.
    fn try_set(&self, combo: &[usize], seen: &mut HashMap<Fact, bool>, out: &mut Reforms) -> bool {
        let (pack, target) = (self.pack, self.target);
        let f = self.with_levers(combo);
        if let Some(h) = seen.get(&f.root) {
            return *h;
        }
        out.evaluated += 1;
        // the fast path decides; only a hit is explained
        let h = reached_decision(pack, &f, &decide(pack, &f), target);
        if h {
            let a = evaluate(pack, &f);
            let fixes = a
                .criteria
                .iter()
                .filter(|c| {
                    let was = self.base.outcome(&c.id);
                    c.outcome == Outcome::Met
                        && (was == Some(Outcome::NotMet)
                            || (self.opts.assume_unknown_fails && was != Some(Outcome::Met)))
                })
                .map(|c| c.id.clone())
                .collect();
            out.solutions.push(Solution {
                levers: combo
                    .iter()
                    .map(|k| pack.levers[self.levers.effective[*k].0].name.clone())
                    .collect(),
                tier: a.tier.clone(),
                tier_label: a.tier_label.clone(),
                fixes,
            });
        }
        seen.insert(f.root, h);
        h
    }
}

/// The next combination of `combo.len()` of `0..n` in lexicographic
/// order; false after the last.
fn next_combination(combo: &mut [usize], n: usize) -> bool {
    let size = combo.len();
    let mut i = size;
    while i > 0 && combo[i - 1] == n - size + i - 1 {
        i -= 1;
    }
    if i == 0 {
        return false;
    }
    combo[i - 1] += 1;
    for j in i..size {
        combo[j] = combo[j - 1] + 1;
    }
    true
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
        let value = fact_text(&c.value);
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
