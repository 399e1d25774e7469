//! `discourse`: Discourse topics as the API serves them (`/t/{id}.json`), one topic a file,
//! and an admin's export of all posts (a Data Explorer result as CSV or JSON; the query is in
//! `docs/discourse-export.md`).
//!
//! **Format.** A topic object with `id`, `title`, `category_id` and `post_stream.posts[]`;
//! each post has `id`, `post_number`, `reply_to_post_number`, `post_type`, `created_at`
//! (`2019-07-26T19:00:21.439Z`), `username`, `name`, `cooked` (HTML) and the author's flags
//! `admin`, `moderator`, `staff` (and `group_moderator` on newer forums). Files and folders
//! are accepted; JSON files without a `post_stream` (topic and tag lists) are passed over
//! with a note. The admin export is a table, one row a post with the topic's `topic_id`,
//! `title` and `category` repeated: a CSV with a header row, or the Data Explorer JSON
//! `{"columns": [...], "rows": [[...]]}`; each row is mapped exactly as a topic file's post.
//!
//! **Mapping to the model.**
//! - site: the host the file name starts with (`ask.cyberinfrastructure.org-q-a-post-…`),
//!   else the folder name; it prefixes every id, so several forums share one store;
//! - message id `<site>/t<topic>/p<post_number>`; a post is a reply to post
//!   `reply_to_post_number`, and a post without one (other than the first) answers the
//!   topic's first post;
//! - space: the category — its slug from the file name (`…-<category>-post-<id>-…`) when the
//!   name has that shape, else `category <id>`;
//! - author `<site>/<username>`, flags from the post (`admin`, `moderator`, `staff`,
//!   `group_moderator`): the store merges the flags an account shows on any post;
//! - mentions: `<a class="mention" href="/u/<username>">` in `cooked`;
//! - text: `cooked` as plain text; subject: the topic title on its first post;
//! - regular posts and whispers (`post_type` 1, 4) are messages; moderator actions and small
//!   actions ("closed this topic", types 2, 3) are passed over with a note.
//!
//! **Skipped, with a diagnostic:** a file that is not JSON (line and byte offset), a post
//! without `post_number`, `created_at` or `username`.
//!
//! **Checked against:** `shared/data/discourse/askci` (Ask.CI, 179 topic files, 2019), and
//! the same posts re-written as the admin export in CSV and JSON (the tests build them).
//!
//! **Known gaps:** a topic file holds at most the posts the API put in `post_stream.posts`
//! (a note says when `posts_count` is higher; the admin export has them all).

use crate::text::{html_to_text, parse_time};
use crate::{Diagnostic, MIN_TIME, ReadError, Reader, Severity, Sink, SkipReason};
use hearth_model::{RawAccount, RawMessage};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Reads Discourse topic JSON files.
#[derive(Debug, Clone, Copy, Default)]
pub struct DiscourseReader;

impl Reader for DiscourseReader {
    fn id(&self) -> &'static str {
        "discourse"
    }

    fn units(&self, paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
        crate::expand_paths(paths, &["json", "csv"]).map(|files| {
            files
                .into_iter()
                .filter(|f| f.extension().is_some_and(|e| e == "json" || e == "csv"))
                .collect()
        })
    }

    fn read(&self, unit: &Path, sink: &mut dyn Sink) -> Result<(), ReadError> {
        if unit.extension().is_some_and(|e| e == "csv") {
            read_table_csv(unit, &mut crate::open(unit)?, sink)?;
        } else {
            read_topic_from(unit, &mut || Ok(Box::new(crate::open(unit)?)), sink)?;
        }
        sink.progress(self.size(unit));
        Ok(())
    }
}

/// The site and category a topic file's name tells: `<host>-<category>-post-<id>-<date>.json`.
fn names_from_file(path: &Path) -> (String, Option<String>) {
    let file = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let folder = path
        .parent()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "discourse".to_owned());
    let Some((host, rest)) = file.split_once('-').filter(|(h, _)| h.contains('.')) else {
        return (folder, None);
    };
    let category = rest.find("-post-").map(|i| rest[..i].to_owned());
    (host.to_owned(), category.filter(|c| !c.is_empty()))
}

/// Reads one topic file's bytes (`path` names it in diagnostics).
pub fn read_topic(path: &Path, bytes: &[u8], sink: &mut dyn Sink) -> Result<(), ReadError> {
    read_topic_from(path, &mut || Ok(Box::new(bytes)), sink)
}

/// What a first pass over a topic file finds: its top-level fields (`id`, `title`,
/// `category_id`, `posts_count`, `columns`) and how many posts or rows it holds.
struct Outline {
    top: serde_json::Map<String, Value>,
    posts: u64,
    rows: u64,
}

/// A sink that keeps nothing: the first pass reports nothing (the second one does).
struct Quiet;

