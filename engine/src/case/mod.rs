//! Case files: a facts file, optionally with an `expect:` block, read from
//! disk and checked against a pack.
//!
//! Over the cases loaded here: `agreement` (`tiers test --agreement`) and
//! `mutants` (`tiers test --mutants`).

pub mod agreement;
pub mod mutants;

use crate::diag::Failure;
use crate::diag::{Code, Diagnostic, SourceMap};
use crate::facts::{self, Expect, Fact, Facts};
use crate::pack::Outcome;
use crate::pack::RulePack;
use crate::whatif::scenario;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// Options that change how facts are read.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// Drop the reviewer's findings so the recommendation rests on
    /// objective facts alone.
    pub no_findings: bool,
}

/// Reads and checks one case file, its history included: the one way every
/// command, test and benchmark loads a case (see [`Loader`]).
pub fn load(pack: &RulePack, path: &Path, opts: LoadOptions) -> Result<Facts, Failure> {
    Loader::new(opts).load(pack, path).map(|(f, _)| f)
}

/// [`load`], and the history used with where each entry came from.
pub fn load_with_history(
    pack: &RulePack,
    path: &Path,
    opts: LoadOptions,
) -> Result<(Facts, Vec<HistoryEntry>), Failure> {
    Loader::new(opts).load(pack, path)
}

/// Checks facts given as bytes, as if they were the file at `path` (the
/// path is used in messages, to find the base of a scenario file, and to
/// find earlier years' files for the history).
pub fn load_bytes(
    pack: &RulePack,
    path: &str,
    bytes: &[u8],
    opts: LoadOptions,
) -> Result<Facts, Failure> {
    let mut l = Loader::new(opts);
    let raw = read_raw(pack, path, bytes, opts, false)?;
    l.materialize(pack, Path::new(path), &raw, 0, 0)
        .map(|(f, _)| f)
}

/// A case file as read, before its history is derived (the history
/// depends on the rules, which assess the earlier years).
#[derive(Debug, Clone)]
enum Raw {
    Facts(Facts),
    Scenario {
        scenario: scenario::Scenario,
        /// The scenario file, for diagnostics about its base.
        sources: SourceMap,
        file: u32,
    },
}

/// Reads case files once and derives their history under a rule pack.
///
/// A case that states no `history` and lives at `<dir>/<year>/<name>.yaml`
/// gets its history from the assessment of `<dir>/<earlier year>/<name>.yaml`
/// (each built the same way); a scenario file's base is loaded the same
/// way before the scenario's changes apply. Files are parsed once per
/// loader; assessments of earlier years are kept until [`Loader::forget`],
/// which must be called before loading with another pack.
#[derive(Debug, Default)]
pub struct Loader {
    opts: LoadOptions,
    files: HashMap<PathBuf, Result<Rc<Raw>, Failure>>,
    done: HashMap<PathBuf, Result<(Facts, Vec<HistoryEntry>), Failure>>,
}

impl Loader {
    pub fn new(opts: LoadOptions) -> Loader {
        Loader {
            opts,
            ..Loader::default()
        }
    }

    /// Forgets the cases loaded so far (the parsed files stay): call it
    /// before loading with another pack.
    pub fn forget(&mut self) {
        self.done.clear();
    }

    /// Loads one case file with its history.
    pub fn load(
        &mut self,
        pack: &RulePack,
        path: &Path,
    ) -> Result<(Facts, Vec<HistoryEntry>), Failure> {
        self.load_depth(pack, path, 0, 0, false)
    }

    /// Loads `path`; `base` when it is a scenario's `base:`, which must be a
    /// facts file (or another scenario) and is never quoted otherwise.
    fn load_depth(
        &mut self,
        pack: &RulePack,
        path: &Path,
        scenarios: usize,
        years: usize,
        base: bool,
    ) -> Result<(Facts, Vec<HistoryEntry>), Failure> {
        if let Some(r) = self.done.get(path) {
            return r.clone();
        }
        let raw = match self.files.get(path) {
            Some(r) => r.clone(),
            None => {
                let r = read_file(pack, path, self.opts, base).map(Rc::new);
                // a base that is no facts file is not remembered as a case
                if !base || r.is_ok() {
                    self.files.insert(path.to_path_buf(), r.clone());
                }
                r
            }
        }?;
        let r = self.materialize(pack, path, &raw, scenarios, years);
        self.done.insert(path.to_path_buf(), r.clone());
        r
    }

