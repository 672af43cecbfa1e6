//! Sources: the `source` declarations (title, public address) and the
//! `cites` of every item, each of which must start with a declared source
//! id followed by a pinpoint.

use super::names::FirstSeen;
use super::{err, Checker};
use crate::diag::Code;
use crate::pack::*;
use crate::syntax::ast::{self, Span};

impl Checker {
    /// Checks the `source` declarations and that every `cites` string
    /// starts with a declared source id followed by a pinpoint.
    pub(super) fn cite_sources(&mut self, file: &ast::File) -> Vec<CiteSource> {
        let mut out: Vec<CiteSource> = vec![];
        let mut seen = FirstSeen::default();
        for s in &file.sources {
            if let Some(d) = seen.see(&s.id, s.id_span, Code::DuplicateName, "source") {
                self.diags.push(d);
                continue;
            }
            if let Some(c) = self.source(s) {
                out.push(c);
            }
        }
        let declared: Vec<String> = file.sources.iter().map(|s| s.id.clone()).collect();
        let metas = file
            .params
            .iter()
            .map(|p| &p.meta)
            .chain(file.judgments.iter().map(|j| &j.meta))
            .chain(file.criteria.iter().map(|c| &c.meta))
            .chain(file.exceptions.iter().map(|e| &e.meta))
            .chain(
                file.placements
                    .iter()
                    .flat_map(|p| p.steps.iter().map(|s| &s.meta)),
            )
            .chain(file.levers.iter().map(|l| &l.meta));
        for meta in metas {
            for (i, cite) in meta.cites.iter().enumerate() {
                let span = meta.cite_spans.get(i).copied().unwrap_or_default();
                self.cite(cite, span, &declared);
            }
        }
        out
    }

    /// One source declaration: it needs a title and a web address.
    fn source(&mut self, s: &ast::SourceDecl) -> Option<CiteSource> {
        let mut missing = vec![];
        let mut add = vec![];
        if s.title.is_none() {
            missing.push("title");
            add.push("`title \"...\"`");
        }
        if s.url.is_none() {
            missing.push("url");
            add.push("`url \"https://...\"`");
        }
        if !missing.is_empty() {
            self.diags.push(
                err(
                    Code::BadSource,
                    format!("source `{}` has no {}", s.id, missing.join(" and ")),
                    s.id_span,
                )
                .help(format!(
                    "a reader follows a citation by its title and public address: add {}",
                    add.join(" and ")
                )),
            );
            return None;
        }
        let url = s.url.clone().unwrap_or_default();
        if !(url.starts_with("https://") || url.starts_with("http://"))
            || url.contains(char::is_whitespace)
        {
            self.diags.push(
                err(
                    Code::BadSource,
                    format!(
                        "source `{}` has url `{url}`, which is not a web address",
                        s.id
                    ),
                    s.span,
                )
                .help("give the public address of the document, starting with `https://`"),
            );
            return None;
        }
        Some(CiteSource {
            id: s.id.clone(),
            title: s.title.clone().unwrap_or_default(),
            edition: s.edition,
            publisher: s.publisher.clone(),
            url,
            note: s.note.clone(),
        })
    }

    /// One cite: a declared source id, then a place in that document.
    fn cite(&mut self, cite: &str, span: Span, declared: &[String]) {
        let id = cite_source_id(cite);
        if !declared.iter().any(|d| d == id) {
            let mut d = err(
                Code::UnknownSource,
                format!("cite `{cite}` names no declared source (`{id}`)"),
                span,
            );
            d = match self.suggest(id, declared.iter().map(String::as_str)) {
                Some(near) => d.help(format!("did you mean `{near}`?")),
                None if declared.is_empty() => d.help(format!(
                    "declare the public document it cites: `source {} {{ title \"...\" url \"https://...\" }}`, then cite it as `{} PINPOINT`",
                    if id.is_empty() { "ID" } else { id },
                    if id.is_empty() { "ID" } else { id },
                )),
                None => d.help(format!(
                    "a cite starts with a declared source id ({}), then a pinpoint in that document",
                    declared.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
                )),
            };
            self.diags.push(d);
        } else if cite[cite.find(id).unwrap_or(0) + id.len()..]
            .trim()
            .is_empty()
        {
            self.diags.push(
                err(
                    Code::BadCite,
                    format!("cite `{cite}` names a source but no place in it"),
                    span,
                )
                .help(format!(
                    "after `{id}`, add a place a reader can find in the document: a statute section (`§108(a)(3)`) or a section heading (`Jamaica, Prosecution`)"
                )),
            );
        }
    }
}
