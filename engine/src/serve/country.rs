//! A country page: the tier and the placement steps that decided it; the
//! criteria with outcome, reason, the facts that decided it and citations
//! as links; judgments found or derived; warnings; the draft rationale with
//! copy and Markdown download; and, beside it, the live what-if (levers and
//! the typed fact editor) and the reform search. What the script shows
//! after a change goes into the `data-whatif` places, side by side with the
//! original.

use super::cases::tier_label;
use super::html::{self, case_href, cites, esc, outcome, page, reads, Nav};
use super::http::{encode, Req, Resp};
use super::{controls, Ctx};
use crate::case::{self, HistoryEntry, LoadOptions};
use crate::eval::Assessment;
use crate::facts::Facts;
use crate::pack::{Outcome, RulePack};
use crate::text::num::fmt_num;

pub fn page_for(ctx: &Ctx, pack: &RulePack, req: &Req) -> Resp {
    let file = req.param("file").unwrap_or_default();
    let path = match ctx.roots.resolve(file) {
        Ok(p) => p,
        Err(e) => return html::error_page(404, "No such case", &e, &ctx.pack_name),
    };
    let case::Case {
        facts,
        expect,
        history,
    } = match case::load_case(pack, &path, LoadOptions::default()) {
        Ok(x) => x,
        Err(f) => {
            return html::error_page(
                422,
                &format!("{file} does not load"),
                &f.render(),
                &ctx.pack_name,
            )
        }
    };
    let a = crate::eval::evaluate(pack, &facts);
    let title = if a.country.is_empty() {
        file.to_string()
    } else {
        a.country.clone()
    };
    let year = a.year.map(fmt_num).unwrap_or_default();
    let mut main = format!(
        "<div class=\"country\" data-case=\"{}\">\n<div class=\"head\">\n\
         <h1>{} <span class=\"edition\">{} edition</span></h1>\n\
         <p class=\"meta\">File <code>{}</code> · rule pack <code>{}</code></p>\n\
         <nav class=\"jump\" aria-label=\"On this page\"><a href=\"#whatif-h\">What if</a> \
         <a href=\"#criteria-h\">Criteria</a> <a href=\"#judgments-h\">Judgments</a> \
         <a href=\"#rationale-h\">Draft rationale</a> <a href=\"#sources-h\">Sources</a></nav>\n",
        esc(file),
        esc(&title),
        esc(&year),
        esc(file),
        esc(&a.rulepack),
    );
    main.push_str(&tier_section(pack, &facts, expect.as_ref(), &a, &history));
    main.push_str("</div>\n");
    main.push_str(&whatif_aside(pack, &facts, &a, file));
    main.push_str("<div class=\"body\">\n");
    main.push_str(&criteria_section(&a));
    main.push_str(&judgments_section(&a));
    main.push_str(&warnings_section(&a));
    main.push_str(&rationale_section(&a, file));
    main.push_str(&sources_section(&a));
    main.push_str("</div>\n</div>\n");
    Resp::html(200, page(&title, Nav::None, &ctx.pack_name, &main))
}

fn tier_text(code: &Option<String>, label: &Option<String>) -> String {
    match (code, label) {
        (Some(_), Some(l)) => l.clone(),
        (Some(c), None) => c.clone(),
        (None, _) => "undecided".into(),
    }
}