impl Sink for Quiet {
    fn message(&mut self, _: RawMessage) -> Result<(), crate::SinkError> {
        Ok(())
    }
    fn diagnostic(&mut self, _: Diagnostic) {}
}

/// Passes everything on, counting the diagnostics.
struct Counted<'s> {
    inner: &'s mut dyn Sink,
    seen: usize,
}

impl Sink for Counted<'_> {
    fn message(&mut self, m: RawMessage) -> Result<(), crate::SinkError> {
        self.inner.message(m)
    }
    fn diagnostic(&mut self, d: Diagnostic) {
        self.seen += 1;
        self.inner.diagnostic(d);
    }
}

const TOPIC_RECORDS: &[&[&str]] = &[&["post_stream", "posts"], &["rows"]];
const TOPIC: &str = "a Discourse topic (JSON)";

/// Reads a topic file post by post, in bounded memory: a first pass gathers the topic's own
/// fields (they follow `post_stream` in Discourse's JSON), a second streams the posts (or a
/// Data Explorer result's `rows`). `open` gives the file from its start each time.
pub fn read_topic_from<'a>(
    path: &Path,
    open: &mut dyn FnMut() -> Result<Box<dyn std::io::BufRead + 'a>, ReadError>,
    sink: &mut dyn Sink,
) -> Result<(), ReadError> {
    let diag = |line: u64, offset: u64, severity, reason, detail: String| Diagnostic {
        file: path.to_path_buf(),
        line,
        byte_offset: offset,
        severity,
        reason,
        detail,
    };
    let mut outline = Outline {
        top: serde_json::Map::new(),
        posts: 0,
        rows: 0,
    };
    {
        let mut first = open()?;
        let (mut posts, mut rows) = (0u64, 0u64);
        outline.top = crate::jsonstream::read_records(
            path,
            &mut first,
            &mut Quiet,
            TOPIC_RECORDS,
            TOPIC,
            &mut |_, which, _, _, _| {
                match which {
                    0 => posts += 1,
                    1 => rows += 1,
                    _ => {}
                }
                Ok(())
            },
        )?;
        outline.posts = posts;
        outline.rows = rows;
    }
    let top = &outline.top;
    if let Some(columns) = top.get("columns").and_then(Value::as_array) {
        let columns: Vec<String> = columns
            .iter()
            .map(|c| c.as_str().unwrap_or("").to_lowercase())
            .collect();
        let (site, _) = names_from_file(path);
        let mut n = 0usize;
        crate::jsonstream::read_records(
            path,
            &mut open()?,
            sink,
            TOPIC_RECORDS,
            TOPIC,
            &mut |_, which, r, place, sink| {
                if which != 1 {
                    return Ok(());
                }
                let cells = r.as_array().cloned().unwrap_or_default();
                let row = columns
                    .iter()
                    .cloned()
                    .zip(cells)
                    .collect::<serde_json::Map<String, Value>>();
                n += 1;
                table_row(path, &site, n, (place.line, place.offset), row, sink)
            },
        )?;
        return Ok(());
    }
    if outline.posts == 0 && outline.rows == 0 {
        // A second pass that reports: a file that is not JSON says so (once) and nothing
        // more; a JSON file without posts is noted as not a topic file.
        let mut counted = Counted {
            inner: sink,
            seen: 0,
        };
        crate::jsonstream::read_records(
            path,
            &mut open()?,
            &mut counted,
            TOPIC_RECORDS,
            TOPIC,
            &mut |_, _, _, _, _| Ok(()),
        )?;
        if counted.seen == 0 {
            sink.diagnostic(diag(
                1,
                0,
                Severity::Note,
                SkipReason::NotConversation,
                "no post_stream.posts: not a topic file (a topic or tag list?)".to_owned(),
            ));
        }
        return Ok(());
    }
    let (site, category_slug) = names_from_file(path);
    let mut first_topic_id: Option<i64> = None;
    let topic_id_field = top.get("id").and_then(Value::as_i64);
    let (space, space_name) = match (
        &category_slug,
        top.get("category_id").and_then(Value::as_i64),
    ) {
        (Some(slug), _) => (format!("{site}/{slug}"), format!("{site} {slug}")),
        (None, Some(c)) => (format!("{site}/c{c}"), format!("{site} category {c}")),
        (None, None) => (site.clone(), site.clone()),
    };
    if let Some(count) = top.get("posts_count").and_then(Value::as_u64)
        && count > outline.posts
    {
        sink.diagnostic(diag(
            1,
            0,
            Severity::Note,
            SkipReason::NotConversation,
            format!(
                "topic {} has {count} posts; this file holds {} of them",
                topic_id_field.unwrap_or(0),
                outline.posts
            ),
        ));
    }
    let title = top.get("title").and_then(Value::as_str);
    crate::jsonstream::read_records(
        path,
        &mut open()?,
        sink,
        TOPIC_RECORDS,
        TOPIC,
        &mut |_, which, post, place, sink| {
            if which != 0 {
                return Ok(());
            }
            let topic_id = *first_topic_id.get_or_insert_with(|| {
                topic_id_field
                    .or_else(|| post["topic_id"].as_i64())
                    .unwrap_or(0)
            });
            let topic_info = TopicInfo {
                site: &site,
                topic_id,
                title,
                space: &space,
                space_name: &space_name,
            };
            match post_message(&topic_info, &post) {
                Ok(Some(m)) => sink.message(m).map_err(|source| ReadError::Sink {
                    path: path.to_path_buf(),
                    source,
                })?,
                Ok(None) => sink.diagnostic(place.diagnostic(
                    path,
                    Severity::Note,
                    SkipReason::NotConversation,
                    format!(
                        "post {} of topic {topic_id} is an action (type {})",
                        post["post_number"], post["post_type"]
                    ),
                )),
                Err((reason, detail)) => {
                    sink.diagnostic(place.diagnostic(path, Severity::Skipped, reason, detail));
                }
            }
            Ok(())
        },
    )?;
    Ok(())
}

