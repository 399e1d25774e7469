//! `slack`: a Slack workspace, as the standard export or as raw real-time events.
//!
//! **Formats.** A unit is a folder of either kind:
//! - *standard export* (Workspace settings → Import/Export), the `.zip` as delivered or
//!   unzipped: `users.json` (members
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
//! **Known gaps:** edits (`message_changed`) are not
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

    fn chat(&self) -> bool {
        true
    }

    fn units(&self, paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
        let mut units = Vec::new();
        let mut visited = crate::paths::Visited::default();
        for p in paths {
            find_units(p, &mut units, &mut visited)?;
        }
        units.sort();
        units.dedup();
        Ok(units)
    }

    fn size(&self, unit: &Path) -> u64 {
        if is_zip(unit) {
            return std::fs::metadata(unit).map(|m| m.len()).unwrap_or(0);
        }
        Tree::folder_files(unit)
            .iter()
            .filter_map(|f| std::fs::metadata(unit.join(f)).ok())
            .map(|m| m.len())
            .sum()
    }

    fn read(&self, unit: &Path, sink: &mut dyn Sink) -> Result<(), ReadError> {
        let Some(mut tree) = Tree::open(unit, sink)? else {
            return Ok(());
        };
        let mut ws = Workspace::load(&mut tree, sink)?;
        let mut done = 0u64;
        for rel in tree.files() {
            let path = unit.join(&rel);
            let parts: Vec<&str> = rel.split('/').collect();
            let ext = rel.rsplit('.').next().unwrap_or("");
            match parts.as_slice() {
                ["logs", _] if matches!(ext, "txt" | "jsonl" | "json" | "ndjson") => {
                    tree.stream(&rel, sink, &mut |input, sink| {
                        ws.event_lines(&path, input, sink)
                    })?;
                }
                // A channel's day; channel folders one level deeper (an export kept inside
                // a folder of folders) are read too, named by their own folder.
                [channel, _] | [_, channel, _] if ext == "json" && *channel != "logs" => {
                    let channel = (*channel).to_owned();
                    tree.stream(&rel, sink, &mut |input, sink| {
                        ws.day(&path, &channel, input, sink)
                    })?;
                }
                [_] => continue,
                _ => {
                    sink.diagnostic(Diagnostic {
                        file: path.clone(),
                        line: 1,
                        byte_offset: 0,
                        severity: Severity::Note,
                        reason: SkipReason::NotConversation,
                        detail: "not read: a Slack export has <channel>/<day>.json and logs/<file>"
                            .to_owned(),
                    });
                    continue;
                }
            }
            done += tree.size_of(&rel);
            sink.progress(done);
        }
        Ok(())
    }
}

fn is_zip(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
}

fn is_unit(dir: &Path) -> bool {
    dir.join("users.json").is_file()
        || dir.join("channels.json").is_file()
        || dir.join("users.edn").is_file()
        || dir.join("logs").is_dir()
}

fn find_units(
    path: &Path,
    out: &mut Vec<PathBuf>,
    visited: &mut crate::paths::Visited,
) -> std::io::Result<()> {
    let meta = std::fs::metadata(path)
        .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
    if !meta.is_dir() {
        if is_zip(path) {
            out.push(path.to_path_buf());
            return Ok(());
        }
        return Err(std::io::Error::other(format!(
            "{}: expected a Slack export (a folder or its .zip) or an event-log folder",
            path.display()
        )));
    }
    visited.first(&meta);
    if is_unit(path) {
        out.push(path.to_path_buf());
        return Ok(());
    }
    for p in crate::paths::sorted_entries(path) {
        let hidden = p
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        match crate::paths::entry(p, visited) {
            crate::paths::Entry::Dir(d) => find_units(&d, out, visited)?,
            crate::paths::Entry::File(f) if is_zip(&f) => out.push(f),
            _ => {}
        }
    }
    Ok(())
}

/// What reads one file of a unit, given as a stream.
type StreamFn<'a> = dyn FnMut(&mut dyn BufRead, &mut dyn Sink) -> Result<(), ReadError> + 'a;

/// A unit's files: a folder on disk, or a zip archive (an export as Slack delivers it).
/// Names are relative, `/`-separated; a zip's single top folder, if any, is dropped.
enum Tree {
    Folder(PathBuf),
    Zip {
        path: PathBuf,
        archive: zip::ZipArchive<std::io::BufReader<std::fs::File>>,
        prefix: String,
        /// Entry names as stored (with the prefix).
        names: Vec<String>,
    },
}

