//! The default rule pack, built into the library: the `rules/tvpa` files of
//! the repository at build time (engine/build.rs lists them). `tiers` uses
//! it when no `--rules` directory is given and none is found, so an
//! installed binary works from any directory.

use crate::diag::Failure;
use crate::pack::RulePack;

include!(concat!(env!("OUT_DIR"), "/builtin_pack.rs"));

/// The directory the built-in pack comes from, relative to the repository.
pub const DIR: &str = "rules/tvpa";

/// The built-in pack's files as (path, bytes), in name order.
pub fn files() -> Vec<(String, Vec<u8>)> {
    FILES
        .iter()
        .map(|(p, b)| (p.to_string(), b.to_vec()))
        .collect()
}

/// Parses and checks the built-in pack.
pub fn load() -> Result<RulePack, Failure> {
    crate::load_pack_from(files())
}