/// What a post needs to know of its topic.
struct TopicInfo<'a> {
    site: &'a str,
    topic_id: i64,
    title: Option<&'a str>,
    space: &'a str,
    space_name: &'a str,
}

type Skip = (SkipReason, String);

/// One post as a message; `None` for an action post (not conversation).
fn post_message(t: &TopicInfo<'_>, post: &Value) -> Result<Option<RawMessage>, Skip> {
    let topic_id = t.topic_id;
    let site = t.site;
    let number = post["post_number"].as_i64().ok_or_else(|| {
        (
            SkipReason::NotARecord,
            format!(
                "expected post_number on post {} of topic {topic_id}",
                post["id"]
            ),
        )
    })?;
    let kind = post["post_type"].as_i64().unwrap_or(1);
    if !matches!(kind, 1 | 4) {
        return Ok(None);
    }
    let time = post["created_at"]
        .as_str()
        .and_then(parse_time)
        .filter(|t| *t >= MIN_TIME)
        .ok_or_else(|| {
            (
                SkipReason::MissingTime,
                format!("expected created_at on post {number} of topic {topic_id}"),
            )
        })?;
    let username = post["username"]
        .as_str()
        .filter(|u| !u.is_empty())
        .ok_or_else(|| {
            (
                SkipReason::MissingAuthor,
                format!("expected username on post {number} of topic {topic_id}"),
            )
        })?;
    let flags = ["admin", "moderator", "staff", "group_moderator"]
        .iter()
        .filter(|f| post[**f].as_bool() == Some(true))
        .map(|f| (*f).to_owned())
        .collect();
    let name = post["name"]
        .as_str()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or(username);
    let parent = match post["reply_to_post_number"].as_i64() {
        Some(p) if p != number => Some(p),
        _ if number > 1 => Some(1),
        _ => None,
    };
    let cooked = post["cooked"].as_str();
    let author_id = format!("{site}/{}", username.to_lowercase());
    let mentions = cooked
        .map(cooked_mentions)
        .unwrap_or_default()
        .into_iter()
        .map(|u| format!("{site}/{u}"))
        .filter(|u| *u != author_id)
        .collect();
    let text = match (cooked, post["raw"].as_str()) {
        (Some(c), _) => html_to_text(c),
        (None, Some(raw)) => raw.to_owned(),
        (None, None) => String::new(),
    };
    Ok(Some(RawMessage {
        native_id: format!("{site}/t{topic_id}/p{number}"),
        space: t.space.to_owned(),
        space_name: t.space_name.to_owned(),
        author: RawAccount {
            native_id: author_id,
            display_name: Some(name.to_owned()),
            email: None,
            username: Some(username.to_lowercase()),
            flags,
        },
        time,
        subject: (number == 1).then(|| t.title.map(str::to_owned)).flatten(),
        text,
        parent: parent.map(|p| format!("{site}/t{topic_id}/p{p}")),
        mentions,
        metrics: None,
    }))
}

/// Column values of a table export as typed JSON (CSV cells are text).
fn typed(column: &str, cell: &str) -> Value {
    match column {
        "id"
        | "topic_id"
        | "post_number"
        | "reply_to_post_number"
        | "post_type"
        | "category_id" => cell.trim().parse::<i64>().map_or(Value::Null, Value::from),
        "admin" | "moderator" | "staff" | "group_moderator" => {
            Value::Bool(matches!(cell.trim(), "true" | "t" | "1" | "TRUE" | "True"))
        }
        _ if cell.is_empty() => Value::Null,
        _ => Value::String(cell.to_owned()),
    }
}

