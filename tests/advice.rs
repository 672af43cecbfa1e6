//! Reform advice an advisor can act on: levers never "fix" a criterion that
//! is only unknown unless asked, the unknown facts that matter are named,
//! levers carry titles and recommendations, and `whatif` says why nothing
//! moved from what the rules read.

use tiers::case::{self, LoadOptions};
use tiers::whatif::{self, SearchOptions, Target};
use tiers::Outcome;
use tiers_tests::{root, tiers, tvpa};

fn load(path: &str, no_findings: bool) -> (tiers::RulePack, tiers::facts::Facts) {
    let pack = tvpa();
    let facts = case::load(&pack, &root().join(path), LoadOptions::new(no_findings))
        .unwrap_or_else(|f| panic!("{}", f.render()));
    (pack, facts)
}

#[test]
fn no_lever_is_proposed_for_a_criterion_that_is_only_unknown() {
    // Jamaica 2017: whether child sex trafficking needs proof of means is not known
    let (pack, facts) = load("cases/2017/jamaica.yaml", false);
    let base = tiers::evaluate(&pack, &facts);
    assert_eq!(
        base.outcome("law.child_sex_without_means"),
        Some(Outcome::Unknown)
    );
    let target = Target::Criterion("law.child_sex_without_means".into());
    let r = whatif::reforms(&pack, &facts, target.clone(), 3);
    assert!(r.solutions.is_empty(), "{:?}", r.solutions);
    assert!(r.unknown_levers.iter().any(|(l, paths)| l == "child_means"
        && paths == &["law.child_sex_trafficking_requires_means".to_string()]));
    // ... and says which unknown fact, established, would change the answer
    let e = r
        .establish
        .iter()
        .find(|e| e.path == "law.child_sex_trafficking_requires_means")
        .expect("the unknown fact is named");
    assert_eq!(e.value, "false");
    assert!(e.reached_already && e.levers == ["child_means"]);
    // asked to assume that unknown fails, the lever is proposed
    let r = whatif::reforms_with(
        &pack,
        &facts,
        target,
        SearchOptions {
            assume_unknown_fails: true,
            ..SearchOptions::default()
        },
    );
    assert_eq!(r.solutions.len(), 1);
    assert_eq!(r.solutions[0].levers, ["child_means"]);
    assert_eq!(r.solutions[0].fixes, ["law.child_sex_without_means"]);
}

#[test]
fn on_every_real_case_a_solution_fixes_only_criteria_that_were_not_met() {
    let pack = tvpa();
    let dir = root().join("cases/2017");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("cases")
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    for f in files {
        for no_findings in [false, true] {
            let facts = case::load(&pack, &f, LoadOptions::new(no_findings)).expect("loads");
            let base = tiers::evaluate(&pack, &facts);
            let r = whatif::reforms_with(
                &pack,
                &facts,
                Target::Tier("1".into()),
                SearchOptions {
                    max_size: 2,
                    establish: false,
                    ..SearchOptions::default()
                },
            );
            for s in &r.solutions {
                for id in &s.fixes {
                    assert_eq!(
                        base.outcome(id),
                        Some(Outcome::NotMet),
                        "{}: {:?} fixes {id}, which was not not_met",
                        f.display(),
                        s.levers
                    );
                }
            }
            // a lever left out for unknown facts sets only facts that are null here
            for (lever, paths) in &r.unknown_levers {
                assert!(!paths.is_empty(), "{lever}");
            }
        }
    }
}

#[test]
fn every_lever_has_a_title_a_recommendation_and_a_pillar() {
    let pack = tvpa();
    assert!(pack.levers.len() >= 20);
    for l in &pack.levers {
        let title = l.meta.title.as_deref().unwrap_or_default();
        assert!(!title.is_empty(), "{}: no title", l.name);
        let rec = l.recommend.as_deref().unwrap_or_default();
        assert!(
            rec.ends_with('.') && rec.starts_with(|c: char| c.is_uppercase()),
            "{}: the recommendation is not a sentence: {rec:?}",
            l.name
        );
        assert!(
            matches!(l.meta.pillar.as_deref(), Some("law" | "practice")),
            "{}: pillar {:?}",
            l.name,
            l.meta.pillar
        );
    }
}

