//! Properties the law and the tool imply, checked on generated inputs.
//!
//! The generator (`country`) builds a whole facts file from a seed: every
//! edition the pack dates, histories that reach every tier and the Watch
//! List clock, provisions with terms on both sides of every threshold,
//! fines, kinds and coverage, comparison crimes, counts that rise and fall,
//! findings given or left to the derivations, and unknowns everywhere.
//! `the_generator_reaches_every_tier_and_both_sides_of_each_threshold`
//! checks that it does; `.ci/injected-bugs` checks that the properties fail
//! on the bugs issue 14 names.

use proptest::prelude::*;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use tiers::case::{load_bytes, LoadOptions};
use tiers::explain::{render, Format};
use tiers::{evaluate, Outcome};
use tiers_tests::{bin, root, tvpa};

// ------------------------------------------------------------ generator

/// The benchmarks' deterministic generator (xorshift64*, seeded through
/// splitmix64), with the kinds of value these properties need.
use tiers_bench::Rng;

trait Draw {
    fn years(&mut self, null_percent: u32) -> Value;
    fn yearly(&mut self) -> Value;
    fn penalty(&mut self) -> Value;
}

impl Draw for Rng {
    /// A term in years: often near the four-year bar, also near twelve,
    /// sometimes a fraction, sometimes unknown.
    fn years(&mut self, null_percent: u32) -> Value {
        if self.chance(null_percent) {
            return Value::Null;
        }
        match self.below(4) {
            0 => json!(self.below(7)), // 0..6: both sides of 4
            1 => json!(self.pick(&[0.5, 1.5, 3.5, 4.5])),
            2 => json!(8 + self.below(9)), // 8..16: both sides of 12
            _ => json!(1 + self.below(40)),
        }
    }
    fn yearly(&mut self) -> Value {
        if self.chance(15) {
            return Value::Null;
        }
        let prev = self.below(40);
        let cur = match self.below(3) {
            0 => prev,
            1 => prev + 1 + self.below(10),
            _ => prev.saturating_sub(1 + self.below(10)),
        };
        let n = |r: &mut Rng, v: usize| if r.chance(10) { Value::Null } else { json!(v) };
        json!({"current": n(self, cur), "previous": n(self, prev)})
    }
    fn penalty(&mut self) -> Value {
        if self.chance(30) {
            return Value::Null;
        }
        json!({
            "min_years": self.years(60),
            "max_years": self.years(20),
            "life": self.tri(15, 30),
            "fine": self.pick(&[json!(null), json!("none"), json!("cumulative"), json!("alternative")]),
        })
    }
}

const COVERS: [&str; 4] = ["adult_sex", "child_sex", "adult_labor", "child_labor"];
const TIERS: [&str; 5] = ["1", "2", "2WL", "3", "special"];

