//! # tiers
//!
//! A rule-based compliance assessment engine. Rule packs (`rules/*/`) encode
//! minimum standards and a placement procedure in a small rule language;
//! facts files (YAML) describe one country in one report edition.
//!
//! The pipeline, one module a stage:
//!
//! ```text
//! rule files --parse--> ast::File --check--> pack::RulePack
//! facts.yaml --facts--> facts::Facts
//! (RulePack, Facts) --eval--> eval::Assessment --explain--> text | md | json
//! ```
//!
//! The Rust code knows the language, never the law: every criterion,
//! threshold, sentence and tier lives in the rule files.

pub mod agreement;
pub mod ast;
pub mod builtin;
pub mod case;
pub mod check;
pub mod diag;
pub mod eval;
pub mod explain;
pub mod facts;
pub mod fmt;
pub mod mutants;
pub mod pack;
pub mod parse;
pub mod reads;
pub mod report;
pub mod scenario;
pub mod schema;
#[cfg(feature = "serve")]
pub mod serve;
pub mod whatif;

use diag::{Code, Diagnostic, SourceMap};
use std::path::Path;

pub use eval::{evaluate, Assessment};
pub use pack::{Outcome, RulePack};

/// Diagnostics together with the sources they point into.
#[derive(Debug, Clone)]
pub struct Failure {
    pub sources: SourceMap,
    pub diags: Vec<Diagnostic>,
}

impl Failure {
    pub fn new(sources: SourceMap, diags: Vec<Diagnostic>) -> Failure {
        Failure { sources, diags }
    }

    /// Every diagnostic, rendered, one after the other.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for d in &self.diags {
            out.push_str(&self.sources.render(d));
        }
        out
    }

    pub fn has_errors(&self) -> bool {
        self.diags.iter().any(|d| d.is_error())
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render())
    }
}

impl std::error::Error for Failure {}

/// Reads, parses and checks every `*.rules` file of a pack directory (in
/// name order; the files of a pack are merged).
pub fn load_pack(dir: &Path) -> Result<RulePack, Failure> {
    let mut sources = SourceMap::default();
    let mut files: Vec<std::path::PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "rules"))
            .collect(),
        Err(e) => {
            let f = sources.add(dir.display().to_string(), "");
            return Err(Failure::new(
                sources,
                vec![Diagnostic::new(
                    Code::Io,
                    format!("cannot read rule pack directory: {e}"),
                    ast::Span::new(f, 0, 0),
                )],
            ));
        }
    };
    files.sort();
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
    for p in &files {
        let bytes = std::fs::read(p).unwrap_or_default();
        texts.push((p.display().to_string(), bytes));
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
