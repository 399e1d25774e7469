//! A loopback HTTP listener that answers with recorded exchanges, for the network that
//! cannot run here (Mastodon: PostgreSQL, Redis, Sidekiq and a Ruby application). Each
//! exchange names the method and path it answers; a request out of order gets a 599 that
//! says what was expected, so a test fails on it.

use serde_json::Value;
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

/// One request as Hearth sent it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Answers each request with the next recorded exchange (whose method and path must match),
/// and keeps what it was sent.
pub fn replay(exchanges: Vec<Value>) -> (String, Arc<Mutex<Vec<Seen>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("listen");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        let mut next = exchanges.into_iter();
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                continue;
            }
            let mut parts = line.split_whitespace();
            let method = parts.next().unwrap_or("").to_owned();
            let path = parts.next().unwrap_or("").to_owned();
            let mut headers = Vec::new();
            loop {
                let mut h = String::new();
                reader.read_line(&mut h).expect("header");
                let h = h.trim_end();
                if h.is_empty() {
                    break;
                }
                if let Some((k, v)) = h.split_once(':') {
                    headers.push((k.trim().to_owned(), v.trim().to_owned()));
                }
            }
            let length: usize = headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                .and_then(|(_, v)| v.parse().ok())
                .unwrap_or(0);
            let mut body = vec![0; length];
            reader.read_exact(&mut body).expect("body");
            let request = Seen {
                method,
                path,
                headers,
                body,
            };
            log.lock().expect("log").push(request.clone());
            let (status, extra, answer) = match next.next() {
                Some(x)
                    if x["method"] == request.method.as_str()
                        && x["path"] == request.path.as_str() =>
                {
                    let extra: String = x["headers"]
                        .as_object()
                        .into_iter()
                        .flatten()
                        .map(|(k, v)| format!("{k}: {}\r\n", v.as_str().unwrap_or("")))
                        .collect();
                    (
                        x["status"].as_u64().unwrap_or(500),
                        extra,
                        x["body"].to_string(),
                    )
                }
                other => (
                    599,
                    String::new(),
                    format!(
                        "{{\"error\": \"unexpected {} {}; recorded next: {other:?}\"}}",
                        request.method, request.path
                    ),
                ),
            };
            let mut stream = stream;
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n{extra}\r\n{answer}",
                answer.len()
            );
        }
    });
    (base, seen)
}
