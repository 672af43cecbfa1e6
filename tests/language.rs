//! The rule language: grammar, three-valued logic, quantifiers, dated
//! parameters, exceptions; and the TVPA pack's Watch List clock and
//! edition differences on synthetic facts.

use tiers::case::{load_bytes, LoadOptions};
use tiers::{evaluate, Outcome};
use tiers_tests::tvpa;

const HEADER: &str = r#"
pack t { title "test" editions 2017, 2023 edition_fact year findings_fact f }
type tier = enum { "1", "2", "3" }
facts {
  country: text required
  year: number required
  a: bool
  b: bool
  n: number
  f: { x: bool }
  items: list of { name: text  fine: enum { none, cumulative, alternative }  top: number }
}
placement tier { decide d { when true => "1" because "placed" } }
"#;

fn pack(rules: &str) -> tiers::RulePack {
    let src = format!("{HEADER}\n{rules}");
    match tiers::load_pack_from(vec![("test.rules".into(), src.into_bytes())]) {
        Ok(p) => p,
        Err(f) => panic!("pack does not check:\n{}", f.render()),
    }
}

fn outcome(p: &tiers::RulePack, facts: &str, id: &str) -> Outcome {
    let yaml = format!("country: X\nyear: 2017\n{facts}");
    let f = match load_bytes(p, "t.yaml", yaml.as_bytes(), LoadOptions::default()) {
        Ok(f) => f,
        Err(e) => panic!("facts do not load:\n{}", e.render()),
    };
    evaluate(p, &f)
        .outcome(id)
        .unwrap_or(Outcome::NotApplicable)
}

fn because(p: &tiers::RulePack, facts: &str, id: &str) -> String {
    let yaml = format!("country: X\nyear: 2017\n{facts}");
    let f = load_bytes(p, "t.yaml", yaml.as_bytes(), LoadOptions::default()).expect("facts load");
    let a = evaluate(p, &f);
    a.criteria
        .iter()
        .find(|c| c.id == id)
        .map(|c| c.because.clone())
        .unwrap_or_default()
}

#[test]
fn kleene_and_or_not() {
    let p = pack(
        r#"
criterion c.conj { when a and b => met because "both" otherwise => not_met because "not both" }
criterion c.disj { when a or b => met because "one" otherwise => not_met because "neither" }
criterion c.neg { when not a => met because "not a" otherwise => not_met because "a" }
"#,
    );
    // unknown and false = false; unknown and true = unknown
    assert_eq!(outcome(&p, "b: false", "c.conj"), Outcome::NotMet);
    assert_eq!(outcome(&p, "b: true", "c.conj"), Outcome::Unknown);
    // unknown or true = true; unknown or false = unknown
    assert_eq!(outcome(&p, "b: true", "c.disj"), Outcome::Met);
    assert_eq!(outcome(&p, "b: false", "c.disj"), Outcome::Unknown);
    assert_eq!(outcome(&p, "", "c.neg"), Outcome::Unknown);
    assert_eq!(outcome(&p, "a: false", "c.neg"), Outcome::Met);
}

#[test]
fn unknown_names_the_missing_fact() {
    let p = pack(
        r#"criterion c.x { when n >= 4 => met because "big" otherwise => not_met because "small" }"#,
    );
    assert_eq!(outcome(&p, "", "c.x"), Outcome::Unknown);
    assert!(
        because(&p, "", "c.x").contains("`n`"),
        "{}",
        because(&p, "", "c.x")
    );
    assert_eq!(outcome(&p, "n: 4", "c.x"), Outcome::Met);
    assert_eq!(outcome(&p, "n: 3.5", "c.x"), Outcome::NotMet);
}

#[test]
fn quantifiers_and_aggregates() {
    let p = pack(
        r#"
criterion q.exists { when any i in items where i.fine = "alternative" => not_met because "{first i.name for i in items where i.fine = "alternative"} allows a fine" otherwise => met because "none" }
criterion q.largest { when (max i.top for i in items) >= 10 => met because "max {max i.top for i in items}" otherwise => not_met because "low" }
criterion q.counted { when (count i in items where i.top > 5) = 2 => met because "two" otherwise => not_met because "not two" }
"#,
    );
    let items =
        "items:\n  - {name: A, fine: none, top: 12}\n  - {name: B, fine: alternative, top: 6}\n";
    assert_eq!(outcome(&p, items, "q.exists"), Outcome::NotMet);
    assert_eq!(because(&p, items, "q.exists"), "B allows a fine");
    assert_eq!(outcome(&p, items, "q.largest"), Outcome::Met);
    assert_eq!(because(&p, items, "q.largest"), "max 12");
    assert_eq!(outcome(&p, items, "q.counted"), Outcome::Met);
    // an unknown element makes `any` unknown unless another is true
    let unknown = "items:\n  - {name: A, fine: null, top: 12}\n";
    assert_eq!(outcome(&p, unknown, "q.exists"), Outcome::Unknown);
    assert_eq!(outcome(&p, "items: []", "q.exists"), Outcome::Met);
    // a missing list is unknown, not empty
    assert_eq!(outcome(&p, "", "q.exists"), Outcome::Unknown);
}

