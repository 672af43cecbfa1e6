//! The evaluator's state, [`Ev`]: the pack and facts it reads, the memo
//! tables of criteria and judgments, the log of facts read, the tier placed
//! so far and the limits' counters. The rules, expressions and outputs are
//! its methods in the sibling files.

use super::result::{Read, Source};
use super::value::{path_string, PathNode, Value};
use crate::facts::Fact;
use crate::pack::{Outcome, RulePack};
use serde_json::Value as Json;
use std::rc::Rc;

#[derive(Debug, Clone)]
pub(super) struct CritMemo {
    pub(super) outcome: Outcome,
    pub(super) because: String,
    pub(super) exception: Option<String>,
    pub(super) branch: Option<usize>,
    pub(super) reads: Vec<Read>,
}

#[derive(Debug, Clone)]
pub(super) struct JudgMemo {
    pub(super) value: Json,
    pub(super) source: Source,
    pub(super) because: String,
    pub(super) reads: Vec<Read>,
    pub(super) branch: Option<usize>,
}

pub(super) struct Ev<'a> {
    /// Record facts read and render reasons; off for the fast path.
    pub(super) explain: bool,
    pub(super) pack: &'a RulePack,
    pub(super) root: &'a Fact,
    pub(super) edition: Option<f64>,
    pub(super) crit: Vec<Option<CritMemo>>,
    pub(super) judg: Vec<Option<JudgMemo>>,
    pub(super) judg_values: Vec<Option<Value<'a>>>,
    pub(super) busy: Vec<bool>,
    pub(super) reads: Vec<Read>,
    pub(super) tier: Option<Rc<str>>,
    pub(super) results: Option<Rc<Vec<Value<'a>>>>,
    /// Every criterion has been evaluated: `criteria` may be read.
    pub(super) criteria_done: bool,
    pub(super) steps: u64,
    pub(super) exhausted: bool,
    /// How deep `eval` is nested now, and whether it passed [`super::MAX_EVAL_DEPTH`].
    pub(super) depth: usize,
    pub(super) too_deep: bool,
    /// Whether a text value passed [`super::MAX_TEXT`].
    pub(super) oversized: bool,
}

impl<'a> Ev<'a> {
    pub(super) fn new(pack: &'a RulePack, root: &'a Fact) -> Ev<'a> {
        let edition = match (root, pack.edition_field) {
            (Fact::Record(f), Some(i)) => match f.get(i) {
                Some(Fact::Num(n)) => Some(*n),
                _ => None,
            },
            _ => None,
        };
        Ev {
            explain: true,
            pack,
            root,
            edition,
            crit: vec![None; pack.criteria.len()],
            judg: vec![None; pack.judgments.len()],
            judg_values: vec![None; pack.judgments.len()],
            busy: vec![false; pack.criteria.len()],
            reads: vec![],
            tier: None,
            results: None,
            criteria_done: false,
            steps: 0,
            exhausted: false,
            depth: 0,
            too_deep: false,
            oversized: false,
        }
    }

    pub(super) fn log_at(&mut self, path: &Option<Rc<PathNode>>, value: Json) {
        if self.explain {
            self.reads.push(Read {
                path: path_string(path),
                value,
                param: false,
            });
        }
    }

    pub(super) fn log(&mut self, path: String, value: Json) {
        if self.explain {
            self.reads.push(Read {
                path,
                value,
                param: false,
            });
        }
    }

    /// A pack parameter read, under the name `param NAME`.
    pub(super) fn log_param(&mut self, name: &str, value: Json) {
        if self.explain {
            self.reads.push(Read {
                path: format!("param {name}"),
                value,
                param: true,
            });
        }
    }
}
