//! `tiers serve`: the reviewer's workbench, a local web page over the same
//! library calls the commands make (assess, whatif, reforms, and `tiers
//! diff` for the rule-impact view). Server-rendered HTML with one small
//! hand-written script; nothing is fetched from elsewhere.
//!
//! Local only: bound to 127.0.0.1; every request passes [`guard::admit`]
//! (Host and Origin must be this server, the body at most
//! [`guard::MAX_BODY`]); case files are found by walking the served paths,
//! never opened by a path a request names.
//!
//! One file a job: `http` (the only one that sees tiny_http), `guard`,
//! `cases` (the list's rows), `api` (JSON), `list`, `country` and `impact`
//! (pages), `controls` (the typed what-if controls from the pack's facts
//! declarations), `html` (escaping and the page frame), `assets/`.

mod api;
mod cases;
mod controls;
mod country;
mod guard;
mod html;
mod http;
mod impact;
mod list;

pub use guard::{MAX_BODY, MAX_URL};

use crate::diag::Failure;
use crate::pack::RulePack;
use http::{Method, Req, Resp};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::SystemTime;

/// Where the served rule pack comes from.
#[derive(Debug, Clone)]
pub enum PackSpec {
    /// A directory of `*.rules` files, read again when one of them changes
    /// (a rule maintainer's edit shows on the next page load).
    Dir(PathBuf),
    /// The pack built into the library.
    Builtin,
}

/// Runs `tiers diff --base-rules BASE --format json` over the served
/// paths: given by the binary, which has the git plumbing.
pub type ImpactFn = Box<dyn Fn(&str) -> Result<serde_json::Value, String> + Send + Sync>;

/// What to serve, and where.
pub struct Options {
    pub pack: PackSpec,
    /// How the pack is named on the pages.
    pub pack_name: String,
    /// The served files and directories (facts and scenario files).
    pub paths: Vec<PathBuf>,
    /// The port on 127.0.0.1 (0: any free one).
    pub port: u16,
    pub impact: Option<ImpactFn>,
}

/// What every request handler may read.
pub struct Ctx {
    roots: guard::Roots,
    pack_name: String,
    impact: Option<ImpactFn>,
}

/// A bound server, not yet answering.
pub struct Server {
    http: tiny_http::Server,
    port: u16,
    pack: PackSpec,
    ctx: Ctx,
}

/// Requests are answered by this many threads (each with its own copy of
/// the pack), so a long reform search does not hold up the pages.
const WORKERS: usize = 2;

impl Server {
    /// Binds 127.0.0.1 and the port; nothing is answered until [`run`].
    ///
    /// [`run`]: Server::run
    pub fn bind(opts: Options) -> Result<Server, String> {
        let http = tiny_http::Server::http(("127.0.0.1", opts.port))
            .map_err(|e| format!("cannot listen on 127.0.0.1:{}: {e}", opts.port))?;
        let port = http
            .server_addr()
            .to_ip()
            .map(|a| a.port())
            .unwrap_or(opts.port);
        Ok(Server {
            http,
            port,
            pack: opts.pack,
            ctx: Ctx {
                roots: guard::Roots::new(opts.paths),
                pack_name: opts.pack_name,
                impact: opts.impact,
            },
        })
    }

    /// The address to open in a browser.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// Answers requests until the process ends.
    pub fn run(self) {
        let shared = Arc::new(self);
        let handles: Vec<_> = (0..WORKERS)
            .map(|_| {
                let s = Arc::clone(&shared);
                std::thread::spawn(move || s.work())
            })
            .collect();
        for h in handles {
            let _ = h.join();
        }
    }

    fn work(&self) {
        let mut pack = PackCache::new(self.pack.clone());
        while let Ok(mut rq) = self.http.recv() {
            let resp = match http::read(&mut rq, self.port) {
                Ok(req) => {
                    let pack = pack.get();
                    // an engine bug answers 500 and leaves the server running
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        route(&req, &self.ctx, pack)
                    }))
                    .unwrap_or_else(|_| {
                        guard::refuse(
                            500,
                            "internal error: this is a bug in tiers, please report it",
                        )
                    })
                }
                Err(refused) => refused,
            };
            http::send(rq, resp);
        }
    }
}

