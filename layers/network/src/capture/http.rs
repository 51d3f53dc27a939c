//! HTTP/1.x requests on the client's byte stream: method, Host header or
//! CONNECT target. Bodies with a Content-Length are skipped so keep-alive
//! requests that follow are seen too.

/// Request head size kept in memory; longer heads are cut and reported.
pub const MAX_HEAD: usize = 16 * 1024;

const METHODS: &[&[u8]] = &[
    b"GET ",
    b"POST ",
    b"PUT ",
    b"HEAD ",
    b"DELETE ",
    b"OPTIONS ",
    b"PATCH ",
    b"CONNECT ",
    b"TRACE ",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// Host header, else the CONNECT or absolute-form target's authority.
    pub host: Option<String>,
    pub target: String,
}

#[derive(Debug, PartialEq, Eq)]
pub enum HttpEvent {
    Request(Request),
    Bogus(&'static str),
}

#[derive(Debug, Default)]
pub struct HttpStream {
    head: Vec<u8>,
    skip: u64,
    pub done: bool,
    /// A CONNECT was seen: the bytes after its head belong to the tunnel.
    pub tunnel: bool,
}

impl HttpStream {
    /// `Some(true)` if the bytes start like a request line, `None` if too few bytes.
    pub fn sniff(b: &[u8]) -> Option<bool> {
        let mut undecided = false;
        for m in METHODS {
            let n = m.len().min(b.len());
            if b[..n] == m[..n] {
                if n == m.len() {
                    return Some(true);
                }
                undecided = true;
            }
        }
        if undecided {
            None
        } else {
            Some(false)
        }
    }

    pub fn buffered(&self) -> usize {
        self.head.capacity()
    }

    /// Feeds in-order bytes; returns how many were consumed (less than all only
    /// when a CONNECT head ends inside `d`).
    pub fn feed(&mut self, mut d: &[u8], out: &mut Vec<HttpEvent>) -> usize {
        let total = d.len();
        while !d.is_empty() && !self.done {
            if self.skip > 0 {
                let k = (self.skip.min(d.len() as u64)) as usize;
                self.skip -= k as u64;
                d = &d[k..];
                continue;
            }
            // Look for the end of the head in the new bytes (plus 3 held over).
            let old = self.head.len();
            let room = MAX_HEAD - old;
            let take = d.len().min(room);
            self.head.extend_from_slice(&d[..take]);
            let from = old.saturating_sub(3);
            match find(&self.head[from..], b"\r\n\r\n") {
                Some(i) => {
                    let end = from + i + 4;
                    let used = end - old;
                    d = &d[used..];
                    let head = std::mem::take(&mut self.head);
                    match parse_head(&head[..end]) {
                        Some((req, body)) => {
                            let connect = req.method == "CONNECT";
                            out.push(HttpEvent::Request(req));
                            if connect {
                                self.tunnel = true;
                                self.done = true;
                                return total - d.len();
                            }
                            match body {
                                Body::Len(n) => self.skip = n,
                                Body::Unknown => self.done = true,
                            }
                        }
                        None => {
                            self.done = true;
                        }
                    }
                    if !self.done && !d.is_empty() && HttpStream::sniff(d) == Some(false) {
                        self.done = true;
                    }
                }
                None => {
                    d = &d[take..];
                    if self.head.len() >= MAX_HEAD {
                        out.push(HttpEvent::Bogus("HTTP request head longer than 16 KiB"));
                        self.done = true;
                    }
                }
            }
        }
        total
    }
}

enum Body {
    Len(u64),
    Unknown,
}

fn find(h: &[u8], n: &[u8]) -> Option<usize> {
    h.windows(n.len()).position(|w| w == n)
}

fn parse_head(h: &[u8]) -> Option<(Request, Body)> {
    let text = String::from_utf8_lossy(h);
    let mut lines = text.split("\r\n");
    let first = lines.next()?;
    let mut parts = first.splitn(3, ' ');
    let method = parts.next()?.to_string();
    let target = parts.next()?.to_string();
    let version = parts.next().unwrap_or("");
    if !version.starts_with("HTTP/") {
        return None;
    }
    let mut host = None;
    let mut body = Body::Len(0);
    for l in lines {
        let Some((k, v)) = l.split_once(':') else {
            continue;
        };
        let k = k.trim();
        if k.eq_ignore_ascii_case("host") && host.is_none() {
            host = Some(v.trim().to_string());
        } else if k.eq_ignore_ascii_case("content-length") {
            body = v.trim().parse().map(Body::Len).unwrap_or(Body::Unknown);
        } else if k.eq_ignore_ascii_case("transfer-encoding") {
            body = Body::Unknown;
        }
    }
    let host = host
        .filter(|h| !h.is_empty())
        .or_else(|| authority(&method, &target));
    Some((
        Request {
            method,
            host,
            target,
        },
        body,
    ))
}

fn authority(method: &str, target: &str) -> Option<String> {
    if method == "CONNECT" {
        return Some(target.to_string());
    }
    let rest = target.split_once("://")?.1;
    Some(
        rest.split(['/', '?', '#'])
            .next()
            .unwrap_or(rest)
            .to_string(),
    )
}

/// The host part of a Host value (drops a port, keeps IPv6 brackets out).
pub fn host_only(h: &str) -> &str {
    if let Some(r) = h.strip_prefix('[') {
        return r.split(']').next().unwrap_or(r);
    }
    match h.rsplit_once(':') {
        Some((a, p)) if !a.contains(':') && p.bytes().all(|c| c.is_ascii_digit()) => a,
        _ => h,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keep_alive_requests_and_connect() {
        let mut s = HttpStream::default();
        let mut out = Vec::new();
        let data = b"POST /a HTTP/1.1\r\nHost: registry.npmjs.org:8080\r\nContent-Length: 3\r\n\r\nabcGET / HTTP/1.1\r\nhost: b.example\r\n\r\n";
        for c in data.chunks(5) {
            s.feed(c, &mut out);
        }
        assert_eq!(out.len(), 2);
        let HttpEvent::Request(r) = &out[1] else {
            panic!()
        };
        assert_eq!(r.host.as_deref(), Some("b.example"));
        let mut s = HttpStream::default();
        out.clear();
        let used = s.feed(
            b"CONNECT c.example:443 HTTP/1.1\r\n\r\n\x16\x03\x01",
            &mut out,
        );
        assert_eq!(used, 34);
        assert!(s.tunnel);
        let HttpEvent::Request(r) = &out[0] else {
            panic!()
        };
        assert_eq!(r.host.as_deref(), Some("c.example:443"));
        assert_eq!(host_only("c.example:443"), "c.example");
        assert_eq!(host_only("[::1]:80"), "::1");
    }

    #[test]
    fn endless_head_is_cut() {
        let mut s = HttpStream::default();
        let mut out = Vec::new();
        s.feed(b"GET / HTTP/1.1\r\n", &mut out);
        for _ in 0..2000 {
            s.feed(b"X-Pad: aaaaaaaaaa\r\n", &mut out);
        }
        assert!(matches!(out[0], HttpEvent::Bogus(_)));
    }
}
