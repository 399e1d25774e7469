//! One HTTP call with its outcome sorted into what the publisher does next: done, try again
//! soon (a transient failure), wait (rate limited, with the network's `Retry-After`), or
//! give up (a permanent failure, with the network's own message).

use crate::PublishError;
use std::time::Duration;

/// The most bytes of an answer read (a post's JSON is a few kilobytes).
const MAX_ANSWER: u64 = 4 << 20;

/// A network answer that was not an error.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub body: serde_json::Value,
}

/// The HTTP agent all clients share: TLS with the webpki roots, 30 s for a whole call, and
/// HTTP error statuses returned as answers so they can be sorted here.
#[derive(Debug, Clone)]
pub struct Http {
    agent: ureq::Agent,
}

impl Default for Http {
    fn default() -> Self {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(30)))
            .user_agent(concat!("hearth/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Http { agent }
    }
}

/// What a request carries.
#[derive(Debug)]
pub enum Body<'a> {
    None,
    Json(&'a serde_json::Value),
    Bytes { mime: &'a str, bytes: &'a [u8] },
    Form(&'a [(&'a str, String)]),
    Multipart { boundary: String, bytes: Vec<u8> },
}

impl Http {
    /// `method` `url` with `headers` and `body`; a 2xx answer's JSON (or `null`).
    pub fn call(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, String)],
        body: Body<'_>,
    ) -> Result<Answer, PublishError> {
        let result = if method == "GET" {
            let mut req = self.agent.get(url);
            for (k, v) in headers {
                req = req.header(*k, v);
            }
            req.call()
        } else {
            let mut req = self.agent.post(url);
            for (k, v) in headers {
                req = req.header(*k, v);
            }
            match body {
                Body::None => req.send_empty(),
                Body::Json(v) => req.content_type("application/json").send(
                    serde_json::to_vec(v).map_err(|e| PublishError::Permanent(e.to_string()))?,
                ),
                Body::Bytes { mime, bytes } => req.content_type(mime).send(bytes),
                Body::Form(pairs) => req.send_form(pairs.iter().map(|(k, v)| (*k, v.as_str()))),
                Body::Multipart { boundary, bytes } => req
                    .content_type(format!("multipart/form-data; boundary={boundary}"))
                    .send(&bytes[..]),
            }
        };
        let mut resp = result.map_err(|e| PublishError::Transient(format!("{url}: {e}")))?;
        let status = resp.status().as_u16();
        let retry_after = resp
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .or_else(|| {
                // Mastodon states when its window resets (`X-RateLimit-Reset`, ISO 8601).
                let reset = resp.headers().get("x-ratelimit-reset")?.to_str().ok()?;
                let at = chrono::DateTime::parse_from_rfc3339(reset.trim()).ok()?;
                let secs = at.timestamp() - chrono::Utc::now().timestamp();
                Some(secs.max(1) as u64)
            });
        let text = resp
            .body_mut()
            .with_config()
            .limit(MAX_ANSWER)
            .read_to_string()
            .map_err(|e| PublishError::Transient(format!("{url}: reading the answer: {e}")))?;
        let body: serde_json::Value = if text.trim().is_empty() {
            serde_json::Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text))
        };
        match status {
            200..=299 => Ok(Answer { status, body }),
            429 => Err(PublishError::RateLimited {
                retry_after: Duration::from_secs(retry_after.unwrap_or(60)),
                message: message(&body),
            }),
            401 | 403 => Err(PublishError::Auth(message(&body))),
            500..=599 | 408 => Err(PublishError::Transient(format!(
                "{status} {}",
                message(&body)
            ))),
            _ => Err(PublishError::Refused {
                status,
                error: body
                    .get("error")
                    .and_then(|e| e.as_str())
                    .unwrap_or("")
                    .to_owned(),
                message: message(&body),
            }),
        }
    }
}

/// The network's words for an error: XRPC's `error: message`, Mastodon's `error`.
fn message(body: &serde_json::Value) -> String {
    let error = body.get("error").and_then(|v| v.as_str()).unwrap_or("");
    let msg = body.get("message").and_then(|v| v.as_str()).unwrap_or("");
    let text = match (error, msg) {
        ("", "") => body.as_str().unwrap_or("").to_owned(),
        (e, "") => e.to_owned(),
        ("", m) => m.to_owned(),
        (e, m) => format!("{e}: {m}"),
    };
    // Said back to the person as is: keep it one short line.
    text.chars().filter(|c| !c.is_control()).take(300).collect()
}

/// Runs `f` until it answers, fails for good, or `attempts` transient failures have passed,
/// waiting 1 s, 2 s, 4 s … between them; a rate limit waits its `Retry-After` when that is
/// at most `max_wait`, and otherwise is handed back so the post waits for the next run.
pub fn with_retries<T>(
    attempts: u32,
    max_wait: Duration,
    mut f: impl FnMut() -> Result<T, PublishError>,
) -> Result<T, PublishError> {
    let mut delay = Duration::from_secs(1);
    let mut left = attempts.max(1);
    loop {
        match f() {
            Ok(v) => return Ok(v),
            Err(PublishError::Transient(m)) if left > 1 => {
                tracing::warn!("{m}; trying again in {} s", delay.as_secs());
                std::thread::sleep(delay);
                delay *= 2;
                left -= 1;
            }
            Err(PublishError::RateLimited {
                retry_after,
                message,
            }) if retry_after <= max_wait && left > 1 => {
                tracing::warn!(
                    "rate limited ({message}); waiting {} s as the network asks",
                    retry_after.as_secs()
                );
                std::thread::sleep(retry_after);
                left -= 1;
            }
            Err(e) => return Err(e),
        }
    }
}
