//! Renders an [`Assessment`] as text, Markdown or the contract's JSON.
//! Everything it prints was decided and worded by eval and the rule pack.

use crate::eval::{Assessment, CriterionResult, JudgmentResult, Read, StepResult};
use crate::pack::{cite_source_id, CiteSource, Outcome};
use crate::text::num::fmt_num;
use serde::{Serialize, Serializer};
use serde_json::Value as Json;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Md,
    Json,
}

fn tier_shown(code: &Option<String>, label: &Option<String>) -> String {
    match (code, label) {
        (Some(_), Some(l)) => l.clone(),
        (Some(c), None) => c.clone(),
        (None, _) => "undecided".into(),
    }
}

fn outcome_word(o: Outcome) -> &'static str {
    match o {
        Outcome::Met => "met",
        Outcome::NotMet => "NOT MET",
        Outcome::Unknown => "unknown",
        Outcome::NotApplicable => "n/a",
    }
}

fn read_value(v: &Json) -> String {
    match v {
        Json::Null => "null (not known)".into(),
        Json::String(s) => s.clone(),
        Json::Number(n) => n.as_f64().map(fmt_num).unwrap_or_else(|| n.to_string()),
        Json::Array(items) => {
            let parts: Vec<String> = items.iter().map(read_value).collect();
            format!("[{}]", parts.join(", "))
        }
        other => other.to_string(),
    }
}

/// `prefix` then `text` wrapped so that every line starts in the same column.
fn columns(prefix: &str, text: &str, width: usize) -> String {
    let w = prefix.chars().count();
    let pad = " ".repeat(w);
    format!(
        "{prefix}{}\n",
        wrap(text, width.saturating_sub(w).max(30), &pad)
    )
}

/// The facts a reason rests on, most telling first: for an unknown outcome
/// the facts that are not known, otherwise the ones that are.
fn reads_line(reads: &[Read], max: usize, unknown_first: bool) -> String {
    let mut ordered: Vec<&Read> = reads.iter().filter(|r| !r.param).collect();
    ordered.sort_by_key(|r| {
        if r.value.is_null() == unknown_first {
            0
        } else {
            1
        }
    });
    let shown: Vec<String> = ordered
        .iter()
        .take(max)
        .map(|r| format!("{} = {}", r.path, read_value(&r.value)))
        .collect();
    let mut s = shown.join("; ");
    if ordered.len() > max {
        s.push_str(&format!("; +{} more", ordered.len() - max));
    }
    s
}

/// Wraps `text` to `width` columns, each line after the first indented.
pub(crate) fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            out.push_str(&line);
            out.push('\n');
            out.push_str(indent);
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(&line);
    out
}

pub fn render(a: &Assessment, format: Format) -> String {
    match format {
        Format::Text => text(a),
        Format::Md => markdown(a),
        Format::Json => serde_json::to_string_pretty(&Doc::new(a)).unwrap_or_default() + "\n",
    }
}

fn heading(a: &Assessment) -> String {
    let year = a.year.map(fmt_num).unwrap_or_else(|| "?".into());
    let mut s = format!("{} ({year} edition, rule pack `{}`)", a.country, a.rulepack);
    if a.country.is_empty() {
        s = format!("{} ({year} edition, rule pack `{}`)", a.source, a.rulepack);
    }
    s
}

fn movement_clause(a: &Assessment) -> String {
    match (&a.movement, &a.previous_tier) {
        (Some(m), Some(_)) => format!(
            " ({m}; previously {})",
            tier_shown(&a.previous_tier, &a.previous_tier_label)
        ),
        (Some(m), None) => format!(" ({m})"),
        _ => String::new(),
    }
}

