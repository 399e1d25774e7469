//! Bluesky over the AT Protocol's XRPC: a session from an app password
//! (`com.atproto.server.createSession`), images as blobs (`com.atproto.repo.uploadBlob`), and
//! a post written with a record key Hearth chose (`com.atproto.repo.putRecord` with
//! `swapRecord: null`: create if absent). The same record again is a no-op and a different
//! one is refused, so a post is never published twice under its key; after a crash the
//! publisher first asks `com.atproto.repo.getRecord` whether the key holds a post.

use crate::PublishError;
use crate::compose::Rendered;
use crate::http::{Body, Http};
use serde_json::{Value, json};

/// The collection of posts.
pub const POSTS: &str = "app.bsky.feed.post";

/// A logged-in Bluesky account.
#[derive(Debug)]
pub struct Session {
    http: Http,
    service: String,
    pub did: String,
    pub handle: String,
    access: String,
}

/// A record written: its `at://` URI and content id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub uri: String,
    pub cid: String,
}

/// An image ready to embed: its blob reference, alt text and size in pixels when known.
#[derive(Debug, Clone)]
pub struct Image {
    pub blob: Value,
    pub alt: String,
    pub aspect: Option<(u32, u32)>,
}

fn str_of(v: &Value, key: &str) -> Result<String, PublishError> {
    v.get(key)
        .and_then(|s| s.as_str())
        .map(str::to_owned)
        .ok_or_else(|| PublishError::Permanent(format!("the answer has no {key}: {v}")))
}

impl Session {
    /// Logs in at `service` (`https://bsky.social`, or a PDS) with a handle or DID and an
    /// app password.
    pub fn login(
        http: &Http,
        service: &str,
        identifier: &str,
        password: &str,
    ) -> Result<Session, PublishError> {
        let service = service.trim_end_matches('/').to_owned();
        let answer = http.call(
            "POST",
            &format!("{service}/xrpc/com.atproto.server.createSession"),
            &[],
            Body::Json(&json!({"identifier": identifier, "password": password})),
        )?;
        Ok(Session {
            http: http.clone(),
            did: str_of(&answer.body, "did")?,
            handle: str_of(&answer.body, "handle")?,
            access: str_of(&answer.body, "accessJwt")?,
            service,
        })
    }

    fn auth(&self) -> Vec<(&'static str, String)> {
        vec![("Authorization", format!("Bearer {}", self.access))]
    }

    fn url(&self, method: &str) -> String {
        format!("{}/xrpc/{method}", self.service)
    }

