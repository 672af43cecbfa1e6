//! The pack's rules, as methods of [`Ev`]: criteria (memoised, with the
//! facts that decided them), judgments (a reviewer's finding, else
//! derived), defs, the placement procedure, and bodies (`let`s, then
//! branches, where an unknown condition makes the outcome unknown when it
//! could matter).

use super::result::{Read, Source, StepResult};
use super::state::{CritMemo, Ev, JudgMemo};
use super::value::{display, same_result, text_of, to_json, Value};
use crate::pack::{Body, CStep, Outcome};
use std::rc::Rc;

pub(super) enum Fired<'a> {
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
    Unknown(Vec<(String, bool)>),
}

impl<'a> Ev<'a> {
    pub(super) fn criterion(&mut self, i: usize) -> Outcome {
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
            if all[from.min(all.len())..].iter().any(|r| !r.param) {
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
    pub(super) fn criterion_record(&mut self, i: usize) -> Value<'a> {
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

    pub(super) fn judgment(&mut self, j: usize) -> Value<'a> {
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
    pub(super) fn placement(&mut self) -> (Vec<StepResult>, Vec<String>) {
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

    /// A body's frame with its `let`s evaluated, in order, before any
    /// branch is tried.
    pub(super) fn frame_with_lets(&mut self, body: &Body) -> Vec<Value<'a>> {
        let mut fr = vec![Value::Unknown; body.frame.max(1)];
        for (slot, e) in &body.lets {
            let v = self.eval(e, &mut fr);
            if let Some(s) = fr.get_mut(*slot) {
                *s = v;
            }
        }
        fr
    }

    /// Evaluates `let`s, then the branches in order. The first branch whose
    /// condition holds decides, unless an earlier condition was unknown and
    /// that branch would give another result: then the outcome depends on
    /// the unknown facts and is unknown. (When every branch that might have
    /// fired gives the same result, the unknown facts do not matter.)
    pub(super) fn body(&mut self, body: &Body) -> Fired<'a> {
        let mut fr = self.frame_with_lets(body);
        // results of earlier branches whose condition was unknown
        let mut maybe: Vec<Value<'a>> = vec![];
        // (path, whether it is a pack parameter)
        let mut missing: Vec<(String, bool)> = vec![];
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
                    let mut here: Vec<(String, bool)> = self.reads[start..]
                        .iter()
                        .filter(|r| r.value.is_null())
                        .map(|r| (r.path.clone(), r.param))
                        .collect();
                    if here.is_empty() {
                        here = self
                            .reads
                            .iter()
                            .filter(|r| r.value.is_null() || r.value == "unknown")
                            .map(|r| (r.path.clone(), r.param))
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

    pub(super) fn def(&mut self, i: usize, args: Vec<Value<'a>>) -> Value<'a> {
        // not memoised: a def may read `tier`, which changes during placement
        let d = &self.pack.defs[i];
        let mut fr = args;
        fr.resize(d.frame.max(d.arity).max(1), Value::Unknown);
        self.eval(&d.body, &mut fr)
    }
}

fn dedup(reads: Vec<Read>) -> Vec<Read> {
    let mut seen = std::collections::HashSet::with_capacity(reads.len());
    reads
        .into_iter()
        .filter(|r| seen.insert(r.path.clone()))
        .collect()
}

fn unknown_because(missing: &[(String, bool)]) -> String {
    let facts: Vec<&String> = missing
        .iter()
        .filter(|(_, param)| !param)
        .map(|(m, _)| m)
        .collect();
    if facts.is_empty() {
        "cannot be decided from the facts given".into()
    } else {
        // a judgment or criterion read while unknown is logged as
        // `NAME (unknown)`; the reason names it as it names a fact
        let shown: Vec<String> = facts
            .iter()
            .take(4)
            .map(|m| format!("`{}`", m.strip_suffix(" (unknown)").unwrap_or(m)))
            .collect();
        let more = if facts.len() > 4 {
            format!(" and {} more", facts.len() - 4)
        } else {
            String::new()
        };
        format!("cannot be decided: {}{more} not known", shown.join(", "))
    }
}
