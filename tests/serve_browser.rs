//! `tiers serve` in a real browser: headless Chromium driven over WebDriver
//! (Debian's `chromium` and `chromium-driver`) by a small client over
//! HTTP. Open the case list, open a country, toggle a lever (with the
//! keyboard) and see the tier and the moved criterion change, download the
//! Markdown; the pages fit a 1280x800 screen and a phone's.
//!
//! Without Chromium the tests say so and pass, unless `CI` is set: there
//! they must run (`.ci/run` installs Chromium).

#[path = "serve_support.rs"]
mod support;

use serde_json::{json, Value as Json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use support::Served;
use tiers_tests::{root, tiers};

/// The first of `names` found on the PATH.
fn which(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|n| {
        std::env::split_paths(&path)
            .map(|d| d.join(n))
            .find(|p| p.is_file())
    })
}

/// Chromium and its driver, or `None` (with a message) when they are
/// absent and this is not CI.
fn browser() -> Option<(PathBuf, PathBuf)> {
    let chromium = which(&["chromium", "chromium-browser", "google-chrome"]);
    let driver = which(&["chromedriver"]);
    match (chromium, driver) {
        (Some(c), Some(d)) => Some((c, d)),
        (c, d) => {
            let missing = [
                c.is_none().then_some("chromium"),
                d.is_none().then_some("chromedriver (chromium-driver)"),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" and ");
            let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
            assert!(
                !ci,
                "CI is set but {missing} is not installed: the browser tests must run under CI \
                 (apt-get install -y chromium chromium-driver)"
            );
            println!(
                "SKIPPED: the browser tests need {missing}; install them with \
                 `apt-get install -y chromium chromium-driver` (they run whenever CI is set)"
            );
            eprintln!("SKIPPED: {missing} not found");
            None
        }
    }
}

/// A free port on 127.0.0.1 for the driver.
fn free_port() -> u16 {
    std::net::TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// chromedriver and one browser session, both ended when dropped.
struct Browser {
    driver: Child,
    port: u16,
    session: String,
    downloads: PathBuf,
}

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

impl Browser {
    fn start(chromium: &Path, driver: &Path, name: &str) -> Browser {
        let port = free_port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let tmp = std::env::temp_dir().join(format!("tiers-browser-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&tmp);
        let downloads = tmp.join("downloads");
        std::fs::create_dir_all(&downloads).unwrap();
        let mut b = Browser {
            driver: child,
            port,
            session: String::new(),
            downloads,
        };
        let t = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                t.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--window-size=1280,800", "--no-first-run", "--disable-extensions",
                         format!("--user-data-dir={}", tmp.join("profile").display())],
                "prefs": {"download.default_directory": b.downloads, "download.prompt_for_download": false}
            }
        }}});
        let v = b
            .call("POST", "/session", Some(caps))
            .expect("a browser session");
        b.session = v["sessionId"].as_str().expect("session id").to_string();
        // headless Chromium saves downloads only when told where
        let _ = b.cmd(
            "POST",
            "/goog/cdp/execute",
            json!({"cmd": "Browser.setDownloadBehavior",
                   "params": {"behavior": "allow", "downloadPath": b.downloads}}),
        );
        b
    }

    /// One WebDriver call: the `value` of its answer, or the error.
    fn call(&self, method: &str, path: &str, body: Option<Json>) -> Result<Json, String> {
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let mut headers = vec![("Host".to_string(), format!("127.0.0.1:{}", self.port))];
        if method == "POST" {
            headers.push(("Content-Type".into(), "application/json".into()));
            headers.push(("Content-Length".into(), body.len().to_string()));
        }
        let a = support::raw(self.port, method, path, &headers, body.as_bytes());
        let v: Json = serde_json::from_slice(&a.body).map_err(|e| format!("{e}: {}", a.text()))?;
        if a.status != 200 {
            return Err(format!("{method} {path}: {}", v["value"]));
        }
        Ok(v["value"].clone())
    }

    fn cmd(&self, method: &str, path: &str, body: Json) -> Result<Json, String> {
        let body = if method == "GET" { None } else { Some(body) };
        self.call(method, &format!("/session/{}{path}", self.session), body)
    }

    fn go(&self, url: &str) {
        self.cmd("POST", "/url", json!({ "url": url }))
            .expect("navigates");
    }

    fn find(&self, css: &str) -> Option<String> {
        self.cmd(
            "POST",
            "/element",
            json!({"using": "css selector", "value": css}),
        )
        .ok()
        .and_then(|v| v[ELEMENT].as_str().map(str::to_string))
    }

    fn must(&self, css: &str) -> String {
        self.find(css)
            .unwrap_or_else(|| panic!("no element `{css}`"))
    }

    fn text(&self, css: &str) -> String {
        let e = self.must(css);
        self.cmd("GET", &format!("/element/{e}/text"), Json::Null)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }

    fn click(&self, css: &str) {
        let e = self.must(css);
        self.cmd("POST", &format!("/element/{e}/click"), json!({}))
            .unwrap_or_else(|err| panic!("click `{css}`: {err}"));
    }

    fn keys(&self, css: &str, text: &str) {
        let e = self.must(css);
        self.cmd(
            "POST",
            &format!("/element/{e}/value"),
            json!({ "text": text }),
        )
        .unwrap_or_else(|err| panic!("keys to `{css}`: {err}"));
    }

    fn js(&self, script: &str) -> Json {
        self.cmd(
            "POST",
            "/execute/sync",
            json!({"script": script, "args": []}),
        )
        .unwrap_or_else(|e| panic!("script failed: {e}"))
    }

    fn size(&self, width: u32, height: u32) {
        self.cmd(
            "POST",
            "/window/rect",
            json!({"width": width, "height": height}),
        )
        .expect("window size");
    }

    /// Waits (up to 15 s) until `ok` holds, then returns; panics with `what`.
    fn wait(&self, what: &str, ok: impl Fn(&Browser) -> bool) {
        let t = Instant::now();
        while !ok(self) {
            assert!(
                t.elapsed() < Duration::from_secs(15),
                "timed out waiting: {what}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.call("DELETE", &format!("/session/{}", self.session), None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        if let Some(tmp) = self.downloads.parent() {
            let _ = std::fs::remove_dir_all(tmp);
        }
    }
}

