//! The rule-diff view (`tiers diff`): the cases whose assessment differs
//! between a base rule pack and a new one, as text, Markdown or JSON.

use super::contract::{BaseNew, CriterionDiffDoc, DiffCaseDoc, DiffDoc};
use super::json_text;
use crate::render::assessment::Format;
use crate::text::escape::md_inline;
use crate::whatif::{OutcomeChange, PackDelta};

/// How one case differs between two rule packs (`tiers diff`).
#[derive(Debug, Clone, PartialEq)]
pub enum CaseDiff {
    /// Its assessment differs.
    Moved(PackDelta),
    /// It loads under the base pack only.
    LoadsOnlyUnderBase,
    /// It loads under the new pack only.
    LoadsOnlyUnderNew,
}

/// A case's difference in words: the tier (base, new) when it differs,
/// and (criterion, base, new) for each outcome that does.
struct DiffWords {
    tier: Option<(String, String)>,
    criteria: Vec<(String, String, String)>,
}

impl DiffWords {
    fn of(c: &CaseDiff) -> DiffWords {
        let loads = |which: &str| DiffWords {
            tier: Some((
                "loads".into(),
                format!("does not load under the {which} rules"),
            )),
            criteria: vec![],
        };
        let tier = |t: &Option<String>| t.clone().unwrap_or_else(|| "undecided".into());
        let outcome = |o: Option<crate::pack::Outcome>| {
            o.map_or("absent".to_string(), |o| o.as_str().to_string())
        };
        match c {
            CaseDiff::LoadsOnlyUnderBase => loads("new"),
            CaseDiff::LoadsOnlyUnderNew => loads("base"),
            CaseDiff::Moved(d) => DiffWords {
                tier: d.tier.as_ref().map(|(b, n)| (tier(b), tier(n))),
                criteria: d
                    .criteria
                    .iter()
                    .map(|c: &OutcomeChange| (c.id.clone(), outcome(c.before), outcome(c.after)))
                    .collect(),
            },
        }
    }
}

/// The cases that change between the `base` pack and the `new` one, of
/// `total` compared (`tiers diff`).
pub fn pack_diff(
    rows: &[(String, CaseDiff)],
    total: usize,
    base: &str,
    new: &str,
    format: Format,
) -> String {
    let words: Vec<(&str, DiffWords)> = rows
        .iter()
        .map(|(case, c)| (case.as_str(), DiffWords::of(c)))
        .collect();
    match format {
        Format::Json => json_text(&DiffDoc {
            base,
            rules: new,
            cases: total,
            changed: words
                .iter()
                .map(|(case, w)| diff_case_doc(case, w))
                .collect(),
        }),
        Format::Md => {
            let mut s = format!(
                "{} of {total} cases change between `{base}` and `{new}`\n\n",
                rows.len(),
            );
            if !rows.is_empty() {
                s.push_str("| case | tier | criteria |\n|---|---|---|\n");
                for (case, w) in &words {
                    let t = w
                        .tier
                        .as_ref()
                        .map(|(a, b)| format!("{a} → {b}"))
                        .unwrap_or_default();
                    let c: Vec<String> = w
                        .criteria
                        .iter()
                        .map(|(id, a, b)| format!("`{id}` {a} → {b}"))
                        .collect();
                    s.push_str(&format!(
                        "| {} | {t} | {} |\n",
                        md_inline(case),
                        c.join("<br>")
                    ));
                }
            }
            s
        }
        Format::Text => {
            let mut s = String::new();
            for (case, w) in &words {
                s.push_str(&format!("{case}\n"));
                if let Some((a, b)) = &w.tier {
                    s.push_str(&format!("  tier: {a} -> {b}\n"));
                }
                for (id, a, b) in &w.criteria {
                    s.push_str(&format!("  {id}: {a} -> {b}\n"));
                }
            }
            s.push_str(&format!(
                "{} of {total} cases change between {base} and {new}\n",
                rows.len(),
            ));
            s
        }
    }
}

fn diff_case_doc<'a>(case: &'a str, w: &'a DiffWords) -> DiffCaseDoc<'a> {
    DiffCaseDoc {
        case,
        tier: w.tier.as_ref().map(|(base, new)| BaseNew { base, new }),
        criteria: w
            .criteria
            .iter()
            .map(|(id, base, new)| CriterionDiffDoc { id, base, new })
            .collect(),
    }
}
