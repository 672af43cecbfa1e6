//! Every diagnostic kind has a fixture: rule files under
//! fixtures/rules/err (each loaded as a pack of its own) and facts files
//! under fixtures/facts/err (loaded against the shipped pack). The file
//! name is the expected code; the rendered diagnostic is snapshotted.

use std::path::Path;
use tiers::case::{self, LoadOptions};
use tiers_tests::{root, tvpa};

fn code_of(path: &Path) -> String {
    let stem = path
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .to_string();
    // `wrong-type-list` tests `wrong-type`: the code is the longest known prefix
    tiers::diag::Code::ALL
        .iter()
        .map(|c| c.as_str())
        .filter(|c| stem == *c || stem.starts_with(&format!("{c}-")))
        .max_by_key(|c| c.len())
        .unwrap_or("?")
        .to_string()
}

fn relative(s: &str) -> String {
    s.replace(&format!("{}/", root().display()), "")
}

#[test]
fn rule_fixtures_report_their_code() {
    insta::glob!("fixtures/rules/err/*.rules", |path| {
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let bytes = std::fs::read(path).unwrap_or_default();
        let failure =
            match tiers::load_pack_from(vec![(format!("fixtures/rules/err/{name}"), bytes)]) {
                Ok(_) => panic!("{name}: expected a diagnostic, the pack checked clean"),
                Err(f) => f,
            };
        let want = code_of(path);
        assert!(
            failure.diags.iter().all(|d| d.code.as_str() == want),
            "{name}: expected code `{want}` and no other, got:\n{}",
            failure.render()
        );
        insta::assert_snapshot!(failure.render());
    });
    assert!(
        files_in("tests/fixtures/rules/err", "rules") >= 25,
        "the rule fixtures are missing"
    );
}

/// How many `*.EXT` files `dir` (under the repository root) holds; a
/// missing folder fails the test instead of being skipped.
fn files_in(dir: &str, ext: &str) -> usize {
    std::fs::read_dir(root().join(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == ext))
        .count()
}

#[test]
fn rule_fixtures_ok_check_clean() {
    assert!(
        files_in("tests/fixtures/rules/ok", "rules") >= 1,
        "the clean rule fixtures are missing"
    );
    for entry in std::fs::read_dir(root().join("tests/fixtures/rules/ok"))
        .expect("tests/fixtures/rules/ok")
        .flatten()
    {
        let bytes = std::fs::read(entry.path()).unwrap_or_default();
        let name = entry.file_name().to_string_lossy().to_string();
        if let Err(f) = tiers::load_pack_from(vec![(name.clone(), bytes)]) {
            panic!("{name} should check clean:\n{}", f.render());
        }
    }
}

#[test]
fn facts_fixtures_report_their_code() {
    let pack = tvpa();
    insta::glob!("fixtures/facts/err/*.yaml", |path| {
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let bytes = std::fs::read(path).unwrap_or_default();
        let shown = format!("fixtures/facts/err/{name}");
        let failure = match case::load_bytes(&pack, &shown, &bytes, LoadOptions::default()) {
            Ok(_) => panic!("{name}: expected a diagnostic, the facts loaded"),
            Err(f) => f,
        };
        let want = code_of(path);
        assert!(
            failure.diags.iter().all(|d| d.code.as_str() == want),
            "{name}: expected code `{want}` and no other, got:\n{}",
            failure.render()
        );
        insta::assert_snapshot!(relative(&failure.render()));
    });
    assert!(
        files_in("tests/fixtures/facts/err", "yaml") >= 18,
        "the facts fixtures are missing"
    );
}

#[test]
fn every_code_is_documented() {
    let doc = std::fs::read_to_string(root().join("docs/diagnostics.md")).unwrap_or_default();
    for code in tiers::diag::Code::ALL {
        assert!(
            doc.contains(&format!("`{}`", code.as_str())),
            "docs/diagnostics.md lacks `{}`",
            code.as_str()
        );
    }
}