/// A whole facts file (as JSON, which is YAML) from a seed.
fn country(seed: u64) -> Value {
    let mut r = Rng::new(seed);
    let year = r.pick(&[2017u64, 2018, 2019, 2020, 2021, 2023, 2025]);
    // history: consecutive years back, Watch List runs long enough for the
    // clock, waivers; sometimes none, sometimes unknown
    let mut history = vec![];
    let runs = r.below(6) as u64;
    let wl = r.chance(40);
    for i in 0..runs {
        let tier = if wl && r.chance(80) {
            "2WL"
        } else {
            r.pick(&TIERS[..4])
        };
        history.push(json!({
            "year": year - 1 - i,
            "tier": tier,
            "waiver": if tier == "2WL" { r.tri(30, 30) } else { Value::Null },
        }));
    }
    let history = if r.chance(10) {
        Value::Null
    } else {
        Value::Array(history)
    };
    let mut provisions = vec![];
    for i in 0..r.below(4) {
        let covers: Vec<&str> = COVERS.iter().copied().filter(|_| r.chance(70)).collect();
        provisions.push(json!({
            "name": format!("Act {i}"),
            // wording only, so drawn from the index, not the random stream
            "statute": if i % 2 == 1 { json!("The Act") } else { Value::Null },
            "applies_to": if i > 0 { json!(format!("for case {i}")) } else { Value::Null },
            "kind": r.pick(&[json!(null), json!(null), json!("trafficking"), json!("related")]),
            "jurisdiction": if r.chance(15) { json!(format!("State {i}")) } else { Value::Null },
            "covers": if r.chance(10) { Value::Null } else { json!(covers) },
            "min_years": r.years(50),
            "max_years": r.years(15),
            "life": r.tri(10, 30),
            "fine": r.pick(&[json!(null), json!("none"), json!("none"), json!("cumulative"), json!("alternative")]),
        }));
    }
    let provisions = if r.chance(8) {
        Value::Null
    } else {
        Value::Array(provisions)
    };
    json!({
        "country": "Propland",
        "year": year,
        "history": history,
        "law": {
            "prohibits_sex_trafficking": r.tri(85, 10),
            "prohibits_labor_trafficking": r.tri(80, 10),
            "child_sex_trafficking_requires_means": r.tri(15, 20),
            "requires_movement": r.tri(10, 15),
            "gaps": if r.chance(8) { json!(["forced begging"]) } else { Value::Null },
            "non_punishment_provision": r.tri(40, 40),
            "provisions": provisions,
            "rape_penalty": r.penalty(),
            "kidnapping_penalty": if r.chance(70) { Value::Null } else { r.penalty() },
        },
        "enforcement": {
            "data_provided": r.tri(85, 10),
            "data_complete": r.tri(80, 60),
            "data_requested": r.tri(90, 80),
            "investigations": r.yearly(),
            "prosecutions": r.yearly(),
            "convictions": r.yearly(),
            "sentences": if r.chance(40) { Value::Null } else {
                json!({"imprisoned": r.below(10), "suspended_or_fine_only": r.below(10)})
            },
            "complicity": if r.chance(40) { Value::Null } else {
                json!({"allegations": r.tri(50, 20), "investigated": r.below(3), "prosecuted": r.below(3), "convicted": r.below(2)})
            },
        },
        "protection": {
            "victims_identified": r.yearly(),
            "identification_procedures": r.tri(60, 20),
            "victims_penalized": r.tri(30, 25),
            "victims_penalized_hedged": r.tri(30, 70),
            "services_funded": r.tri(60, 20),
            "alternatives_to_removal": r.tri(50, 30),
        },
        "prevention": {
            "national_action_plan": r.tri(60, 25),
            "draft_action_plan": r.tri(30, 40),
            "public_assessment": r.tri(50, 40),
            "recruitment_regulation": r.tri(50, 40),
            "demand_reduction": r.tri(50, 40),
            "awareness": r.tri(60, 30),
            "international_cooperation": r.tri(60, 30),
        },
        "state": {
            "policy_or_pattern": r.tri(8, 20),
            "child_soldiers": r.tri(5, 20),
        },
        // half the countries leave every judgment to the derivations
        "findings": if r.chance(50) { Value::Null } else {
            let fully = r.tri(10, 30);
            json!({
                "fully_meets": fully,
                "significant_efforts": r.tri(75, 30),
                "increasing_efforts": r.tri(55, 30),
                "victims_significant_without_proportional_action": r.tri(15, 60),
                "written_plan_with_resources": r.tri(50, 50),
                "appreciable_progress": r.tri(50, 70),
                "special_case": r.tri(12, 60),
            })
        },
    })
}

thread_local! {
    /// The shipped pack, parsed and checked once per test thread (and a
    /// second copy, parsed and checked on its own, for determinism).
    static PACK: tiers::RulePack = tvpa();
    static PACK2: tiers::RulePack = tvpa();
}

fn with_pack<T>(f: impl FnOnce(&tiers::RulePack) -> T) -> T {
    PACK.with(f)
}