/// A served case and a lever that moves its tier (asked of the API, so the
/// test follows the rules as they are): (case, lever, tier after, a
/// criterion that moves).
fn case_with_a_moving_lever(s: &Served) -> (String, String, String, String) {
    let pack = tiers_tests::tvpa();
    let mut files: Vec<String> = tiers::case::collect(&[root().join("cases")])
        .iter()
        .filter_map(|p| p.strip_prefix(root()).ok().map(|r| r.display().to_string()))
        .collect();
    // the placement edge cases first: each is built to sit at one branch
    files.sort_by_key(|f| (!f.contains("edge/placement"), f.clone()));
    for f in files {
        for l in &pack.levers {
            let body = json!({"case": f, "levers": [l.name]}).to_string();
            let a = s.post("/api/whatif", body.as_bytes());
            if a.status != 200 {
                continue;
            }
            let v = a.json();
            let moved = v["criteria_moved"].as_array().cloned().unwrap_or_default();
            if v["tier_before"] != v["tier_after"] && !moved.is_empty() {
                let after = &v["after"];
                let label = after["tier_label"]
                    .as_str()
                    .or(after["tier"].as_str())
                    .unwrap_or("undecided")
                    .to_string();
                return (
                    f,
                    l.name.clone(),
                    label,
                    moved[0]["id"].as_str().unwrap().to_string(),
                );
            }
        }
    }
    panic!("no case in cases/ has a lever that moves its tier");
}