#[test]
fn dated_parameters_follow_the_edition() {
    let p = pack(
        r#"
param bar: number { from 2001 = 4  from 2020 = 8 }
criterion p.bar { when n >= bar => met because "n at least {bar}" otherwise => not_met because "below {bar}" }
"#,
    );
    assert_eq!(outcome(&p, "n: 5", "p.bar"), Outcome::Met);
    let yaml = "country: X\nyear: 2023\nn: 5\n";
    let f = load_bytes(&p, "t.yaml", yaml.as_bytes(), LoadOptions::default()).expect("loads");
    let a = evaluate(&p, &f);
    assert_eq!(a.outcome("p.bar"), Some(Outcome::NotMet));
    assert_eq!(a.criteria[0].because, "below 8");
}

#[test]
fn exceptions_override_the_general_rule() {
    let p = pack(
        r#"
criterion e.x { when a => met because "general" otherwise => not_met because "general no" }
exception to e.x { title "special rule" when b => not_met because "exception applies" }
"#,
    );
    assert_eq!(outcome(&p, "a: true\nb: false", "e.x"), Outcome::Met);
    assert_eq!(outcome(&p, "a: true\nb: true", "e.x"), Outcome::NotMet);
    assert_eq!(because(&p, "a: true\nb: true", "e.x"), "exception applies");
    // an exception whose condition is unknown makes the outcome unknown
    assert_eq!(outcome(&p, "a: true", "e.x"), Outcome::Unknown);
}

#[test]
fn criteria_reference_each_other_and_judgments_fall_back_to_derivation() {
    let p = pack(
        r#"
criterion r.base { when a => met because "a" otherwise => not_met because "not a" }
criterion r.dep { when r.base is met => met because "base met" otherwise => not_met because "base not met" }
judgment j { found f.x  when n > 3 => true because "n above 3"  otherwise => false because "n small" }
criterion r.j { when j => met because "j" otherwise => not_met because "not j" }
"#,
    );
    assert_eq!(outcome(&p, "a: true", "r.dep"), Outcome::Met);
    assert_eq!(outcome(&p, "", "r.dep"), Outcome::Unknown);
    assert_eq!(outcome(&p, "n: 5", "r.j"), Outcome::Met);
    assert_eq!(outcome(&p, "n: 5\nf: {x: false}", "r.j"), Outcome::NotMet);
}

#[test]
fn templates_hold_strings_and_literal_braces() {
    let p = pack(
        r#"criterion t.x { otherwise => met because "{{literal}} {if a then "yes \"quoted\"" else "no"}" }"#,
    );
    assert_eq!(because(&p, "a: true", "t.x"), "{literal} yes \"quoted\"");
}

#[test]
fn a_rationale_choose_passes_over_a_branch_whose_condition_is_unknown() {
    let p = pack(
        r#"rationale { choose { when a => "A holds." when b => "B holds." otherwise => "Neither." } }"#,
    );
    let draft = |facts: &str| {
        let yaml = format!("country: X\nyear: 2017\n{facts}");
        let f = load_bytes(&p, "t.yaml", yaml.as_bytes(), LoadOptions::default()).expect("loads");
        evaluate(&p, &f).rationale
    };
    assert_eq!(draft("a: true"), "A holds.");
    // `a` unknown: a decision would stop there; the draft goes on
    assert_eq!(draft("b: true"), "B holds.");
    assert_eq!(draft(""), "Neither.");
    assert_eq!(draft("a: false\nb: false"), "Neither.");
}

#[test]
fn a_def_argument_that_calls_a_def_leaves_the_earlier_arguments_alone() {
    // both calls are inlined: `inner`'s parameter and `pair`'s first one
    // may share a slot, and the second argument is evaluated after the first
    let p = pack(
        r#"
def inner(x) = x + 1
def pair(a, b) = "{a} then {b}"
criterion t.p { otherwise => met because "{pair(n, inner(n + 10))}" }
"#,
    );
    assert_eq!(because(&p, "n: 5", "t.p"), "5 then 16");
}

