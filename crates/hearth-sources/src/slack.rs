//! `slack`: a Slack workspace, as the standard export or as raw real-time events.
//!
//! **Formats.** A unit is a folder of either kind:
//! - *standard export* (Workspace settings → Import/Export, unzipped): `users.json` (members
//!   with `id`, `name`, `real_name`, `is_admin`, `is_owner`, `is_bot`, `profile.email`),
//!   `channels.json` (`id`, `name`), and one folder per channel *name* holding one JSON array
//!   of messages per day (`YYYY-MM-DD.json`);
//! - *raw events* (as logged by archivers such as clojurians-log): `logs/*.txt` (or `.jsonl`),
//!   one event object a line, each naming its channel *id*, with `users.edn` / `channels.edn`
//!   (EDN maps with `:user/slack-id`, `:user/name`, `:user/real-name`, `:user/admin?`,
//!   `:user/owner?`, `:user-profile/email`; `:channel/slack-id`, `:channel/name`) or the
//!   export's `users.json` / `channels.json` beside them.
//!
//! **Mapping to the model.** A message is an event of `type` `message` with no `subtype`, or
//! with `me_message`, `file_share`, `thread_broadcast` or `bot_message`; other subtypes (joins,
//! leaves, topics, edits, deletions, thread-reply notices) are passed over with a
//! `not_conversation` note.
//! - id: `<channel id>/<ts>`; time: `ts` (seconds, fraction dropped);
//! - space: the channel (`#name`);
//! - parent: `thread_ts` when it differs from `ts` — a thread reply answers the thread's
//!   first message (Slack threads are flat);
//! - author: `user` (the member id `U…`), else `bot_id` (`B…`, flagged `bot`); names and flags
//!   (`admin`, `owner`, `bot`) from the users file;
//! - mentions: `<@U…>` and `<@U…|name>` in the text;
//! - text: `text` with Slack's `&lt;`, `&gt;`, `&amp;` decoded.
//!
//! **Skipped, with a diagnostic:** a line or day file that is not valid JSON (line and byte
//! offset of the error), a message without `ts` or author (event lines give their line; a
//! message inside a day file is reported at the day file's start).
//!
//! **Checked against:** `shared/data/slack/clojurians-log-demo` (9 days of raw events, 82
//! channels) and `shared/data/slack/houstondatavis-export` (standard export, 16 channels).
//!
//! **Known gaps:** zipped exports must be unzipped first; edits (`message_changed`) are not
//! applied to the stored text; direct messages and private channels are read only if the
//! export holds them; ids are not prefixed by workspace (two workspaces in one store share the
//! `slack` source).

use crate::{Diagnostic, MIN_TIME, ReadError, Reader, Severity, Sink, SkipReason};
use hearth_model::{RawAccount, RawMessage};
use serde_json::Value;
use std::collections::HashMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// Reads Slack exports and event logs.
#[derive(Debug, Clone, Copy, Default)]
pub struct SlackReader;

impl Reader for SlackReader {
    fn id(&self) -> &'static str {
        "slack"
    }

    fn units(&self, paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
        let mut units = Vec::new();
        for p in paths {
            find_units(p, &mut units)?;
        }
        units.sort();
        units.dedup();
        Ok(units)
    }

    fn size(&self, unit: &Path) -> u64 {
        files_of(unit)
            .iter()
            .filter_map(|f| std::fs::metadata(&f.0).ok())
            .map(|m| m.len())
            .sum()
    }

    fn read(&self, unit: &Path, sink: &mut dyn Sink) -> Result<(), ReadError> {
        let mut ws = Workspace::load(unit, sink)?;
        let mut done = 0u64;
        for (file, kind) in files_of(unit) {
            let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
            match kind {
                FileKind::Events => ws.events(&file, sink)?,
                FileKind::Day(channel) => ws.day(&file, &channel, sink)?,
            }
            done += size;
            sink.progress(done);
        }
        Ok(())
    }
}

fn is_unit(dir: &Path) -> bool {
    dir.join("users.json").is_file()
        || dir.join("channels.json").is_file()
        || dir.join("users.edn").is_file()
        || dir.join("logs").is_dir()
}

fn find_units(path: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let meta = std::fs::metadata(path)
        .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
    if !meta.is_dir() {
        return Err(std::io::Error::other(format!(
            "{}: expected a Slack export or event-log folder (unzip an export first)",
            path.display()
        )));
    }
    if is_unit(path) {
        out.push(path.to_path_buf());
        return Ok(());
    }
    for entry in std::fs::read_dir(path)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() && !entry.file_name().to_string_lossy().starts_with('.') {
            find_units(&entry.path(), out)?;
        }
    }
    Ok(())
}

