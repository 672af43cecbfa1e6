//! The [`Loader`]: reads each case file once, loads a scenario's base
//! before its changes apply, and derives a case's history from the
//! assessment of its earlier years' files.

use super::read::{read_file, read_raw};
use super::{drop_findings, Case, Expect, HistoryEntry, LoadOptions, FACTS_EXTENSIONS};
use crate::diag::{Code, Diagnostic, Failure, SourceMap, Span};
use crate::facts::{Fact, Facts};
use crate::pack::RulePack;
use crate::whatif::scenario;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// A case file as read, before its history is derived (the history
/// depends on the rules, which assess the earlier years).
#[derive(Debug, Clone)]
pub(super) enum Raw {
    Facts {
        facts: Facts,
        expect: Option<Expect>,
    },
    Scenario {
        scenario: scenario::Scenario,
        /// The scenario's own `expect:`.
        expect: Option<Expect>,
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
    done: HashMap<PathBuf, Result<Case, Failure>>,
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
        self.load_case(pack, path).map(|c| (c.facts, c.history))
    }

    /// Loads one case file: its facts with their history, and its
    /// expectations.
    pub fn load_case(&mut self, pack: &RulePack, path: &Path) -> Result<Case, Failure> {
        self.load_depth(pack, path, 0, 0, false)
    }

    /// Checks a case given as bytes, as if it were the file at `path`
    /// (see [`super::load_bytes`]).
    pub fn load_bytes(
        &mut self,
        pack: &RulePack,
        path: &str,
        bytes: &[u8],
    ) -> Result<Facts, Failure> {
        let raw = read_raw(pack, path, bytes, self.opts, false)?;
        self.materialize(pack, Path::new(path), &raw, 0, 0)
            .map(|c| c.facts)
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
    ) -> Result<Case, Failure> {
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
    ) -> Result<Case, Failure> {
        let (scenario, expect, sources, file) = match raw {
            Raw::Facts { facts, expect } => {
                let mut facts = facts.clone();
                let history = self.history(pack, path, &mut facts, years)?;
                return Ok(Case {
                    facts,
                    expect: expect.clone(),
                    history,
                });
            }
            Raw::Scenario {
                scenario,
                expect,
                sources,
                file,
            } => (scenario, expect, sources, *file),
        };
        let here = |msg: String| {
            let d = Diagnostic::new(Code::BadPath, msg, Span::new(file, 0, 0));
            Failure::new(sources.clone(), vec![d])
        };
        if scenarios > 8 {
            return Err(here("scenarios nest more than 8 deep".into()));
        }
        let base = self.load_base(pack, scenario, sources, scenarios, years)?;
        let (mut f, mut entries) = (base.facts, base.history);
        scenario::apply_all(pack, &mut f, &scenario.changes, self.opts.this_year)?;
        f.path = path.display().to_string();
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
        Ok(Case {
            facts: f,
            expect: expect.clone(),
            history: entries,
        })
    }

    /// Loads a scenario's base: a facts file (or another scenario) by name
    /// (`.yaml`, `.yml`) and by content (see [`read_raw`]).
    pub(super) fn load_base(
        &mut self,
        pack: &RulePack,
        scenario: &scenario::Scenario,
        sources: &SourceMap,
        scenarios: usize,
        years: usize,
    ) -> Result<Case, Failure> {
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
        let prev = self.load_depth(pack, &file, 0, years + 1, false)?;
        let (prev_facts, mut entries) = (prev.facts, prev.history);
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
