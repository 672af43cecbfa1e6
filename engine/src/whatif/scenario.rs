//! Changing facts: `--set PATH=VALUE`, reform levers, and scenario files
//! (`base:` a facts file, `note:`, `set:` changes, optional `expect:`).

use crate::diag::Failure;
use crate::diag::{did_you_mean, Code, Diagnostic, SourceMap};
use crate::facts::{self, Fact, Facts, YNode};
use crate::pack::resolve_path;
use crate::pack::{CLever, PathSeg, RecTy, RulePack, Ty};
use crate::syntax::ast::Span;
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// One change to the facts: a path (with `[*]` for every element) and the
/// new value.
#[derive(Debug, Clone)]
pub struct Change {
    pub path: String,
    pub segs: Vec<PathSeg>,
    pub value: Fact,
}

/// Parses `PATH=VALUE` (VALUE is YAML: `true`, `20`, `cumulative`, `null`,
/// `[adult_sex, child_sex]`) against the pack's facts schema; an edition
/// may not be later than `this_year`.
pub fn parse_set(pack: &RulePack, arg: &str, this_year: i32) -> Result<Change, Failure> {
    let mut sources = SourceMap::default();
    let id = sources.add("--set", arg);
    let Some((path, value)) = arg.split_once('=') else {
        return Err(Failure::new(
            sources,
            vec![Diagnostic::new(
                Code::BadPath,
                format!("`{arg}` is not PATH=VALUE"),
                Span::new(id, 0, arg.len()),
            )
            .help("e.g. --set law.provisions[0].fine=cumulative")],
        ));
    };
    let path = path.trim();
    let (segs, ty) = resolve_path(&pack.root, path).map_err(|(msg, help)| {
        let mut d = Diagnostic::new(Code::BadPath, msg, Span::new(id, 0, path.len()));
        d.help = help;
        Failure::new(sources.clone(), vec![d])
    })?;
    let mut vsources = SourceMap::default();
    let vid = vsources.add(format!("--set {path}"), value.trim());
    let value = facts::typed_value(pack, &vsources, vid, &ty, path)
        .map_err(|ds| Failure::new(vsources.clone(), ds))?;
    // the loader's checks: range, required, the edition year
    if let Some((code, msg, help)) = facts::path_problem(
        &pack.root,
        pack.edition_field,
        &segs,
        path,
        &value,
        Some(this_year),
    ) {
        let mut d = Diagnostic::new(code, msg, Span::new(vid, 0, value_len(&vsources, vid)));
        d.help = help;
        return Err(Failure::new(vsources, vec![d]));
    }
    Ok(Change {
        path: path.to_string(),
        segs,
        value,
    })
}

fn value_len(sources: &SourceMap, id: u32) -> usize {
    sources.text(id).len()
}

/// The changes a lever makes.
pub fn lever_changes(lever: &CLever) -> Vec<Change> {
    lever
        .sets
        .iter()
        .map(|(segs, c, path)| Change {
            path: path.clone(),
            segs: segs.clone(),
            value: crate::facts::lever_value(c),
        })
        .collect()
}

/// Applies a change to the facts. Records missing on the way are created
/// (all their fields unknown); a missing list or element is an error.
pub fn apply(root: &mut Fact, schema: &Rc<RecTy>, change: &Change) -> Result<(), String> {
    set_at(
        root,
        &Ty::Record(schema.clone()),
        &change.segs,
        &change.value,
        &change.path,
    )
}

fn empty_record(ty: &Ty) -> Fact {
    match ty {
        Ty::Record(r) => Fact::Record(vec![Fact::Null; r.fields.len()]),
        _ => Fact::Null,
    }
}

