//! `tiers serve` without a browser: the JSON API answers as the commands
//! do, the pages carry what a reviewer needs, and the local-only
//! protections hold (Host and Origin, the size limit, no file outside the
//! served directories). Every request goes to 127.0.0.1.

#[path = "serve_support.rs"]
mod support;

use std::path::PathBuf;
use support::{raw, Served};
use tiers_tests::{root, tiers};

const JAMAICA: &str = "cases/2017/jamaica.yaml";

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tiers-serve-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn read(path: &str) -> Vec<u8> {
    std::fs::read(root().join(path)).expect("reads")
}

#[test]
fn assess_answers_with_the_json_of_tiers_assess() {
    let s = Served::repo();
    let a = s.post("/api/assess", &read(JAMAICA));
    assert_eq!(a.status, 200, "{}", a.text());
    assert_eq!(a.header("content-type"), Some("application/json"));
    let (code, cli, _) = tiers(&["assess", "--format", "json", JAMAICA]);
    assert_eq!(code, 0);
    assert_eq!(a.text(), cli, "the API and the command differ");
    // and without findings, as --no-findings
    let a = s.post("/api/assess?no_findings=1", &read(JAMAICA));
    let (_, cli, _) = tiers(&["assess", "--format", "json", "--no-findings", JAMAICA]);
    assert_eq!(a.text(), cli);
}

#[test]
fn bad_facts_get_the_located_diagnostics_as_json_with_400() {
    let s = Served::repo();
    let a = s.post(
        "/api/assess",
        b"country: X\nyear: 2017\nlaw:\n  prohibits_sex_trafficing: true\n",
    );
    assert_eq!(a.status, 400);
    let v = a.json();
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "unknown-key", "{v}");
    assert_eq!(d["file"], "<request>");
    assert_eq!(d["line"], 4);
    assert_eq!(d["column"], 3);
    assert_eq!(d["help"], "did you mean `law.prohibits_sex_trafficking`?");
    assert!(d["rendered"].as_str().unwrap().starts_with(
        "error[unknown-key]: unknown key `law.prohibits_sex_trafficing`\n --> <request>:4:3"
    ));
    // not YAML at all, and a wrong value, are located too
    let v = s.post("/api/assess", b"country: [\n").json();
    assert_eq!(v["diagnostics"][0]["code"], "yaml-syntax", "{v}");
    let v = s
        .post(
            "/api/assess",
            b"country: X\nyear: 2017\nlaw:\n  provisions:\n    - fine: sometimes\n",
        )
        .json();
    assert_eq!(v["diagnostics"][0]["line"], 5, "{v}");
    // a scenario would read its base from disk: refused
    let a = s.post("/api/assess", b"base: ../../../etc/passwd\nset: []\n");
    assert_eq!(a.status, 400);
    assert_eq!(a.json()["diagnostics"][0]["code"], "bad-value");
}

