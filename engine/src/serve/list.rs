//! The case list page: every served facts file with country, edition,
//! recommended tier, the report's tier and whether they agree; filters by
//! edition, tier and agreement (a plain GET form: it works without the
//! script, which only submits it on change).

use super::cases::{Filter, Row};
use super::html::{case_href, esc, page, Nav};
use super::http::{Req, Resp};

pub fn page_for(req: &Req, rows: &[Row], pack_name: &str, served: &str) -> Resp {
    let filter = Filter {
        edition: req.param("edition").unwrap_or("").to_string(),
        tier: req.param("tier").unwrap_or("").to_string(),
        agreement: req.param("agreement").unwrap_or("").to_string(),
        text: req.param("q").unwrap_or("").to_string(),
    };
    let shown: Vec<&Row> = rows.iter().filter(|r| filter.keeps(r)).collect();
    let mut main = String::from("<h1>Cases</h1>\n");
    main.push_str(&summary(rows, served));
    main.push_str(&filters(rows, &filter));
    if rows.is_empty() {
        main.push_str(&format!(
            "<p class=\"note\">No facts files under {}. Start the workbench with the \
             directories to serve: <code>tiers serve cases/</code>.</p>\n",
            esc(served)
        ));
    } else {
        main.push_str(&table(&shown, rows.len()));
    }
    Resp::html(200, page("Cases", Nav::Cases, pack_name, &main))
}

fn summary(rows: &[Row], served: &str) -> String {
    let agree = rows.iter().filter(|r| r.agrees() == Some(true)).count();
    let differ = rows.iter().filter(|r| r.agrees() == Some(false)).count();
    let broken = rows.iter().filter(|r| r.error.is_some()).count();
    let mut s = format!(
        "<p class=\"lead\">{} facts files under <code>{}</code>: the recommendation agrees with \
         the report's tier in <strong>{agree}</strong>, differs in <strong>{differ}</strong>",
        rows.len(),
        esc(served)
    );
    s.push_str(&format!(
        ", and {} give no tier to compare",
        rows.len() - agree - differ
    ));
    if broken > 0 {
        s.push_str(&format!(" ({broken} do not load)"));
    }
    s.push_str(".</p>\n");
    s
}

/// One `<select>` of the filter form.
fn select(name: &str, label: &str, options: &[(String, String)], current: &str) -> String {
    let mut s = format!(
        "<div class=\"field\"><label for=\"f-{name}\">{label}</label>\
         <select id=\"f-{name}\" name=\"{name}\" data-autosubmit>\
         <option value=\"\">all</option>"
    );
    for (v, l) in options {
        let sel = if v == current { " selected" } else { "" };
        s.push_str(&format!(
            "<option value=\"{}\"{sel}>{}</option>",
            esc(v),
            esc(l)
        ));
    }
    s.push_str("</select></div>");
    s
}

fn filters(rows: &[Row], f: &Filter) -> String {
    let mut editions: Vec<String> = rows
        .iter()
        .map(Row::edition)
        .filter(|e| !e.is_empty())
        .collect();
    editions.sort();
    editions.dedup();
    let editions: Vec<(String, String)> = editions.into_iter().map(|e| (e.clone(), e)).collect();
    let mut tiers: Vec<(String, String)> = vec![];
    for r in rows.iter().filter(|r| r.error.is_none()) {
        let code = r.tier_code().to_string();
        if !tiers.iter().any(|(c, _)| *c == code) {
            let label = r.tier_label.clone().unwrap_or_else(|| code.clone());
            tiers.push((code, label));
        }
    }
    tiers.sort();
    let agreement = [
        ("agree", "agrees with the report"),
        ("differ", "differs from the report"),
        ("none", "no report tier"),
    ]
    .map(|(a, b)| (a.to_string(), b.to_string()));
    format!(
        "<form class=\"filters\" method=\"get\" action=\"/\" role=\"search\" aria-label=\"Filter the cases\">\n\
         {}{}{}<div class=\"field\"><label for=\"f-q\">Country or file</label>\
         <input id=\"f-q\" name=\"q\" type=\"search\" value=\"{}\"></div>\
         <div class=\"field buttons\"><button type=\"submit\">Filter</button> <a href=\"/\">Clear</a></div>\n</form>\n",
        select("edition", "Edition", &editions, &f.edition),
        select("tier", "Recommended tier", &tiers, &f.tier),
        select("agreement", "Agreement", &agreement, &f.agreement),
        esc(&f.text),
    )
}

fn table(rows: &[&Row], total: usize) -> String {
    let mut s = format!(
        "<p id=\"count\" role=\"status\">Showing {} of {total}.</p>\n\
         <div class=\"table-wrap\" role=\"region\" aria-labelledby=\"count\" tabindex=\"0\">\n\
         <table class=\"cases\">\n<thead><tr><th scope=\"col\">Country</th><th scope=\"col\">Edition</th>\
         <th scope=\"col\">Recommended tier</th><th scope=\"col\">Report's tier</th>\
         <th scope=\"col\">Agreement</th><th scope=\"col\">File</th></tr></thead>\n<tbody>\n",
        rows.len()
    );
    for r in rows {
        let href = case_href(&r.file);
        if let Some(e) = &r.error {
            s.push_str(&format!(
                "<tr class=\"broken\"><th scope=\"row\"><a href=\"{href}\">{}</a></th>\
                 <td colspan=\"4\"><span class=\"o o-not_met\">does not load</span> {}</td>\
                 <td><code>{}</code></td></tr>\n",
                esc(file_stem(&r.file)),
                esc(e.lines().next().unwrap_or_default()),
                esc(&r.file)
            ));
            continue;
        }
        let tier = r
            .tier_label
            .clone()
            .or_else(|| r.tier.clone())
            .unwrap_or_else(|| "undecided".into());
        let expected = r.expected_label.clone().unwrap_or_default();
        let agree = match r.agrees() {
            Some(true) => {
                "<span class=\"agree yes\"><span aria-hidden=\"true\">✓ </span>agrees</span>"
            }
            Some(false) => {
                "<span class=\"agree no\"><span aria-hidden=\"true\">✗ </span>differs</span>"
            }
            None => "<span class=\"agree none\">no report tier</span>",
        };
        s.push_str(&format!(
            "<tr><th scope=\"row\"><a href=\"{href}\">{}</a></th><td data-label=\"Edition\">{}</td>\
             <td data-label=\"Recommended\" data-tier=\"{}\">{}</td><td data-label=\"Report\">{}</td>\
             <td>{agree}</td><td><code>{}</code></td></tr>\n",
            esc(if r.country.is_empty() { file_stem(&r.file) } else { &r.country }),
            esc(&r.edition()),
            esc(r.tier_code()),
            esc(&tier),
            esc(&expected),
            esc(&r.file),
        ));
    }
    s.push_str("</tbody>\n</table>\n</div>\n");
    s
}

fn file_stem(file: &str) -> &str {
    file.rsplit('/').next().unwrap_or(file)
}
