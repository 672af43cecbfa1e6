//! The `tiers` command: a thin front over the library. One file per
//! subcommand; anyhow lives here only.

mod assess;
mod check;
mod diff;
mod fmt;
mod new;
mod reforms;
mod schema;
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
    /// Lay rule files out canonically (only whitespace changes)
    Fmt(fmt::Args),
    /// Print the JSON Schema of facts files (for editors), or the field reference
    Schema(schema::Args),
    /// Print a facts file with every field null and a comment each
    New(new::Args),
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
        Cmd::Fmt(a) => fmt::run(a),
        Cmd::Schema(a) => schema::run(a),
        Cmd::New(a) => new::run(a),
    };
    match result {
        Ok(code) => ExitCode::from(code as u8),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(Exit::Failed as u8)
        }
    }
}

/// The case paths given, or `cases/` when none are.
pub fn case_paths(paths: Vec<PathBuf>) -> Vec<PathBuf> {
    if paths.is_empty() {
        vec![PathBuf::from("cases")]
    } else {
        paths
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

/// Writes a file so that a reader (or a crash) sees the old content or the
/// new, never a torn file: write a temporary file beside it, flush it to
/// disk, then rename it over the target.
pub fn write_atomic(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tiers-{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
