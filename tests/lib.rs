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

/// The `tiers` binary `cargo test --workspace` builds beside the tests.
pub fn bin() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let dir = exe.parent().and_then(|d| d.parent()).expect("target dir");
    let bin = dir.join(format!("tiers{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "build the binary first: cargo build ({})",
        bin.display()
    );
    bin
}

/// Runs `tiers ARGS` in the repository root: (exit code, stdout, stderr).
pub fn tiers(args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(bin())
        .args(args)
        .current_dir(root())
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A copy of the shipped pack in `dir` with one line changed: the four-year
/// bar for "sufficiently stringent" becomes sixteen years.
pub fn stricter_pack(dir: &Path) {
    edited_pack(
        dir,
        "10-params.rules",
        "  from 2001 = 4\n",
        "  from 2001 = 16\n",
    );
}

/// A copy of the shipped pack in `dir` with the first `from` after `after`
/// in `file` replaced by `to` (panics if the text is not there, so a test
/// never runs on an unchanged copy).
pub fn edited_pack_after(dir: &Path, file: &str, after: &str, from: &str, to: &str) {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).expect("mkdir");
    let mut changed = false;
    for e in std::fs::read_dir(root().join("rules/tvpa"))
        .expect("pack")
        .flatten()
    {
        let mut text = std::fs::read_to_string(e.path()).expect("read");
        if e.file_name() == file {
            let start = text
                .find(after)
                .unwrap_or_else(|| panic!("{file}: no `{after}`"));
            let at = text[start..]
                .find(from)
                .map(|i| start + i)
                .unwrap_or_else(|| panic!("{file}: no `{from}` after `{after}`"));
            text.replace_range(at..at + from.len(), to);
            changed = true;
        }
        std::fs::write(dir.join(e.file_name()), text).expect("write");
    }
    assert!(changed, "the pack has no {file}");
}

/// A copy of the shipped pack in `dir` with the first `from` in `file`
/// replaced by `to`.
pub fn edited_pack(dir: &Path, file: &str, from: &str, to: &str) {
    edited_pack_after(dir, file, "", from, to);
}
