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
    // a figure quoted with its count ("45 of 55 (82%)") is the block's
    // ("45/55 (82%)"), count and percentage together
    let mut counted = 0;
    let words: Vec<&str> = prose.split_whitespace().collect();
    for w in words.windows(4) {
        let (Ok(n), "of", Ok(m)) = (w[0].parse::<u32>(), w[1], w[2].parse::<u32>()) else {
            continue;
        };
        let Some(pct) = w[3]
            .strip_prefix('(')
            .and_then(|p| p.split(')').next())
            .filter(|p| p.ends_with('%'))
        else {
            continue;
        };
        counted += 1;
        let figure = format!("{n}/{m} ({pct})");
        assert!(
            out.contains(&figure),
            "docs/agreement.md says {n} of {m} ({pct}), but `tiers {}` prints no {figure}:\n{out}",
            args.join(" ")
        );
    }
    assert!(counted >= 4, "the prose quotes {counted} counted figures");
}

/// One real case file, as JSON, with its path under `cases/`.
fn real_cases() -> Vec<(String, serde_json::Value)> {
    let mut out = vec![];
    for dir in real_case_dirs() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(root().join(&dir))
            .expect("case folder")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .collect();
        files.sort();
        for path in files {
            let text = std::fs::read_to_string(&path).expect("read");
            let json: serde_json::Value =
                serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let name = path
                .strip_prefix(root().join("cases"))
                .expect("under cases/");
            let name = name.with_extension("").display().to_string();
            out.push((name, json));
        }
    }
    out
}

/// The kinds of real case the fidelity work asked for, each with the cases
/// that are of that kind, read from the facts and `expect:` of the files
/// (not from a list kept by hand).
fn kinds_of_real_cases() -> Vec<(&'static str, usize, Vec<String>)> {
    type Test = fn(&serde_json::Value) -> bool;
    fn provisions(c: &serde_json::Value) -> Vec<&serde_json::Value> {
        c["law"]["provisions"]
            .as_array()
            .map(|a| a.iter().collect())
            .unwrap_or_default()
    }
    let kinds: Vec<(&'static str, usize, Test)> = vec![
        ("Tier 1", 5, |c| c["expect"]["tier"] == "1"),
        ("Tier 3", 5, |c| c["expect"]["tier"] == "3"),
        ("Tier 2 Watch List", 6, |c| c["expect"]["tier"] == "2WL"),
        (
            "a Watch List year decided by the clock (waiver, or the year after one)",
            3,
            |c| {
                // on the Watch List the two years before (history is in any order)
                let year = c["year"].as_i64().unwrap_or(0);
                let on_wl = |y: i64| {
                    c["history"].as_array().is_some_and(|h| {
                        h.iter()
                            .any(|h| h["year"].as_i64() == Some(y) && h["tier"] == "2WL")
                    })
                };
                on_wl(year - 1) && on_wl(year - 2)
            },
        ),
        (
            "a trafficking penalty with a fine in lieu of imprisonment",
            6,
            |c| provisions(c).iter().any(|p| p["fine"] == "alternative"),
        ),
        (
            "child sex trafficking requires force, fraud or coercion",
            3,
            |c| c["law"]["child_sex_trafficking_requires_means"] == true,
        ),
        ("a minimum term and no maximum", 2, |c| {
            provisions(c).iter().any(|p| {
                p["min_years"].is_number() && p["max_years"].is_null() && p["life"] != true
            })
        }),
        ("a Dutch-law jurisdiction (Aruba, Curaçao)", 2, |c| {
            c["country"] == "Aruba" || c["country"] == "Curaçao"
        }),
        (
            "a government policy or pattern of trafficking, 2019 on",
            2,
            |c| c["state"]["policy_or_pattern"] == true && c["year"].as_i64().unwrap_or(0) >= 2019,
        ),
        (
            "victims only reported as possibly penalized (hedged)",
            2,
            |c| c["protection"]["victims_penalized_hedged"] == true,
        ),
    ];
    let cases = real_cases();
    kinds
        .into_iter()
        .map(|(kind, least, test)| {
            let names = cases
                .iter()
                .filter(|(name, c)| !name.starts_with("2017/") && test(c))
                .map(|(name, _)| name.clone())
                .collect();
            (kind, least, names)
        })
        .collect()
}

/// docs/agreement.md lists, for each kind of case the fidelity work asked
/// for, the real cases of 2018 on that are of that kind, and each kind has
/// at least as many as asked; the cases of 2018 on span five editions or
/// more.
#[test]
fn the_real_cases_cover_every_kind_asked_for_and_the_docs_list_them() {
    let cases = real_cases();
    let later: Vec<&(String, serde_json::Value)> = cases
        .iter()
        .filter(|(n, _)| !n.starts_with("2017/"))
        .collect();
    assert!(later.len() >= 30, "{} real cases of 2018 on", later.len());
    let mut editions: Vec<&str> = later.iter().map(|(n, _)| &n[..4]).collect();
    editions.dedup();
    assert!(editions.len() >= 5, "editions: {editions:?}");

    let mut table = String::from("| kind | asked | cases |\n|---|---:|---|\n");
    for (kind, least, names) in kinds_of_real_cases() {
        assert!(
            names.len() >= least,
            "{kind}: {} real cases of 2018 on, at least {least} asked: {names:?}",
            names.len()
        );
        table.push_str(&format!(
            "| {kind} | {least} | {} ({}) |\n",
            names.join(", "),
            names.len()
        ));
    }
    tiers_tests::generated_block(
        "docs/agreement.md",
        "<!-- kinds of case: generated by tests/cases.rs -->\n",
        "<!-- end of kinds of case -->",
        &table,
    );
}

/// Every draft rationale of the shipped cases, with the findings and on
/// objective facts alone, reads as prose: there is one, with no doubled
/// space and no space before a full stop or comma, whichever optional parts
/// are empty; and no reason, step or draft shows an unknown value glued into
/// a sentence ("significant effortsunknown;") where a condition on a missing
/// fact was left undecided.
#[test]
fn every_draft_reads_as_prose_with_and_without_findings() {
    let pack = tvpa();
    let mut bad = vec![];
    for no_findings in [false, true] {
        for file in case::collect(&[root().join("cases")]) {
            let facts = case::load(&pack, &file, LoadOptions::new(no_findings)).expect("loads");
            let a = tiers::evaluate(&pack, &facts);
            let at = format!("{} (no findings: {no_findings})", file.display());
            if a.rationale.trim().is_empty() {
                bad.push(format!("{at}: no draft rationale"));
            }
            let json =
                serde_json::to_string(&tiers::render::assessment::to_json(&a)).expect("json");
            for glued in tiers_tests::glued_unknowns(&json) {
                bad.push(format!("{at}: {glued}"));
            }
            for line in a.rationale.lines() {
                // " ..." is an elision in a quotation, not a stray space
                let stray_stop = line.replace(" ...", "").contains(" .");
                if line.contains("  ") || stray_stop || line.contains(" ,") {
                    bad.push(format!(
                        "{} (no findings: {no_findings}): {line}",
                        file.display()
                    ));
                }
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
