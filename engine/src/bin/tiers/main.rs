//! The `tiers` command: a thin front over the library. One file per
//! subcommand; anyhow lives here only.

mod assess;
mod check;
mod completions;
mod diff;
mod fmt;
mod new;
mod pack;
mod reforms;
mod schema;
#[cfg(feature = "serve")]
mod serve;
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
    about = "Assess countries against the TVPA minimum standards with a rule pack",
    after_help = "Without --rules DIR, a command uses rules/tvpa in the current directory or the nearest\nparent that has one, and otherwise the pack built into the binary (tiers pack export DIR\nwrites it out). Each command's --help lists its exit codes."
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

/// The exit codes each command's `--help` lists (docs/cli.md has the
/// table). Usage errors exit with 2 (clap).
macro_rules! exits {
    ($($line:literal),* $(,)?) => {
        concat!("Exit codes:", $("\n  ", $line,)* "\n  2  the command line is wrong")
    };
}

#[derive(Subcommand)]
enum Cmd {
    /// Assess facts files: tier, criteria, and a draft rationale
    #[command(after_help = exits!("0  assessed", "1  a facts file or the rule pack does not load (diagnostics on stderr)"))]
    Assess(assess::Args),
    /// Parse and statically check a rule pack
    #[command(after_help = exits!("0  the pack checks clean", "1  the pack has errors (each with file:line:col)"))]
    Check(check::Args),
    /// Run every `expect:` block under the given paths
    #[command(after_help = exits!("0  every expectation holds (with --coverage, and every branch is reached)", "1  an expectation fails, a case does not load, or a branch is not reached"))]
    Test(test::Args),
    /// The assessment before and after a change to the facts
    #[command(after_help = exits!("0  compared", "1  a facts file, scenario, path or the rule pack does not load"))]
    Whatif(whatif::Args),
    /// The smallest sets of reform levers that reach a target
    #[command(after_help = exits!("0  searched (also when no set reaches the target)", "1  a facts file, target or the rule pack does not load"))]
    Reforms(reforms::Args),
    /// Which cases change when the rules change
    #[command(after_help = exits!("0  no case changes", "3  some case changes tier or a criterion outcome", "1  a pack or case does not load, or the git revision cannot be read"))]
    Diff(diff::Args),
    /// Lay rule files out canonically (only whitespace changes)
    #[command(after_help = exits!("0  formatted (with --check: already formatted)", "1  with --check, a file is not formatted; or a file cannot be read"))]
    Fmt(fmt::Args),
    /// Print the JSON Schema of facts files (for editors), or the field reference
    #[command(after_help = exits!("0  printed", "1  the rule pack does not load"))]
    Schema(schema::Args),
    /// Print a facts file with every field null and a comment each
    #[command(after_help = exits!("0  printed", "1  the rule pack does not load"))]
    New(new::Args),
    /// The rule pack built into the binary (`tiers pack export DIR` writes it out)
    #[command(after_help = exits!("0  done", "1  the files cannot be written"))]
    Pack(pack::Args),
    /// The reviewer's workbench: a local web page with live what-if
    #[cfg(feature = "serve")]
    #[command(after_help = exits!("0  stopped", "1  the rule pack does not load, or the port cannot be opened"))]
    Serve(serve::Args),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell)
    #[command(after_help = concat!(
        "Install, for example:\n  tiers completions bash > ~/.local/share/bash-completion/completions/tiers\n  tiers completions zsh > ~/.zfunc/_tiers\n  tiers completions fish > ~/.config/fish/completions/tiers.fish\n\n",
        exits!("0  printed")
    ))]
    Completions(completions::Args),
}

/// Where a command's rule pack comes from.
pub enum PackSource {
    /// A directory of `*.rules` files.
    Dir(PathBuf),
    /// The pack built into the binary (`tiers::builtin`).
    Builtin,
}

impl PackSource {
    /// `--rules DIR` if given; otherwise `rules/tvpa` in the current
    /// directory or the nearest parent that has one (the working copy of the
    /// repository); otherwise the pack built into the binary.
    pub fn of(arg: &Option<PathBuf>) -> PackSource {
        match arg {
            Some(dir) => PackSource::Dir(dir.clone()),
            None => match project_root() {
                Some(root) => PackSource::Dir(root.join(tiers::builtin::DIR)),
                None => PackSource::Builtin,
            },
        }
    }

    pub fn load(&self) -> Result<tiers::RulePack, tiers::Failure> {
        match self {
            PackSource::Dir(d) => tiers::load_pack(d),
            PackSource::Builtin => tiers::builtin::load(),
        }
    }

    /// How the pack is named in messages.
    pub fn name(&self) -> String {
        match self {
            PackSource::Dir(d) => d.display().to_string(),
            PackSource::Builtin => format!("{} (built in)", tiers::builtin::DIR),
        }
    }
}

/// The nearest of the current directory and its parents that holds
/// `rules/tvpa`, as a relative path (`""`, `..`, `../..`).
pub fn project_root() -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok()?;
    let mut rel = PathBuf::new();
    for dir in cwd.ancestors() {
        if dir.join(tiers::builtin::DIR).is_dir() {
            return Some(rel);
        }
        rel.push("..");
    }
    None
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
        Cmd::Pack(a) => pack::run(a),
        Cmd::Completions(a) => completions::run(a),
        #[cfg(feature = "serve")]
        Cmd::Serve(a) => serve::run(a),
    };
    match result {
        Ok(code) => ExitCode::from(code as u8),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(Exit::Failed as u8)
        }
    }
}

/// The case paths given, or `cases/` when none are: the one in the current
/// directory, or else the one beside the nearest `rules/tvpa` above it.
pub fn case_paths(paths: Vec<PathBuf>) -> Vec<PathBuf> {
    if !paths.is_empty() {
        return paths;
    }
    let here = PathBuf::from("cases");
    match project_root() {
        Some(root) if !here.is_dir() => vec![root.join("cases")],
        _ => vec![here],
    }
}

/// Loads the pack (`--rules`, see [`PackSource::of`]) or prints its
/// diagnostics.
pub fn load_pack(rules: &Option<PathBuf>) -> Result<tiers::RulePack, Exit> {
    let source = PackSource::of(rules);
    source.load().map_err(|f| {
        eprint!("{}", f.render());
        let n = f.diags.iter().filter(|d| d.is_error()).count();
        eprintln!("error: rule pack `{}` has {n} error(s)", source.name());
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
