//! Properties the law and the tool imply, checked on generated inputs.

use proptest::prelude::*;
use tiers::case::{load_bytes, LoadOptions};
use tiers::explain::{render, Format};
use tiers::{evaluate, Outcome};
use tiers_tests::{root, tvpa};

// ------------------------------------------------------------ generators

fn opt_bool() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("null".to_string()),
        Just("true".to_string()),
        Just("false".to_string())
    ]
}

#[derive(Debug, Clone)]
struct Provision {
    covers: Vec<&'static str>,
    max: Option<u32>,
    min: Option<u32>,
    life: Option<bool>,
    fine: Option<&'static str>,
    kind: Option<&'static str>,
}

fn provision() -> impl Strategy<Value = Provision> {
    (
        proptest::sample::subsequence(
            vec!["adult_sex", "child_sex", "adult_labor", "child_labor"],
            1..=4,
        ),
        proptest::option::of(prop_oneof![
            Just(2u32),
            Just(3),
            Just(5),
            Just(10),
            Just(15),
            Just(20)
        ]),
        proptest::option::of(prop_oneof![Just(0u32), Just(1), Just(2), Just(5)]),
        proptest::option::of(any::<bool>()),
        proptest::option::of(prop_oneof![
            Just("none"),
            Just("cumulative"),
            Just("alternative")
        ]),
        proptest::option::of(prop_oneof![Just("trafficking"), Just("related")]),
    )
        .prop_map(|(covers, max, min, life, fine, kind)| Provision {
            covers,
            max,
            min,
            life,
            fine,
            kind,
        })
}

#[derive(Debug, Clone)]
struct Country {
    year: u32,
    sex: String,
    labor: String,
    means: String,
    movement: String,
    penalized: String,
    np_provision: String,
    provision_list: Option<Vec<Provision>>,
    rape_max: Option<u32>,
    history: Vec<&'static str>,
    findings: [String; 4],
    counts: [Option<(u32, u32)>; 3],
}

fn country() -> impl Strategy<Value = Country> {
    (
        prop_oneof![Just(2017u32), Just(2023), Just(2025)],
        (
            opt_bool(),
            opt_bool(),
            opt_bool(),
            opt_bool(),
            opt_bool(),
            opt_bool(),
        ),
        proptest::option::of(proptest::collection::vec(provision(), 0..4)),
        proptest::option::of(prop_oneof![Just(5u32), Just(10), Just(20)]),
        proptest::collection::vec(
            prop_oneof![Just("1"), Just("2"), Just("2WL"), Just("3")],
            0..5,
        ),
        (opt_bool(), opt_bool(), opt_bool(), opt_bool()),
        proptest::array::uniform3(proptest::option::of((0u32..50, 0u32..50))),
    )
        .prop_map(
            |(
                year,
                (sex, labor, means, movement, penalized, np_provision),
                provision_list,
                rape_max,
                history,
                f,
                counts,
            )| Country {
                year,
                sex,
                labor,
                means,
                movement,
                penalized,
                np_provision,
                provision_list,
                rape_max,
                history,
                findings: [f.0, f.1, f.2, f.3],
                counts,
            },
        )
}

