//! Agreement of the recommendations with the real reports, per edition:
//! tier and criterion agreement with the reviewer's findings and on
//! objective facts alone, abstentions (undecided placements), and the
//! persistence baseline ("same tier as last year").
//!
//! A real case is a case file whose `expect:` names a tier; the edition is
//! its `year`. Edge cases and scenarios are left out by the paths given.

use crate::case::{self, LoadOptions, Loader};
use crate::eval::evaluate;
use crate::pack::RulePack;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

/// The counts for one edition (or all editions together).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    pub cases: usize,
    pub tier_findings: usize,
    pub tier_objective: usize,
    pub abstained: usize,
    pub persistence: usize,
    /// Persistence right on the cases the objective-only run decided.
    pub persistence_decided: usize,
    pub criteria: usize,
    pub criteria_findings: usize,
    pub criteria_objective: usize,
}

impl Row {
    fn add(&mut self, o: &Row) {
        self.cases += o.cases;
        self.tier_findings += o.tier_findings;
        self.tier_objective += o.tier_objective;
        self.abstained += o.abstained;
        self.persistence += o.persistence;
        self.persistence_decided += o.persistence_decided;
        self.criteria += o.criteria;
        self.criteria_findings += o.criteria_findings;
        self.criteria_objective += o.criteria_objective;
    }
}

/// Per-edition rows, the total, and one line for every objective-only
/// tier that differs from the report's.
#[derive(Debug, Clone, Default)]
pub struct Agreement {
    pub editions: BTreeMap<i64, Row>,
    pub total: Row,
    pub disagreements: Vec<String>,
    /// Files that did not load, with the first diagnostic.
    pub unreadable: Vec<String>,
}

/// Measures agreement over the real cases under `paths`.
pub fn measure(pack: &RulePack, paths: &[PathBuf]) -> Agreement {
    let mut out = Agreement::default();
    let opts = LoadOptions::default();
    let mut with = Loader::new(opts);
    let mut without = Loader::new(LoadOptions {
        no_findings: true,
        ..opts
    });
    for file in case::collect(paths) {
        let shown = file.display().to_string();
        let (case, objective) = match (with.load_case(pack, &file), without.load(pack, &file)) {
            (Ok(c), Ok((o, _))) => (c, o),
            (Err(e), _) | (_, Err(e)) => {
                let first = e
                    .diags
                    .first()
                    .map(|d| format!("{}: {}", e.sources.location(d.span), d.message));
                out.unreadable
                    .push(format!("{shown}: {}", first.unwrap_or_default()));
                continue;
            }
        };
        let Some(expect) = &case.expect else {
            continue;
        };
        let Some((tier, _)) = &expect.tier else {
            continue;
        };
        let a = evaluate(pack, &case.facts);
        let b = evaluate(pack, &objective);
        let edition = a.year.map(|y| y as i64).unwrap_or(0);
        let mut row = Row {
            cases: 1,
            ..Row::default()
        };
        if a.tier.as_deref() == Some(tier.as_str()) {
            row.tier_findings = 1;
        }
        match b.tier.as_deref() {
            Some(t) if t == tier => row.tier_objective = 1,
            None => row.abstained = 1,
            Some(_) => {}
        }
        if a.previous_tier.as_deref() == Some(tier.as_str()) {
            row.persistence = 1;
            if b.tier.is_some() {
                row.persistence_decided = 1;
            }
        }
        if b.tier.as_deref() != Some(tier.as_str()) {
            out.disagreements.push(format!(
                "{edition} {}: report {tier}, objective {}, previous {}",
                file.file_stem().and_then(|s| s.to_str()).unwrap_or(&shown),
                b.tier.as_deref().unwrap_or("undecided"),
                a.previous_tier.as_deref().unwrap_or("not known"),
            ));
        }
        for (id, want, _) in &expect.criteria {
            row.criteria += 1;
            if a.outcome(id) == Some(*want) {
                row.criteria_findings += 1;
            }
            if b.outcome(id) == Some(*want) {
                row.criteria_objective += 1;
            }
        }
        out.editions.entry(edition).or_default().add(&row);
        out.total.add(&row);
    }
    out
}

fn pct(n: usize, d: usize) -> String {
    match (n * 100 + d / 2).checked_div(d) {
        Some(p) => format!("{n}/{d} ({p}%)"),
        None => "-".into(),
    }
}

/// The table `tiers test --agreement` prints.
pub fn render(a: &Agreement) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<8} {:>5}  {:<13} {:<13} {:<9} {:<13} {:<15} {:<15}",
        "edition",
        "cases",
        "tier found",
        "tier objective",
        "abstained",
        "persistence",
        "criteria found",
        "criteria obj."
    );
    let line = |s: &mut String, name: &str, r: &Row| {
        let _ = writeln!(
            s,
            "{:<8} {:>5}  {:<13} {:<13} {:<9} {:<13} {:<15} {:<15}",
            name,
            r.cases,
            pct(r.tier_findings, r.cases),
            pct(r.tier_objective, r.cases),
            r.abstained,
            pct(r.persistence, r.cases),
            pct(r.criteria_findings, r.criteria),
            pct(r.criteria_objective, r.criteria),
        );
    };
    for (e, r) in &a.editions {
        line(&mut s, &e.to_string(), r);
    }
    line(&mut s, "all", &a.total);
    let t = &a.total;
    let decided = t.cases - t.abstained;
    let _ = writeln!(
        s,
        "decided objective-only: {decided} of {}; on those, objective {} and persistence {}",
        t.cases,
        pct(t.tier_objective, decided),
        pct(t.persistence_decided, decided)
    );
    if !a.disagreements.is_empty() {
        let _ = writeln!(s, "objective-only tiers that differ from the report:");
        for d in &a.disagreements {
            let _ = writeln!(s, "  {d}");
        }
    }
    for u in &a.unreadable {
        let _ = writeln!(s, "does not load: {u}");
    }
    s.lines().map(|l| format!("{}\n", l.trim_end())).collect()
}
