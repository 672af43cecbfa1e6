use crate::{default_rules, Exit};
use std::io::Write;
use std::path::PathBuf;
use tiers::case::{self, LoadOptions};
use tiers::explain::{self, Format};

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Fmt {
    Text,
    Md,
    Json,
}

#[derive(clap::Args)]
pub struct Args {
    /// Facts files (YAML)
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    format: Fmt,
    /// The rule pack directory
    #[arg(long, default_value_os_t = default_rules())]
    rules: PathBuf,
    /// Ignore the `findings:` block: recommend from objective facts alone
    #[arg(long)]
    no_findings: bool,
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let pack = match crate::load_pack(&args.rules) {
        Ok(p) => p,
        Err(e) => return Ok(e),
    };
    let opts = LoadOptions {
        no_findings: args.no_findings,
    };
    // check every file first: nothing is printed half-way
    let mut loaded = vec![];
    let mut failed = false;
    for f in &args.files {
        match case::load(&pack, f, opts) {
            Ok(facts) => loaded.push(facts),
            Err(e) => {
                eprint!("{}", e.render());
                failed = true;
            }
        }
    }
    if failed {
        return Ok(Exit::Failed);
    }
    let assessments: Vec<tiers::Assessment> =
        loaded.iter().map(|f| tiers::evaluate(&pack, f)).collect();
    let out = match args.format {
        Fmt::Json => {
            let docs: Vec<serde_json::Value> = assessments.iter().map(explain::to_json).collect();
            let doc = if docs.len() == 1 {
                docs.into_iter().next().unwrap_or_default()
            } else {
                serde_json::Value::Array(docs)
            };
            serde_json::to_string_pretty(&doc)? + "\n"
        }
        Fmt::Text | Fmt::Md => {
            let f = if matches!(args.format, Fmt::Md) {
                Format::Md
            } else {
                Format::Text
            };
            assessments
                .iter()
                .map(|a| explain::render(a, f))
                .collect::<Vec<_>>()
                .join("\n")
        }
    };
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(Exit::Ok)
}