fn set_at(
    cur: &mut Fact,
    ty: &Ty,
    segs: &[PathSeg],
    value: &Fact,
    path: &str,
) -> Result<(), String> {
    let Some((first, rest)) = segs.split_first() else {
        *cur = value.clone();
        return Ok(());
    };
    match first {
        PathSeg::Field(i, name) => {
            let Ty::Record(r) = ty else {
                return Err(format!("`{path}`: not a record at `{name}`"));
            };
            if cur.is_null() {
                // a record made on the way has every field unknown: not
                // when one of them is required
                if let Some(req) = r.fields.iter().find(|f| f.required) {
                    return Err(format!(
                        "`{path}`: the record that holds `{name}` is not given, and making it would leave its required field `{}` unknown",
                        req.name
                    ));
                }
                *cur = empty_record(ty);
            }
            let Fact::Record(fields) = cur else {
                return Err(format!("`{path}`: not a record at `{name}`"));
            };
            let fty = &r.fields[*i].ty;
            let slot = fields
                .get_mut(*i)
                .ok_or_else(|| format!("`{path}`: no field `{name}`"))?;
            set_at(slot, fty, rest, value, path)
        }
        PathSeg::Each | PathSeg::Index(_) => {
            let Ty::List(elem) = ty else {
                return Err(format!("`{path}`: not a list"));
            };
            let Fact::List(items) = cur else {
                return Err(format!(
                    "`{path}`: the list is not given, so it has no elements to change"
                ));
            };
            match first {
                PathSeg::Index(i) => {
                    let n = items.len();
                    let item = items.get_mut(*i).ok_or_else(|| {
                        format!("`{path}`: the list has {n} element(s), so there is no [{i}]")
                    })?;
                    set_at(item, elem, rest, value, path)
                }
                _ => {
                    for item in items.iter_mut() {
                        set_at(item, elem, rest, value, path)?;
                    }
                    Ok(())
                }
            }
        }
    }
}

/// Applies changes, reporting a bad path as a diagnostic; then checks the
/// changed facts as a whole with the loader's checks ([`facts::recheck`]),
/// so a change can make no facts that a facts file could not hold (a
/// history entry for the edition itself, two tiers for one year, an
/// edition later than `this_year`).
pub fn apply_all(
    pack: &RulePack,
    facts: &mut Facts,
    changes: &[Change],
    this_year: i32,
) -> Result<(), Failure> {
    let at = |c: &Change, code: Code, msg: String| {
        let mut sources = SourceMap::default();
        let id = sources.add("--set", c.path.clone());
        Failure::new(
            sources,
            vec![Diagnostic::new(code, msg, Span::new(id, 0, c.path.len()))],
        )
    };
    for c in changes {
        if let Err(msg) = apply(&mut facts.root, &pack.root, c) {
            return Err(at(c, Code::BadPath, msg));
        }
    }
    if let (Some(last), Err(ds)) = (changes.last(), facts::recheck(pack, facts, this_year)) {
        let mut f = at(last, ds[0].code, String::new());
        f.diags = ds
            .into_iter()
            .map(|d| Diagnostic {
                message: format!("after the changes, {}", d.message),
                span: f.diags[0].span,
                ..d
            })
            .collect();
        return Err(f);
    }
    Ok(())
}

/// A scenario file, read.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub base: PathBuf,
    /// Where the scenario file names its base.
    pub base_span: Span,
    pub note: Option<String>,
    pub changes: Vec<Change>,
}

/// A YAML node with its place in the file.
type Node = serde_saphyr::Spanned<YNode>;

/// A mapping key's text (empty when it is not a string).
fn key(k: &Node) -> String {
    match &k.value {
        YNode::Str(s) => s.clone(),
        _ => String::new(),
    }
}

