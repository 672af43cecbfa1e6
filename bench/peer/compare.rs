//! The differential check between tiers and the Rego encoding of the same
//! logic (bench/peer/tvpa.rego, evaluated by regorus): one comparison per
//! input, shared by the peer benchmark (bench/benches/peer.rs) and the test
//! suite (tests/peer.rs), which include this file as a module.
//!
//! On every input tiers' `decide` and regorus must give the same
//! `penalty.sufficiently_stringent` and `penalty.commensurate`; on every
//! input whose findings give the three judgments the Rego takes as found,
//! the same tier (and tiers with the Rego's scope, the other criteria
//! reduced to `otherwise => unknown`, the same as the full pack); and
//! `decide` must agree with `evaluate`.

use std::collections::BTreeMap;
use std::path::Path;
use tiers::eval::decide;
use tiers::facts::Facts;
use tiers::pack::{Body, CBranch, CExpr, Const, RulePack};

/// The criteria the Rego encodes.
pub const CRITERIA: [&str; 2] = ["penalty.sufficiently_stringent", "penalty.commensurate"];

/// The rule that gives the Rego's result.
pub const RULE: &str = "data.tvpa.result";

/// regorus with the policy added, and the two packs tiers runs.
pub struct Peer {
    pub engine: regorus::Engine,
    /// Indices of [`CRITERIA`] in the pack.
    pub idx: Vec<usize>,
    /// The pack with every other criterion reduced to `otherwise => unknown`.
    pub narrow: RulePack,
}

/// What one comparison found.
#[derive(Debug, Default)]
pub struct Compared {
    /// Every difference, one line each (empty: they agree).
    pub problems: Vec<String>,
    /// The tier compared, when the input gives the three findings.
    pub tier: Option<String>,
    /// `criterion outcome` for each of [`CRITERIA`].
    pub outcomes: Vec<String>,
}

/// Tallies of what a run compared (tiers and outcomes, by count).
#[derive(Debug, Default)]
pub struct Tally {
    pub inputs: usize,
    pub tiers_compared: usize,
    pub mismatches: usize,
    pub tiers: BTreeMap<String, usize>,
    pub outcomes: BTreeMap<String, usize>,
}

