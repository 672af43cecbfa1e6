//! A located YAML tree to typed facts, against the schema the rule pack
//! declares: every key known, every value of its field's type, required
//! fields given, numbers in range, the edition and the stated history
//! consistent. Each problem names the YAML path, the file and the line.

use super::paths::{edition_problem, range_problem};
use super::yaml::{describe_value, parse_yaml, Problems, YNode};
use super::{Fact, Facts};
use crate::diag::{did_you_mean, Code, Diagnostic, SourceMap, Span};
use crate::pack::{RecTy, RulePack, Ty};
use serde_saphyr::Spanned;
use std::rc::Rc;

/// Converts a parsed node tree (the top level of a facts file) to facts,
/// checked against the pack's schema; `this_year` bounds the edition (a
/// year after next is refused as a typo).
pub fn from_node(
    pack: &RulePack,
    sources: &SourceMap,
    file: u32,
    node: &Spanned<YNode>,
    this_year: i32,
) -> Result<Facts, Vec<Diagnostic>> {
    let mut t = Typer::new(pack, sources, file);
    let YNode::Map(entries) = &node.value else {
        let span = t.at.span(node);
        return Err(vec![Diagnostic::new(
            Code::WrongType,
            format!(
                "a facts file is a mapping of keys, found {}",
                node.value.describe()
            ),
            span,
        )
        .help("start with `country: ...` and `year: ...`")]);
    };
    let root = t.record(node, &pack.root, "", true);
    let value_of = |name: &str| {
        entries
            .iter()
            .find(|(k, _)| matches!(&k.value, YNode::Str(s) if s == name))
            .map(|(_, v)| v)
    };
    // the edition: a whole year, not in the future
    if let (Some(i), Fact::Record(fields)) = (pack.edition_field, &root) {
        if let Some(v @ Fact::Num(_)) = fields.get(i) {
            let name = &pack.root.fields[i].name;
            if let Some((code, msg, help)) = edition_problem(name, v, Some(this_year)) {
                let span = value_of(name)
                    .map(|v| t.at.span(v))
                    .unwrap_or(Span::new(file, 0, 0));
                t.at.diags.push(Diagnostic::new(code, msg, span).help(help));
            }
        }
    }
    // the history stated, when the rest of the file typed cleanly
    if t.at.diags.is_empty() {
        if let Some(h) = pack
            .root
            .index("history")
            .and_then(|i| value_of(&pack.root.fields[i].name))
        {
            let edition = pack.edition_field.and_then(|i| match &root {
                Fact::Record(fields) => match fields.get(i) {
                    Some(Fact::Num(y)) => Some(*y),
                    _ => None,
                },
                _ => None,
            });
            t.history(h, edition);
        }
    }
    t.at.result(Facts {
        path: sources.path(file).to_string(),
        root,
    })
}

/// Types YAML nodes against the schema, collecting every problem.
struct Typer<'a> {
    at: Problems<'a>,
    tiers: Rc<Vec<String>>,
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

