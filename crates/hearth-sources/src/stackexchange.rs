//! `stackexchange`: a Stack Exchange data dump folder (one site: `Posts.xml`, `Comments.xml`,
//! `Users.xml`, and `PostHistory.xml` when present), as published on archive.org.
//!
//! **Format.** Each file is `<?xml …?>`, a root element, then one `<row … />` per line with
//! the fields as attributes (`Posts.xml`: `Id`, `PostTypeId`, `ParentId`, `CreationDate`,
//! `OwnerUserId` / `OwnerDisplayName`, `Title`, `Body` as HTML; `Comments.xml`: `Id`,
//! `PostId`, `CreationDate`, `UserId` / `UserDisplayName`, `Text`; `Users.xml`: `Id`,
//! `DisplayName`). Dates are UTC without a zone (`2018-02-06T20:19:50.957`).
//!
//! **Mapping to the model.** The unit is the dump folder; its name (the site,
//! `conlang.meta.stackexchange.com`) is the space and prefixes every id, so several sites
//! live in one store.
//! - questions (`PostTypeId` 1), answers (2) and moderator nominations (6) are messages
//!   `<site>/p<Id>`; comments are `<site>/c<Id>`. Tag wikis and other wiki posts (3, 4, 5, 7, 8)
//!   are not conversation and are passed over (counted as `not_conversation` notes);
//! - parent: an answer's question (`ParentId`), a comment's post (`PostId`);
//! - author: `<site>/u<UserId>` named by `Users.xml`; a deleted user is known only by
//!   `OwnerDisplayName` / `UserDisplayName` and becomes `<site>/name:<display name>`;
//! - mentions: `@name` in a comment, resolved as Stack Exchange does — against the post's
//!   author and the people who commented on it before, by display name without spaces,
//!   case-insensitively, the typed name (3+ characters) being a prefix of the display name;
//! - flags: user `-1` (Community) is `bot`; with `PostHistory.xml`, a user who locked or
//!   unlocked a post (types 14, 15) or whose close/reopen vote was binding as a moderator
//!   (`"BindingReason":{"Moderator"…}` in types 10, 11) is `moderator` (so brand by default);
//! - text: `Body` with HTML tags removed and entities decoded; comments' `Text` as is;
//!   subject: the question's `Title`.
//!
//! **Memory.** Rows stream, but resolving names and mentions keeps per user a name and per
//! post its participants: some tens of bytes per post and user, not the text.
//!
//! **Skipped, with a diagnostic:** a row without `Id`, a date (after 1970), or any author; an XML syntax
//! error ends that file (rows before it are kept; the diagnostic gives its byte offset).
//! Lines are row lines as the dumps write them (declaration, root, then one row a line).
//!
//! **Checked against:** `conlang.meta.stackexchange.com` (full dump, with `PostHistory.xml`)
//! and `cardano.stackexchange.com` (without) in `shared/data/stackexchange`.
//!
//! **Known gaps:** votes, edits and accepted answers are not read; the moderator list of a
//! site is not in the dump (add staff in `hearth.toml`).

use crate::text::{html_to_text, parse_time};
use crate::{Diagnostic, MIN_TIME, ReadError, Reader, Severity, Sink, SkipReason};
use hearth_model::{RawAccount, RawMessage};
use quick_xml::events::Event;
use std::collections::{HashMap, HashSet};
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// Reads Stack Exchange dump folders.
#[derive(Debug, Clone, Copy, Default)]
pub struct StackExchangeReader;

const FILES: &[&str] = &["Users.xml", "PostHistory.xml", "Posts.xml", "Comments.xml"];

impl Reader for StackExchangeReader {
    fn id(&self) -> &'static str {
        "stackexchange"
    }

    fn units(&self, paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
        let mut units = Vec::new();
        for p in paths {
            find_dumps(p, &mut units)?;
        }
        units.sort();
        units.dedup();
        Ok(units)
    }

    fn size(&self, unit: &Path) -> u64 {
        FILES
            .iter()
            .filter_map(|f| std::fs::metadata(unit.join(f)).ok())
            .map(|m| m.len())
            .sum()
    }

    fn read(&self, unit: &Path, sink: &mut dyn Sink) -> Result<(), ReadError> {
        let site = unit
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "stackexchange".to_owned());
        let mut dump = Dump {
            site,
            names: HashMap::new(),
            moderators: HashSet::new(),
            participants: HashMap::new(),
            done: 0,
        };
        let users = unit.join("Users.xml");
        if users.exists() {
            dump.file(&users, sink, Dump::user)?;
        }
        let history = unit.join("PostHistory.xml");
        if history.exists() {
            dump.file(&history, sink, Dump::history)?;
        }
        dump.file(&unit.join("Posts.xml"), sink, Dump::post)?;
        let comments = unit.join("Comments.xml");
        if comments.exists() {
            dump.file(&comments, sink, Dump::comment)?;
        }
        Ok(())
    }
}

