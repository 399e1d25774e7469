//! `bluesky`: the brand account's posts and what others addressed to it, as the Bluesky
//! AppView answers them (what `hearth sync bluesky` fetches, or the same answers saved by
//! hand).
//!
//! **Format.** A JSON object (file name ending `.bluesky.json`) with
//! - `account`: `{"did", "handle"}` of the brand account the answers were fetched for;
//! - `feed`: the `feed` array of `app.bsky.feed.getAuthorFeed` (`{post, reply?, reason?}`);
//! - `notifications`: the `notifications` array of `app.bsky.notification.listNotifications`.
//!
//! A bare `getAuthorFeed` or `listNotifications` answer reads too; without `account`, the
//! space is named after the author of the first post.
//!
//! **Mapping:** a post's `uri` (`at://did/app.bsky.feed.post/rkey`) → id; `record.createdAt`
//! (else `indexedAt`) → time; `record.text` → text; `record.reply.parent.uri` → parent;
//! mention facets → mentions (the mentioned DIDs); the author's DID → account, its handle
//! (`@handle`) → username. The space is the brand account (`bluesky:<did>`), so its posts and
//! the replies and mentions addressed to it are one conversation. The brand's own posts are
//! flagged `owner` (brand by the role rules) and carry their counts as post metrics: likes →
//! reactions, replies → comments, reposts and quotes → shares; the embed's kind → format.
//!
//! **Passed over, with a note:** reposts in the feed (amplification the brand did, not a post
//! it wrote) and notifications that are not posts (likes, reposts, follows).
//!
//! **Skipped, with a diagnostic:** a post without a `uri`, an author or a readable time; a
//! document that is not JSON (the rest of the file after the syntax error).
//!
//! **Known gaps:** impressions and reach are not in the AppView's answers (Bluesky does not
//! publish them), so engagement rates of this source are by followers only when known.
//!
//! **Checked against:** answers of a real PDS and AppView on loopback
//! (`crates/hearth/tests/listen.rs`) and `fixtures/bluesky/brand.bluesky.json`.

use crate::jsonstream::{Mapped, emit, read_records};
use crate::text::parse_time;
use crate::{MIN_TIME, ReadError, Reader, Sink, SkipReason};
use hearth_model::{PostMetrics, RawAccount, RawMessage};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, Default)]
pub struct BlueskyReader;

impl Reader for BlueskyReader {
    fn id(&self) -> &'static str {
        "bluesky"
    }

    fn units(&self, paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
        Ok(crate::expand_paths(paths, &["json"])?
            .into_iter()
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().ends_with(".bluesky.json"))
            })
            .collect())
    }

    fn read(&self, unit: &Path, sink: &mut dyn Sink) -> Result<(), ReadError> {
        read_answers(unit, &mut crate::open(unit)?, sink)
    }
}

/// Reads one document from `input` (`path` names it in diagnostics).
pub fn read_answers(
    path: &Path,
    input: &mut dyn std::io::BufRead,
    sink: &mut dyn Sink,
) -> Result<(), ReadError> {
    let mut first_author: Option<(String, String)> = None;
    read_records(
        path,
        input,
        sink,
        &[&["feed"], &["notifications"]],
        "Bluesky AppView answers (feed, notifications)",
        &mut |context, which, record, place, sink| {
            let account = brand(context, &record, &mut first_author);
            let (mapped, what) = if which == 0 {
                (feed_item(&record, &account), "a repost by the brand")
            } else {
                (
                    notification(&record, &account),
                    "a notification that is not a post",
                )
            };
            emit(path, place, sink, mapped, || {
                format!(
                    "{what} ({}), not a post it or others wrote to it",
                    record["reason"]["$type"]
                        .as_str()
                        .or_else(|| record["reason"].as_str())
                        .unwrap_or("")
                )
            })
        },
    )?;
    Ok(())
}

/// The brand account: `account` of the document, else the author of its first post.
fn brand(
    context: &Map<String, Value>,
    record: &Value,
    first: &mut Option<(String, String)>,
) -> (String, String) {
    if let Some(a) = context.get("account")
        && let Some(did) = a["did"].as_str()
    {
        return (
            did.to_owned(),
            a["handle"].as_str().unwrap_or(did).to_owned(),
        );
    }
    first
        .get_or_insert_with(|| {
            let author = &record["post"]["author"];
            let did = author["did"].as_str().unwrap_or("unknown").to_owned();
            let handle = author["handle"].as_str().unwrap_or(&did).to_owned();
            (did, handle)
        })
        .clone()
}

