//! The engine benchmarks (criterion).
//!
//! `cargo bench -p tiers-bench --bench engine`
//!
//! - `pack/parse_check`: parse and check the whole TVPA pack (files already
//!   read).
//! - `assess_one/*` (Jamaica 2017): `decide` and `evaluate` with the facts
//!   loaded; `load_yaml` alone; `end_to_end` = YAML bytes to facts to a full
//!   assessment.
//! - `assess_n/{decide,evaluate}/N` for N = 10 .. 10,000 synthetic countries
//!   (facts loaded and held), with the throughput per country.
//! - `reforms/L` for L = 8, 16, 24 levers: reform search (max 3 levers a
//!   set, the CLI's default) for Jamaica 2017 without findings, target Tier 1.
//!
//! After criterion's own report, a summary prints the ratios of this run:
//! per-country cost by N, end to end against evaluation alone, reform
//! search against 2^levers.

use criterion::{BatchSize, BenchmarkId, Criterion, SamplingMode, Throughput};
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;
use tiers::case::{self, LoadOptions};
use tiers::eval::decide;
use tiers::facts::{Fact, Facts};
use tiers::pack::{CLever, Const, RulePack};
use tiers::scenario::{apply, lever_changes};
use tiers::whatif::{reforms_with, SearchOptions, Target};
use tiers_bench::{pack, pack_texts, root, Synth};

/// The synthetic countries' seed (the same as the peer bench's).
const SEED: u64 = 2017;
const NS: [usize; 4] = [10, 100, 1_000, 10_000];
const LEVERS: [usize; 3] = [8, 16, 24];
const MAX_SIZE: usize = 3;

/// The search over every lever, also those that set facts not known here
/// (as `--assume-unknown-fails`), so that each set of the pack is tried.
fn full_search() -> SearchOptions {
    SearchOptions {
        max_size: MAX_SIZE,
        assume_unknown_fails: true,
        establish: false,
    }
}

fn jamaica_path() -> PathBuf {
    root().join("cases/2017/jamaica.yaml")
}

