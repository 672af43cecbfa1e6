//! Requests and responses: the one file that sees `tiny_http`. A request is
//! read only after [`super::guard::admit`] has accepted its head, and its
//! body never past [`super::guard::MAX_BODY`].

use super::guard;
use std::io::Read;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Other,
}

/// A request, read and checked.
#[derive(Debug)]
pub struct Req {
    pub method: Method,
    /// The path, without the query (not decoded: routes are plain ASCII).
    pub path: String,
    /// Query parameters, decoded, in order.
    pub query: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Req {
    /// The first value of a query parameter.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether a query flag is set (`?no_findings=1`, `=true`, `=on`).
    pub fn flag(&self, name: &str) -> bool {
        matches!(self.param(name), Some("1" | "true" | "on" | "yes"))
    }
}

/// A response, before it is sent.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    /// Extra headers (the security headers are added to every response).
    pub headers: Vec<(&'static str, String)>,
}

pub const HTML: &str = "text/html; charset=utf-8";
pub const JSON: &str = "application/json";
pub const TEXT: &str = "text/plain; charset=utf-8";

impl Resp {
    pub fn new(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Resp {
        Resp {
            status,
            content_type,
            body: body.into(),
            headers: vec![],
        }
    }

    pub fn html(status: u16, body: String) -> Resp {
        Resp::new(status, HTML, body)
    }

    /// Pretty JSON with a final newline, as `tiers ... --format json` prints it.
    pub fn json(status: u16, v: &serde_json::Value) -> Resp {
        let text = serde_json::to_string_pretty(v).unwrap_or_default() + "\n";
        Resp::new(status, JSON, text)
    }

    pub fn text(status: u16, body: &str) -> Resp {
        Resp::new(status, TEXT, body)
    }

    /// A file the browser saves under `name` rather than shows.
    pub fn download(name: &str, content_type: &'static str, body: String) -> Resp {
        let safe: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        let mut r = Resp::new(200, content_type, body);
        r.headers.push((
            "Content-Disposition",
            format!("attachment; filename=\"{safe}\""),
        ));
        r
    }
}

/// Headers every response carries: nothing may be loaded from elsewhere,
/// framed, sniffed or cached, and no referrer leaves the page.
const SECURITY_HEADERS: &[(&str, &str)] = &[
    (
        "Content-Security-Policy",
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    ),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
    ("Cache-Control", "no-store"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
];

/// Reads a request: the head is checked first ([`guard::admit`]), then the
/// body is read up to the limit. A refused request gets its answer as `Err`.
pub fn read(rq: &mut tiny_http::Request, port: u16) -> Result<Req, Resp> {
    let headers: Vec<(String, String)> = rq
        .headers()
        .iter()
        .map(|h| {
            (
                h.field.as_str().as_str().to_ascii_lowercase(),
                h.value.as_str().to_string(),
            )
        })
        .collect();
    let method = match rq.method() {
        tiny_http::Method::Get | tiny_http::Method::Head => Method::Get,
        tiny_http::Method::Post => Method::Post,
        _ => Method::Other,
    };
    let url = rq.url().to_string();
    guard::admit(&url, &headers, rq.body_length(), port)?;
    let mut body = vec![];
    if method == Method::Post {
        let limit = guard::MAX_BODY as u64 + 1;
        if rq.as_reader().take(limit).read_to_end(&mut body).is_err() {
            return Err(guard::refuse(400, "the request body could not be read"));
        }
        if body.len() > guard::MAX_BODY {
            return Err(guard::too_large());
        }
    }
    let (path, query) = match url.split_once('?') {
        Some((p, q)) => (p.to_string(), parse_query(q)),
        None => (url, vec![]),
    };
    Ok(Req {
        method,
        path,
        query,
        body,
    })
}

/// Sends a response with the security headers. A client that has gone
/// away is no error of the server's.
pub fn send(rq: tiny_http::Request, resp: Resp) {
    let mut r = tiny_http::Response::from_data(resp.body)
        .with_status_code(resp.status)
        // always a Content-Length, never chunked: simpler for every client
        .with_chunked_threshold(usize::MAX);
    let mut add = |name: &str, value: &str| {
        if let Ok(h) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            r.add_header(h);
        }
    };
    add("Content-Type", resp.content_type);
    for (name, value) in SECURITY_HEADERS {
        add(name, value);
    }
    for (name, value) in &resp.headers {
        add(name, value);
    }
    let _ = rq.respond(r);
}

/// `a=1&b=x%20y` to pairs (`+` is a space, as forms send it).
pub fn parse_query(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// Percent-decoding (and `+` to space); bad escapes stay as they are.
pub fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => match (hex(b[i + 1]), hex(b[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

/// Percent-encoding for a query value.
pub fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'/' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_round_trip() {
        let s = "cases/2017/a b&c%.yaml";
        assert_eq!(decode(&encode(s)), s);
        assert_eq!(
            parse_query("file=x%2Fy&flag&t=a+b"),
            vec![
                ("file".into(), "x/y".into()),
                ("flag".into(), String::new()),
                ("t".into(), "a b".into())
            ]
        );
        assert_eq!(decode("%zz%4"), "%zz%4");
    }
}
