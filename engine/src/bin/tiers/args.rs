//! The arguments the subcommands share, each flattened into the commands
//! that take it, and the one place each is loaded: the rule pack
//! (`--rules`), the case paths, the loading options (`--no-findings`) and
//! the output format (`--format`). A command that words one of them its
//! own way sets its help with `mut_arg`.

use std::path::PathBuf;
use tiers::case::LoadOptions;
use tiers::explain::Format;

/// `--rules DIR`: where the rule pack comes from.
#[derive(clap::Args)]
pub struct PackArgs {
    /// The rule pack directory [default: rules/tvpa here or above, else the
    /// pack built into the binary]
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
}

impl PackArgs {
    /// Where the pack comes from (see [`PackSource::of`]).
    pub fn source(&self) -> PackSource {
        PackSource::of(&self.rules)
    }

    /// Loads the pack, or prints its diagnostics and fails with
    /// [`Reported`].
    pub fn load(&self) -> anyhow::Result<tiers::RulePack> {
        let source = self.source();
        source.load().map_err(|f| {
            crate::diagnostics(&f.render());
            let n = f.diags.iter().filter(|d| d.is_error()).count();
            errln!("error: rule pack `{}` has {n} error(s)", source.name());
            Reported.into()
        })
    }
}

/// The rule pack, and how the cases are read under it (`--no-findings`).
#[derive(clap::Args)]
pub struct CaseArgs {
    #[command(flatten)]
    pub pack: PackArgs,
    /// Ignore the `findings:` block: recommend from objective facts alone
    #[arg(long)]
    pub no_findings: bool,
}

impl CaseArgs {
    pub fn options(&self) -> LoadOptions {
        LoadOptions::new(self.no_findings)
    }
}

/// Case files or directories, `cases/` when none are given.
#[derive(clap::Args)]
pub struct PathArgs {
    /// Case files or directories (default: cases/)
    pub paths: Vec<PathBuf>,
}

impl PathArgs {
    /// The case paths given, or `cases/` when none are: the one in the
    /// current directory, or else the one beside the nearest `rules/tvpa`
    /// above it.
    pub fn resolve(&self) -> Vec<PathBuf> {
        if !self.paths.is_empty() {
            return self.paths.clone();
        }
        let here = PathBuf::from("cases");
        match project_root() {
            Some(root) if !here.is_dir() => vec![root.join("cases")],
            _ => vec![here],
        }
    }
}

/// `--format text|md|json`.
#[derive(clap::Args)]
pub struct FormatArgs {
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    pub format: Fmt,
}

impl FormatArgs {
    pub fn get(&self) -> Format {
        self.format.into()
    }

    /// Prints a result: JSON exactly as written, text and Markdown escaped
    /// for the terminal.
    pub fn emit(&self, out: &str) {
        match self.format {
            Fmt::Json => crate::emit_raw(out),
            Fmt::Text | Fmt::Md => crate::emit(out),
        }
    }
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Fmt {
    Text,
    Md,
    Json,
}

impl From<Fmt> for Format {
    fn from(f: Fmt) -> Format {
        match f {
            Fmt::Text => Format::Text,
            Fmt::Md => Format::Md,
            Fmt::Json => Format::Json,
        }
    }
}

/// A library result, or its diagnostics printed and [`Reported`].
pub fn loaded<T>(r: Result<T, tiers::Failure>) -> anyhow::Result<T> {
    r.map_err(|f| {
        crate::diagnostics(&f.render());
        Reported.into()
    })
}

/// The error of a command whose diagnostics are printed already: it
/// exits with [`crate::Exit::Failed`] and nothing more is said.
#[derive(Debug)]
pub struct Reported;

impl std::fmt::Display for Reported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("see the diagnostics above")
    }
}

impl std::error::Error for Reported {}

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
