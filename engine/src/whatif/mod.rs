//! What moves when facts change: the comparison of two assessments, and the
//! search for the smallest sets of reform levers that reach a target.
//! The changes themselves (`--set PATH=VALUE`, levers, scenario files) are
//! made in `scenario`.
//!
//! - `scenario`: changes to facts (`--set`, levers, scenario files)
//! - `compare`: two assessments side by side, and why nothing moved
//! - `target`: what a search aims at, and whether it is reached
//! - `levers`: a lever's changes made concrete on a case's facts
//! - `reforms`: the search for the smallest lever sets, and `establish`
//! - `unreachable`: why no set reaches the target
//! - `prose`: wording helpers shared by the explanations

mod compare;
mod levers;
mod prose;
mod reforms;
pub mod scenario;
mod target;
mod unreachable;

pub use compare::{
    compare, compare_packs, explain_unmoved, sentences, Delta, OutcomeChange, PackDelta,
};
pub use prose::fact_text;
pub use reforms::{
    reforms, reforms_with, Establish, Reforms, SearchOptions, Solution, ALWAYS_SEARCHED, MAX_SETS,
};
pub use target::{next_tier_up, Target};
