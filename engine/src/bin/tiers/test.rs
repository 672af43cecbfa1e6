use crate::{default_rules, Exit};
use std::path::PathBuf;
use tiers::case::LoadOptions;

#[derive(clap::Args)]
pub struct Args {
    /// Case files or directories (default: cases/)
    paths: Vec<PathBuf>,
    /// The rule pack directory
    #[arg(long, default_value_os_t = default_rules())]
    rules: PathBuf,
    /// Ignore `findings:` blocks: test the objective-only recommendation
    #[arg(long)]
    no_findings: bool,
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let pack = match crate::load_pack(&args.rules) {
        Ok(p) => p,
        Err(e) => return Ok(e),
    };
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from("cases")]
    } else {
        args.paths
    };
    let opts = LoadOptions {
        no_findings: args.no_findings,
    };
    let report = tiers::case::run_tests(&pack, &paths, opts);
    for line in &report.failures {
        println!("{line}");
    }
    println!("{} passed, {} failed", report.passed, report.failed);
    Ok(if report.failed == 0 {
        Exit::Ok
    } else {
        Exit::Failed
    })
}