pub fn text(a: &Assessment) -> String {
    let mut out = String::new();
    out.push_str(&format!("{}\n", heading(a)));
    out.push_str(&format!(
        "Recommended placement: {}{}\n\n",
        tier_shown(&a.tier, &a.tier_label),
        movement_clause(a)
    ));
    out.push_str("Why\n");
    for (i, s) in a.steps.iter().enumerate() {
        let prefix = format!("  {}. ", i + 1);
        out.push_str(&columns(
            &prefix,
            &format!("{}: {}", s.title, s.because),
            110,
        ));
        if !s.cites.is_empty() {
            out.push_str(&columns(
                "     ",
                &format!("cites: {}", s.cites.join("; ")),
                110,
            ));
        }
    }
    if !a.judgments.is_empty() {
        out.push_str(
            "\nJudgments (found = reviewer finding, derived = from the facts by the rules)\n",
        );
        let tw = a
            .judgments
            .iter()
            .map(|j| j.title.chars().count())
            .max()
            .unwrap_or(10);
        for j in &a.judgments {
            let prefix = format!(
                "  {:<tw$}  {:<5} {:<8} ",
                j.title,
                read_value(&j.value),
                j.source.as_str()
            );
            out.push_str(&columns(&prefix, &j.because, 120));
        }
    }
    out.push_str("\nCriteria\n");
    let idw = a
        .criteria
        .iter()
        .map(|c| c.id.len())
        .max()
        .unwrap_or(10)
        .max(9);
    out.push_str(&format!(
        "  {:<8} {:<idw$}  REASON\n",
        "OUTCOME", "CRITERION"
    ));
    for c in &a.criteria {
        let prefix = format!("  {:<8} {:<idw$}  ", outcome_word(c.outcome), c.id);
        out.push_str(&columns(&prefix, &c.because, 120));
        let pad = " ".repeat(prefix.chars().count());
        if !c.cites.is_empty() {
            out.push_str(&columns(
                &pad,
                &format!("cites: {}", c.cites.join("; ")),
                120,
            ));
        }
        let facts = reads_line(&c.facts, 4, c.outcome == Outcome::Unknown);
        if !facts.is_empty() {
            out.push_str(&columns(&pad, &format!("facts: {facts}"), 120));
        }
    }
    if !a.warnings.is_empty() {
        out.push_str("\nWarnings\n");
        for w in &a.warnings {
            out.push_str(&columns("  ! ", w, 110));
        }
    }
    out.push_str("\nDraft rationale\n");
    for (i, p) in a.rationale.split("\n\n").enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&columns("  ", p, 100));
    }
    if !a.sources.is_empty() {
        out.push_str("\nSources\n");
        let w = a.sources.iter().map(|s| s.id.len()).max().unwrap_or(4);
        for s in &a.sources {
            out.push_str(&columns(
                &format!("  {:<w$}  ", s.id),
                &full_citation(s),
                110,
            ));
        }
    }
    out
}

/// A source as a reader needs it: title, publisher, address, and the note.
fn full_citation(s: &CiteSource) -> String {
    let mut out = s.title.clone();
    if let Some(p) = &s.publisher {
        out.push_str(&format!(". {p}"));
    }
    out.push_str(&format!(". {}", s.url));
    if let Some(n) = &s.note {
        out.push_str(&format!(" ({n})"));
    }
    out
}

/// A cite as a Markdown link to its source's public address.
fn md_cite(a: &Assessment, cite: &str) -> String {
    let text = md_escape(cite);
    let id = cite_source_id(cite);
    match a.sources.iter().find(|s| s.id == id) {
        Some(s) => format!("[{text}]({})", s.url),
        None => text,
    }
}

fn md_cites(a: &Assessment, cites: &[String]) -> String {
    cites
        .iter()
        .map(|c| md_cite(a, c))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Text from the facts or the pack inside a Markdown line or table cell
/// (see [`crate::text::escape::md_inline`]).
fn md_escape(s: &str) -> String {
    crate::text::escape::md_inline(s)
}

pub fn markdown(a: &Assessment) -> String {
    let mut out = String::new();
    out.push_str(&format!("## {}\n\n", md_escape(&heading(a))));
    out.push_str(&format!(
        "**Recommended placement: {}**{}\n\n",
        tier_shown(&a.tier, &a.tier_label),
        movement_clause(a)
    ));
    out.push_str("### Why\n\n");
    for (i, s) in a.steps.iter().enumerate() {
        let cites = if s.cites.is_empty() {
            String::new()
        } else {
            format!(" _({})_", md_cites(a, &s.cites))
        };
        out.push_str(&format!(
            "{}. **{}**: {}{cites}\n",
            i + 1,
            md_escape(&s.title),
            md_escape(&s.because)
        ));
    }
    if !a.judgments.is_empty() {
        out.push_str(
            "\n### Judgments\n\n| judgment | value | source | because |\n|---|---|---|---|\n",
        );
        for j in &a.judgments {
            out.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                md_escape(&j.title),
                md_escape(&read_value(&j.value)),
                j.source.as_str(),
                md_escape(&j.because)
            ));
        }
    }
    out.push_str("\n### Criteria\n\n| outcome | criterion | cites | reason | facts |\n|---|---|---|---|---|\n");
    for c in &a.criteria {
        out.push_str(&format!(
            "| {} | `{}` | {} | {} | {} |\n",
            c.outcome.as_str(),
            c.id,
            md_cites(a, &c.cites),
            md_escape(&c.because),
            md_escape(&reads_line(&c.facts, 6, c.outcome == Outcome::Unknown))
        ));
    }
    if !a.warnings.is_empty() {
        out.push_str("\n### Warnings\n\n");
        for w in &a.warnings {
            out.push_str(&format!("- {}\n", md_escape(w)));
        }
    }
    // plain paragraphs, ready to paste into a draft
    out.push_str(&format!(
        "\n### Draft rationale\n\n{}\n",
        crate::text::escape::md_paragraphs(&a.rationale)
    ));
    if !a.sources.is_empty() {
        out.push_str("\n### Sources\n\n");
        for s in &a.sources {
            let mut line = format!(
                "- **{}**: [{}]({})",
                md_escape(&s.id),
                md_escape(&s.title),
                s.url
            );
            if let Some(p) = &s.publisher {
                line.push_str(&format!(", {}", md_escape(p)));
            }
            if let Some(n) = &s.note {
                line.push_str(&format!(" ({})", md_escape(n)));
            }
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

/// The contract's JSON document, with compatible extensions
/// (`tier_label`, `judgments`, `pillar`, `exception`, step `title`/`tier`/`cites`).
pub fn to_json(a: &Assessment) -> Json {
    serde_json::to_value(Doc::new(a)).unwrap_or_default()
}

/// The contract's JSON document of an assessment, field by field in the
/// contract's order; what is not known is `null`.
#[derive(Serialize)]
struct Doc<'a> {
    country: &'a str,
    #[serde(serialize_with = "whole_or_fraction")]
    year: Option<f64>,
    rulepack: &'a str,
    tier: &'a Option<String>,
    tier_label: &'a Option<String>,
    previous_tier: &'a Option<String>,
    movement: &'a Option<String>,
    criteria: Vec<CriterionDoc<'a>>,
    judgments: Vec<JudgmentDoc<'a>>,
    placement: PlacementDoc<'a>,
    warnings: &'a [String],
    rationale: &'a str,
    /// Every source id the assessment cites, with its title and public
    /// address (and publisher and edition, where declared); ids are unique
    /// (the checker's `duplicate-name`).
    #[serde(serialize_with = "sources_map")]
    sources: &'a [CiteSource],
}

#[derive(Serialize)]
struct CriterionDoc<'a> {
    id: &'a str,
    title: &'a str,
    cites: &'a [String],
    pillar: &'a Option<String>,
    outcome: &'static str,
    because: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    exception: &'a Option<String>,
    /// Each fact read, path to value (eval gives each path once).
    #[serde(serialize_with = "reads_map")]
    facts: &'a [Read],
}

