//! The `tiers` command: a thin front over the library. One file per
//! subcommand; anyhow lives here only.

mod assess;
mod check;
mod diff;
mod reforms;
mod test;
mod whatif;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit codes, one enum (see docs/cli.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Ok = 0,
    /// Bad input, a failed check, or a failing case.
    Failed = 1,
    /// `tiers diff`: something changed.
    Changed = 3,
}

#[derive(Parser)]
#[command(
    name = "tiers",
    version,
    about = "Assess countries against the TVPA minimum standards with a rule pack"
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Assess facts files: tier, criteria, and a draft rationale
    Assess(assess::Args),
    /// Parse and statically check a rule pack
    Check(check::Args),
    /// Run every `expect:` block under the given paths
    Test(test::Args),
    /// The assessment before and after a change to the facts
    Whatif(whatif::Args),
    /// The smallest sets of reform levers that reach a target
    Reforms(reforms::Args),
    /// Which cases change when the rules change
    Diff(diff::Args),
}

/// Where the rule pack is, unless `--rules` says otherwise.
pub fn default_rules() -> PathBuf {
    PathBuf::from("rules/tvpa")
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.cmd {
        Cmd::Assess(a) => assess::run(a),
        Cmd::Check(a) => check::run(a),
        Cmd::Test(a) => test::run(a),
        Cmd::Whatif(a) => whatif::run(a),
        Cmd::Reforms(a) => reforms::run(a),
        Cmd::Diff(a) => diff::run(a),
    };
    match result {
        Ok(code) => ExitCode::from(code as u8),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(Exit::Failed as u8)
        }
    }
}

/// Loads the pack or prints its diagnostics.
pub fn load_pack(dir: &std::path::Path) -> Result<tiers::RulePack, Exit> {
    tiers::load_pack(dir).map_err(|f| {
        eprint!("{}", f.render());
        let n = f.diags.iter().filter(|d| d.is_error()).count();
        eprintln!("error: rule pack `{}` has {n} error(s)", dir.display());
        Exit::Failed
    })
}
