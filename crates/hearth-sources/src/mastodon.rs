//! `mastodon`: a Mastodon account archive's `outbox.json` (Settings → Import and export →
//! Request your archive; ActivityStreams 2.0, `orderedItems` streamed one at a time).
//!
//! **Mapping:** each `Create` of a `Note` is a post by the archive's owner (flagged `owner`,
//! so the role rules make it brand): `object.id` → id; `object.published` → time; `content`
//! (HTML) → text, `summary` (content warning) → subject; `inReplyTo` → parent, so a thread of
//! the brand's own posts links up and a reply to someone else keeps the id of what it
//! answers; `tag` entries of type `Mention` → mentions (the mentioned account's URL is its
//! id). The space is the owner's account (`mastodon:<actor URL>`).
//!
//! **Passed over, with a note:** `Announce` (a boost of someone else's post: amplification
//! the brand did, not a post it wrote), and any other activity type.
//!
//! **Skipped, with a diagnostic:** an item without an object id or a readable time; a file
//! that is not an ActivityStreams outbox (the rest of the file after a syntax error).
//!
//! **Known gaps:** the archive holds only the owner's side: replies and mentions from others,
//! and favourite or boost counts, are not in it (so no post metrics and no response times
//! from this source alone); direct and followers-only posts are left out by the export this
//! project has.
//!
//! **Checked against:** `../shared/data/social/mastodon-archive/outbox.json` (1,511 items).
//!
//! **The REST API's answers** (a file ending `.mastodon.json`: what `hearth sync mastodon`
//! fetches) read too: a JSON object with `account` (the brand's `Account`), `ids` (status id →
//! its `uri`, for the statuses the file's replies answer), `notifications` (of type `mention`:
//! replies and mentions addressed to the brand), `replied_to` (statuses those answer) and
//! `statuses` (the brand's own, with `favourites_count`, `reblogs_count` and
//! `replies_count` → reactions, shares and comments). A status's `uri` is its id, the same as
//! the archive's, so an archive and a sync of one account meet in one space; its
//! `in_reply_to_id` becomes the parent's `uri` when the file knows it. Boosts, and
//! notifications that are not posts (favourites, boosts, follows), are passed over with a note.

use crate::jsonstream::{Mapped, read_array};
use crate::text::{html_to_text, parse_time};
use crate::{MIN_TIME, ReadError, Reader, Sink, SkipReason};
use hearth_model::{RawAccount, RawMessage};
use serde_json::Value;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, Default)]
pub struct MastodonReader;

impl Reader for MastodonReader {
    fn id(&self) -> &'static str {
        "mastodon"
    }

    fn units(&self, paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
        Ok(crate::expand_paths(paths, &["json"])?
            .into_iter()
            .filter(|p| {
                p.file_name().is_some_and(|n| {
                    n == "outbox.json" || n.to_string_lossy().ends_with(API_SUFFIX)
                })
            })
            .collect())
    }

    fn read(&self, unit: &Path, sink: &mut dyn Sink) -> Result<(), ReadError> {
        if unit.to_string_lossy().ends_with(API_SUFFIX) {
            read_api(unit, &mut crate::open(unit)?, sink)
        } else {
            read_outbox(unit, &mut crate::open(unit)?, sink)
        }
    }
}

/// Reads an outbox from `input` (`path` names it in diagnostics).
pub fn read_outbox(
    path: &Path,
    input: &mut dyn std::io::BufRead,
    sink: &mut dyn Sink,
) -> Result<(), ReadError> {
    let note = |item: &Value| {
        format!(
            "{} activity {} is not a post the owner wrote",
            item["type"].as_str().unwrap_or("unknown"),
            item["id"].as_str().unwrap_or("")
        )
    };
    read_array(
        path,
        input,
        sink,
        "orderedItems",
        "an ActivityStreams outbox",
        &|_, item| post(item),
        &note,
    )?;
    Ok(())
}

/// The file-name ending of the REST API's answers.
pub const API_SUFFIX: &str = ".mastodon.json";