fn tier_section(
    pack: &RulePack,
    facts: &Facts,
    expect: Option<&case::Expect>,
    a: &Assessment,
    history: &[HistoryEntry],
) -> String {
    let movement = match (&a.movement, &a.previous_tier) {
        (Some(m), Some(_)) => format!(
            "{m}; previously {}",
            tier_text(&a.previous_tier, &a.previous_tier_label)
        ),
        (Some(m), None) => m.clone(),
        _ => String::new(),
    };
    let expected = expect.and_then(|e| e.tier.as_ref()).map(|(t, _)| t.clone());
    let report = match &expected {
        Some(t) => {
            let agrees = a.tier.as_deref().unwrap_or(case::UNDECIDED) == t;
            format!(
                "<div class=\"card\"><p class=\"label\">Report's tier</p><p class=\"tier\">{}</p>\
                 <p class=\"agree {}\"><span aria-hidden=\"true\">{} </span>{}</p></div>",
                esc(&tier_label(pack, facts, t)),
                if agrees { "yes" } else { "no" },
                if agrees { "✓" } else { "✗" },
                if agrees {
                    "the recommendation agrees"
                } else {
                    "the recommendation differs"
                }
            )
        }
        None => String::new(),
    };
    let mut s = format!(
        "<section class=\"tier-section\" aria-labelledby=\"tier-h\">\n<h2 id=\"tier-h\">Tier</h2>\n\
         <div class=\"cards\">\
         <div class=\"card original\"><p class=\"label\">Recommended</p>\
         <p class=\"tier\" id=\"tier-original\" data-tier=\"{}\">{}</p><p>{}</p></div>\
         <div class=\"card changed\" id=\"tier-whatif\" hidden><p class=\"label\">With changes</p>\
         <p class=\"tier\" id=\"tier-whatif-value\"></p><p id=\"tier-whatif-note\"></p></div>\
         {report}</div>\n",
        esc(a.tier.as_deref().unwrap_or(case::UNDECIDED)),
        esc(&tier_text(&a.tier, &a.tier_label)),
        esc(&movement),
    );
    s.push_str("<h3>Placement steps</h3>\n<ol class=\"steps\">\n");
    for st in &a.steps {
        let tier = st
            .tier
            .as_ref()
            .map(|t| {
                format!(
                    " <span class=\"to\">→ {}</span>",
                    esc(&tier_label(pack, facts, t))
                )
            })
            .unwrap_or_default();
        s.push_str(&format!(
            "<li><p><strong>{}</strong>{tier}</p><p>{}</p>{}</li>\n",
            esc(&st.title),
            esc(&st.because),
            cites(&a.sources, &st.cites)
        ));
    }
    s.push_str("</ol>\n");
    if history.iter().any(|h| h.from.is_some()) {
        s.push_str("<h3>History used</h3>\n<ul class=\"history\">");
        let mut hs: Vec<&HistoryEntry> = history.iter().collect();
        hs.sort_by(|x, y| x.year.total_cmp(&y.year));
        for h in hs {
            let from = match &h.from {
                Some(f) => format!("assessed from <a href=\"{}\">{}</a>", case_href(f), esc(f)),
                None => "stated in the facts file".into(),
            };
            s.push_str(&format!(
                "<li>{}: {} ({from})</li>",
                fmt_num(h.year),
                esc(&tier_label(pack, facts, &h.tier))
            ));
        }
        s.push_str("</ul>\n");
    }
    s.push_str("</section>\n");
    s
}

fn whatif_aside(pack: &RulePack, facts: &Facts, a: &Assessment, file: &str) -> String {
    let mut levers = String::new();
    for (i, l) in pack.levers.iter().enumerate() {
        let title = l.meta.title.clone().unwrap_or_else(|| l.name.clone());
        let pillar = l
            .meta
            .pillar
            .as_ref()
            .map(|p| format!(" <span class=\"pillar\">{}</span>", esc(p)))
            .unwrap_or_default();
        levers.push_str(&format!(
            "<div class=\"lever\"><input type=\"checkbox\" id=\"lever-{i}\" name=\"lever\" value=\"{}\">\
             <label for=\"lever-{i}\">{}{pillar} <code>{}</code></label></div>\n",
            esc(&l.name),
            esc(&title),
            esc(&l.name)
        ));
    }
    let mut targets = String::from("<option value=\"\">the next tier up</option>");
    for t in pack.tier_variants.iter() {
        targets.push_str(&format!(
            "<option value=\"{}\">{} or better</option>",
            esc(t),
            esc(&tier_label(pack, facts, t))
        ));
    }
    for c in a
        .criteria
        .iter()
        .filter(|c| matches!(c.outcome, Outcome::NotMet | Outcome::Unknown))
    {
        targets.push_str(&format!(
            "<option value=\"{}\">{} met</option>",
            esc(&c.id),
            esc(&c.id)
        ));
    }
    format!(
        "<aside class=\"whatif\" aria-labelledby=\"whatif-h\">\n<h2 id=\"whatif-h\">What if</h2>\n\
         <noscript><p class=\"note\">The what-if needs the page's script (served from this computer).</p></noscript>\n\
         <form id=\"whatif-form\" data-case=\"{case}\">\n\
         <p class=\"hint\">Toggle a lever or change a fact: what moves shows at once, beside the original.</p>\n\
         <div class=\"ctl ctl-bool\"><input type=\"checkbox\" id=\"no-findings\" name=\"no_findings\">\
         <label for=\"no-findings\">Ignore the reviewer's findings (objective facts only)</label></div>\n\
         <fieldset class=\"levers\"><legend>Reform levers</legend>\n{levers}</fieldset>\n\
         <fieldset class=\"facts-editor\"><legend>Facts</legend>\n{editor}</fieldset>\n\
         </form>\n\
         <div class=\"whatif-bar\"><div class=\"actions\">\
         <button type=\"reset\" form=\"whatif-form\" id=\"whatif-reset\">Back to the original</button> \
         <button type=\"button\" id=\"save-scenario\">Save as scenario file</button></div>\n\
         <div id=\"whatif-result\" class=\"result\" aria-live=\"polite\"><p id=\"whatif-summary\">No change yet.</p>\
         <div id=\"whatif-detail\"></div></div></div>\n\
         <section aria-labelledby=\"reforms-h\">\n<h3 id=\"reforms-h\">Reform search</h3>\n\
         <form id=\"reforms-form\" data-case=\"{case}\">\n\
         <div class=\"ctl\"><label for=\"reform-target\">Target</label><select id=\"reform-target\" name=\"target\">{targets}</select></div>\n\
         <div class=\"ctl\"><label for=\"reform-size\">Largest set of levers</label>\
         <input id=\"reform-size\" name=\"max_size\" type=\"number\" min=\"1\" max=\"4\" value=\"3\"></div>\n\
         <div class=\"ctl ctl-bool\"><input type=\"checkbox\" id=\"reform-assume\" name=\"assume_unknown_fails\">\
         <label for=\"reform-assume\">Let levers set facts that are not known</label></div>\n\
         <button type=\"submit\">Search</button>\n</form>\n\
         <div id=\"reforms-result\" class=\"result\" aria-live=\"polite\"></div>\n</section>\n</aside>\n",
        case = esc(file),
        editor = controls::editor(pack, facts),
    )
}

