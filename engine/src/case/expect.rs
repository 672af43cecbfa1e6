//! A case's expectations: its `expect:` block (the tier, the placement
//! step, criteria outcomes), read from the case's YAML and compared with a
//! result. A case is facts plus its `expect:`; the facts loader never sees
//! the block.

use crate::diag::{did_you_mean, Code, Diagnostic, SourceMap, Span};
use crate::facts::{describe_value, Problems, YNode};
use crate::pack::{Outcome, RulePack};
use serde_saphyr::Spanned;

/// What `expect.tier` says of a placement that decided no tier.
pub const UNDECIDED: &str = "undecided";

/// What a case file expects; checked by `tiers test`.
#[derive(Debug, Clone, Default)]
pub struct Expect {
    pub tier: Option<(String, Span)>,
    pub criteria: Vec<(String, Outcome, Span)>,
    /// The placement step that set the final tier (the route), if stated.
    pub placement: Option<(String, Span)>,
}

/// A case document without its `expect:` entry: the facts.
pub fn without(doc: &Spanned<YNode>) -> Spanned<YNode> {
    let YNode::Map(entries) = &doc.value else {
        return doc.clone();
    };
    let rest = entries.iter().filter(|(k, _)| !is_expect(k)).cloned();
    Spanned {
        value: YNode::Map(rest.collect()),
        referenced: doc.referenced,
        defined: doc.defined,
    }
}

/// Reads the `expect:` entry of a case document (a facts file or a
/// scenario), if it has one.
pub fn read(
    pack: &RulePack,
    sources: &SourceMap,
    file: u32,
    doc: &Spanned<YNode>,
) -> Result<Option<Expect>, Vec<Diagnostic>> {
    let YNode::Map(entries) = &doc.value else {
        return Ok(None);
    };
    let mut r = Reader {
        pack,
        at: Problems::new(sources, file),
    };
    let mut out = None;
    for (k, v) in entries {
        if is_expect(k) {
            out = Some(r.block(v));
        }
    }
    r.at.result(out)
}

fn is_expect(k: &Spanned<YNode>) -> bool {
    matches!(&k.value, YNode::Str(s) if s == "expect")
}

/// Reads an `expect:` block, collecting every problem.
struct Reader<'a> {
    pack: &'a RulePack,
    at: Problems<'a>,
}

