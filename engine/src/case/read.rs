//! A case file's bytes to facts or a scenario: the checks every input gets
//! (regular file, size, text, YAML limits), a scenario's base kept
//! unquoted until it turns out to be a facts file, the year directory
//! agreeing with the edition, and the case's own `expect:`.

use super::expect::{self, Expect};
use super::load::Raw;
use super::{drop_findings, LoadOptions};
use crate::diag::{Code, Diagnostic, Failure, SourceMap, Span};
use crate::facts::{self, Fact, Facts, YNode};
use crate::pack::RulePack;
use crate::text::num::fmt_num;
use crate::whatif::scenario;
use serde_saphyr::Spanned;
use std::path::Path;

/// Reads a scenario file (`tiers whatif --scenario`) with the checks every
/// case file gets (regular file, size, text, YAML limits); `Ok(None)` when
/// the file is no scenario (it has no `base:`). The source map comes back
/// for diagnostics about the scenario's base. An edition the scenario sets
/// may not lie after `this_year` + 1.
pub fn read_scenario_file(
    pack: &RulePack,
    path: &Path,
    this_year: i32,
) -> Result<Option<(scenario::Scenario, SourceMap)>, Failure> {
    let shown = path.display().to_string();
    let mut sources = SourceMap::default();
    let bytes = crate::io::read_limited(path, facts::MAX_FACTS_FILE).map_err(|e| {
        let id = sources.add(shown.clone(), "");
        let d = crate::diag::read_diagnostic(&e, "scenario file", Span::new(id, 0, 0));
        Failure::new(sources.clone(), vec![d])
    })?;
    let id = sources.add(shown, String::from_utf8_lossy(&bytes).into_owned());
    let text = facts::text_of(&bytes, id, facts::MAX_FACTS_FILE)
        .map_err(|d| Failure::new(sources.clone(), vec![d]))?;
    let node = facts::parse_yaml(text, id, &sources)
        .map_err(|d| Failure::new(sources.clone(), vec![d]))?;
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    match scenario_of(pack, &sources, id, &node, &dir, this_year) {
        None => Ok(None),
        Some(Ok((sc, _))) => Ok(Some((sc, sources))),
        Some(Err(ds)) => Err(Failure::new(sources, ds)),
    }
}

/// A scenario read with its own `expect:`, or every problem of both.
type ScenarioCase = Result<(scenario::Scenario, Option<Expect>), Vec<Diagnostic>>;

/// The scenario a case document is, with its own `expect:`, if it is one
/// (a mapping with `base:`); every problem of both at once.
fn scenario_of(
    pack: &RulePack,
    sources: &SourceMap,
    id: u32,
    node: &Spanned<YNode>,
    dir: &Path,
    this_year: i32,
) -> Option<ScenarioCase> {
    let sc = scenario::read_scenario(pack, sources, id, node, dir, this_year)?;
    Some(match (sc, expect::read(pack, sources, id, node)) {
        (Ok(sc), Ok(e)) => Ok((sc, e)),
        (sc, e) => Err(both(sc.err(), e.err())),
    })
}

/// The problems of two readings, in order.
fn both(a: Option<Vec<Diagnostic>>, b: Option<Vec<Diagnostic>>) -> Vec<Diagnostic> {
    a.into_iter().chain(b).flatten().collect()
}

/// Reads one case file from disk ([`crate::io::read_limited`]: regular
/// files only, at most [`facts::MAX_FACTS_FILE`] bytes read).
pub(super) fn read_file(
    pack: &RulePack,
    path: &Path,
    opts: LoadOptions,
    base: bool,
) -> Result<Raw, Failure> {
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
                    Span::new(id, 0, 0),
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
pub(super) fn read_raw(
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
            Span::new(id, 0, 0),
        );
        return Err(not_facts(sources, d));
    }
    let dir = Path::new(path)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    if let Some(sc) = scenario_of(pack, &sources, id, &node, &dir, opts.this_year) {
        let (scenario, expect) = sc.map_err(|ds| Failure::new(sources.clone(), ds))?;
        return Ok(Raw::Scenario {
            scenario,
            expect,
            sources,
            file: id,
        });
    }
    let facts = facts::from_node(pack, &sources, id, &expect::without(&node), opts.this_year);
    let (expect, mut f) = match (expect::read(pack, &sources, id, &node), facts) {
        (Ok(e), Ok(f)) => (e, f),
        (e, f) => return Err(Failure::new(sources, both(e.err(), f.err()))),
    };
    if let Some(d) = year_dir_problem(pack, path, &f, &node, &sources, id) {
        return Err(Failure::new(sources, vec![d]));
    }
    if opts.no_findings {
        drop_findings(pack, &mut f);
    }
    Ok(Raw::Facts { facts: f, expect })
}

/// A facts file in a directory named as a year (`cases/2015/x.yaml`) that
/// states another edition: earlier years' files are found by their
/// directory, so the two must agree.
fn year_dir_problem(
    pack: &RulePack,
    path: &str,
    f: &Facts,
    node: &Spanned<YNode>,
    sources: &SourceMap,
    id: u32,
) -> Option<Diagnostic> {
    let (dir, year) = year_dir_differs(pack, path, f)?;
    let name = pack
        .edition_field
        .map(|i| pack.root.fields[i].name.to_string())
        .unwrap_or_default();
    let span = match &node.value {
        YNode::Map(entries) => entries
            .iter()
            .find(|(k, _)| matches!(&k.value, YNode::Str(s) if *s == name))
            .map(|(_, v)| facts::node_span(sources, id, v)),
        _ => None,
    }
    .unwrap_or(Span::new(id, 0, 0));
    let d = Diagnostic::new(
        Code::BadValue,
        format!(
            "`{name}` is {}, but the file is in the directory `{dir}/`",
            fmt_num(year)
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
    Some(d)
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
fn looks_like_facts(pack: &RulePack, node: &Spanned<YNode>) -> bool {
    let YNode::Map(entries) = &node.value else {
        return false;
    };
    let has = |name: &str| {
        entries
            .iter()
            .any(|(k, _)| matches!(&k.value, YNode::Str(s) if s == name))
    };
    has("base")
        || pack
            .root
            .fields
            .iter()
            .filter(|f| f.required)
            .all(|f| has(&f.name))
}
