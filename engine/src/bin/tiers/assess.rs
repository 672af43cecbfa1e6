use crate::args::{CaseArgs, Fmt, FormatArgs};
use crate::Exit;
use std::path::PathBuf;
use tiers::case::{self, LoadOptions};
use tiers::explain;

#[derive(clap::Args)]
pub struct Args {
    /// Facts files (YAML), or directories of them
    #[arg(required = true)]
    files: Vec<PathBuf>,
    #[command(flatten)]
    format: FormatArgs,
    #[command(flatten)]
    case: CaseArgs,
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
    let pack = args.case.pack.load()?;
    let opts = args.case.options();
    // directories expand to their facts files; files keep the order given
    let mut files: Vec<PathBuf> = vec![];
    for f in &args.files {
        if f.is_dir() {
            let found = case::collect(std::slice::from_ref(f));
            if found.is_empty() {
                errln!(
                    "error: no facts files (*.yaml, *.yml) in the directory {}",
                    f.display()
                );
                return Ok(Exit::Failed);
            }
            files.extend(found);
        } else {
            files.push(f.clone());
        }
    }
    let job = Job {
        format: args.format.format,
        history: args.history,
        opts,
    };
    // every file is checked and rendered before anything is printed
    let results = if files.len() < PARALLEL_FROM {
        files.iter().map(|f| job.one(&pack, f)).collect::<Vec<_>>()
    } else {
        parallel(&args.case.pack.source(), &files, &job)
    };
    let mut rendered = vec![];
    let mut failed = false;
    for r in results {
        match r {
            Ok(piece) => rendered.push(piece),
            Err(msg) => {
                crate::diagnostics(&msg);
                failed = true;
            }
        }
    }
    if failed {
        return Ok(Exit::Failed);
    }
    let out = match args.format.format {
        Fmt::Json => {
            let docs: Vec<serde_json::Value> = rendered
                .into_iter()
                .filter_map(|p| match p {
                    Piece::Json(v) => Some(v),
                    Piece::Text(_) => None,
                })
                .collect();
            let doc = if docs.len() == 1 {
                docs.into_iter().next().unwrap_or_default()
            } else {
                serde_json::Value::Array(docs)
            };
            serde_json::to_string_pretty(&doc)? + "\n"
        }
        Fmt::Text | Fmt::Md => rendered
            .into_iter()
            .filter_map(|p| match p {
                Piece::Text(t) => Some(t),
                Piece::Json(_) => None,
            })
            .collect::<Vec<_>>()
            .join("\n"),
    };
    // text and Markdown are escaped for the terminal wherever they go; JSON is exact
    let out = match args.format.format {
        Fmt::Json => out,
        Fmt::Text | Fmt::Md => tiers::escape::terminal(&out).into_owned(),
    };
    match &args.output {
        Some(path) => crate::write_atomic(path, out.as_bytes())?,
        None => crate::emit_raw(&out),
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
            tiers::text::num::fmt_num(e.year),
            e.tier
        ));
    }
    s.push('\n');
    s
}

/// One year of the history used (`--history --format json`).
#[derive(serde::Serialize)]
struct HistoryUsed<'a> {
    year: f64,
    tier: &'a str,
    from: &'a Option<String>,
}

impl<'a> HistoryUsed<'a> {
    fn of(e: &'a case::HistoryEntry) -> Self {
        HistoryUsed {
            year: e.year,
            tier: &e.tier,
            from: &e.from,
        }
    }
}

/// From this many files on, assessments run on every core.
const PARALLEL_FROM: usize = 16;

/// One file's rendered assessment.
enum Piece {
    Text(String),
    Json(serde_json::Value),
}

struct Job {
    format: Fmt,
    history: bool,
    opts: LoadOptions,
}

impl Job {
    /// Loads, assesses and renders one file; a failure is the rendered diagnostic.
    fn one(&self, pack: &tiers::RulePack, file: &std::path::Path) -> Result<Piece, String> {
        let (facts, h) = case::load_with_history(pack, file, self.opts).map_err(|e| e.render())?;
        let a = tiers::evaluate(pack, &facts);
        Ok(match self.format {
            Fmt::Json => {
                let mut v = explain::to_json(&a);
                if self.history {
                    // added to the assessment's own JSON object
                    let used: Vec<HistoryUsed> = h.iter().map(HistoryUsed::of).collect();
                    v["history_used"] = serde_json::to_value(used).unwrap_or_default();
                }
                Piece::Json(v)
            }
            Fmt::Text | Fmt::Md => {
                let mut s = String::new();
                if self.history {
                    s.push_str(&history_block(&h));
                }
                s.push_str(&explain::render(&a, self.format.into()));
                Piece::Text(s)
            }
        })
    }
}

/// Assesses `files` on every core. The pack holds `Rc`s, so each worker
/// checks its own copy (a few milliseconds) and takes every n-th file;
/// results come back in the order of `files`.
fn parallel(
    rules: &crate::args::PackSource,
    files: &[PathBuf],
    job: &Job,
) -> Vec<Result<Piece, String>> {
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(files.len())
        .max(1);
    let mut slots: Vec<Option<Result<Piece, String>>> = (0..files.len()).map(|_| None).collect();
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                s.spawn(move || {
                    let pack = match rules.load() {
                        Ok(p) => p,
                        Err(f) => return vec![(w, Err(f.render()))],
                    };
                    (w..files.len())
                        .step_by(workers)
                        .map(|i| (i, job.one(&pack, &files[i])))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for h in handles {
            for (i, r) in h.join().unwrap_or_default() {
                slots[i] = Some(r);
            }
        }
    });
    slots
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err("error: an assessment worker stopped\n".into())))
        .collect()
}
