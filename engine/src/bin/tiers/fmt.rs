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
            let v = tiers::io::list_dir(f, &["rules"]).map_err(|e| {
                anyhow::anyhow!(
                    "cannot read {}: {}",
                    f.display(),
                    tiers::io::describe_io(&e)
                )
            })?;
            files.extend(v);
        } else {
            files.push(f.clone());
        }
    }
    let mut unformatted = 0;
    for f in &files {
        // read as a pack's files are: regular files only, size-limited, text
        let mut sources = tiers::diag::SourceMap::default();
        let shown = f.display().to_string();
        let bytes = match tiers::io::read_limited(f, tiers::parse::MAX_RULE_FILE) {
            Ok(b) => b,
            Err(e) => {
                let id = sources.add(shown, "");
                let d = tiers::read_diagnostic(&e, "rule file", tiers::ast::Span::new(id, 0, 0));
                crate::diagnostics(&tiers::Failure::new(sources, vec![d]).render());
                return Ok(Exit::Failed);
            }
        };
        let id = sources.add(shown, String::from_utf8_lossy(&bytes).into_owned());
        match tiers::facts::text_of(&bytes, id, tiers::parse::MAX_RULE_FILE) {
            Err(d) if d.code != tiers::diag::Code::EmptyInput => {
                crate::diagnostics(&tiers::Failure::new(sources, vec![d]).render());
                return Ok(Exit::Failed);
            }
            _ => {}
        }
        let src = sources.text(id).to_string();
        // never reformat a file that does not parse: say why instead
        if let Err(diags) = tiers::parse::parse_file(id, &src) {
            crate::diagnostics(&tiers::Failure::new(sources, diags).render());
            return Ok(Exit::Failed);
        }
        let out = tiers::fmt::format(&src);
        if out == src {
            continue;
        }
        unformatted += 1;
        if args.check {
            outln!("{}: not formatted", f.display());
        } else {
            crate::write_atomic(f, out.as_bytes())?;
            outln!("{}: formatted", f.display());
        }
    }
    Ok(if args.check && unformatted > 0 {
        Exit::Failed
    } else {
        Exit::Ok
    })
}
