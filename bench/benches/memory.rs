//! Peak memory against the number of countries assessed.
//!
//! `cargo bench -p tiers-bench --bench memory`
//!
//! Runs itself once per (mode, N) in a fresh process and reads the peak
//! resident set (`VmHWM` in /proc/self/status) at each stage:
//! - `streamed`: each synthetic country is generated as YAML, loaded,
//!   assessed (`evaluate`, the full assessment) and dropped;
//! - `held`: every country is loaded first and held, then all are assessed.
//!
//! Only a tally of tiers is kept from the assessments. The engine's own
//! peak is the growth of the peak beyond the setup (streamed) or beyond the
//! loaded facts (held).

use std::collections::BTreeMap;
use std::process::{Command, ExitCode};
use tiers::facts::Facts;
use tiers_bench::{pack, Synth};

const SEED: u64 = 2017;
const NS: [usize; 2] = [1_000, 10_000];

/// (VmHWM, VmRSS) in KiB.
fn mem_kib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

fn child(mode: &str, n: usize) {
    let pack = pack();
    let synth = Synth::new(&pack, SEED);
    let mut tally: BTreeMap<String, usize> = BTreeMap::new();
    let (setup, _) = mem_kib();
    let mut loaded = setup;
    match mode {
        "streamed" => {
            for i in 0..n {
                let f = synth.facts(&pack, i);
                let a = tiers::evaluate(&pack, &f);
                *tally.entry(a.tier.unwrap_or_default()).or_default() += 1;
            }
        }
        _ => {
            let all: Vec<Facts> = (0..n).map(|i| synth.facts(&pack, i)).collect();
            loaded = mem_kib().0;
            for f in &all {
                let a = tiers::evaluate(&pack, f);
                *tally.entry(a.tier.unwrap_or_default()).or_default() += 1;
            }
        }
    }
    let (end, _) = mem_kib();
    let tiers: Vec<String> = tally.iter().map(|(k, v)| format!("{k}={v}")).collect();
    println!("{setup} {loaded} {end} {}", tiers.join(","));
}

fn main() -> ExitCode {
    if let (Ok(mode), Ok(n)) = (
        std::env::var("TIERS_MEM_MODE"),
        std::env::var("TIERS_MEM_N"),
    ) {
        child(&mode, n.parse().unwrap_or(0));
        return ExitCode::SUCCESS;
    }
    let exe = std::env::current_exe().unwrap_or_else(|e| panic!("current_exe: {e}"));
    println!(
        "peak resident memory (VmHWM), one fresh process per row, full assessments (evaluate)"
    );
    println!(
        "  {:<9} {:>6}  {:>10}  {:>12}  {:>10}  {:>12}",
        "mode", "N", "setup", "facts held", "peak", "engine peak"
    );
    for mode in ["streamed", "held"] {
        for n in NS {
            let out = Command::new(&exe)
                .env("TIERS_MEM_MODE", mode)
                .env("TIERS_MEM_N", n.to_string())
                .output()
                .unwrap_or_else(|e| panic!("{}: {e}", exe.display()));
            // a child that crashed, or printed no figures, is a failed
            // measurement, not a row of zeros
            let text = String::from_utf8_lossy(&out.stdout);
            let v: Vec<&str> = text.split_whitespace().collect();
            let num = |i: usize| v.get(i).and_then(|x| x.parse::<u64>().ok());
            let (Some(setup), Some(loaded), Some(end), true) =
                (num(0), num(1), num(2), out.status.success())
            else {
                eprintln!(
                    "the {mode} N = {n} measurement failed ({}):\n{}{}",
                    out.status,
                    text,
                    String::from_utf8_lossy(&out.stderr)
                );
                return ExitCode::FAILURE;
            };
            // the kernel's counters are approximate (to about 0.2 MiB): a
            // later peak may read a little lower than an earlier one
            let mib = |k: u64| format!("{:.1} MiB", k as f64 / 1024.0);
            println!(
                "  {mode:<9} {n:>6}  {:>10}  {:>12}  {:>10}  {:>12}",
                mib(setup),
                mib(loaded.saturating_sub(setup)),
                mib(end),
                mib(end.saturating_sub(loaded))
            );
        }
    }
    ExitCode::SUCCESS
}
