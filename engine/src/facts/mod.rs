//! YAML -> typed facts, checked against the facts schema the rule pack
//! declares. Every problem names the YAML path, the file and the line.
//!
//! One job a file: `yaml` (bytes to a located YAML tree; the parser's
//! errors in this project's words), `typing` (the tree to typed facts
//! against the schema), `paths` (a field value's checks beyond its type),
//! `json` (facts out as JSON) and `calendar` (the current year). Facts
//! carry no test expectations: a case's `expect:` is read in `case`.

mod calendar;
mod json;
mod paths;
mod typing;
mod yaml;

pub use calendar::this_year;
pub use json::to_json;
pub use paths::{field_problem, path_problem};
pub use typing::{from_node, typed_node, typed_value};
pub(crate) use yaml::{clip, describe_value};
pub use yaml::{node_span, parse_yaml, text_of, Problems, YNode, MAX_YAML_DEPTH};

use crate::diag::{Diagnostic, SourceMap};
use crate::pack::{Const, RulePack};
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

/// One facts file, loaded and checked (a case's `expect:` is not part of
/// it: see `case::Case`).
#[derive(Debug, Clone)]
pub struct Facts {
    pub path: String,
    pub root: Fact,
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

/// Checks facts that were changed after loading (`--set`, a scenario's
/// `set:`) with every check of the loader, as if they were a facts file:
/// the facts are written out as JSON (which is YAML) and read back. The
/// diagnostics name the YAML path; their spans point into that text. An
/// edition may not lie after `this_year` + 1.
pub fn recheck(pack: &RulePack, facts: &Facts, this_year: i32) -> Result<(), Vec<Diagnostic>> {
    let text = serde_json::to_string_pretty(&to_json(&pack.root, &facts.root)).unwrap_or_default();
    let mut sources = SourceMap::default();
    let id = sources.add("(the changed facts)", text);
    let node = parse_yaml(sources.text(id), id, &sources).map_err(|d| vec![d])?;
    from_node(pack, &sources, id, &node, this_year).map(|_| ())
}
