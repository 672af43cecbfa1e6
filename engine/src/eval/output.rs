//! The parts of an [`Assessment`] beyond the decision, as methods of
//! [`Ev`] once the rules have run: the criterion and judgment results, the
//! rationale's sentences and paragraphs, the pack's warnings and the
//! limits' ones, the output hooks (previous tier, movement, tier label,
//! `history_<field>` defs), and the sources cited.

use super::result::{Assessment, CriterionResult, JudgmentResult, Source};
use super::state::{CritMemo, Ev, JudgMemo};
use super::value::{display, items, text_of, to_json, Value};
use super::{MAX_EVAL_DEPTH, MAX_STEPS, MAX_TEXT};
use crate::facts::{Fact, Facts};
use crate::pack::{cite_source_id, Body, CRationale, CiteSource, Outcome, RulePack};
use crate::text::tidy_spaces;
use serde_json::Value as Json;

impl<'a> Ev<'a> {
    /// Evaluates every criterion, then gives their results in the pack's
    /// order.
    pub(super) fn criteria_results(&mut self) -> Vec<CriterionResult> {
        let pack = self.pack;
        let n = pack.criteria.len();
        let mut criteria = Vec::with_capacity(n);
        for i in 0..n {
            self.criterion(i);
        }
        for (i, c) in pack.criteria.iter().enumerate() {
            let r = self.crit[i].clone().unwrap_or_else(|| CritMemo {
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
        criteria
    }

    /// The results of the judgments evaluated so far, in the pack's order.
    pub(super) fn judgment_results(&self) -> Vec<JudgmentResult> {
        let pack = self.pack;
        (0..pack.judgments.len())
            .map(|j| {
                let m = self.judg[j].clone().unwrap_or(JudgMemo {
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
            .collect()
    }

    /// The rationale's sentences (with [`PARAGRAPH`] marks), blank ones
    /// left out.
    pub(super) fn rationale_sentences(&mut self) -> Vec<String> {
        let pack = self.pack;
        let mut sentences: Vec<String> = vec![];
        for item in &pack.rationale {
            match item {
                CRationale::Say(text, when, frame) => {
                    let mut fr = vec![Value::Unknown; *frame];
                    let ok = match when {
                        Some(w) => self.eval(w, &mut fr).truth() == Some(true),
                        None => true,
                    };
                    if ok {
                        let t = self.eval(text, &mut fr);
                        sentences.push(tidy_spaces(&display(&t)));
                    }
                }
                CRationale::Choose(body) => {
                    if let Some(result) = self.first_that_holds(body) {
                        sentences.push(tidy_spaces(&display(&result)));
                    }
                }
                CRationale::Paragraph => sentences.push(PARAGRAPH.into()),
            }
        }
        sentences
            .into_iter()
            .filter(|s| s == PARAGRAPH || !s.trim().is_empty())
            .collect()
    }

    /// The result of a rationale `choose`: the first branch whose
    /// condition holds. Wording is not a decision, so a branch whose
    /// condition is unknown is passed over (a decision's body would stop
    /// there, unknown); with none holding, nothing is said.
    fn first_that_holds(&mut self, body: &Body) -> Option<Value<'a>> {
        let mut fr = self.frame_with_lets(body);
        for b in &body.branches {
            let holds = match &b.when {
                None => true,
                Some(w) => self.eval(w, &mut fr).truth() == Some(true),
            };
            if holds {
                return Some(self.eval(&b.result, &mut fr));
            }
        }
        None
    }

    /// The messages of the pack's `warn` rules whose condition holds (for
    /// each item, with `each`).
    pub(super) fn pack_warnings(&mut self, warnings: &mut Vec<String>) {
        let pack = self.pack;
        for w in &pack.warns {
            let mut fr = vec![Value::Unknown; w.frame.max(1)];
            match &w.each {
                Some(list) => {
                    let l = self.eval(list, &mut fr);
                    for item in items(&l) {
                        fr[0] = item;
                        if self.eval(&w.when, &mut fr).truth() == Some(true) {
                            warnings.push(display(&self.eval(&w.message, &mut fr)));
                        }
                    }
                }
                None => {
                    if self.eval(&w.when, &mut fr).truth() == Some(true) {
                        warnings.push(display(&self.eval(&w.message, &mut fr)));
                    }
                }
            }
        }
    }

    /// A warning for each limit that stopped evaluation.
    pub(super) fn limit_warnings(&self, warnings: &mut Vec<String>) {
        if self.exhausted {
            warnings.push(format!(
                "evaluation stopped after {MAX_STEPS} steps; outcomes past that point are unknown"
            ));
        }
        if self.too_deep {
            warnings.push(format!(
                "evaluation nested deeper than {MAX_EVAL_DEPTH} levels (defs, judgments and criteria reading one another) and stopped; outcomes past that point are unknown"
            ));
        }
        if self.oversized {
            warnings.push(format!(
                "a text value grew past {MAX_TEXT} bytes and evaluation stopped; outcomes past that point are unknown"
            ));
        }
    }

    /// A text-valued output hook (`previous_tier`, `movement`): its text,
    /// or `None` when missing or not a text.
    pub(super) fn text_hook(&mut self, def: Option<usize>) -> Option<String> {
        def.and_then(|d| text_of(&self.def(d, vec![])))
    }

    /// How the tier `t` reads, from the pack's `tier_label` hook.
    pub(super) fn tier_label(&mut self, t: &Option<String>) -> Option<String> {
        match (self.pack.tier_label_def, t) {
            (Some(d), Some(t)) => text_of(&self.def(d, vec![Value::Text(t.as_str().into())])),
            _ => None,
        }
    }

    /// Values of the pack's `history_<field>` defs after placement.
    pub(super) fn history_fields(&mut self) -> Vec<(String, Json)> {
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
}

/// The `country` field of the facts, or empty.
pub(super) fn country(pack: &RulePack, facts: &Facts) -> String {
    match (&facts.root, pack.root.index("country")) {
        (Fact::Record(f), Some(i)) => match &f[i] {
            Fact::Text(t) => t.to_string(),
            _ => String::new(),
        },
        _ => String::new(),
    }
}

/// The declared sources that the criteria and steps of `a` cite.
pub(super) fn cited_sources(pack: &RulePack, a: &Assessment) -> Vec<CiteSource> {
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

/// Marks a `paragraph` among the sentences (U+2029 PARAGRAPH SEPARATOR).
const PARAGRAPH: &str = "\u{2029}";

/// The draft from its sentences: joined by spaces, with a blank line where a
/// `paragraph` stands; empty paragraphs are dropped.
pub(super) fn paragraphs(sentences: &[String]) -> String {
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