fn feed_item(item: &Value, account: &(String, String)) -> Mapped {
    if item["reason"]["$type"]
        .as_str()
        .is_some_and(|t| t.contains("reasonRepost"))
    {
        return Ok(None);
    }
    let post = &item["post"];
    let mut m = message(post, &post["record"], &post["author"], account)?;
    if m.author.native_id == account.0 {
        let count = |k: &str| post[k].as_f64();
        let shares = match (count("repostCount"), count("quoteCount")) {
            (None, None) => None,
            (a, b) => Some(a.unwrap_or(0.0) + b.unwrap_or(0.0)),
        };
        m.metrics = Some(PostMetrics {
            reactions: count("likeCount"),
            comments: count("replyCount"),
            shares,
            format: Some(format_of(&post["embed"]).to_owned()),
            ..PostMetrics::default()
        });
    }
    Ok(Some(m))
}

fn notification(n: &Value, account: &(String, String)) -> Mapped {
    match n["reason"].as_str() {
        Some("reply" | "mention" | "quote") => {}
        _ => return Ok(None),
    }
    message(n, &n["record"], &n["author"], account).map(Some)
}

/// The embed's kind, in the words of the social measures' formats.
fn format_of(embed: &Value) -> &'static str {
    let t = embed["$type"].as_str().unwrap_or("");
    if t.contains("embed.images") {
        "photo"
    } else if t.contains("embed.video") {
        "video"
    } else if t.contains("embed.external") {
        "link"
    } else if t.contains("recordWithMedia") {
        "quote with media"
    } else if t.contains("embed.record") {
        "quote"
    } else {
        "text"
    }
}