fn criteria_section(a: &Assessment) -> String {
    let count = |o: Outcome| a.criteria.iter().filter(|c| c.outcome == o).count();
    let mut s = format!(
        "<section aria-labelledby=\"criteria-h\">\n<h2 id=\"criteria-h\">Criteria</h2>\n\
         <p>{} met, {} not met, {} unknown, {} not applicable.</p>\n\
         <div class=\"table-wrap\" role=\"region\" aria-labelledby=\"criteria-h\" tabindex=\"0\">\n\
         <table class=\"criteria\">\n<thead><tr><th scope=\"col\">Criterion</th><th scope=\"col\">Outcome</th>\
         <th scope=\"col\" class=\"wi\" hidden>With changes</th><th scope=\"col\">Reason, facts and citations</th></tr></thead>\n<tbody>\n",
        count(Outcome::Met),
        count(Outcome::NotMet),
        count(Outcome::Unknown),
        count(Outcome::NotApplicable),
    );
    for c in &a.criteria {
        let exception = c
            .exception
            .as_ref()
            .map(|e| format!("<p class=\"exception\">Exception: {}</p>", esc(e)))
            .unwrap_or_default();
        s.push_str(&format!(
            "<tr data-criterion=\"{id}\"><th scope=\"row\"><code>{id}</code><span class=\"title\">{}</span></th>\
             <td class=\"outcome\">{}</td><td class=\"wi\" hidden></td>\
             <td><p class=\"because\">{}</p>{exception}{}{}</td></tr>\n",
            esc(&c.title),
            outcome(c.outcome),
            esc(&c.because),
            reads(&c.facts),
            cites(&a.sources, &c.cites),
            id = esc(&c.id),
        ));
    }
    s.push_str("</tbody>\n</table>\n</div>\n</section>\n");
    s
}

fn judgments_section(a: &Assessment) -> String {
    let mut s = String::from(
        "<section aria-labelledby=\"judgments-h\">\n<h2 id=\"judgments-h\">Judgments</h2>\n\
         <p>Found: the reviewer's finding in the facts file. Derived: worked out by the rules from the facts.</p>\n\
         <div class=\"table-wrap\" role=\"region\" aria-labelledby=\"judgments-h\" tabindex=\"0\">\n\
         <table class=\"judgments\">\n<thead><tr><th scope=\"col\">Judgment</th><th scope=\"col\">Value</th>\
         <th scope=\"col\">Found or derived</th><th scope=\"col\">Reason</th></tr></thead>\n<tbody>\n",
    );
    for j in &a.judgments {
        let src = j.source.as_str();
        s.push_str(&format!(
            "<tr><th scope=\"row\"><code>{}</code><span class=\"title\">{}</span></th><td>{}</td>\
             <td><span class=\"src src-{src}\">{src}</span></td><td><p>{}</p>{}{}</td></tr>\n",
            esc(&j.name),
            esc(&j.title),
            esc(&html::value(&j.value)),
            esc(&j.because),
            reads(&j.facts),
            cites(&a.sources, &j.cites),
        ));
    }
    s.push_str("</tbody>\n</table>\n</div>\n</section>\n");
    s
}