impl<'a> Typer<'a> {
    fn new(pack: &RulePack, sources: &'a SourceMap, file: u32) -> Typer<'a> {
        Typer {
            at: Problems::new(sources, file),
            tiers: pack.tier_variants.clone(),
        }
    }

    /// Checks a stated `history` (its YAML node `h`) for contradictions:
    /// years that are not whole numbers, entries for the edition or later,
    /// and two entries for one year.
    fn history(&mut self, h: &Spanned<YNode>, edition: Option<f64>) {
        let YNode::Seq(items) = &h.value else {
            return;
        };
        let mut seen: Vec<(f64, Option<String>, usize)> = vec![];
        for (k, item) in items.iter().enumerate() {
            let YNode::Map(fields) = &item.value else {
                continue;
            };
            let get = |name: &str| {
                fields
                    .iter()
                    .find(|(key, _)| matches!(&key.value, YNode::Str(s) if s == name))
                    .map(|(_, v)| v)
            };
            let Some(yn) = get("year") else {
                continue;
            };
            let year = match yn.value {
                YNode::Int(i) => i as f64,
                YNode::Float(f) => f,
                _ => continue,
            };
            let tier = get("tier").and_then(|t| match &t.value {
                YNode::Str(s) => Some(s.clone()),
                YNode::Int(i) => Some(i.to_string()),
                _ => None,
            });
            let shown = crate::text::num::fmt_num(year);
            if year.fract() != 0.0 {
                let d = self.at.error(
                    Code::BadValue,
                    format!("`history[{k}].year` is {shown}; a year is a whole number"),
                    yn,
                );
                d.help = Some(format!("write the edition's year, e.g. `{}`", year.round()));
                continue;
            }
            if let Some(ed) = edition.filter(|e| year >= *e) {
                let d = self.at.error(
                    Code::BadValue,
                    format!(
                        "`history[{k}].year` is {shown}, which is not before the edition ({})",
                        crate::text::num::fmt_num(ed)
                    ),
                    yn,
                );
                d.help = Some("`history` lists the placements of earlier editions".into());
                continue;
            }
            if let Some((_, t0, j)) = seen.iter().find(|(y, _, _)| *y == year) {
                let msg = match (t0, &tier) {
                    (Some(a), Some(b)) if a != b => format!(
                        "`history` gives two tiers for {shown}: \"{a}\" (`history[{j}]`) and \"{b}\" (`history[{k}]`)"
                    ),
                    _ => format!("`history` gives {shown} twice (`history[{j}]` and `history[{k}]`)"),
                };
                let d = self.at.error(Code::BadValue, msg, yn);
                d.help = Some("keep one entry per year".into());
                continue;
            }
            seen.push((year, tier, k));
        }
    }

    fn record(&mut self, n: &Spanned<YNode>, rec: &RecTy, path: &str, top: bool) -> Fact {
        let YNode::Map(entries) = &n.value else {
            if matches!(n.value, YNode::Null) && !top {
                return Fact::Null;
            }
            let what = if path.is_empty() {
                "the file".to_string()
            } else {
                format!("`{path}`")
            };
            let found = n.value.describe();
            self.at.error(
                Code::WrongType,
                format!("{what} must be a mapping of keys, found {found}"),
                n,
            );
            return Fact::Null;
        };
        let mut fields = vec![Fact::Null; rec.fields.len()];
        let mut seen = vec![false; rec.fields.len()];
        // fields whose value was reported as wrong: not also "missing"
        let mut wrong = vec![false; rec.fields.len()];
        for (k, v) in entries {
            let key = match &k.value {
                YNode::Str(s) => s.clone(),
                YNode::Int(i) => i.to_string(),
                YNode::Bool(b) => b.to_string(),
                other => {
                    let found = other.describe();
                    self.at.error(
                        Code::WrongType,
                        format!("a key must be a name, found {found}"),
                        k,
                    );
                    continue;
                }
            };
            let full = join(path, &key);
            match rec.index(&key) {
                Some(i) => {
                    if seen[i] {
                        self.at
                            .error(Code::DuplicateKey, format!("duplicate key `{full}`"), k);
                        continue;
                    }
                    seen[i] = true;
                    let before = self.at.diags.len();
                    fields[i] = self.value(v, &rec.fields[i].ty, &full);
                    wrong[i] = self.at.diags.len() > before;
                    if let Fact::Num(_) = &fields[i] {
                        // the range (the edition's checks come once the record is whole)
                        if let Some((code, msg, help)) =
                            range_problem(&rec.fields[i], &full, &fields[i])
                        {
                            let d = self.at.error(code, msg, v);
                            d.help = help;
                            fields[i] = Fact::Null;
                            wrong[i] = true;
                        }
                    }
                }
                None => {
                    let hint = did_you_mean(&key, rec.fields.iter().map(|f| &*f.name));
                    let names: Vec<&str> = rec.fields.iter().map(|f| &*f.name).collect();
                    let help = match hint {
                        Some(h) => format!("did you mean `{}`?", join(path, &h)),
                        None => format!("the keys here are: {}", names.join(", ")),
                    };
                    let d = self
                        .at
                        .error(Code::UnknownKey, format!("unknown key `{full}`"), k);
                    d.help = Some(help);
                }
            }
        }
        for (i, f) in rec.fields.iter().enumerate() {
            if f.required && !wrong[i] && (!seen[i] || fields[i].is_null()) {
                let full = join(path, &f.name);
                let d = self
                    .at
                    .error(Code::MissingField, format!("`{full}` is required"), n);
                d.help = Some(format!("add `{}: ...`", f.name));
            }
        }
        Fact::Record(fields)
    }

    fn value(&mut self, n: &Spanned<YNode>, ty: &Ty, path: &str) -> Fact {
        if matches!(n.value, YNode::Null) {
            return Fact::Null;
        }
        match ty {
            Ty::Null => Fact::Null,
            Ty::Bool => self.bool_value(n, path),
            Ty::Num => self.num_value(n, path),
            Ty::Text => match &n.value {
                YNode::Str(s) => Fact::Text(s.as_str().into()),
                other => {
                    let found = describe_value(other);
                    let d = self.at.error(
                        Code::WrongType,
                        format!("`{path}` must be text, found {found}"),
                        n,
                    );
                    d.help = Some("quote it: `\"...\"`".into());
                    Fact::Null
                }
            },
            Ty::Enum(variants) => self.enum_value(n, variants, path),
            Ty::List(elem) => match &n.value {
                YNode::Seq(items) => Fact::List(
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, x)| self.value(x, elem, &format!("{path}[{i}]")))
                        .collect(),
                ),
                other => {
                    let found = describe_value(other);
                    let d = self.at.error(
                        Code::WrongType,
                        format!("`{path}` must be a list, found {found}"),
                        n,
                    );
                    d.help = Some("write `[a, b]` or one `- item` per line".into());
                    Fact::Null
                }
            },
            Ty::Record(rec) => {
                let rec = rec.clone();
                self.record(n, &rec, path, false)
            }
        }
    }

    fn bool_value(&mut self, n: &Spanned<YNode>, path: &str) -> Fact {
        let other = match &n.value {
            YNode::Bool(b) => return Fact::Bool(*b),
            other => other,
        };
        let help = match other {
            YNode::Str(s) if is_yaml11_bool(s) => Some(format!(
                "YAML 1.2 reads `{s}` as text, not a bool: write `{}`",
                if is_yaml11_true(s) { "true" } else { "false" }
            )),
            _ => Some("write `true`, `false` or `null` (not known)".to_string()),
        };
        let found = describe_value(other);
        let d = self.at.error(
            Code::WrongType,
            format!("`{path}` must be true or false, found {found}"),
            n,
        );
        d.help = help;
        Fact::Null
    }

    fn num_value(&mut self, n: &Spanned<YNode>, path: &str) -> Fact {
        match &n.value {
            YNode::Int(i) => {
                if i.unsigned_abs() > (1u128 << 53) {
                    self.at.error(
                        Code::BadValue,
                        format!("`{path}` is too large a number ({i})"),
                        n,
                    );
                    Fact::Null
                } else {
                    Fact::Num(*i as f64)
                }
            }
            YNode::Float(f) if f.is_finite() && f.abs() <= 9.0e15 => Fact::Num(*f),
            YNode::Float(f) if f.is_finite() => {
                self.at.error(
                    Code::BadValue,
                    format!("`{path}` is too large a number ({f})"),
                    n,
                );
                Fact::Null
            }
            YNode::Float(f) => {
                self.at.error(
                    Code::BadValue,
                    format!("`{path}` must be a finite number, found {f}"),
                    n,
                );
                Fact::Null
            }
            other => {
                let found = describe_value(other);
                let d = self.at.error(
                    Code::WrongType,
                    format!("`{path}` must be a number, found {found}"),
                    n,
                );
                d.help = Some("write digits, e.g. `20`, or `null` when not known".into());
                Fact::Null
            }
        }
    }

    fn enum_value(&mut self, n: &Spanned<YNode>, variants: &Rc<Vec<String>>, path: &str) -> Fact {
        let s = match &n.value {
            YNode::Str(s) => Some(s.clone()),
            YNode::Int(i) => Some(i.to_string()),
            _ => None,
        };
        let is_tier = Rc::ptr_eq(variants, &self.tiers) || **variants == *self.tiers;
        match s {
            Some(s) if variants.contains(&s) => Fact::Text(s.as_str().into()),
            Some(s) => {
                let code = if is_tier {
                    Code::BadTier
                } else {
                    Code::BadValue
                };
                let listed: Vec<String> = variants.iter().map(|v| format!("\"{v}\"")).collect();
                let hint = did_you_mean(&s, variants.iter().map(String::as_str));
                let d = self.at.error(
                    code,
                    format!(
                        "`{path}` is `{s}`, which is not one of {}",
                        listed.join(", ")
                    ),
                    n,
                );
                d.help = Some(match hint {
                    Some(h) => format!("did you mean `\"{h}\"`?"),
                    None => format!("write one of {}", listed.join(", ")),
                });
                Fact::Null
            }
            None => {
                let found = describe_value(&n.value);
                self.at.error(
                    Code::WrongType,
                    format!("`{path}` must be one of the listed words, found {found}"),
                    n,
                );
                Fact::Null
            }
        }
    }
}

