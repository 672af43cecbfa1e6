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
            failure.diags.iter().any(|d| d.code.as_str() == want),
            "{name}: expected code `{want}`, got:\n{}",
            failure.render()
        );
        insta::assert_snapshot!(failure.render());
    });
}

#[test]
fn rule_fixtures_ok_check_clean() {
    for entry in std::fs::read_dir(root().join("tests/fixtures/rules/ok"))
        .into_iter()
        .flatten()
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
            failure.diags.iter().any(|d| d.code.as_str() == want),
            "{name}: expected code `{want}`, got:\n{}",
            failure.render()
        );
        insta::assert_snapshot!(relative(&failure.render()));
    });
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
