//! YAML -> typed facts, checked against the facts schema the rule pack
//! declares. Every problem names the YAML path, the file and the line.

use crate::diag::{did_you_mean, Code, Diagnostic, SourceMap};
use crate::pack::{Const, Outcome, RecTy, RulePack, Ty};
use crate::syntax::ast::Span;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;
use std::rc::Rc;

/// The largest facts file accepted, in bytes.
pub const MAX_FACTS_FILE: usize = 8 * 1024 * 1024;

/// A typed fact value. Records hold their fields in schema order.
#[derive(Debug, Clone, PartialEq)]
pub enum Fact {
    Null,
    Bool(bool),
    Num(f64),
    Text(Rc<str>),
    List(Vec<Fact>),
    Record(Vec<Fact>),
}

// Facts hold no NaN (the loader refuses non-finite numbers), so equality is
// total and facts can key a map (reform search memoises by facts).
impl Eq for Fact {}

impl std::hash::Hash for Fact {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        std::mem::discriminant(self).hash(h);
        match self {
            Fact::Null => {}
            Fact::Bool(b) => b.hash(h),
            Fact::Num(n) => n.to_bits().hash(h),
            Fact::Text(t) => t.hash(h),
            Fact::List(xs) | Fact::Record(xs) => xs.hash(h),
        }
    }
}

impl Fact {
    pub fn is_null(&self) -> bool {
        matches!(self, Fact::Null)
    }
}

/// What a case file expects; checked by `tiers test`.
#[derive(Debug, Clone, Default)]
pub struct Expect {
    pub tier: Option<(String, Span)>,
    pub criteria: Vec<(String, Outcome, Span)>,
    /// The placement step that set the final tier (the route), if stated.
    pub placement: Option<(String, Span)>,
}

/// One facts file, loaded and checked.
#[derive(Debug, Clone)]
pub struct Facts {
    pub path: String,
    pub root: Fact,
    pub expect: Option<Expect>,
}

/// A raw YAML node with its location.
#[derive(Debug, Clone)]
pub enum YNode {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<YNode>>),
    Map(Vec<(Spanned<YNode>, Spanned<YNode>)>),
}

impl YNode {
    fn describe(&self) -> &'static str {
        match self {
            YNode::Null => "null",
            YNode::Bool(_) => "a bool",
            YNode::Int(_) | YNode::Float(_) => "a number",
            YNode::Str(_) => "text",
            YNode::Seq(_) => "a list",
            YNode::Map(_) => "a mapping",
        }
    }
}

