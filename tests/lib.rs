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

/// Checks that the part of the document `doc` (relative to the root)
/// between the markers `begin` and `end` is `want`; with
/// `TIERS_BLESS_DOCS=1` it rewrites that part instead, for review.
pub fn generated_block(doc: &str, begin: &str, end: &str, want: &str) {
    let path = root().join(doc);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{doc}: {e}"));
    let (Some(b), Some(e)) = (text.find(begin), text.find(end)) else {
        panic!("{doc} has no markers {begin:?} ... {end:?}");
    };
    let shown = &text[b + begin.len()..e];
    if shown != want && std::env::var("TIERS_BLESS_DOCS").is_ok_and(|v| v == "1") {
        let new = format!("{}{begin}{want}{}", &text[..b], &text[e..]);
        std::fs::write(&path, new).expect("write");
        return;
    }
    assert!(
        shown == want,
        "{doc}: the block after {begin:?} is stale: run with TIERS_BLESS_DOCS=1 and review\nwant:\n{want}"
    );
}

/// The places in a rendered assessment where an unknown value is glued
/// into a sentence ("significant effortsunknown;"): a template condition on
/// a missing fact left undecided. Each with the text around it.
pub fn glued_unknowns(rendered: &str) -> Vec<String> {
    const WORD: &str = "unknown";
    let mut found = vec![];
    for (i, _) in rendered.match_indices(WORD) {
        let before = rendered[..i].chars().next_back().unwrap_or(' ');
        let after = rendered[i + WORD.len()..].chars().next().unwrap_or(' ');
        if before.is_alphanumeric() || matches!(after, ';' | '.' | ',') {
            let head: String = rendered[..i]
                .chars()
                .rev()
                .take(60)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let tail: String = rendered[i..].chars().take(WORD.len() + 1).collect();
            found.push(format!("...{head}{tail}..."));
        }
    }
    found
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