/// A Data Explorer result saved as CSV (see `docs/discourse-export.md` for the query).
fn read_table_csv(
    path: &Path,
    input: &mut dyn std::io::BufRead,
    sink: &mut dyn Sink,
) -> Result<(), ReadError> {
    let (bytes, marks) = crate::csv::crlf_aware(input);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_lowercase()).collect(),
        Err(e) => {
            sink.diagnostic(Diagnostic {
                file: path.to_path_buf(),
                line: 1,
                byte_offset: 0,
                severity: Severity::Skipped,
                reason: SkipReason::NotARecord,
                detail: format!("expected a header row: {e}"),
            });
            return Ok(());
        }
    };
    let (site, _) = names_from_file(path);
    let mut record = csv::StringRecord::new();
    let mut n = 0usize;
    loop {
        let (line, offset) = marks.start(reader.position());
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                n += 1;
                let row = headers
                    .iter()
                    .zip(record.iter())
                    .map(|(c, v)| (c.clone(), typed(c, v)))
                    .collect::<serde_json::Map<String, Value>>();
                table_row(path, &site, n, (line.max(1), offset), row, sink)?;
            }
            Err(e) => {
                let (line, offset) = e.position().map_or((1, 0), |p| (p.line().max(1), p.byte()));
                sink.diagnostic(Diagnostic {
                    file: path.to_path_buf(),
                    line,
                    byte_offset: offset,
                    severity: Severity::Skipped,
                    reason: SkipReason::NotARecord,
                    detail: format!("expected a CSV record: {e}"),
                });
                if e.is_io_error() {
                    break; // the input itself stopped (or a record was too long)
                }
            }
        }
    }
    Ok(())
}

/// A post given as a table row (one row a post, the topic's fields repeated on each): row
/// `n` (1-based), starting at (line, offset).
fn table_row(
    path: &Path,
    site: &str,
    n: usize,
    (line, offset): (u64, u64),
    row: serde_json::Map<String, Value>,
    sink: &mut dyn Sink,
) -> Result<(), ReadError> {
    let site = site.to_owned();
    {
        let post = Value::Object(row);
        let topic_id = post["topic_id"].as_i64().unwrap_or(0);
        let (space, space_name) = match (post["category"].as_str(), post["category_id"].as_i64()) {
            (Some(c), _) => (format!("{site}/{c}"), format!("{site} {c}")),
            (None, Some(c)) => (format!("{site}/c{c}"), format!("{site} category {c}")),
            (None, None) => (site.clone(), site.clone()),
        };
        let info = TopicInfo {
            site: &site,
            topic_id,
            title: post["title"].as_str(),
            space: &space,
            space_name: &space_name,
        };
        let at = |severity, reason, detail: String| Diagnostic {
            file: path.to_path_buf(),
            line,
            byte_offset: offset,
            severity,
            reason,
            detail,
        };
        match post_message(&info, &post) {
            Ok(Some(m)) => sink.message(m).map_err(|source| ReadError::Sink {
                path: path.to_path_buf(),
                source,
            })?,
            Ok(None) => sink.diagnostic(at(
                Severity::Note,
                SkipReason::NotConversation,
                format!("row {n} is an action post"),
            )),
            Err((reason, detail)) => sink.diagnostic(at(Severity::Skipped, reason, detail)),
        }
    }
    Ok(())
}

/// Usernames in `<a class="mention" href="/u/NAME">`, lower-cased, each once.
fn cooked_mentions(cooked: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = cooked;
    while let Some(at) = rest.find("class=\"mention\"") {
        let tail = &rest[at..];
        let end = tail.find('>').unwrap_or(tail.len());
        if let Some(h) = tail[..end].find("href=\"/u/") {
            let name: String = tail[h + 9..end]
                .chars()
                .take_while(|c| *c != '"' && *c != '/')
                .collect();
            let name = name.to_lowercase();
            if !name.is_empty() && !out.contains(&name) {
                out.push(name);
            }
        }
        rest = &tail[1..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_and_mentions() {
        let (site, cat) = names_from_file(Path::new(
            "x/2019-10-19/ask.cyberinfrastructure.org-q-a-post-1018-2019-10-19.json",
        ));
        assert_eq!(
            (site.as_str(), cat.as_deref()),
            ("ask.cyberinfrastructure.org", Some("q-a"))
        );
        let (site, cat) = names_from_file(Path::new("forum/1018.json"));
        assert_eq!((site.as_str(), cat), ("forum", None));
        assert_eq!(
            cooked_mentions(
                r#"hi <a class="mention" href="/u/krisp">@KrisP</a> and <a class="mention" href="/u/vsoch">@vsoch</a> <a class="mention" href="/u/krisp">@KrisP</a>"#
            ),
            vec!["krisp", "vsoch"]
        );
    }
}