#[derive(Serialize)]
struct JudgmentDoc<'a> {
    name: &'a str,
    title: &'a str,
    /// As found or derived: any fact value, so plain JSON.
    value: &'a Json,
    source: &'static str,
    because: &'a str,
}

#[derive(Serialize)]
struct PlacementDoc<'a> {
    steps: Vec<StepDoc<'a>>,
}

#[derive(Serialize)]
struct StepDoc<'a> {
    rule: &'a str,
    title: &'a str,
    cites: &'a [String],
    tier: &'a Option<String>,
    because: &'a str,
}

#[derive(Serialize)]
struct SourceDoc<'a> {
    title: &'a str,
    url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: &'a Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    edition: Option<i64>,
}

impl<'a> Doc<'a> {
    fn new(a: &'a Assessment) -> Doc<'a> {
        Doc {
            country: &a.country,
            year: a.year,
            rulepack: &a.rulepack,
            tier: &a.tier,
            tier_label: &a.tier_label,
            previous_tier: &a.previous_tier,
            movement: &a.movement,
            criteria: a.criteria.iter().map(CriterionDoc::new).collect(),
            judgments: a.judgments.iter().map(JudgmentDoc::new).collect(),
            placement: PlacementDoc {
                steps: a.steps.iter().map(StepDoc::new).collect(),
            },
            warnings: &a.warnings,
            rationale: &a.rationale,
            sources: &a.sources,
        }
    }
}

impl<'a> CriterionDoc<'a> {
    fn new(c: &'a CriterionResult) -> CriterionDoc<'a> {
        CriterionDoc {
            id: &c.id,
            title: &c.title,
            cites: &c.cites,
            pillar: &c.pillar,
            outcome: c.outcome.as_str(),
            because: &c.because,
            exception: &c.exception,
            facts: &c.facts,
        }
    }
}

impl<'a> JudgmentDoc<'a> {
    fn new(j: &'a JudgmentResult) -> JudgmentDoc<'a> {
        JudgmentDoc {
            name: &j.name,
            title: &j.title,
            value: &j.value,
            source: j.source.as_str(),
            because: &j.because,
        }
    }
}

impl<'a> StepDoc<'a> {
    fn new(s: &'a StepResult) -> StepDoc<'a> {
        StepDoc {
            rule: &s.rule,
            title: &s.title,
            cites: &s.cites,
            tier: &s.tier,
            because: &s.because,
        }
    }
}

impl<'a> SourceDoc<'a> {
    fn new(s: &'a CiteSource) -> SourceDoc<'a> {
        SourceDoc {
            title: &s.title,
            url: &s.url,
            publisher: &s.publisher,
            edition: s.edition.map(|y| y as i64),
        }
    }
}

/// A year as the contract writes it: a whole number without a point.
fn whole_or_fraction<S: Serializer>(year: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match year {
        Some(y) if y.fract() == 0.0 => s.serialize_i64(*y as i64),
        Some(y) => s.serialize_f64(*y),
        None => s.serialize_none(),
    }
}

fn reads_map<S: Serializer>(reads: &[Read], s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(reads.iter().map(|r| (&r.path, &r.value)))
}

fn sources_map<S: Serializer>(sources: &[CiteSource], s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(sources.iter().map(|c| (&c.id, SourceDoc::new(c))))
}
