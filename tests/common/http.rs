//! A hand-written HTTP/1.1 client: enough for status, headers and body of one request.

use std::io::{Read, Write};

use super::{TestServer, RECV_TIMEOUT};

/// Held while a test server answers a request or builds its router. Several servers rendering
/// pages at once in one test process (each on its own runtime) left about one request in 20 without
/// an answer (tests/http.rs, also before the media server; never with the tests run one at a time):
/// something process-wide in server-side rendering does not like it, and production has one server
/// per process. Root cause not found yet.
pub static PAGES: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

impl TestServer {
    /// Plain HTTP/1.1 request over a std TcpStream; returns (status, headers, body).
    pub async fn http(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> Response {
        let mut req = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
        if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
            req.push_str(&format!("Host: {}\r\n", self.addr));
        }
        for (k, v) in headers {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        req.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
        let addr = self.addr;
        let _one_at_a_time = PAGES.lock().await;
        let raw = tokio::task::spawn_blocking(move || {
            let mut s = std::net::TcpStream::connect(addr).expect("http connect");
            s.set_read_timeout(Some(RECV_TIMEOUT)).unwrap();
            s.write_all(req.as_bytes()).expect("http write");
            let mut raw = Vec::new();
            s.read_to_end(&mut raw).expect("http read");
            String::from_utf8(raw).expect("utf-8 response")
        })
        .await
        .unwrap();
        let (head, body) = raw.split_once("\r\n\r\n").expect("http head");
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("status");
        let raw_head = head.to_string();
        let headers = head.to_ascii_lowercase();
        let body = if headers.contains("transfer-encoding: chunked") {
            dechunk(body)
        } else {
            body.to_string()
        };
        Response {
            status,
            headers,
            raw_head,
            body,
        }
    }
}

pub struct Response {
    pub status: u16,
    /// The head, lowercased.
    pub headers: String,
    /// The head as sent.
    pub raw_head: String,
    pub body: String,
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).expect("chunk size");
        if n == 0 {
            break;
        }
        out.push_str(&rest[..n]);
        s = &rest[n + 2..];
    }
    out
}
