//! The `tiers` command: a thin front over the library. One file per
//! subcommand; the arguments they share (`--rules`, `--no-findings`,
//! `--format`, case paths) and their loading are in `args`; anyhow lives
//! here only.

/// `println!` for results: through [`emit`] (escaped, no panic on a closed
/// pipe or a full disk).
macro_rules! outln {
    ($($t:tt)*) => { $crate::emit(&format!("{}\n", format_args!($($t)*))) };
}

/// `eprintln!` for diagnostics and errors: through [`diagnostics`].
macro_rules! errln {
    ($($t:tt)*) => { $crate::diagnostics(&format!("{}\n", format_args!($($t)*))) };
}

mod args;
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
use std::io::Write;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

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

/// Set when a reader closed standard output: the rest is dropped quietly.
static CLOSED: AtomicBool = AtomicBool::new(false);
/// The first error writing standard output other than a closed pipe (a
/// full disk): the command then fails with it.
static WRITE_FAILED: Mutex<Option<String>> = Mutex::new(None);

/// Writes results to standard output, escaped for the terminal (see
/// `tiers::escape::terminal`). A closed pipe (`tiers test | head -1`) ends
/// the output quietly and the command finishes with its own exit code; any
/// other error (a full disk) is remembered and fails the command with exit
/// code 1. Never panics.
pub fn emit(text: &str) {
    write_out(&tiers::escape::terminal(text));
}

/// [`emit`] without escaping, for JSON (exact as the serializer wrote
/// it) and generated scripts.
pub fn emit_raw(text: &str) {
    write_out(text);
}

fn write_out(text: &str) {
    if CLOSED.load(Ordering::Relaxed) || failed_write() {
        return;
    }
    let mut out = std::io::stdout().lock();
    let result = out.write_all(text.as_bytes()).and_then(|()| out.flush());
    match result {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            CLOSED.store(true, Ordering::Relaxed)
        }
        Err(e) => {
            if let Ok(mut slot) = WRITE_FAILED.lock() {
                slot.get_or_insert_with(|| tiers::io::describe_io(&e));
            }
        }
    }
}

fn failed_write() -> bool {
    WRITE_FAILED.lock().map(|s| s.is_some()).unwrap_or(true)
}

/// Writes diagnostics and errors to standard error, escaped for the
/// terminal; an error writing them is ignored (there is nowhere left to
/// report it).
pub fn diagnostics(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err
        .write_all(tiers::escape::terminal(text).as_bytes())
        .and_then(|()| err.flush());
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
    let code = match result {
        Ok(code) => code,
        Err(e) => {
            if !e.is::<args::Reported>() {
                errln!("error: {e:#}");
            }
            Exit::Failed
        }
    };
    let failed = WRITE_FAILED.lock().ok().and_then(|mut s| s.take());
    if let Some(why) = failed {
        errln!("error: cannot write to standard output: {why}");
        return ExitCode::from(Exit::Failed as u8);
    }
    ExitCode::from(code as u8)
}

/// Writes an output file whole (`tiers::io::write_atomic`: the old file or
/// the new, never a torn one; through symlinks; mode kept; in place for
/// `/dev/stdout` or a FIFO).
pub fn write_atomic(path: &std::path::Path, bytes: &[u8]) -> anyhow::Result<()> {
    tiers::io::write_atomic(path, bytes).map_err(anyhow::Error::new)
}
