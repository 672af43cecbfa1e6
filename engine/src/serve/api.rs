//! The JSON API the page uses and scripts may use. Bad input gets the
//! command line's located diagnostics as JSON, with status 400:
//! `{"error": "...", "diagnostics": [{"code", "severity", "message",
//! "file", "line", "column", "help", "rendered"}]}`.
//!
//! - `POST /api/assess` (body: a facts YAML document; `?no_findings=1`):
//!   the contract JSON, as `tiers assess --format json` prints it.
//! - `POST /api/whatif` (body: JSON `{"case" | "facts", "set": [PATH=VALUE],
//!   "levers": [NAME], "no_findings"}`): `tiers whatif --format json`, with
//!   `before` and `after` (contract JSON) and `rationale_diff`.
//! - `POST /api/reforms` (`{"case" | "facts", "target", "max_size",
//!   "assume_unknown_fails", "no_findings"}`): `tiers reforms --format json`.
//! - `POST /api/scenario` (as whatif, `case` required): the change as a
//!   scenario file (`{"name", "dir", "yaml"}`).
//! - `GET /api/cases`: the case list.

use super::http::{Req, Resp};
use super::Ctx;
use crate::case::{self, LoadOptions};
use crate::diag::Failure;
use crate::diag::{did_you_mean, Code, Diagnostic, SourceMap};
use crate::facts::{Fact, Facts};
use crate::pack::RulePack;
use crate::render::assessment::{self, Format};
use crate::syntax::ast::Span;
use crate::text::num::fmt_num;
use crate::whatif::scenario::{self, Change};
use crate::whatif::{self, SearchOptions, Target};
use serde_json::{json, Map, Value as Json};

/// The name a posted document goes by in diagnostics.
const BODY: &str = "<request>";

/// Diagnostics as JSON.
pub fn failure(status: u16, f: &Failure) -> Resp {
    let diags: Vec<Json> = f
        .diags
        .iter()
        .map(|d| {
            let (line, column) = f.sources.line_col(d.span.file, d.span.start);
            json!({
                "code": d.code.as_str(),
                "severity": if d.is_error() { "error" } else { "warning" },
                "message": d.message,
                "file": f.sources.path(d.span.file),
                "line": line,
                "column": column,
                "help": d.help,
                "rendered": f.sources.render(d),
            })
        })
        .collect();
    let first = f
        .diags
        .first()
        .map(|d| d.message.clone())
        .unwrap_or_default();
    Resp::json(status, &json!({"error": first, "diagnostics": diags}))
}

/// One diagnostic about the request body, at the first place `needle`
/// occurs in it (or its start).
fn body_error(body: &str, code: Code, msg: String, needle: &str, help: Option<String>) -> Failure {
    let mut sources = SourceMap::default();
    let id = sources.add(BODY, body);
    let start = if needle.is_empty() {
        0
    } else {
        body.find(needle).unwrap_or(0)
    };
    let mut d = Diagnostic::new(code, msg, Span::new(id, start, start + needle.len()));
    d.help = help;
    Failure::new(sources, vec![d])
}

/// `POST /api/assess`.
pub fn assess(pack: &RulePack, req: &Req) -> Resp {
    let opts = LoadOptions::new(req.flag("no_findings"));
    match load_document(pack, &req.body, opts) {
        Ok(facts) => Resp::json(
            200,
            &assessment::to_json(&crate::eval::evaluate(pack, &facts)),
        ),
        Err(f) => failure(400, &f),
    }
}

/// Loads a posted facts document. A scenario is refused: its `base:` would
/// be a path on this computer, outside what the server serves.
fn load_document(pack: &RulePack, bytes: &[u8], opts: LoadOptions) -> Result<Facts, Failure> {
    let text = String::from_utf8_lossy(bytes);
    let mut sources = SourceMap::default();
    let id = sources.add(BODY, text.as_ref());
    if let Ok(node) = crate::facts::parse_yaml(sources.text(id), id, &sources) {
        if super::guard::top_level_base(&node.value).is_some() {
            return Err(body_error(
                &text,
                Code::BadValue,
                "a scenario (`base:`) cannot be posted".into(),
                "base",
                Some("post the facts, or use /api/whatif with `case` and `set`".into()),
            ));
        }
    }
    case::load_bytes(pack, BODY, bytes, opts)
}

/// A request body of the what-if family, parsed and checked.
struct Ask {
    text: String,
    body: Map<String, Json>,
}

