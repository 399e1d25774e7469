//! Hearth's generic record: what the `jsonl` and `csv` readers map, for any platform without
//! a reader of its own. The fields are documented in `docs/generic-format.md`.

use crate::text::parse_time;
use crate::{MIN_TIME, SkipReason};
use hearth_model::{RawAccount, RawMessage};

/// One record's fields as text (`mentions` already split).
#[derive(Debug, Default)]
pub struct Fields<'a> {
    pub id: Option<&'a str>,
    pub time: Option<&'a str>,
    pub author: Option<&'a str>,
    pub author_name: Option<&'a str>,
    pub author_email: Option<&'a str>,
    pub role: Option<&'a str>,
    pub space: Option<&'a str>,
    pub space_name: Option<&'a str>,
    pub parent: Option<&'a str>,
    pub subject: Option<&'a str>,
    pub text: Option<&'a str>,
    pub mentions: Vec<String>,
}

/// `2024-01-01T10:00:00Z` / `+01:00`, `2024-01-01 10:00:00` (UTC) or seconds since 1970.
pub fn parse_any_time(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(n) = s.parse::<f64>() {
        return Some(n as i64);
    }
    let normal = if s.len() > 10 && s.as_bytes()[10] == b' ' {
        format!("{}T{}", &s[..10], &s[11..])
    } else {
        s.to_owned()
    };
    parse_time(&normal)
}

fn nonempty(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|s| !s.is_empty())
}

/// The message a record describes, or why it cannot be one.
pub fn message(f: &Fields<'_>) -> Result<RawMessage, (SkipReason, String)> {
    let id = nonempty(f.id).ok_or((SkipReason::NotARecord, "expected an id".to_owned()))?;
    let time = nonempty(f.time)
        .and_then(parse_any_time)
        .filter(|t| *t >= MIN_TIME)
        .ok_or_else(|| {
            (
                SkipReason::MissingTime,
                format!("expected time as RFC 3339 or seconds since 1970 on {id}"),
            )
        })?;
    let author = nonempty(f.author).ok_or_else(|| {
        (
            SkipReason::MissingAuthor,
            format!("expected an author on {id}"),
        )
    })?;
    let flags = match nonempty(f.role).map(str::to_ascii_lowercase).as_deref() {
        Some("brand") => vec!["staff".to_owned()],
        Some("bot") => vec!["bot".to_owned()],
        Some("member") | None => Vec::new(),
        Some(other) => {
            return Err((
                SkipReason::NotARecord,
                format!("expected role brand, member or bot on {id}, found {other:?}"),
            ));
        }
    };
    let space = nonempty(f.space).unwrap_or("default");
    Ok(RawMessage {
        native_id: id.to_owned(),
        space: space.to_owned(),
        space_name: nonempty(f.space_name).unwrap_or(space).to_owned(),
        author: RawAccount {
            native_id: author.to_owned(),
            display_name: nonempty(f.author_name).map(str::to_owned),
            email: nonempty(f.author_email).map(str::to_owned),
            username: None,
            flags,
        },
        time,
        subject: nonempty(f.subject).map(str::to_owned),
        text: f.text.unwrap_or("").to_owned(),
        parent: nonempty(f.parent).filter(|p| *p != id).map(str::to_owned),
        mentions: f
            .mentions
            .iter()
            .filter(|m| !m.is_empty() && m.as_str() != author)
            .cloned()
            .collect(),
        metrics: None,
    })
}