    fn materialize(
        &mut self,
        pack: &RulePack,
        path: &Path,
        raw: &Raw,
        scenarios: usize,
        years: usize,
    ) -> Result<(Facts, Vec<HistoryEntry>), Failure> {
        let (scenario, sources, file) = match raw {
            Raw::Facts(f) => {
                let mut f = f.clone();
                let entries = self.history(pack, path, &mut f, years)?;
                return Ok((f, entries));
            }
            Raw::Scenario {
                scenario,
                sources,
                file,
            } => (scenario, sources, *file),
        };
        let here = |msg: String| {
            let d = Diagnostic::new(
                Code::BadPath,
                msg,
                crate::syntax::ast::Span::new(file, 0, 0),
            );
            Failure::new(sources.clone(), vec![d])
        };
        if scenarios > 8 {
            return Err(here("scenarios nest more than 8 deep".into()));
        }
        let (mut f, mut entries) = self.load_base(pack, scenario, sources, scenarios, years)?;
        scenario::apply_all(pack, &mut f, &scenario.changes)?;
        f.path = path.display().to_string();
        f.expect = scenario.expect.clone();
        if self.opts.no_findings {
            drop_findings(pack, &mut f);
        }
        if scenario
            .changes
            .iter()
            .any(|c| c.path.starts_with("history"))
        {
            entries = stated_history(pack, &f).unwrap_or_default();
        }
        Ok((f, entries))
    }

    /// Loads a scenario's base: a facts file (or another scenario) by name
    /// (`.yaml`, `.yml`) and by content (see [`read_raw`]).
    fn load_base(
        &mut self,
        pack: &RulePack,
        scenario: &scenario::Scenario,
        sources: &SourceMap,
        scenarios: usize,
        years: usize,
    ) -> Result<(Facts, Vec<HistoryEntry>), Failure> {
        let is_yaml = scenario
            .base
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| FACTS_EXTENSIONS.contains(&e));
        if !is_yaml {
            let d = Diagnostic::new(
                Code::BadPath,
                format!(
                    "the scenario's base `{}` is not a facts file (its name must end in .yaml or .yml)",
                    scenario.base.display()
                ),
                scenario.base_span,
            );
            return Err(Failure::new(sources.clone(), vec![d]));
        }
        self.load_depth(pack, &scenario.base, scenarios + 1, years, true)
    }

    /// The history of `facts`: stated in the file, or built from the
    /// assessment of the latest earlier year's file (`<dir>/<year>/<name>`),
    /// whose own history was built the same way.
    fn history(
        &mut self,
        pack: &RulePack,
        path: &Path,
        facts: &mut Facts,
        years: usize,
    ) -> Result<Vec<HistoryEntry>, Failure> {
        if let Some(stated) = stated_history(pack, facts) {
            return Ok(stated);
        }
        let Some((hi, rec)) = history_index(pack) else {
            return Ok(vec![]);
        };
        let (Some(name), Some(year_dir), Some(root)) = (
            path.file_name(),
            path.parent()
                .and_then(|p| p.file_name())
                .and_then(|y| y.to_str())
                .and_then(|y| y.parse::<u32>().ok()),
            path.parent().and_then(Path::parent),
        ) else {
            return Ok(vec![]);
        };
        if years > 50 {
            return Ok(vec![]);
        }
        // `2017/x.yaml` given from the directory above: the years are here
        let root = if root.as_os_str().is_empty() {
            Path::new(".")
        } else {
            root
        };
        let mut earlier: Vec<u32> = std::fs::read_dir(root)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()))
            .filter(|y| *y < year_dir && root.join(y.to_string()).join(name).exists())
            .collect();
        earlier.sort();
        // only the latest earlier year needs assessing: its own history covers the rest
        let Some(last) = earlier.last().copied() else {
            return Ok(vec![]);
        };
        let file = root.join(last.to_string()).join(name);
        let (prev_facts, mut entries) = self.load_depth(pack, &file, 0, years + 1, false)?;
        let (d, fields) = crate::eval::decide_history(pack, &prev_facts);
        // the earlier history records, then the earlier year's own entry
        let mut records = vec![];
        if let Fact::Record(pf) = &prev_facts.root {
            if let Some(Fact::List(items)) = pf.get(hi) {
                records.extend(items.iter().cloned());
            }
        }
        if let Some(t) = &d.tier {
            entries.push(HistoryEntry {
                year: last as f64,
                tier: t.to_string(),
                from: Some(file.display().to_string()),
            });
            let r = rec
                .fields
                .iter()
                .map(|f| match &*f.name {
                    "year" => Fact::Num(last as f64),
                    "tier" => Fact::Text(t.as_ref().into()),
                    other => fields
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
                })
                .collect();
            records.push(Fact::Record(r));
        }
        if !records.is_empty() {
            if let Fact::Record(fields) = &mut facts.root {
                if let Some(slot) = fields.get_mut(hi) {
                    *slot = Fact::List(records);
                }
            }
        }
        Ok(entries)
    }
}