    /// The DID of a handle, `None` when no account has it.
    pub fn resolve_handle(&self, handle: &str) -> Result<Option<String>, PublishError> {
        let url = format!(
            "{}?handle={}",
            self.url("com.atproto.identity.resolveHandle"),
            encode(handle)
        );
        match self.http.call("GET", &url, &self.auth(), Body::None) {
            Ok(a) => Ok(Some(str_of(&a.body, "did")?)),
            Err(PublishError::Refused { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Uploads an image; its blob reference (the same bytes give the same reference).
    pub fn upload_blob(&self, mime: &str, bytes: &[u8]) -> Result<Value, PublishError> {
        let a = self.http.call(
            "POST",
            &self.url("com.atproto.repo.uploadBlob"),
            &self.auth(),
            Body::Bytes { mime, bytes },
        )?;
        a.body
            .get("blob")
            .cloned()
            .ok_or_else(|| PublishError::Permanent(format!("uploadBlob answered {}", a.body)))
    }

    /// The post under `rkey` in this account's repository, if there is one.
    pub fn get_record(&self, rkey: &str) -> Result<Option<(Written, Value)>, PublishError> {
        let url = format!(
            "{}?repo={}&collection={POSTS}&rkey={}",
            self.url("com.atproto.repo.getRecord"),
            encode(&self.did),
            encode(rkey)
        );
        match self.http.call("GET", &url, &self.auth(), Body::None) {
            Ok(a) => Ok(Some((
                Written {
                    uri: str_of(&a.body, "uri")?,
                    cid: str_of(&a.body, "cid")?,
                },
                a.body.get("value").cloned().unwrap_or(Value::Null),
            ))),
            Err(PublishError::Refused { error, .. }) if error == "RecordNotFound" => Ok(None),
            Err(PublishError::Refused {
                status: 400,
                message,
                ..
            }) if message.contains("not found") || message.contains("Could not locate") => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Writes `record` under `rkey` if the key is free (`swapRecord: null`).
    pub fn create_at(&self, rkey: &str, record: &Value) -> Result<Written, PublishError> {
        let a = self.http.call(
            "POST",
            &self.url("com.atproto.repo.putRecord"),
            &self.auth(),
            Body::Json(&json!({
                "repo": self.did,
                "collection": POSTS,
                "rkey": rkey,
                "validate": true,
                "swapRecord": null,
                "record": record,
            })),
        )?;
        Ok(Written {
            uri: str_of(&a.body, "uri")?,
            cid: str_of(&a.body, "cid")?,
        })
    }

    /// Records of a collection in a repository, newest first, a page at a time.
    pub fn list_records(
        &self,
        repo: &str,
        collection: &str,
        cursor: Option<&str>,
    ) -> Result<(Vec<Value>, Option<String>), PublishError> {
        self.page(
            "com.atproto.repo.listRecords",
            &format!(
                "repo={}&collection={}&limit=100",
                encode(repo),
                encode(collection)
            ),
            "records",
            cursor,
        )
    }
}

impl Session {
    /// One page of an XRPC query (`params` already encoded), with the next page's cursor.
    fn page(
        &self,
        method: &str,
        params: &str,
        list: &str,
        cursor: Option<&str>,
    ) -> Result<(Vec<Value>, Option<String>), PublishError> {
        let mut url = format!("{}?{params}", self.url(method));
        if let Some(c) = cursor {
            url.push_str(&format!("&cursor={}", encode(c)));
        }
        let a = self.http.call("GET", &url, &self.auth(), Body::None)?;
        let items = a
            .body
            .get(list)
            .and_then(|r| r.as_array())
            .cloned()
            .unwrap_or_default();
        let next = a
            .body
            .get("cursor")
            .and_then(|c| c.as_str())
            .filter(|c| !c.is_empty())
            .map(str::to_owned);
        Ok((items, next))
    }

    /// The account's own posts and replies, newest first, with their counts
    /// (`app.bsky.feed.getAuthorFeed`, answered by the AppView through the PDS).
    pub fn author_feed(
        &self,
        cursor: Option<&str>,
    ) -> Result<(Vec<Value>, Option<String>), PublishError> {
        self.page(
            "app.bsky.feed.getAuthorFeed",
            &format!(
                "actor={}&limit=100&filter=posts_with_replies",
                encode(&self.did)
            ),
            "feed",
            cursor,
        )
    }

    /// What others did to the account, newest first (`app.bsky.notification.listNotifications`):
    /// replies, mentions and quotes among likes, reposts and follows.
    pub fn notifications(
        &self,
        cursor: Option<&str>,
    ) -> Result<(Vec<Value>, Option<String>), PublishError> {
        self.page(
            "app.bsky.notification.listNotifications",
            "limit=100",
            "notifications",
            cursor,
        )
    }

    /// The post views of `uris` (at most 25), with their `cid` and record
    /// (`app.bsky.feed.getPosts`).
    pub fn get_posts(&self, uris: &[&str]) -> Result<Vec<Value>, PublishError> {
        let params: Vec<String> = uris.iter().map(|u| format!("uris={}", encode(u))).collect();
        Ok(self
            .page("app.bsky.feed.getPosts", &params.join("&"), "posts", None)?
            .0)
    }
}

/// The `reply` of a post answering `parent` (a post view from [`Session::get_posts`]): its
/// root is the parent's root, or the parent itself when that starts the thread.
pub fn reply_ref(parent: &Value) -> Option<Value> {
    let uri = parent["uri"].as_str()?;
    let cid = parent["cid"].as_str()?;
    let own = json!({"uri": uri, "cid": cid});
    let root = &parent["record"]["reply"]["root"];
    let root = if root["uri"].is_string() && root["cid"].is_string() {
        json!({"uri": root["uri"], "cid": root["cid"]})
    } else {
        own.clone()
    };
    Some(json!({"root": root, "parent": own}))
}

fn encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// The `app.bsky.feed.post` record of a rendered post: its text, facets for links, mentions
/// (with the DIDs found for them; a handle without an account stays plain text) and
/// hashtags, its images, and `createdAt` (RFC 3339, UTC, milliseconds).
pub fn post_record(
    r: &Rendered,
    created_at: &str,
    dids: &std::collections::BTreeMap<String, String>,
    images: &[Image],
    reply: Option<&Value>,
) -> Value {
    let mut facets = Vec::new();
    for l in &r.links {
        facets.push(json!({
            "index": {"byteStart": l.start, "byteEnd": l.end},
            "features": [{"$type": "app.bsky.richtext.facet#link", "uri": l.value}],
        }));
    }
    for m in &r.mentions {
        if let Some(did) = dids.get(&m.value) {
            facets.push(json!({
                "index": {"byteStart": m.start, "byteEnd": m.end},
                "features": [{"$type": "app.bsky.richtext.facet#mention", "did": did}],
            }));
        }
    }
    for t in &r.tags {
        facets.push(json!({
            "index": {"byteStart": t.start, "byteEnd": t.end},
            "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": t.value}],
        }));
    }
    facets.sort_by_key(|f| f["index"]["byteStart"].as_u64());
    let mut record = json!({
        "$type": POSTS,
        "text": r.text,
        "createdAt": created_at,
    });
    if !facets.is_empty() {
        record["facets"] = Value::Array(facets);
    }
    if !images.is_empty() {
        let list: Vec<Value> = images
            .iter()
            .map(|i| {
                let mut v = json!({"alt": i.alt, "image": i.blob});
                if let Some((w, h)) = i.aspect {
                    v["aspectRatio"] = json!({"width": w, "height": h});
                }
                v
            })
            .collect();
        record["embed"] = json!({"$type": "app.bsky.embed.images", "images": list});
    }
    if let Some(reply) = reply {
        record["reply"] = reply.clone();
    }
    record
}

/// A record key of the TID form (13 characters of base32-sortable: microseconds since
/// 1970 and a 10-bit clock id), unique per post and sortable by time.
pub fn tid(micros: u64, clock: u16) -> String {
    const ALPHABET: &[u8; 32] = b"234567abcdefghijklmnopqrstuvwxyz";
    let v = ((micros & ((1 << 53) - 1)) << 10) | u64::from(clock & 0x3ff);
    (0..13)
        .rev()
        .map(|i| ALPHABET[((v >> (i * 5)) & 31) as usize] as char)
        .collect()
}

/// Width and height of a PNG, JPEG, GIF or WebP image from its header, when it says.
pub fn dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
    let be32 = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.len() >= 24 {
        return Some((be32(&bytes[16..20]), be32(&bytes[20..24])));
    }
    if bytes.starts_with(b"GIF8") && bytes.len() >= 10 {
        let w = u16::from_le_bytes([bytes[6], bytes[7]]);
        let h = u16::from_le_bytes([bytes[8], bytes[9]]);
        return Some((u32::from(w), u32::from(h)));
    }
    if bytes.starts_with(&[0xff, 0xd8]) {
        let mut i = 2;
        while i + 9 < bytes.len() {
            if bytes[i] != 0xff {
                return None;
            }
            let marker = bytes[i + 1];
            let len = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
            if (0xc0..=0xcf).contains(&marker) && ![0xc4, 0xc8, 0xcc].contains(&marker) {
                let h = u16::from_be_bytes([bytes[i + 5], bytes[i + 6]]);
                let w = u16::from_be_bytes([bytes[i + 7], bytes[i + 8]]);
                return Some((u32::from(w), u32::from(h)));
            }
            i += 2 + len;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tid_is_13_sortable_characters() {
        let a = tid(1_764_000_000_000_000, 1);
        let b = tid(1_764_000_000_000_001, 0);
        assert_eq!(a.len(), 13);
        assert!(a < b, "{a} {b}");
        assert!(a.starts_with(|c: char| "234567abcdefghij".contains(c)));
    }

    #[test]
    fn png_size_from_its_header() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend_from_slice(&640u32.to_be_bytes());
        png.extend_from_slice(&480u32.to_be_bytes());
        assert_eq!(dimensions(&png), Some((640, 480)));
        assert_eq!(dimensions(b"not an image"), None);
    }
}
