//! The peer comparison: the same penalty criteria and placement procedure
//! in Rego (bench/peer/tvpa.rego), evaluated by regorus, on the same facts.
//!
//! `cargo bench -p tiers-bench --bench peer`
//!
//! 1. Differential check: on every input (every shipped case and the
//!    synthetic countries) tiers' `decide` and regorus must give the same
//!    `penalty.sufficiently_stringent` and `penalty.commensurate`, and, on
//!    every input whose findings give the three judgments the Rego takes as
//!    found, the same tier. `decide` must also agree with `evaluate`. Any
//!    mismatch is printed and the run exits non-zero, before any timing.
//! 2. Timing: one-country assessment with the facts already loaded (tiers:
//!    `decide` on `Facts`, which places the country and decides all 15
//!    criteria of the pack; regorus: `set_input` of a prepared `Value`, then
//!    `eval_rule("data.tvpa.result")` on an engine with the policy already
//!    compiled, which decides the 2 criteria and places the country). Each
//!    sample is the mean of a short burst of calls on one country; the
//!    median is over every country and round. Also shown: tiers with the
//!    Rego's scope (the other 13 criteria reduced to `otherwise =>
//!    unknown`) and the full `evaluate` with its explanation. The last line
//!    is `ratio regorus/tiers: X` (full `decide` against regorus).

use std::hint::black_box;
use std::process::ExitCode;
use std::time::Instant;
use tiers::eval::decide;
use tiers::facts::Facts;
use tiers_bench::{all_case_paths, facts_json, load, pack, Synth};

#[path = "../peer/compare.rs"]
mod compare;
use compare::{findings_given, Peer, Tally, RULE};

/// Synthetic countries in the differential check.
const SYNTHETIC: usize = 5_000;
/// Seed of the synthetic countries (the same as the engine bench's).
const SEED: u64 = 2017;
/// Countries in the timed set (the supported shipped cases first, then
/// synthetic ones).
const TIMED: usize = 200;
/// Rounds over the timed set.
const ROUNDS: usize = 15;
/// Calls per sample.
const BURST: usize = 5;

struct Input {
    name: String,
    facts: Facts,
    json: serde_json::Value,
    rego: regorus::Value,
    /// The three judgments the Rego takes as found are given.
    supported: bool,
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i]
}

