//! The facts format as the pack declares it: `tiers schema` validates every
//! shipped case, `tiers new` writes a skeleton that loads, every field is
//! documented, and the field reference of docs/facts.md (with the rules
//! that read each field) is current.

use std::path::{Path, PathBuf};
use tiers_tests::{root, tiers, tvpa};

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("dir")
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            yaml_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(p);
        }
    }
}

fn yaml_to_json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).expect("read");
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn validator(schema: &serde_json::Value) -> jsonschema::Validator {
    assert_eq!(
        schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
        "draft 2020-12"
    );
    jsonschema::draft202012::new(schema).expect("the generated schema is a valid schema")
}

fn errors(v: &jsonschema::Validator, doc: &serde_json::Value) -> Vec<String> {
    v.iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn every_shipped_case_validates_against_the_generated_schema() {
    let pack = tvpa();
    let facts = validator(&tiers::schema::facts_schema(&pack));
    let scenario = validator(&tiers::schema::scenario_schema(&pack));
    let mut files = vec![];
    yaml_files(&root().join("cases"), &mut files);
    assert!(files.len() > 50, "the shipped cases: {}", files.len());
    let mut bad = vec![];
    for f in &files {
        let doc = yaml_to_json(f);
        let v = if doc.get("base").is_some() {
            &scenario
        } else {
            &facts
        };
        let errs = errors(v, &doc);
        if !errs.is_empty() {
            bad.push(format!("{}: {}", f.display(), errs.join("; ")));
        }
    }
    assert!(
        bad.is_empty(),
        "cases the schema refuses:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_schema_refuses_what_the_loader_refuses() {
    let pack = tvpa();
    let v = validator(&tiers::schema::facts_schema(&pack));
    let ok =
        serde_json::json!({"country": "X", "year": 2017, "history": [{"year": 2016, "tier": 2}]});
    assert!(errors(&v, &ok).is_empty(), "{:?}", errors(&v, &ok));
    for (doc, what) in [
        (serde_json::json!({"year": 2017}), "country is required"),
        (
            serde_json::json!({"country": "X", "year": 2017, "law": {"provison": []}}),
            "unknown key",
        ),
        (
            serde_json::json!({"country": "X", "year": 2017, "law": {"provisions": [{"max_years": "twenty"}]}}),
            "a number",
        ),
        (
            serde_json::json!({"country": "X", "year": 2017, "law": {"provisions": [{"fine": "sometimes"}]}}),
            "an enum word",
        ),
        (
            serde_json::json!({"country": "X", "year": 1990}),
            "the year range",
        ),
        (
            serde_json::json!({"country": "X", "year": 2017, "expect": {"criteria": {"penalty.commensurat": "met"}}}),
            "a criterion id",
        ),
    ] {
        assert!(!errors(&v, &doc).is_empty(), "{what}: {doc}");
    }
}

#[test]
fn tiers_schema_prints_the_shipped_schema_files() {
    for (args, file) in [
        (vec!["schema"], "schema/facts.schema.json"),
        (vec!["schema", "--scenario"], "schema/scenario.schema.json"),
    ] {
        let (code, out, err) = tiers(&args);
        assert_eq!(code, 0, "{err}");
        let _: serde_json::Value = serde_json::from_str(&out).expect("JSON");
        let path = root().join(file);
        if std::env::var("TIERS_BLESS_DOCS").is_ok_and(|v| v == "1") {
            std::fs::write(&path, &out).expect("write");
        }
        let shipped = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            shipped == out,
            "{file} is not what `tiers {}` prints: run with TIERS_BLESS_DOCS=1 and review",
            args.join(" ")
        );
    }
}

#[test]
fn every_declared_field_has_a_doc_string() {
    let pack = tvpa();
    let missing: Vec<String> = tiers::reads::fields(&pack)
        .into_iter()
        .filter(|f| f.decl.doc.as_deref().unwrap_or("").trim().is_empty())
        .map(|f| f.path)
        .collect();
    assert!(
        missing.is_empty(),
        "fields without a doc string: {missing:?}"
    );
}

#[test]
fn tiers_new_prints_every_field_null_with_a_comment_and_it_loads() {
    let (code, out, err) = tiers(&["new", "Testland", "--year", "2023"]);
    assert_eq!(code, 0, "{err}");
    let pack = tvpa();
    for f in tiers::reads::fields(&pack) {
        let name = f.path.rsplit('.').next().unwrap_or_default();
        assert!(
            out.lines().any(|l| l
                .trim_start_matches([' ', '#', '-'])
                .starts_with(&format!("{name}:"))),
            "the skeleton lacks `{}`:\n{out}",
            f.path
        );
    }
    for l in out.lines().filter(|l| l.contains(": null")) {
        assert!(l.contains("  # "), "a field without a comment: {l}");
    }
    assert!(out.contains("country: \"Testland\"") && out.contains("year: 2023"));
    let dir = std::env::temp_dir().join(format!("tiers-new-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("mkdir");
    let file = dir.join("testland.yaml");
    std::fs::write(&file, &out).expect("write");
    let (code, stdout, err) = tiers(&["assess", file.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "the skeleton does not load:\n{err}");
    assert!(stdout.starts_with("Testland (2023 edition"), "{stdout}");
    // with a modeline
    let (_, out, _) = tiers(&[
        "new",
        "Testland",
        "--year",
        "2023",
        "--schema",
        "../../schema/facts.schema.json",
    ]);
    assert!(out.starts_with("# yaml-language-server: $schema=../../schema/facts.schema.json\n"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_field_reference_in_docs_facts_md_is_current() {
    const BEGIN: &str = "<!-- field reference: generated by `tiers schema --reference` -->\n";
    const END: &str = "<!-- end of field reference -->";
    let (code, table, err) = tiers(&["schema", "--reference"]);
    assert_eq!(code, 0, "{err}");
    tiers_tests::generated_block("docs/facts.md", BEGIN, END, &table);
}

#[test]
fn reads_follow_lets_quantifiers_and_defs_and_tell_wording_from_deciding() {
    let pack = tvpa();
    let map = tiers::reads::ReadMap::of(&pack);
    let crit = |id: &str| {
        map.reads(&tiers::reads::Reader::Criterion(id.into()))
            .unwrap_or_else(|| panic!("{id}"))
            .clone()
    };
    // the outcome rests on the practice; the provision only words the reason
    let np = crit("protection.non_punishment");
    assert!(
        np.decides.contains("protection.victims_penalized"),
        "{np:?}"
    );
    assert!(
        !np.decides.contains("law.non_punishment_provision"),
        "{np:?}"
    );
    assert!(np.words.contains("law.non_punishment_provision"), "{np:?}");
    // through a quantifier and a def with a parameter
    let pc = crit("penalty.commensurate");
    assert!(pc.decides.contains("law.provisions[*].fine"), "{pc:?}");
    assert!(pc.decides.contains("law.provisions[*].covers"), "{pc:?}");
    assert!(pc.decides.contains("law.rape_penalty.max_years"), "{pc:?}");
    let (decides, _) = map.readers_of("law.provisions[0].max_years");
    assert!(decides
        .iter()
        .any(|r| **r == tiers::reads::Reader::Criterion("penalty.sufficiently_stringent".into())));
    // through `??`: the draft's law paragraph walks `(law.provisions ?? [])`
    // and words each provision's statute and scope
    let (decides, words) = map.readers_of("law.provisions[0].applies_to");
    assert!(
        decides
            .iter()
            .chain(&words)
            .any(|r| **r == tiers::reads::Reader::Rationale),
        "{decides:?} {words:?}"
    );
}