/// Folders under `path` (or `path` itself) that hold a `Posts.xml`.
fn find_dumps(path: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let meta = std::fs::metadata(path)
        .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
    if !meta.is_dir() {
        // A file inside a dump stands for its folder.
        if let Some(parent) = path.parent().filter(|p| p.join("Posts.xml").exists()) {
            out.push(parent.to_path_buf());
        }
        return Ok(());
    }
    if path.join("Posts.xml").is_file() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    for entry in std::fs::read_dir(path)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() && !entry.file_name().to_string_lossy().starts_with('.') {
            find_dumps(&entry.path(), out)?;
        }
    }
    Ok(())
}

/// One participant of a post, for resolving `@name`.
#[derive(Debug, Clone)]
struct Participant {
    /// Display name without spaces, lower-cased.
    key: String,
    account: String,
}

/// What a row handler may say about its row. (One lives at a time, so its size is no
/// concern; boxing the message would cost an allocation a row.)
#[allow(clippy::large_enum_variant)]
enum Row {
    Message(RawMessage),
    Skip(SkipReason, String),
    Note(SkipReason, String),
    Nothing,
}

/// State of one dump while it is read.
struct Dump {
    site: String,
    names: HashMap<i64, String>,
    moderators: HashSet<i64>,
    /// Participants per post id (author first, then commenters in order).
    participants: HashMap<i64, Vec<Participant>>,
    /// Bytes of earlier files of this dump (progress counts across the folder).
    done: u64,
}

/// A row's attributes, unescaped.
type Attrs = Vec<(String, String)>;

fn get<'a>(attrs: &'a Attrs, key: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

fn get_i64(attrs: &Attrs, key: &str) -> Option<i64> {
    get(attrs, key).and_then(|v| v.trim().parse().ok())
}

impl Dump {
    /// Streams the rows of one file through `handle`.
    fn file(
        &mut self,
        path: &Path,
        sink: &mut dyn Sink,
        handle: fn(&mut Self, &Attrs) -> Row,
    ) -> Result<(), ReadError> {
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        let input = crate::open(path)?;
        self.rows(path, input, sink, handle)?;
        self.done += size;
        sink.progress(self.done);
        Ok(())
    }

    fn rows(
        &mut self,
        path: &Path,
        input: impl BufRead,
        sink: &mut dyn Sink,
        handle: fn(&mut Self, &Attrs) -> Row,
    ) -> Result<(), ReadError> {
        let mut xml = quick_xml::Reader::from_reader(input);
        let mut buf = Vec::with_capacity(4096);
        let mut row_index: u64 = 0;
        loop {
            buf.clear();
            let at = xml.buffer_position();
            // Rows sit one a line after the declaration and the root element.
            let line = 3 + row_index;
            let event = match xml.read_event_into(&mut buf) {
                Ok(e) => e,
                Err(e) => {
                    sink.diagnostic(Diagnostic {
                        file: path.to_path_buf(),
                        line,
                        byte_offset: xml.error_position(),
                        severity: Severity::Skipped,
                        reason: SkipReason::NotARecord,
                        detail: format!(
                            "expected well-formed XML rows; {e}; the rest of the file was skipped"
                        ),
                    });
                    return Ok(());
                }
            };
            let element = match &event {
                Event::Empty(e) | Event::Start(e) if e.name().as_ref() == b"row" => e,
                Event::Eof => return Ok(()),
                _ => continue,
            };
            row_index += 1;
            let mut attrs: Attrs = Vec::with_capacity(16);
            let mut bad = None;
            for a in element.attributes() {
                match a {
                    Ok(a) => match a.unescape_value() {
                        Ok(v) => attrs.push((
                            String::from_utf8_lossy(a.key.as_ref()).into_owned(),
                            v.into_owned(),
                        )),
                        Err(e) => bad = Some(e.to_string()),
                    },
                    Err(e) => bad = Some(e.to_string()),
                }
            }
            let diag = |severity, reason, detail: String| Diagnostic {
                file: path.to_path_buf(),
                line,
                byte_offset: at,
                severity,
                reason,
                detail,
            };
            if let Some(e) = bad {
                sink.diagnostic(diag(
                    Severity::Skipped,
                    SkipReason::NotARecord,
                    format!("expected row attributes name=\"value\": {e}"),
                ));
                continue;
            }
            match handle(self, &attrs) {
                Row::Message(m) => sink.message(m).map_err(|source| ReadError::Sink {
                    path: path.to_path_buf(),
                    source,
                })?,
                Row::Skip(reason, detail) => {
                    sink.diagnostic(diag(Severity::Skipped, reason, detail));
                }
                Row::Note(reason, detail) => sink.diagnostic(diag(Severity::Note, reason, detail)),
                Row::Nothing => {}
            }
            if row_index.is_multiple_of(4096) {
                sink.progress(self.done + xml.buffer_position());
            }
        }
    }