enum FileKind {
    /// One event object a line.
    Events,
    /// One day of one channel (the channel's folder name).
    Day(String),
}

/// The files of a unit, in the order they are read.
fn files_of(unit: &Path) -> Vec<(PathBuf, FileKind)> {
    let mut out = Vec::new();
    let list = |dir: &Path| -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
            .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        v.sort();
        v
    };
    let logs = unit.join("logs");
    if logs.is_dir() {
        for f in list(&logs) {
            let ext = f.extension().and_then(|e| e.to_str()).unwrap_or("");
            if f.is_file() && matches!(ext, "txt" | "jsonl" | "json" | "ndjson") {
                out.push((f, FileKind::Events));
            }
        }
    }
    for dir in list(unit) {
        if !dir.is_dir() || dir == logs {
            continue;
        }
        let channel = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for f in list(&dir) {
            if f.extension().is_some_and(|e| e == "json") {
                out.push((f, FileKind::Day(channel.clone())));
            }
        }
    }
    out
}

#[derive(Debug, Default, Clone)]
struct User {
    name: Option<String>,
    username: Option<String>,
    email: Option<String>,
    flags: Vec<String>,
}

/// What is known about a workspace while its messages are read.
struct Workspace {
    users: HashMap<String, User>,
    /// Channel name by id, and id by name.
    names: HashMap<String, String>,
    ids: HashMap<String, String>,
}

/// The subtypes that are someone saying something.
const CONVERSATION: &[&str] = &[
    "me_message",
    "file_share",
    "thread_broadcast",
    "bot_message",
];

impl Workspace {
    fn load(unit: &Path, sink: &mut dyn Sink) -> Result<Self, ReadError> {
        let mut ws = Workspace {
            users: HashMap::new(),
            names: HashMap::new(),
            ids: HashMap::new(),
        };
        let read = |p: &Path| {
            std::fs::read_to_string(p).map_err(|source| ReadError::Io {
                path: p.to_path_buf(),
                source,
            })
        };
        let users_json = unit.join("users.json");
        if users_json.is_file() {
            for u in json_list(&users_json, &read(&users_json)?, sink) {
                let Some(id) = u["id"].as_str() else { continue };
                let mut flags = Vec::new();
                for (key, flag) in [
                    ("is_admin", "admin"),
                    ("is_owner", "owner"),
                    ("is_bot", "bot"),
                ] {
                    if u[key].as_bool() == Some(true) {
                        flags.push(flag.to_owned());
                    }
                }
                let name = [&u["real_name"], &u["profile"]["real_name"], &u["name"]]
                    .iter()
                    .filter_map(|v| v.as_str())
                    .find(|s| !s.trim().is_empty())
                    .map(str::to_owned);
                let email = u["profile"]["email"].as_str().map(str::to_owned);
                let username = u["name"].as_str().map(str::to_lowercase);
                ws.users.insert(
                    id.to_owned(),
                    User {
                        name,
                        username,
                        email,
                        flags,
                    },
                );
            }
        }
        let users_edn = unit.join("users.edn");
        if users_edn.is_file() {
            for m in crate::edn::maps(&read(&users_edn)?) {
                let Some(id) = m.get("user/slack-id").and_then(|v| v.as_str()) else {
                    continue;
                };
                let mut flags = Vec::new();
                if m.get("user/admin?").and_then(|v| v.as_bool()) == Some(true) {
                    flags.push("admin".to_owned());
                }
                if m.get("user/owner?").and_then(|v| v.as_bool()) == Some(true) {
                    flags.push("owner".to_owned());
                }
                let name = ["user/real-name", "user-profile/real-name", "user/name"]
                    .iter()
                    .filter_map(|k| m.get(*k).and_then(|v| v.as_str()))
                    .find(|s| !s.trim().is_empty())
                    .map(str::to_owned);
                let email = m
                    .get("user-profile/email")
                    .and_then(|v| v.as_str())
                    .map(str::to_owned);
                let username = m
                    .get("user/name")
                    .and_then(|v| v.as_str())
                    .map(str::to_lowercase);
                ws.users.insert(
                    id.to_owned(),
                    User {
                        name,
                        username,
                        email,
                        flags,
                    },
                );
            }
        }
        let channels_json = unit.join("channels.json");
        if channels_json.is_file() {
            for c in json_list(&channels_json, &read(&channels_json)?, sink) {
                if let (Some(id), Some(name)) = (c["id"].as_str(), c["name"].as_str()) {
                    ws.names.insert(id.to_owned(), name.to_owned());
                    ws.ids.insert(name.to_owned(), id.to_owned());
                }
            }
        }
        let channels_edn = unit.join("channels.edn");
        if channels_edn.is_file() {
            for m in crate::edn::maps(&read(&channels_edn)?) {
                if let (Some(id), Some(name)) = (
                    m.get("channel/slack-id").and_then(|v| v.as_str()),
                    m.get("channel/name").and_then(|v| v.as_str()),
                ) {
                    ws.names.insert(id.to_owned(), name.to_owned());
                    ws.ids.insert(name.to_owned(), id.to_owned());
                }
            }
        }
        Ok(ws)
    }

