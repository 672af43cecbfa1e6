//! The differential check against the Rego encoding of the same logic
//! (bench/peer/tvpa.rego, run by regorus), as a fast test: every shipped
//! case and a few hundred synthetic countries. The benchmark
//! (`cargo bench -p tiers-bench --bench peer`) runs the same comparison on
//! 5,000 synthetic countries before it times the two engines.

#[path = "../bench/peer/compare.rs"]
mod compare;

use compare::{Peer, Tally};
use tiers_bench::{all_case_paths, facts_json, load, Synth};
use tiers_tests::{root, tvpa};

/// Synthetic countries compared (the benchmark's seed, so the first of
/// its inputs).
const SYNTHETIC: usize = 300;
const SEED: u64 = 2017;

#[test]
fn tiers_and_the_rego_encoding_agree() {
    let pack = tvpa();
    let mut peer = Peer::new(&root(), &pack).unwrap_or_else(|e| panic!("{e}"));
    let mut tally = Tally::default();
    let mut mismatches = vec![];
    let mut check = |name: String, facts: tiers::facts::Facts| {
        let json = facts_json(&pack, &facts);
        let rego = regorus::Value::from(json.clone());
        let c = peer.compare(&pack, &facts, &json, &rego);
        tally.add(&c);
        if !c.problems.is_empty() && mismatches.len() < 10 {
            mismatches.push(format!(
                "{name}:\n  {}\n  input: {}",
                c.problems.join("\n  "),
                serde_json::to_string(&json).unwrap_or_default()
            ));
        }
    };
    let shipped = all_case_paths();
    assert!(shipped.len() >= 100, "shipped cases: {}", shipped.len());
    for p in &shipped {
        let name = p.strip_prefix(root()).unwrap_or(p).display().to_string();
        check(name, load(&pack, p));
    }
    let synth = Synth::new(&pack, SEED);
    for i in 0..SYNTHETIC {
        check(format!("synthetic #{i}"), synth.facts(&pack, i));
    }
    assert!(
        mismatches.is_empty(),
        "{} of {} inputs differ; the first:\n{}",
        tally.mismatches,
        tally.inputs,
        mismatches.join("\n")
    );
    // the inputs reach every tier and every outcome of both criteria
    let report = tally.report(shipped.len(), SYNTHETIC);
    for t in ["1", "2", "2WL", "3"] {
        assert!(
            tally.tiers.get(t).is_some_and(|n| *n >= 3),
            "tier {t}\n{report}"
        );
    }
    for id in compare::CRITERIA {
        for o in ["met", "not_met", "unknown"] {
            let k = format!("{id} {o}");
            assert!(
                tally.outcomes.get(&k).is_some_and(|n| *n >= 3),
                "{k}\n{report}"
            );
        }
    }
    assert!(tally.tiers_compared >= 200, "{report}");

    // docs/performance.md shows the whole summary
    let block = tally.report(shipped.len(), SYNTHETIC);
    let path = root().join("docs/performance.md");
    let doc = std::fs::read_to_string(&path).expect("docs/performance.md");
    if std::env::var("TIERS_BLESS_DOCS").is_ok_and(|v| v == "1") {
        let start = doc
            .find("```text\ndifferential check:")
            .expect("the block in docs/performance.md")
            + 8;
        let end = start + doc[start..].find("```").expect("the block's end");
        let mut new = doc.clone();
        new.replace_range(start..end, &block);
        std::fs::write(&path, new).expect("write");
    } else {
        assert!(
            doc.contains(&format!("```text\n{block}```")),
            "docs/performance.md should show what the test prints (TIERS_BLESS_DOCS=1 rewrites it):\n{block}"
        );
    }
}
