//! `github`: issues, pull requests and their comments as the GitHub REST API returns them.
//!
//! **Format.** Any JSON file holding issue objects (`number`, `title`, `body`, `user.login`,
//! `user.type`, `author_association`, `created_at`, `html_url`, `repository_url`) and issue
//! comment objects (`id`, `body`, `user`, `author_association`, `created_at`, `issue_url`):
//! a plain list (`/repos/{o}/{r}/issues`, `/issues/comments`), a search result (`items`),
//! recorded API fixtures (`[{"response": …}]`) or a dump keyed by number (`{"issues": {"1":
//! …}}`). The reader walks the whole document and takes every object of either shape, so the
//! wrapping does not matter; an object seen twice (by `html_url`) is read once.
//!
//! **Mapping to the model.**
//! - space: the repository `owner/repo` (from `repository_url`, `issue_url` or `html_url`);
//! - an issue or pull request is `owner/repo#N`, a comment `owner/repo#N/c<id>` whose parent
//!   is its issue (GitHub comments are flat, so each answers the issue's author);
//! - author: the `login`, lower-cased; `user.type` `Bot` is flagged `bot`;
//!   `author_association` `OWNER`, `MEMBER` or `COLLABORATOR` is flagged `staff` (brand by
//!   default), and every association is kept as a flag `association:<value>`;
//! - mentions: `@login` in the body (not inside an e-mail address);
//! - text: `body` (Markdown, as written); subject: the issue title.
//!
//! **Skipped, with a diagnostic:** a file that is not JSON (line and byte offset), an object
//! of either shape without `created_at`, a login, or a repository and number.
//!
//! **Checked against:** `shared/data/github` (octokit recorded fixtures and the gialog dump).
//!
//! **Known gaps:** review comments on pull-request diffs (`/pulls/comments`) and timeline
//! events are not read; reactions are not interactions yet.

use crate::text::parse_time;
use crate::{MIN_TIME, ReadError, Reader, Severity, Sink, SkipReason};
use hearth_model::{RawAccount, RawMessage};
use serde_json::Value;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Reads GitHub API JSON.
#[derive(Debug, Clone, Copy, Default)]
pub struct GithubReader;

impl Reader for GithubReader {
    fn id(&self) -> &'static str {
        "github"
    }

    fn units(&self, paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
        crate::jsonlines::json_files(paths)
    }

    fn read(&self, unit: &Path, sink: &mut dyn Sink) -> Result<(), ReadError> {
        read_stream(unit, &mut crate::open(unit)?, sink)
    }
}

/// Reads one file's bytes (`path` names it in diagnostics).
pub fn read_json(path: &Path, bytes: &[u8], sink: &mut dyn Sink) -> Result<(), ReadError> {
    read_stream(path, &mut &bytes[..], sink)
}

/// Reads one document from `input`, record by record: the elements of a top-level array (an
/// API page) or of `items` (a search result); any other document whole, within the record
/// limit. Issues and comments are found anywhere inside each record.
pub fn read_stream(
    path: &Path,
    input: &mut dyn std::io::BufRead,
    sink: &mut dyn Sink,
) -> Result<(), ReadError> {
    let mut seen = HashSet::new();
    let mut take = |record: &Value,
                    place: crate::jsonstream::Place,
                    sink: &mut dyn Sink|
     -> Result<(), ReadError> {
        let mut found = Vec::new();
        collect(record, &mut found, 0);
        for object in found {
            let key = object["html_url"]
                .as_str()
                .or_else(|| object["url"].as_str())
                .map(str::to_owned);
            if let Some(k) = &key
                && !seen.insert(k.clone())
            {
                continue;
            }
            match message(object) {
                Ok(m) => sink.message(m).map_err(|source| ReadError::Sink {
                    path: path.to_path_buf(),
                    source,
                })?,
                Err((reason, detail)) => {
                    sink.diagnostic(place.diagnostic(path, Severity::Skipped, reason, detail))
                }
            }
        }
        Ok(())
    };
    let context = crate::jsonstream::read_records(
        path,
        input,
        sink,
        &[
            &[],
            &["items"],
            &["issues"],
            &["comments"],
            &["issue_comments"],
        ],
        "GitHub API JSON",
        &mut |_, _, record, place, sink| take(&record, place, sink),
    )?;
    // Other top-level values (a dump's `{"issues": {…}, "comments": {…}}`), each within the
    // record limit.
    let top = crate::jsonstream::Place { line: 1, offset: 0 };
    for value in context.values() {
        take(value, top, sink)?;
    }
    Ok(())
}

/// Issue or comment objects anywhere in the document, in document order.
fn collect<'a>(v: &'a Value, out: &mut Vec<&'a Value>, depth: usize) {
    if depth > 64 {
        return;
    }
    match v {
        Value::Object(map) => {
            let has_user = map.get("user").is_some_and(Value::is_object);
            let issue = has_user && map.contains_key("number") && map.contains_key("title");
            let comment = has_user && map.contains_key("issue_url");
            if issue || comment {
                out.push(v);
                return;
            }
            for x in map.values() {
                collect(x, out, depth + 1);
            }
        }
        Value::Array(list) => {
            for x in list {
                collect(x, out, depth + 1);
            }
        }
        _ => {}
    }
}

