//! What an assessment says: the [`Assessment`] and its criterion,
//! judgment and placement-step results, and the facts each one read.
//! Plain data; eval fills it, render shows it.

use crate::pack::{CiteSource, Outcome};
use serde_json::Value as Json;

/// A fact or criterion the engine read while deciding, with its value.
#[derive(Debug, Clone, PartialEq)]
pub struct Read {
    /// The fact's path (`law.provisions[0].fine`), or for anything else
    /// read what it is (`param NAME`, `NAME (found)`, `ID (met)`).
    pub path: String,
    pub value: Json,
    /// A pack parameter rather than a fact: left out of the facts a reason
    /// lists and of what a reviewer can change.
    pub param: bool,
}

#[derive(Debug, Clone)]
pub struct CriterionResult {
    pub id: String,
    pub title: String,
    pub cites: Vec<String>,
    pub pillar: Option<String>,
    pub outcome: Outcome,
    pub because: String,
    /// The exception that decided the outcome, if one did.
    pub exception: Option<String>,
    /// The branch that decided (index into the compiled body; exceptions
    /// first), `None` when a condition was unknown.
    pub branch: Option<usize>,
    pub facts: Vec<Read>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Found,
    Derived,
    Unknown,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Found => "found",
            Source::Derived => "derived",
            Source::Unknown => "unknown",
        }
    }
}

#[derive(Debug, Clone)]
pub struct JudgmentResult {
    pub name: String,
    pub title: String,
    pub cites: Vec<String>,
    pub value: Json,
    pub source: Source,
    pub because: String,
    pub facts: Vec<Read>,
    /// The derivation branch that decided, when derived (for coverage).
    pub branch: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct StepResult {
    /// Index of the branch of the step that fired.
    pub branch: usize,
    pub rule: String,
    pub title: String,
    pub cites: Vec<String>,
    pub tier: Option<String>,
    pub because: String,
}

/// The result of assessing one facts file.
#[derive(Debug, Clone)]
pub struct Assessment {
    pub source: String,
    pub country: String,
    pub year: Option<f64>,
    pub rulepack: String,
    pub tier: Option<String>,
    pub previous_tier: Option<String>,
    pub movement: Option<String>,
    /// How the tier reads ("Tier 2 Watch List"), from the pack's `tier_label`.
    pub tier_label: Option<String>,
    pub previous_tier_label: Option<String>,
    pub criteria: Vec<CriterionResult>,
    pub judgments: Vec<JudgmentResult>,
    pub steps: Vec<StepResult>,
    pub warnings: Vec<String>,
    pub rationale: String,
    /// Values of the pack's `history_<field>` defs after placement: the
    /// extra fields of this year's entry in a later year's history.
    pub history_fields: Vec<(String, Json)>,
    /// The declared sources the criteria and placement steps cite, in the
    /// pack's order.
    pub sources: Vec<CiteSource>,
}

impl Assessment {
    pub fn outcome(&self, id: &str) -> Option<Outcome> {
        self.criteria.iter().find(|c| c.id == id).map(|c| c.outcome)
    }
}
