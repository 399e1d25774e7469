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
            .filter(|p| p.file_name().is_some_and(|n| n == "outbox.json"))
            .collect())
    }

    fn read(&self, unit: &Path, sink: &mut dyn Sink) -> Result<(), ReadError> {
        read_outbox(unit, &mut crate::open(unit)?, sink)
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

/// `https://host/users/name` → `@name@host`.
fn handle(actor: &str) -> String {
    let rest = actor.split("://").nth(1).unwrap_or(actor);
    let host = rest.split('/').next().unwrap_or("");
    let name = rest.rsplit('/').next().unwrap_or(rest);
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
