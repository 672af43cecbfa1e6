use crate::args::{FormatArgs, PackArgs, PackSource, PathArgs};
use crate::Exit;
use std::path::{Path, PathBuf};
use tiers::case::{self, LoadOptions};
use tiers::report::CaseDiff;
use tiers::whatif;

#[derive(clap::Args)]
#[command(mut_arg("rules", |a| a.help("The changed rule pack directory [default: rules/tvpa here or above, else the pack built into the binary]")))]
pub struct Args {
    #[command(flatten)]
    paths: PathArgs,
    /// The rule pack to compare against: a directory, or git:REV for the
    /// pack as it was at a revision of this repository
    #[arg(long)]
    base_rules: String,
    #[command(flatten)]
    pack: PackArgs,
    #[command(flatten)]
    format: FormatArgs,
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let source = args.pack.source();
    let base = match args.base_rules.strip_prefix("git:") {
        Some(rev) => match from_git(rev, &source) {
            Ok(files) => tiers::load_pack_from(files),
            Err(e) => anyhow::bail!("cannot read the rule pack at `{rev}`: {e}"),
        },
        None => tiers::load_pack(Path::new(&args.base_rules)),
    };
    let base = match base {
        Ok(p) => p,
        Err(f) => {
            crate::diagnostics(&f.render());
            errln!("error: the base rule pack does not check");
            return Ok(Exit::Failed);
        }
    };
    let new = args.pack.load()?;
    let paths = args.paths.resolve();
    let mut rows = vec![];
    let mut total = 0;
    let mut unloadable = 0;
    // one loader a pack: each derives the history of multi-year cases
    // under its own rules
    let (mut base_cases, mut new_cases) = (
        case::Loader::new(LoadOptions::default()),
        case::Loader::new(LoadOptions::default()),
    );
    for file in case::collect(&paths) {
        total += 1;
        let shown = file.display().to_string();
        let (b, n) = (base_cases.load(&base, &file), new_cases.load(&new, &file));
        let (b, n) = match (b, n) {
            (Ok((b, _)), Ok((n, _))) => (tiers::evaluate(&base, &b), tiers::evaluate(&new, &n)),
            (Err(_), Err(f)) => {
                // a case that loads under neither pack is bad input, not "unchanged"
                crate::diagnostics(&f.render());
                unloadable += 1;
                continue;
            }
            (b, _) => {
                let only = if b.is_ok() {
                    CaseDiff::LoadsOnlyUnderBase
                } else {
                    CaseDiff::LoadsOnlyUnderNew
                };
                rows.push((shown, only));
                continue;
            }
        };
        let d = whatif::compare_packs(&b, &n);
        if !d.is_empty() {
            rows.push((shown, CaseDiff::Moved(d)));
        }
    }
    if unloadable > 0 {
        errln!("error: {unloadable} of {total} cases do not load under either rule pack; nothing compared");
        return Ok(Exit::Failed);
    }
    if total == 0 {
        errln!(
            "error: no facts files (*.yaml, *.yml) under {}",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
        return Ok(Exit::Failed);
    }
    let out = tiers::report::pack_diff(
        &rows,
        total,
        &args.base_rules,
        &source.name(),
        args.format.get(),
    );
    args.format.emit(&out);
    Ok(if rows.is_empty() {
        Exit::Ok
    } else {
        Exit::Changed
    })
}

/// The `*.rules` files of the pack as they were at `rev`. The pack's path
/// is taken relative to the repository's top level, so this works from any
/// subdirectory and with an absolute `--rules`; the built-in pack is
/// `rules/tvpa` of the repository the current directory is in.
///
/// `rev` reaches git only after `--end-of-options` (and one that starts
/// with `-` is refused first), so it is never read as an option; the tree
/// is listed with `ls-tree -z --full-tree`, so any file name survives, and
/// only regular files (not symlinks or submodules) named `*.rules` count.
fn from_git(rev: &str, pack: &PackSource) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    if rev.is_empty() || rev.starts_with('-') {
        anyhow::bail!("`{rev}` is not a revision (give a commit, branch or tag after `git:`)");
    }
    let (top, dir) = match pack {
        PackSource::Dir(d) => match d.canonicalize() {
            Ok(abs) => {
                let top = toplevel(&abs)?;
                let rel = abs.strip_prefix(&top).map_err(|_| {
                    anyhow::anyhow!("{} is not inside {}", abs.display(), top.display())
                })?;
                (top, slash_path(rel))
            }
            // gone from the working tree: the path it had, from the top level
            Err(_) => {
                let top = toplevel(Path::new("."))?;
                let cwd = std::env::current_dir()?;
                let cwd = cwd.canonicalize().unwrap_or(cwd);
                let abs = lexical(&cwd.join(d));
                let rel = abs.strip_prefix(&top).map_err(|_| {
                    anyhow::anyhow!("{} is not inside {}", abs.display(), top.display())
                })?;
                (top, slash_path(rel))
            }
        },
        PackSource::Builtin => (toplevel(Path::new("."))?, tiers::builtin::DIR.to_string()),
    };
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .args(args)
            .current_dir(&top)
            .output()
            .map_err(|e| anyhow::anyhow!("cannot run git: {}", tiers::io::describe_io(&e)))
    };
    let want = format!("{}/", dir.trim_end_matches('/'));
    let ls = git(&[
        "ls-tree",
        "-z",
        "--full-tree",
        "--end-of-options",
        rev,
        "--",
        &want,
    ])?;
    if !ls.status.success() {
        anyhow::bail!("{}", String::from_utf8_lossy(&ls.stderr).trim());
    }
    let mut out = vec![];
    for entry in ls.stdout.split(|b| *b == 0).filter(|e| !e.is_empty()) {
        // <mode> SP <type> SP <object> TAB <path>
        let Some(tab) = entry.iter().position(|b| *b == b'\t') else {
            continue;
        };
        let (meta, path) = (&entry[..tab], &entry[tab + 1..]);
        let meta = String::from_utf8_lossy(meta);
        let mut fields = meta.split(' ');
        let (mode, kind, oid) = (fields.next(), fields.next(), fields.next());
        let regular = matches!(mode, Some("100644" | "100755")) && kind == Some("blob");
        let name = String::from_utf8_lossy(path).into_owned();
        let in_dir = name
            .strip_prefix(&want)
            .is_some_and(|rest| !rest.contains('/') && rest.ends_with(".rules"));
        let Some(oid) = oid.filter(|o| o.chars().all(|c| c.is_ascii_hexdigit())) else {
            continue;
        };
        if !regular || !in_dir {
            continue;
        }
        let show = git(&["cat-file", "blob", oid])?;
        if !show.status.success() {
            anyhow::bail!("{}", String::from_utf8_lossy(&show.stderr).trim());
        }
        if show.stdout.len() > tiers::parse::MAX_RULE_FILE {
            anyhow::bail!(
                "{rev}:{name} is larger than the limit of {} bytes",
                tiers::parse::MAX_RULE_FILE
            );
        }
        out.push((format!("{rev}:{name}"), show.stdout));
    }
    if out.is_empty() {
        anyhow::bail!("no *.rules files in {dir} at {rev}");
    }
    Ok(out)
}

/// A relative path with `/` between its parts (as git writes paths).
fn slash_path(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// `a/b/../c` as `a/c`, without touching the file system.
fn lexical(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The top level of the git repository that holds `dir`.
fn toplevel(dir: &Path) -> anyhow::Result<PathBuf> {
    let out = std::process::Command::new("git")
        .args(["rev-parse", "--show-toplevel"])
        .current_dir(dir)
        .output()
        .map_err(|e| anyhow::anyhow!("cannot run git: {}", tiers::io::describe_io(&e)))?;
    if !out.status.success() {
        anyhow::bail!("{}", String::from_utf8_lossy(&out.stderr).trim());
    }
    let top = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    Ok(top.canonicalize().unwrap_or(top))
}