/// A country whose tier turns on its law: no previous placement and no
/// findings, so the judgments are derived; data provided, traffickers
/// convicted and imprisoned, figures rising; a good law with one defect
/// (or none), so that fixing it can lift the country to Tier 1.
fn law_bound(seed: u64) -> Value {
    let mut c = country(seed);
    let mut r = Rng::new(seed ^ 0x5eed);
    c["history"] = json!([]);
    c["findings"] = Value::Null;
    c["state"] = json!({"policy_or_pattern": false, "child_soldiers": false});
    c["enforcement"] = json!({
        "data_provided": true,
        "investigations": {"current": 30, "previous": 20},
        "prosecutions": {"current": 12, "previous": 8},
        "convictions": {"current": 6, "previous": 4},
        "sentences": {"imprisoned": 6, "suspended_or_fine_only": 0},
    });
    c["protection"]["victims_identified"] = json!({"current": 50, "previous": 40});
    c["protection"]["victims_penalized"] = json!(false);
    let law = &mut c["law"];
    law["prohibits_sex_trafficking"] = json!(true);
    law["prohibits_labor_trafficking"] = json!(true);
    law["child_sex_trafficking_requires_means"] = json!(false);
    law["requires_movement"] = json!(false);
    law["gaps"] = Value::Null;
    law["provisions"] = json!([{
        "name": "Act 0", "kind": null, "jurisdiction": null,
        "covers": ["adult_sex", "child_sex", "adult_labor", "child_labor"],
        "min_years": null, "max_years": 8 + r.below(15), "life": false, "fine": "none",
    }]);
    law["rape_penalty"] = if r.chance(50) {
        Value::Null
    } else {
        json!({"min_years": null, "max_years": 5 + r.below(6), "life": false, "fine": "none"})
    };
    law["kidnapping_penalty"] = Value::Null;
    match r.below(7) {
        0 => law["provisions"][0]["fine"] = json!("alternative"),
        1 => law["provisions"][0]["max_years"] = json!(1 + r.below(3)),
        2 => law["child_sex_trafficking_requires_means"] = json!(true),
        3 => law["requires_movement"] = json!(true),
        4 => law["prohibits_labor_trafficking"] = json!(false),
        5 => c["protection"]["victims_penalized"] = json!(true),
        _ => {}
    }
    c
}

/// Most seeds give a [`country`]; one in four a [`law_bound`] one.
fn any_country(seed: u64) -> Value {
    if seed % 4 == 3 {
        law_bound(seed)
    } else {
        country(seed)
    }
}

fn text(v: &Value) -> String {
    serde_json::to_string_pretty(v).expect("json")
}

fn assess(pack: &tiers::RulePack, v: &Value) -> tiers::Assessment {
    let y = text(v);
    match load_bytes(pack, "generated.yaml", y.as_bytes(), LoadOptions::default()) {
        Ok(f) => evaluate(pack, &f),
        Err(e) => panic!("generated facts do not load:\n{}\n{y}", e.render()),
    }
}

fn rank(t: &Option<String>) -> Option<u8> {
    match t.as_deref() {
        Some("1") => Some(1),
        Some("2") => Some(2),
        Some("2WL") => Some(3),
        Some("3") => Some(4),
        _ => None, // special or undecided: not on the scale
    }
}

// ------------------------------------------------------------ improvements

