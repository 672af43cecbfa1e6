//! The `tiers` binary as a user runs it.

use tiers_tests::{root, tiers};

#[test]
fn assess_jamaica_reads_like_a_rationale() {
    let (code, out, err) = tiers(&["assess", "cases/2017/jamaica.yaml"]);
    assert_eq!(code, 0, "{err}");
    // reasons wrap at the terminal width: compare the words
    let out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        out.contains("Recommended placement: Tier 2 (remained; previously Tier 2)"),
        "{out}"
    );
    assert!(out.contains("penalty.commensurate"));
    assert!(out.contains("fine in lieu of imprisonment"));
    // the draft: opening paragraph with efforts, shortfalls and movement
    let draft = out
        .split("Draft rationale")
        .nth(1)
        .and_then(|d| d.split("Sources").next())
        .expect("a draft rationale");
    for part in [
        "The Government of Jamaica does not fully meet the minimum standards for the elimination of trafficking; however, it is making significant efforts to do so.",
        "The government demonstrated increasing efforts compared to the previous reporting period; therefore, Jamaica remained on Tier 2.",
        "These efforts included opening 40 investigations, initiating nine prosecutions, convicting two traffickers",
        "However, the government did not meet the minimum standards in several key areas.",
        "Despite reports of official complicity, the government did not hold complicit officials accountable.",
        // the penalty paragraph names the law once and each range with what
        // it applies to (2017: present tense)
        "The Trafficking in Persons (Prevention, Suppression, and Punishment) Act criminalizes sex trafficking and labor trafficking and prescribes penalties of up to 20 years' imprisonment, a fine, or both for trafficking in persons and conspiracy and up to 30 years' imprisonment, a fine, or both for aggravated trafficking in persons.",
        "These penalties are sufficiently stringent; however, by allowing for a fine in lieu of imprisonment, with respect to sex trafficking, they are not commensurate",
        // recommendations from the pack's levers, for the criteria not met
        "Prioritized recommendations: • Amend the anti-trafficking law to remove sentencing provisions that allow fines in lieu of imprisonment for sex trafficking crimes.",
    ] {
        assert!(draft.contains(part), "the draft lacks {part:?}:\n{draft}");
    }
    // misleading phrases found in trials are gone
    for bad in [
        "(the weakest:",
        " of six signs",
        " is no\n",
        "is yes",
        "estimate of the number of victims",
    ] {
        assert!(!out.contains(bad), "{bad:?} in:\n{out}");
    }
}

#[test]
fn later_editions_draft_in_the_past_tense() {
    let (code, out, err) = tiers(&["assess", "cases/2022/botswana.yaml"]);
    assert_eq!(code, 0, "{err}");
    let out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        out.contains("does not fully meet the minimum standards for the elimination of trafficking but is making significant efforts to do so."),
        "{out}"
    );
    assert!(out.contains("criminalized sex trafficking and labor trafficking and prescribed penalties of up to 25 years' imprisonment, a fine, or both."), "{out}");
    assert!(out.contains("These penalties were sufficiently stringent; however, by allowing for a fine in lieu of imprisonment"), "{out}");
}

#[test]
fn the_automatic_downgrade_reads_as_the_report_writes_it() {
    let (code, out, err) = tiers(&["assess", "cases/2018/bolivia.yaml"]);
    assert_eq!(code, 0, "{err}");
    let out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(out.contains("Although Bolivia meets the criteria for Tier 2 Watch List, because it has been on Tier 2 Watch List for four consecutive years, it is no longer eligible for that ranking and was therefore downgraded to Tier 3."), "{out}");
}