/// Reads the REST API's answers from `input` (`path` names it in diagnostics).
pub fn read_api(
    path: &Path,
    input: &mut dyn std::io::BufRead,
    sink: &mut dyn Sink,
) -> Result<(), ReadError> {
    use crate::jsonstream::{emit, read_records};
    // Status ids met so far, for parents the file's `ids` does not name.
    let mut seen: std::collections::HashMap<String, String> = Default::default();
    read_records(
        path,
        input,
        sink,
        &[&["notifications"], &["replied_to"], &["statuses"]],
        "Mastodon API answers (account, notifications, statuses)",
        &mut |context, which, record, place, sink| {
            let brand = &context.get("account").cloned().unwrap_or(Value::Null);
            let ids = context.get("ids").unwrap_or(&Value::Null);
            let (status, what) = if which == 0 {
                match record["type"].as_str() {
                    Some("mention") => (&record["status"], ""),
                    other => (&Value::Null, other.unwrap_or("unknown")),
                }
            } else {
                (&record, "")
            };
            // No status (another kind of notification), or a boost of someone else's.
            let mapped = if status.is_null() || !status["reblog"].is_null() {
                Ok(None)
            } else {
                let m = api_status(status, brand, ids, &seen);
                if let (Ok(Some(m)), Some(id)) = (&m, status["id"].as_str()) {
                    seen.insert(id.to_owned(), m.native_id.clone());
                }
                m
            };
            emit(path, place, sink, mapped, || {
                if what.is_empty() {
                    format!(
                        "a boost ({}), not a post the brand or others wrote",
                        status["id"].as_str().unwrap_or("")
                    )
                } else {
                    format!("a {what} notification, not a post")
                }
            })
        },
    )?;
    Ok(())
}

/// An account's id in the model: its ActivityPub `uri` (what the archive names actors by),
/// else its profile `url`.
fn api_account_id(a: &Value) -> Option<&str> {
    a["uri"]
        .as_str()
        .or_else(|| a["url"].as_str())
        .filter(|s| !s.is_empty())
}

fn api_status(
    o: &Value,
    brand: &Value,
    ids: &Value,
    seen: &std::collections::HashMap<String, String>,
) -> Mapped {
    let id = o["uri"]
        .as_str()
        .or_else(|| o["url"].as_str())
        .filter(|s| !s.is_empty())
        .ok_or((SkipReason::NotARecord, "expected a status's uri".to_owned()))?;
    let time = o["created_at"]
        .as_str()
        .and_then(parse_time)
        .filter(|t| *t >= MIN_TIME)
        .ok_or_else(|| {
            (
                SkipReason::MissingTime,
                format!("expected created_at on {id}"),
            )
        })?;
    let a = &o["account"];
    let actor = api_account_id(a).ok_or_else(|| {
        (
            SkipReason::MissingAuthor,
            format!("expected account.uri on {id}"),
        )
    })?;
    let brand_actor = api_account_id(brand).unwrap_or(actor);
    let owner = a["id"].as_str().is_some() && a["id"] == brand["id"];
    // Mentions by the accounts' ids where the file knows them (the brand), else their URLs.
    let mentions = o["mentions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| {
            if m["id"].as_str().is_some() && m["id"] == brand["id"] {
                Some(brand_actor)
            } else {
                m["url"].as_str()
            }
        })
        .filter(|h| *h != actor)
        .map(str::to_owned)
        .collect();
    let parent = o["in_reply_to_id"].as_str().and_then(|p| {
        ids[p]
            .as_str()
            .map(str::to_owned)
            .or_else(|| seen.get(p).cloned())
    });
    let count = |k: &str| o[k].as_f64();
    let format = if o["media_attachments"]
        .as_array()
        .is_some_and(|m| !m.is_empty())
    {
        o["media_attachments"][0]["type"]
            .as_str()
            .map(|t| if t == "image" { "photo" } else { t })
            .unwrap_or("photo")
    } else if o["card"].is_object() {
        "link"
    } else {
        "text"
    };
    let name = a["acct"]
        .as_str()
        .map(|acct| {
            if acct.contains('@') {
                format!("@{acct}")
            } else {
                handle(actor)
            }
        })
        .unwrap_or_else(|| handle(actor));
    let brand_name = api_account_id(brand).map_or_else(|| name.clone(), handle);
    Ok(Some(RawMessage {
        native_id: id.to_owned(),
        space: format!("mastodon:{brand_actor}"),
        space_name: format!("{brand_name} on Mastodon"),
        author: RawAccount {
            native_id: actor.to_owned(),
            display_name: a["display_name"]
                .as_str()
                .filter(|n| !n.trim().is_empty())
                .map(str::to_owned)
                .or_else(|| Some(name.clone())),
            email: None,
            username: Some(name),
            flags: if owner {
                vec!["owner".to_owned()]
            } else {
                vec![]
            },
        },
        time,
        subject: o["spoiler_text"]
            .as_str()
            .filter(|s| !s.is_empty())
            .map(str::to_owned),
        text: html_to_text(o["content"].as_str().unwrap_or("")),
        parent,
        mentions,
        metrics: owner.then(|| hearth_model::PostMetrics {
            reactions: count("favourites_count"),
            shares: count("reblogs_count"),
            comments: count("replies_count"),
            format: Some(format.to_owned()),
            ..Default::default()
        }),
    }))
}