/// The improvements of the law the statute favours that change `c`: each
/// is (what, the improved country).
fn improvements(c: &Value) -> Vec<(String, Value)> {
    let mut out = vec![];
    let mut try_set = |what: &str, path: &[&str], v: Value| {
        let mut d = c.clone();
        let mut slot = &mut d;
        for k in path {
            slot = match k.parse::<usize>() {
                Ok(i) => &mut slot[i],
                Err(_) => &mut slot[*k],
            };
        }
        if *slot != v && !slot.is_null() {
            *slot = v;
            out.push((what.to_string(), d));
        }
    };
    try_set(
        "sex trafficking criminalized",
        &["law", "prohibits_sex_trafficking"],
        json!(true),
    );
    try_set(
        "labor trafficking criminalized",
        &["law", "prohibits_labor_trafficking"],
        json!(true),
    );
    try_set(
        "no child means requirement",
        &["law", "child_sex_trafficking_requires_means"],
        json!(false),
    );
    try_set(
        "no movement requirement",
        &["law", "requires_movement"],
        json!(false),
    );
    try_set(
        "a non-punishment provision",
        &["law", "non_punishment_provision"],
        json!(true),
    );
    try_set(
        "victims no longer penalized",
        &["protection", "victims_penalized"],
        json!(false),
    );
    let n = c["law"]["provisions"].as_array().map(Vec::len).unwrap_or(0);
    for i in 0..n {
        let idx = i.to_string();
        let p = &c["law"]["provisions"][i];
        if p["fine"] == "alternative" {
            try_set(
                "no fine in lieu",
                &["law", "provisions", &idx, "fine"],
                json!("cumulative"),
            );
        }
        for k in [1.0, 4.0, 10.0] {
            if let Some(m) = p["max_years"].as_f64() {
                try_set(
                    &format!("maximum term +{k}"),
                    &["law", "provisions", &idx, "max_years"],
                    json!(m + k),
                );
            }
            if let Some(m) = p["min_years"].as_f64() {
                // a longer minimum, not above the maximum
                let top = p["max_years"].as_f64().unwrap_or(f64::INFINITY);
                if m + k <= top {
                    try_set(
                        &format!("minimum term +{k}"),
                        &["law", "provisions", &idx, "min_years"],
                        json!(m + k),
                    );
                }
            }
        }
        // life for a provision whose maximum is known: a longer term, not
        // a term where none was known
        if p["max_years"].is_number() {
            try_set(
                "life imprisonment",
                &["law", "provisions", &idx, "life"],
                json!(true),
            );
        }
    }
    out
}

// ------------------------------------------------------------ nulling

/// Every fact of `v` that can be made unknown: each leaf and each record
/// or list (the whole `provisions`, one provision, a penalty), by path.
fn paths(v: &Value, here: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                here.push(k.clone());
                // required facts cannot be unknown
                let required = matches!(k.as_str(), "country" | "year" | "tier")
                    || here.first().is_some_and(|h| h == "history") && k == "year";
                if !required && !x.is_null() {
                    out.push(here.clone());
                }
                paths(x, here, out);
                here.pop();
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                // list items are not nulled one by one (a null element is
                // a different statement), their fields are
                here.push(i.to_string());
                if let Value::Object(_) = x {
                    paths(x, here, out);
                }
                here.pop();
            }
        }
        _ => {}
    }
}

fn nulled(v: &Value, path: &[String]) -> Value {
    let mut d = v.clone();
    let mut slot = &mut d;
    for k in path {
        slot = match k.parse::<usize>() {
            Ok(i) => &mut slot[i],
            Err(_) => &mut slot[k.as_str()],
        };
    }
    *slot = Value::Null;
    d
}

/// Where the rules deliberately presume something when a fact is not
/// known, so that making it unknown may change a decided outcome: (fact
/// path, `*` for list elements; the criterion it may move, `*` for any;
/// the rule that says so). Any other fact must not move a decided outcome
/// when it becomes unknown, nor decide an unknown one: a missing fact
/// gives unknown, never another verdict. A new default (`?? false` on a
/// fact, say) fails this property until it is listed here with its rule.
const PRESUMED: &[(&str, &str, &str)] = &[
    (
        "law.provisions.*.kind",
        "*",
        "20-law: `p.kind ?? \"trafficking\"`",
    ),
    (
        "law.provisions.*.life",
        "*",
        "30-penalty: `p.life ?? false`",
    ),
    (
        "law.provisions.*.max_years",
        "*",
        "30-penalty: a stated minimum alone is judged against the floor",
    ),
    (
        "law.provisions",
        "penalty.commensurate",
        "30-penalty: `law.provisions ?? []` when sex trafficking is not criminalized",
    ),
    (
        "law.gaps",
        "law.prohibits_all_forms",
        "20-law: `law.gaps ?? []`",
    ),
    (
        "law.rape_penalty",
        "penalty.commensurate",
        "30-penalty: the comparison crime is rape, else kidnapping, else the stated presumption",
    ),
    (
        "law.kidnapping_penalty",
        "penalty.commensurate",
        "30-penalty: as for rape",
    ),
    (
        "enforcement.data_requested",
        "prosecution.vigorous",
        "50-indicia: the Department's annual request for data is presumed",
    ),
    (
        "enforcement.sentences",
        "prosecution.vigorous",
        "50-indicia: sentences `?? 0`",
    ),
    (
        "enforcement.complicity",
        "prosecution.complicity",
        "50-indicia: officials prosecuted and convicted `?? 0`",
    ),
    // appreciable progress is a judgment: derived from the reviewer's
    // findings, else from last year's placement, else from the figures
    (
        "findings",
        "progress.appreciable",
        "60-judgments: appreciable_progress",
    ),
    (
        "history",
        "progress.appreciable",
        "60-judgments: increasing_efforts anchors on last year",
    ),
    (
        "enforcement",
        "progress.appreciable",
        "60-judgments: increasing_efforts counts the figures known",
    ),
    (
        "protection",
        "progress.appreciable",
        "60-judgments: victims identified count among the figures",
    ),
];