#[test]
fn whatif_answers_as_tiers_whatif_with_both_assessments() {
    let s = Served::repo();
    let body = format!(r#"{{"case": "{JAMAICA}", "levers": ["remove_fine_in_lieu"]}}"#);
    let a = s.post("/api/whatif", body.as_bytes());
    assert_eq!(a.status, 200, "{}", a.text());
    let v = a.json();
    let (_, cli, _) = tiers(&[
        "whatif",
        JAMAICA,
        "--lever",
        "remove_fine_in_lieu",
        "--format",
        "json",
    ]);
    let cli: serde_json::Value = serde_json::from_str(&cli).unwrap();
    for key in [
        "changes",
        "tier_before",
        "tier_after",
        "criteria_moved",
        "steps_removed",
        "steps_added",
        "why",
        "rationale_before",
        "rationale_after",
    ] {
        assert_eq!(v[key], cli[key], "{key} differs from the command's");
    }
    let moved: Vec<&str> = v["criteria_moved"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert!(moved.contains(&"penalty.commensurate"), "{moved:?}");
    // the full assessments come along, in the contract's form
    let (_, before, _) = tiers(&["assess", "--format", "json", JAMAICA]);
    let before: serde_json::Value = serde_json::from_str(&before).unwrap();
    assert_eq!(v["before"], before);
    assert_eq!(v["after"]["tier"], v["tier_after"]);
    assert!(v["rationale_diff"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["change"] == "-"));
    // a typed --set works the same way
    let body =
        format!(r#"{{"case": "{JAMAICA}", "set": ["law.provisions[*].fine=\"cumulative\""]}}"#);
    let v = s.post("/api/whatif", body.as_bytes()).json();
    assert_eq!(
        v["changes"][0], "law.provisions[*].fine = cumulative",
        "{v}"
    );
}

#[test]
fn whatif_mistakes_get_diagnostics_with_400() {
    let s = Served::repo();
    let ask = |body: String| {
        let a = s.post("/api/whatif", body.as_bytes());
        assert_eq!(a.status, 400, "{}", a.text());
        a.json()["diagnostics"][0].clone()
    };
    let d = ask(format!(
        r#"{{"case": "{JAMAICA}", "levers": ["remove_fine_in_leiu"]}}"#
    ));
    assert_eq!(d["code"], "bad-lever");
    assert_eq!(d["help"], "did you mean `remove_fine_in_lieu`?");
    let d = ask(format!(
        r#"{{"case": "{JAMAICA}", "set": ["law.provisons[0].fine=none"]}}"#
    ));
    assert_eq!(d["code"], "bad-path", "{d}");
    let d = ask(format!(
        r#"{{"case": "{JAMAICA}", "set": ["law.requires_movement=maybe"]}}"#
    ));
    assert_eq!(d["code"], "wrong-type", "{d}");
    let d = ask(format!(r#"{{"case": "{JAMAICA}", "lever": []}}"#));
    assert_eq!(d["code"], "unknown-key");
    assert_eq!(d["help"], "did you mean `levers`?");
    let d = ask(r#"{"case": "cases/2017/jamaica.yml"}"#.into());
    assert_eq!(d["code"], "bad-path");
    assert!(
        d["message"].as_str().unwrap().contains("did you mean"),
        "{d}"
    );
    let d = ask("{\"case\": \n".into());
    assert_eq!(d["code"], "syntax");
    assert_eq!(d["line"], 2);
}

#[test]
fn reforms_answer_as_tiers_reforms() {
    let s = Served::repo();
    let case = "cases/2017/kyrgyz-republic.yaml";
    let v = s
        .post(
            "/api/reforms",
            format!(r#"{{"case": "{case}"}}"#).as_bytes(),
        )
        .json();
    let (_, cli, _) = tiers(&["reforms", case, "--format", "json"]);
    let cli: serde_json::Value = serde_json::from_str(&cli).unwrap();
    assert_eq!(v, cli);
    let a = s.post(
        "/api/reforms",
        format!(r#"{{"case": "{case}", "target": "tier1"}}"#).as_bytes(),
    );
    assert_eq!(a.status, 400);
    assert_eq!(a.json()["diagnostics"][0]["code"], "bad-value");
}

#[test]
fn a_saved_scenario_loads_and_its_expectations_hold() {
    let s = Served::repo();
    let body = format!(
        r#"{{"case": "{JAMAICA}", "levers": ["remove_fine_in_lieu"], "set": ["enforcement.convictions.current=5"]}}"#
    );
    let a = s.post("/api/scenario", body.as_bytes());
    assert_eq!(a.status, 200, "{}", a.text());
    let v = a.json();
    assert_eq!(v["name"], "jamaica-2017-whatif.yaml");
    assert_eq!(v["dir"], "cases/scenarios");
    let yaml = v["yaml"].as_str().unwrap();
    assert!(yaml.contains("base: \"../2017/jamaica.yaml\""), "{yaml}");
    assert!(yaml.contains("penalty.commensurate: met"), "{yaml}");
    // saved beside a copy of the case, `tiers test` runs its expect: block
    let dir = temp("scenario");
    std::fs::create_dir_all(dir.join("2017")).unwrap();
    std::fs::create_dir_all(dir.join("scenarios")).unwrap();
    std::fs::write(dir.join("2017/jamaica.yaml"), read(JAMAICA)).unwrap();
    std::fs::write(dir.join("scenarios/jamaica-2017-whatif.yaml"), yaml).unwrap();
    let (code, out, err) = tiers(&["test", dir.join("scenarios").to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}\n{yaml}");
    assert!(out.contains("1 passed, 0 failed"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_case_list_shows_every_case_with_agreement_and_filters() {
    let s = Served::repo();
    let v = s.get("/api/cases").json();
    let cases = v["cases"].as_array().unwrap();
    let files = tiers::case::collect(&[root().join("cases")]);
    assert_eq!(cases.len(), files.len());
    let j = cases
        .iter()
        .find(|c| c["file"] == JAMAICA)
        .expect("jamaica");
    assert_eq!(j["country"], "Jamaica");
    assert_eq!(j["year"], 2017);
    assert_eq!(j["tier"], j["expected_tier"]);
    assert_eq!(j["agrees"], true);
    let page = s.get("/").text();
    assert!(page.contains("<a href=\"/case?file=cases/2017/jamaica.yaml\">Jamaica</a>"));
    assert!(page.contains("agrees"));
    // the edition filter keeps only that edition
    let page = s.get("/?edition=2018").text();
    assert!(page.contains("cases/2018/"));
    assert!(!page.contains("cases/2017/jamaica.yaml"));
    let page = s.get("/?agreement=differ&q=jamaica").text();
    assert!(!page.contains("cases/2017/jamaica.yaml"));
}

#[test]
fn a_country_page_has_tier_steps_criteria_citations_judgments_and_the_draft() {
    let s = Served::repo();
    let a = s.get(&format!("/case?file={JAMAICA}"));
    assert_eq!(a.status, 200);
    assert_eq!(a.header("content-type"), Some("text/html; charset=utf-8"));
    let page = a.text();
    let (_, json, _) = tiers(&["assess", "--format", "json", JAMAICA]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(page.contains(&format!(
        "<p class=\"tier\" id=\"tier-original\" data-tier=\"{}\">{}</p>",
        v["tier"].as_str().unwrap(),
        v["tier_label"].as_str().unwrap()
    )));
    for c in v["criteria"].as_array().unwrap() {
        let id = c["id"].as_str().unwrap();
        assert!(
            page.contains(&format!("<tr data-criterion=\"{id}\">")),
            "{id}"
        );
    }
    for step in v["placement"]["steps"].as_array().unwrap() {
        assert!(page.contains(step["title"].as_str().unwrap()));
    }
    // citations link to the public sources the pack declares
    let url = v["sources"]["TVPA"]["url"].as_str().unwrap();
    assert!(page.contains(&format!("<a href=\"{}\"", url.replace('&', "&amp;"))));
    assert!(page.contains("<span class=\"src src-found\">found</span>"));
    assert!(page.contains("id=\"copy-rationale\""));
    // the typed controls come from the pack's facts declarations
    assert!(page.contains("data-kind=\"bool\" id=\"w"));
    assert!(page.contains("data-path=\"law.provisions[0].fine\""));
    assert!(page.contains("data-path=\"law.provisions[0].max_years\""));
    assert!(page.contains("min=\"0\" max=\"200\""));
    // and the Markdown download is the command's Markdown
    let md = s.get(&format!("/case.md?file={JAMAICA}"));
    assert_eq!(md.status, 200);
    assert_eq!(
        md.header("content-disposition"),
        Some("attachment; filename=\"jamaica-2017.md\"")
    );
    let (_, cli, _) = tiers(&["assess", "--format", "md", JAMAICA]);
    assert_eq!(md.text(), cli);
}

#[test]
fn the_rule_impact_view_runs_tiers_diff() {
    let s = Served::repo();
    let page = s.get("/impact?base=HEAD").text();
    assert!(page.contains("cases change between"), "{page}");
    // only a plain revision name reaches git
    let page = s.get("/impact?base=--output%3D%2Ftmp%2Fx").text();
    assert!(page.contains("is not a git revision name"), "{page}");
}

#[test]
fn a_request_for_another_host_or_origin_is_refused() {
    let s = Served::repo();
    let port = s.port;
    let ask = |headers: &[(&str, &str)], method: &str| {
        s.request(method, "/api/cases", headers, b"").status
    };
    assert_eq!(ask(&[], "GET"), 200);
    assert_eq!(ask(&[("Host", &format!("localhost:{port}"))], "GET"), 200);
    // DNS rebinding: another name that resolves here
    assert_eq!(
        ask(&[("Host", &format!("evil.example:{port}"))], "GET"),
        403
    );
    assert_eq!(ask(&[("Host", "127.0.0.1")], "GET"), 403);
    assert_eq!(
        ask(&[("Host", &format!("127.0.0.1:{}", port + 1))], "GET"),
        403
    );
    // a page elsewhere posting here
    let evil = s.request(
        "POST",
        "/api/assess",
        &[("Origin", "http://evil.example")],
        &read(JAMAICA),
    );
    assert_eq!(evil.status, 403);
    assert!(evil.text().contains("Origin"));
    let ok_origin = format!("http://127.0.0.1:{port}");
    let ok = s.request(
        "POST",
        "/api/assess",
        &[("Origin", &ok_origin)],
        &read(JAMAICA),
    );
    assert_eq!(ok.status, 200);
    assert_eq!(ask(&[("Origin", "null")], "GET"), 403);
    assert_eq!(ask(&[("Sec-Fetch-Site", "cross-site")], "GET"), 403);
    // no Host at all
    let a = raw(port, "GET", "/", &[], b"");
    assert_eq!(a.status, 400);
    // every answer forbids loading anything from elsewhere
    let a = s.get("/");
    assert!(a
        .header("content-security-policy")
        .is_some_and(|c| c.starts_with("default-src 'none'")));
}

#[test]
fn a_large_request_is_refused() {
    let s = Served::repo();
    let big = vec![b'#'; tiers::serve::MAX_BODY + 1];
    assert_eq!(s.post("/api/assess", &big).status, 413);
    // announced too large: refused before the body is read
    let host = format!("127.0.0.1:{}", s.port);
    let a = raw(
        s.port,
        "POST",
        "/api/assess",
        &[
            ("Host".into(), host.clone()),
            ("Content-Length".into(), "1000000000".into()),
        ],
        b"",
    );
    assert_eq!(a.status, 413);
    // chunked, with no length announced: cut at the limit
    let mut chunked = Vec::new();
    for _ in 0..5 {
        chunked.extend_from_slice(format!("{:x}\r\n", 300_000).as_bytes());
        chunked.extend(std::iter::repeat_n(b'#', 300_000));
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let a = raw(
        s.port,
        "POST",
        "/api/assess",
        &[
            ("Host".into(), host),
            ("Transfer-Encoding".into(), "chunked".into()),
        ],
        &chunked,
    );
    assert_eq!(a.status, 413);
    // a very long target
    let long = format!("/?q={}", "a".repeat(tiers::serve::MAX_URL));
    assert_eq!(s.get(&long).status, 414);
    // a body within the limit still works
    assert_eq!(s.post("/api/assess", &read(JAMAICA)).status, 200);
}

#[test]
fn no_path_outside_the_served_directories_is_read() {
    let dir = temp("traversal");
    let served = dir.join("served");
    std::fs::create_dir_all(served.join("2017")).unwrap();
    std::fs::write(served.join("2017/jamaica.yaml"), read(JAMAICA)).unwrap();
    // a facts file outside, a link to it inside, and a scenario whose base is outside
    let secret = dir.join("secret.yaml");
    std::fs::write(&secret, read("cases/2017/laos.yaml")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&secret, served.join("2017/leak.yaml")).unwrap();
    std::fs::write(
        served.join("2017/sneaky.yaml"),
        "base: ../../secret.yaml\nset: []\n",
    )
    .unwrap();
    let s = Served::start(&dir, &["served"]);
    let list = s.get("/api/cases").json();
    let files: Vec<&str> = list["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["file"].as_str().unwrap())
        .collect();
    assert!(files.contains(&"served/2017/jamaica.yaml"), "{files:?}");
    assert!(!files.iter().any(|f| f.contains("leak")), "{files:?}");
    let sneaky = list["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["file"] == "served/2017/sneaky.yaml")
        .expect("listed, as not loading");
    assert!(sneaky["error"]
        .as_str()
        .unwrap()
        .contains("is not in the served directories"));
    assert!(sneaky["country"] == "");
    for target in [
        "/case?file=served/2017/leak.yaml",
        "/case?file=served/2017/sneaky.yaml",
        "/case?file=secret.yaml",
        "/case?file=served/../secret.yaml",
        "/case?file=served%2F..%2Fsecret.yaml",
        "/case?file=/etc/passwd",
        "/case.md?file=../secret.yaml",
        "/case.md?file=served/2017/leak.yaml",
        "/static/../secret.yaml",
        "/static/%2e%2e/secret.yaml",
        "/../secret.yaml",
    ] {
        let a = s.get(target);
        assert_eq!(a.status, 404, "{target}: {}", a.text());
        assert!(!a.text().contains("Laos"), "{target} leaked the file");
    }
    for body in [
        r#"{"case": "secret.yaml"}"#,
        r#"{"case": "served/../secret.yaml"}"#,
        r#"{"case": "served/2017/leak.yaml"}"#,
        r#"{"case": "served/2017/sneaky.yaml"}"#,
    ] {
        let a = s.post("/api/whatif", body.as_bytes());
        assert_eq!(a.status, 400, "{body}");
        assert!(!a.text().contains("Laos"), "{body} leaked the file");
    }
    drop(s);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn serve_starts_outside_the_repository_with_the_built_in_pack() {
    let dir = temp("anywhere");
    assert!(!dir.ancestors().any(|d| d.join("rules/tvpa").is_dir()));
    std::fs::create_dir_all(dir.join("cases/2017")).unwrap();
    std::fs::write(dir.join("cases/2017/jamaica.yaml"), read(JAMAICA)).unwrap();
    let s = Served::start(&dir, &[]);
    let page = s.get("/").text();
    assert!(page.contains("rules/tvpa (built in)"), "{page}");
    assert!(page.contains("Jamaica"));
    assert_eq!(s.post("/api/assess", &read(JAMAICA)).status, 200);
    drop(s);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn only_known_methods_and_paths_answer() {
    let s = Served::repo();
    assert_eq!(s.get("/api/assess").status, 405);
    assert_eq!(s.post("/", b"x").status, 405);
    assert_eq!(s.get("/nowhere").status, 404);
    assert_eq!(s.get("/api/nowhere").status, 404);
    assert_eq!(s.get("/static/app.js").status, 200);
    let css = s.get("/static/style.css");
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    // the page loads nothing from elsewhere
    let all = format!(
        "{}{}{}",
        s.get("/").text(),
        s.get("/static/app.js").text(),
        css.text()
    );
    assert!(!all.contains("//cdn") && !all.contains("googleapis") && !all.contains("@import"));
    let page = s.get(&format!("/case?file={JAMAICA}")).text();
    for src in page.split("src=\"").skip(1) {
        assert!(src.starts_with('/'), "a script from elsewhere: {src}");
    }
}

#[test]
fn the_api_example_in_docs_workbench_is_what_the_server_answers() {
    let doc = std::fs::read_to_string(root().join("docs/workbench.md")).expect("docs/workbench.md");
    let body = "country: X\nyear: 2017\nlaw:\n  prohibits_sex_trafficing: true\n";
    assert!(
        doc.contains(&format!("printf '{}'", body.replace('\n', "\\n"))),
        "the example's command changed"
    );
    let shown = doc
        .split("```json\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("a json block");
    let shown: serde_json::Value = serde_json::from_str(shown).expect("the block is JSON");
    let s = Served::repo();
    let a = s.post("/api/assess", body.as_bytes());
    assert_eq!(a.status, 400);
    assert_eq!(a.json(), shown);
}

#[test]
fn a_rule_edit_shows_on_the_next_page_load() {
    let dir = temp("reload");
    let pack = dir.join("pack");
    std::fs::create_dir_all(&pack).unwrap();
    for e in std::fs::read_dir(root().join("rules/tvpa"))
        .unwrap()
        .flatten()
    {
        std::fs::copy(e.path(), pack.join(e.file_name())).unwrap();
    }
    let s = Served::start(&root(), &["--rules", pack.to_str().unwrap(), "cases"]);
    assert_eq!(s.get("/").status, 200);
    // a maintainer breaks a rule file: the pages show the diagnostics
    let file = pack.join("00-pack.rules");
    let good = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("{good}\ncriterion broken {{\n")).unwrap();
    let a = s.get("/");
    assert_eq!(a.status, 500);
    assert!(
        a.text().contains("The rule pack does not load"),
        "{}",
        a.text()
    );
    assert!(a.text().contains("00-pack.rules"));
    let a = s.post("/api/assess", &read(JAMAICA));
    assert_eq!(a.status, 500);
    assert_eq!(a.json()["diagnostics"][0]["severity"], "error");
    // and the fix shows as soon
    std::fs::write(&file, good).unwrap();
    assert_eq!(s.get("/").status, 200);
    drop(s);
    let _ = std::fs::remove_dir_all(&dir);
}
