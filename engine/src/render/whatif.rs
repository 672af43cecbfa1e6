//! Renders what-if comparisons, reform searches and rule-change diffs.

use crate::pack::RulePack;
use crate::render::assessment::{wrap, Format};
use crate::text::escape::md_inline;
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
            crate::text::num::fmt_num(x),
            crate::text::num::fmt_num(y)
        ),
        (Some(x), _) => crate::text::num::fmt_num(x),
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
    if !d.why.is_empty() {
        out.push_str("\nWhy\n");
        for w in &d.why {
            out.push_str(&format!("  {}\n", wrap(w, WIDTH - 4, "    ")));
        }
    }
    if d.rationale.iter().any(|(k, _)| *k != ' ') {
        // only the sentences that change; "…" stands for unchanged ones
        out.push_str("\nRationale (- before, + after; … unchanged sentences)\n");
        let mut skipped = false;
        for (k, s) in &d.rationale {
            if *k == ' ' {
                skipped = true;
                continue;
            }
            if skipped {
                out.push_str("  …\n");
                skipped = false;
            }
            out.push_str(&format!("  {k} {s}\n"));
        }
        if skipped {
            out.push_str("  …\n");
        }
    } else {
        out.push_str("\nThe rationale does not change.\n");
    }
    out
}

fn delta_md(d: &Delta, changes: &[String], note: Option<&str>) -> String {
    let b = &d.before;
    let a = &d.after;
    let mut out = format!("## What if: {}\n\n", md_inline(&b.country));
    if let Some(n) = note {
        out.push_str(&format!("{}\n\n", crate::text::escape::md_paragraphs(n)));
    }
    for c in changes {
        out.push_str(&format!("- set {}\n", md_inline(c)));
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
                md_inline(&y.because)
            ));
        }
    }
    for w in &d.why {
        out.push_str(&format!("\n{}\n", crate::text::escape::md_paragraphs(w)));
    }
    // the fence is longer than any run of backticks in the text it holds
    let mut diff = String::new();
    for (k, s) in &d.rationale {
        diff.push_str(&format!("{k} {}\n", s.replace(['\n', '\r'], " ")));
    }
    let fence = crate::text::escape::md_fence(&diff);
    out.push_str(&format!("\n{fence}diff\n{diff}{fence}\n"));
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
        "why": d.why,
        "rationale_before": d.before.rationale,
        "rationale_after": d.after.rationale,
    })
}

fn target_text(r: &Reforms) -> String {
    match &r.target {
        Target::Tier(t) => format!(
            "{} or better",
            r.target_label
                .clone()
                .unwrap_or_else(|| format!("tier {t}"))
        ),
        Target::Criterion(c) => format!("`{c}` met"),
    }
}

/// The width reform and what-if text is wrapped at.
const WIDTH: usize = 100;

fn sets_text(sets: &[Vec<String>]) -> String {
    sets.iter()
        .map(|s| format!("{{{}}}", s.join(", ")))
        .collect::<Vec<_>>()
        .join(" or ")
}