/// A facts path as `PRESUMED` writes it: list indices become `*`
/// (`law.provisions.*.fine`).
fn path_pattern(path: &[String]) -> String {
    let shown: Vec<&str> = path
        .iter()
        .map(|k| {
            if k.parse::<usize>().is_ok() {
                "*"
            } else {
                k.as_str()
            }
        })
        .collect();
    shown.join(".")
}

/// Whether making `path` unknown may move `criterion` by a presumption.
fn presumed(path: &[String], criterion: &str) -> bool {
    let shown = path_pattern(path);
    PRESUMED.iter().any(|(p, c, _)| {
        (shown == *p || shown.starts_with(&format!("{p}."))) && (*c == "*" || *c == criterion)
    })
}

proptest! {
    // a seed is the whole input: shrinking it gives another country, not a
    // smaller one, so failures report the seed as found
    #![proptest_config(ProptestConfig { cases: 96, max_shrink_iters: 0, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn a_better_law_never_lowers_the_tier_or_unmeets_a_criterion(seed in any::<u64>()) {
        let c = any_country(seed);
        with_pack(|pack| {
            let before = assess(pack, &c);
            // every improvement the country admits, one at a time
            for (what, better) in improvements(&c) {
                let after = assess(pack, &better);
                // a better law may also settle what was unknown (a term
                // given where none was): the tier is compared when it
                // settles nothing
                let settles = before.criteria.iter().any(|b| {
                    b.outcome == Outcome::Unknown && after.outcome(&b.id) != Some(Outcome::Unknown)
                });
                if let (false, Some(b), Some(a)) = (settles, rank(&before.tier), rank(&after.tier)) {
                    prop_assert!(a <= b, "{what}: tier {:?} -> {:?}\n{}", before.tier, after.tier, text(&c));
                }
                for b in &before.criteria {
                    if b.outcome == Outcome::Met {
                        let got = after.outcome(&b.id);
                        prop_assert_eq!(got, Some(Outcome::Met), "{}: {} met -> {:?}\n{}", what, b.id, got, text(&c));
                    }
                }
            }
            Ok(())
        })?;
    }

    #[test]
    fn making_a_fact_unknown_never_changes_a_decided_outcome(seed in any::<u64>()) {
        let c = any_country(seed);
        let mut all = vec![];
        paths(&c, &mut vec![], &mut all);
        with_pack(|pack| {
            let before = assess(pack, &c);
            // every fact of the country, one at a time
            for path in &all {
                let after = assess(pack, &nulled(&c, path));
                for b in &before.criteria {
                    if presumed(path, &b.id) {
                        continue;
                    }
                    let got = after.outcome(&b.id);
                    let fine = got == Some(b.outcome) || got == Some(Outcome::Unknown);
                    prop_assert!(fine, "`{}` made unknown: {} {} -> {:?}\n{}", path.join("."), b.id, b.outcome, got, text(&c));
                }
            }
            Ok(())
        })?;
    }

    #[test]
    fn every_country_gets_a_draft_without_an_unknown_glued_into_it(seed in any::<u64>()) {
        // whatever is missing, the draft is written, and no reason, step or
        // sentence shows a template condition left undecided ("effortsunknown;")
        let c = any_country(seed);
        with_pack(|pack| {
            let a = assess(pack, &c);
            prop_assert!(!a.rationale.trim().is_empty(), "no draft\n{}", text(&c));
            let json = render(&a, Format::Json);
            let glued = tiers_tests::glued_unknowns(&json);
            prop_assert!(glued.is_empty(), "{}\n{}", glued.join("\n"), text(&c));
            Ok(())
        })?;
    }

    #[test]
    fn assessment_is_deterministic_across_packs(seed in any::<u64>()) {
        // two packs, each parsed and checked on its own
        let c = any_country(seed);
        let a = PACK.with(|p| assess(p, &c));
        let (b, d) = PACK2.with(|p| {
            let f = load_bytes(p, "generated.yaml", text(&c).as_bytes(), LoadOptions::default()).expect("loads");
            (evaluate(p, &f), tiers::eval::decide(p, &f))
        });
        prop_assert_eq!(render(&a, Format::Json), render(&b, Format::Json));
        prop_assert_eq!(render(&a, Format::Text), render(&b, Format::Text));
        // and the fast path decides the same
        prop_assert_eq!(d.tier.as_deref(), a.tier.as_deref());
        let outcomes: Vec<Outcome> = a.criteria.iter().map(|c| c.outcome).collect();
        prop_assert_eq!(d.outcomes, outcomes);
    }

}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

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
        let a = assess(&pack, &json!({"country": "Nullland", "year": year}));
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