fn yaml(c: &Country) -> String {
    let mut y = format!("country: Testland\nyear: {}\n", c.year);
    y.push_str("history:\n");
    if c.history.is_empty() {
        y = y.replace("history:\n", "history: []\n");
    }
    for (i, t) in c.history.iter().enumerate() {
        let hy = c.year as usize - c.history.len() + i;
        y.push_str(&format!("  - {{year: {hy}, tier: \"{t}\"}}\n"));
    }
    y.push_str(&format!(
        "law:\n  prohibits_sex_trafficking: {}\n  prohibits_labor_trafficking: {}\n  child_sex_trafficking_requires_means: {}\n  requires_movement: {}\n  non_punishment_provision: {}\n",
        c.sex, c.labor, c.means, c.movement, c.np_provision
    ));
    match &c.provision_list {
        None => y.push_str("  provisions: null\n"),
        Some(ps) if ps.is_empty() => y.push_str("  provisions: []\n"),
        Some(ps) => {
            y.push_str("  provisions:\n");
            for (i, p) in ps.iter().enumerate() {
                let num =
                    |v: Option<u32>| v.map(|n| n.to_string()).unwrap_or_else(|| "null".into());
                y.push_str(&format!(
                    "    - {{name: \"P{i}\", kind: {}, covers: [{}], min_years: {}, max_years: {}, life: {}, fine: {}}}\n",
                    p.kind.unwrap_or("null"),
                    p.covers.join(", "),
                    num(p.min),
                    num(p.max),
                    p.life.map(|b| b.to_string()).unwrap_or_else(|| "null".into()),
                    p.fine.unwrap_or("null")
                ));
            }
        }
    }
    if let Some(r) = c.rape_max {
        y.push_str(&format!(
            "  rape_penalty: {{max_years: {r}, life: false, fine: none}}\n"
        ));
    }
    y.push_str("enforcement:\n  data_provided: true\n");
    for (name, v) in ["investigations", "prosecutions", "convictions"]
        .iter()
        .zip(&c.counts)
    {
        if let Some((cur, prev)) = v {
            y.push_str(&format!("  {name}: {{current: {cur}, previous: {prev}}}\n"));
        }
    }
    y.push_str(&format!(
        "protection:\n  victims_penalized: {}\n",
        c.penalized
    ));
    y.push_str("state: {policy_or_pattern: false, child_soldiers: false}\n");
    y.push_str(&format!(
        "findings:\n  fully_meets: {}\n  significant_efforts: {}\n  increasing_efforts: {}\n  written_plan_with_resources: {}\n",
        c.findings[0], c.findings[1], c.findings[2], c.findings[3]
    ));
    y
}

fn assess(pack: &tiers::RulePack, y: &str) -> tiers::Assessment {
    match load_bytes(pack, "generated.yaml", y.as_bytes(), LoadOptions::default()) {
        Ok(f) => evaluate(pack, &f),
        Err(e) => panic!("generated facts do not load:\n{}\n{y}", e.render()),
    }
}

fn rank(t: &Option<String>) -> u8 {
    match t.as_deref() {
        Some("1") => 1,
        Some("2") => 2,
        Some("2WL") => 3,
        Some("3") => 4,
        _ => 5,
    }
}