    fn user(&mut self, attrs: &Attrs) -> Row {
        if let (Some(id), Some(name)) = (get_i64(attrs, "Id"), get(attrs, "DisplayName")) {
            self.names.insert(id, name.to_owned());
        }
        Row::Nothing
    }

    fn history(&mut self, attrs: &Attrs) -> Row {
        let kind = get_i64(attrs, "PostHistoryTypeId").unwrap_or(0);
        let user = get_i64(attrs, "UserId");
        match kind {
            14 | 15 => {
                if let Some(u) = user.filter(|u| *u > 0) {
                    self.moderators.insert(u);
                }
            }
            10 | 11 => {
                let text = get(attrs, "Text").unwrap_or("");
                if text.contains("\"Moderator\"") {
                    // {"Voters":[{"Id":…,"DisplayName":…,"BindingReason":{"Moderator":…}}]}
                    if let Some(u) = moderator_voter(text) {
                        self.moderators.insert(u);
                    }
                }
            }
            _ => {}
        }
        Row::Nothing
    }

    fn account(&self, user: Option<i64>, display: Option<&str>) -> Option<RawAccount> {
        if let Some(u) = user {
            let mut flags = Vec::new();
            if u == -1 {
                flags.push("bot".to_owned());
            }
            if self.moderators.contains(&u) {
                flags.push("moderator".to_owned());
            }
            return Some(RawAccount {
                native_id: format!("{}/u{u}", self.site),
                display_name: self.names.get(&u).cloned(),
                email: None,
                username: None,
                flags,
            });
        }
        let name = display.map(str::trim).filter(|n| !n.is_empty())?;
        Some(RawAccount {
            native_id: format!("{}/name:{name}", self.site),
            display_name: Some(name.to_owned()),
            email: None,
            username: None,
            flags: Vec::new(),
        })
    }

    fn participant(account: &RawAccount) -> Participant {
        Participant {
            key: account
                .display_name
                .as_deref()
                .unwrap_or("")
                .chars()
                .filter(|c| !c.is_whitespace())
                .flat_map(char::to_lowercase)
                .collect(),
            account: account.native_id.clone(),
        }
    }

    fn post(&mut self, attrs: &Attrs) -> Row {
        let Some(id) = get_i64(attrs, "Id") else {
            return Row::Skip(SkipReason::NotARecord, "expected a post Id".to_owned());
        };
        let kind = get_i64(attrs, "PostTypeId").unwrap_or(0);
        if !matches!(kind, 1 | 2 | 6) {
            return Row::Note(
                SkipReason::NotConversation,
                format!("post {id} is of type {kind} (a wiki), not conversation"),
            );
        }
        let Some(time) = get(attrs, "CreationDate")
            .and_then(parse_time)
            .filter(|t| *t >= MIN_TIME)
        else {
            return Row::Skip(
                SkipReason::MissingTime,
                format!("expected CreationDate like 2018-02-06T20:19:50.957 on post {id}"),
            );
        };
        let Some(author) = self.account(
            get_i64(attrs, "OwnerUserId"),
            get(attrs, "OwnerDisplayName"),
        ) else {
            return Row::Skip(
                SkipReason::MissingAuthor,
                format!("expected OwnerUserId or OwnerDisplayName on post {id}"),
            );
        };
        let parent = (kind == 2)
            .then(|| get_i64(attrs, "ParentId"))
            .flatten()
            .map(|p| format!("{}/p{p}", self.site));
        self.participants
            .entry(id)
            .or_default()
            .push(Self::participant(&author));
        Row::Message(RawMessage {
            native_id: format!("{}/p{id}", self.site),
            space: self.site.clone(),
            space_name: self.site.clone(),
            author,
            time,
            subject: get(attrs, "Title").map(str::to_owned),
            text: html_to_text(get(attrs, "Body").unwrap_or("")),
            parent,
            mentions: Vec::new(),
            metrics: None,
        })
    }