#[test]
fn reforms_list_shows_each_lever_with_what_it_changes() {
    let (code, out, err) = tiers(&["reforms", "--list"]);
    assert_eq!(code, 0, "{err}");
    let pack = tvpa();
    for l in &pack.levers {
        assert!(
            out.contains(&format!(
                "{} ({}): ",
                l.name,
                l.meta.pillar.as_deref().unwrap_or_default()
            )),
            "{}:\n{out}",
            l.name
        );
    }
    assert!(
        out.contains("sets: law.provisions[*].fine = cumulative"),
        "{out}"
    );
    let fine = out
        .split("\n\n")
        .find(|b| b.starts_with("remove_fine_in_lieu (law)"))
        .expect("the fine lever");
    assert!(
        fine.lines().any(
            |l| l.trim_start().starts_with("can change:") && l.contains("penalty.commensurate")
        ),
        "{fine}"
    );
    assert!(
        out.contains("recommend: Amend the anti-trafficking law to remove sentencing provisions"),
        "{out}"
    );
    assert!(out.lines().all(|l| l.chars().count() <= 100), "{out}");
    let (code, json, _) = tiers(&["reforms", "--list", "--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(v.as_array().map(Vec::len), Some(pack.levers.len()));
    assert!(v[0]["recommend"].is_string() && v[0]["can_change"].is_array());
}

#[test]
fn the_dead_end_is_wrapped_names_inert_levers_and_calls_practice_levers_practice() {
    let (code, out, err) = tiers(&["reforms", "cases/2017/kyrgyz-republic.yaml"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.lines().all(|l| l.chars().count() <= 100),
        "a line is too long:\n{out}"
    );
    assert!(!out.contains("law levers"), "{out}");
    assert!(out.contains("(law and practice)"), "{out}");
    assert!(out.contains("Levers that change nothing here:"), "{out}");
    assert!(
        out.contains("provide_data: already so: enforcement.data_provided = true"),
        "{out}"
    );
    // levers are shown with their titles and pillars
    assert!(
        out.contains(
            "child_means (law): Punish child sex trafficking without proof of force, fraud or coercion"
        ),
        "{out}"
    );
    assert!(
        out.contains("stop_penalizing_victims (practice): "),
        "{out}"
    );
    // the unknown criteria are named with their missing facts, with no lever
    assert!(
        out.contains("law.prohibits_all_forms: not known: law.requires_movement"),
        "{out}"
    );
    let (_, assumed, _) = tiers(&[
        "reforms",
        "cases/2017/kyrgyz-republic.yaml",
        "--assume-unknown-fails",
    ]);
    assert!(
        assumed.contains("law.prohibits_all_forms: {remove_movement_requirement}"),
        "{assumed}"
    );
}

#[test]
fn whatif_says_why_nothing_moved_from_what_the_rules_read() {
    // the provision only words the reason; the practice decides
    let (code, out, err) = tiers(&[
        "whatif",
        "cases/2017/kyrgyz-republic.yaml",
        "--lever",
        "non_punishment_provision",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("No criterion moved."), "{out}");
    let flat = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("`law.non_punishment_provision` only words the reason of criterion `protection.non_punishment`"),
        "{out}"
    );
    assert!(
        flat.contains("`protection.non_punishment` stays not_met: it rests on `protection.victims_penalized` = true"),
        "{out}"
    );
    // a fact no rule reads
    let (_, out, _) = tiers(&[
        "whatif",
        "cases/2017/jamaica.yaml",
        "--set",
        "law.provisions[0].jurisdiction=Kingston",
    ]);
    let flat = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains(
            "No criterion, judgment or placement step reads `law.provisions[0].jurisdiction`"
        ),
        "{out}"
    );
    // a reviewer finding decides
    let (_, out, _) = tiers(&[
        "whatif",
        "cases/2017/jamaica.yaml",
        "--set",
        "enforcement.investigations.current=41",
    ]);
    let flat = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("judgment `increasing_efforts` is the reviewer's finding (true)"),
        "{out}"
    );
    // JSON carries the same notes
    let (_, json, _) = tiers(&[
        "whatif",
        "cases/2017/jamaica.yaml",
        "--lever",
        "non_punishment_provision",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert!(v["why"][0]
        .as_str()
        .is_some_and(|s| s.contains("protection.victims_penalized")));
}

#[test]
fn whatif_notes_come_from_the_pack_not_from_the_engine() {
    // a pack whose non-punishment criterion decides on the provision: the
    // same change now moves the criterion, and no note says otherwise
    let dir = std::env::temp_dir().join(format!("tiers-advice-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    for e in std::fs::read_dir(root().join("rules/tvpa"))
        .expect("pack")
        .flatten()
    {
        let mut text = std::fs::read_to_string(e.path()).expect("read");
        if e.file_name() == "40-protection.rules" {
            text = text.replacen(
                "  when protection.victims_penalized\n",
                "  when protection.victims_penalized and not (law.non_punishment_provision ?? false)\n",
                1,
            );
        }
        std::fs::write(dir.join(e.file_name()), text).expect("write");
    }
    let (code, out, err) = tiers(&[
        "whatif",
        "cases/2017/kyrgyz-republic.yaml",
        "--lever",
        "non_punishment_provision",
        "--rules",
        dir.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("protection.non_punishment: not_met -> met"),
        "{out}"
    );
    assert!(!out.contains("only words the reason"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}