impl Tree {
    /// `None` (with a diagnostic) when a zip cannot be opened as one.
    fn open(unit: &Path, sink: &mut dyn Sink) -> Result<Option<Tree>, ReadError> {
        if !is_zip(unit) {
            return Ok(Some(Tree::Folder(unit.to_path_buf())));
        }
        let file = crate::open(unit)?;
        let archive = match zip::ZipArchive::new(file) {
            Ok(a) => a,
            Err(e) => {
                sink.diagnostic(Diagnostic {
                    file: unit.to_path_buf(),
                    line: 1,
                    byte_offset: 0,
                    severity: Severity::Skipped,
                    reason: SkipReason::NotARecord,
                    detail: format!("expected a zip archive of a Slack export: {e}"),
                });
                return Ok(None);
            }
        };
        let names: Vec<String> = archive
            .file_names()
            .filter_map(|n| n.ok().map(|n| n.into_owned()))
            .collect();
        let prefix = match names.first().and_then(|n| n.split_once('/')) {
            Some((top, _))
                if names
                    .iter()
                    .all(|n| n.starts_with(&format!("{top}/")) || n == top) =>
            {
                format!("{top}/")
            }
            _ => String::new(),
        };
        Ok(Some(Tree::Zip {
            path: unit.to_path_buf(),
            archive,
            prefix,
            names,
        }))
    }

    /// Relative names of the files of a folder unit: its own files, `logs/*`, `<channel>/*`.
    fn folder_files(dir: &Path) -> Vec<String> {
        let mut visited = crate::paths::Visited::default();
        if let Ok(meta) = std::fs::metadata(dir) {
            visited.first(&meta);
        }
        let mut out = Vec::new();
        Tree::collect(dir, "", 0, &mut visited, &mut out);
        out
    }

    /// Files under `dir` as `rel` names, down to two folders deep (`<channel>/<day>.json`,
    /// and channel folders kept one level deeper); each real folder once.
    fn collect(
        dir: &Path,
        rel: &str,
        depth: usize,
        visited: &mut crate::paths::Visited,
        out: &mut Vec<String>,
    ) {
        for p in crate::paths::sorted_entries(dir) {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if name.starts_with('.') {
                continue;
            }
            let here = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            match crate::paths::entry(p, visited) {
                crate::paths::Entry::Dir(d) if depth < 2 => {
                    Tree::collect(&d, &here, depth + 1, visited, out);
                }
                crate::paths::Entry::Dir(d) => {
                    tracing::warn!(
                        "{}: not read: Slack channel folders are at most two levels down",
                        d.display()
                    );
                }
                crate::paths::Entry::File(_) => out.push(here),
                crate::paths::Entry::Skip => {}
            }
        }
    }

    /// Every file: event logs first, then the rest, each in name order.
    fn files(&self) -> Vec<String> {
        let mut names = match self {
            Tree::Folder(dir) => Tree::folder_files(dir),
            Tree::Zip { prefix, names, .. } => names
                .iter()
                .filter(|n| !n.ends_with('/'))
                .map(|n| n.strip_prefix(prefix.as_str()).unwrap_or(n).to_owned())
                .collect(),
        };
        names.sort_by(|a, b| {
            (!a.starts_with("logs/"), a.as_str()).cmp(&(!b.starts_with("logs/"), b.as_str()))
        });
        names
    }

    fn exists(&self, rel: &str) -> bool {
        match self {
            Tree::Folder(dir) => dir.join(rel).is_file(),
            Tree::Zip { prefix, names, .. } => names.contains(&format!("{prefix}{rel}")),
        }
    }

    /// One file, read whole: `None` (with a diagnostic) when it is larger than the record
    /// limit (only the small EDN metadata files are read this way).
    fn read(&mut self, rel: &str, sink: &mut dyn Sink) -> Result<Option<Vec<u8>>, ReadError> {
        let max = crate::limits::max_record();
        let mut bytes = Vec::new();
        let mut over = false;
        self.stream(rel, sink, &mut |input, _| {
            let mut capped = crate::limits::Capped::new(input, max as u64);
            std::io::Read::read_to_end(&mut capped, &mut bytes).map_err(|source| {
                ReadError::Io {
                    path: PathBuf::from(rel),
                    source,
                }
            })?;
            over = capped.cut;
            Ok(())
        })?;
        if over {
            sink.diagnostic(Diagnostic {
                file: PathBuf::from(rel),
                line: 1,
                byte_offset: 0,
                severity: Severity::Skipped,
                reason: SkipReason::NotARecord,
                detail: format!(
                    "larger than the record limit of {max} bytes (HEARTH_MAX_RECORD_BYTES); {ROLES_UNKNOWN}"
                ),
            });
            return Ok(None);
        }
        Ok(Some(bytes))
    }

    /// Hands one file to `f` as a buffered stream: from disk, or decompressed from the zip
    /// entry as it is read (never more than the file limit: past it the rest is skipped
    /// with a diagnostic, so a small zip of a huge entry costs bounded time and memory).
    fn stream(
        &mut self,
        rel: &str,
        sink: &mut dyn Sink,
        f: &mut StreamFn<'_>,
    ) -> Result<(), ReadError> {
        match self {
            Tree::Folder(dir) => {
                let path = dir.join(rel);
                let mut input = crate::open(&path)?;
                f(&mut input, sink)
            }
            Tree::Zip {
                path,
                archive,
                prefix,
                ..
            } => {
                let io = |e: std::io::Error| ReadError::Io {
                    path: path.join(rel),
                    source: e,
                };
                let entry = archive
                    .by_name(&format!("{prefix}{rel}"))
                    .map_err(|e| io(std::io::Error::other(e.to_string())))?;
                let limit = crate::limits::max_file();
                let mut input = std::io::BufReader::with_capacity(
                    1 << 16,
                    crate::limits::Capped::new(entry, limit),
                );
                f(&mut input, sink)?;
                if let Some(d) = input.get_ref().cut_diagnostic(&path.join(rel)) {
                    sink.diagnostic(d);
                }
                Ok(())
            }
        }
    }