    fn comment(&mut self, attrs: &Attrs) -> Row {
        let Some(id) = get_i64(attrs, "Id") else {
            return Row::Skip(SkipReason::NotARecord, "expected a comment Id".to_owned());
        };
        let Some(time) = get(attrs, "CreationDate")
            .and_then(parse_time)
            .filter(|t| *t >= MIN_TIME)
        else {
            return Row::Skip(
                SkipReason::MissingTime,
                format!("expected CreationDate like 2018-02-06T20:30:28.907 on comment {id}"),
            );
        };
        let Some(author) = self.account(get_i64(attrs, "UserId"), get(attrs, "UserDisplayName"))
        else {
            return Row::Skip(
                SkipReason::MissingAuthor,
                format!("expected UserId or UserDisplayName on comment {id}"),
            );
        };
        let text = get(attrs, "Text").unwrap_or("").to_owned();
        let post = get_i64(attrs, "PostId");
        let mut mentions = Vec::new();
        if let Some(people) = post.and_then(|p| self.participants.get(&p)) {
            for name in at_names(&text) {
                if let Some(hit) = people
                    .iter()
                    .find(|p| p.key.starts_with(&name) && p.account != author.native_id)
                    && !mentions.contains(&hit.account)
                {
                    mentions.push(hit.account.clone());
                }
            }
        }
        if let Some(p) = post {
            self.participants
                .entry(p)
                .or_default()
                .push(Self::participant(&author));
        }
        Row::Message(RawMessage {
            native_id: format!("{}/c{id}", self.site),
            space: self.site.clone(),
            space_name: self.site.clone(),
            author,
            time,
            subject: None,
            text,
            parent: post.map(|p| format!("{}/p{p}", self.site)),
            mentions,
            metrics: None,
        })
    }
}

/// The voter whose close/reopen vote was binding as a moderator.
fn moderator_voter(json: &str) -> Option<i64> {
    let at = json.find("\"Moderator\"")?;
    let before = &json[..at];
    let id_at = before.rfind("\"Id\":")? + 5;
    let digits: String = before[id_at..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '-')
        .collect();
    digits.parse().ok()
}

/// `@names` typed in a comment, lower-cased, 3+ characters.
fn at_names(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find('@') {
        let preceded_ok = at == 0
            || rest[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_whitespace() || "([,;:".contains(c));
        let name: String = rest[at + 1..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-' || *c == '.')
            .collect();
        let name = name.trim_end_matches('.').to_lowercase();
        if preceded_ok && name.chars().count() >= 3 {
            out.push(name);
        }
        rest = &rest[at + 1..];
    }
    out
}

/// Reads one dump file from memory (for tests and fuzzing): `kind` is the file name
/// (`Posts.xml`, `Comments.xml`, `Users.xml` or `PostHistory.xml`).
#[doc(hidden)]
pub fn read_file_bytes(
    site: &str,
    kind: &str,
    path: &Path,
    bytes: &[u8],
    sink: &mut dyn Sink,
) -> Result<(), ReadError> {
    let mut dump = Dump {
        site: site.to_owned(),
        names: HashMap::new(),
        moderators: HashSet::new(),
        participants: HashMap::new(),
        done: 0,
    };
    let handle: fn(&mut Dump, &Attrs) -> Row = match kind {
        "Users.xml" => Dump::user,
        "PostHistory.xml" => Dump::history,
        "Comments.xml" => Dump::comment,
        _ => Dump::post,
    };
    dump.rows(path, bytes, sink, handle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_names_and_moderators() {
        assert_eq!(
            at_names("@Rand No, see @ab and mail@example.org"),
            vec!["rand"]
        );
        assert_eq!(at_names("(@Ken_Graham) thanks"), vec!["ken_graham"]);
        assert_eq!(
            moderator_voter(
                r#"{"Voters":[{"Id":48,"DisplayName":"K","BindingReason":{"Moderator":""}}]}"#
            ),
            Some(48)
        );
    }
}
