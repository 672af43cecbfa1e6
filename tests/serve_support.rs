//! What the workbench tests share: a `tiers serve` process on a free port
//! of 127.0.0.1 (stopped when dropped) and plain HTTP/1.1 requests to it.
//! Every request goes to 127.0.0.1 only.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A running `tiers serve`, killed when dropped.
pub struct Served {
    child: Child,
    /// Kept open: the server may still write to it.
    _out: BufReader<std::process::ChildStdout>,
    pub port: u16,
    /// The first line it printed.
    pub banner: String,
}

impl Served {
    /// `tiers serve --port 0 ARGS` in `dir`; waits for the URL it prints.
    pub fn start(dir: &Path, args: &[&str]) -> Served {
        let mut child = Command::new(tiers_tests::bin())
            .arg("serve")
            .args(["--port", "0"])
            .args(args)
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("tiers serve starts");
        let mut line = String::new();
        let mut out = BufReader::new(child.stdout.take().expect("stdout"));
        out.read_line(&mut line).expect("reads");
        let port = line
            .trim()
            .strip_prefix("tiers serve: http://127.0.0.1:")
            .and_then(|r| r.trim_end_matches('/').parse::<u16>().ok());
        let Some(port) = port else {
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                let _ = e.read_to_string(&mut err);
            }
            let _ = child.kill();
            panic!("tiers serve printed {line:?}, stderr:\n{err}");
        };
        Served {
            child,
            _out: out,
            port,
            banner: line,
        }
    }

    /// The repository's cases with the repository's pack.
    pub fn repo() -> Served {
        Served::start(&tiers_tests::root(), &["cases"])
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// `GET path` with the right Host.
    pub fn get(&self, path: &str) -> Answer {
        self.request("GET", path, &[], b"")
    }

    /// `POST path` with the right Host and a body.
    pub fn post(&self, path: &str, body: &[u8]) -> Answer {
        self.request("POST", path, &[], body)
    }

    /// A request with the local Host, unless `headers` gives one.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Answer {
        let host = format!("127.0.0.1:{}", self.port);
        let mut all: Vec<(String, String)> = vec![];
        if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
            all.push(("Host".into(), host));
        }
        for (k, v) in headers {
            all.push((k.to_string(), v.to_string()));
        }
        if !body.is_empty() || method == "POST" {
            all.push(("Content-Length".into(), body.len().to_string()));
        }
        raw(self.port, method, path, &all, body)
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A response: status, headers (names in lower case) and body.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.1 exchange with 127.0.0.1:port, headers exactly as given
/// (plus `Connection: close`).
pub fn raw(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> Answer {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connects to 127.0.0.1");
    s.set_read_timeout(Some(Duration::from_secs(60))).ok();
    let mut head = format!("{method} {path} HTTP/1.1\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("Connection: close\r\n\r\n");
    s.write_all(head.as_bytes()).expect("writes");
    // the server may answer (413) before reading a large body
    let _ = s.write_all(body);
    read_answer(&mut s)
}

/// Reads a whole response (Content-Length, chunked, or to the end).
pub fn read_answer(s: &mut impl Read) -> Answer {
    let mut r = BufReader::new(s);
    let mut status_line = String::new();
    r.read_line(&mut status_line).expect("status line");
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {status_line:?}"));
    let mut headers = vec![];
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).unwrap_or(0) == 0 {
            break;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    let find = |n: &str| {
        headers
            .iter()
            .find(|(k, _)| k == n)
            .map(|(_, v): &(String, String)| v.clone())
    };
    let mut body = vec![];
    if let Some(n) = find("content-length").and_then(|v| v.parse::<usize>().ok()) {
        body.resize(n, 0);
        r.read_exact(&mut body).expect("body");
    } else if find("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        loop {
            let mut size = String::new();
            r.read_line(&mut size).expect("chunk size");
            let n = usize::from_str_radix(size.trim().split(';').next().unwrap_or("0"), 16)
                .unwrap_or(0);
            let mut chunk = vec![0; n + 2];
            r.read_exact(&mut chunk).expect("chunk");
            if n == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..n]);
        }
    } else {
        let _ = r.read_to_end(&mut body);
    }
    Answer {
        status,
        headers,
        body,
    }
}