    /// Event lines: one JSON object a line.
    fn events(&mut self, path: &Path, sink: &mut dyn Sink) -> Result<(), ReadError> {
        self.event_lines(path, &mut crate::open(path)?, sink)
    }

    fn event_lines(
        &mut self,
        path: &Path,
        input: &mut dyn BufRead,
        sink: &mut dyn Sink,
    ) -> Result<(), ReadError> {
        crate::jsonlines::for_each_object(path, input, sink, &mut |place, event, sink| {
            let channel = event["channel"].as_str().unwrap_or("").to_owned();
            self.message(path, (place.offset, place.line), &event, &channel, sink)
        })
    }

    /// One day of one channel of the standard export: a JSON array of messages.
    fn day(&mut self, path: &Path, folder: &str, sink: &mut dyn Sink) -> Result<(), ReadError> {
        let bytes = std::fs::read(path).map_err(|source| ReadError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let channel = self
            .ids
            .get(folder)
            .cloned()
            .unwrap_or_else(|| folder.to_owned());
        if !self.names.contains_key(&channel) {
            self.names.insert(channel.clone(), folder.to_owned());
        }
        let list = match serde_json::from_slice::<Value>(&bytes) {
            Ok(Value::Array(list)) => list,
            Ok(_) => {
                sink.diagnostic(Diagnostic {
                    file: path.to_path_buf(),
                    line: 1,
                    byte_offset: 0,
                    severity: Severity::Skipped,
                    reason: SkipReason::NotARecord,
                    detail: "expected a JSON array of messages".to_owned(),
                });
                return Ok(());
            }
            Err(e) => {
                let offset = offset_of(&bytes, e.line(), e.column());
                sink.diagnostic(Diagnostic {
                    file: path.to_path_buf(),
                    line: e.line().max(1) as u64,
                    byte_offset: offset,
                    severity: Severity::Skipped,
                    reason: SkipReason::NotARecord,
                    detail: format!("expected a JSON array of messages; the day was skipped: {e}"),
                });
                return Ok(());
            }
        };
        // A parsed array element has no position of its own: its diagnostics name the file.
        for m in &list {
            self.message(path, (0, 1), m, &channel, sink)?;
        }
        Ok(())
    }

    fn message(
        &mut self,
        path: &Path,
        (offset, line): (u64, u64),
        m: &Value,
        channel: &str,
        sink: &mut dyn Sink,
    ) -> Result<(), ReadError> {
        let diag = |severity, reason, detail: String| Diagnostic {
            file: path.to_path_buf(),
            line,
            byte_offset: offset,
            severity,
            reason,
            detail,
        };
        if m["type"].as_str() != Some("message") {
            sink.diagnostic(diag(
                Severity::Note,
                SkipReason::NotConversation,
                format!("event of type {} is not a message", m["type"]),
            ));
            return Ok(());
        }
        let subtype = m["subtype"].as_str();
        if let Some(s) = subtype.filter(|s| !CONVERSATION.contains(s)) {
            sink.diagnostic(diag(
                Severity::Note,
                SkipReason::NotConversation,
                format!("message subtype {s} is not conversation"),
            ));
            return Ok(());
        }
        let Some(ts) = m["ts"].as_str() else {
            sink.diagnostic(diag(
                Severity::Skipped,
                SkipReason::NotARecord,
                "expected a message ts like \"1517436010.000936\"".to_owned(),
            ));
            return Ok(());
        };
        let Some(time) = parse_ts(ts).filter(|t| *t >= MIN_TIME) else {
            sink.diagnostic(diag(
                Severity::Skipped,
                SkipReason::MissingTime,
                format!("expected ts as seconds since 1970, found {ts:?}"),
            ));
            return Ok(());
        };
        if channel.is_empty() {
            sink.diagnostic(diag(
                Severity::Skipped,
                SkipReason::NotARecord,
                format!("message {ts} names no channel"),
            ));
            return Ok(());
        }
        let author = match (m["user"].as_str(), m["bot_id"].as_str()) {
            (Some(u), _) => {
                let known = self.users.get(u).cloned().unwrap_or_default();
                let mut flags = known.flags;
                if subtype == Some("bot_message") && !flags.iter().any(|f| f == "bot") {
                    flags.push("bot".to_owned());
                }
                RawAccount {
                    native_id: u.to_owned(),
                    display_name: known.name,
                    email: known.email,
                    username: known.username,
                    flags,
                }
            }
            (None, Some(b)) => RawAccount {
                native_id: b.to_owned(),
                display_name: m["username"].as_str().map(str::to_owned),
                email: None,
                username: None,
                flags: vec!["bot".to_owned()],
            },
            (None, None) => {
                sink.diagnostic(diag(
                    Severity::Skipped,
                    SkipReason::MissingAuthor,
                    format!("expected user or bot_id on message {ts}"),
                ));
                return Ok(());
            }
        };
        let text = m["text"].as_str().unwrap_or("");
        let parent = m["thread_ts"]
            .as_str()
            .filter(|t| *t != ts)
            .map(|t| format!("{channel}/{t}"));
        let mentions: Vec<String> = user_mentions(text)
            .into_iter()
            .filter(|u| *u != author.native_id)
            .collect();
        let name = self
            .names
            .get(channel)
            .cloned()
            .unwrap_or_else(|| channel.to_owned());
        let message = RawMessage {
            native_id: format!("{channel}/{ts}"),
            space: channel.to_owned(),
            space_name: format!("#{name}"),
            author,
            time,
            subject: None,
            text: unescape(text),
            parent,
            mentions,
        };
        sink.message(message).map_err(|source| ReadError::Sink {
            path: path.to_path_buf(),
            source,
        })
    }
}

/// Reads event lines from memory with no users or channels known (for tests and fuzzing).
#[doc(hidden)]
pub fn read_event_lines(
    path: &Path,
    input: &mut dyn BufRead,
    sink: &mut dyn Sink,
) -> Result<(), ReadError> {
    let mut ws = Workspace {
        users: HashMap::new(),
        names: HashMap::new(),
        ids: HashMap::new(),
    };
    ws.event_lines(path, input, sink)
}

/// The elements of a JSON array file (`users.json`, `channels.json`); a file that is not one
/// is reported (names and flags then stay unknown) and yields nothing.
fn json_list(path: &Path, text: &str, sink: &mut dyn Sink) -> Vec<Value> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(list)) => list,
        Ok(_) => {
            sink.diagnostic(Diagnostic {
                file: path.to_path_buf(),
                line: 1,
                byte_offset: 0,
                severity: Severity::Skipped,
                reason: SkipReason::NotARecord,
                detail: "expected a JSON array; names and roles from this file are unknown"
                    .to_owned(),
            });
            Vec::new()
        }
        Err(e) => {
            sink.diagnostic(Diagnostic {
                file: path.to_path_buf(),
                line: e.line().max(1) as u64,
                byte_offset: offset_of(text.as_bytes(), e.line(), e.column()),
                severity: Severity::Skipped,
                reason: SkipReason::NotARecord,
                detail: format!(
                    "expected a JSON array: {e}; names and roles from this file are unknown"
                ),
            });
            Vec::new()
        }
    }
}

