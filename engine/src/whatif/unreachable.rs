//! Why no set of levers reaches the target: what the placement or the
//! criterion rests on with every lever that changes the case, the
//! reviewer's findings no lever changes, and the criteria still not met.

use super::prose::sentence;
use super::target::{reached_assessment, Target};
use crate::eval::evaluate;
use crate::facts::Facts;
use crate::pack::{Outcome, RulePack};
use crate::reads::{self, ReadMap, Reader};

/// The reason a search found no set: `f` are the case's facts with all
/// `n` levers that change it applied.
pub(super) fn explain_unreachable(
    pack: &RulePack,
    f: &Facts,
    n: usize,
    target: &Target,
    max_size: usize,
) -> String {
    let a = evaluate(pack, f);
    if n > max_size && reached_assessment(pack, f, &a, target) {
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