/// The base facts of a scenario read with [`read_scenario_file`], with
/// the checks every scenario's base gets.
pub fn load_base(
    pack: &RulePack,
    scenario: &scenario::Scenario,
    sources: &SourceMap,
    opts: LoadOptions,
) -> Result<Facts, Failure> {
    Loader::new(opts)
        .load_base(pack, scenario, sources, 0, 0)
        .map(|(f, _)| f)
}

/// Reads a scenario file (`tiers whatif --scenario`) with the checks every
/// case file gets (regular file, size, text, YAML limits); `Ok(None)` when
/// the file is no scenario (it has no `base:`). The source map comes back
/// for diagnostics about the scenario's base.
pub fn read_scenario_file(
    pack: &RulePack,
    path: &Path,
) -> Result<Option<(scenario::Scenario, SourceMap)>, Failure> {
    let shown = path.display().to_string();
    let mut sources = SourceMap::default();
    let bytes = crate::io::read_limited(path, facts::MAX_FACTS_FILE).map_err(|e| {
        let id = sources.add(shown.clone(), "");
        let d = crate::diag::read_diagnostic(
            &e,
            "scenario file",
            crate::syntax::ast::Span::new(id, 0, 0),
        );
        Failure::new(sources.clone(), vec![d])
    })?;
    let id = sources.add(shown, String::from_utf8_lossy(&bytes).into_owned());
    let text = facts::text_of(&bytes, id, facts::MAX_FACTS_FILE)
        .map_err(|d| Failure::new(sources.clone(), vec![d]))?;
    let node = facts::parse_yaml(text, id, &sources)
        .map_err(|d| Failure::new(sources.clone(), vec![d]))?;
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    match scenario::read_scenario(pack, &sources, id, &node, &dir) {
        None => Ok(None),
        Some(Ok(sc)) => Ok(Some((sc, sources))),
        Some(Err(ds)) => Err(Failure::new(sources, ds)),
    }
}

/// Reads one case file from disk ([`crate::io::read_limited`]: regular
/// files only, at most [`facts::MAX_FACTS_FILE`] bytes read).
fn read_file(pack: &RulePack, path: &Path, opts: LoadOptions, base: bool) -> Result<Raw, Failure> {
    let shown = path.display().to_string();
    match crate::io::read_limited(path, facts::MAX_FACTS_FILE) {
        Ok(bytes) => read_raw(pack, &shown, &bytes, opts, base),
        Err(e) => {
            let mut sources = SourceMap::default();
            let id = sources.add(shown, "");
            Err(Failure::new(
                sources,
                vec![crate::diag::read_diagnostic(
                    &e,
                    "facts file",
                    crate::syntax::ast::Span::new(id, 0, 0),
                )],
            ))
        }
    }
}

