//! # tiers
//!
//! A rule-based compliance assessment engine. Rule packs (`rules/*/`) encode
//! minimum standards and a placement procedure in a small rule language;
//! facts files (YAML) describe one country in one report edition.
//!
//! The pipeline, one module (or directory) a stage:
//!
//! ```text
//! rule files --syntax::parse--> syntax::ast::File --check--> pack::RulePack
//! facts.yaml --facts--> facts::Facts
//! (RulePack, Facts) --eval--> eval::Assessment --render::assessment--> text | md | json
//! ```
//!
//! Around it: `case` (a case is facts plus its `expect:`; loading with
//! history, `tiers test`, agreement, mutants) and `whatif` (scenarios,
//! comparison, reform search), whose results `render::whatif` prints.
//! Below every stage: `text` (numbers, escaping), `io` (files) and `diag`
//! (diagnostics). docs/architecture.md draws the layout and who may use
//! whom; `tests/layout.rs` checks there is no cycle. The moved modules stay
//! reachable at their old paths (`tiers::ast`, `tiers::explain`, ...).
//!
//! The Rust code knows the language, never the law: every criterion,
//! threshold, sentence and tier lives in the rule files.

pub mod builtin;
pub mod case;
pub mod check;
pub mod diag;
pub mod eval;
pub mod facts;
pub mod io;
pub mod pack;
pub mod reads;
pub mod render;
pub mod schema;
#[cfg(feature = "serve")]
pub mod serve;
pub mod syntax;
pub mod text;
pub mod whatif;

pub use diag::{read_diagnostic, Failure, MAX_SHOWN};
use diag::{Code, Diagnostic, SourceMap};
use std::path::Path;

pub use eval::{evaluate, Assessment};
pub use pack::{Outcome, RulePack};

// The stages' modules at their old paths (`tiers::ast`, `tiers::parse`, ...),
// as the binary, tests, benchmark and fuzz targets use them.
pub use case::{agreement, mutants};
pub use render::{assessment as explain, whatif as report};
pub use syntax::{ast, fmt, parse};
pub use text::escape;
pub use whatif::scenario;

/// Reads, parses and checks every `*.rules` file of a pack directory (in
/// name order; the files of a pack are merged). Each is read with
/// [`io::read_limited`]: a file that cannot be read (no permission, a
/// dangling symlink, a FIFO or device, too large) is an `io` or
/// `input-too-large` error, never an empty file.
pub fn load_pack(dir: &Path) -> Result<RulePack, Failure> {
    let mut sources = SourceMap::default();
    let files = match io::list_dir(dir, &["rules"]) {
        Ok(files) => files,
        Err(e) => {
            let f = sources.add(dir.display().to_string(), "");
            return Err(Failure::new(
                sources,
                vec![Diagnostic::new(
                    Code::Io,
                    format!(
                        "cannot read the rule pack directory: {}",
                        io::describe_io(&e)
                    ),
                    ast::Span::new(f, 0, 0),
                )],
            ));
        }
    };
    if files.is_empty() {
        let f = sources.add(dir.display().to_string(), "");
        return Err(Failure::new(
            sources,
            vec![Diagnostic::new(
                Code::MissingPack,
                "no `*.rules` files in the rule pack directory".into(),
                ast::Span::new(f, 0, 0),
            )],
        ));
    }
    let mut texts = vec![];
    let mut diags = vec![];
    for p in &files {
        let shown = p.display().to_string();
        match io::read_limited(p, parse::MAX_RULE_FILE) {
            Ok(bytes) => texts.push((shown, bytes)),
            Err(e) => {
                let f = sources.add(shown, "");
                diags.push(read_diagnostic(&e, "rule file", ast::Span::new(f, 0, 0)));
            }
        }
    }
    if !diags.is_empty() {
        return Err(Failure::new(sources, diags));
    }
    load_pack_from(texts)
}

/// Parses and checks a pack from (path, bytes) pairs.
pub fn load_pack_from(texts: Vec<(String, Vec<u8>)>) -> Result<RulePack, Failure> {
    let mut sources = SourceMap::default();
    let mut diags = vec![];
    let mut merged = ast::File::default();
    for (path, bytes) in texts {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let id = sources.add(path, text);
        match facts::text_of(&bytes, id, parse::MAX_RULE_FILE) {
            Err(d) if d.code != Code::EmptyInput => {
                diags.push(d);
                continue;
            }
            _ => {}
        }
        match parse::parse_file(id, sources.text(id)) {
            Ok(f) => merged.merge(f),
            Err(ds) => diags.extend(ds),
        }
    }
    if !diags.is_empty() {
        return Err(Failure::new(sources, diags));
    }
    check::check(merged, sources.clone()).map_err(|ds| Failure::new(sources, ds))
}