/// The reform search result, with the per-criterion fixes when given.
pub fn reforms(
    pack: &RulePack,
    r: &Reforms,
    country: &str,
    per_criterion: &[(String, Reforms)],
    format: Format,
) -> String {
    // the levers named anywhere in the result, in pack order
    let mut names: Vec<&String> = vec![];
    for s in &r.solutions {
        names.extend(&s.levers);
    }
    for e in &r.establish {
        names.extend(&e.levers);
        names.extend(e.solutions.iter().flatten());
    }
    for (_, c) in per_criterion {
        for s in &c.solutions {
            names.extend(&s.levers);
        }
    }
    let named: Vec<&crate::pack::CLever> = pack
        .levers
        .iter()
        .filter(|l| names.contains(&&l.name))
        .collect();
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
            "target": target_text(r),
            "current_tier": r.current_tier,
            "reached_already": r.reached_already,
            "assume_unknown_fails": r.assume_unknown_fails,
            "solutions": sol(r),
            "unreachable": r.unreachable,
            "establish": r.establish.iter().map(|e| json!({
                "path": e.path, "value": e.value, "levers": e.levers,
                "reached_already": e.reached_already, "solutions": e.solutions,
            })).collect::<Vec<_>>(),
            "unknown_criteria": r.unknown_criteria.iter().map(|(id, facts)| json!({"id": id, "not_known": facts})).collect::<Vec<_>>(),
            "levers": named.iter().map(|l| lever_json(l)).collect::<Vec<_>>(),
            "inert_levers": r.inert,
            "inert_reasons": r.inert_reasons.iter().map(|(l, why)| json!({"lever": l, "why": why})).collect::<Vec<_>>(),
            "unknown_levers": r.unknown_levers.iter().map(|(l, p)| json!({"lever": l, "not_known": p})).collect::<Vec<_>>(),
            "equivalent_levers": r.equivalent,
            "evaluated": r.evaluated,
            "stopped": r.stopped,
            "criteria": per_criterion.iter().map(|(id, c)| json!({"id": id, "solutions": sol(c), "unreachable": c.unreachable})).collect::<Vec<_>>(),
        });
        return serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n";
    }
    let md = format == Format::Md;
    // values from the facts, escaped for Markdown
    let esc = |s: &str| if md { md_inline(s) } else { s.to_string() };
    let bullet = if md { "- " } else { "  " };
    let cont = if md { "  " } else { "    " };
    let mut out = format!(
        "Reforms for {}: target {} (now {})\n\n",
        esc(country),
        target_text(r),
        r.current_label
            .as_deref()
            .or(r.current_tier.as_deref())
            .unwrap_or("undecided")
    );
    if r.reached_already {
        out.push_str("The target is already reached.\n");
    } else if r.solutions.is_empty() {
        let text = r.unreachable.clone().unwrap_or_default();
        out.push_str(&format!(
            "{bullet}{}\n",
            wrap(&esc(&text), WIDTH - 4, bullet)
        ));
    } else {
        out.push_str("Smallest sets of levers that reach it:\n");
        for s in &r.solutions {
            let line = format!(
                "{{{}}} -> {}; fixes {}",
                s.levers.join(", "),
                s.tier_label
                    .as_deref()
                    .or(s.tier.as_deref())
                    .unwrap_or("undecided"),
                if s.fixes.is_empty() {
                    "no criterion that was not met".to_string()
                } else {
                    s.fixes.join(", ")
                }
            );
            out.push_str(&format!("{bullet}{}\n", wrap(&esc(&line), WIDTH - 4, cont)));
        }
    }
    if !r.establish.is_empty() {
        out.push_str("\nUnknown facts that would change the answer, if established:\n");
        for e in &r.establish {
            let then = if e.reached_already {
                "the target is reached with no lever".to_string()
            } else if e.solutions.is_empty() {
                "no set of levers reaches the target".to_string()
            } else {
                format!("{} reach the target", sets_text(&e.solutions))
            };
            let line = format!(
                "{} = {} (as {} would set it): {then}",
                e.path,
                e.value,
                e.levers.join(", ")
            );
            out.push_str(&format!("{bullet}{}\n", wrap(&esc(&line), WIDTH - 4, cont)));
        }
    }
    if !per_criterion.is_empty() {
        out.push_str("\nCriteria not met, and the smallest lever sets that fix each:\n");
        for (id, c) in per_criterion {
            let sets: Vec<Vec<String>> = c.solutions.iter().map(|s| s.levers.clone()).collect();
            let line = if sets.is_empty() {
                format!("{id}: no lever fixes it")
            } else {
                format!("{id}: {}", sets_text(&sets))
            };
            out.push_str(&format!("{bullet}{}\n", wrap(&esc(&line), WIDTH - 4, cont)));
        }
    }
    if !r.assume_unknown_fails && !r.unknown_criteria.is_empty() {
        out.push_str(
            "\nCriteria unknown, so no lever is proposed (establish the facts, or --assume-unknown-fails):\n",
        );
        for (id, facts) in &r.unknown_criteria {
            let line = if facts.is_empty() {
                format!("{id}: cannot be decided")
            } else {
                format!("{id}: not known: {}", facts.join(", "))
            };
            out.push_str(&format!("{bullet}{}\n", wrap(&esc(&line), WIDTH - 4, cont)));
        }
    }
    if !named.is_empty() {
        out.push_str("\nThe levers named above:\n");
        for l in &named {
            let line = format!(
                "{} ({}): {}",
                l.name,
                l.meta.pillar.as_deref().unwrap_or("no pillar"),
                l.meta.title.as_deref().unwrap_or("(no title)")
            );
            out.push_str(&format!("{bullet}{}\n", wrap(&esc(&line), WIDTH - 4, cont)));
        }
    }
    if !r.inert_reasons.is_empty() {
        out.push_str("\nLevers that change nothing here:\n");
        for (l, why) in &r.inert_reasons {
            out.push_str(&format!(
                "{bullet}{}\n",
                wrap(&esc(&format!("{l}: {why}")), WIDTH - 4, cont)
            ));
        }
    }
    if !r.unknown_levers.is_empty() {
        let line = format!(
            "Levers not tried because the facts they set are not known: {}.",
            r.unknown_levers
                .iter()
                .map(|(l, p)| format!("{l} ({})", p.join(", ")))
                .collect::<Vec<_>>()
                .join("; ")
        );
        out.push_str(&format!("\n{}\n", wrap(&esc(&line), WIDTH, "")));
    }
    if !r.equivalent.is_empty() {
        let line = format!(
            "Levers with the same effect here as another, tried once: {}.",
            r.equivalent
                .iter()
                .map(|(l, same)| format!("{l} (as {same})"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        out.push_str(&format!("\n{}\n", wrap(&esc(&line), WIDTH, "")));
    }
    if let Some(why) = &r.stopped {
        out.push_str(&format!("\n{}\n", wrap(&esc(why), WIDTH, "")));
    }
    out.push_str(&format!(
        "\n({} lever sets evaluated, sets of up to {} levers)\n",
        r.evaluated
            + per_criterion
                .iter()
                .map(|(_, c)| c.evaluated)
                .sum::<usize>(),
        r.max_size,
    ));
    out
}

fn lever_json(l: &crate::pack::CLever) -> Json {
    json!({
        "name": l.name,
        "title": l.meta.title,
        "recommend": l.recommend,
        "pillar": l.meta.pillar,
        "cites": l.meta.cites,
        "sets": l.sets.iter().map(|(_, c, p)| json!({"path": p, "value": const_json(c)})).collect::<Vec<_>>(),
    })
}

fn const_text(c: &crate::pack::Const) -> String {
    use crate::pack::Const;
    match c {
        Const::Null => "null".into(),
        Const::Bool(b) => b.to_string(),
        Const::Num(n) => crate::text::num::fmt_num(*n),
        Const::Text(t) => t.to_string(),
    }
}

fn const_json(c: &crate::pack::Const) -> Json {
    use crate::pack::Const;
    match c {
        Const::Null => Json::Null,
        Const::Bool(b) => json!(b),
        Const::Num(n) => json!(n),
        Const::Text(t) => json!(t.to_string()),
    }
}

/// Every lever of the pack: its title, pillar, what it sets, the criteria
/// whose outcome the facts it sets can change (from what they read), and
/// its recommendation (`tiers reforms --list`).
pub fn lever_list(pack: &RulePack, format: Format) -> String {
    let map = crate::reads::ReadMap::of(pack);
    let affects = |l: &crate::pack::CLever| -> Vec<String> {
        let mut ids: Vec<String> = vec![];
        for (_, _, path) in &l.sets {
            let (decides, _) = map.readers_of(path);
            for r in decides {
                let id = match r {
                    crate::reads::Reader::Criterion(id) => id.clone(),
                    crate::reads::Reader::Judgment(j) => format!("judgment {j}"),
                    _ => continue,
                };
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        ids
    };
    if format == Format::Json {
        let doc: Vec<Json> = pack
            .levers
            .iter()
            .map(|l| {
                let mut j = lever_json(l);
                j["can_change"] = json!(affects(l));
                j
            })
            .collect();
        return serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n";
    }
    let md = format == Format::Md;
    let mut out = format!(
        "Levers of rule pack `{}` ({}); law = the law on the books, practice = what the government does\n",
        pack.name,
        pack.levers.len()
    );
    for l in &pack.levers {
        let pillar = l.meta.pillar.as_deref().unwrap_or("no pillar");
        let title = l.meta.title.as_deref().unwrap_or("(no title)");
        if md {
            out.push_str(&format!("\n### `{}` ({pillar})\n\n{title}\n\n", l.name));
        } else {
            let head = format!("{} ({pillar}): {title}", l.name);
            out.push_str(&format!("\n{}\n", wrap(&head, WIDTH - 4, "    ")));
        }
        let item = |label: &str, text: &str| {
            if md {
                format!("- {label}: {text}\n")
            } else {
                format!(
                    "    {}\n",
                    wrap(&format!("{label}: {text}"), WIDTH - 6, "      ")
                )
            }
        };
        let sets: Vec<String> = l
            .sets
            .iter()
            .map(|(_, c, p)| format!("{p} = {}", const_text(c)))
            .collect();
        out.push_str(&item("sets", &sets.join(", ")));
        let ids = affects(l);
        out.push_str(&item(
            "can change",
            &if ids.is_empty() {
                "no criterion or judgment reads the facts it sets".to_string()
            } else {
                ids.join(", ")
            },
        ));
        if let Some(r) = &l.recommend {
            out.push_str(&item("recommend", r));
        }
    }
    out
}