fn warnings_section(a: &Assessment) -> String {
    let mut s = String::from(
        "<section aria-labelledby=\"warnings-h\">\n<h2 id=\"warnings-h\">Warnings</h2>\n",
    );
    if a.warnings.is_empty() {
        s.push_str("<p>None.</p>\n");
    } else {
        s.push_str("<ul class=\"warnings\">");
        for w in &a.warnings {
            s.push_str(&format!("<li>{}</li>", esc(w)));
        }
        s.push_str("</ul>\n");
    }
    s.push_str("</section>\n");
    s
}

/// The rationale as paragraphs; the bullets of a paragraph (`•`) become a
/// list after its lead-in.
pub fn rationale_html(text: &str) -> String {
    let mut s = String::new();
    for para in text.split("\n\n").filter(|p| !p.trim().is_empty()) {
        let mut parts = para.split('•');
        let lead = parts.next().unwrap_or_default().trim();
        let items: Vec<&str> = parts.map(str::trim).filter(|i| !i.is_empty()).collect();
        if !lead.is_empty() {
            s.push_str(&format!("<p>{}</p>\n", esc(lead).replace('\n', "<br>")));
        }
        if !items.is_empty() {
            s.push_str("<ul>");
            for i in items {
                s.push_str(&format!("<li>{}</li>", esc(i)));
            }
            s.push_str("</ul>\n");
        }
    }
    s
}

fn rationale_section(a: &Assessment, file: &str) -> String {
    let name = format!(
        "{}-{}.md",
        file.rsplit('/')
            .next()
            .unwrap_or("case")
            .trim_end_matches(".yaml")
            .trim_end_matches(".yml"),
        a.year.map(fmt_num).unwrap_or_default()
    );
    format!(
        "<section aria-labelledby=\"rationale-h\">\n<h2 id=\"rationale-h\">Draft rationale</h2>\n\
         <div class=\"actions\"><button type=\"button\" id=\"copy-rationale\">Copy the rationale</button> \
         <a class=\"button\" id=\"download-md\" href=\"/case.md?file={}\" download=\"{}\">Download Markdown</a> \
         <span id=\"copy-status\" role=\"status\"></span></div>\n\
         <div class=\"rationale-grid\"><div class=\"rationale\" id=\"rationale-text\">\n{}</div>\n\
         <div class=\"rationale changed\" id=\"rationale-whatif\" hidden></div></div>\n</section>\n",
        encode(file),
        esc(&name),
        rationale_html(&a.rationale),
    )
}

fn sources_section(a: &Assessment) -> String {
    let mut s = String::from(
        "<section aria-labelledby=\"sources-h\">\n<h2 id=\"sources-h\">Sources</h2>\n<dl class=\"sources\">\n",
    );
    for src in &a.sources {
        let link = if html::is_web(&src.url) {
            format!(
                "<a href=\"{}\" rel=\"noopener noreferrer\">{}</a>",
                esc(&src.url),
                esc(&src.url)
            )
        } else {
            esc(&src.url)
        };
        s.push_str(&format!(
            "<dt>{}</dt><dd>{}{}<br>{link}</dd>\n",
            esc(&src.id),
            esc(&src.title),
            src.note
                .as_ref()
                .map(|n| format!(" ({})", esc(n)))
                .unwrap_or_default()
        ));
    }
    s.push_str("</dl>\n</section>\n");
    s
}

/// `GET /case.md?file=`: the assessment in Markdown, as a download.
pub fn markdown(ctx: &Ctx, pack: &RulePack, req: &Req) -> Resp {
    let file = req.param("file").unwrap_or_default();
    let path = match ctx.roots.resolve(file) {
        Ok(p) => p,
        Err(e) => return Resp::text(404, &e),
    };
    match case::load(pack, &path, LoadOptions::default()) {
        Ok(facts) => {
            let a = crate::eval::evaluate(pack, &facts);
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "case".into());
            let name = format!("{stem}-{}.md", a.year.map(fmt_num).unwrap_or_default());
            Resp::download(
                &name,
                "text/markdown; charset=utf-8",
                crate::render::assessment::markdown(&a),
            )
        }
        Err(f) => Resp::text(422, &f.render()),
    }
}