/// One post (`view` holds its `uri`; `record` its `app.bsky.feed.post` record).
fn message(
    view: &Value,
    record: &Value,
    author: &Value,
    account: &(String, String),
) -> Result<RawMessage, (SkipReason, String)> {
    let uri = view["uri"]
        .as_str()
        .filter(|u| u.starts_with("at://"))
        .ok_or((
            SkipReason::NotARecord,
            "expected a post's at:// uri".to_owned(),
        ))?;
    let did = author["did"]
        .as_str()
        .filter(|d| !d.is_empty())
        .ok_or_else(|| {
            (
                SkipReason::MissingAuthor,
                format!("expected author.did on {uri}"),
            )
        })?;
    let time = record["createdAt"]
        .as_str()
        .and_then(parse_time)
        .or_else(|| view["indexedAt"].as_str().and_then(parse_time))
        .filter(|t| *t >= MIN_TIME)
        .ok_or_else(|| {
            (
                SkipReason::MissingTime,
                format!("expected record.createdAt on {uri}"),
            )
        })?;
    let handle = author["handle"].as_str().filter(|h| !h.is_empty());
    let mentions = record["facets"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|f| f["features"].as_array().into_iter().flatten())
        .filter(|f| {
            f["$type"]
                .as_str()
                .is_some_and(|t| t.ends_with("facet#mention"))
        })
        .filter_map(|f| f["did"].as_str())
        .filter(|d| *d != did)
        .map(str::to_owned)
        .collect();
    let owner = did == account.0;
    Ok(RawMessage {
        native_id: uri.to_owned(),
        space: format!("bluesky:{}", account.0),
        space_name: format!("@{} on Bluesky", account.1),
        author: RawAccount {
            native_id: did.to_owned(),
            display_name: author["displayName"]
                .as_str()
                .filter(|n| !n.trim().is_empty())
                .or(handle)
                .map(str::to_owned),
            email: None,
            username: handle.map(|h| format!("@{h}")),
            flags: if owner {
                vec!["owner".to_owned()]
            } else {
                vec![]
            },
        },
        time,
        subject: None,
        text: record["text"].as_str().unwrap_or("").to_owned(),
        parent: record["reply"]["parent"]["uri"]
            .as_str()
            .filter(|p| *p != uri)
            .map(str::to_owned),
        mentions,
        metrics: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conformance::{CollectSink, check_stream};

    fn read(doc: &str) -> CollectSink {
        let file = Path::new("t.bluesky.json");
        check_stream(
            file,
            doc.as_bytes(),
            |input, sink| read_answers(file, input, sink),
            false,
        )
        .expect("conforms")
    }

    #[test]
    fn brand_posts_carry_counts_and_replies_link_to_them() {
        let doc = r#"{"account": {"did": "did:plc:brand", "handle": "brand.test"},
          "feed": [
            {"post": {"uri": "at://did:plc:brand/app.bsky.feed.post/1", "author": {"did": "did:plc:brand", "handle": "brand.test"},
              "record": {"text": "Hello", "createdAt": "2026-12-01T10:00:00.000Z"},
              "likeCount": 3, "repostCount": 1, "quoteCount": 1, "replyCount": 2,
              "embed": {"$type": "app.bsky.embed.images#view"}, "indexedAt": "2026-12-01T10:00:01.000Z"}},
            {"post": {"uri": "at://did:plc:x/app.bsky.feed.post/9", "author": {"did": "did:plc:x"},
              "record": {"text": "theirs", "createdAt": "2026-12-01T09:00:00Z"}},
             "reason": {"$type": "app.bsky.feed.defs#reasonRepost"}}
          ],
          "notifications": [
            {"uri": "at://did:plc:fan/app.bsky.feed.post/2", "reason": "reply", "author": {"did": "did:plc:fan", "handle": "fan.test", "displayName": "Fan"},
             "record": {"text": "Thanks!", "createdAt": "2026-12-01T11:00:00Z",
               "reply": {"parent": {"uri": "at://did:plc:brand/app.bsky.feed.post/1"}, "root": {"uri": "at://did:plc:brand/app.bsky.feed.post/1"}}}},
            {"uri": "at://did:plc:fan/app.bsky.feed.like/3", "reason": "like", "author": {"did": "did:plc:fan"}},
            {"uri": "at://did:plc:fan/app.bsky.feed.post/4", "reason": "mention", "author": {"did": "did:plc:fan"},
             "record": {"text": "@brand.test help", "createdAt": "2026-12-01T12:00:00Z",
               "facets": [{"index": {"byteStart": 0, "byteEnd": 11}, "features": [{"$type": "app.bsky.richtext.facet#mention", "did": "did:plc:brand"}]}]}},
            {"uri": "at://did:plc:fan/app.bsky.feed.post/5", "reason": "mention", "author": {"did": "did:plc:fan"}, "record": {"text": "no time"}}
          ]}"#;
        let s = read(doc);
        assert_eq!(s.messages.len(), 3);
        let brand = &s.messages[0];
        assert_eq!(brand.space, "bluesky:did:plc:brand");
        assert_eq!(brand.author.flags, vec!["owner".to_owned()]);
        let m = brand.metrics.as_ref().expect("metrics");
        assert_eq!(
            (m.reactions, m.comments, m.shares, m.format.as_deref()),
            (Some(3.0), Some(2.0), Some(2.0), Some("photo"))
        );
        let reply = &s.messages[1];
        assert_eq!(
            reply.parent.as_deref(),
            Some("at://did:plc:brand/app.bsky.feed.post/1")
        );
        assert_eq!(reply.author.username.as_deref(), Some("@fan.test"));
        assert!(reply.metrics.is_none());
        assert_eq!(s.messages[2].mentions, vec!["did:plc:brand".to_owned()]);
        // The repost and the like are noted, the post without a time skipped.
        assert_eq!(s.skipped(), 1);
        assert_eq!(s.diagnostics.len(), 3);
    }

    #[test]
    fn a_broken_document_keeps_what_came_before() {
        let doc = r#"{"feed": [{"post": {"uri": "at://did:plc:b/app.bsky.feed.post/1", "author": {"did": "did:plc:b", "handle": "b.test"}, "record": {"text": "x", "createdAt": "2026-12-01T10:00:00Z"}}}, {"post": nope"#;
        let s = read(doc);
        assert_eq!(s.messages.len(), 1);
        assert_eq!(s.messages[0].space, "bluesky:did:plc:b");
        assert_eq!(s.skipped(), 1);
    }
}