/// The generator has teeth: over a fixed set of seeds it reaches every
/// tier (and undecided), both sides of each penalty threshold and every
/// outcome of the penalty criteria; improvements change tiers and
/// criteria; making facts unknown changes outcomes to unknown.
#[test]
fn the_generator_reaches_every_tier_and_both_sides_of_each_threshold() {
    let pack = tvpa();
    let mut tiers: BTreeMap<String, usize> = BTreeMap::new();
    let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
    let mut maxima: BTreeMap<&str, usize> = BTreeMap::new();
    let (mut improved, mut tier_moved, mut criterion_moved) = (0, 0, 0);
    let (mut nulled_n, mut to_unknown) = (0, 0);
    for seed in 0..600u64 {
        let c = any_country(seed);
        let a = assess(&pack, &c);
        *tiers
            .entry(a.tier.clone().unwrap_or_else(|| "undecided".into()))
            .or_default() += 1;
        for id in ["penalty.sufficiently_stringent", "penalty.commensurate"] {
            let o = a.outcome(id).map(|o| o.as_str()).unwrap_or("missing");
            *outcomes.entry(format!("{id} {o}")).or_default() += 1;
        }
        for p in c["law"]["provisions"].as_array().into_iter().flatten() {
            if let Some(m) = p["max_years"].as_f64() {
                let side = match m {
                    m if m < 4.0 => "below 4",
                    4.0 => "exactly 4",
                    m if m < 12.0 => "4 to 12",
                    _ => "12 and more",
                };
                *maxima.entry(side).or_default() += 1;
            }
        }
        let options = improvements(&c);
        if let Some((_, better)) = options.get(seed as usize % options.len().max(1)) {
            improved += 1;
            let b = assess(&pack, better);
            tier_moved += usize::from(b.tier != a.tier);
            criterion_moved += usize::from(
                a.criteria
                    .iter()
                    .any(|x| b.outcome(&x.id) != Some(x.outcome)),
            );
        }
        let mut all = vec![];
        paths(&c, &mut vec![], &mut all);
        if let Some(path) = all.get(seed as usize % all.len().max(1)) {
            nulled_n += 1;
            let b = assess(&pack, &nulled(&c, path));
            to_unknown += usize::from(a.criteria.iter().any(|x| {
                x.outcome != Outcome::Unknown && b.outcome(&x.id) == Some(Outcome::Unknown)
            }));
        }
    }
    let report = format!(
        "tiers {tiers:?}\noutcomes {outcomes:?}\nmaxima {maxima:?}\nimproved {improved}: tier moved {tier_moved}, a criterion moved {criterion_moved}\nnulled {nulled_n}: a decided criterion became unknown {to_unknown}"
    );
    eprintln!("{report}");
    for t in ["1", "2", "2WL", "3", "special", "undecided"] {
        assert!(
            tiers.get(t).is_some_and(|n| *n >= 5),
            "tier {t} rarely reached\n{report}"
        );
    }
    for o in [
        "penalty.sufficiently_stringent met",
        "penalty.sufficiently_stringent not_met",
        "penalty.sufficiently_stringent unknown",
        "penalty.commensurate met",
        "penalty.commensurate not_met",
        "penalty.commensurate unknown",
    ] {
        assert!(
            outcomes.get(o).is_some_and(|n| *n >= 20),
            "{o} rarely reached\n{report}"
        );
    }
    for side in ["below 4", "exactly 4", "4 to 12", "12 and more"] {
        assert!(
            maxima.get(side).is_some_and(|n| *n >= 20),
            "maxima {side} rare\n{report}"
        );
    }
    assert!(improved >= 400, "{report}");
    assert!(
        tier_moved >= 10,
        "improvements rarely move a tier\n{report}"
    );
    assert!(
        criterion_moved >= 100,
        "improvements rarely move a criterion\n{report}"
    );
    assert!(to_unknown >= 50, "nulling rarely matters\n{report}");
}

