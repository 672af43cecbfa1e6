//! HTML pieces every page shares: escaping, the page frame, citations as
//! links, outcome badges. Every text that comes from a file, a rule pack or
//! a request goes through [`esc`].

use super::http::encode;
use crate::eval::Read;
use crate::pack::{CiteSource, Outcome};
use crate::text::num::fmt_num;
use serde_json::Value as Json;

/// Escapes text for HTML content and quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The link to a case's page.
pub fn case_href(file: &str) -> String {
    format!("/case?file={}", encode(file))
}

/// Which entry of the main navigation a page is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    Cases,
    Impact,
    None,
}

/// A whole page: head, skip link, header with navigation, `main`, footer.
pub fn page(title: &str, nav: Nav, pack_name: &str, main: &str) -> String {
    let link = |href: &str, label: &str, me: Nav| {
        let current = if nav == me {
            " aria-current=\"page\""
        } else {
            ""
        };
        format!("<a href=\"{href}\"{current}>{label}</a>")
    };
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title} · tiers</title>\n<link rel=\"icon\" href=\"data:,\">\n\
         <link rel=\"stylesheet\" href=\"/static/style.css\">\n\
         <script src=\"/static/app.js\" defer></script>\n</head>\n<body>\n\
         <a class=\"skip\" href=\"#main\">Skip to content</a>\n\
         <header class=\"site\"><p class=\"brand\"><a href=\"/\">tiers</a> <span>reviewer's workbench</span></p>\n\
         <nav aria-label=\"Main\">{} {}</nav></header>\n\
         <main id=\"main\" tabindex=\"-1\">\n{main}</main>\n\
         <footer class=\"site\"><p>Rule pack <code>{}</code>. Served from this computer only; \
         nothing on this page is fetched from the internet.</p></footer>\n</body>\n</html>\n",
        link("/", "Cases", Nav::Cases),
        link("/impact", "Rule impact", Nav::Impact),
        esc(pack_name),
        title = esc(title),
    )
}

/// A citation: a link to the public source it names when the pack declares
/// one with a web address, else plain text.
pub fn cite(sources: &[CiteSource], c: &str) -> String {
    let id = crate::pack::cite_source_id(c);
    match sources.iter().find(|s| s.id == id) {
        Some(s) if is_web(&s.url) => format!(
            "<a href=\"{}\" rel=\"noopener noreferrer\" title=\"{}\">{}</a>",
            esc(&s.url),
            esc(&s.title),
            esc(c)
        ),
        _ => esc(c),
    }
}

/// The citations of an item, as a line.
pub fn cites(sources: &[CiteSource], cs: &[String]) -> String {
    if cs.is_empty() {
        return String::new();
    }
    let links: Vec<String> = cs.iter().map(|c| cite(sources, c)).collect();
    format!(
        "<p class=\"cites\"><span class=\"k\">Cites</span> {}</p>",
        links.join("; ")
    )
}

/// Only web addresses become links (a pack could declare anything).
pub fn is_web(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://")
}

/// An outcome as a badge: the word, and a class for its colour.
pub fn outcome(o: Outcome) -> String {
    format!(
        "<span class=\"o o-{}\">{}</span>",
        o.as_str(),
        outcome_word(o.as_str())
    )
}

/// How an outcome reads on the page.
pub fn outcome_word(o: &str) -> &str {
    match o {
        "not_met" => "not met",
        "not_applicable" => "n/a",
        other => other,
    }
}

/// A fact's value as the page shows it.
pub fn value(v: &Json) -> String {
    match v {
        Json::Null => "not known".into(),
        Json::String(s) => s.clone(),
        Json::Number(n) => n.as_f64().map(fmt_num).unwrap_or_else(|| n.to_string()),
        Json::Array(xs) => format!("[{}]", xs.iter().map(value).collect::<Vec<_>>().join(", ")),
        other => other.to_string(),
    }
}

/// The facts a reason rests on, as a list (the pack's parameters left out).
pub fn reads(rs: &[Read]) -> String {
    let items: Vec<String> = rs
        .iter()
        .filter(|r| !r.param)
        .map(|r| {
            let cls = if r.value.is_null() {
                " class=\"unknown\""
            } else {
                ""
            };
            format!(
                "<li{cls}><code>{}</code> = {}</li>",
                esc(&r.path),
                esc(&value(&r.value))
            )
        })
        .collect();
    if items.is_empty() {
        return String::new();
    }
    format!(
        "<div class=\"facts\"><span class=\"k\">Facts</span><ul>{}</ul></div>",
        items.join("")
    )
}

/// Rendered diagnostics, kept as the command line shows them.
pub fn diagnostics(text: &str) -> String {
    format!("<pre class=\"diag\">{}</pre>", esc(text))
}

/// A page that says what went wrong.
pub fn error_page(status: u16, title: &str, detail: &str, pack_name: &str) -> super::http::Resp {
    let main = format!(
        "<h1>{}</h1>\n{}\n<p><a href=\"/\">Back to the cases</a></p>\n",
        esc(title),
        diagnostics(detail)
    );
    super::http::Resp::html(status, page(title, Nav::None, pack_name, &main))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            esc("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn only_web_addresses_are_links() {
        let s = CiteSource {
            id: "X".into(),
            title: "t".into(),
            edition: None,
            publisher: None,
            url: "javascript:alert(1)".into(),
            note: None,
        };
        assert_eq!(cite(&[s], "X §1"), "X §1");
    }
}