fn is_yaml11_true(s: &str) -> bool {
    matches!(s.to_ascii_lowercase().as_str(), "yes" | "y" | "on" | "true")
}

fn is_yaml11_bool(s: &str) -> bool {
    matches!(
        s.to_ascii_lowercase().as_str(),
        "yes" | "no" | "y" | "n" | "on" | "off" | "true" | "false"
    )
}

/// Types one YAML value (given as text, e.g. from `--set PATH=VALUE`)
/// against `ty`; `file` is the index of `text` in `sources`.
pub fn typed_value(
    pack: &RulePack,
    sources: &SourceMap,
    file: u32,
    ty: &Ty,
    path: &str,
) -> Result<Fact, Vec<Diagnostic>> {
    let text = sources.text(file);
    let node = parse_yaml(
        if text.trim().is_empty() { "null" } else { text },
        file,
        sources,
    )
    .map_err(|d| vec![d])?;
    typed_node(pack, sources, file, &node, ty, path)
}

/// Converts the located node of one value (a scenario's `set` entry).
pub fn typed_node(
    pack: &RulePack,
    sources: &SourceMap,
    file: u32,
    node: &Spanned<YNode>,
    ty: &Ty,
    path: &str,
) -> Result<Fact, Vec<Diagnostic>> {
    let mut t = Typer::new(pack, sources, file);
    let v = t.value(node, ty, path);
    t.at.result(v)
}
