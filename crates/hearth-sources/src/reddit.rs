//! `reddit`: Pushshift-style dumps of comments and submissions, one JSON object a line,
//! plain (`.ndjson`, `.jsonl`, `.json`) or compressed with zstd (`.zst`, as the monthly
//! `RC_YYYY-MM.zst` / `RS_YYYY-MM.zst` archives are: long-window frames are accepted).
//!
//! **Format.** A comment has `id`, `author`, `body`, `created_utc` (seconds, a number or a
//! string), `subreddit`, `link_id` (`t3_…`), `parent_id` (`t1_…` for a comment, `t3_…` for
//! the submission) and `distinguished` (`moderator`, `admin` or null); a submission has
//! `id`, `author`, `title`, `selftext`, `created_utc`, `subreddit`, `distinguished`.
//!
//! **Mapping to the model.** ids are Reddit's fullnames (`t1_<id>` comments, `t3_<id>`
//! submissions), so comments and submissions from different files link up; parent:
//! `parent_id`; space: `r/<subreddit>`; author: the username, lower-cased (named as written),
//! also its `username`; flags: `distinguished` `moderator` or `admin`, and `bot` for
//! `AutoModerator`; mentions: `u/name` and `/u/name` in the text; text: `body`, or a
//! submission's `selftext`; subject: `title`.
//!
//! **Skipped, with a diagnostic (line and byte offset of the line):** a line that is not a
//! JSON object; a record without `id` or `created_utc`; a deleted author (`[deleted]`): the
//! message is real but nobody can be named for it, so it is counted, not invented.
//!
//! **Checked against:** a hand-written fixture that follows the Pushshift field names and
//! value shapes (`fixtures/reddit/`); no Reddit data is in `shared/data`.
//!
//! **Known gaps:** edits, scores and awards are not read.

use crate::{MIN_TIME, ReadError, Reader, Severity, Sink, SkipReason};
use hearth_model::{RawAccount, RawMessage};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

/// Reads Pushshift-style NDJSON, plain or zstd-compressed.
#[derive(Debug, Clone, Copy, Default)]
pub struct RedditReader;

impl Reader for RedditReader {
    fn id(&self) -> &'static str {
        "reddit"
    }

    fn units(&self, paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
        crate::expand_paths(paths, &["ndjson", "jsonl", "json", "zst"])
    }

    fn read(&self, unit: &Path, sink: &mut dyn Sink) -> Result<(), ReadError> {
        let file = crate::open(unit)?;
        if unit.extension().is_some_and(|e| e == "zst") {
            let mut decoder = zstd::Decoder::with_buffer(file).map_err(|source| ReadError::Io {
                path: unit.to_path_buf(),
                source,
            })?;
            // Pushshift archives are written with --long=31.
            decoder.window_log_max(31).map_err(|source| ReadError::Io {
                path: unit.to_path_buf(),
                source,
            })?;
            // Decompressed as it is read, never more than the file limit.
            let limit = crate::limits::max_file();
            let mut input =
                BufReader::with_capacity(1 << 16, crate::limits::Capped::new(decoder, limit));
            read_lines(unit, &mut input, sink)?;
            if let Some(d) = input.get_ref().cut_diagnostic(unit) {
                sink.diagnostic(d);
            }
            Ok(())
        } else {
            let mut file = file;
            read_lines(unit, &mut file, sink)
        }
    }
}

/// Reads NDJSON lines from `input` (`path` names it; offsets are in the decompressed text).
pub fn read_lines(
    path: &Path,
    input: &mut dyn BufRead,
    sink: &mut dyn Sink,
) -> Result<(), ReadError> {
    crate::jsonlines::for_each_object(path, input, sink, &mut |place, record, sink| match message(
        &record,
    ) {
        Ok(m) => sink.message(m).map_err(|source| ReadError::Sink {
            path: path.to_path_buf(),
            source,
        }),
        Err((reason, detail)) => {
            sink.diagnostic(place.diagnostic(path, Severity::Skipped, reason, detail));
            Ok(())
        }
    })
}

type Skip = (SkipReason, String);

fn message(r: &Value) -> Result<RawMessage, Skip> {
    let id = r["id"]
        .as_str()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| (SkipReason::NotARecord, "expected an id".to_owned()))?;
    let is_comment = r.get("body").is_some() || r.get("parent_id").is_some();
    let fullname = if is_comment {
        format!("t1_{id}")
    } else {
        format!("t3_{id}")
    };
    let time = match &r["created_utc"] {
        Value::Number(n) => n.as_f64().map(|f| f as i64),
        Value::String(s) => s.trim().parse::<f64>().ok().map(|f| f as i64),
        _ => None,
    }
    .filter(|t| *t >= MIN_TIME)
    .ok_or_else(|| {
        (
            SkipReason::MissingTime,
            format!("expected created_utc (seconds) on {fullname}"),
        )
    })?;
    let author = r["author"]
        .as_str()
        .filter(|a| !a.is_empty() && *a != "[deleted]")
        .ok_or_else(|| {
            (
                SkipReason::MissingAuthor,
                format!("{fullname} has no author (deleted account)"),
            )
        })?;
    let mut flags = Vec::new();
    match r["distinguished"].as_str() {
        Some("moderator") => flags.push("moderator".to_owned()),
        Some("admin") => flags.push("admin".to_owned()),
        _ => {}
    }
    if author == "AutoModerator" {
        flags.push("bot".to_owned());
    }
    let text = if is_comment {
        r["body"].as_str().unwrap_or("")
    } else {
        r["selftext"].as_str().unwrap_or("")
    };
    let login = author.to_lowercase();
    let mentions = user_mentions(text)
        .into_iter()
        .filter(|m| *m != login)
        .collect();
    let subreddit = r["subreddit"].as_str().unwrap_or("reddit");
    Ok(RawMessage {
        native_id: fullname,
        space: format!("r/{}", subreddit.to_lowercase()),
        space_name: format!("r/{subreddit}"),
        author: RawAccount {
            native_id: login.clone(),
            display_name: Some(author.to_owned()),
            email: None,
            username: Some(login),
            flags,
        },
        time,
        subject: (!is_comment)
            .then(|| r["title"].as_str().map(str::to_owned))
            .flatten(),
        text: text.to_owned(),
        parent: is_comment
            .then(|| r["parent_id"].as_str().map(str::to_owned))
            .flatten(),
        mentions,
        metrics: None,
    })
}

/// `u/name` and `/u/name` (Reddit usernames: letters, digits, `_`, `-`), lower-cased, once each.
fn user_mentions(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    for (i, _) in text.match_indices("u/") {
        let ok = i == 0
            || matches!(b[i - 1], b'/' | b' ' | b'\n' | b'(' | b'\t')
                && (b[i - 1] != b'/' || i < 2 || !b[i - 2].is_ascii_alphanumeric());
        if !ok {
            continue;
        }
        let name: String = text[i + 2..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
            .collect();
        let name = name.to_lowercase();
        if name.len() >= 3 && !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::user_mentions;

    #[test]
    fn mentions() {
        assert_eq!(
            user_mentions("thanks u/Spez and /u/rust_fan, not menu/xyz or https://x.y/u/abc"),
            vec!["spez", "rust_fan"]
        );
    }
}