#[test]
fn a_reviewer_opens_a_country_toggles_a_lever_and_downloads_the_draft() {
    let Some((chromium, driver)) = browser() else {
        return;
    };
    let s = Served::repo();
    let b = Browser::start(&chromium, &driver, "review");

    // the case list
    b.go(&s.url("/"));
    assert_eq!(b.text("h1"), "Cases");
    let rows = b.js("return document.querySelectorAll('table.cases tbody tr').length");
    assert!(rows.as_u64().unwrap() > 10, "{rows}");
    // filtering by edition (the select submits itself)
    b.js("var s = document.getElementById('f-edition'); s.value = '2017'; s.dispatchEvent(new Event('change'));");
    b.wait("the 2017 filter", |b| {
        b.js("return location.search").as_str() == Some("?edition=2017&tier=&agreement=&q=")
    });
    let editions = b.js("return Array.from(document.querySelectorAll('table.cases tbody tr td:nth-child(2)')).map(function (t) { return t.textContent; })");
    assert!(
        editions.as_array().unwrap().iter().all(|e| e == "2017"),
        "{editions}"
    );

    // a country, opened from the list
    b.click("a[href='/case?file=cases/2017/jamaica.yaml']");
    b.wait("the Jamaica page", |b| b.text("h1").starts_with("Jamaica"));
    assert!(b.text("#tier-original").starts_with("Tier"));
    assert!(b
        .find("tr[data-criterion='penalty.commensurate']")
        .is_some());

    // a lever moves the tier and a criterion, beside the original
    let (case, lever, tier_after, moved) = case_with_a_moving_lever(&s);
    b.go(&s.url(&format!("/case?file={case}")));
    b.wait("the case page", |b| b.find("#whatif-form").is_some());
    let original = b.text("#tier-original");
    assert!(b.js("return document.getElementById('tier-whatif').hidden") == Json::Bool(true));
    // with the keyboard: focus the lever's checkbox and press space
    b.keys(&format!("input[name='lever'][value='{lever}']"), "\u{E00D}");
    b.wait("the tier with the change", |b| {
        b.js("return document.getElementById('tier-whatif').hidden") == Json::Bool(false)
            && b.text("#tier-whatif-value") == tier_after
    });
    assert_eq!(b.text("#tier-original"), original, "the original stays");
    let row = format!("tr[data-criterion='{moved}']");
    b.wait("the moved criterion marked", |b| {
        b.js(&format!(
            "return document.querySelector(\"{row}\").classList.contains('moved')"
        )) == Json::Bool(true)
    });
    assert!(!b.text(&format!("{row} td.wi")).is_empty());
    assert!(
        b.text("#whatif-summary").contains(&tier_after),
        "{}",
        b.text("#whatif-summary")
    );
    // saved as a scenario file: what the API gives for the same change
    b.click("#save-scenario");
    let saved = b.downloads.join(
        Path::new(&case)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
            + "-",
    );
    let found = |b: &Browser| {
        std::fs::read_dir(&b.downloads)
            .ok()?
            .flatten()
            .map(|e| e.path())
            .find(|p| {
                p.to_string_lossy().starts_with(&*saved.to_string_lossy())
                    && p.to_string_lossy().ends_with("-whatif.yaml")
            })
    };
    b.wait("the saved scenario", |b| found(b).is_some());
    let yaml = std::fs::read_to_string(found(&b).unwrap()).unwrap();
    let api = s
        .post(
            "/api/scenario",
            json!({"case": case, "set": [], "levers": [lever], "no_findings": false})
                .to_string()
                .as_bytes(),
        )
        .json();
    assert_eq!(yaml, api["yaml"].as_str().unwrap());
    assert!(yaml.contains("expect:\n  tier: "), "{yaml}");
    // unticking goes back to the original
    b.click(&format!("input[name='lever'][value='{lever}']"));
    b.wait("back to the original", |b| {
        b.js("return document.getElementById('tier-whatif').hidden") == Json::Bool(true)
    });

    // a fact changed in its typed control moves a criterion too
    b.go(&s.url("/case?file=cases/2017/jamaica.yaml"));
    b.wait("the Jamaica page", |b| b.find("#whatif-form").is_some());
    for i in 0..2 {
        let sel = format!("select[data-path='law.provisions[{i}].fine']");
        assert_eq!(
            b.js(&format!("return document.querySelector(\"{sel}\").value")),
            "alternative"
        );
        b.js(&format!(
            "var s = document.querySelector(\"{sel}\"); s.value = 'cumulative'; \
             s.dispatchEvent(new Event('change', {{bubbles: true}}));"
        ));
    }
    b.wait("penalty.commensurate moved", |b| {
        b.js("return document.querySelector(\"tr[data-criterion='penalty.commensurate']\").classList.contains('moved')")
            == Json::Bool(true)
    });
    assert_eq!(
        b.text("tr[data-criterion='penalty.commensurate'] td.wi .o"),
        "met"
    );
    assert!(
        b.find("select.changed-ctl").is_some(),
        "the changed control is marked"
    );
    // back to the original
    b.click("#whatif-reset");
    b.wait("back to the original", |b| {
        b.js("return document.getElementById('tier-whatif').hidden") == Json::Bool(true)
    });

    // the Markdown download is the command's Markdown
    b.js("window.scrollTo(0, 0)");
    b.click("#download-md");
    let file = b.downloads.join("jamaica-2017.md");
    b.wait("the downloaded Markdown", |_| {
        file.is_file()
            && std::fs::metadata(&file)
                .map(|m| m.len() > 0)
                .unwrap_or(false)
    });
    let (_, md, _) = tiers(&["assess", "--format", "md", "cases/2017/jamaica.yaml"]);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), md);
}

#[test]
fn the_pages_fit_a_laptop_and_a_phone() {
    let Some((chromium, driver)) = browser() else {
        return;
    };
    let s = Served::repo();
    let b = Browser::start(&chromium, &driver, "sizes");
    for (w, h) in [(1280, 800), (390, 844)] {
        b.size(w, h);
        for page in ["/", "/case?file=cases/2017/jamaica.yaml", "/impact"] {
            b.go(&s.url(page));
            b.wait("the page", |b| b.find("main").is_some());
            // nothing wider than the window, so nothing to scroll sideways
            let overflow = b.js(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth",
            );
            assert!(
                overflow.as_i64().unwrap_or(1) <= 0,
                "{page} at {w}x{h} is {overflow}px too wide"
            );
            // every control has a name a screen reader can say
            let unnamed = b.js(
                "return Array.from(document.querySelectorAll('input, select, button')).filter(function (e) {\
                   return !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.textContent.trim();\
                 }).map(function (e) { return e.outerHTML; })",
            );
            assert_eq!(unnamed, json!([]), "{page}: controls without a label");
        }
    }
}