#[test]
fn grouped_writes_counts_with_thousands_separators_and_plain_numbers_stay_plain() {
    let p = pack(r#"criterion t.g { otherwise => met because "{grouped(n)} in {n}" }"#);
    assert_eq!(because(&p, "n: 2016", "t.g"), "2,016 in 2016");
    assert_eq!(because(&p, "n: 1234567", "t.g"), "1,234,567 in 1234567");
    assert_eq!(because(&p, "n: 999", "t.g"), "999 in 999");
}

#[test]
fn keywords_are_not_names_but_prefixes_are() {
    // `max_years`, `country`, `index` start with keywords and are names
    let p = pack(
        r#"def maxed = 1
def counted = maxed + 1
criterion k.x { when counted = 2 => met because "ok" otherwise => not_met because "no" }"#,
    );
    assert_eq!(outcome(&p, "", "k.x"), Outcome::Met);
}

#[test]
fn nesting_limit_is_enforced() {
    let deep = format!(
        "criterion n.x {{ when {}a{} => met otherwise => not_met }}",
        "(".repeat(200),
        ")".repeat(200)
    );
    let src = format!("{HEADER}\n{deep}");
    let f =
        tiers::load_pack_from(vec![("deep.rules".into(), src.into_bytes())]).expect_err("too deep");
    assert_eq!(f.diags[0].code.as_str(), "nesting-too-deep");
}

// ------------------------------------------------------------------ TVPA pack

fn assess_tvpa(yaml: &str) -> tiers::Assessment {
    let pack = tvpa();
    let f = match load_bytes(
        &pack,
        "synthetic.yaml",
        yaml.as_bytes(),
        LoadOptions::default(),
    ) {
        Ok(f) => f,
        Err(e) => panic!("synthetic facts do not load:\n{}", e.render()),
    };
    evaluate(&pack, &f)
}

/// A country making significant but not increasing efforts (a Watch List
/// candidate), with the given edition, earlier placements and waiver finding.
fn watch_list_candidate(year: u32, history: &[(u32, &str, bool)], plan: bool) -> String {
    let mut y = format!("country: Testland\nyear: {year}\nhistory:\n");
    for (hy, t, w) in history {
        y.push_str(&format!("  - {{year: {hy}, tier: \"{t}\", waiver: {w}}}\n"));
    }
    if history.is_empty() {
        y = format!("country: Testland\nyear: {year}\nhistory: []\n");
    }
    y.push_str(&format!(
        "state: {{policy_or_pattern: false, child_soldiers: false}}\nfindings:\n  fully_meets: false\n  significant_efforts: true\n  increasing_efforts: false\n  written_plan_with_resources: {plan}\n"
    ));
    y
}

fn tier(a: &tiers::Assessment) -> String {
    a.tier.clone().unwrap_or_default()
}

#[test]
fn watch_list_clock_2023_one_waiver() {
    // first and second Watch List years
    assert_eq!(
        tier(&assess_tvpa(&watch_list_candidate(2023, &[], false))),
        "2WL"
    );
    assert_eq!(
        tier(&assess_tvpa(&watch_list_candidate(
            2023,
            &[(2022, "2WL", false)],
            false
        ))),
        "2WL"
    );
    // third year: automatic downgrade, unless waived
    let h2 = [(2021, "2WL", false), (2022, "2WL", false)];
    let down = assess_tvpa(&watch_list_candidate(2023, &h2, false));
    assert_eq!(tier(&down), "3");
    assert!(down
        .steps
        .iter()
        .any(|s| s.rule == "watch_list_waiver" && s.tier.as_deref() == Some("3")));
    let waived = assess_tvpa(&watch_list_candidate(2023, &h2, true));
    assert_eq!(tier(&waived), "2WL");
    assert!(
        waived.rationale.contains("granted a waiver"),
        "{}",
        waived.rationale
    );
    // fourth year: up to Tier 2 or down to Tier 3, waiver or not
    let h3 = [
        (2020, "2WL", false),
        (2021, "2WL", false),
        (2022, "2WL", true),
    ];
    assert_eq!(
        tier(&assess_tvpa(&watch_list_candidate(2023, &h3, true))),
        "3"
    );
    // post-waiver limit: waiver, then Tier 3, then one Watch List year only
    let hp = [
        (2019, "2WL", false),
        (2020, "2WL", true),
        (2021, "3", false),
        (2022, "2WL", false),
    ];
    let limited = assess_tvpa(&watch_list_candidate(2023, &hp, false));
    assert_eq!(tier(&limited), "3");
    assert!(limited.steps.iter().any(|s| s.rule == "post_waiver_limit"));
    let hp1 = [
        (2019, "2WL", false),
        (2020, "2WL", true),
        (2021, "3", false),
    ];
    assert_eq!(
        tier(&assess_tvpa(&watch_list_candidate(2023, &hp1, false))),
        "2WL"
    );
}

#[test]
fn watch_list_clock_2017_two_waivers() {
    // 2017: a fourth consecutive year is possible with a second waiver (Laos 2017)
    let h3 = [
        (2014, "2WL", false),
        (2015, "2WL", true),
        (2016, "2WL", true),
    ];
    // two waivers used already: no third
    assert_eq!(
        tier(&assess_tvpa(&watch_list_candidate(2017, &h3, true))),
        "3"
    );
    let h3b = [
        (2014, "2WL", false),
        (2015, "2WL", false),
        (2016, "2WL", true),
    ];
    assert_eq!(
        tier(&assess_tvpa(&watch_list_candidate(2017, &h3b, true))),
        "2WL"
    );
    // the same history in 2023 law: down to Tier 3
    let h3c = [
        (2020, "2WL", false),
        (2021, "2WL", false),
        (2022, "2WL", true),
    ];
    assert_eq!(
        tier(&assess_tvpa(&watch_list_candidate(2023, &h3c, true))),
        "3"
    );
    // fifth consecutive year in 2017: must move
    let h4 = [
        (2013, "2WL", false),
        (2014, "2WL", false),
        (2015, "2WL", true),
        (2016, "2WL", true),
    ];
    assert_eq!(
        tier(&assess_tvpa(&watch_list_candidate(2017, &h4, true))),
        "3"
    );
}

fn fine_case(year: u32) -> String {
    format!(
        "country: Testland\nyear: {year}\nlaw:\n  prohibits_sex_trafficking: true\n  provisions:\n    - {{name: \"TIP Act\", covers: [adult_sex, child_sex, adult_labor, child_labor], max_years: 20, life: false, fine: alternative}}\n"
    )
}

#[test]
fn fine_in_lieu_is_judged_under_commensurability_in_every_edition() {
    // TIP2017 Jamaica, TIP2019 Palau, TIP2020 St. Maarten and the real cases
    // of 2018-2023: a fine in lieu leaves the penalty sufficiently stringent
    // and, with respect to sex trafficking, makes it not commensurate.
    for year in [2017, 2019, 2021, 2023, 2025] {
        let a = assess_tvpa(&fine_case(year));
        assert_eq!(
            a.outcome("penalty.sufficiently_stringent"),
            Some(Outcome::Met),
            "{year}"
        );
        assert_eq!(
            a.outcome("penalty.commensurate"),
            Some(Outcome::NotMet),
            "{year}"
        );
    }
}

#[test]
fn a_minimum_only_term_is_judged_against_the_floor() {
    // TIP2023 Nigeria: a minimum of two years, no maximum: sufficiently
    // stringent; TIP2017 Jordan: six months: not; one year: not.
    let case = |min: &str| {
        format!("country: T\nyear: 2021\nlaw:\n  prohibits_sex_trafficking: true\n  provisions:\n    - {{name: \"TIP Act\", covers: [adult_sex, child_sex], min_years: {min}, life: false, fine: none}}\n")
    };
    for (min, want) in [
        ("0.5", Outcome::NotMet),
        ("1", Outcome::NotMet),
        ("2", Outcome::Met),
        ("6", Outcome::Met),
    ] {
        assert_eq!(
            assess_tvpa(&case(min)).outcome("penalty.sufficiently_stringent"),
            Some(want),
            "minimum {min}"
        );
    }
}

#[test]
fn labor_only_provision_does_not_make_sex_trafficking_penalties_commensurate() {
    let y = "country: T\nyear: 2017\nlaw:\n  prohibits_sex_trafficking: true\n  provisions:\n    - {name: \"Labour Act\", covers: [adult_labor, child_labor], max_years: 20, life: false, fine: none}\n";
    let a = assess_tvpa(y);
    assert_eq!(a.outcome("penalty.commensurate"), Some(Outcome::NotMet));
}

#[test]
fn rape_penalty_comparison_and_life_imprisonment() {
    let base = "country: T\nyear: 2017\nlaw:\n  prohibits_sex_trafficking: true\n  provisions:\n    - {name: \"TIP Act\", covers: [adult_sex, child_sex], max_years: 10, life: false, fine: none}\n";
    let below = format!("{base}  rape_penalty: {{max_years: 15, life: false, fine: none}}\n");
    assert_eq!(
        assess_tvpa(&below).outcome("penalty.commensurate"),
        Some(Outcome::NotMet)
    );
    let above = format!("{base}  rape_penalty: {{max_years: 8, life: false, fine: alternative}}\n");
    assert_eq!(
        assess_tvpa(&above).outcome("penalty.commensurate"),
        Some(Outcome::Met)
    );
    let life = "country: T\nyear: 2017\nlaw:\n  prohibits_sex_trafficking: true\n  provisions:\n    - {name: \"TIP Act\", covers: [adult_sex, child_sex], min_years: 5, life: true, fine: cumulative}\n  rape_penalty: {max_years: 20, life: false, fine: none}\n";
    let a = assess_tvpa(life);
    assert_eq!(a.outcome("penalty.commensurate"), Some(Outcome::Met));
    assert_eq!(
        a.outcome("penalty.sufficiently_stringent"),
        Some(Outcome::Met)
    );
}

#[test]
fn child_means_requirement() {
    let y = "country: T\nyear: 2017\nlaw:\n  prohibits_sex_trafficking: true\n  child_sex_trafficking_requires_means: true\n";
    let a = assess_tvpa(y);
    assert_eq!(
        a.outcome("law.child_sex_without_means"),
        Some(Outcome::NotMet)
    );
    let y2 = "country: T\nyear: 2017\nlaw:\n  prohibits_sex_trafficking: true\n";
    assert_eq!(
        assess_tvpa(y2).outcome("law.child_sex_without_means"),
        Some(Outcome::Unknown)
    );
}

#[test]
fn policy_or_pattern_and_tier_one_warning() {
    let y = "country: T\nyear: 2023\nstate: {policy_or_pattern: true}\nfindings: {significant_efforts: true, increasing_efforts: true}\n";
    let a = assess_tvpa(y);
    assert_eq!(tier(&a), "3");
    assert_eq!(a.steps[0].rule, "policy_or_pattern");
    let t1 = "country: T\nyear: 2023\nprotection: {victims_penalized: true}\nfindings: {fully_meets: true}\nenforcement: {data_provided: true}\n";
    let a = assess_tvpa(t1);
    assert_eq!(tier(&a), "1");
    assert!(
        a.warnings
            .iter()
            .any(|w| w.contains("protection.non_punishment")),
        "{:?}",
        a.warnings
    );
    assert!(
        a.rationale
            .contains("Although the government meets the minimum standards"),
        "{}",
        a.rationale
    );
}

#[test]
fn data_presumption() {
    let y = "country: T\nyear: 2023\nenforcement: {data_provided: false}\nfindings: {fully_meets: true, significant_efforts: true}\n";
    let a = assess_tvpa(y);
    assert_eq!(a.outcome("prosecution.vigorous"), Some(Outcome::NotMet));
    // no Tier 1 without data, and no evidence of increasing efforts either
    assert_eq!(tier(&a), "2WL");
    assert!(
        a.warnings
            .iter()
            .any(|w| w.contains("Tier 1 is not available")),
        "{:?}",
        a.warnings
    );
}

#[test]
fn a_gap_in_the_history_and_a_contrary_finding_are_warned() {
    let gap = "country: T\nyear: 2023\nhistory:\n  - {year: 2020, tier: \"2WL\"}\n  - {year: 2021, tier: \"2WL\"}\nfindings: {significant_efforts: true, increasing_efforts: false}\n";
    let a = assess_tvpa(gap);
    assert!(
        a.warnings
            .iter()
            .any(|w| w.contains("no placement for 2022")),
        "{:?}",
        a.warnings
    );
    let contrary = "country: T\nyear: 2023\nstate: {policy_or_pattern: true}\nfindings: {significant_efforts: true}\n";
    let a = assess_tvpa(contrary);
    assert_eq!(tier(&a), "3");
    assert!(
        a.warnings
            .iter()
            .any(|w| w.contains("proof of a failure to make significant efforts")),
        "{:?}",
        a.warnings
    );
    assert!(a.rationale.contains("policy or pattern"), "{}", a.rationale);
}
