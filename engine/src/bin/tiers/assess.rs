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
    /// Facts files (YAML), or directories of them
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
    /// Write the output to FILE (atomically: the old file or the new, never
    /// a torn one) instead of standard output
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Show the placement history used, and where each year came from
    /// (stated in the file, or assessed from cases/<year>/<same name>.yaml)
    #[arg(long)]
    history: bool,
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
    // directories expand to their facts files; files keep the order given
    let files: Vec<PathBuf> = args
        .files
        .iter()
        .flat_map(|f| {
            if f.is_dir() {
                case::collect(std::slice::from_ref(f))
            } else {
                vec![f.clone()]
            }
        })
        .collect();
    for f in &files {
        match case::load_with_history(&pack, f, opts) {
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
    let assessments: Vec<tiers::Assessment> = loaded
        .iter()
        .map(|(f, _)| tiers::evaluate(&pack, f))
        .collect();
    let out = match args.format {
        Fmt::Json => {
            let docs: Vec<serde_json::Value> = assessments
                .iter()
                .zip(&loaded)
                .map(|(a, (_, h))| {
                    let mut v = explain::to_json(a);
                    if args.history {
                        v["history_used"] = serde_json::json!(h
                            .iter()
                            .map(|e| serde_json::json!({"year": e.year, "tier": e.tier, "from": e.from}))
                            .collect::<Vec<_>>());
                    }
                    v
                })
                .collect();
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
                .zip(&loaded)
                .map(|(a, (_, h))| {
                    let mut s = String::new();
                    if args.history {
                        s.push_str(&history_block(h));
                    }
                    s.push_str(&explain::render(a, f));
                    s
                })
                .collect::<Vec<_>>()
                .join("\n")
        }
    };
    match &args.output {
        Some(path) => crate::write_atomic(path, out.as_bytes())
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?,
        None => std::io::stdout().lock().write_all(out.as_bytes())?,
    }
    Ok(Exit::Ok)
}

fn history_block(h: &[case::HistoryEntry]) -> String {
    let mut s = String::from("History used\n");
    if h.is_empty() {
        s.push_str("  (none: the file states no history and no earlier year's file was found)\n");
    }
    let mut sorted: Vec<&case::HistoryEntry> = h.iter().collect();
    sorted.sort_by(|a, b| a.year.total_cmp(&b.year));
    for e in sorted {
        let from = match &e.from {
            Some(f) => format!("assessed from {f}"),
            None => "stated in the facts file".to_string(),
        };
        s.push_str(&format!(
            "  {}  {:<8} {from}\n",
            tiers::eval::fmt_num(e.year),
            e.tier
        ));
    }
    s.push('\n');
    s
}
