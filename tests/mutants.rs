//! Mutation testing of the shipped pack (`tiers test --mutants`): the
//! shipped cases must notice at least 90% of the small changes to the
//! rules; docs/mutants.md says why each survivor is equivalent or
//! acceptable.

use tiers::case::LoadOptions;
use tiers::mutants::{self, Kind};
use tiers_tests::{root, tvpa};

#[test]
fn the_shipped_cases_kill_at_least_nine_mutants_in_ten() {
    let pack = tvpa();
    let r = mutants::run(&pack, &[root().join("cases")], LoadOptions::default());
    assert!(
        r.failing.is_empty(),
        "cases whose expect: does not hold: {:?}",
        r.failing
    );
    assert!(r.cases.len() >= 150, "cases run: {}", r.cases.len());
    // every kind of mutant is made on the shipped pack
    for k in Kind::ALL {
        assert!(
            r.mutants.iter().any(|m| m.kind == k),
            "no mutant of kind {}",
            k.as_str()
        );
    }
    let (killed, all) = (r.killed(), r.mutants.len());
    let survivors: Vec<String> = r
        .survivors()
        .map(|m| {
            format!(
                "{} {}: {}\n    + {}",
                m.location,
                m.kind.as_str(),
                m.change,
                m.after
            )
        })
        .collect();
    assert!(
        killed * 10 >= all * 9,
        "mutants: {killed} of {all} killed, below 90%; survivors:\n{}",
        survivors.join("\n")
    );
}

/// A mutant is a change of the compiled pack alone: the source files and
/// the pack itself are left as they were.
#[test]
fn mutants_change_a_copy_of_the_pack() {
    let pack = tvpa();
    let ms = mutants::mutants(&pack);
    assert!(ms.len() > 300, "mutants: {}", ms.len());
    let before = format!("{:?}", pack.criteria);
    for m in ms.iter().take(50) {
        let p = m.apply(&pack);
        assert!(
            format!("{:?}", p.criteria) != before
                || format!("{:?}", p.judgments) != format!("{:?}", pack.judgments)
                || format!("{:?}", p.steps) != format!("{:?}", pack.steps)
                || format!("{:?}", p.defs) != format!("{:?}", pack.defs)
                || format!("{:?}", p.params) != format!("{:?}", pack.params),
            "{} {} changed nothing",
            m.location,
            m.change
        );
    }
    assert_eq!(format!("{:?}", pack.criteria), before);
}
