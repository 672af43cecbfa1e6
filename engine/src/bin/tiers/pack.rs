use crate::Exit;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(clap::Subcommand)]
enum Cmd {
    /// Write the rule pack built into the binary to DIR, for editing; use it
    /// with `--rules DIR`
    #[command(
        after_help = "Exit codes:\n  0  the files were written\n  1  a file exists and differs (use --force), or DIR cannot be written\n  2  the command line is wrong"
    )]
    Export {
        /// The directory to write the `*.rules` files to (created if needed)
        dir: PathBuf,
        /// Overwrite files that exist and differ
        #[arg(long)]
        force: bool,
    },
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    match args.cmd {
        Cmd::Export { dir, force } => export(&dir, force),
    }
}

fn export(dir: &std::path::Path, force: bool) -> anyhow::Result<Exit> {
    let files: Vec<(PathBuf, Vec<u8>)> = tiers::builtin::files()
        .into_iter()
        .map(|(path, bytes)| {
            let name = path.rsplit('/').next().unwrap_or(&path).to_string();
            (dir.join(name), bytes)
        })
        .collect();
    let clashes: Vec<String> = files
        .iter()
        .filter(|(p, b)| {
            // what is there and is not the same file (or cannot be read) clashes
            std::fs::symlink_metadata(p).is_ok()
                && tiers::io::read_limited(p, b.len()).map_or(true, |old| old != *b)
        })
        .map(|(p, _)| p.display().to_string())
        .collect();
    if !clashes.is_empty() && !force {
        let what = match clashes.len() {
            1 => "a file exists that differs".to_string(),
            n => format!("{n} files exist that differ"),
        };
        errln!(
            "error: {what} from the built-in pack ({}); nothing written\n  = help: pass --force to overwrite them, or export to an empty directory",
            clashes.join(", ")
        );
        return Ok(Exit::Failed);
    }
    if let Err(e) = std::fs::create_dir_all(dir) {
        errln!(
            "error: cannot create {}: {}",
            dir.display(),
            tiers::io::describe_io(&e)
        );
        return Ok(Exit::Failed);
    }
    for (path, bytes) in &files {
        if let Err(e) = crate::write_atomic(path, bytes) {
            errln!("error: {e}");
            return Ok(Exit::Failed);
        }
    }
    outln!(
        "wrote {} rule files to {} (use them with --rules {})",
        files.len(),
        dir.display(),
        dir.display()
    );
    Ok(Exit::Ok)
}
