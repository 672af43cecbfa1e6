//! Every shipped case: one snapshot of its text assessment, and every
//! `expect:` block must hold (the same check as `tiers test cases/`).

use std::path::PathBuf;
use tiers::case::{self, LoadOptions};
use tiers::explain::{self, Format};
use tiers_tests::{root, tvpa};

#[test]
fn every_expect_block_holds() {
    let pack = tvpa();
    let report = case::run_tests(&pack, &[root().join("cases")], LoadOptions::default());
    assert!(report.passed > 0, "no case ran");
    assert_eq!(
        report.failed,
        0,
        "failing cases:\n{}",
        report.failures.join("\n")
    );
}

#[test]
fn assessment_snapshots() {
    let pack = tvpa();
    insta::glob!("../cases", "**/*.yaml", |path| {
        let facts = match case::load(&pack, path, LoadOptions::default()) {
            Ok(f) => f,
            Err(e) => panic!("{} does not load:\n{}", path.display(), e.render()),
        };
        let mut a = tiers::evaluate(&pack, &facts);
        let rel: PathBuf = path
            .strip_prefix(root())
            .map(PathBuf::from)
            .unwrap_or_default();
        a.source = rel.display().to_string();
        insta::assert_snapshot!(explain::render(&a, Format::Text));
    });
}

/// The real cases: every `cases/<year>` folder.
fn real_case_dirs() -> Vec<String> {
    let mut dirs: Vec<String> = std::fs::read_dir(root().join("cases"))
        .expect("cases/")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.len() == 4 && n.chars().all(|c| c.is_ascii_digit()))
        .map(|n| format!("cases/{n}"))
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn agreement_figures_in_docs_are_current() {
    let doc = std::fs::read_to_string(root().join("docs/agreement.md")).expect("docs/agreement.md");
    let dirs = real_case_dirs();
    assert!(dirs.len() >= 7, "real case folders: {dirs:?}");
    let dir_args: Vec<&str> = dirs.iter().map(String::as_str).collect();

    // the per-edition table: the whole block of output, and the command shown
    let mut args = vec!["test", "--agreement"];
    args.extend(&dir_args);
    let (code, out, err) = tiers_tests::tiers(&args);
    assert_eq!(code, 0, "tiers test --agreement failed:\n{err}");
    assert!(out.lines().count() > 10, "{out}");
    assert!(
        doc.contains(&format!("```text\n{out}```")),
        "docs/agreement.md should hold the whole output of `tiers {}`:\n{out}",
        args.join(" ")
    );
    assert!(doc.contains(&format!("cargo run --release -- {}", args.join(" "))));

    // with findings: the closing lines of the pass/fail run
    let mut args = vec!["test"];
    args.extend(&dir_args);
    let (code, out, _) = tiers_tests::tiers(&args);
    assert_eq!(code, 0, "{out}");
    let tail: Vec<&str> = out.lines().rev().take(2).collect();
    let tail = format!("{}\n{}\n", tail[1], tail[0]);
    assert!(
        doc.contains(&format!("```text\n{tail}```")),
        "docs/agreement.md should say:\n{tail}"
    );
    assert!(doc.contains(&format!("cargo run --release -- {}", args.join(" "))));
}

#[test]
fn every_branch_of_the_shipped_pack_is_reached_by_a_case() {
    let pack = tvpa();
    let rows = case::coverage(&pack, &[root().join("cases")], LoadOptions::default());
    let unreached: Vec<String> = rows
        .iter()
        .filter(|r| r.cases.is_empty())
        .map(|r| format!("{} {} #{} ({})", r.kind, r.name, r.branch + 1, r.location))
        .collect();
    assert!(rows.len() > 40, "coverage rows: {}", rows.len());
    assert!(
        unreached.is_empty(),
        "branches no case reaches:\n{}",
        unreached.join("\n")
    );
}