fn bench_pack(c: &mut Criterion) {
    let texts = pack_texts();
    let mut g = c.benchmark_group("pack");
    g.measurement_time(Duration::from_secs(5));
    g.bench_function("parse_check", |b| {
        b.iter_batched(
            || texts.clone(),
            |t| tiers::load_pack_from(t).map(|p| p.criteria.len()),
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

fn bench_one(c: &mut Criterion) {
    let pack = pack();
    let path = jamaica_path();
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let name = path.display().to_string();
    let facts = tiers_bench::load(&pack, &path);
    let mut g = c.benchmark_group("assess_one");
    g.measurement_time(Duration::from_secs(4));
    g.bench_function("decide", |b| b.iter(|| decide(&pack, black_box(&facts))));
    g.bench_function("evaluate", |b| {
        b.iter(|| tiers::evaluate(&pack, black_box(&facts)))
    });
    g.bench_function("load_yaml", |b| {
        b.iter(|| case::load_bytes(&pack, &name, black_box(&bytes), LoadOptions::default()))
    });
    g.bench_function("end_to_end", |b| {
        b.iter(|| {
            let f = case::load_bytes(&pack, &name, black_box(&bytes), LoadOptions::default())
                .unwrap_or_else(|f| panic!("{}", f.render()));
            tiers::evaluate(&pack, &f)
        })
    });
    g.finish();
}

fn bench_n(c: &mut Criterion) {
    let pack = pack();
    let synth = Synth::new(&pack, SEED);
    let max = NS.iter().copied().max().unwrap_or(0);
    let all: Vec<Facts> = (0..max).map(|i| synth.facts(&pack, i)).collect();
    let mut g = c.benchmark_group("assess_n");
    g.warm_up_time(Duration::from_secs(1));
    for n in NS {
        let set = &all[..n];
        g.throughput(Throughput::Elements(n as u64));
        if n >= 1_000 {
            // one pass takes milliseconds to a second: the same number of
            // passes in every sample
            g.sampling_mode(SamplingMode::Flat);
            g.sample_size(10);
            g.measurement_time(Duration::from_secs(if n >= 10_000 { 10 } else { 6 }));
        } else {
            g.sampling_mode(SamplingMode::Auto);
            g.sample_size(30);
            g.measurement_time(Duration::from_secs(4));
        }
        g.bench_with_input(BenchmarkId::new("decide", n), set, |b, set| {
            b.iter(|| {
                set.iter()
                    .filter(|f| decide(&pack, f).tier.is_some())
                    .count()
            })
        });
        g.bench_with_input(BenchmarkId::new("evaluate", n), set, |b, set| {
            b.iter(|| {
                set.iter()
                    .filter(|f| tiers::evaluate(&pack, f).tier.is_some())
                    .count()
            })
        });
    }
    g.finish();
}

/// Numeric values tried for copies of the pack's numeric levers (a raised
/// maximum term of 12 years, ...), to reach 24 levers with distinct effects.
const OTHER_VALUES: [f64; 10] = [5.0, 6.0, 8.0, 12.0, 15.0, 25.0, 30.0, 40.0, 2.0, 3.0];

/// The pack with exactly `n` levers that each change `facts`, no two alike:
/// the pack's own levers first, then copies of its numeric levers with
/// other values.
fn lever_pack(pack: &RulePack, facts: &Facts, n: usize) -> RulePack {
    let mut candidates: Vec<CLever> = pack.levers.clone();
    for l in &pack.levers {
        if let Some((segs, Const::Num(_), path)) = l.sets.first() {
            for v in OTHER_VALUES {
                let mut copy = l.clone();
                copy.name = format!("{}_at_{v}", l.name);
                copy.sets = vec![(segs.clone(), Const::Num(v), path.clone())];
                candidates.push(copy);
            }
        }
    }
    let mut kept: Vec<CLever> = vec![];
    let mut effects: Vec<Fact> = vec![];
    for l in candidates {
        let mut root = facts.root.clone();
        let ok = lever_changes(&l)
            .iter()
            .all(|c| apply(&mut root, &pack.root, c).is_ok());
        if ok && root != facts.root && !effects.contains(&root) {
            effects.push(root);
            kept.push(l);
        }
        if kept.len() == n {
            break;
        }
    }
    assert_eq!(kept.len(), n, "not enough distinct levers for this case");
    let mut p = pack.clone();
    p.levers = kept;
    p
}

fn reform_case(pack: &RulePack) -> Facts {
    case::load(pack, &jamaica_path(), LoadOptions::new(true))
        .unwrap_or_else(|f| panic!("{}", f.render()))
}

fn bench_reforms(c: &mut Criterion) {
    let pack = pack();
    let facts = reform_case(&pack);
    let mut g = c.benchmark_group("reforms");
    g.sampling_mode(SamplingMode::Flat);
    g.sample_size(10);
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(5));
    for n in LEVERS {
        let p = lever_pack(&pack, &facts, n);
        let r = reforms_with(&p, &facts, Target::Tier("1".into()), full_search());
        assert!(r.inert.is_empty() && r.equivalent.is_empty());
        println!(
            "reforms/{n}: {} lever sets evaluated (2^{n} = {}), {} solutions",
            r.evaluated,
            1u64 << n,
            r.solutions.len()
        );
        g.bench_with_input(BenchmarkId::from_parameter(n), &p, |b, p| {
            b.iter(|| {
                reforms_with(
                    p,
                    black_box(&facts),
                    Target::Tier("1".into()),
                    full_search(),
                )
                .evaluated
            })
        });
    }
    g.finish();
}

// ---- the summary of this run -------------------------------------------------

fn criterion_dir() -> PathBuf {
    if let Some(h) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(h);
    }
    if let Some(t) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(t).join("criterion");
    }
    root().join("target/criterion")
}

/// Criterion's median estimate of one benchmark of this run, in ns.
fn median_ns(id: &str) -> Option<f64> {
    let p = criterion_dir().join(id).join("new/estimates.json");
    let text = std::fs::read_to_string(p).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    v["median"]["point_estimate"].as_f64()
}

fn fmt_ns(ns: f64) -> String {
    if ns >= 1e9 {
        format!("{:.2} s", ns / 1e9)
    } else if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.2} us", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

fn summary() {
    println!();
    println!("== summary (criterion medians of this run) ==");
    let show = |label: &str, id: &str| {
        if let Some(ns) = median_ns(id) {
            println!("  {label:<44} {:>12}", fmt_ns(ns));
        }
    };
    show("parse + check the TVPA pack", "pack/parse_check");
    show("one country: decide (facts loaded)", "assess_one/decide");
    show(
        "one country: evaluate (facts loaded)",
        "assess_one/evaluate",
    );
    show("one country: load YAML alone", "assess_one/load_yaml");
    show("one country: end to end from YAML", "assess_one/end_to_end");
    if let (Some(e), Some(d), Some(x)) = (
        median_ns("assess_one/evaluate"),
        median_ns("assess_one/decide"),
        median_ns("assess_one/end_to_end"),
    ) {
        println!(
            "  ratios: evaluate/decide {:.1}x, end_to_end/evaluate {:.1}x",
            e / d,
            x / e
        );
    }
    for op in ["decide", "evaluate"] {
        println!(
            "  assess N countries, {op}: per country (ratio to N = {})",
            NS[0]
        );
        let base = median_ns(&format!("assess_n/{op}/{}", NS[0])).map(|t| t / NS[0] as f64);
        for n in NS {
            if let Some(t) = median_ns(&format!("assess_n/{op}/{n}")) {
                let per = t / n as f64;
                let ratio = base.map(|b| per / b).unwrap_or(f64::NAN);
                println!(
                    "    N = {n:>6}: total {:>10}, per country {:>10} ({ratio:.2}x)",
                    fmt_ns(t),
                    fmt_ns(per)
                );
            }
        }
    }
    let pack = pack();
    let facts = reform_case(&pack);
    println!("  reform search (Jamaica 2017 without findings, target Tier 1, sets of at most {MAX_SIZE}):");
    let mut first: Option<f64> = None;
    for n in LEVERS {
        let p = lever_pack(&pack, &facts, n);
        let r = reforms_with(&p, &facts, Target::Tier("1".into()), full_search());
        if let Some(t) = median_ns(&format!("reforms/{n}")) {
            let f = *first.get_or_insert(t);
            println!(
                "    {n:>2} levers: {:>10} ({:.1}x), {:>5} evaluations, 2^{n} = {:>8}, per evaluation {}",
                fmt_ns(t),
                t / f,
                r.evaluated,
                1u64 << n,
                fmt_ns(t / r.evaluated as f64)
            );
        }
    }
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    bench_pack(&mut c);
    bench_one(&mut c);
    bench_n(&mut c);
    bench_reforms(&mut c);
    c.final_summary();
    summary();
}