/// Parses and checks a case file's bytes: facts, or a scenario.
///
/// A scenario's `base:` (`base`) must turn out to be a facts file: YAML
/// text whose top level is a mapping with the pack's required fields (or
/// a `base:` of its own). Until it does, nothing of it is quoted in
/// diagnostics, so `base: /etc/shadow` shows no line of that file.
fn read_raw(
    pack: &RulePack,
    path: &str,
    bytes: &[u8],
    opts: LoadOptions,
    base: bool,
) -> Result<Raw, Failure> {
    let mut sources = SourceMap::default();
    let id = sources.add(path, String::from_utf8_lossy(bytes).into_owned());
    let not_facts = |mut sources: SourceMap, d: Diagnostic| {
        sources.hide(id);
        let d = if base {
            Diagnostic {
                message: format!("the scenario's base is not a facts file: {}", d.message),
                help: Some(
                    "`base:` names the facts file (YAML, with `country:` and `year:`) that the scenario changes"
                        .into(),
                ),
                ..d
            }
        } else {
            d
        };
        Failure::new(sources, vec![d])
    };
    let text = match facts::text_of(bytes, id, facts::MAX_FACTS_FILE) {
        Ok(t) => t,
        Err(d) if base => return Err(not_facts(sources, d)),
        Err(d) => return Err(Failure::new(sources, vec![d])),
    };
    let node = match facts::parse_yaml(text, id, &sources) {
        Ok(n) => n,
        Err(d) if base => {
            let d = Diagnostic::new(d.code, "it does not parse as YAML".into(), d.span);
            return Err(not_facts(sources, d));
        }
        Err(d) => return Err(Failure::new(sources, vec![d])),
    };
    if base && !looks_like_facts(pack, &node) {
        let required: Vec<String> = pack
            .root
            .fields
            .iter()
            .filter(|f| f.required)
            .map(|f| format!("`{}`", f.name))
            .collect();
        let d = Diagnostic::new(
            Code::WrongType,
            format!(
                "its top level is not a mapping with {}",
                required.join(" and ")
            ),
            crate::syntax::ast::Span::new(id, 0, 0),
        );
        return Err(not_facts(sources, d));
    }
    let dir = Path::new(path)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    if let Some(sc) = scenario::read_scenario(pack, &sources, id, &node, &dir) {
        let sc = sc.map_err(|ds| Failure::new(sources.clone(), ds))?;
        return Ok(Raw::Scenario {
            scenario: sc,
            sources,
            file: id,
        });
    }
    match facts::from_node(pack, &sources, id, &node) {
        Ok(mut f) => {
            if let Some((dir, year)) = year_dir_differs(pack, path, &f) {
                let name = pack
                    .edition_field
                    .map(|i| pack.root.fields[i].name.to_string())
                    .unwrap_or_default();
                let span = match &node.value {
                    facts::YNode::Map(entries) => entries
                        .iter()
                        .find(|(k, _)| matches!(&k.value, facts::YNode::Str(s) if *s == name))
                        .map(|(_, v)| facts::node_span(&sources, id, v)),
                    _ => None,
                }
                .unwrap_or(crate::syntax::ast::Span::new(id, 0, 0));
                let d = Diagnostic::new(
                    Code::BadValue,
                    format!(
                        "`{name}` is {}, but the file is in the directory `{dir}/`",
                        crate::text::num::fmt_num(year)
                    ),
                    span,
                )
                .help(format!(
                    "earlier years' files are found by their directory (`<year>/{}`): move the file or correct `{name}`",
                    Path::new(path)
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default()
                ));
                return Err(Failure::new(sources, vec![d]));
            }
            if opts.no_findings {
                drop_findings(pack, &mut f);
            }
            Ok(Raw::Facts(f))
        }
        Err(ds) => Err(Failure::new(sources, ds)),
    }
}

/// The directory's year and the edition the facts state, when the file
/// lives in a directory named as a year (`cases/2015/x.yaml`) and states
/// another edition.
fn year_dir_differs(pack: &RulePack, path: &str, f: &Facts) -> Option<(String, f64)> {
    let dir = Path::new(path).parent()?.file_name()?.to_str()?;
    if dir.len() != 4 || !dir.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let Fact::Record(fields) = &f.root else {
        return None;
    };
    match fields.get(pack.edition_field?) {
        Some(Fact::Num(y)) if *y != dir.parse::<f64>().ok()? => Some((dir.to_string(), *y)),
        _ => None,
    }
}

/// Whether a parsed file is a facts file (a mapping with every required
/// top-level field) or a scenario (a mapping with `base`).
fn looks_like_facts(pack: &RulePack, node: &serde_saphyr::Spanned<facts::YNode>) -> bool {
    let facts::YNode::Map(entries) = &node.value else {
        return false;
    };
    let has = |name: &str| {
        entries
            .iter()
            .any(|(k, _)| matches!(&k.value, facts::YNode::Str(s) if s == name))
    };
    has("base")
        || pack
            .root
            .fields
            .iter()
            .filter(|f| f.required)
            .all(|f| has(&f.name))
}

