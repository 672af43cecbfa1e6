//! Shared helpers for the test crate.

use std::path::{Path, PathBuf};

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The shipped TVPA pack, loaded once per test.
pub fn tvpa() -> tiers::RulePack {
    match tiers::load_pack(&root().join("rules/tvpa")) {
        Ok(p) => p,
        Err(f) => panic!("the shipped pack does not check:\n{}", f.render()),
    }
}
