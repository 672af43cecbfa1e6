use crate::Exit;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// Rule files, or directories of them
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Change nothing; exit 1 and list the files that are not formatted
    #[arg(long)]
    check: bool,
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let mut files = vec![];
    for f in &args.files {
        if f.is_dir() {
            let mut v: Vec<PathBuf> = std::fs::read_dir(f)?
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "rules"))
                .collect();
            v.sort();
            files.extend(v);
        } else {
            files.push(f.clone());
        }
    }
    let mut unformatted = 0;
    for f in &files {
        let src = std::fs::read_to_string(f)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", f.display()))?;
        // never reformat a file that does not parse: say why instead
        if let Err(diags) = tiers::parse::parse_file(0, &src) {
            let mut sources = tiers::diag::SourceMap::default();
            sources.add(f.display().to_string(), src.clone());
            eprint!("{}", tiers::Failure::new(sources, diags).render());
            return Ok(Exit::Failed);
        }
        let out = tiers::fmt::format(&src);
        if out == src {
            continue;
        }
        unformatted += 1;
        if args.check {
            println!("{}: not formatted", f.display());
        } else {
            crate::write_atomic(f, out.as_bytes())?;
            println!("{}: formatted", f.display());
        }
    }
    Ok(if args.check && unformatted > 0 {
        Exit::Failed
    } else {
        Exit::Ok
    })
}