#[test]
fn the_shipped_pack_checks_clean() {
    let pack = tvpa();
    for id in [
        "law.prohibits_all_forms",
        "law.child_sex_without_means",
        "penalty.sufficiently_stringent",
        "penalty.commensurate",
        "protection.non_punishment",
    ] {
        assert!(
            pack.criterion_index(id).is_some(),
            "contract criterion {id} missing"
        );
    }
}

// ------------------------------------------------------------ hostile input
// Generated here rather than committed: each must fail fast with exit code
// 1 semantics (a diagnostic), never a panic, within the loader's limits.

fn facts_failure(bytes: &[u8]) -> tiers::Failure {
    let pack = tvpa();
    match case::load_bytes(&pack, "generated.yaml", bytes, LoadOptions::default()) {
        Ok(_) => panic!("expected a diagnostic"),
        Err(f) => f,
    }
}

#[test]
fn a_50_mb_facts_file_is_refused_before_parsing() {
    let mut big = b"country: Big\nyear: 2017\nnotes: \"".to_vec();
    big.extend(std::iter::repeat_n(b'x', 50 * 1024 * 1024));
    big.extend(b"\"\n");
    let f = facts_failure(&big);
    assert_eq!(f.diags[0].code.as_str(), "input-too-large");
    assert!(f.render().lines().count() < 10);
}

#[test]
fn yaml_nested_100_000_levels_is_refused() {
    let deep = format!(
        "country: Deep\nyear: 2017\nnotes: {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let f = facts_failure(deep.as_bytes());
    assert_eq!(f.diags[0].code.as_str(), "yaml-limit", "{}", f.render());
    // block style: 3,000 levels of indentation (flow style above goes to 100,000)
    let deep_block: String = (0..3_000)
        .map(|i| format!("{}k:\n", " ".repeat(i)))
        .collect();
    let f = facts_failure(deep_block.as_bytes());
    assert!(
        matches!(f.diags[0].code.as_str(), "yaml-limit" | "yaml-syntax"),
        "{}",
        f.render()
    );
}

#[test]
fn rules_nested_100_000_parentheses_and_huge_files_are_refused() {
    let header = "pack t { editions 2017 edition_fact year }\ntype tier = enum { \"1\" }\nfacts { year: number }\n";
    let deep = format!(
        "{header}criterion a.b {{ when {}true{} => met otherwise => not_met }}\n",
        "(".repeat(100_000),
        ")".repeat(100_000)
    );
    let f =
        tiers::load_pack_from(vec![("deep.rules".into(), deep.into_bytes())]).expect_err("refused");
    assert_eq!(f.diags[0].code.as_str(), "nesting-too-deep");
    let huge = format!("{header}{}", "# padding\n".repeat(500_000));
    let f =
        tiers::load_pack_from(vec![("huge.rules".into(), huge.into_bytes())]).expect_err("refused");
    assert_eq!(f.diags[0].code.as_str(), "input-too-large");
}

#[test]
fn evaluation_is_bounded_and_says_so() {
    // each def doubles the work of the one before: 2^40 steps unbounded
    let mut src = String::from(
        "pack t { editions 2017 edition_fact year }\ntype tier = enum { \"1\" }\nfacts { year: number  n: number }\ndef d0 = n + 1\n",
    );
    for i in 1..=40 {
        src.push_str(&format!("def d{i} = d{} + d{}\n", i - 1, i - 1));
    }
    src.push_str("criterion a.b { when d40 > 0 => met because \"big\" otherwise => not_met because \"small\" }\n");
    src.push_str("placement tier { decide d { otherwise => \"1\" because \"placed\" } }\n");
    let pack =
        tiers::load_pack_from(vec![("expensive.rules".into(), src.into_bytes())]).expect("checks");
    let facts = case::load_bytes(
        &pack,
        "f.yaml",
        b"year: 2017\nn: 1\n",
        LoadOptions::default(),
    )
    .expect("loads");
    let a = tiers::evaluate(&pack, &facts);
    assert_eq!(a.outcome("a.b"), Some(tiers::Outcome::Unknown));
    assert!(
        a.warnings.iter().any(|w| w.contains("evaluation stopped")),
        "{:?}",
        a.warnings
    );
}