#[test]
fn assess_json_follows_the_contract() {
    let (code, out, _) = tiers(&["assess", "--format", "json", "cases/2017/jamaica.yaml"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid json");
    assert_eq!(v["country"], "Jamaica");
    assert_eq!(v["year"], 2017);
    assert_eq!(v["rulepack"], "tvpa");
    assert_eq!(v["tier"], "2");
    assert_eq!(v["previous_tier"], "2");
    assert_eq!(v["movement"], "remained");
    let crit = v["criteria"].as_array().expect("criteria");
    let c = crit
        .iter()
        .find(|c| c["id"] == "penalty.commensurate")
        .expect("criterion");
    assert_eq!(c["outcome"], "not_met");
    assert_eq!(c["facts"]["law.provisions[0].fine"], "alternative");
    assert!(v["placement"]["steps"]
        .as_array()
        .is_some_and(|s| !s.is_empty()));
    assert!(v["rationale"]
        .as_str()
        .is_some_and(|r| r.starts_with("The Government of Jamaica")));
    // several files: an array
    let (_, out, _) = tiers(&[
        "assess",
        "--format",
        "json",
        "cases/2017/jamaica.yaml",
        "cases/2017/laos.yaml",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid json");
    assert_eq!(v.as_array().map(Vec::len), Some(2));
}

#[test]
fn no_findings_marks_judgments_derived() {
    let (code, out, _) = tiers(&[
        "assess",
        "--no-findings",
        "--format",
        "json",
        "cases/2017/jamaica.yaml",
    ]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid json");
    let js = v["judgments"].as_array().expect("judgments");
    assert!(js.iter().all(|j| j["source"] != "found"), "{js:?}");
}

#[test]
fn bad_input_is_exit_1_with_location_and_nothing_on_stdout() {
    let (code, out, err) = tiers(&[
        "assess",
        "cases/2017/jamaica.yaml",
        "tests/fixtures/facts/err/wrong-type.yaml",
    ]);
    assert_eq!(code, 1);
    assert!(out.is_empty(), "nothing is written half-way: {out}");
    assert!(err.contains("wrong-type.yaml:6:18"), "{err}");
    assert!(err.contains("law.provisions[0].max_years"), "{err}");
    let (code, _, err) = tiers(&["assess", "no/such/file.yaml"]);
    assert_eq!(code, 1);
    assert!(err.contains("cannot read"), "{err}");
}

#[test]
fn check_is_clean_on_the_shipped_pack_and_fails_on_a_broken_one() {
    let (code, out, _) = tiers(&["check"]);
    assert_eq!(code, 0);
    assert!(out.contains("rules/tvpa: ok"), "{out}");
    let dir = std::env::temp_dir().join(format!("tiers-broken-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
    std::fs::copy(
        root().join("tests/fixtures/rules/err/unknown-fact.rules"),
        dir.join("a.rules"),
    )
    .expect("copy");
    let (code, _, err) = tiers(&["check", "--rules", dir.to_str().unwrap_or_default()]);
    assert_eq!(code, 1);
    assert!(err.contains("error[unknown-fact]"), "{err}");
    assert!(err.contains("a.rules:5:"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn test_command_prints_the_closing_line() {
    // the whole closing line: "10 failed" must not pass for "0 failed"
    let closing = |out: &str| {
        let last = out.lines().last().unwrap_or_default().to_string();
        let words: Vec<&str> = last.split(' ').collect();
        match words[..] {
            [p, "passed,", f, "failed"] => (p.parse::<usize>().ok(), f.parse::<usize>().ok()),
            _ => panic!("not a closing line: `{last}`"),
        }
    };
    let (code, out, err) = tiers(&["test", "cases/"]);
    assert_eq!(code, 0, "{out}{err}");
    let (passed, failed) = closing(&out);
    assert_eq!(failed, Some(0), "{out}");
    assert!(passed.is_some_and(|p| p >= 100), "{out}");
    // a failing case: its line, the count, exit 1
    let (code, out, _) = tiers(&["test", "tests/fixtures/cases/failing"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.starts_with(
            "FAIL tests/fixtures/cases/failing/expects-tier-1.yaml: tier: expected 1, got 3\n"
        ),
        "{out}"
    );
    assert_eq!(closing(&out), (Some(0), Some(1)));
    // an `expect:` that checks nothing fails
    let (code, out, _) = tiers(&["test", "tests/fixtures/cases/checks-nothing"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("its `expect:` checks nothing"), "{out}");
    assert_eq!(closing(&out), (Some(0), Some(1)));
    // no case at all: said on stderr, exit 1
    for dir in [
        "tests/fixtures/cases/no-expect",
        "tests/fixtures/mutants/rules",
    ] {
        let (code, out, err) = tiers(&["test", dir]);
        assert_eq!(code, 1, "{dir}: {out}");
        assert!(
            err.contains(&format!("no case with an `expect:` block under {dir}")),
            "{err}"
        );
    }
}

#[test]
fn many_files_are_assessed_in_parallel_in_the_order_given() {
    // cases/ holds over a hundred files: the parallel path
    let (code, all, err) = tiers(&["assess", "--format", "json", "cases/"]);
    assert_eq!(code, 0, "{err}");
    let all: serde_json::Value = serde_json::from_str(&all).expect("json");
    let all = all.as_array().expect("array");
    assert!(all.len() > 16);
    // one at a time: the sequential path gives the same documents
    for (i, file) in [
        "cases/2017/jamaica.yaml",
        "cases/2017/japan.yaml",
        "cases/2017/jordan.yaml",
    ]
    .iter()
    .enumerate()
    {
        let (_, one, _) = tiers(&["assess", "--format", "json", file]);
        let one: serde_json::Value = serde_json::from_str(&one).expect("json");
        assert_eq!(all[i], one, "{file}");
    }
}

#[test]
fn every_hostile_facts_fixture_exits_1_with_a_located_diagnostic() {
    let dir = root().join("tests/fixtures/facts/err");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    assert!(files.len() >= 15);
    for f in files {
        let shown = f.strip_prefix(root()).unwrap_or(&f).display().to_string();
        let (code, out, err) = tiers(&["assess", &shown]);
        assert_eq!(
            code, 1,
            "{shown}: exit {code} (101 would be a panic)\n{err}"
        );
        assert!(out.is_empty(), "{shown}: printed {out}");
        assert!(
            err.contains(&format!("--> {shown}:")),
            "{shown}: no location\n{err}"
        );
        assert!(
            err.lines().count() <= 12,
            "{shown}: more than one screen\n{err}"
        );
    }
}

#[test]
fn every_hostile_rule_fixture_fails_check_with_exit_1_and_a_location() {
    let mut files: Vec<_> = std::fs::read_dir(root().join("tests/fixtures/rules/err"))
        .expect("fixtures")
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    assert!(files.len() >= 25, "the rule fixtures are missing");
    for f in files {
        let dir = std::env::temp_dir().join(format!("tiers-rule-fixture-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("tmp");
        std::fs::copy(&f, dir.join("pack.rules")).expect("copy");
        let (code, _, err) = tiers(&["check", "--rules", dir.to_str().unwrap_or_default()]);
        assert_eq!(code, 1, "{}: exit {code}\n{err}", f.display());
        assert!(
            err.contains("pack.rules:"),
            "{}: no location\n{err}",
            f.display()
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// Issue 14: history from earlier years' files is derived under each pack,
/// by every command. With a third Watch List year allowed before the
/// downgrade, edgeland 2023 (Watch List in 2021 and 2022) stays on the
/// Watch List instead of going to Tier 3.
#[test]
fn every_command_derives_the_history_of_a_multi_year_case() {
    let dir = std::env::temp_dir().join(format!("tiers-wl3-{}", std::process::id()));
    tiers_tests::edited_pack_after(
        &dir,
        "10-params.rules",
        "param wl_years_without_waiver",
        "from 2009 = 2",
        "from 2009 = 3",
    );
    let copy = dir.to_str().unwrap_or_default();
    let case = "cases/edge/multiyear/2023/edgeland.yaml";
    let (code, out, err) = tiers(&["diff", "--base-rules", "rules/tvpa", "--rules", copy]);
    assert_eq!(code, 3, "{err}");
    assert!(
        out.contains(&format!("{case}\n  tier: 3 -> 2WL\n")),
        "{out}"
    );
    // a fourth year: its history is derived under each pack, so it moves
    // the other way (base: the downgrade in 2023 broke the Watch List run;
    // changed: the third Watch List year in a row)
    let chain = std::env::temp_dir().join(format!("tiers-chain-{}", std::process::id()));
    for year in [2021, 2022, 2023, 2024] {
        std::fs::create_dir_all(chain.join(year.to_string())).expect("mkdir");
        let from = root().join(format!(
            "cases/edge/multiyear/{}/edgeland.yaml",
            year.min(2023)
        ));
        let text = std::fs::read_to_string(from).expect("read");
        let text = text.replace("year: 2023", &format!("year: {year}"));
        std::fs::write(chain.join(format!("{year}/edgeland.yaml")), text).expect("write");
    }
    let shown = chain.display().to_string();
    let (code, out, err) = tiers(&[
        "diff",
        "--base-rules",
        "rules/tvpa",
        "--rules",
        copy,
        &shown,
    ]);
    assert_eq!(code, 3, "{err}");
    assert!(
        out.contains(&format!("{shown}/2023/edgeland.yaml\n  tier: 3 -> 2WL\n")),
        "{out}"
    );
    assert!(
        out.contains(&format!("{shown}/2024/edgeland.yaml\n  tier: 2WL -> 3\n")),
        "{out}"
    );
    assert!(
        out.ends_with(&format!(
            "2 of 4 cases change between rules/tvpa and {copy}\n"
        )),
        "{out}"
    );
    let _ = std::fs::remove_dir_all(&chain);
    // assess, under each pack
    for (rules, tier) in [("rules/tvpa", "3"), (copy, "2WL")] {
        let (code, out, err) = tiers(&["assess", "--format", "json", "--rules", rules, case]);
        assert_eq!(code, 0, "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).expect("json");
        assert_eq!(v["tier"], tier, "{rules}");
        assert_eq!(v["previous_tier"], "2WL", "{rules}");
    }
    // whatif and reforms start from the placement the history gives
    let (code, out, err) = tiers(&[
        "whatif",
        "--format",
        "json",
        case,
        "--set",
        "findings.increasing_efforts=true",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(
        (&v["tier_before"], &v["tier_after"]),
        (&"3".into(), &"2".into())
    );
    let (code, out, err) = tiers(&["reforms", case]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("(now Tier 3)"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn test_mutants_lists_survivors_and_closes_with_the_kill_count() {
    let rules = "tests/fixtures/mutants/rules";
    let (code, out, err) = tiers(&[
        "test",
        "--mutants",
        "--rules",
        rules,
        "tests/fixtures/mutants/cases",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("  tests/fixtures/mutants/rules/pack.rules:27:3 branch deleted\n    - when law.fine = \"alternative\"\n    + (branch deleted)\n"),
        "{out}"
    );
    assert_eq!(
        out.lines().last(),
        Some("mutants: 13 of 15 killed"),
        "{out}"
    );
    let (code, out, _) = tiers(&[
        "test",
        "--mutants",
        "--rules",
        rules,
        "tests/fixtures/mutants/cases",
        "tests/fixtures/mutants/more",
    ]);
    assert_eq!(code, 0);
    assert!(!out.contains("survivors"), "{out}");
    assert_eq!(
        out.lines().last(),
        Some("mutants: 15 of 15 killed"),
        "{out}"
    );
    // no case to run: said, and exit 1
    let (code, _, err) = tiers(&["test", "--mutants", "--rules", rules, rules]);
    assert_eq!(code, 1);
    assert!(err.contains("no case with an `expect:`"), "{err}");
}

#[test]
fn a_waiver_on_a_year_off_the_watch_list_is_flagged() {
    let dir = std::env::temp_dir().join(format!("tiers-waiver-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("edgeland.yaml");
    std::fs::write(
        &file,
        "country: Edgeland\nyear: 2023\nhistory:\n  - {year: 2022, tier: \"3\", waiver: true}\n",
    )
    .expect("write");
    let (code, out, err) = tiers(&["assess", file.to_str().unwrap_or_default()]);
    assert_eq!(code, 0, "{err}");
    let out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        out.contains("history 2022: a waiver keeps a country on Tier 2 Watch List, but that year is Tier 3; the waiver is not counted"),
        "{out}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