/// The pack of one worker, loaded again when its files change.
struct PackCache {
    spec: PackSpec,
    stamp: Vec<(PathBuf, Option<SystemTime>, u64)>,
    loaded: Option<Result<RulePack, Failure>>,
}

impl PackCache {
    fn new(spec: PackSpec) -> PackCache {
        PackCache {
            spec,
            stamp: vec![],
            loaded: None,
        }
    }

    fn stamp_now(&self) -> Vec<(PathBuf, Option<SystemTime>, u64)> {
        let PackSpec::Dir(dir) = &self.spec else {
            return vec![];
        };
        let mut v: Vec<_> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "rules"))
            .map(|e| {
                let m = e.metadata().ok();
                (
                    e.path(),
                    m.as_ref().and_then(|m| m.modified().ok()),
                    m.map(|m| m.len()).unwrap_or(0),
                )
            })
            .collect();
        v.sort();
        v
    }

    fn get(&mut self) -> Result<&RulePack, &Failure> {
        let stamp = self.stamp_now();
        if stamp != self.stamp {
            self.loaded = None;
            self.stamp = stamp;
        }
        let spec = &self.spec;
        self.loaded
            .get_or_insert_with(|| match spec {
                PackSpec::Dir(d) => crate::load_pack(d),
                PackSpec::Builtin => crate::builtin::load(),
            })
            .as_ref()
    }
}

const STYLE: &str = include_str!("assets/style.css");
const SCRIPT: &str = include_str!("assets/app.js");

fn route(req: &Req, ctx: &Ctx, pack: Result<&RulePack, &Failure>) -> Resp {
    let path = req.path.as_str();
    match (req.method, path) {
        (Method::Get, "/static/style.css") => Resp::new(200, "text/css; charset=utf-8", STYLE),
        (Method::Get, "/static/app.js") => Resp::new(200, "text/javascript; charset=utf-8", SCRIPT),
        (Method::Get, "/impact") => impact::page_for(ctx, req),
        _ => {
            let pack = match pack {
                Ok(p) => p,
                Err(f) if path.starts_with("/api/") => return api::failure(500, f),
                Err(f) => {
                    return html::error_page(
                        500,
                        "The rule pack does not load",
                        &f.render(),
                        &ctx.pack_name,
                    )
                }
            };
            with_pack(req, ctx, pack)
        }
    }
}

fn with_pack(req: &Req, ctx: &Ctx, pack: &RulePack) -> Resp {
    match (req.method, req.path.as_str()) {
        (Method::Get, "/") => {
            let rows = cases::rows(pack, &ctx.roots);
            let served: Vec<String> = ctx
                .roots
                .given()
                .iter()
                .map(|p| p.display().to_string())
                .collect();
            list::page_for(req, &rows, &ctx.pack_name, &served.join(", "))
        }
        (Method::Get, "/case") => country::page_for(ctx, pack, req),
        (Method::Get, "/case.md") => country::markdown(ctx, pack, req),
        (Method::Get, "/api/cases") => api::cases(ctx, pack),
        (Method::Post, "/api/assess") => api::assess(pack, req),
        (Method::Post, "/api/whatif") => api::whatif(ctx, pack, req),
        (Method::Post, "/api/reforms") => api::reforms(ctx, pack, req),
        (Method::Post, "/api/scenario") => api::scenario(ctx, pack, req),
        (_, p) if known(p) => {
            let mut r = guard::refuse(405, "method not allowed");
            r.headers.push((
                "Allow",
                if p.starts_with("/api/") && p != "/api/cases" {
                    "POST"
                } else {
                    "GET"
                }
                .into(),
            ));
            r
        }
        (_, p) if p.starts_with("/api/") => guard::refuse(404, "no such API"),
        _ => html::error_page(404, "Not found", &req.path, &ctx.pack_name),
    }
}

fn known(p: &str) -> bool {
    matches!(
        p,
        "/" | "/case"
            | "/case.md"
            | "/impact"
            | "/api/cases"
            | "/api/assess"
            | "/api/whatif"
            | "/api/reforms"
            | "/api/scenario"
            | "/static/style.css"
            | "/static/app.js"
    )
}