impl Ask {
    fn parse(req: &Req, allowed: &[&str]) -> Result<Ask, Failure> {
        let text = String::from_utf8_lossy(&req.body).into_owned();
        let v: Json = serde_json::from_str(&text).map_err(|e| {
            let mut sources = SourceMap::default();
            let id = sources.add(BODY, text.as_str());
            let at = sources.offset(id, e.line(), e.column());
            Failure::new(
                sources,
                vec![Diagnostic::new(
                    Code::Syntax,
                    format!("the request body is not JSON: {e}"),
                    Span::new(id, at, at),
                )],
            )
        })?;
        let Json::Object(body) = v else {
            return Err(body_error(
                &text,
                Code::WrongType,
                "the request body must be a JSON object".into(),
                "",
                None,
            ));
        };
        for k in body.keys() {
            if !allowed.contains(&k.as_str()) {
                let hint = did_you_mean(k, allowed.iter().copied());
                return Err(body_error(
                    &text,
                    Code::UnknownKey,
                    format!("unknown key `{k}`"),
                    &format!("\"{k}\""),
                    Some(match hint {
                        Some(h) => format!("did you mean `{h}`?"),
                        None => format!("the keys are {}", allowed.join(", ")),
                    }),
                ));
            }
        }
        Ok(Ask { text, body })
    }

    fn error(&self, code: Code, msg: String, key: &str, help: Option<String>) -> Failure {
        body_error(&self.text, code, msg, &format!("\"{key}\""), help)
    }

    fn flag(&self, key: &str) -> Result<bool, Failure> {
        match self.body.get(key) {
            None | Some(Json::Null) => Ok(false),
            Some(Json::Bool(b)) => Ok(*b),
            Some(_) => Err(self.error(
                Code::WrongType,
                format!("`{key}` must be true or false"),
                key,
                None,
            )),
        }
    }

    fn strings(&self, key: &str) -> Result<Vec<String>, Failure> {
        match self.body.get(key) {
            None | Some(Json::Null) => Ok(vec![]),
            Some(Json::Array(xs)) if xs.iter().all(Json::is_string) => Ok(xs
                .iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()),
            Some(_) => Err(self.error(
                Code::WrongType,
                format!("`{key}` must be a list of strings"),
                key,
                None,
            )),
        }
    }

