use crate::args::{CaseArgs, PathArgs};
use crate::Exit;
use std::path::PathBuf;
use tiers::case::{self, LoadOptions};

#[derive(clap::Args)]
#[command(mut_arg("no_findings", |a| a.help("Ignore `findings:` blocks: test the objective-only recommendation")))]
pub struct Args {
    #[command(flatten)]
    paths: PathArgs,
    #[command(flatten)]
    case: CaseArgs,
    /// Also list every criterion and placement-step branch with the cases
    /// that reach it; unreached branches fail the run
    #[arg(long)]
    coverage: bool,
    /// Instead of the pass/fail run: per edition, how often the recommended
    /// tier and the criteria agree with the report's, with the reviewer's
    /// findings and on objective facts alone, the abstentions, and the
    /// persistence baseline (same tier as last year); over the real cases
    /// (files whose `expect:` names a tier) under the paths
    #[arg(long, conflicts_with_all = ["coverage", "no_findings"])]
    agreement: bool,
    /// Mutation testing: run every case's `expect:` against each small
    /// change to the rules (made in memory) and list the changes no case
    /// notices; closes with `mutants: K of N killed`
    #[arg(long, conflicts_with_all = ["coverage", "agreement"])]
    mutants: bool,
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let pack = args.case.pack.load()?;
    let paths = args.paths.resolve();
    if args.agreement {
        let a = tiers::agreement::measure(&pack, &paths);
        crate::emit(&tiers::agreement::render(&a));
        return Ok(if a.unreadable.is_empty() && a.total.cases > 0 {
            Exit::Ok
        } else {
            Exit::Failed
        });
    }
    let opts = args.case.options();
    if args.mutants {
        return Ok(mutants(&pack, &paths, opts));
    }
    let report = case::run_tests(&pack, &paths, opts);
    if report.passed + report.failed == 0 {
        errln!(
            "error: no case with an `expect:` block under {}",
            shown_paths(&paths)
        );
        return Ok(Exit::Failed);
    }
    for line in &report.failures {
        outln!("{line}");
    }
    let mut unreached = 0;
    if args.coverage {
        let rows = case::coverage(&pack, &paths, opts);
        outln!("coverage: each branch, where it is, and the cases that reach it");
        for r in &rows {
            let reach = if r.cases.is_empty() {
                unreached += 1;
                "UNREACHED".to_string()
            } else {
                let names: Vec<&str> = r
                    .cases
                    .iter()
                    .take(3)
                    .map(|c| c.rsplit('/').next().unwrap_or(c))
                    .collect();
                let more = if r.cases.len() > 3 {
                    format!(" +{} more", r.cases.len() - 3)
                } else {
                    String::new()
                };
                format!("{}{more}", names.join(", "))
            };
            outln!(
                "  {:<9} {} #{}  {}  {}",
                r.kind,
                r.name,
                r.branch + 1,
                r.location,
                r.source
            );
            outln!("            -> {reach}");
        }
        outln!(
            "coverage: {} of {} branches reached",
            rows.len() - unreached,
            rows.len()
        );
    }
    let (checked, held) = report.checks;
    outln!(
        "expectations: {held} of {checked} held (tiers {} of {}, criteria {} of {})",
        report.tiers.1,
        report.tiers.0,
        held - report.tiers.1,
        checked - report.tiers.0
    );
    outln!("{} passed, {} failed", report.passed, report.failed);
    Ok(if report.failed == 0 && unreached == 0 {
        Exit::Ok
    } else {
        Exit::Failed
    })
}

/// `tiers test --mutants`: the survivors, a tally by kind, and the closing
/// line `mutants: K of N killed`.
fn mutants(pack: &tiers::RulePack, paths: &[PathBuf], opts: LoadOptions) -> Exit {
    let r = tiers::mutants::run(pack, paths, opts);
    for f in &r.failing {
        outln!("LEFT OUT {f}: its expect: does not hold on the rules as they are");
    }
    if r.cases.is_empty() {
        errln!(
            "error: no case with an `expect:` that holds under {}",
            shown_paths(paths)
        );
        return Exit::Failed;
    }
    let survivors: Vec<_> = r.survivors().collect();
    if !survivors.is_empty() {
        outln!("survivors: changes to the rules that no case's expect: notices");
    }
    for m in &survivors {
        match m.kind {
            tiers::mutants::Kind::Deleted => outln!("  {} {}", m.location, m.kind.as_str()),
            k => outln!("  {} {}: {}", m.location, k.as_str(), m.change),
        }
        outln!("    - {}", m.before);
        outln!("    + {}", m.after);
    }
    outln!("by kind:");
    for k in tiers::mutants::Kind::ALL {
        let all = r.mutants.iter().filter(|m| m.kind == k).count();
        if all == 0 {
            continue;
        }
        let killed = r
            .mutants
            .iter()
            .zip(&r.killed_by)
            .filter(|(m, by)| m.kind == k && by.is_some())
            .count();
        outln!("  {:<24} {killed} of {all} killed", k.as_str());
    }
    outln!("{} cases run against each mutant", r.cases.len());
    outln!("mutants: {} of {} killed", r.killed(), r.mutants.len());
    if r.failing.is_empty() {
        Exit::Ok
    } else {
        Exit::Failed
    }
}

fn shown_paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