impl Tally {
    /// The summary a run prints (the benchmark's and the test's, which
    /// docs/performance.md shows): what was compared, and the verdict.
    pub fn report(&self, shipped: usize, synthetic: usize) -> String {
        let show = |m: &BTreeMap<String, usize>| {
            m.iter()
                .map(|(k, v)| format!("{k}: {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let verdict = if self.mismatches == 0 {
            "no mismatch: tiers and regorus agree on every input".to_string()
        } else {
            format!("MISMATCH: {} inputs differ", self.mismatches)
        };
        format!(
            "differential check: {} inputs ({shipped} shipped cases, {synthetic} synthetic); criteria compared on all {}, tiers on the {} whose findings give the three judgments\n  tiers compared: {}\n  outcomes compared: {}\n  {verdict}\n",
            self.inputs,
            self.inputs,
            self.tiers_compared,
            show(&self.tiers),
            show(&self.outcomes),
        )
    }

    pub fn add(&mut self, c: &Compared) {
        self.inputs += 1;
        if let Some(t) = &c.tier {
            self.tiers_compared += 1;
            *self.tiers.entry(t.clone()).or_default() += 1;
        }
        for o in &c.outcomes {
            *self.outcomes.entry(o.clone()).or_default() += 1;
        }
        if !c.problems.is_empty() {
            self.mismatches += 1;
        }
    }
}

/// Whether the facts (as JSON) give the three judgments the Rego takes as
/// found.
pub fn findings_given(json: &serde_json::Value) -> bool {
    ["fully_meets", "significant_efforts", "increasing_efforts"]
        .iter()
        .all(|k| !json["findings"][*k].is_null())
}

fn rego_text(v: &regorus::Value) -> Option<String> {
    match v {
        regorus::Value::String(s) => Some(s.to_string()),
        _ => None,
    }
}

/// The pack with every criterion but `keep` reduced to `otherwise =>
/// unknown`: tiers with the same scope as the Rego (two criteria and the
/// placement). Indices are unchanged.
pub fn scoped(pack: &RulePack, keep: &[usize]) -> RulePack {
    let mut p = pack.clone();
    for (i, c) in p.criteria.iter_mut().enumerate() {
        if keep.contains(&i) {
            continue;
        }
        let span = c.span;
        c.body = Body {
            lets: vec![],
            branches: vec![CBranch {
                when: None,
                result: CExpr::Const(Const::Text("unknown".into())),
                because: None,
                span,
                exception: None,
            }],
            frame: 1,
        };
    }
    p
}

impl Peer {
    /// regorus with `bench/peer/tvpa.rego` (under `root`) added.
    pub fn new(root: &Path, pack: &RulePack) -> Result<Peer, String> {
        let path = root.join("bench/peer/tvpa.rego");
        let policy =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut engine = regorus::Engine::new();
        engine
            .add_policy("bench/peer/tvpa.rego".into(), policy)
            .map_err(|e| format!("the Rego policy does not compile: {e}"))?;
        let idx = CRITERIA
            .iter()
            .map(|id| {
                pack.criterion_index(id)
                    .ok_or_else(|| format!("the pack has no criterion {id}"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let narrow = scoped(pack, &idx);
        Ok(Peer {
            engine,
            idx,
            narrow,
        })
    }

    /// Compares tiers and regorus on one input (`json` is
    /// `tiers::facts::to_json` of the facts, `rego` the same as a regorus
    /// value).
    pub fn compare(
        &mut self,
        pack: &RulePack,
        facts: &Facts,
        json: &serde_json::Value,
        rego: &regorus::Value,
    ) -> Compared {
        let mut out = Compared::default();
        let d = decide(pack, facts);
        let a = tiers::evaluate(pack, facts);
        if a.tier.as_deref() != d.tier.as_deref() {
            out.problems.push(format!(
                "tiers decide() tier {:?} but evaluate() tier {:?}",
                d.tier, a.tier
            ));
        }
        for (c, o) in a.criteria.iter().zip(&d.outcomes) {
            if c.outcome != *o {
                out.problems.push(format!(
                    "{}: tiers decide() {o} but evaluate() {}",
                    c.id, c.outcome
                ));
            }
        }
        self.engine.set_input(rego.clone());
        let r = match self.engine.eval_rule(RULE.to_string()) {
            Ok(r) => r,
            Err(e) => {
                out.problems.push(format!("regorus failed: {e:?}"));
                regorus::Value::Undefined
            }
        };
        for (id, i) in CRITERIA.iter().zip(&self.idx) {
            let want = d.outcomes[*i].as_str();
            out.outcomes.push(format!("{id} {want}"));
            let got = rego_text(&r[*id]);
            if got.as_deref() != Some(want) {
                out.problems
                    .push(format!("{id}: tiers {want}, regorus {got:?}"));
            }
        }
        let supported = findings_given(json);
        let rego_supported = r["supported"] == regorus::Value::Bool(true);
        if rego_supported != supported {
            out.problems.push(format!(
                "supported: harness {supported}, regorus {rego_supported}"
            ));
        }
        if supported {
            let n = decide(&self.narrow, facts);
            if n.tier != d.tier || self.idx.iter().any(|i| n.outcomes[*i] != d.outcomes[*i]) {
                out.problems
                    .push("tiers with the Rego's scope differs from the full pack".into());
            }
            let want = d.tier.as_deref().map(str::to_string);
            out.tier = Some(want.clone().unwrap_or_else(|| "(none)".into()));
            let got = match &r["tier"] {
                regorus::Value::Null => None,
                v => Some(rego_text(v).unwrap_or_else(|| format!("{v:?}"))),
            };
            if got != want {
                out.problems
                    .push(format!("tier: tiers {want:?}, regorus {got:?}"));
            }
        }
        out
    }
}