/// Separate processes, and the parallel path of `tiers assess` (16 files
/// or more), give the same documents as this process.
#[test]
fn assessment_is_deterministic_across_processes() {
    let pack = tvpa();
    let dir = std::env::temp_dir().join(format!("tiers-determinism-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("tmp");
    let mut here = vec![];
    for seed in 0..40u64 {
        let path = dir.join(format!("c{seed:03}.yaml"));
        std::fs::write(&path, text(&country(seed))).expect("write");
        let f = tiers::case::load(&pack, &path, LoadOptions::default()).expect("loads");
        here.push(tiers::explain::to_json(&evaluate(&pack, &f)));
    }
    let run = || {
        let out = std::process::Command::new(bin())
            .args(["assess", "--format", "json"])
            .arg(&dir)
            .current_dir(root())
            .output()
            .expect("runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<Value>(&out.stdout).expect("json")
    };
    let (a, b) = (run(), run());
    assert_eq!(a, b, "two processes differ");
    assert_eq!(a, Value::Array(here), "a process differs from this one");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Not run by default: over 1,500 countries, every fact whose becoming
/// unknown moves a decided criterion (or decides an unknown one) beyond
/// the presumptions listed in `PRESUMED`, with a seed that shows it. Empty
/// when the property holds; run it after changing a default in the rules:
/// `cargo test --release -p tiers-tests --test properties list_ -- --ignored --nocapture`
#[test]
#[ignore]
fn list_the_outcomes_unknown_facts_move() {
    let pack = tvpa();
    let mut seen: BTreeMap<String, (usize, u64)> = BTreeMap::new();
    for seed in 0..1500u64 {
        let c = country(seed);
        let before = assess(&pack, &c);
        let mut all = vec![];
        paths(&c, &mut vec![], &mut all);
        for path in all {
            let after = assess(&pack, &nulled(&c, &path));
            for b in &before.criteria {
                let got = after.outcome(&b.id);
                if !(presumed(&path, &b.id)
                    || got == Some(b.outcome)
                    || got == Some(Outcome::Unknown))
                {
                    let key = format!(
                        "{} | {} {} -> {:?}",
                        path_pattern(&path),
                        b.id,
                        b.outcome,
                        got.map(|o| o.as_str())
                    );
                    let e = seen.entry(key).or_insert((0, seed));
                    e.0 += 1;
                }
            }
        }
    }
    for (k, (n, seed)) in &seen {
        println!("{n:5} seed {seed:5}  {k}");
    }
}
