//! Case files: a facts file, optionally with an `expect:` block, read from
//! disk and checked against a pack.

use crate::diag::{Code, Diagnostic, SourceMap};
use crate::facts::{self, Fact, Facts};
use crate::pack::RulePack;
use crate::Failure;
use std::path::{Path, PathBuf};

/// Options that change how facts are read.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// Drop the reviewer's findings so the recommendation rests on
    /// objective facts alone.
    pub no_findings: bool,
}

/// Reads and checks one facts file.
pub fn load(pack: &RulePack, path: &Path, opts: LoadOptions) -> Result<Facts, Failure> {
    let mut sources = SourceMap::default();
    let shown = path.display().to_string();
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            let id = sources.add(shown, "");
            return Err(Failure::new(
                sources,
                vec![Diagnostic::new(
                    Code::Io,
                    format!("cannot read facts file: {e}"),
                    crate::ast::Span::new(id, 0, 0),
                )],
            ));
        }
    };
    load_bytes(pack, &shown, &bytes, opts)
}

/// Checks facts given as bytes (the path is used in messages only).
pub fn load_bytes(
    pack: &RulePack,
    path: &str,
    bytes: &[u8],
    opts: LoadOptions,
) -> Result<Facts, Failure> {
    let mut sources = SourceMap::default();
    let id = sources.add(path, String::from_utf8_lossy(bytes).into_owned());
    if let Err(d) = facts::text_of(bytes, id, facts::MAX_FACTS_FILE) {
        return Err(Failure::new(sources, vec![d]));
    }
    match facts::load(pack, &sources, id) {
        Ok(mut f) => {
            if opts.no_findings {
                drop_findings(pack, &mut f);
            }
            Ok(f)
        }
        Err(ds) => Err(Failure::new(sources, ds)),
    }
}

/// Nulls the pack's findings fact.
pub fn drop_findings(pack: &RulePack, f: &mut Facts) {
    if let (Some(i), Fact::Record(fields)) = (pack.findings_field, &mut f.root) {
        if let Some(slot) = fields.get_mut(i) {
            *slot = Fact::Null;
        }
    }
}

/// Every `*.yaml` / `*.yml` file under the given paths, sorted.
pub fn collect(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = vec![];
    for p in paths {
        walk(p, &mut out);
    }
    out.sort();
    out.dedup();
    out
}

fn walk(p: &Path, out: &mut Vec<PathBuf>) {
    if p.is_dir() {
        if let Ok(rd) = std::fs::read_dir(p) {
            for e in rd.flatten() {
                walk(&e.path(), out);
            }
        }
    } else if p.extension().is_some_and(|e| e == "yaml" || e == "yml") || !p.exists() {
        out.push(p.to_path_buf());
    }
}

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
    for file in collect(paths) {
        let shown = file.display().to_string();
        let facts = match load(pack, &file, opts) {
            Ok(f) => f,
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
        let Some(expect) = &facts.expect else {
            continue;
        };
        let a = crate::evaluate(pack, &facts);
        let mut ok = true;
        if let Some((tier, _)) = &expect.tier {
            r.checks.0 += 1;
            r.tiers.0 += 1;
            if a.tier.as_deref() == Some(tier.as_str()) {
                r.checks.1 += 1;
                r.tiers.1 += 1;
            } else {
                ok = false;
                r.failures.push(format!(
                    "FAIL {shown}: tier: expected {tier}, got {}",
                    a.tier.as_deref().unwrap_or("undecided")
                ));
            }
        }
        for (id, want, _) in &expect.criteria {
            r.checks.0 += 1;
            let got = a.outcome(id);
            if got == Some(*want) {
                r.checks.1 += 1;
            } else {
                ok = false;
                let because = a
                    .criteria
                    .iter()
                    .find(|c| &c.id == id)
                    .map(|c| c.because.clone())
                    .unwrap_or_default();
                r.failures.push(format!(
                    "FAIL {shown}: {id}: expected {want}, got {} ({because})",
                    got.map(|o| o.as_str()).unwrap_or("missing")
                ));
            }
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
    /// `criterion` or `step`.
    pub kind: &'static str,
    pub name: String,
    pub branch: usize,
    /// `file:line:col` of the branch.
    pub location: String,
    /// The branch's first source line.
    pub source: String,
    pub cases: Vec<String>,
}

/// Which criterion branches and placement-step branches the cases under
/// `paths` reach (cases that do not load are skipped; `run_tests` reports them).
pub fn coverage(pack: &RulePack, paths: &[PathBuf], opts: LoadOptions) -> Vec<CoverageRow> {
    let mut rows = vec![];
    let describe = |span: crate::ast::Span| {
        let text = pack.sources.text(span.file);
        let s = text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("");
        let first = s.lines().next().unwrap_or("").trim();
        let short: String = first.chars().take(72).collect();
        (pack.sources.location(span), short)
    };
    for c in &pack.criteria {
        for (i, b) in c.body.branches.iter().enumerate() {
            let (location, source) = describe(b.span);
            rows.push(CoverageRow {
                kind: "criterion",
                name: c.id.clone(),
                branch: i,
                location,
                source,
                cases: vec![],
            });
        }
    }
    let crit_rows = rows.len();
    for s in &pack.steps {
        for (i, b) in s.body.branches.iter().enumerate() {
            let (location, source) = describe(b.span);
            rows.push(CoverageRow {
                kind: "step",
                name: s.name.clone(),
                branch: i,
                location,
                source,
                cases: vec![],
            });
        }
    }
    for file in collect(paths) {
        let Ok(facts) = load(pack, &file, opts) else {
            continue;
        };
        let a = crate::evaluate(pack, &facts);
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
        for s in &a.steps {
            if let Some(r) = rows[crit_rows..]
                .iter_mut()
                .find(|r| r.name == s.rule && r.branch == s.branch)
            {
                r.cases.push(shown.clone());
            }
        }
    }
    rows
}
