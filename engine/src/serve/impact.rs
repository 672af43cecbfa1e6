//! The rule-impact page, for rule maintainers: which served cases change
//! tier or criterion outcome between the pack as it was at a git revision
//! and the pack being served (`tiers diff --base-rules git:REV`).

use super::html::{case_href, esc, outcome_word, page, Nav};
use super::http::{Req, Resp};
use super::Ctx;
use serde_json::Value as Json;

/// Whether `rev` is a plain revision name (`HEAD`, `HEAD~2`, a branch, a
/// hash): no option, no path outside the repository's history.
pub fn plain_revision(rev: &str) -> bool {
    !rev.is_empty()
        && !rev.starts_with('-')
        && rev.len() <= 200
        && rev
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._/~^@{}-".contains(c))
        && !rev.contains("..")
}

pub fn page_for(ctx: &Ctx, req: &Req) -> Resp {
    let base = req.param("base").unwrap_or("").trim().to_string();
    let mut main = String::from(
        "<h1>Rule impact</h1>\n<p class=\"lead\">What a change to the rules moves: every served case \
         whose tier or criterion outcomes differ between the rule pack at a git revision and the \
         pack this server uses (the same comparison as <code>tiers diff --base-rules git:REV</code>).</p>\n",
    );
    main.push_str(&format!(
        "<form class=\"filters\" method=\"get\" action=\"/impact\">\
         <div class=\"field\"><label for=\"base\">Compare with the rules at revision</label>\
         <input id=\"base\" name=\"base\" value=\"{}\" placeholder=\"HEAD\" aria-describedby=\"base-d\">\
         <span class=\"doc\" id=\"base-d\">a git revision: HEAD (the last commit), HEAD~3, a branch or a commit hash</span></div>\
         <div class=\"field buttons\"><button type=\"submit\">Compare</button></div></form>\n",
        esc(if base.is_empty() { "HEAD" } else { &base })
    ));
    if base.is_empty() {
        return Resp::html(200, page("Rule impact", Nav::Impact, &ctx.pack_name, &main));
    }
    let rev = base.strip_prefix("git:").unwrap_or(&base);
    let result = if !plain_revision(rev) {
        Err(format!("`{base}` is not a git revision name"))
    } else {
        match &ctx.impact {
            Some(f) => f(&format!("git:{rev}")),
            None => Err("this server was started without the rule comparison".into()),
        }
    };
    match result {
        Ok(v) => main.push_str(&table(&v)),
        Err(e) => main.push_str(&format!(
            "<p class=\"note\" role=\"alert\">The comparison could not run:</p>{}",
            super::html::diagnostics(&e)
        )),
    }
    Resp::html(200, page("Rule impact", Nav::Impact, &ctx.pack_name, &main))
}

/// The comparison as a table (from `tiers diff --format json`).
fn table(v: &Json) -> String {
    let changed = v["changed"].as_array().cloned().unwrap_or_default();
    let total = v["cases"].as_u64().unwrap_or(0);
    let mut s = format!(
        "<p id=\"impact-count\" role=\"status\"><strong>{}</strong> of {total} cases change between \
         <code>{}</code> and <code>{}</code>.</p>\n",
        changed.len(),
        esc(v["base"].as_str().unwrap_or_default()),
        esc(v["rules"].as_str().unwrap_or_default()),
    );
    if changed.is_empty() {
        return s;
    }
    s.push_str(
        "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"impact-count\" tabindex=\"0\">\n\
         <table class=\"impact\"><thead><tr><th scope=\"col\">Case</th><th scope=\"col\">Tier</th>\
         <th scope=\"col\">Criteria</th></tr></thead>\n<tbody>\n",
    );
    for row in &changed {
        let case = row["case"].as_str().unwrap_or_default();
        let tier = match &row["tier"] {
            Json::Object(t) => format!(
                "{} → {}",
                esc(t.get("base").and_then(Json::as_str).unwrap_or_default()),
                esc(t.get("new").and_then(Json::as_str).unwrap_or_default())
            ),
            _ => "unchanged".into(),
        };
        let crits: Vec<String> = row["criteria"]
            .as_array()
            .map(|cs| {
                cs.iter()
                    .map(|c| {
                        format!(
                            "<li><code>{}</code>: {} → {}</li>",
                            esc(c["id"].as_str().unwrap_or_default()),
                            esc(outcome_word(c["base"].as_str().unwrap_or_default())),
                            esc(outcome_word(c["new"].as_str().unwrap_or_default()))
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        s.push_str(&format!(
            "<tr><th scope=\"row\"><a href=\"{}\">{}</a></th><td>{tier}</td><td><ul>{}</ul></td></tr>\n",
            case_href(case),
            esc(case),
            crits.concat()
        ));
    }
    s.push_str("</tbody></table>\n</div>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::plain_revision;

    #[test]
    fn only_plain_revisions_reach_git() {
        for ok in [
            "HEAD",
            "HEAD~2",
            "main",
            "49c2f48",
            "HEAD@{1}",
            "origin/main",
        ] {
            assert!(plain_revision(ok), "{ok}");
        }
        for bad in ["", "--output=x", "-p", "a b", "HEAD:../x", "a..b", "$(x)"] {
            assert!(!plain_revision(bad), "{bad}");
        }
    }
}
