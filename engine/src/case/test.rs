//! `tiers test`: every case's `expect:` run against the rules, and which
//! branches of the rules the cases reach (coverage).

use super::checks_nothing;
use super::{collect, unmet, LoadOptions, Loader, Unmet, UNDECIDED};
use crate::facts::clip;
use crate::pack::{Body, RulePack};
use std::path::PathBuf;

/// The result of running the `expect:` blocks of some cases.
#[derive(Debug, Clone, Default)]
pub struct TestReport {
    pub passed: usize,
    pub failed: usize,
    /// One line per failed expectation (or unreadable case).
    pub failures: Vec<String>,
    /// (expectations checked, expectations held), criteria and tiers alike.
    pub checks: (usize, usize),
    /// (tier expectations checked, held).
    pub tiers: (usize, usize),
}

/// Runs every `expect:` block of the case files under `paths`. Files
/// without `expect:` are not counted.
pub fn run_tests(pack: &RulePack, paths: &[PathBuf], opts: LoadOptions) -> TestReport {
    let mut r = TestReport::default();
    let mut loader = Loader::new(opts);
    for file in collect(paths) {
        let shown = file.display().to_string();
        let case = match loader.load_case(pack, &file) {
            Ok(c) => c,
            Err(e) => {
                r.failed += 1;
                let first = e
                    .diags
                    .first()
                    .map(|d| format!("{}: {}", e.sources.location(d.span), d.message));
                r.failures.push(format!(
                    "FAIL {shown}: does not load: {}",
                    first.unwrap_or_default()
                ));
                continue;
            }
        };
        let Some(expect) = &case.expect else {
            continue;
        };
        if checks_nothing(expect) {
            r.failed += 1;
            r.failures.push(format!(
                "FAIL {shown}: its `expect:` checks nothing (give `tier`, `placement` or `criteria`)"
            ));
            continue;
        }
        let a = crate::eval::evaluate(pack, &case.facts);
        let misses = unmet(
            expect,
            a.tier.as_deref(),
            a.steps.last().map(|s| s.rule.as_str()),
            |id| a.outcome(id),
        );
        let checked = expect.criteria.len()
            + usize::from(expect.tier.is_some())
            + usize::from(expect.placement.is_some());
        r.checks.0 += checked;
        r.checks.1 += checked - misses.len();
        if expect.tier.is_some() {
            r.tiers.0 += 1;
            if !misses.iter().any(|m| matches!(m, Unmet::Tier { .. })) {
                r.tiers.1 += 1;
            }
        }
        let ok = misses.is_empty();
        for m in misses {
            r.failures.push(match m {
                Unmet::Tier { want, got } => format!(
                    "FAIL {shown}: tier: expected {want}, got {}",
                    got.as_deref().unwrap_or(UNDECIDED)
                ),
                Unmet::Placement { want, got } => format!(
                    "FAIL {shown}: placement: expected step {want}, got {}",
                    got.as_deref().unwrap_or("none")
                ),
                Unmet::Criterion { id, want, got } => {
                    let because = a
                        .criteria
                        .iter()
                        .find(|c| c.id == id)
                        .map(|c| c.because.clone())
                        .unwrap_or_default();
                    format!(
                        "FAIL {shown}: {id}: expected {want}, got {} ({because})",
                        got.map(|o| o.as_str()).unwrap_or("missing")
                    )
                }
            });
        }
        if ok {
            r.passed += 1;
        } else {
            r.failed += 1;
        }
    }
    r
}

/// One branch of a criterion or placement step, and the cases that reach it.
#[derive(Debug, Clone)]
pub struct CoverageRow {
    /// `criterion`, `judgment` (a derivation branch) or `step`.
    pub kind: &'static str,
    pub name: String,
    pub branch: usize,
    /// `file:line:col` of the branch.
    pub location: String,
    /// The branch's first source line.
    pub source: String,
    pub cases: Vec<String>,
}

/// Which branches of criteria, judgments (their derivations, which run
/// when the facts give no finding) and placement steps the cases under
/// `paths` reach (cases that do not load are skipped; `run_tests` reports
/// them).
pub fn coverage(pack: &RulePack, paths: &[PathBuf], opts: LoadOptions) -> Vec<CoverageRow> {
    let mut rows = vec![];
    for c in &pack.criteria {
        branch_rows(pack, "criterion", &c.id, &c.body, &mut rows);
    }
    let crit_rows = rows.len();
    for j in &pack.judgments {
        branch_rows(pack, "judgment", &j.name, &j.body, &mut rows);
    }
    let judg_rows = rows.len();
    for s in &pack.steps {
        branch_rows(pack, "step", &s.name, &s.body, &mut rows);
    }
    let mut loader = Loader::new(opts);
    for file in collect(paths) {
        let Ok((facts, _)) = loader.load(pack, &file) else {
            continue;
        };
        let a = crate::eval::evaluate(pack, &facts);
        let shown = file.display().to_string();
        for c in &a.criteria {
            if let Some(b) = c.branch {
                if let Some(r) = rows[..crit_rows]
                    .iter_mut()
                    .find(|r| r.name == c.id && r.branch == b)
                {
                    r.cases.push(shown.clone());
                }
            }
        }
        for j in &a.judgments {
            if let Some(b) = j.branch {
                if let Some(r) = rows[crit_rows..judg_rows]
                    .iter_mut()
                    .find(|r| r.name == j.name && r.branch == b)
                {
                    r.cases.push(shown.clone());
                }
            }
        }
        for s in &a.steps {
            if let Some(r) = rows[judg_rows..]
                .iter_mut()
                .find(|r| r.name == s.rule && r.branch == s.branch)
            {
                r.cases.push(shown.clone());
            }
        }
    }
    rows
}

/// One row, with no case yet, for each branch of a rule's body.
fn branch_rows(
    pack: &RulePack,
    kind: &'static str,
    name: &str,
    body: &Body,
    rows: &mut Vec<CoverageRow>,
) {
    for (i, b) in body.branches.iter().enumerate() {
        let span = b.span;
        let text = pack.sources.text(span.file);
        let s = text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("");
        let first = s.lines().next().unwrap_or("").trim();
        rows.push(CoverageRow {
            kind,
            name: name.to_string(),
            branch: i,
            location: pack.sources.location(span),
            source: clip(first, 72),
            cases: vec![],
        });
    }
}