    fn string(&self, key: &str) -> Result<Option<String>, Failure> {
        match self.body.get(key) {
            None | Some(Json::Null) => Ok(None),
            Some(Json::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(self.error(
                Code::WrongType,
                format!("`{key}` must be a string"),
                key,
                None,
            )),
        }
    }

    /// The facts to start from: a served case, or a posted document.
    fn start(
        &self,
        ctx: &Ctx,
        pack: &RulePack,
        opts: LoadOptions,
    ) -> Result<(Facts, Option<std::path::PathBuf>), Failure> {
        match (self.string("case")?, self.string("facts")?) {
            (Some(c), None) => {
                let path = ctx
                    .roots
                    .resolve(&c)
                    .map_err(|e| self.error(Code::BadPath, e, "case", None))?;
                case::load(pack, &path, opts).map(|f| (f, Some(path)))
            }
            (None, Some(doc)) => load_document(pack, doc.as_bytes(), opts).map(|f| (f, None)),
            _ => Err(body_error(
                &self.text,
                Code::MissingField,
                "give `case` (a served file) or `facts` (a facts document), not both".into(),
                "",
                None,
            )),
        }
    }

    /// How the facts are loaded (with or without the reviewer's findings;
    /// the year that bounds an edition).
    fn options(&self) -> Result<LoadOptions, Failure> {
        Ok(LoadOptions::new(self.flag("no_findings")?))
    }

    /// The changes asked for (`set`, then `levers`), and how each is shown.
    fn changes(
        &self,
        pack: &RulePack,
        this_year: i32,
    ) -> Result<(Vec<Change>, Vec<String>), Failure> {
        let mut changes = vec![];
        let mut shown = vec![];
        for s in self.strings("set")? {
            let c = scenario::parse_set(pack, &s, this_year)?;
            shown.push(format!("{} = {}", c.path, whatif::fact_text(&c.value)));
            changes.push(c);
        }
        for name in self.strings("levers")? {
            let Some(l) = pack.levers.iter().find(|l| l.name == name) else {
                let hint = did_you_mean(&name, pack.levers.iter().map(|l| l.name.as_str()));
                return Err(body_error(
                    &self.text,
                    Code::BadLever,
                    format!("the rule pack has no lever `{name}`"),
                    &format!("\"{name}\""),
                    hint.map(|h| format!("did you mean `{h}`?")),
                ));
            };
            shown.push(format!(
                "lever {name}: {}",
                l.meta.title.clone().unwrap_or_default()
            ));
            changes.extend(scenario::lever_changes(l));
        }
        Ok((changes, shown))
    }
}

const WHATIF_KEYS: &[&str] = &["case", "facts", "set", "levers", "no_findings"];

/// `POST /api/whatif`.
pub fn whatif(ctx: &Ctx, pack: &RulePack, req: &Req) -> Resp {
    let run = || -> Result<Json, Failure> {
        let ask = Ask::parse(req, WHATIF_KEYS)?;
        let opts = ask.options()?;
        let (before, _) = ask.start(ctx, pack, opts)?;
        let this_year = opts.this_year;
        let (changes, shown) = ask.changes(pack, this_year)?;
        let mut after = before.clone();
        scenario::apply_all(pack, &mut after, &changes, this_year)?;
        let mut d = whatif::compare(
            crate::eval::evaluate(pack, &before),
            crate::eval::evaluate(pack, &after),
        );
        whatif::explain_unmoved(pack, &before, &after, &changes, &mut d);
        let mut v: Json = serde_json::from_str(&crate::render::whatif::delta(
            &d,
            &shown,
            None,
            Format::Json,
        ))
        .unwrap_or_default();
        v["before"] = assessment::to_json(&d.before);
        v["after"] = assessment::to_json(&d.after);
        v["rationale_diff"] = d
            .rationale
            .iter()
            .map(|(k, s)| json!({"change": k.to_string(), "sentence": s}))
            .collect();
        Ok(v)
    };
    match run() {
        Ok(v) => Resp::json(200, &v),
        Err(f) => failure(400, &f),
    }
}

/// `POST /api/reforms`.
pub fn reforms(ctx: &Ctx, pack: &RulePack, req: &Req) -> Resp {
    let keys = [
        "case",
        "facts",
        "target",
        "max_size",
        "assume_unknown_fails",
        "no_findings",
    ];
    let run = || -> Result<String, Failure> {
        let ask = Ask::parse(req, &keys)?;
        let (facts, _) = ask.start(ctx, pack, ask.options()?)?;
        let base = crate::eval::evaluate(pack, &facts);
        let target = match ask.string("target")?.filter(|t| !t.is_empty()) {
            Some(t) if pack.tier_variants.contains(&t) => Target::Tier(t),
            Some(t) if pack.criterion_index(&t).is_some() => Target::Criterion(t),
            Some(t) => {
                let mut names: Vec<&str> = pack.tier_variants.iter().map(String::as_str).collect();
                names.extend(pack.criteria.iter().map(|c| c.id.as_str()));
                return Err(ask.error(
                    Code::BadValue,
                    format!("`target` `{t}` is neither a tier nor a criterion"),
                    "target",
                    did_you_mean(&t, names).map(|h| format!("did you mean `{h}`?")),
                ));
            }
            None => Target::Tier(crate::whatif::next_tier_up(
                pack,
                &facts,
                base.tier.as_deref(),
            )),
        };
        let max_size = match ask.body.get("max_size") {
            None | Some(Json::Null) => 3,
            Some(v) => match v.as_u64() {
                Some(n @ 1..=4) => n as usize,
                _ => {
                    return Err(ask.error(
                        Code::BadValue,
                        "`max_size` must be a whole number from 1 to 4".into(),
                        "max_size",
                        None,
                    ))
                }
            },
        };
        let opts = SearchOptions {
            max_size,
            assume_unknown_fails: ask.flag("assume_unknown_fails")?,
            establish: true,
        };
        let r = whatif::reforms_with(pack, &facts, target.clone(), opts);
        // with a tier target, the levers that fix each criterion not met
        // (and each unknown one, when unknown counts as failing), as the
        // command lists them
        let mut per = vec![];
        if matches!(target, Target::Tier(_)) {
            for c in base.criteria.iter().filter(|c| {
                c.outcome == crate::Outcome::NotMet
                    || (opts.assume_unknown_fails && c.outcome == crate::Outcome::Unknown)
            }) {
                let one = SearchOptions {
                    max_size: max_size.min(2),
                    establish: false,
                    ..opts
                };
                per.push((
                    c.id.clone(),
                    whatif::reforms_with(pack, &facts, Target::Criterion(c.id.clone()), one),
                ));
            }
        }
        Ok(crate::render::whatif::reforms(
            pack,
            &r,
            &base.country,
            &per,
            Format::Json,
        ))
    };
    match run() {
        Ok(text) => Resp::new(200, super::http::JSON, text),
        Err(f) => failure(400, &f),
    }
}

/// `POST /api/scenario`: the change as a scenario file to save beside the
/// case's directory (`scenarios/`), with the tier and moved criteria it
/// gives as its `expect:`, so `tiers test` keeps checking it.
pub fn scenario(ctx: &Ctx, pack: &RulePack, req: &Req) -> Resp {
    let run = || -> Result<Json, Failure> {
        let ask = Ask::parse(req, WHATIF_KEYS)?;
        if ask.string("case")?.is_none() {
            return Err(body_error(
                &ask.text,
                Code::MissingField,
                "a scenario needs `case`: the served file it starts from".into(),
                "",
                None,
            ));
        }
        let opts = ask.options()?;
        let (before, path) = ask.start(ctx, pack, opts)?;
        let this_year = opts.this_year;
        let (changes, shown) = ask.changes(pack, this_year)?;
        let mut after = before.clone();
        scenario::apply_all(pack, &mut after, &changes, this_year)?;
        let (b, a) = (
            crate::eval::evaluate(pack, &before),
            crate::eval::evaluate(pack, &after),
        );
        let path = path.unwrap_or_default();
        let (root, rel) = ctx
            .roots
            .relative(&path)
            .map(|(r, rel)| (r.to_path_buf(), rel))
            .unwrap_or_default();
        let rel: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let year = a.year.map(fmt_num).unwrap_or_default();
        let note = format!("{} {year} with: {}", b.country, shown.join("; "));
        let mut y = String::from(
            "# A what-if saved from the workbench (tiers serve). Keep it in the scenarios/\n\
             # directory beside the case's year: `tiers test` checks its expect: block and\n\
             # `tiers whatif --scenario FILE` shows what it moves.\n",
        );
        if ask.flag("no_findings")? {
            y.push_str(
                "# The page compared without the reviewer's findings; this file keeps them.\n",
            );
        }
        y.push_str(&format!(
            "base: {}\n",
            json!(format!("../{}", rel.join("/")))
        ));
        y.push_str(&format!("note: {}\n", json!(note)));
        y.push_str("set:\n");
        for c in &changes {
            y.push_str(&format!(
                "  - {{path: {}, value: {}}}\n",
                json!(c.path),
                yaml_value(&c.value)
            ));
        }
        y.push_str(&format!(
            "expect:\n  tier: {}\n",
            json!(a.tier.clone().unwrap_or_else(|| case::UNDECIDED.into()))
        ));
        let moved: Vec<String> = a
            .criteria
            .iter()
            .filter(|c| b.outcome(&c.id) != Some(c.outcome))
            .map(|c| format!("    {}: {}\n", c.id, c.outcome.as_str()))
            .collect();
        if !moved.is_empty() {
            y.push_str("  criteria:\n");
            y.push_str(&moved.concat());
        }
        Ok(json!({
            "name": format!("{stem}-{year}-whatif.yaml"),
            "dir": root.join("scenarios").display().to_string(),
            "yaml": y,
        }))
    };
    match run() {
        Ok(v) => Resp::json(200, &v),
        Err(f) => failure(400, &f),
    }
}

/// A fact value in YAML flow style (strings quoted as JSON, which YAML reads).
fn yaml_value(f: &Fact) -> String {
    match f {
        Fact::Null => "null".into(),
        Fact::Bool(b) => b.to_string(),
        Fact::Num(n) => fmt_num(*n),
        Fact::Text(t) => json!(t.as_ref()).to_string(),
        Fact::List(xs) => format!(
            "[{}]",
            xs.iter().map(yaml_value).collect::<Vec<_>>().join(", ")
        ),
        Fact::Record(_) => "null".into(),
    }
}

/// `GET /api/cases`.
pub fn cases(ctx: &Ctx, pack: &RulePack) -> Resp {
    let rows = super::cases::rows(pack, &ctx.roots);
    Resp::json(
        200,
        &json!({"cases": rows.iter().map(super::cases::Row::to_json).collect::<Vec<_>>()}),
    )
}
