//! The local-only protections: a request is admitted only with the local
//! Host (and Origin, when it has one) and within the size limits; files are
//! read only from the served directories, found by walking them, never by a
//! path a request names.

use super::http::Resp;
use crate::diag::SourceMap;
use crate::facts::{self, YNode};
use std::path::{Path, PathBuf};

/// The largest request body accepted (a facts file is some kilobytes).
pub const MAX_BODY: usize = 1024 * 1024;
/// The longest request target accepted.
pub const MAX_URL: usize = 8 * 1024;

/// A refusal, as JSON (`{"error": ...}`) with its status.
pub fn refuse(status: u16, msg: &str) -> Resp {
    Resp::json(status, &serde_json::json!({ "error": msg }))
}

pub fn too_large() -> Resp {
    refuse(
        413,
        &format!("the request body is larger than {MAX_BODY} bytes"),
    )
}

/// Checks a request's head: its target's length, its Host (the local
/// address and this port, nothing else: a page elsewhere that resolves its
/// own name to 127.0.0.1 is refused), its Origin when it sends one, and its
/// announced body length.
pub fn admit(
    url: &str,
    headers: &[(String, String)],
    body_length: Option<usize>,
    port: u16,
) -> Result<(), Resp> {
    if url.len() > MAX_URL {
        return Err(refuse(414, "the request target is too long"));
    }
    let header = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
    };
    let hosts = [format!("127.0.0.1:{port}"), format!("localhost:{port}")];
    match header("host") {
        Some(h) if hosts.iter().any(|x| x.eq_ignore_ascii_case(h)) => {}
        Some(h) => {
            return Err(refuse(
                403,
                &format!("Host `{h}` is not this server (127.0.0.1:{port})"),
            ))
        }
        None => return Err(refuse(400, "a request needs a Host header")),
    }
    if let Some(o) = header("origin") {
        if !hosts
            .iter()
            .any(|x| o.eq_ignore_ascii_case(&format!("http://{x}")))
        {
            return Err(refuse(
                403,
                &format!("Origin `{o}` is not this server (http://127.0.0.1:{port})"),
            ));
        }
    }
    if header("sec-fetch-site") == Some("cross-site") {
        return Err(refuse(403, "a request from another site is refused"));
    }
    if body_length.is_some_and(|n| n > MAX_BODY) {
        return Err(too_large());
    }
    Ok(())
}

/// The served directories (or files): the paths given to `tiers serve`.
#[derive(Debug)]
pub struct Roots {
    given: Vec<PathBuf>,
    canonical: Vec<PathBuf>,
}

impl Roots {
    pub fn new(given: Vec<PathBuf>) -> Roots {
        let canonical = given.iter().filter_map(|p| p.canonicalize().ok()).collect();
        Roots { given, canonical }
    }

    pub fn given(&self) -> &[PathBuf] {
        &self.given
    }

    /// Whether `p` (after resolving links) lies in a served directory.
    pub fn inside(&self, p: &Path) -> bool {
        match p.canonicalize() {
            Ok(c) => self.canonical.iter().any(|r| c.starts_with(r)),
            Err(_) => false,
        }
    }

    /// Every facts file under the served paths, sorted; a link that leads
    /// outside them is left out.
    pub fn files(&self) -> Vec<PathBuf> {
        crate::case::collect(&self.given)
            .into_iter()
            .filter(|p| p.is_file() && self.inside(p))
            .collect()
    }

    /// The served file shown as `shown` (as the case list names it), once
    /// its scenario bases, if any, are found inside the served paths too.
    pub fn resolve(&self, shown: &str) -> Result<PathBuf, String> {
        let files = self.files();
        let Some(file) = files.iter().find(|f| f.display().to_string() == shown) else {
            let hint = crate::diag::did_you_mean(
                shown,
                files.iter().filter_map(|f| f.to_str()).collect::<Vec<_>>(),
            );
            return Err(format!(
                "no served case `{shown}`{}",
                hint.map(|h| format!(" (did you mean `{h}`?)"))
                    .unwrap_or_default()
            ));
        };
        self.check_bases(file)?;
        Ok(file.clone())
    }

    /// A scenario file reads its `base:`: that file must be served too
    /// (and its base, and so on).
    pub fn check_bases(&self, file: &Path) -> Result<(), String> {
        self.bases_inside(file, 0)
    }

    fn bases_inside(&self, file: &Path, depth: usize) -> Result<(), String> {
        let Some(base) = scenario_base(file) else {
            return Ok(());
        };
        if !self.inside(&base) {
            return Err(format!(
                "the base `{}` of scenario `{}` is not in the served directories",
                base.display(),
                file.display()
            ));
        }
        if depth < 8 {
            self.bases_inside(&base, depth + 1)?;
        }
        Ok(())
    }

    /// The served path a file was found under, and the file relative to it.
    pub fn relative(&self, file: &Path) -> Option<(&Path, PathBuf)> {
        self.given.iter().find_map(|r| {
            let rel = file.strip_prefix(r).ok()?;
            Some((r.as_path(), rel.to_path_buf()))
        })
    }
}

/// The `base:` a scenario file names, resolved beside it; `None` for a
/// facts file (or a file that does not parse: the loader reports that).
fn scenario_base(file: &Path) -> Option<PathBuf> {
    // read as every case file is: regular files only, size-limited
    let bytes = crate::io::read_limited(file, facts::MAX_FACTS_FILE).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let mut sources = SourceMap::default();
    let id = sources.add(file.display().to_string(), text);
    let node = facts::parse_yaml(sources.text(id), id, &sources).ok()?;
    top_level_base(&node.value).map(|b| file.parent().unwrap_or(Path::new("")).join(b))
}

/// The string value of a top-level `base:` key.
pub fn top_level_base(node: &YNode) -> Option<String> {
    let YNode::Map(entries) = node else {
        return None;
    };
    entries
        .iter()
        .find_map(|(k, v)| match (&k.value, &v.value) {
            (YNode::Str(k), YNode::Str(v)) if k == "base" => Some(v.clone()),
            (YNode::Str(k), _) if k == "base" => Some(String::new()),
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(host: &str, origin: Option<&str>) -> Vec<(String, String)> {
        let mut v = vec![("host".to_string(), host.to_string())];
        if let Some(o) = origin {
            v.push(("origin".into(), o.into()));
        }
        v
    }

    #[test]
    fn only_the_local_host_and_origin_are_admitted() {
        assert!(admit("/", &h("127.0.0.1:7878", None), None, 7878).is_ok());
        assert!(admit(
            "/",
            &h("localhost:7878", Some("http://localhost:7878")),
            None,
            7878
        )
        .is_ok());
        assert_eq!(
            admit("/", &h("evil.example:7878", None), None, 7878)
                .unwrap_err()
                .status,
            403
        );
        assert_eq!(
            admit("/", &h("127.0.0.1:7879", None), None, 7878)
                .unwrap_err()
                .status,
            403
        );
        assert_eq!(
            admit(
                "/",
                &h("127.0.0.1:7878", Some("http://evil.example")),
                None,
                7878
            )
            .unwrap_err()
            .status,
            403
        );
        assert_eq!(
            admit("/", &h("127.0.0.1:7878", None), Some(MAX_BODY + 1), 7878)
                .unwrap_err()
                .status,
            413
        );
        assert_eq!(admit("/", &[], None, 7878).unwrap_err().status, 400);
    }
}