/// `https://api.github.com/repos/OWNER/REPO[/issues/N]` or `https://github.com/OWNER/REPO/
/// issues/N` → (`owner/repo`, N).
fn repo_and_number(url: &str) -> Option<(String, Option<i64>)> {
    let rest = url
        .split_once("/repos/")
        .map(|(_, r)| r)
        .or_else(|| url.split_once("github.com/").map(|(_, r)| r))?;
    let mut parts = rest.split('/');
    let owner = parts.next().filter(|s| !s.is_empty())?;
    let repo = parts.next().filter(|s| !s.is_empty())?;
    let number = match parts.next() {
        Some("issues" | "pull") => parts
            .next()
            .and_then(|n| n.split(['#', '?']).next().and_then(|n| n.parse().ok())),
        _ => None,
    };
    Some((format!("{owner}/{repo}").to_lowercase(), number))
}

type Skip = (SkipReason, String);

fn message(o: &Value) -> Result<RawMessage, Skip> {
    let is_comment = o.get("issue_url").is_some();
    let html = o["html_url"].as_str().unwrap_or("");
    let (repo, number) = if is_comment {
        o["issue_url"].as_str().and_then(repo_and_number)
    } else {
        o["repository_url"]
            .as_str()
            .and_then(repo_and_number)
            .map(|(r, _)| (r, o["number"].as_i64()))
            .or_else(|| repo_and_number(html))
    }
    .and_then(|(r, n)| n.map(|n| (r, n)))
    .ok_or_else(|| {
        (
            SkipReason::NotARecord,
            format!("expected a repository and issue number for {html:?}"),
        )
    })?;
    let time = o["created_at"]
        .as_str()
        .and_then(parse_time)
        .filter(|t| *t >= MIN_TIME)
        .ok_or_else(|| {
            (
                SkipReason::MissingTime,
                format!("expected created_at on {repo}#{number}"),
            )
        })?;
    let login = o["user"]["login"]
        .as_str()
        .filter(|l| !l.is_empty())
        .ok_or_else(|| {
            (
                SkipReason::MissingAuthor,
                format!("expected user.login on {repo}#{number}"),
            )
        })?
        .to_lowercase();
    let mut flags = Vec::new();
    if o["user"]["type"].as_str() == Some("Bot") {
        flags.push("bot".to_owned());
    }
    if let Some(a) = o["author_association"].as_str() {
        if matches!(a, "OWNER" | "MEMBER" | "COLLABORATOR") {
            flags.push("staff".to_owned());
        }
        flags.push(format!("association:{a}"));
    }
    let body = o["body"].as_str().unwrap_or("").to_owned();
    let mentions = at_logins(&body)
        .into_iter()
        .filter(|m| *m != login)
        .collect();
    let issue_id = format!("{repo}#{number}");
    let (native_id, parent, subject) = if is_comment {
        let id = o["id"]
            .as_i64()
            .map_or_else(|| html.to_owned(), |i| i.to_string());
        (format!("{issue_id}/c{id}"), Some(issue_id), None)
    } else {
        (issue_id, None, o["title"].as_str().map(str::to_owned))
    };
    Ok(RawMessage {
        native_id,
        space: repo.clone(),
        space_name: repo,
        author: RawAccount {
            username: Some(login.clone()),
            native_id: login,
            display_name: o["user"]["login"].as_str().map(str::to_owned),
            email: None,
            flags,
        },
        time,
        subject,
        text: body,
        parent,
        mentions,
        metrics: None,
    })
}

/// `@login` mentions (GitHub logins: letters, digits, single hyphens), lower-cased, each once;
/// an `@` inside a word (an e-mail address) is not a mention.
fn at_logins(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    for (i, _) in text.match_indices('@') {
        if i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'`') {
            continue;
        }
        let login: String = text[i + 1..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        let login = login.trim_end_matches('-').to_lowercase();
        if !login.is_empty() && login.len() <= 39 && !out.contains(&login) {
            out.push(login);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_mentions() {
        assert_eq!(
            repo_and_number("https://api.github.com/repos/Yamanoku/gialog/issues/1"),
            Some(("yamanoku/gialog".to_owned(), Some(1)))
        );
        assert_eq!(
            repo_and_number("https://github.com/o/r/pull/7#issuecomment-1"),
            Some(("o/r".to_owned(), Some(7)))
        );
        assert_eq!(repo_and_number("https://example.org/x"), None);
        assert_eq!(
            at_logins("thanks @Octo-Cat and @octo-cat, mail me@example.org `@code`"),
            vec!["octo-cat"]
        );
    }
}