/// Reads a scenario file if `node` is one (a mapping with `base:`).
pub fn read_scenario(
    pack: &RulePack,
    sources: &SourceMap,
    file: u32,
    node: &Node,
    dir: &Path,
    this_year: i32,
) -> Option<Result<Scenario, Vec<Diagnostic>>> {
    let YNode::Map(entries) = &node.value else {
        return None;
    };
    if !entries.iter().any(|(k, _)| key(k) == "base") {
        return None;
    }
    let mut diags = vec![];
    let mut base = None;
    let mut base_span = Span::new(file, 0, 0);
    let mut note = None;
    let mut changes = vec![];
    for (k, v) in entries {
        match key(k).as_str() {
            "base" => match &v.value {
                YNode::Str(s) => {
                    base = Some(dir.join(s));
                    base_span = facts::node_span(sources, file, v);
                }
                _ => diags.push(Diagnostic::new(
                    Code::WrongType,
                    "`base` must be the path of a facts file".into(),
                    facts::node_span(sources, file, v),
                )),
            },
            "note" => {
                if let YNode::Str(s) = &v.value {
                    note = Some(s.clone());
                }
            }
            // a case's expectations, read by `case`
            "expect" => {}
            "set" => {
                for (path, val, span) in set_items(sources, file, v, &mut diags) {
                    match set_change(pack, sources, file, path, &val, span, this_year) {
                        Ok(c) => changes.push(c),
                        Err(ds) => diags.extend(ds),
                    }
                }
            }
            other => diags.push(unknown_key(sources, file, k, other)),
        }
    }
    let Some(base) = base else {
        return Some(Err(diags));
    };
    if !diags.is_empty() {
        return Some(Err(diags));
    }
    Some(Ok(Scenario {
        base,
        base_span,
        note,
        changes,
    }))
}

/// The entries of `set:`, a mapping `PATH: VALUE` or a list of `{path,
/// value}`: (path, value, where the path is). A list entry without both is
/// reported in `diags`.
fn set_items(
    sources: &SourceMap,
    file: u32,
    v: &Node,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(String, Node, Span)> {
    match &v.value {
        YNode::Map(m) => m
            .iter()
            .map(|(k, v)| (key(k), v.clone(), facts::node_span(sources, file, k)))
            .collect(),
        YNode::Seq(s) => s
            .iter()
            .filter_map(|e| {
                let YNode::Map(m) = &e.value else {
                    return None;
                };
                let p = m.iter().find(|(k, _)| key(k) == "path").map(|(_, v)| v);
                let val = m
                    .iter()
                    .find(|(k, _)| key(k) == "value")
                    .map(|(_, v)| v.clone());
                match (p, val) {
                    (Some(p), Some(val)) => match &p.value {
                        YNode::Str(ps) => {
                            Some((ps.clone(), val, facts::node_span(sources, file, p)))
                        }
                        _ => None,
                    },
                    _ => {
                        diags.push(Diagnostic::new(
                            Code::BadPath,
                            "each `set` entry needs `path` and `value`".into(),
                            facts::node_span(sources, file, e),
                        ));
                        None
                    }
                }
            })
            .collect(),
        _ => vec![],
    }
}

/// One `set:` entry as a change: the path resolved against the pack's
/// facts, the value typed and checked as a facts file's would be.
fn set_change(
    pack: &RulePack,
    sources: &SourceMap,
    file: u32,
    path: String,
    val: &Node,
    span: Span,
    this_year: i32,
) -> Result<Change, Vec<Diagnostic>> {
    let (segs, ty) = resolve_path(&pack.root, &path).map_err(|(msg, help)| {
        let mut d = Diagnostic::new(Code::BadPath, msg, span);
        d.help = help;
        vec![d]
    })?;
    let value = facts::typed_node(pack, sources, file, val, &ty, &path)?;
    match facts::path_problem(
        &pack.root,
        pack.edition_field,
        &segs,
        &path,
        &value,
        Some(this_year),
    ) {
        Some((code, msg, help)) => {
            let mut d = Diagnostic::new(code, msg, facts::node_span(sources, file, val));
            d.help = help;
            Err(vec![d])
        }
        None => Ok(Change { path, segs, value }),
    }
}

/// A key a scenario does not have, with a "did you mean".
fn unknown_key(sources: &SourceMap, file: u32, k: &Node, other: &str) -> Diagnostic {
    let hint = did_you_mean(other, ["base", "note", "set", "expect"]);
    let mut d = Diagnostic::new(
        Code::UnknownKey,
        format!("unknown key `{other}` in a scenario"),
        facts::node_span(sources, file, k),
    );
    d.help = Some(match hint {
        Some(h) => format!("did you mean `{h}`?"),
        None => "a scenario has `base`, `note`, `set` and `expect`".into(),
    });
    d
}
