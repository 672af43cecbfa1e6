//! The binary works anywhere: the built-in rule pack from a directory
//! outside the repository, `--rules` over it, `tiers pack export`,
//! `tiers diff --base-rules git:REV` from a subdirectory, shell completions,
//! and every command's `--help` listing its exit codes.

use std::path::{Path, PathBuf};
use tiers_tests::{bin, root};

/// Runs the binary in `dir`: (exit code, stdout, stderr).
fn run_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(bin())
        .args(args)
        .current_dir(dir)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A fresh directory outside the repository (no `rules/tvpa` in it or
/// above it).
fn outside(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tiers-anywhere-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    assert!(
        !dir.ancestors().any(|d| d.join("rules/tvpa").is_dir()),
        "{} lies under a rule pack; the test needs a directory outside the repository",
        dir.display()
    );
    dir
}

#[test]
fn assess_from_outside_the_repository_uses_the_built_in_pack() {
    let dir = outside("assess");
    let case = root().join("cases/2017/jamaica.yaml");
    let (code, out, err) = run_in(&dir, &["assess", case.to_str().unwrap()]);
    assert_eq!(code, 0, "stderr:\n{err}");
    assert!(
        out.starts_with("Jamaica (2017 edition, rule pack `tvpa`)"),
        "{out}"
    );
    assert!(out.contains("Recommended placement: Tier 2"), "{out}");
    // the same assessment as with the repository's pack
    let (_, in_repo, _) = run_in(&root(), &["assess", case.to_str().unwrap()]);
    assert_eq!(
        out, in_repo,
        "the built-in pack differs from rules/tvpa: rebuild"
    );
    let (code, out, _) = run_in(&dir, &["check"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("rules/tvpa (built in): ok"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn rules_overrides_the_built_in_pack_and_export_writes_it_out() {
    let dir = outside("export");
    let pack = dir.join("pack");
    let (code, out, err) = run_in(&dir, &["pack", "export", "pack"]);
    assert_eq!(code, 0, "stderr:\n{err}");
    assert!(out.contains("rule files to pack"), "{out}");
    // every file of the repository's pack, byte for byte
    for e in std::fs::read_dir(root().join("rules/tvpa"))
        .expect("rules")
        .flatten()
    {
        let exported = std::fs::read(pack.join(e.file_name())).unwrap_or_default();
        assert_eq!(
            exported,
            std::fs::read(e.path()).unwrap_or_default(),
            "{} differs",
            e.file_name().to_string_lossy()
        );
    }
    // an edited copy is used with --rules: a 25-year bar fails Jamaica's penalties
    let params = pack.join("10-params.rules");
    let text = std::fs::read_to_string(&params).expect("params");
    std::fs::write(
        &params,
        text.replacen("  from 2001 = 4\n", "  from 2001 = 25\n", 1),
    )
    .expect("write");
    let case = root().join("cases/2017/jamaica.yaml");
    let (code, out, err) = run_in(
        &dir,
        &[
            "assess",
            "--format",
            "json",
            "--rules",
            "pack",
            case.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "stderr:\n{err}");
    let json: serde_json::Value = serde_json::from_str(&out).expect("json");
    let stringent = json["criteria"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["id"] == "penalty.sufficiently_stringent")
        .expect("criterion");
    assert_eq!(stringent["outcome"], "not_met", "{stringent}");
    // a second export does not overwrite the edited file without --force
    let (code, _, err) = run_in(&dir, &["pack", "export", "pack"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("10-params.rules") && err.contains("--force"),
        "{err}"
    );
    let (code, _, _) = run_in(&dir, &["pack", "export", "--force", "pack"]);
    assert_eq!(code, 0);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn diff_against_git_works_from_a_subdirectory() {
    if !root().join(".git").exists() {
        return; // not a git checkout (e.g. a source archive)
    }
    for sub in ["engine", "engine/src", "docs"] {
        let (code, out, err) = run_in(&root().join(sub), &["diff", "--base-rules", "git:HEAD"]);
        assert!(
            code == 0 || code == 3,
            "from {sub}: exit {code}\nstdout:\n{out}\nstderr:\n{err}"
        );
        assert!(
            out.contains("cases change between git:HEAD and"),
            "from {sub}: {out}"
        );
        assert!(
            !out.contains(" 0 cases change"),
            "from {sub}: no case was found: {out}"
        );
    }
}

#[test]
fn completions_for_bash_zsh_and_fish() {
    for (shell, marker) in [
        ("bash", "_tiers()"),
        ("zsh", "#compdef tiers"),
        ("fish", "complete -c tiers"),
    ] {
        let (code, out, err) = run_in(&root(), &["completions", shell]);
        assert_eq!(code, 0, "{shell}: {err}");
        assert!(out.contains(marker), "{shell}: no `{marker}`");
        for sub in ["assess", "check", "diff", "pack", "completions"] {
            assert!(out.contains(sub), "{shell}: `{sub}` is not completed");
        }
    }
    let (code, _, err) = run_in(&root(), &["completions", "tcsh"]);
    assert_eq!(code, 2, "an unknown shell is a usage error: {err}");
}

#[test]
fn every_command_help_lists_its_exit_codes() {
    let commands: &[&[&str]] = &[
        &["assess"],
        &["check"],
        &["test"],
        &["whatif"],
        &["reforms"],
        &["diff"],
        &["fmt"],
        &["schema"],
        &["new"],
        &["pack"],
        &["pack", "export"],
        &["completions"],
    ];
    for cmd in commands {
        let mut args = cmd.to_vec();
        args.push("--help");
        let (code, out, err) = run_in(&root(), &args);
        assert_eq!(code, 0, "{cmd:?}: {err}");
        assert!(
            out.contains("Exit codes:\n  0  ") && out.contains("  2  the command line is wrong"),
            "`tiers {} --help` lists no exit codes:\n{out}",
            cmd.join(" ")
        );
    }
    let (_, out, _) = run_in(&root(), &["diff", "--help"]);
    assert!(
        out.contains("  3  "),
        "diff's exit code 3 is missing:\n{out}"
    );
}