#[test]
fn the_fast_path_decides_as_the_explained_one() {
    let pack = tvpa();
    for file in case::collect(&[root().join("cases")]) {
        let (facts, _) =
            case::load_with_history(&pack, &file, LoadOptions::default()).expect("loads");
        let full = tiers::evaluate(&pack, &facts);
        let fast = tiers::eval::decide(&pack, &facts);
        assert_eq!(
            fast.tier.as_deref(),
            full.tier.as_deref(),
            "{}",
            file.display()
        );
        let outcomes: Vec<tiers::Outcome> = full.criteria.iter().map(|c| c.outcome).collect();
        assert_eq!(fast.outcomes, outcomes, "{}", file.display());
    }
}

/// Every library entry point loads a case the same way: with the history
/// its earlier years' files give (issue 14).
#[test]
fn every_loading_path_derives_history_from_earlier_years() {
    let pack = tvpa();
    let path = root().join("cases/edge/multiyear/2023/edgeland.yaml");
    let opts = LoadOptions::default();
    let bytes = std::fs::read(&path).expect("read");
    let shown = path.display().to_string();
    let loaded = [
        case::load(&pack, &path, opts).expect("load"),
        case::load_with_history(&pack, &path, opts)
            .expect("load_with_history")
            .0,
        case::load_bytes(&pack, &shown, &bytes, opts).expect("load_bytes"),
        case::Loader::new(opts)
            .load(&pack, &path)
            .expect("Loader")
            .0,
    ];
    for f in &loaded {
        let a = tiers::evaluate(&pack, f);
        assert_eq!(a.tier.as_deref(), Some("3"), "{}", f.path);
        assert_eq!(a.previous_tier.as_deref(), Some("2WL"));
        assert_eq!(tiers::eval::decide(&pack, f).tier.as_deref(), Some("3"));
    }
    let (_, history) = case::load_with_history(&pack, &path, opts).expect("loads");
    let years: Vec<(f64, &str)> = history.iter().map(|h| (h.year, h.tier.as_str())).collect();
    assert_eq!(years, [(2021.0, "2WL"), (2022.0, "2WL")]);
}

/// A snapshot whose case file was renamed or removed would linger with an
/// old answer in it: every assessment snapshot must belong to a case file.
#[test]
fn every_assessment_snapshot_belongs_to_a_case() {
    let dir = root().join("tests/snapshots");
    let mut orphans = vec![];
    let mut seen = 0;
    for e in std::fs::read_dir(&dir).expect("tests/snapshots") {
        let name = e.expect("entry").file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix("cases__assessment_snapshots@") else {
            continue;
        };
        let Some(rel) = rest.strip_suffix(".snap") else {
            continue;
        };
        seen += 1;
        let path = root().join("cases").join(rel.replace("__", "/"));
        if !path.is_file() {
            orphans.push(name);
        }
    }
    assert!(seen > 100, "assessment snapshots: {seen}");
    assert!(
        orphans.is_empty(),
        "snapshots without a case:\n{}",
        orphans.join("\n")
    );
}

/// The prose of docs/agreement.md quotes only percentages that the
/// checked `tiers test --agreement` block shows, so a figure cannot go
/// stale in a sentence while the block is kept current.
#[test]
fn agreement_prose_quotes_only_figures_the_block_shows() {
    let doc = std::fs::read_to_string(root().join("docs/agreement.md")).expect("docs/agreement.md");
    let dirs = real_case_dirs();
    let mut args = vec!["test", "--agreement"];
    args.extend(dirs.iter().map(String::as_str));
    let (code, out, err) = tiers_tests::tiers(&args);
    assert_eq!(code, 0, "{err}");
    // the prose: the page without its fenced blocks
    let mut prose = String::new();
    for (i, part) in doc.split("```").enumerate() {
        if i % 2 == 0 {
            prose.push_str(part);
        }
    }
    let mut quoted = 0;
    for (i, _) in prose.match_indices('%') {
        let digits: String = prose[..i]
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_digit())
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if digits.is_empty() {
            continue;
        }
        quoted += 1;
        let figure = format!("{digits}%");
        assert!(
            out.contains(&format!("({figure})")),
            "docs/agreement.md says {figure}, which `tiers {}` does not print:\n{out}",
            args.join(" ")
        );
    }
    assert!(quoted > 0, "no percentage quoted in the prose");
}