    fn size_of(&mut self, rel: &str) -> u64 {
        match self {
            Tree::Folder(dir) => std::fs::metadata(dir.join(rel))
                .map(|m| m.len())
                .unwrap_or(0),
            Tree::Zip {
                archive, prefix, ..
            } => archive
                .by_name(&format!("{prefix}{rel}"))
                .map(|e| e.compressed_size())
                .unwrap_or(0),
        }
    }
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

/// What a broken users or channels file costs.
const ROLES_UNKNOWN: &str = "names and roles from this file are unknown";

/// The subtypes that are someone saying something.
const CONVERSATION: &[&str] = &[
    "me_message",
    "file_share",
    "thread_broadcast",
    "bot_message",
];

impl Workspace {
    fn load(tree: &mut Tree, sink: &mut dyn Sink) -> Result<Self, ReadError> {
        let mut ws = Workspace {
            users: HashMap::new(),
            names: HashMap::new(),
            ids: HashMap::new(),
        };
        let unit = match tree {
            Tree::Folder(p) => p.clone(),
            Tree::Zip { path, .. } => path.clone(),
        };
        let read = |tree: &mut Tree,
                    rel: &str,
                    sink: &mut dyn Sink|
         -> Result<Option<String>, ReadError> {
            if !tree.exists(rel) {
                return Ok(None);
            }
            Ok(tree
                .read(rel, sink)?
                .map(|bytes| String::from_utf8_lossy(&bytes).into_owned()))
        };
        let users_json = unit.join("users.json");
        for u in json_list(tree, "users.json", &users_json, sink, ROLES_UNKNOWN)? {
            {
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
        if let Some(text) = read(tree, "users.edn", sink)? {
            for m in crate::edn::maps(&text) {
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
        for c in json_list(tree, "channels.json", &channels_json, sink, ROLES_UNKNOWN)? {
            {
                if let (Some(id), Some(name)) = (c["id"].as_str(), c["name"].as_str()) {
                    ws.names.insert(id.to_owned(), name.to_owned());
                    ws.ids.insert(name.to_owned(), id.to_owned());
                }
            }
        }
        if let Some(text) = read(tree, "channels.edn", sink)? {
            for m in crate::edn::maps(&text) {
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
    fn day(
        &mut self,
        path: &Path,
        folder: &str,
        input: &mut dyn BufRead,
        sink: &mut dyn Sink,
    ) -> Result<(), ReadError> {
        let channel = self
            .ids
            .get(folder)
            .cloned()
            .unwrap_or_else(|| folder.to_owned());
        if !self.names.contains_key(&channel) {
            self.names.insert(channel.clone(), folder.to_owned());
        }
        // Message by message, each with its place; the day is never held whole.
        crate::jsonstream::read_records(
            path,
            input,
            sink,
            &[&[]],
            "a JSON array of a day's messages",
            &mut |_, which, m, place, sink| {
                if which == usize::MAX {
                    sink.diagnostic(place.diagnostic(
                        path,
                        Severity::Skipped,
                        SkipReason::NotARecord,
                        "expected a JSON array of a day's messages; the day was skipped".to_owned(),
                    ));
                    return Ok(());
                }
                self.message(path, (place.offset, place.line), &m, &channel, sink)
            },
        )?;
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
            metrics: None,
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

/// The elements of a JSON array file (`users.json`, `channels.json`, a day of a channel); a
/// file that is not one is reported, with `consequence` saying what is lost, and yields nothing.
/// The elements of a metadata file's top-level array (`users.json`, `channels.json`),
/// streamed; none when the file is missing. Broken ones are reported with `consequence`.
fn json_list(
    tree: &mut Tree,
    rel: &str,
    path: &Path,
    sink: &mut dyn Sink,
    consequence: &str,
) -> Result<Vec<Value>, ReadError> {
    let mut out = Vec::new();
    if !tree.exists(rel) {
        return Ok(out);
    }
    tree.stream(rel, sink, &mut |input, sink| {
        crate::jsonstream::read_records(
            path,
            input,
            sink,
            &[&[]],
            &format!("a JSON array ({consequence})"),
            &mut |_, which, v, place, sink| {
                if which == usize::MAX {
                    sink.diagnostic(place.diagnostic(
                        path,
                        Severity::Skipped,
                        SkipReason::NotARecord,
                        format!("expected a JSON array: not an array; {consequence}"),
                    ));
                } else {
                    out.push(v);
                }
                Ok(())
            },
        )
        .map(|_| ())
    })?;
    Ok(out)
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