/// `https://host/users/name` → `@name@host`.
fn handle(actor: &str) -> String {
    let rest = actor.split("://").nth(1).unwrap_or(actor);
    let host = rest.split('/').next().unwrap_or("");
    let name = rest
        .rsplit('/')
        .next()
        .unwrap_or(rest)
        .trim_start_matches('@');
    if host.is_empty() || name.is_empty() || name == host {
        actor.to_owned()
    } else {
        format!("@{name}@{host}")
    }
}

fn post(item: &Value) -> Mapped {
    if item["type"].as_str() != Some("Create") || item["object"]["type"].as_str() != Some("Note") {
        return Ok(None);
    }
    let o = &item["object"];
    let id = o["id"]
        .as_str()
        .filter(|s| !s.is_empty())
        .ok_or((SkipReason::NotARecord, "expected object.id".to_owned()))?;
    let time = o["published"]
        .as_str()
        .or_else(|| item["published"].as_str())
        .and_then(parse_time)
        .filter(|t| *t >= MIN_TIME)
        .ok_or_else(|| {
            (
                SkipReason::MissingTime,
                format!("expected object.published on {id}"),
            )
        })?;
    let actor = o["attributedTo"]
        .as_str()
        .or_else(|| item["actor"].as_str())
        .filter(|s| !s.is_empty())
        .ok_or_else(|| {
            (
                SkipReason::MissingAuthor,
                format!("expected attributedTo or actor on {id}"),
            )
        })?;
    let mentions: Vec<String> = o["tag"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|t| t["type"].as_str() == Some("Mention"))
        .filter_map(|t| t["href"].as_str())
        .filter(|h| *h != actor)
        .map(str::to_owned)
        .collect();
    let name = handle(actor);
    Ok(Some(RawMessage {
        native_id: id.to_owned(),
        space: format!("mastodon:{actor}"),
        space_name: format!("{name} on Mastodon"),
        author: RawAccount {
            native_id: actor.to_owned(),
            display_name: Some(name.clone()),
            email: None,
            username: Some(name),
            flags: vec!["owner".to_owned()],
        },
        time,
        subject: o["summary"]
            .as_str()
            .filter(|s| !s.is_empty())
            .map(str::to_owned),
        text: html_to_text(o["content"].as_str().unwrap_or("")),
        parent: o["inReplyTo"]
            .as_str()
            .filter(|p| !p.is_empty() && *p != id)
            .map(str::to_owned),
        mentions,
        metrics: None,
    }))
}

#[cfg(test)]
mod tests {
    #[test]
    fn handles() {
        assert_eq!(
            super::handle("https://indieweb.social/users/dealingwith"),
            "@dealingwith@indieweb.social"
        );
        assert_eq!(super::handle("nonsense"), "nonsense");
    }
}
