//! What-if, scenarios, reform search, rule-change diffs and multi-year
//! history, as a legal advisor or rule maintainer uses them.

use tiers::case::{self, LoadOptions};
use tiers::whatif::{self, Target};
use tiers::Outcome;
use tiers_tests::{root, tiers, tvpa};

#[test]
fn whatif_fine_made_cumulative_moves_commensurate_on_one_screen() {
    let (code, out, err) = tiers(&[
        "whatif",
        "cases/2017/jamaica.yaml",
        "--set",
        "law.provisions[*].fine=cumulative",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("penalty.commensurate: not_met -> met"),
        "{out}"
    );
    assert!(out.contains("Tier: Tier 2 (unchanged)"), "{out}");
    assert!(
        out.contains("- These penalties are sufficiently stringent; however"),
        "{out}"
    );
    assert!(
        out.contains("+ These penalties are sufficiently stringent and"),
        "{out}"
    );
    // the draft now has three paragraphs; its unchanged sentences fold to "…"
    assert!(out.lines().count() <= 30, "one readable screen:\n{out}");
}

#[test]
fn whatif_levers_and_json() {
    let (code, out, _) = tiers(&[
        "whatif",
        "cases/2017/kyrgyz-republic.yaml",
        "--lever",
        "child_means",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let moved = v["criteria_moved"].as_array().expect("moved");
    assert!(
        moved
            .iter()
            .any(|m| m["id"] == "law.child_sex_without_means" && m["after"] == "met"),
        "{v}"
    );
}

#[test]
fn whatif_bad_path_and_value_are_diagnosed() {
    let (code, _, err) = tiers(&[
        "whatif",
        "cases/2017/jamaica.yaml",
        "--set",
        "law.provison[0].fine=cumulative",
    ]);
    assert_eq!(code, 1);
    assert!(
        err.contains("error[bad-path]") && err.contains("did you mean `law.provisions`?"),
        "{err}"
    );
    let (code, _, err) = tiers(&[
        "whatif",
        "cases/2017/jamaica.yaml",
        "--set",
        "law.provisions[0].fine=sometimes",
    ]);
    assert_eq!(code, 1);
    assert!(
        err.contains("error[bad-value]") && err.contains("law.provisions[0].fine"),
        "{err}"
    );
    let (code, _, err) = tiers(&[
        "whatif",
        "cases/2017/jamaica.yaml",
        "--set",
        "law.provisions[9].fine=none",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("there is no [9]"), "{err}");
    let (code, _, err) = tiers(&["whatif", "cases/2017/jamaica.yaml", "--lever", "child_mean"]);
    assert_eq!(code, 1);
    assert!(err.contains("did you mean `child_means`?"), "{err}");
}

#[test]
fn scenario_files_are_accepted_by_assess_test_and_whatif() {
    let (code, out, _) = tiers(&["test", "cases/scenarios"]);
    assert_eq!(code, 0, "{out}");
    let (code, out, _) = tiers(&["assess", "cases/scenarios/jamaica-fine-cumulative.yaml"]);
    assert_eq!(code, 0);
    let out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        out.contains("commensurate with those prescribed for other serious crimes"),
        "{out}"
    );
    let (code, out, _) = tiers(&[
        "whatif",
        "--scenario",
        "cases/scenarios/jamaica-fine-cumulative.yaml",
    ]);
    assert_eq!(code, 0);
    assert!(
        out.contains("penalty.commensurate: not_met -> met"),
        "{out}"
    );
}

#[test]
fn reforms_name_the_child_means_lever_for_kyrgyz_republic() {
    let pack = tvpa();
    let facts = case::load(
        &pack,
        &root().join("cases/2017/kyrgyz-republic.yaml"),
        LoadOptions::default(),
    )
    .expect("loads");
    let r = whatif::reforms(
        &pack,
        &facts,
        Target::Criterion("law.child_sex_without_means".into()),
        3,
    );
    assert_eq!(r.solutions.len(), 1, "{:?}", r.solutions);
    assert_eq!(r.solutions[0].levers, vec!["child_means".to_string()]);
    // the default target (Tier 1) rests on findings: said plainly, and the
    // per-criterion list still names the lever
    let (code, out, _) = tiers(&["reforms", "cases/2017/kyrgyz-republic.yaml"]);
    assert_eq!(code, 0);
    let flat = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("No set of the pack's levers (law and practice) reaches the target"),
        "{out}"
    );
    assert!(
        flat.contains("Reviewer findings, which no lever changes: significant_efforts = true, increasing_efforts = true, fully_meets = false"),
        "{out}"
    );
    assert!(
        out.contains("law.child_sex_without_means: {child_means}"),
        "{out}"
    );
}

#[test]
fn reforms_are_minimal_and_never_supersets() {
    let pack = tvpa();
    // objective-only: judgments derive from the facts, so levers can move the tier
    let facts = case::load(
        &pack,
        &root().join("cases/2017/jamaica.yaml"),
        LoadOptions::new(true),
    )
    .expect("loads");
    let r = whatif::reforms(
        &pack,
        &facts,
        Target::Criterion("penalty.commensurate".into()),
        3,
    );
    assert!(!r.solutions.is_empty());
    for (i, a) in r.solutions.iter().enumerate() {
        for (j, b) in r.solutions.iter().enumerate() {
            if i != j {
                assert!(
                    !a.levers.iter().all(|l| b.levers.contains(l)),
                    "{:?} is a subset of {:?}",
                    a.levers,
                    b.levers
                );
            }
        }
    }
    let sizes: Vec<usize> = r.solutions.iter().map(|s| s.levers.len()).collect();
    assert!(
        sizes.windows(2).all(|w| w[0] <= w[1]),
        "smallest first: {sizes:?}"
    );
    assert!(
        r.solutions[0]
            .levers
            .contains(&"remove_fine_in_lieu".to_string())
            || r.solutions[0].levers.contains(&"remove_fines".to_string())
    );
}

#[test]
fn diff_lists_exactly_the_cases_a_threshold_change_moves() {
    let dir = std::env::temp_dir().join(format!("tiers-diff-{}", std::process::id()));
    // one line: the four-year bar becomes sixteen
    tiers_tests::stricter_pack(&dir);
    let (code, out, err) = tiers(&[
        "diff",
        "--base-rules",
        "rules/tvpa",
        "--rules",
        dir.to_str().unwrap_or_default(),
        "cases/2017",
    ]);
    assert_eq!(code, 3, "{out}{err}");
    let changed: Vec<&str> = out.lines().filter(|l| l.starts_with("cases/")).collect();
    assert_eq!(
        changed,
        vec![
            "cases/2017/kazakhstan.yaml",
            // Kenya's law states only minimum terms ("no less than 10 years"):
            // they are judged against the floor for minimum-only terms, not
            // against the bar for maxima, so the bar does not move it
            "cases/2017/korea-republic-of.yaml",
            "cases/2017/kosovo.yaml",
            "cases/2017/latvia.yaml",
            "cases/2017/lebanon.yaml",
        ]
    );
    assert!(out.contains("5 of 13 cases change"), "{out}");
    // no change: exit 0
    let (code, out, _) = tiers(&["diff", "--base-rules", "rules/tvpa", "cases/2017"]);
    assert_eq!(code, 0, "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn history_comes_from_earlier_years_files() {
    let pack = tvpa();
    let path = root().join("cases/edge/multiyear/2023/edgeland.yaml");
    let (facts, history) =
        case::load_with_history(&pack, &path, LoadOptions::default()).expect("loads");
    let years: Vec<(f64, &str)> = history.iter().map(|h| (h.year, h.tier.as_str())).collect();
    assert_eq!(years, vec![(2021.0, "2WL"), (2022.0, "2WL")]);
    assert!(history.iter().all(|h| h.from.is_some()));
    let a = tiers::evaluate(&pack, &facts);
    assert_eq!(a.tier.as_deref(), Some("3"));
    assert_eq!(a.outcome("law.prohibits_all_forms"), Some(Outcome::Unknown));
    let (code, out, _) = tiers(&[
        "assess",
        "--history",
        "cases/edge/multiyear/2023/edgeland.yaml",
    ]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with(
            "History used\n  2021  2WL      assessed from cases/edge/multiyear/2021/edgeland.yaml"
        ),
        "{out}"
    );
}