/// Byte offset of a 1-based line and column (as `serde_json` reports errors).
pub(crate) fn offset_of(bytes: &[u8], line: usize, column: usize) -> u64 {
    let mut at = 0usize;
    for _ in 1..line.max(1) {
        match memchr::memchr(b'\n', &bytes[at..]) {
            Some(n) => at += n + 1,
            None => return bytes.len() as u64,
        }
    }
    (at + column.saturating_sub(1)).min(bytes.len()) as u64
}

/// `"1517436010.000936"` → 1517436010.
fn parse_ts(ts: &str) -> Option<i64> {
    ts.split('.').next()?.trim().parse().ok()
}

/// Member ids in `<@U…>` / `<@U…|name>` / `<@W…>`, each once, in order.
fn user_mentions(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("<@") {
        let tail = &rest[at + 2..];
        let end = tail.find(['>', '|']).unwrap_or(tail.len());
        let id = &tail[..end];
        if !id.is_empty()
            && id.len() <= 24
            && id.chars().all(|c| c.is_ascii_alphanumeric())
            && !out.iter().any(|x| x == id)
        {
            out.push(id.to_owned());
        }
        rest = tail;
    }
    out
}

fn unescape(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_and_ts() {
        assert_eq!(
            user_mentions("hi <@U061A3E0G|javier> and <@U02> and <@U02> <!here> <@bad id>"),
            vec!["U061A3E0G", "U02"]
        );
        assert_eq!(parse_ts("1517436010.000936"), Some(1_517_436_010));
        assert_eq!(parse_ts("x"), None);
        assert_eq!(unescape("a &lt;b&gt; &amp; c"), "a <b> & c");
        assert_eq!(offset_of(b"ab\ncd\nef", 3, 2), 7);
    }
}
