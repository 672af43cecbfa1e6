//! Renders what-if comparisons, reform searches and rule-change diffs.

use crate::explain::Format;
use crate::whatif::{Delta, Reforms, Target};
use serde_json::{json, Value as Json};

fn tier(t: &Option<String>, label: &Option<String>) -> String {
    match (t, label) {
        (Some(_), Some(l)) => l.clone(),
        (Some(t), None) => t.clone(),
        _ => "undecided".into(),
    }
}

/// The what-if screen: tier before and after, what moved, and the
/// rationale as a diff.
pub fn delta(d: &Delta, changes: &[String], note: Option<&str>, format: Format) -> String {
    match format {
        Format::Json => {
            serde_json::to_string_pretty(&delta_json(d, changes, note)).unwrap_or_default() + "\n"
        }
        Format::Md => delta_md(d, changes, note),
        Format::Text => delta_text(d, changes, note),
    }
}

fn delta_text(d: &Delta, changes: &[String], note: Option<&str>) -> String {
    let b = &d.before;
    let a = &d.after;
    let year = match (b.year, a.year) {
        (Some(x), Some(y)) if x != y => format!(
            "{} edition, judged as {}",
            crate::eval::fmt_num(x),
            crate::eval::fmt_num(y)
        ),
        (Some(x), _) => crate::eval::fmt_num(x),
        _ => String::new(),
    };
    let mut out = format!("What if: {} ({year})\n", b.country);
    if let Some(n) = note {
        out.push_str(&format!("  {n}\n"));
    }
    for c in changes {
        out.push_str(&format!("  set {c}\n"));
    }
    let bt = tier(&b.tier, &b.tier_label);
    let at = tier(&a.tier, &a.tier_label);
    if d.tier_changed() {
        out.push_str(&format!("\nTier: {bt} -> {at}\n"));
    } else {
        out.push_str(&format!("\nTier: {bt} (unchanged)\n"));
    }
    if d.moved.is_empty() {
        out.push_str("\nNo criterion moved.\n");
    } else {
        out.push_str("\nCriteria that moved\n");
        for (x, y) in &d.moved {
            out.push_str(&format!("  {}: {} -> {}\n", x.id, x.outcome, y.outcome));
            out.push_str(&format!("    before: {}\n", x.because));
            out.push_str(&format!("    after:  {}\n", y.because));
        }
    }
    if !d.steps_removed.is_empty() || !d.steps_added.is_empty() {
        out.push_str("\nPlacement steps\n");
        for s in &d.steps_removed {
            out.push_str(&format!("  - {}: {}\n", s.title, s.because));
        }
        for s in &d.steps_added {
            out.push_str(&format!("  + {}: {}\n", s.title, s.because));
        }
    }
    if d.rationale.iter().any(|(k, _)| *k != ' ') {
        out.push_str("\nRationale (- before, + after)\n");
        for (k, s) in &d.rationale {
            out.push_str(&format!("  {k} {s}\n"));
        }
    } else {
        out.push_str("\nThe rationale does not change.\n");
    }
    out
}

fn delta_md(d: &Delta, changes: &[String], note: Option<&str>) -> String {
    let b = &d.before;
    let a = &d.after;
    let mut out = format!("## What if: {}\n\n", b.country);
    if let Some(n) = note {
        out.push_str(&format!("{n}\n\n"));
    }
    for c in changes {
        out.push_str(&format!("- set `{c}`\n"));
    }
    out.push_str(&format!(
        "\n**Tier: {} → {}**\n\n",
        tier(&b.tier, &b.tier_label),
        tier(&a.tier, &a.tier_label)
    ));
    if !d.moved.is_empty() {
        out.push_str("| criterion | before | after | reason after |\n|---|---|---|---|\n");
        for (x, y) in &d.moved {
            out.push_str(&format!(
                "| `{}` | {} | {} | {} |\n",
                x.id,
                x.outcome,
                y.outcome,
                y.because.replace('|', "\\|")
            ));
        }
    }
    out.push_str("\n```diff\n");
    for (k, s) in &d.rationale {
        out.push_str(&format!("{k} {s}\n"));
    }
    out.push_str("```\n");
    out
}

