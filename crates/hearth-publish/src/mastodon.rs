//! Mastodon over its REST API: the instance's length limit (`GET /api/v2/instance`), images
//! (`POST /api/v2/media` with their description as alt text), and statuses
//! (`POST /api/v1/statuses` with an `Idempotency-Key` header: the instance answers a repeat
//! of the key with the status it already made, so a retry after a crash publishes nothing
//! twice).

use crate::PublishError;
use crate::http::{Body, Http};
use serde_json::{Value, json};

/// An access token on an instance.
#[derive(Debug)]
pub struct Account {
    http: Http,
    instance: String,
    token: String,
}

/// A status made: its id and public address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub id: String,
    pub url: String,
}

impl Account {
    pub fn new(http: &Http, instance: &str, token: &str) -> Account {
        Account {
            http: http.clone(),
            instance: instance.trim_end_matches('/').to_owned(),
            token: token.to_owned(),
        }
    }

    fn auth(&self) -> Vec<(&'static str, String)> {
        vec![("Authorization", format!("Bearer {}", self.token))]
    }

    /// `@name@instance` of the token's account.
    pub fn whoami(&self) -> Result<String, PublishError> {
        let a = self.http.call(
            "GET",
            &format!("{}/api/v1/accounts/verify_credentials", self.instance),
            &self.auth(),
            Body::None,
        )?;
        let acct = a.body.get("acct").and_then(|v| v.as_str()).unwrap_or("");
        let host = self
            .instance
            .split("://")
            .nth(1)
            .unwrap_or(&self.instance)
            .to_owned();
        Ok(if acct.contains('@') {
            format!("@{acct}")
        } else {
            format!("@{acct}@{host}")
        })
    }

    /// The instance's status length limit, when it states one.
    pub fn max_characters(&self) -> Result<Option<usize>, PublishError> {
        let a = self.http.call(
            "GET",
            &format!("{}/api/v2/instance", self.instance),
            &[],
            Body::None,
        )?;
        Ok(a.body
            .pointer("/configuration/statuses/max_characters")
            .and_then(Value::as_u64)
            .map(|n| n as usize))
    }

    /// Uploads an image with its alt text; the media id.
    pub fn upload_media(
        &self,
        file_name: &str,
        mime: &str,
        bytes: &[u8],
        alt: &str,
    ) -> Result<String, PublishError> {
        let boundary = format!("hearth-{:016x}", fnv(bytes));
        let mut body = Vec::with_capacity(bytes.len() + 512);
        let safe_name: String = file_name
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || "._-".contains(*c))
            .collect();
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\n{alt}\r\n\
                 --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{safe_name}\"\r\n\
                 Content-Type: {mime}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let a = self.http.call(
            "POST",
            &format!("{}/api/v2/media", self.instance),
            &self.auth(),
            Body::Multipart {
                boundary,
                bytes: body,
            },
        )?;
        a.body
            .get("id")
            .and_then(|v| v.as_str())
            .map(str::to_owned)
            .ok_or_else(|| PublishError::Permanent(format!("media upload answered {}", a.body)))
    }

    fn get(&self, path_and_query: &str) -> Result<Value, PublishError> {
        Ok(self
            .http
            .call(
                "GET",
                &format!("{}{path_and_query}", self.instance),
                &self.auth(),
                Body::None,
            )?
            .body)
    }

    /// The token's account, whole (`GET /api/v1/accounts/verify_credentials`).
    pub fn me(&self) -> Result<Value, PublishError> {
        self.get("/api/v1/accounts/verify_credentials")
    }

    /// A page of an account's statuses, newest first, older than `max_id` when given
    /// (`GET /api/v1/accounts/:id/statuses`).
    pub fn statuses(
        &self,
        account_id: &str,
        max_id: Option<&str>,
    ) -> Result<Vec<Value>, PublishError> {
        let mut q = format!("/api/v1/accounts/{}/statuses?limit=40", encode(account_id));
        if let Some(m) = max_id {
            q.push_str(&format!("&max_id={}", encode(m)));
        }
        Ok(self.get(&q)?.as_array().cloned().unwrap_or_default())
    }

    /// A page of mention notifications (replies and mentions), newest first, newer than
    /// `since_id` and older than `max_id` when given (`GET /api/v1/notifications`).
    pub fn mentions(
        &self,
        since_id: Option<&str>,
        max_id: Option<&str>,
    ) -> Result<Vec<Value>, PublishError> {
        let mut q = "/api/v1/notifications?types[]=mention&limit=40".to_owned();
        if let Some(s) = since_id {
            q.push_str(&format!("&since_id={}", encode(s)));
        }
        if let Some(m) = max_id {
            q.push_str(&format!("&max_id={}", encode(m)));
        }
        Ok(self.get(&q)?.as_array().cloned().unwrap_or_default())
    }

    /// One status by its id on this instance (`GET /api/v1/statuses/:id`).
    pub fn status(&self, id: &str) -> Result<Value, PublishError> {
        self.get(&format!("/api/v1/statuses/{}", encode(id)))
    }

    /// This instance's id of the status at `uri` (`GET /api/v2/search` with `resolve`), the id
    /// a reply names in `in_reply_to_id`.
    pub fn status_id_of(&self, uri: &str) -> Result<Option<String>, PublishError> {
        let v = self.get(&format!(
            "/api/v2/search?q={}&type=statuses&resolve=true&limit=1",
            encode(uri)
        ))?;
        Ok(v["statuses"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|s| s["uri"].as_str() == Some(uri) || s["url"].as_str() == Some(uri))
            .and_then(|s| s["id"].as_str())
            .map(str::to_owned))
    }

    /// The request body of a status.
    pub fn status_body(text: &str, media_ids: &[String], in_reply_to: Option<&str>) -> Value {
        let mut v = json!({"status": text, "visibility": "public"});
        if !media_ids.is_empty() {
            v["media_ids"] = json!(media_ids);
        }
        if let Some(id) = in_reply_to {
            v["in_reply_to_id"] = json!(id);
        }
        v
    }

    /// Posts `body` under `key`: a repeat of the key answers the status already made.
    pub fn post_status(&self, key: &str, body: &Value) -> Result<Status, PublishError> {
        let mut headers = self.auth();
        headers.push(("Idempotency-Key", key.to_owned()));
        let a = self.http.call(
            "POST",
            &format!("{}/api/v1/statuses", self.instance),
            &headers,
            Body::Json(body),
        )?;
        let get = |k: &str| {
            a.body
                .get(k)
                .and_then(|v| v.as_str())
                .map(str::to_owned)
                .ok_or_else(|| PublishError::Permanent(format!("the status has no {k}")))
        };
        Ok(Status {
            id: get("id")?,
            url: get("url").or_else(|_| get("uri"))?,
        })
    }
}

/// The multipart boundary comes from a hash of the image, so the same upload is the same
/// request; 64 bits of hash make it vanishingly unlikely to occur in the image itself.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
    })
}

fn encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
