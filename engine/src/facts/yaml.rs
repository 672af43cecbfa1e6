//! YAML text to a located node tree: the checks of an input file's bytes
//! (size, text, UTF-8), the parser's budget (nesting, aliases, nodes), and
//! the parser's errors in this project's words. Knows YAML, not the schema.

use crate::diag::{Code, Diagnostic, SourceMap, Span};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;

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
    pub(crate) fn describe(&self) -> &'static str {
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

/// A diagnostic's code, message and help.
type Words = (Code, String, Option<String>);

/// The YAML library's error in this project's words: a code, a whole
/// lowercase sentence, and a help (never the library's API names or debug
/// output). The error is classified by its variant (and, for the YAML
/// scanner's errors, by the scanner's error kind), never by its text.
fn yaml_words(e: &serde_saphyr::Error) -> Words {
    use serde_saphyr::Error as E;
    let mut e = e;
    while let E::WithSnippet { error, .. } | E::AliasError { error, .. } = e {
        e = error;
    }
    limit_words(e)
        .or_else(|| value_words(e))
        .or_else(|| structure_words(e))
        .unwrap_or_else(|| scanner_words(e))
}

fn syntax(m: &str, h: Option<&str>) -> Words {
    (Code::YamlSyntax, m.to_string(), h.map(String::from))
}

fn limits() -> Option<String> {
    Some(format!(
        "anchors, aliases or nesting go beyond the loader's limits ({MAX_YAML_DEPTH} levels, 250,000 nodes)"
    ))
}

fn too_deep() -> Words {
    (
        Code::YamlLimit,
        format!("the YAML nests deeper than {MAX_YAML_DEPTH} levels"),
        limits(),
    )
}

/// The loader's budget: documents, nesting, nodes, alias expansion.
fn limit_words(e: &serde_saphyr::Error) -> Option<Words> {
    use serde_saphyr::budget::BudgetBreach as B;
    use serde_saphyr::Error as E;
    Some(match e {
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
        } => too_deep(),
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
        _ => return None,
    })
}

/// Values the library refuses: anchors, keys, numbers, tags, merges.
fn value_words(e: &serde_saphyr::Error) -> Option<Words> {
    use serde_saphyr::Error as E;
    Some(match e {
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
        _ => return None,
    })
}

/// The document's shape: where it ends, indentation, quoting, brackets.
fn structure_words(e: &serde_saphyr::Error) -> Option<Words> {
    use serde_saphyr::Error as E;
    Some(match e {
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
        _ => return None,
    })
}

/// The YAML scanner's own errors, by their kind; their messages ("unclosed
/// quote", "found a tab") are plain English already.
fn scanner_words(e: &serde_saphyr::Error) -> Words {
    use serde_saphyr::granit_parser::ErrorKind as K;
    use serde_saphyr::{Error as E, ExternalMessageSource as S};
    match e {
        E::ExternalMessage { source, msg, .. } => match &**source {
            S::Parser(scan) => match scan.kind() {
                K::RecursionLimitExceeded => too_deep(),
                // a second `%YAML` directive for one document
                K::DuplicateVersionDirective => (Code::DuplicateKey, first_line(msg), None),
                _ => (Code::YamlSyntax, first_line(msg), None),
            },
            _ => (Code::YamlSyntax, first_line(msg), None),
        },
        E::Message { msg, .. } => (Code::YamlSyntax, first_line(msg), None),
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

/// A value as shown in messages: its kind, and its text or number.
pub(crate) fn describe_value(n: &YNode) -> String {
    match n {
        YNode::Str(s) => format!("text \"{}\"", clip(s, 40)),
        YNode::Int(i) => format!("the number {i}"),
        YNode::Float(f) => format!("the number {f}"),
        YNode::Bool(b) => format!("`{b}`"),
        other => other.describe().to_string(),
    }
}

/// The problems found in one YAML file, each placed at a node.
pub struct Problems<'a> {
    pub sources: &'a SourceMap,
    pub file: u32,
    pub diags: Vec<Diagnostic>,
}

impl<'a> Problems<'a> {
    pub fn new(sources: &'a SourceMap, file: u32) -> Problems<'a> {
        Problems {
            sources,
            file,
            diags: vec![],
        }
    }

    /// Where a node is.
    pub fn span(&self, n: &Spanned<YNode>) -> Span {
        node_span(self.sources, self.file, n)
    }

    /// Adds a problem at a node; returns it for a help to be added.
    pub fn error(&mut self, code: Code, msg: String, n: &Spanned<YNode>) -> &mut Diagnostic {
        let span = self.span(n);
        self.diags.push(Diagnostic::new(code, msg, span));
        let last = self.diags.len() - 1;
        &mut self.diags[last]
    }

    /// `value` when no problem was found, else the problems.
    pub fn result<T>(self, value: T) -> Result<T, Vec<Diagnostic>> {
        if self.diags.is_empty() {
            Ok(value)
        } else {
            Err(self.diags)
        }
    }
}

/// The span of a located node in `sources`.
pub fn node_span(sources: &SourceMap, file: u32, n: &Spanned<YNode>) -> Span {
    let loc = n.referenced;
    let off = sources.offset(file, loc.line() as usize, loc.column() as usize);
    Span::new(file, off, off + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(text: &str) -> Diagnostic {
        let mut sources = SourceMap::default();
        let id = sources.add("t.yaml", text);
        match parse_yaml(sources.text(id), id, &sources) {
            Ok(_) => panic!("{text:?} parses"),
            Err(d) => d,
        }
    }

    /// The parser's errors are told apart by their kind, not their text.
    #[test]
    fn the_parsers_errors_are_classified_by_kind() {
        let d = refused("a: 1\na: 2\n");
        assert_eq!(
            (d.code, d.message.as_str()),
            (Code::DuplicateKey, "duplicate key `a`")
        );
        let d = refused(&format!("a: {}1{}", "[".repeat(40), "]".repeat(40)));
        assert_eq!(d.code, Code::YamlLimit);
        assert!(d.message.contains("nests deeper"), "{}", d.message);
        let d = refused("%YAML 1.2\n%YAML 1.2\n---\na: 1\n");
        assert_eq!(d.code, Code::DuplicateKey, "{}", d.message);
        let d = refused("%TAG !a! tag:x,2000:\n%TAG !a! tag:y,2000:\n---\na: 1\n");
        assert_eq!(d.code, Code::YamlSyntax, "{}", d.message);
        let d = refused("a: [1, 2\n");
        assert_eq!(d.code, Code::YamlSyntax, "{}", d.message);
        let d = refused("a: 1\n---\nb: 2\n");
        assert_eq!(d.code, Code::YamlSyntax);
        assert!(d.message.contains("second YAML document"), "{}", d.message);
    }
}
