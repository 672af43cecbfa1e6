//! Renders what-if comparisons, reform searches and rule-change diffs.
//! The JSON of each view is the contract in `contract`.

mod contract;
mod rule_diff;

pub use rule_diff::{pack_diff, CaseDiff};

use crate::pack::{CLever, RulePack};
use crate::render::assessment::{wrap, Format};
use crate::text::escape::md_inline;
use crate::whatif::{Delta, Reforms, Target};
use contract::{DeltaDoc, LeverDoc, ReformsDoc};
use serde::Serialize;

/// Pretty JSON with a final line break.
fn json_text(doc: &impl Serialize) -> String {
    serde_json::to_string_pretty(doc).unwrap_or_default() + "\n"
}

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
        Format::Json => json_text(&DeltaDoc::new(d, changes, note)),
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
    let named = named_levers(pack, r, per_criterion);
    if format == Format::Json {
        let doc = ReformsDoc::new(r, country, target_text(r), per_criterion, &named);
        return json_text(&doc);
    }
    let list = List::new(format == Format::Md);
    let mut out = format!(
        "Reforms for {}: target {} (now {})\n\n",
        list.esc(country),
        target_text(r),
        r.current_label
            .as_deref()
            .or(r.current_tier.as_deref())
            .unwrap_or("undecided")
    );
    solutions_text(&list, r, &mut out);
    establish_text(&list, r, &mut out);
    per_criterion_text(&list, per_criterion, &mut out);
    unknown_text(&list, r, &mut out);
    levers_text(&list, r, &named, &mut out);
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

/// The levers named anywhere in the result, in pack order.
fn named_levers<'p>(
    pack: &'p RulePack,
    r: &Reforms,
    per_criterion: &[(String, Reforms)],
) -> Vec<&'p CLever> {
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
    pack.levers
        .iter()
        .filter(|l| names.contains(&&l.name))
        .collect()
}

/// The items of the reform text: a bullet list, wrapped, values from the
/// facts escaped for Markdown.
struct List {
    md: bool,
    bullet: &'static str,
    cont: &'static str,
}

impl List {
    fn new(md: bool) -> Self {
        List {
            md,
            bullet: if md { "- " } else { "  " },
            cont: if md { "  " } else { "    " },
        }
    }

    fn esc(&self, s: &str) -> String {
        if self.md {
            md_inline(s)
        } else {
            s.to_string()
        }
    }

    /// One item of the list.
    fn item(&self, line: &str, out: &mut String) {
        out.push_str(&format!(
            "{}{}\n",
            self.bullet,
            wrap(&self.esc(line), WIDTH - 4, self.cont)
        ));
    }

    /// A paragraph of its own, after a blank line.
    fn note(&self, line: &str, out: &mut String) {
        out.push_str(&format!("\n{}\n", wrap(&self.esc(line), WIDTH, "")));
    }
}

/// Whether the target is reached already, why not, or the lever sets.
fn solutions_text(list: &List, r: &Reforms, out: &mut String) {
    if r.reached_already {
        out.push_str("The target is already reached.\n");
    } else if r.solutions.is_empty() {
        let text = r.unreachable.clone().unwrap_or_default();
        // the continuation lines carry the bullet too
        out.push_str(&format!(
            "{}{}\n",
            list.bullet,
            wrap(&list.esc(&text), WIDTH - 4, list.bullet)
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
            list.item(&line, out);
        }
    }
}

/// The unknown facts that would change the answer, if established.
fn establish_text(list: &List, r: &Reforms, out: &mut String) {
    if r.establish.is_empty() {
        return;
    }
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
        list.item(&line, out);
    }
}

/// Each criterion not met, and the smallest lever sets that fix it.
fn per_criterion_text(list: &List, per_criterion: &[(String, Reforms)], out: &mut String) {
    if per_criterion.is_empty() {
        return;
    }
    out.push_str("\nCriteria not met, and the smallest lever sets that fix each:\n");
    for (id, c) in per_criterion {
        let sets: Vec<Vec<String>> = c.solutions.iter().map(|s| s.levers.clone()).collect();
        let line = if sets.is_empty() {
            format!("{id}: no lever fixes it")
        } else {
            format!("{id}: {}", sets_text(&sets))
        };
        list.item(&line, out);
    }
}

/// The criteria that are unknown, for which no lever is proposed.
fn unknown_text(list: &List, r: &Reforms, out: &mut String) {
    if r.assume_unknown_fails || r.unknown_criteria.is_empty() {
        return;
    }
    out.push_str(
        "\nCriteria unknown, so no lever is proposed (establish the facts, or --assume-unknown-fails):\n",
    );
    for (id, facts) in &r.unknown_criteria {
        let line = if facts.is_empty() {
            format!("{id}: cannot be decided")
        } else {
            format!("{id}: not known: {}", facts.join(", "))
        };
        list.item(&line, out);
    }
}

/// The levers named above, those that change nothing, those not tried,
/// those merged with another, and why the search stopped early.
fn levers_text(list: &List, r: &Reforms, named: &[&CLever], out: &mut String) {
    if !named.is_empty() {
        out.push_str("\nThe levers named above:\n");
        for l in named {
            let line = format!(
                "{} ({}): {}",
                l.name,
                l.meta.pillar.as_deref().unwrap_or("no pillar"),
                l.meta.title.as_deref().unwrap_or("(no title)")
            );
            list.item(&line, out);
        }
    }
    if !r.inert_reasons.is_empty() {
        out.push_str("\nLevers that change nothing here:\n");
        for (l, why) in &r.inert_reasons {
            list.item(&format!("{l}: {why}"), out);
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
        list.note(&line, out);
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
        list.note(&line, out);
    }
    if let Some(why) = &r.stopped {
        list.note(why, out);
    }
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
        let doc: Vec<LeverDoc> = pack
            .levers
            .iter()
            .map(|l| LeverDoc::new(l, Some(affects(l))))
            .collect();
        return json_text(&doc);
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