/// The history the facts state, if they state one (a list, even empty).
fn stated_history(pack: &RulePack, facts: &Facts) -> Option<Vec<HistoryEntry>> {
    let (hi, rec) = history_index(pack)?;
    let Fact::Record(fields) = &facts.root else {
        return None;
    };
    let Some(Fact::List(items)) = fields.get(hi) else {
        return None;
    };
    Some(
        items
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
            .collect(),
    )
}

fn history_index(pack: &RulePack) -> Option<(usize, Rc<crate::pack::RecTy>)> {
    let i = pack.root.index("history")?;
    match &pack.root.fields[i].ty {
        crate::pack::Ty::List(elem) => match elem.as_ref() {
            crate::pack::Ty::Record(r) => Some((i, r.clone())),
            _ => None,
        },
        _ => None,
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

/// Every `*.yaml` / `*.yml` file under the given paths, sorted (one walk
/// for every command: [`crate::io::walk`], which follows no directory
/// symlink and visits each directory once).
pub fn collect(paths: &[PathBuf]) -> Vec<PathBuf> {
    crate::io::walk(paths, FACTS_EXTENSIONS)
}

/// The extensions of facts and scenario files.
pub const FACTS_EXTENSIONS: &[&str] = &["yaml", "yml"];

/// What `expect.tier` says of a placement that decided no tier.
pub const UNDECIDED: &str = "undecided";

/// One expectation a case's result does not meet.
#[derive(Debug, Clone, PartialEq)]
pub enum Unmet {
    Tier {
        want: String,
        got: Option<String>,
    },
    Placement {
        want: String,
        got: Option<String>,
    },
    Criterion {
        id: String,
        want: Outcome,
        got: Option<Outcome>,
    },
}

/// The expectations of `expect` that a result does not meet: its tier
/// (`None`: undecided), the last placement step that fired, and the
/// criteria outcomes. `tiers test` reports them; `tiers test --mutants`
/// counts a mutant killed when there is one.
pub fn unmet(
    expect: &Expect,
    tier: Option<&str>,
    last_step: Option<&str>,
    outcome: impl Fn(&str) -> Option<Outcome>,
) -> Vec<Unmet> {
    let mut out = vec![];
    if let Some((want, _)) = &expect.tier {
        if tier.unwrap_or(UNDECIDED) != want.as_str() {
            out.push(Unmet::Tier {
                want: want.clone(),
                got: tier.map(str::to_string),
            });
        }
    }
    if let Some((want, _)) = &expect.placement {
        if last_step != Some(want.as_str()) {
            out.push(Unmet::Placement {
                want: want.clone(),
                got: last_step.map(str::to_string),
            });
        }
    }
    for (id, want, _) in &expect.criteria {
        let got = outcome(id);
        if got != Some(*want) {
            out.push(Unmet::Criterion {
                id: id.clone(),
                want: *want,
                got,
            });
        }
    }
    out
}

/// An `expect:` block with no tier, placement or criterion checks nothing.
pub fn checks_nothing(expect: &Expect) -> bool {
    expect.tier.is_none() && expect.placement.is_none() && expect.criteria.is_empty()
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
    let mut loader = Loader::new(opts);
    for file in collect(paths) {
        let shown = file.display().to_string();
        let facts = match loader.load(pack, &file) {
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
        if checks_nothing(expect) {
            r.failed += 1;
            r.failures.push(format!(
                "FAIL {shown}: its `expect:` checks nothing (give `tier`, `placement` or `criteria`)"
            ));
            continue;
        }
        let a = crate::eval::evaluate(pack, &facts);
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
    let describe = |span: crate::syntax::ast::Span| {
        let text = pack.sources.text(span.file);
        let s = text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("");
        let first = s.lines().next().unwrap_or("").trim();
        let short = facts::clip(first, 72);
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
    for j in &pack.judgments {
        for (i, b) in j.body.branches.iter().enumerate() {
            let (location, source) = describe(b.span);
            rows.push(CoverageRow {
                kind: "judgment",
                name: j.name.clone(),
                branch: i,
                location,
                source,
                cases: vec![],
            });
        }
    }
    let judg_rows = rows.len();
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

/// Where an entry of a case's history came from.
#[derive(Debug, Clone)]
pub struct HistoryEntry {
    pub year: f64,
    pub tier: String,
    /// The file assessed for it, or `None` when the facts file states it.
    pub from: Option<String>,
}