fn delta_json(d: &Delta, changes: &[String], note: Option<&str>) -> Json {
    let moved: Vec<Json> = d
        .moved
        .iter()
        .map(|(x, y)| {
            json!({"id": x.id, "before": x.outcome.as_str(), "after": y.outcome.as_str(),
                   "because_before": x.because, "because_after": y.because})
        })
        .collect();
    let step =
        |s: &crate::eval::StepResult| json!({"rule": s.rule, "tier": s.tier, "because": s.because});
    json!({
        "country": d.before.country,
        "year": d.before.year,
        "note": note,
        "changes": changes,
        "tier_before": d.before.tier,
        "tier_after": d.after.tier,
        "criteria_moved": moved,
        "steps_removed": d.steps_removed.iter().map(step).collect::<Vec<_>>(),
        "steps_added": d.steps_added.iter().map(step).collect::<Vec<_>>(),
        "rationale_before": d.before.rationale,
        "rationale_after": d.after.rationale,
    })
}

fn target_text(t: &Target) -> String {
    match t {
        Target::Tier(t) => format!("tier {t} or better"),
        Target::Criterion(c) => format!("`{c}` met"),
    }
}

/// The reform search result, with the per-criterion fixes when given.
pub fn reforms(
    r: &Reforms,
    country: &str,
    per_criterion: &[(String, Reforms)],
    format: Format,
) -> String {
    if format == Format::Json {
        let sol = |r: &Reforms| -> Json {
            json!(r
                .solutions
                .iter()
                .map(|s| json!({"levers": s.levers, "tier": s.tier, "fixes": s.fixes}))
                .collect::<Vec<_>>())
        };
        let doc = json!({
            "country": country,
            "target": target_text(&r.target),
            "current_tier": r.current_tier,
            "reached_already": r.reached_already,
            "solutions": sol(r),
            "unreachable": r.unreachable,
            "inert_levers": r.inert,
            "equivalent_levers": r.equivalent,
            "evaluated": r.evaluated,
            "criteria": per_criterion.iter().map(|(id, c)| json!({"id": id, "solutions": sol(c), "unreachable": c.unreachable})).collect::<Vec<_>>(),
        });
        return serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n";
    }
    let bullet = if format == Format::Md { "- " } else { "  " };
    let mut out = format!(
        "Reforms for {country}: target {} (now {})\n\n",
        target_text(&r.target),
        r.current_tier.as_deref().unwrap_or("undecided")
    );
    if r.reached_already {
        out.push_str("The target is already reached.\n");
    } else if r.solutions.is_empty() {
        out.push_str(&format!(
            "{bullet}{}\n",
            r.unreachable.clone().unwrap_or_default()
        ));
    } else {
        out.push_str("Smallest sets of levers that reach it:\n");
        for s in &r.solutions {
            out.push_str(&format!(
                "{bullet}{{{}}} -> {}; fixes {}\n",
                s.levers.join(", "),
                s.tier.as_deref().unwrap_or("undecided"),
                if s.fixes.is_empty() {
                    "no criterion".to_string()
                } else {
                    s.fixes.join(", ")
                }
            ));
        }
    }
    if !per_criterion.is_empty() {
        out.push_str("\nCriteria not met, and the smallest lever sets that fix each:\n");
        for (id, c) in per_criterion {
            let sets: Vec<String> = c
                .solutions
                .iter()
                .map(|s| format!("{{{}}}", s.levers.join(", ")))
                .collect();
            if sets.is_empty() {
                out.push_str(&format!("{bullet}{id}: no lever fixes it\n"));
            } else {
                out.push_str(&format!("{bullet}{id}: {}\n", sets.join(" or ")));
            }
        }
    }
    out.push_str(&format!(
        "\n({} lever sets evaluated, sets of up to {} levers; {} levers change nothing here{})\n",
        r.evaluated
            + per_criterion
                .iter()
                .map(|(_, c)| c.evaluated)
                .sum::<usize>(),
        r.max_size,
        r.inert.len(),
        if r.equivalent.is_empty() {
            String::new()
        } else {
            format!(", {} duplicate another", r.equivalent.len())
        }
    ));
    out
}
