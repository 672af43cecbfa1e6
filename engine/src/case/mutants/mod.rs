//! Mutation testing of a rule pack: small changes to the compiled pack,
//! made in memory (nothing is parsed or checked again), and, for each, the
//! first case whose `expect:` block notices it. A mutant that no case
//! notices marks a part of the rules the cases do not pin down.
//!
//! Mutants are made only where a change can move a decision: the
//! conditions and results of criteria, judgments and placement steps, the
//! `let`s and defs they read (and the `history_*` defs, which later years'
//! histories read), and the dated parameters. Wording (`because`
//! templates, the rationale, warnings) is left alone: no `expect:` can see
//! it. A change written once in the source (a def inlined at each call)
//! is one mutant, made at every copy.
//!
//! One job a file: `make` (deriving the mutants), `apply` (a mutant's
//! change made to a pack), `walk` (walking compiled expressions), `text`
//! (the source text shown for a mutant); here, the mutant types and the
//! run against the cases.

mod apply;
mod make;
mod text;
mod walk;

pub use make::mutants;

use crate::case::{self, Expect, LoadOptions, Loader};
use crate::diag::Span;
use crate::eval::{decide, Decision};
use crate::pack::{Const, RulePack};
use crate::syntax::ast::BinOp;
use std::path::PathBuf;

/// What a mutant changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A comparison negated: `<` to `>=`, `=` to `!=`.
    Negated,
    /// A comparison's boundary moved: `<` to `<=`, `>=` to `>`.
    Boundary,
    /// `and` and `or` swapped.
    AndOr,
    /// A number written in a condition moved by one.
    Number,
    /// A dated parameter's value moved by one (a bool flipped).
    Parameter,
    /// The edition a dated value takes effect from moved by one year.
    ParameterYear,
    /// A branch gives another outcome.
    Outcome,
    /// A branch deleted.
    Deleted,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Negated,
        Kind::Boundary,
        Kind::AndOr,
        Kind::Number,
        Kind::Parameter,
        Kind::ParameterYear,
        Kind::Outcome,
        Kind::Deleted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Negated => "comparison negated",
            Kind::Boundary => "comparison boundary",
            Kind::AndOr => "and/or swapped",
            Kind::Number => "number moved",
            Kind::Parameter => "parameter value moved",
            Kind::ParameterYear => "parameter year moved",
            Kind::Outcome => "branch outcome changed",
            Kind::Deleted => "branch deleted",
        }
    }
}

/// Which rule a branch belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    Criterion(usize),
    Judgment(usize),
    Step(usize),
}

#[derive(Debug, Clone)]
enum Change {
    Op {
        at: Span,
        to: BinOp,
    },
    Num {
        at: Span,
        to: f64,
    },
    ParamValue {
        param: usize,
        index: usize,
        to: Const,
    },
    ParamYear {
        param: usize,
        index: usize,
        to: f64,
    },
    Result {
        rule: Rule,
        branch: usize,
        to: Const,
    },
    Delete {
        rule: Rule,
        branch: usize,
    },
}

/// One mutant of a pack.
#[derive(Debug, Clone)]
pub struct Mutant {
    pub kind: Kind,
    /// `file:line:col` of the change.
    pub location: String,
    /// What changed, e.g. "`>=` -> `>`".
    pub change: String,
    /// The source line as written (trimmed).
    pub before: String,
    /// The same line with the change made (trimmed), or "(branch deleted)".
    pub after: String,
    /// Byte offset in its file, for ordering.
    order: (u32, u32),
    what: Change,
}

fn holds(pack: &RulePack, expect: &Expect, d: &Decision) -> bool {
    case::unmet(expect, d.tier.as_deref(), d.placed_by.as_deref(), |id| {
        pack.criterion_index(id)
            .and_then(|i| d.outcomes.get(i).copied())
    })
    .is_empty()
}

/// The result of a mutation run.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub mutants: Vec<Mutant>,
    /// For each mutant, the case that noticed it (`None`: it survived).
    pub killed_by: Vec<Option<String>>,
    /// The cases whose `expect:` held on the pack as it is (the ones run
    /// against each mutant).
    pub cases: Vec<String>,
    /// Cases whose `expect:` does not hold on the pack as it is (or that
    /// do not load): they are left out.
    pub failing: Vec<String>,
}

impl Report {
    pub fn killed(&self) -> usize {
        self.killed_by.iter().filter(|k| k.is_some()).count()
    }

    /// The mutants no case noticed.
    pub fn survivors(&self) -> impl Iterator<Item = &Mutant> {
        self.mutants
            .iter()
            .zip(&self.killed_by)
            .filter(|(_, k)| k.is_none())
            .map(|(m, _)| m)
    }
}

/// Runs the `expect:` block of every case under `paths` against every
/// mutant of `pack`. A mutant is killed by the first case whose `expect:`
/// held on the pack as it is and fails on the mutant; the history of a
/// multi-year case is derived again under each mutant.
pub fn run(pack: &RulePack, paths: &[PathBuf], opts: LoadOptions) -> Report {
    let mut loader = Loader::new(opts);
    let mut report = Report::default();
    let mut cases: Vec<(PathBuf, Expect)> = vec![];
    for file in case::collect(paths) {
        let shown = file.display().to_string();
        match loader.load_case(pack, &file) {
            Ok(c) => {
                let Some(expect) = c.expect else {
                    continue;
                };
                if !case::checks_nothing(&expect) && holds(pack, &expect, &decide(pack, &c.facts)) {
                    cases.push((file, expect));
                    report.cases.push(shown);
                } else {
                    report.failing.push(shown);
                }
            }
            Err(_) => report.failing.push(shown),
        }
    }
    report.mutants = mutants(pack);
    // the case that killed the last mutant is tried first
    let mut first = 0;
    for m in &report.mutants {
        let mp = m.apply(pack);
        loader.forget();
        let order = std::iter::once(first).chain((0..cases.len()).filter(|i| *i != first));
        let mut killer = None;
        for i in order {
            let Some((file, expect)) = cases.get(i) else {
                continue;
            };
            let dies = match loader.load(&mp, file) {
                Ok((facts, _)) => !holds(&mp, expect, &decide(&mp, &facts)),
                Err(_) => true,
            };
            if dies {
                killer = Some(i);
                break;
            }
        }
        if let Some(i) = killer {
            first = i;
        }
        report
            .killed_by
            .push(killer.map(|i| cases[i].0.display().to_string()));
    }
    report
}
