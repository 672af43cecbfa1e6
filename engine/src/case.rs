//! Case files: a facts file, optionally with an `expect:` block, read from
//! disk and checked against a pack.

use crate::diag::{Code, Diagnostic, SourceMap};
use crate::facts::{self, Fact, Facts};
use crate::pack::RulePack;
use crate::scenario;
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

/// Checks facts given as bytes (the path is used in messages, and to find
/// the base of a scenario file).
pub fn load_bytes(
    pack: &RulePack,
    path: &str,
    bytes: &[u8],
    opts: LoadOptions,
) -> Result<Facts, Failure> {
    load_depth(pack, path, bytes, opts, 0)
}

fn load_depth(
    pack: &RulePack,
    path: &str,
    bytes: &[u8],
    opts: LoadOptions,
    depth: usize,
) -> Result<Facts, Failure> {
    let mut sources = SourceMap::default();
    let id = sources.add(path, String::from_utf8_lossy(bytes).into_owned());
    let text = match facts::text_of(bytes, id, facts::MAX_FACTS_FILE) {
        Ok(t) => t,
        Err(d) => return Err(Failure::new(sources, vec![d])),
    };
    let node = facts::parse_yaml(text, id, &sources)
        .map_err(|d| Failure::new(sources.clone(), vec![d]))?;
    let dir = Path::new(path)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    if let Some(sc) = scenario::read_scenario(pack, &sources, id, &node, &dir) {
        let sc = sc.map_err(|ds| Failure::new(sources.clone(), ds))?;
        if depth > 8 {
            let d = Diagnostic::new(
                Code::BadPath,
                "scenarios nest more than 8 deep".into(),
                crate::ast::Span::new(id, 0, 0),
            );
            return Err(Failure::new(sources, vec![d]));
        }
        let base_path = sc.base.display().to_string();
        let base_bytes = std::fs::read(&sc.base).map_err(|e| {
            let d = Diagnostic::new(
                Code::Io,
                format!("cannot read the scenario's base `{base_path}`: {e}"),
                crate::ast::Span::new(id, 0, 0),
            );
            Failure::new(sources.clone(), vec![d])
        })?;
        let mut f = load_depth(pack, &base_path, &base_bytes, opts, depth + 1)?;
        scenario::apply_all(pack, &mut f, &sc.changes)?;
        f.path = path.to_string();
        f.expect = sc.expect;
        if opts.no_findings {
            drop_findings(pack, &mut f);
        }
        return Ok(f);
    }
    match facts::from_node(pack, &sources, id, &node) {
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
        let facts = match load_with_history(pack, &file, opts) {
            Ok((f, _)) => f,
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
        if let Some((step, _)) = &expect.placement {
            r.checks.0 += 1;
            let got = a.steps.iter().rev().find(|s| s.tier.is_some()).map(|s| s.rule.as_str());
            if got == Some(step.as_str()) {
                r.checks.1 += 1;
            } else {
                ok = false;
                r.failures.push(format!(
                    "FAIL {shown}: placement: expected step {step}, got {}",
                    got.unwrap_or("none")
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
        let Ok((facts, _)) = load_with_history(pack, &file, opts) else {
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

/// Where an entry of a case's history came from.
#[derive(Debug, Clone)]
pub struct HistoryEntry {
    pub year: f64,
    pub tier: String,
    /// The file assessed for it, or `None` when the facts file states it.
    pub from: Option<String>,
}

/// Loads a case; when it states no `history` and it lives at
/// `<dir>/<year>/<name>.yaml`, its history is built from the assessments of
/// `<dir>/<earlier year>/<name>.yaml` (each built the same way). Returns the
/// facts and the history used.
pub fn load_with_history(
    pack: &RulePack,
    path: &Path,
    opts: LoadOptions,
) -> Result<(Facts, Vec<HistoryEntry>), Failure> {
    load_history_depth(pack, path, opts, 0)
}

fn history_index(pack: &RulePack) -> Option<(usize, std::rc::Rc<crate::pack::RecTy>)> {
    let i = pack.root.index("history")?;
    match &pack.root.fields[i].ty {
        crate::pack::Ty::List(elem) => match elem.as_ref() {
            crate::pack::Ty::Record(r) => Some((i, r.clone())),
            _ => None,
        },
        _ => None,
    }
}

fn load_history_depth(
    pack: &RulePack,
    path: &Path,
    opts: LoadOptions,
    depth: usize,
) -> Result<(Facts, Vec<HistoryEntry>), Failure> {
    let mut facts = load(pack, path, opts)?;
    let Some((hi, rec)) = history_index(pack) else {
        return Ok((facts, vec![]));
    };
    let Fact::Record(fields) = &mut facts.root else {
        return Ok((facts, vec![]));
    };
    // stated history wins
    if let Some(Fact::List(items)) = fields.get(hi) {
        let stated = items
            .iter()
            .filter_map(|it| match it {
                Fact::Record(f) => {
                    let year = rec.index("year").and_then(|y| match f.get(y) {
                        Some(Fact::Num(n)) => Some(*n),
                        _ => None,
                    })?;
                    let tier = rec.index("tier").and_then(|t| match f.get(t) {
                        Some(Fact::Text(s)) => Some(s.to_string()),
                        _ => None,
                    })?;
                    Some(HistoryEntry {
                        year,
                        tier,
                        from: None,
                    })
                }
                _ => None,
            })
            .collect();
        return Ok((facts, stated));
    }
    let (Some(name), Some(year_dir), Some(root)) = (
        path.file_name(),
        path.parent()
            .and_then(|p| p.file_name())
            .and_then(|y| y.to_str())
            .and_then(|y| y.parse::<u32>().ok()),
        path.parent().and_then(Path::parent),
    ) else {
        return Ok((facts, vec![]));
    };
    if depth > 50 {
        return Ok((facts, vec![]));
    }
    let mut years: Vec<u32> = std::fs::read_dir(root)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()))
        .filter(|y| *y < year_dir && root.join(y.to_string()).join(name).exists())
        .collect();
    years.sort();
    let mut entries = vec![];
    let mut records = vec![];
    // only the latest earlier year needs assessing: its own history covers the rest
    if let Some(last) = years.last() {
        let earlier = root.join(last.to_string()).join(name);
        let (prev_facts, prev_history) = load_history_depth(pack, &earlier, opts, depth + 1)?;
        let a = crate::evaluate(pack, &prev_facts);
        entries = prev_history;
        if let Some(t) = &a.tier {
            entries.push(HistoryEntry {
                year: *last as f64,
                tier: t.clone(),
                from: Some(earlier.display().to_string()),
            });
        }
        // rebuild the earlier history records, then this year's entry
        if let Fact::Record(pf) = &prev_facts.root {
            if let Some(Fact::List(items)) = pf.get(hi) {
                records.extend(items.iter().cloned());
            }
        }
        if let Some(t) = &a.tier {
            let mut r = vec![Fact::Null; rec.fields.len()];
            for (k, f) in rec.fields.iter().enumerate() {
                r[k] = match &*f.name {
                    "year" => Fact::Num(*last as f64),
                    "tier" => Fact::Text(t.as_str().into()),
                    other => a
                        .history_fields
                        .iter()
                        .find(|(n, _)| n == other)
                        .map(|(_, v)| match v {
                            serde_json::Value::Bool(b) => Fact::Bool(*b),
                            serde_json::Value::Number(n) => {
                                n.as_f64().map(Fact::Num).unwrap_or(Fact::Null)
                            }
                            serde_json::Value::String(s) => Fact::Text(s.as_str().into()),
                            _ => Fact::Null,
                        })
                        .unwrap_or(Fact::Null),
                };
            }
            records.push(Fact::Record(r));
        }
    }
    if !records.is_empty() {
        fields[hi] = Fact::List(records);
    }
    Ok((facts, entries))
}