/// The improvements of the law the statute favours: no fine in lieu, a
/// higher maximum term, no child means requirement, victims no longer
/// penalised, a non-punishment provision.
fn improve(c: &Country, which: u8) -> Country {
    let mut d = c.clone();
    match which {
        0 => {
            if let Some(ps) = &mut d.provision_list {
                for p in ps {
                    if p.fine == Some("alternative") {
                        p.fine = Some("cumulative");
                    }
                }
            }
        }
        1 => {
            if let Some(ps) = &mut d.provision_list {
                for p in ps {
                    p.max = p.max.map(|m| m + 5);
                }
            }
        }
        2 => {
            if d.means == "true" {
                d.means = "false".into();
            }
        }
        3 => {
            if d.penalized == "true" {
                d.penalized = "false".into();
            }
        }
        _ => d.np_provision = "true".into(),
    }
    d
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn assessment_is_deterministic(c in country()) {
        let pack = tvpa();
        let y = yaml(&c);
        let a = render(&assess(&pack, &y), Format::Json);
        let b = render(&assess(&pack, &y), Format::Json);
        prop_assert_eq!(&a, &b);
        let a = render(&assess(&pack, &y), Format::Text);
        let b = render(&assess(&pack, &y), Format::Text);
        prop_assert_eq!(a, b);
    }

    #[test]
    fn a_better_law_never_lowers_the_tier_or_unmeets_a_criterion(c in country(), which in 0u8..5) {
        let pack = tvpa();
        let before = assess(&pack, &yaml(&c));
        let after = assess(&pack, &yaml(&improve(&c, which)));
        prop_assert!(rank(&after.tier) <= rank(&before.tier),
            "tier {:?} -> {:?}\n{}", before.tier, after.tier, yaml(&c));
        for b in &before.criteria {
            if b.outcome == Outcome::Met {
                prop_assert_ne!(after.outcome(&b.id), Some(Outcome::NotMet), "{} met -> not_met\n{}", b.id, yaml(&c));
            }
        }
    }

    #[test]
    fn nulling_a_fact_never_turns_unknown_into_met(c in country(), field in 0usize..5) {
        let pack = tvpa();
        let before = assess(&pack, &yaml(&c));
        let mut d = c.clone();
        match field {
            0 => d.sex = "null".into(),
            1 => d.labor = "null".into(),
            2 => d.means = "null".into(),
            3 => d.movement = "null".into(),
            _ => d.penalized = "null".into(),
        }
        let after = assess(&pack, &yaml(&d));
        for b in &before.criteria {
            if b.outcome == Outcome::Unknown {
                let got = after.outcome(&b.id);
                prop_assert!(got == Some(Outcome::Unknown) || got == Some(Outcome::NotApplicable),
                    "{}: unknown -> {:?} after nulling a fact\n{}", b.id, got, yaml(&d));
            }
        }
    }

    #[test]
    fn fmt_is_idempotent_and_keeps_the_syntax_tree(seed in proptest::collection::vec((0usize..6, any::<bool>()), 1..400)) {
        for entry in std::fs::read_dir(root().join("rules/tvpa")).expect("pack").flatten() {
            let src = std::fs::read_to_string(entry.path()).expect("read");
            // scramble the layout: random indentation, trailing spaces, blank lines
            let mut scrambled = String::new();
            for (i, line) in src.lines().enumerate() {
                let (spaces, blank) = seed[i % seed.len()];
                scrambled.push_str(&" ".repeat(spaces * 3));
                scrambled.push_str(line.trim());
                scrambled.push_str(&" ".repeat(spaces % 2));
                scrambled.push('\n');
                if blank {
                    scrambled.push('\n');
                }
            }
            let once = tiers::fmt::format(&scrambled);
            prop_assert_eq!(tiers::fmt::format(&once), once.clone(), "not idempotent");
            prop_assert_eq!(syntax(&once), syntax(&src), "the tree changed");
            prop_assert_eq!(syntax(&scrambled), syntax(&src));
        }
    }
}

/// The syntax tree without spans (equality ignores where things are).
fn syntax(src: &str) -> String {
    let tree = tiers::parse::parse_file(0, src)
        .map(|f| format!("{f:?}"))
        .unwrap_or_else(|_| "does not parse".into());
    let mut out = String::with_capacity(tree.len());
    let mut rest = tree.as_str();
    while let Some(i) = rest.find("Span {") {
        out.push_str(&rest[..i]);
        let end = rest[i..].find('}').map(|e| i + e + 1).unwrap_or(rest.len());
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[test]
fn a_criterion_with_only_null_facts_is_unknown_or_not_applicable() {
    let pack = tvpa();
    for year in [2017, 2023, 2025] {
        let a = assess(&pack, &format!("country: Nullland\nyear: {year}\n"));
        for c in &a.criteria {
            assert!(
                matches!(c.outcome, Outcome::Unknown | Outcome::NotApplicable),
                "{year} {}: {} from no facts ({})",
                c.id,
                c.outcome,
                c.because
            );
        }
    }
}

#[test]
fn the_shipped_pack_is_formatted() {
    for entry in std::fs::read_dir(root().join("rules/tvpa"))
        .expect("pack")
        .flatten()
    {
        let src = std::fs::read_to_string(entry.path()).expect("read");
        assert!(
            tiers::fmt::is_formatted(&src),
            "{} is not formatted: run `tiers fmt rules/tvpa`",
            entry.path().display()
        );
    }
}