impl Reader<'_> {
    fn block(&mut self, n: &Spanned<YNode>) -> Expect {
        let mut out = Expect::default();
        let YNode::Map(entries) = &n.value else {
            if !matches!(n.value, YNode::Null) {
                self.at.error(
                    Code::BadExpect,
                    "`expect` must be a mapping with `tier` and `criteria`".into(),
                    n,
                );
            }
            return out;
        };
        for (k, v) in entries {
            let key = match &k.value {
                YNode::Str(s) => s.as_str(),
                _ => "",
            };
            match key {
                "tier" => {
                    if let Some(t) = self.tier(v) {
                        out.tier = Some(t);
                    }
                }
                "criteria" => self.criteria(v, &mut out.criteria),
                "placement" => {
                    if let Some(p) = self.placement(v) {
                        out.placement = Some(p);
                    }
                }
                other => {
                    let hint = did_you_mean(other, ["tier", "criteria", "placement"]);
                    let d =
                        self.at
                            .error(Code::UnknownKey, format!("unknown key `expect.{other}`"), k);
                    d.help = Some(match hint {
                        Some(h) => format!("did you mean `expect.{h}`?"),
                        None => "`expect` has `tier`, `criteria` and `placement`".into(),
                    });
                }
            }
        }
        out
    }

    /// `expect.tier`: one of the pack's tiers, or `undecided`.
    fn tier(&mut self, v: &Spanned<YNode>) -> Option<(String, Span)> {
        let pack = self.pack;
        let s = match &v.value {
            YNode::Str(s) => Some(s.clone()),
            YNode::Int(i) => Some(i.to_string()),
            _ => None,
        };
        match s {
            Some(s) if pack.tier_variants.contains(&s) || s == UNDECIDED => {
                Some((s, self.at.span(v)))
            }
            other => {
                let listed: Vec<String> = pack
                    .tier_variants
                    .iter()
                    .map(|v| format!("\"{v}\""))
                    .collect();
                let shown = other.unwrap_or_else(|| describe_value(&v.value));
                let hint = did_you_mean(&shown, pack.tier_variants.iter().map(String::as_str));
                let d = self.at.error(
                    Code::BadTier,
                    format!(
                        "`expect.tier` is `{shown}`, which is not one of {}",
                        listed.join(", ")
                    ),
                    v,
                );
                d.help = hint.map(|h| format!("did you mean `\"{h}\"`?"));
                None
            }
        }
    }

    /// `expect.criteria`: criterion ids to outcomes.
    fn criteria(&mut self, v: &Spanned<YNode>, out: &mut Vec<(String, Outcome, Span)>) {
        let pack = self.pack;
        let YNode::Map(cs) = &v.value else {
            self.at.error(
                Code::BadExpect,
                "`expect.criteria` must map criterion ids to outcomes".into(),
                v,
            );
            return;
        };
        for (ck, cv) in cs {
            let id = match &ck.value {
                YNode::Str(s) => s.clone(),
                other => describe_value(other),
            };
            if pack.criterion_index(&id).is_none() {
                let hint = did_you_mean(&id, pack.criteria.iter().map(|c| c.id.as_str()));
                let d = self.at.error(
                    Code::BadExpect,
                    format!("`expect.criteria` names unknown criterion `{id}`"),
                    ck,
                );
                d.help = hint.map(|h| format!("did you mean `{h}`?"));
                continue;
            }
            let word = match &cv.value {
                YNode::Str(s) => s.clone(),
                other => describe_value(other),
            };
            match Outcome::parse(&word) {
                Some(o) => {
                    let span = self.at.span(ck);
                    out.push((id, o, span));
                }
                None => {
                    let hint = did_you_mean(&word, Outcome::ALL.iter().map(|o| o.as_str()));
                    let d = self.at.error(
                        Code::BadExpect,
                        format!("`expect.criteria.{id}` is `{word}`, not an outcome"),
                        cv,
                    );
                    d.help = Some(match hint {
                        Some(h) => format!("did you mean `{h}`?"),
                        None => "write met, not_met, unknown or not_applicable".into(),
                    });
                }
            }
        }
    }

    /// `expect.placement`: the name of a placement step.
    fn placement(&mut self, v: &Spanned<YNode>) -> Option<(String, Span)> {
        let pack = self.pack;
        let name = match &v.value {
            YNode::Str(s) => s.clone(),
            other => describe_value(other),
        };
        if pack.steps.iter().any(|st| st.name == name) {
            return Some((name, self.at.span(v)));
        }
        let hint = did_you_mean(&name, pack.steps.iter().map(|st| st.name.as_str()));
        let d = self.at.error(
            Code::BadExpect,
            format!("`expect.placement` names unknown placement step `{name}`"),
            v,
        );
        d.help = hint.map(|h| format!("did you mean `{h}`?"));
        None
    }
}

/// One expectation a case's result does not meet.
#[derive(Debug, Clone, PartialEq)]
pub enum Unmet {
    Tier {
        want: String,
        got: Option<String>,
    },
    Placement {
        want: String,
        got: Option<String>,
    },
    Criterion {
        id: String,
        want: Outcome,
        got: Option<Outcome>,
    },
}

/// The expectations of `expect` that a result does not meet: its tier
/// (`None`: undecided), the last placement step that fired, and the
/// criteria outcomes. `tiers test` reports them; `tiers test --mutants`
/// counts a mutant killed when there is one.
pub fn unmet(
    expect: &Expect,
    tier: Option<&str>,
    last_step: Option<&str>,
    outcome: impl Fn(&str) -> Option<Outcome>,
) -> Vec<Unmet> {
    let mut out = vec![];
    if let Some((want, _)) = &expect.tier {
        if tier.unwrap_or(UNDECIDED) != want.as_str() {
            out.push(Unmet::Tier {
                want: want.clone(),
                got: tier.map(str::to_string),
            });
        }
    }
    if let Some((want, _)) = &expect.placement {
        if last_step != Some(want.as_str()) {
            out.push(Unmet::Placement {
                want: want.clone(),
                got: last_step.map(str::to_string),
            });
        }
    }
    for (id, want, _) in &expect.criteria {
        let got = outcome(id);
        if got != Some(*want) {
            out.push(Unmet::Criterion {
                id: id.clone(),
                want: *want,
                got,
            });
        }
    }
    out
}

/// An `expect:` block with no tier, placement or criterion checks nothing.
pub fn checks_nothing(expect: &Expect) -> bool {
    expect.tier.is_none() && expect.placement.is_none() && expect.criteria.is_empty()
}