impl<'de> Deserialize<'de> for YNode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = YNode;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<YNode, E> {
        Ok(YNode::Null)
    }
    fn visit_none<E>(self) -> Result<YNode, E> {
        Ok(YNode::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<YNode, D::Error> {
        YNode::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<YNode, E> {
        Ok(YNode::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<YNode, E> {
        Ok(YNode::Int(v as i128))
    }
    fn visit_u64<E>(self, v: u64) -> Result<YNode, E> {
        Ok(YNode::Int(v as i128))
    }
    fn visit_i128<E>(self, v: i128) -> Result<YNode, E> {
        Ok(YNode::Int(v))
    }
    fn visit_u128<E>(self, v: u128) -> Result<YNode, E> {
        Ok(YNode::Int(i128::try_from(v).unwrap_or(i128::MAX)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<YNode, E> {
        Ok(YNode::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<YNode, E> {
        Ok(YNode::Str(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<YNode, E> {
        Ok(YNode::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<YNode, A::Error> {
        let mut out = vec![];
        while let Some(x) = seq.next_element::<Spanned<YNode>>()? {
            out.push(x);
        }
        Ok(YNode::Seq(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<YNode, A::Error> {
        let mut out = vec![];
        while let Some(k) = map.next_key::<Spanned<YNode>>()? {
            let v = map.next_value::<Spanned<YNode>>()?;
            out.push((k, v));
        }
        Ok(YNode::Map(out))
    }
}

/// Checks the bytes of an input file: size, text, UTF-8, not empty.
pub fn text_of(bytes: &[u8], file: u32, limit: usize) -> Result<&str, Diagnostic> {
    let at = Span::new(file, 0, 0);
    if bytes.len() > limit {
        return Err(Diagnostic::new(
            Code::InputTooLarge,
            format!("file is {} bytes; the limit is {limit}", bytes.len()),
            at,
        ));
    }
    if bytes.contains(&0) {
        return Err(Diagnostic::new(
            Code::NotText,
            "file holds binary data (a NUL byte), not text".into(),
            at,
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        Diagnostic::new(
            Code::NotText,
            format!(
                "file is not UTF-8 text (invalid byte at offset {})",
                e.valid_up_to()
            ),
            at,
        )
    })?;
    if text.trim().is_empty() {
        return Err(
            Diagnostic::new(Code::EmptyInput, "file is empty".into(), at)
                .help("a facts file needs at least `country:` and `year:`"),
        );
    }
    Ok(text)
}

/// Parses YAML text into a located node tree, within the parser's budget
/// (nesting depth, alias expansion, node count).
pub fn parse_yaml(
    text: &str,
    file: u32,
    sources: &SourceMap,
) -> Result<Spanned<YNode>, Diagnostic> {
    // The deserializer recurses once per level of nesting, with large frames
    // in debug builds: parse on a thread whose stack is sized for the depth
    // limit, whatever stack the caller has (test threads have 2 MiB).
    if shallow(text) {
        return parse_yaml_here(text).map_err(|e| yaml_diagnostic(e, file, sources));
    }
    let parsed = std::thread::scope(|s| {
        std::thread::Builder::new()
            .name("tiers-yaml".into())
            .stack_size(YAML_STACK)
            .spawn_scoped(s, || parse_yaml_here(text))
            .map(|h| h.join())
    });
    let result = match parsed {
        Ok(Ok(r)) => r,
        // no thread could be started: parse on this one
        _ => parse_yaml_here(text),
    };
    result.map_err(|e| yaml_diagnostic(e, file, sources))
}

/// Whether the text surely nests so little that parsing on the caller's
/// stack is safe: every line's indentation plus its open flow brackets
/// (a bound on the nesting depth) stays under 24.
fn shallow(text: &str) -> bool {
    let mut flow = 0usize;
    for line in text.lines() {
        let indent = line.len() - line.trim_start_matches([' ', '-']).len();
        let mut quote: Option<char> = None;
        for c in line.chars() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => continue,
                (None, '"' | '\'') => quote = Some(c),
                (None, '#') => break,
                (None, '[' | '{') => flow += 1,
                (None, ']' | '}') => flow = flow.saturating_sub(1),
                _ => {}
            }
            if indent + flow >= 24 {
                return false;
            }
        }
        if indent >= 24 {
            return false;
        }
    }
    true
}

/// The deepest YAML nesting accepted (a facts file needs five levels).
pub const MAX_YAML_DEPTH: usize = 32;
const YAML_STACK: usize = 64 * 1024 * 1024;

fn parse_yaml_here(text: &str) -> Result<Spanned<YNode>, serde_saphyr::Error> {
    let options = serde_saphyr::options! {
        strict_booleans: true,
        with_snippet: false,
        budget: serde_saphyr::budget! { max_depth: MAX_YAML_DEPTH },
    };
    serde_saphyr::from_str_with_options::<Spanned<YNode>>(text, options)
}

fn yaml_diagnostic(e: serde_saphyr::Error, file: u32, sources: &SourceMap) -> Diagnostic {
    let span = match e.location() {
        Some(loc) if loc.line() > 0 => {
            let off = sources.offset(file, loc.line() as usize, loc.column() as usize);
            Span::new(file, off, off + 1)
        }
        _ => Span::new(file, 0, 0),
    };
    let (code, msg, help) = yaml_words(&e);
    let d = Diagnostic::new(code, msg, span);
    match help {
        Some(h) => d.help(h),
        None => d,
    }
}

/// The YAML library's error in this project's words: a code, a whole
/// lowercase sentence, and a help (never the library's API names or debug
/// output).
fn yaml_words(e: &serde_saphyr::Error) -> (Code, String, Option<String>) {
    use serde_saphyr::budget::BudgetBreach as B;
    use serde_saphyr::Error as E;
    let mut e = e;
    while let E::WithSnippet { error, .. } | E::AliasError { error, .. } = e {
        e = error;
    }
    let limits = || {
        Some(format!(
            "anchors, aliases or nesting go beyond the loader's limits ({MAX_YAML_DEPTH} levels, 250,000 nodes)"
        ))
    };
    let syntax = |m: &str, h: Option<&str>| (Code::YamlSyntax, m.to_string(), h.map(String::from));
    match e {
        E::MultipleDocuments { .. }
        | E::Budget {
            breach: B::Documents { .. },
            ..
        } => syntax(
            "a second YAML document starts here; a facts file holds one",
            Some("remove the `---` line (and what follows it), or split the file in two"),
        ),
        E::Budget {
            breach: B::Depth { .. },
            ..
        } => (
            Code::YamlLimit,
            format!("the YAML nests deeper than {MAX_YAML_DEPTH} levels"),
            limits(),
        ),
        E::Budget {
            breach: B::Nodes { .. },
            ..
        }
        | E::Budget {
            breach: B::Events { .. },
            ..
        } => (
            Code::YamlLimit,
            "the YAML holds more values than the loader accepts".into(),
            limits(),
        ),
        E::Budget { .. }
        | E::AliasReplayCounterOverflow { .. }
        | E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. } => (
            Code::YamlLimit,
            "aliases expand too far (a \"YAML bomb\")".into(),
            limits(),
        ),
        E::UnknownAnchor { .. } => syntax(
            "an alias (`*name`) names no anchor defined before it",
            Some("define the anchor (`&name`) first, or write the value out"),
        ),
        E::RecursiveReferencesRequireWeakTypes { .. } => syntax(
            "an alias refers to the value that holds it (a recursive anchor)",
            Some("write the value out instead of the alias"),
        ),
        E::DuplicateMappingKey { key, .. } => (
            Code::DuplicateKey,
            match key {
                Some(k) => format!("duplicate key `{}`", clip(k, 60)),
                None => "duplicate key".into(),
            },
            None,
        ),
        E::NonFiniteFloat { value, .. } => (
            Code::BadValue,
            format!("`{}` is not a finite number", clip(value, 40)),
            Some("write digits, e.g. `20`, or `null` when not known".into()),
        ),
        E::BinaryNotUtf8 { .. } | E::InvalidUtf8Input => (
            Code::NotText,
            "a `!!binary` value that is not UTF-8 text".into(),
            Some("facts hold text: write the text itself, without `!!binary`".into()),
        ),
        E::InvalidBinaryBase64 { .. } => syntax(
            "a `!!binary` value that is not valid base64",
            Some("write the text itself, without `!!binary`"),
        ),
        E::InvalidScalar { .. } | E::TaggedScalarCannotDeserializeIntoString { .. } => syntax(
            "a value that does not read as its tag (`!!int`, `!!float`, `!!str`...) says",
            Some("drop the tag, or write a value of that kind"),
        ),
        E::UnsupportedTag { tag, .. } => syntax(
            &format!("the tag `{}` is not supported", clip(tag, 40)),
            Some("drop the tag"),
        ),
        E::MergeValueNotMapOrSeqOfMaps { .. } | E::MergeKeyNotAllowed { .. } => syntax(
            "a merge key (`<<`) must be followed by a mapping or a list of mappings",
            None,
        ),
        E::Eof { .. } => syntax("the file ends in the middle of a value", None),
        E::QuotingRequired { .. } => syntax(
            "this value must be quoted",
            Some("write it in quotes: `\"...\"`"),
        ),
        E::IndentationError {
            required, actual, ..
        } => syntax(
            &format!("this line is indented {actual} spaces where {required} are needed"),
            None,
        ),
        E::UnexpectedSequenceEnd { .. }
        | E::UnexpectedMappingEnd { .. }
        | E::ContainerEndMismatch { .. }
        | E::UnexpectedContainerEndWhileReadingKeyNode { .. }
        | E::UnexpectedContainerEndWhileSkippingNode { .. } => syntax(
            "a list or mapping ends where it did not start",
            Some("check the brackets and the indentation above"),
        ),
        // the YAML scanner's own messages ("unclosed quote", "found a tab")
        // are plain English already
        E::ExternalMessage { msg, .. } | E::Message { msg, .. } => {
            let m = first_line(msg);
            let lower = m.to_lowercase();
            if lower.contains("duplicate") {
                (Code::DuplicateKey, m, None)
            } else if lower.contains("recursion limit") || lower.contains("depth") {
                (
                    Code::YamlLimit,
                    format!("the YAML nests deeper than {MAX_YAML_DEPTH} levels"),
                    limits(),
                )
            } else {
                (Code::YamlSyntax, m, None)
            }
        }
        _ => syntax("the YAML does not parse here", None),
    }
}

/// At most `n` characters of `s`, with `…` when cut.
pub(crate) fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut c: String = s.chars().take(n).collect();
        c.push('…');
        c
    }
}

fn first_line(s: &str) -> String {
    let line = s.lines().next().unwrap_or(s).trim();
    // drop a trailing " at line X column Y": the location is shown separately
    let cut = line.find(" at line ").unwrap_or(line.len());
    let mut m = line[..cut].trim_end_matches('.').to_string();
    if let Some(c) = m.chars().next() {
        if c.is_uppercase() && m.chars().nth(1).is_some_and(|d| d.is_lowercase()) {
            m = c.to_lowercase().collect::<String>() + &m[c.len_utf8()..];
        }
    }
    m
}

/// Converts a parsed node tree (top level of a facts or case file).
pub fn from_node(
    pack: &RulePack,
    sources: &SourceMap,
    file: u32,
    node: &Spanned<YNode>,
) -> Result<Facts, Vec<Diagnostic>> {
    let mut t = Typer {
        sources,
        file,
        diags: vec![],
        tiers: pack.tier_variants.clone(),
    };
    let YNode::Map(entries) = &node.value else {
        let span = t.span(node);
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
    let mut expect = None;
    let mut rest = vec![];
    for (k, v) in entries {
        if matches!(&k.value, YNode::Str(s) if s == "expect") {
            expect = Some(t.expect(pack, v));
        } else {
            rest.push((k.clone(), v.clone()));
        }
    }
    let top = Spanned {
        value: YNode::Map(rest),
        referenced: node.referenced,
        defined: node.defined,
    };
    let before = t.diags.len();
    let root = t.record(&top, &pack.root, "", true);
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
            if let Some((code, msg, help)) = edition_problem(name, v) {
                let span = value_of(name)
                    .map(|v| t.span(v))
                    .unwrap_or(Span::new(file, 0, 0));
                t.diags.push(Diagnostic::new(code, msg, span).help(help));
            }
        }
    }
    // the history stated, when the rest of the file typed cleanly
    if t.diags.len() == before {
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
    if t.diags.is_empty() {
        Ok(Facts {
            path: sources.path(file).to_string(),
            root,
            expect,
        })
    } else {
        Err(t.diags)
    }
}

/// What is wrong with an edition year: not a whole number, or in the
/// future (a typo, not a report).
fn edition_problem(name: &str, value: &Fact) -> Option<(Code, String, String)> {
    let Fact::Num(year) = value else {
        return None;
    };
    if year.fract() != 0.0 {
        return Some((
            Code::BadValue,
            format!(
                "`{name}` is {}; a year is a whole number",
                crate::text::num::fmt_num(*year)
            ),
            format!("write the report edition, e.g. `{}`", year.round()),
        ));
    }
    let this_year = current_year();
    if *year > this_year + 1.0 {
        return Some((
            Code::BadValue,
            format!(
                "`{name}` is {}, which is in the future",
                crate::text::num::fmt_num(*year)
            ),
            format!(
                "the report edition is a year up to {}",
                crate::text::num::fmt_num(this_year + 1.0)
            ),
        ));
    }
    None
}

/// A number outside the range the pack declares for its field.
fn range_problem(
    field: &crate::pack::FieldTy,
    path: &str,
    value: &Fact,
) -> Option<(Code, String, Option<String>)> {
    let (Fact::Num(n), Some((lo, hi))) = (value, field.range) else {
        return None;
    };
    let low = lo.is_some_and(|l| *n < l);
    let high = hi.is_some_and(|h| *n > h);
    if !low && !high {
        return None;
    }
    let num = crate::text::num::fmt_num;
    let want = match (lo, hi) {
        (Some(l), Some(h)) => format!("from {} to {}", num(l), num(h)),
        (Some(l), None) => format!("at least {}", num(l)),
        (None, Some(h)) => format!("at most {}", num(h)),
        (None, None) => String::new(),
    };
    Some((
        Code::BadValue,
        format!("`{path}` is {}; it must be {want}", num(*n)),
        Some("the rule pack declares this range".into()),
    ))
}

/// What is wrong with the value of one field beyond its type, by the
/// checks the loader makes of facts files: a required field without a
/// value, a number outside the range the pack declares, an edition year
/// that is not a whole number or lies in the future. Values that do not
/// come from a facts file (`--set`, a scenario's `set:`, a lever) get the
/// same checks through this function. `path` names the field in messages.
pub fn field_problem(
    field: &crate::pack::FieldTy,
    is_edition: bool,
    path: &str,
    value: &Fact,
) -> Option<(Code, String, Option<String>)> {
    if field.required && value.is_null() {
        return Some((
            Code::MissingField,
            format!("`{path}` is required"),
            Some("give it a value: a required field cannot be null (not known)".into()),
        ));
    }
    if let Some(p) = range_problem(field, path, value) {
        return Some(p);
    }
    if is_edition {
        return edition_problem(path, value).map(|(c, m, h)| (c, m, Some(h)));
    }
    None
}

/// [`field_problem`] for a value set at a resolved path (`--set`, a
/// scenario's `set:`, a lever): the checks of the field the path ends at,
/// if it ends at a field (an element of a list has none of its own).
pub fn path_problem(
    root: &RecTy,
    edition_field: Option<usize>,
    segs: &[crate::pack::PathSeg],
    path: &str,
    value: &Fact,
) -> Option<(Code, String, Option<String>)> {
    use crate::pack::PathSeg;
    let mut rec: Option<Rc<RecTy>> = None;
    let mut ty: Option<Ty> = None;
    let mut last: Option<crate::pack::FieldTy> = None;
    for (k, seg) in segs.iter().enumerate() {
        match seg {
            PathSeg::Field(i, _) => {
                let fields = match (k, &rec) {
                    (0, _) => &root.fields,
                    (_, Some(r)) => &r.fields,
                    _ => return None,
                };
                let f = fields.get(*i)?.clone();
                ty = Some(f.ty.clone());
                last = Some(f);
            }
            PathSeg::Each | PathSeg::Index(_) => {
                last = None;
                ty = match ty {
                    Some(Ty::List(elem)) => Some(*elem),
                    _ => return None,
                };
            }
        }
        rec = match &ty {
            Some(Ty::Record(r)) => Some(r.clone()),
            _ => None,
        };
    }
    let field = last?;
    let is_edition = segs.len() == 1
        && matches!(segs.first(), Some(PathSeg::Field(i, _)) if Some(*i) == edition_field);
    field_problem(&field, is_edition, path, value)
}

struct Typer<'a> {
    sources: &'a SourceMap,
    file: u32,
    diags: Vec<Diagnostic>,
    tiers: Rc<Vec<String>>,
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

impl Typer<'_> {
    fn span(&self, n: &Spanned<YNode>) -> Span {
        let loc = n.referenced;
        let off = self
            .sources
            .offset(self.file, loc.line() as usize, loc.column() as usize);
        Span::new(self.file, off, off + 1)
    }

    fn error(&mut self, code: Code, msg: String, n: &Spanned<YNode>) -> &mut Diagnostic {
        let span = self.span(n);
        self.diags.push(Diagnostic::new(code, msg, span));
        let last = self.diags.len() - 1;
        &mut self.diags[last]
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
                let d = self.error(
                    Code::BadValue,
                    format!("`history[{k}].year` is {shown}; a year is a whole number"),
                    yn,
                );
                d.help = Some(format!("write the edition's year, e.g. `{}`", year.round()));
                continue;
            }
            if let Some(ed) = edition.filter(|e| year >= *e) {
                let d = self.error(
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
                let d = self.error(Code::BadValue, msg, yn);
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
            self.error(
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
                    self.error(
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
                        self.error(Code::DuplicateKey, format!("duplicate key `{full}`"), k);
                        continue;
                    }
                    seen[i] = true;
                    let before = self.diags.len();
                    fields[i] = self.value(v, &rec.fields[i].ty, &full);
                    wrong[i] = self.diags.len() > before;
                    if let Fact::Num(_) = &fields[i] {
                        // the range (the edition's checks come once the record is whole)
                        if let Some((code, msg, help)) =
                            range_problem(&rec.fields[i], &full, &fields[i])
                        {
                            let d = self.error(code, msg, v);
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
                    let d = self.error(Code::UnknownKey, format!("unknown key `{full}`"), k);
                    d.help = Some(help);
                }
            }
        }
        for (i, f) in rec.fields.iter().enumerate() {
            if f.required && !wrong[i] && (!seen[i] || fields[i].is_null()) {
                let full = join(path, &f.name);
                let d = self.error(Code::MissingField, format!("`{full}` is required"), n);
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
            Ty::Bool => match &n.value {
                YNode::Bool(b) => Fact::Bool(*b),
                other => {
                    let help = match other {
                        YNode::Str(s) if is_yaml11_bool(s) => Some(format!(
                            "YAML 1.2 reads `{s}` as text, not a bool: write `{}`",
                            if is_yaml11_true(s) { "true" } else { "false" }
                        )),
                        _ => Some("write `true`, `false` or `null` (not known)".to_string()),
                    };
                    let found = describe_value(other);
                    let d = self.error(
                        Code::WrongType,
                        format!("`{path}` must be true or false, found {found}"),
                        n,
                    );
                    d.help = help;
                    Fact::Null
                }
            },
            Ty::Num => match &n.value {
                YNode::Int(i) => {
                    if i.unsigned_abs() > (1u128 << 53) {
                        self.error(
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
                    self.error(
                        Code::BadValue,
                        format!("`{path}` is too large a number ({f})"),
                        n,
                    );
                    Fact::Null
                }
                YNode::Float(f) => {
                    self.error(
                        Code::BadValue,
                        format!("`{path}` must be a finite number, found {f}"),
                        n,
                    );
                    Fact::Null
                }
                other => {
                    let found = describe_value(other);
                    let d = self.error(
                        Code::WrongType,
                        format!("`{path}` must be a number, found {found}"),
                        n,
                    );
                    d.help = Some("write digits, e.g. `20`, or `null` when not known".into());
                    Fact::Null
                }
            },
            Ty::Text => match &n.value {
                YNode::Str(s) => Fact::Text(s.as_str().into()),
                other => {
                    let found = describe_value(other);
                    let d = self.error(
                        Code::WrongType,
                        format!("`{path}` must be text, found {found}"),
                        n,
                    );
                    d.help = Some("quote it: `\"...\"`".into());
                    Fact::Null
                }
            },
            Ty::Enum(variants) => {
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
                        let listed: Vec<String> =
                            variants.iter().map(|v| format!("\"{v}\"")).collect();
                        let hint = did_you_mean(&s, variants.iter().map(String::as_str));
                        let d = self.error(
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
                        self.error(
                            Code::WrongType,
                            format!("`{path}` must be one of the listed words, found {found}"),
                            n,
                        );
                        Fact::Null
                    }
                }
            }
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
                    let d = self.error(
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

    fn expect(&mut self, pack: &RulePack, n: &Spanned<YNode>) -> Expect {
        let mut out = Expect::default();
        let YNode::Map(entries) = &n.value else {
            if !matches!(n.value, YNode::Null) {
                self.error(
                    Code::BadExpect,
                    "`expect` must be a mapping with `tier` and `criteria`".into(),
                    n,
                );
            }
            return out;
        };
        for (k, v) in entries {
            let key = match &k.value {
                YNode::Str(s) => s.as_str(),
                _ => "",
            };
            match key {
                "tier" => {
                    let s = match &v.value {
                        YNode::Str(s) => Some(s.clone()),
                        YNode::Int(i) => Some(i.to_string()),
                        _ => None,
                    };
                    match s {
                        Some(s) if pack.tier_variants.contains(&s) || s == "undecided" => {
                            out.tier = Some((s, self.span(v)));
                        }
                        other => {
                            let listed: Vec<String> = pack
                                .tier_variants
                                .iter()
                                .map(|v| format!("\"{v}\""))
                                .collect();
                            let shown = other.unwrap_or_else(|| describe_value(&v.value));
                            let hint =
                                did_you_mean(&shown, pack.tier_variants.iter().map(String::as_str));
                            let d = self.error(
                                Code::BadTier,
                                format!(
                                    "`expect.tier` is `{shown}`, which is not one of {}",
                                    listed.join(", ")
                                ),
                                v,
                            );
                            d.help = hint.map(|h| format!("did you mean `\"{h}\"`?"));
                        }
                    }
                }
                "criteria" => {
                    let YNode::Map(cs) = &v.value else {
                        self.error(
                            Code::BadExpect,
                            "`expect.criteria` must map criterion ids to outcomes".into(),
                            v,
                        );
                        continue;
                    };
                    for (ck, cv) in cs {
                        let id = match &ck.value {
                            YNode::Str(s) => s.clone(),
                            other => describe_value(other),
                        };
                        if pack.criterion_index(&id).is_none() {
                            let hint =
                                did_you_mean(&id, pack.criteria.iter().map(|c| c.id.as_str()));
                            let d = self.error(
                                Code::BadExpect,
                                format!("`expect.criteria` names unknown criterion `{id}`"),
                                ck,
                            );
                            d.help = hint.map(|h| format!("did you mean `{h}`?"));
                            continue;
                        }
                        let word = match &cv.value {
                            YNode::Str(s) => s.clone(),
                            other => describe_value(other),
                        };
                        match Outcome::parse(&word) {
                            Some(o) => {
                                let span = self.span(ck);
                                out.criteria.push((id, o, span));
                            }
                            None => {
                                let hint =
                                    did_you_mean(&word, Outcome::ALL.iter().map(|o| o.as_str()));
                                let d = self.error(
                                    Code::BadExpect,
                                    format!("`expect.criteria.{id}` is `{word}`, not an outcome"),
                                    cv,
                                );
                                d.help = Some(match hint {
                                    Some(h) => format!("did you mean `{h}`?"),
                                    None => "write met, not_met, unknown or not_applicable".into(),
                                });
                            }
                        }
                    }
                }
                "placement" => {
                    let name = match &v.value {
                        YNode::Str(s) => s.clone(),
                        other => describe_value(other),
                    };
                    if pack.steps.iter().any(|st| st.name == name) {
                        out.placement = Some((name, self.span(v)));
                    } else {
                        let hint =
                            did_you_mean(&name, pack.steps.iter().map(|st| st.name.as_str()));
                        let d = self.error(
                            Code::BadExpect,
                            format!("`expect.placement` names unknown placement step `{name}`"),
                            v,
                        );
                        d.help = hint.map(|h| format!("did you mean `{h}`?"));
                    }
                }
                other => {
                    let hint = did_you_mean(other, ["tier", "criteria", "placement"]);
                    let d =
                        self.error(Code::UnknownKey, format!("unknown key `expect.{other}`"), k);
                    d.help = Some(match hint {
                        Some(h) => format!("did you mean `expect.{h}`?"),
                        None => "`expect` has `tier`, `criteria` and `placement`".into(),
                    });
                }
            }
        }
        out
    }
}

fn describe_value(n: &YNode) -> String {
    match n {
        YNode::Str(s) => format!("text \"{}\"", clip(s, 40)),
        YNode::Int(i) => format!("the number {i}"),
        YNode::Float(f) => format!("the number {f}"),
        YNode::Bool(b) => format!("`{b}`"),
        other => other.describe().to_string(),
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
    let mut t = Typer {
        sources,
        file,
        diags: vec![],
        tiers: pack.tier_variants.clone(),
    };
    let v = t.value(&node, ty, path);
    if t.diags.is_empty() {
        Ok(v)
    } else {
        Err(t.diags)
    }
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
    let mut t = Typer {
        sources,
        file,
        diags: vec![],
        tiers: pack.tier_variants.clone(),
    };
    let v = t.value(node, ty, path);
    if t.diags.is_empty() {
        Ok(v)
    } else {
        Err(t.diags)
    }
}

/// The span of a located node in `sources`.
pub fn node_span(sources: &SourceMap, file: u32, n: &Spanned<YNode>) -> Span {
    let loc = n.referenced;
    let off = sources.offset(file, loc.line() as usize, loc.column() as usize);
    Span::new(file, off, off + 1)
}

/// Reads only the `expect:` entry of a document (used by scenario files).
pub fn expect_only(
    pack: &RulePack,
    sources: &SourceMap,
    file: u32,
    doc: &Spanned<YNode>,
) -> Result<Option<Expect>, Vec<Diagnostic>> {
    let mut t = Typer {
        sources,
        file,
        diags: vec![],
        tiers: pack.tier_variants.clone(),
    };
    let mut out = None;
    if let YNode::Map(entries) = &doc.value {
        for (k, v) in entries {
            if matches!(&k.value, YNode::Str(s) if s == "expect") {
                out = Some(t.expect(pack, v));
            }
        }
    }
    if t.diags.is_empty() {
        Ok(out)
    } else {
        Err(t.diags)
    }
}

/// The facts as JSON, with the schema's field names (for other tools, and
/// for the peer-engine comparison).
pub fn to_json(rec: &RecTy, f: &Fact) -> serde_json::Value {
    fn go(ty: &Ty, f: &Fact) -> serde_json::Value {
        match (ty, f) {
            (_, Fact::Null) => serde_json::Value::Null,
            (_, Fact::Bool(b)) => serde_json::Value::Bool(*b),
            (_, Fact::Num(n)) => {
                if n.fract() == 0.0 && n.abs() < 9e15 {
                    serde_json::json!(*n as i64)
                } else {
                    serde_json::json!(n)
                }
            }
            (_, Fact::Text(t)) => serde_json::Value::String(t.to_string()),
            (Ty::List(elem), Fact::List(xs)) => {
                serde_json::Value::Array(xs.iter().map(|x| go(elem, x)).collect())
            }
            (Ty::Record(r), Fact::Record(fs)) => to_json(r, &Fact::Record(fs.clone())),
            _ => serde_json::Value::Null,
        }
    }
    let mut m = serde_json::Map::new();
    if let Fact::Record(fields) = f {
        for (ft, v) in rec.fields.iter().zip(fields) {
            m.insert(ft.name.to_string(), go(&ft.ty, v));
        }
    }
    serde_json::Value::Object(m)
}

/// Checks facts that were changed after loading (`--set`, a scenario's
/// `set:`) with every check of the loader, as if they were a facts file:
/// the facts are written out as JSON (which is YAML) and read back. The
/// diagnostics name the YAML path; their spans point into that text.
pub fn recheck(pack: &RulePack, facts: &Facts) -> Result<(), Vec<Diagnostic>> {
    let text = serde_json::to_string_pretty(&to_json(&pack.root, &facts.root)).unwrap_or_default();
    let mut sources = SourceMap::default();
    let id = sources.add("(the changed facts)", text);
    let node = parse_yaml(sources.text(id), id, &sources).map_err(|d| vec![d])?;
    from_node(pack, &sources, id, &node).map(|_| ())
}

/// The current calendar year (UTC), from the system clock.
fn current_year() -> f64 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    // days since 1970-01-01 to a civil year (Howard Hinnant's algorithm)
    let days = (secs / 86_400) as i64 + 719_468;
    let era = days.div_euclid(146_097);
    let doe = days - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    year as f64
}

/// The fact a lever's constant sets.
pub fn lever_value(c: &Const) -> Fact {
    match c {
        Const::Null => Fact::Null,
        Const::Bool(b) => Fact::Bool(*b),
        Const::Num(n) => Fact::Num(*n),
        Const::Text(t) => Fact::Text(t.clone()),
    }
}