fn main() -> ExitCode {
    let pack = pack();
    let mut peer = match Peer::new(&tiers_bench::root(), &pack) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let rule = RULE;

    // ---- inputs ------------------------------------------------------------
    let mut inputs: Vec<Input> = vec![];
    let mut add = |name: String, facts: Facts| {
        let json = facts_json(&pack, &facts);
        let rego = regorus::Value::from(json.clone());
        let supported = findings_given(&json);
        inputs.push(Input {
            name,
            facts,
            json,
            rego,
            supported,
        });
    };
    let root = tiers_bench::root();
    let shipped = all_case_paths();
    for p in &shipped {
        let name = p.strip_prefix(&root).unwrap_or(p).display().to_string();
        add(name, load(&pack, p));
    }
    let synth = Synth::new(&pack, SEED);
    for i in 0..SYNTHETIC {
        add(format!("synthetic #{i}"), synth.facts(&pack, i));
    }

    // ---- differential check -------------------------------------------------
    let mut tally = Tally::default();
    let mut shown = 0usize;
    for inp in &inputs {
        let c = peer.compare(&pack, &inp.facts, &inp.json, &inp.rego);
        tally.add(&c);
        if !c.problems.is_empty() && shown < 20 {
            shown += 1;
            eprintln!("MISMATCH {}:", inp.name);
            for p in &c.problems {
                eprintln!("  {p}");
            }
            eprintln!(
                "  input: {}",
                serde_json::to_string(&inp.json).unwrap_or_default()
            );
        }
    }
    print!("{}", tally.report(shipped.len(), SYNTHETIC));
    if tally.mismatches > 0 {
        eprintln!(
            "differential check FAILED: {} inputs differ",
            tally.mismatches
        );
        return ExitCode::FAILURE;
    }

    // PEER_PROBE=1: where regorus spends its time, rule by rule, on the
    // first shipped case (each rule with what it depends on)
    if std::env::var_os("PEER_PROBE").is_some() {
        let inp = &inputs[0];
        println!("regorus, rule by rule, on {}:", inp.name);
        for r in [
            "year",
            "provs",
            "sufficiently_stringent",
            "commensurate",
            "entries",
            "wl_run",
            "decided",
            "tier",
            "result",
        ] {
            let path = format!("data.tvpa.{r}");
            let t = Instant::now();
            for _ in 0..200 {
                peer.engine.set_input(inp.rego.clone());
                let _ = black_box(peer.engine.eval_rule(path.clone()));
            }
            println!(
                "  {path:<36} {:>8.1} us",
                t.elapsed().as_secs_f64() / 200.0 * 1e6
            );
        }
    }

    // ---- timing ----------------------------------------------------------------
    let timed: Vec<&Input> = inputs.iter().filter(|i| i.supported).take(TIMED).collect();
    let mut t_decide = Vec::with_capacity(ROUNDS * timed.len());
    let mut t_narrow = Vec::with_capacity(ROUNDS * timed.len());
    let mut t_evaluate = Vec::with_capacity(ROUNDS * timed.len());
    let mut t_rego = Vec::with_capacity(ROUNDS * timed.len());
    // warm up
    for inp in &timed {
        black_box(decide(&pack, &inp.facts));
        peer.engine.set_input(inp.rego.clone());
        let _ = black_box(peer.engine.eval_rule(rule.to_string()));
    }
    for _ in 0..ROUNDS {
        for inp in &timed {
            let t = Instant::now();
            for _ in 0..BURST {
                black_box(decide(&pack, black_box(&inp.facts)));
            }
            t_decide.push(t.elapsed().as_secs_f64() / BURST as f64);

            let t = Instant::now();
            for _ in 0..BURST {
                black_box(decide(&peer.narrow, black_box(&inp.facts)));
            }
            t_narrow.push(t.elapsed().as_secs_f64() / BURST as f64);

            let t = Instant::now();
            for _ in 0..BURST {
                black_box(tiers::evaluate(&pack, black_box(&inp.facts)));
            }
            t_evaluate.push(t.elapsed().as_secs_f64() / BURST as f64);

            let t = Instant::now();
            for _ in 0..BURST {
                peer.engine.set_input(inp.rego.clone());
                let _ = black_box(peer.engine.eval_rule(rule.to_string()));
            }
            t_rego.push(t.elapsed().as_secs_f64() / BURST as f64);
        }
    }
    let m_decide = median(&mut t_decide);
    let m_narrow = median(&mut t_narrow);
    let m_evaluate = median(&mut t_evaluate);
    let m_rego = median(&mut t_rego);
    let us = |s: f64| s * 1e6;
    println!(
        "one-country assessment, facts loaded: {} countries x {ROUNDS} rounds, {BURST} calls per sample",
        timed.len()
    );
    for (name, m, v) in [
        ("tiers decide (tier + all 15 criteria)", m_decide, &t_decide),
        (
            "tiers decide, the Rego's scope (2 criteria + placement)",
            m_narrow,
            &t_narrow,
        ),
        (
            "tiers evaluate (with reasons, facts read, rationale)",
            m_evaluate,
            &t_evaluate,
        ),
        ("regorus (2 criteria + placement)", m_rego, &t_rego),
    ] {
        println!(
            "  {name:<56} median {:>9.2} us   p10 {:>9.2} us   p90 {:>9.2} us",
            us(m),
            us(percentile(v, 0.1)),
            us(percentile(v, 0.9))
        );
    }
    println!(
        "ratio regorus/tiers with the Rego's scope: {:.1}",
        m_rego / m_narrow
    );
    println!("ratio regorus/tiers evaluate: {:.1}", m_rego / m_evaluate);
    println!("ratio regorus/tiers: {:.1}", m_rego / m_decide);
    ExitCode::SUCCESS
}
