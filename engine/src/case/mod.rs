//! Case files: a facts file, optionally with an `expect:` block, read from
//! disk and checked against a pack. A case is its facts, what its
//! `expect:` says and its history ([`Case`]).
//!
//! One job a file: `read` (a case file's bytes to facts or a scenario),
//! `load` (the [`Loader`]: scenarios' bases, earlier years' histories),
//! `expect` (the `expect:` block, and what a result leaves unmet), `test`
//! (`tiers test` and coverage). Over the cases loaded here: `agreement`
//! (`tiers test --agreement`) and `mutants` (`tiers test --mutants`).

pub mod agreement;
pub mod expect;
mod load;
pub mod mutants;
mod read;
mod test;

pub use expect::{checks_nothing, unmet, Expect, Unmet, UNDECIDED};
pub use load::Loader;
pub use read::read_scenario_file;
pub use test::{coverage, run_tests, CoverageRow, TestReport};

use crate::diag::{Failure, SourceMap};
use crate::facts::{self, Fact, Facts};
use crate::pack::RulePack;
use crate::whatif::scenario;
use std::path::{Path, PathBuf};

/// Options that change how facts are read.
#[derive(Debug, Clone, Copy)]
pub struct LoadOptions {
    /// Drop the reviewer's findings so the recommendation rests on
    /// objective facts alone.
    pub no_findings: bool,
    /// The current calendar year: an edition later than the year after it
    /// is refused as a typo. [`LoadOptions::default`] reads it from the
    /// clock ([`facts::this_year`]); tests can fix it.
    pub this_year: i32,
}

impl LoadOptions {
    /// The options of a run with the reviewer's findings kept or dropped,
    /// in the clock's year.
    pub fn new(no_findings: bool) -> LoadOptions {
        LoadOptions {
            no_findings,
            ..LoadOptions::default()
        }
    }
}

impl Default for LoadOptions {
    fn default() -> LoadOptions {
        LoadOptions {
            no_findings: false,
            this_year: facts::this_year(),
        }
    }
}

/// One case: its facts (history included), what its `expect:` block says
/// (a scenario's own; its base's does not carry over), and where each
/// entry of its history came from.
#[derive(Debug, Clone)]
pub struct Case {
    pub facts: Facts,
    pub expect: Option<Expect>,
    pub history: Vec<HistoryEntry>,
}

/// Reads and checks one case file, its history included: the one way every
/// command, test and benchmark loads a case (see [`Loader`]).
pub fn load(pack: &RulePack, path: &Path, opts: LoadOptions) -> Result<Facts, Failure> {
    load_case(pack, path, opts).map(|c| c.facts)
}

/// [`load`], and the history used with where each entry came from.
pub fn load_with_history(
    pack: &RulePack,
    path: &Path,
    opts: LoadOptions,
) -> Result<(Facts, Vec<HistoryEntry>), Failure> {
    load_case(pack, path, opts).map(|c| (c.facts, c.history))
}

/// [`load`], with the case's expectations and history.
pub fn load_case(pack: &RulePack, path: &Path, opts: LoadOptions) -> Result<Case, Failure> {
    Loader::new(opts).load_case(pack, path)
}

/// Checks facts given as bytes, as if they were the file at `path` (the
/// path is used in messages, to find the base of a scenario file, and to
/// find earlier years' files for the history).
pub fn load_bytes(
    pack: &RulePack,
    path: &str,
    bytes: &[u8],
    opts: LoadOptions,
) -> Result<Facts, Failure> {
    Loader::new(opts).load_bytes(pack, path, bytes)
}

/// The base facts of a scenario read with [`read_scenario_file`], with
/// the checks every scenario's base gets.
pub fn load_base(
    pack: &RulePack,
    scenario: &scenario::Scenario,
    sources: &SourceMap,
    opts: LoadOptions,
) -> Result<Facts, Failure> {
    Loader::new(opts)
        .load_base(pack, scenario, sources, 0, 0)
        .map(|c| c.facts)
}

/// Nulls the pack's findings fact.
pub fn drop_findings(pack: &RulePack, f: &mut Facts) {
    if let (Some(i), Fact::Record(fields)) = (pack.findings_field, &mut f.root) {
        if let Some(slot) = fields.get_mut(i) {
            *slot = Fact::Null;
        }
    }
}

/// Every `*.yaml` / `*.yml` file under the given paths, sorted (one walk
/// for every command: [`crate::io::walk`], which follows no directory
/// symlink and visits each directory once).
pub fn collect(paths: &[PathBuf]) -> Vec<PathBuf> {
    crate::io::walk(paths, FACTS_EXTENSIONS)
}

/// The extensions of facts and scenario files.
pub const FACTS_EXTENSIONS: &[&str] = &["yaml", "yml"];

/// Where an entry of a case's history came from.
#[derive(Debug, Clone)]
pub struct HistoryEntry {
    pub year: f64,
    pub tier: String,
    /// The file assessed for it, or `None` when the facts file states it.
    pub from: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The edition's bound comes from the options, not from the clock.
    #[test]
    fn the_current_year_is_passed_in() {
        let pack = crate::builtin::load().expect("the built-in pack loads");
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../cases/2017/jamaica.yaml");
        let at = |this_year| {
            let opts = LoadOptions {
                no_findings: false,
                this_year,
            };
            load(&pack, &path, opts)
        };
        assert!(at(2016).is_ok(), "2017 is at most the year after 2016");
        let refused = at(2015).expect_err("2017 is later than the year after 2015");
        assert!(
            refused.diags[0].message.contains("in the future"),
            "{}",
            refused.render()
        );
    }
}
