//! `--format auto`: which reader a path is for, from its name, its layout and its first bytes.

use std::io::Read;
use std::path::Path;

/// The format of a file or folder, or why it cannot be told.
///
/// - a folder with `Posts.xml` → `stackexchange`; with `users.json`, `channels.json`,
///   `users.edn` or `logs/` → `slack`; otherwise the formats of what it holds, if they agree;
/// - a file named `*.mbox`/`*.mbx`, or starting with `From ` → `mbox`; a dump file
///   (`Posts.xml`, `Comments.xml`, …) → `stackexchange`; `*.zst` → `reddit`; `*.zip` → `slack`;
///   `*.csv` → `csv`, or `discourse` when its header has `topic_id` and `post_number`, or an
///   analytics reader by its post columns (`Tweet id` → `twitter`, `Post ID` with `Account
///   username` → `instagram` or with `Page name` → `facebook`, `Post link` → `linkedin`,
///   `post_id` → `social-csv`); `outbox.json` → `mastodon`;
/// - a JSON file by the keys near its start: `guild` and `channel` → `discord`, `post_stream`
///   → `discourse`, `from_id`/`date_unixtime`/`chats` → `telegram`, `subreddit` → `reddit`,
///   `issue_url`/`repository_url`/`issues` → `github`; JSON lines with `author` and `time` →
///   `jsonl`.
pub fn detect(path: &Path) -> Result<&'static str, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if meta.is_dir() {
        return detect_dir(path, 0);
    }
    detect_file(path).ok_or_else(|| {
        format!(
            "{}: cannot tell its format; name it (`hearth ingest FORMAT PATH`). Hearth reads {}",
            path.display(),
            known_formats()
        )
    })
}

/// Every format with what it expects, for an error that says what could have been read.
pub fn known_formats() -> String {
    crate::FORMATS
        .iter()
        .map(|f| format!("{f} ({})", crate::expectation(f)))
        .collect::<Vec<_>>()
        .join("; ")
}

fn detect_file(path: &Path) -> Option<&'static str> {
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    if name.ends_with(".mbox") || name.ends_with(".mbx") {
        return Some("mbox");
    }
    if ["posts.xml", "comments.xml", "users.xml", "posthistory.xml"].contains(&name.as_str()) {
        return Some("stackexchange");
    }
    if name.ends_with(".zst") {
        return Some("reddit");
    }
    if name.ends_with(".zip") {
        return Some("slack");
    }
    let mut head = vec![0u8; 4096];
    let n = std::fs::File::open(path).ok()?.read(&mut head).ok()?;
    head.truncate(n);
    if name.ends_with(".csv") {
        // A Discourse admin export has the posts table's columns; analytics exports have
        // their platforms' post columns (LinkedIn's may sit below a title line).
        let lower = head.to_ascii_lowercase();
        let header = lower.split(|b| *b == b'\n').next().unwrap_or(&[]);
        let has = |c: &str| memchr::memmem::find(header, c.as_bytes()).is_some();
        let anywhere = |c: &str| memchr::memmem::find(&lower, c.as_bytes()).is_some();
        return Some(if has("topic_id") && has("post_number") {
            "discourse"
        } else if has("tweet id") || (has("date") && has("tweets published")) {
            "twitter"
        } else if has("post id") && has("account username") {
            "instagram"
        } else if has("post id") && has("page name") {
            "facebook"
        } else if anywhere("post link") || anywhere("update link") {
            "linkedin"
        } else if has("post_id") {
            "social-csv"
        } else {
            "csv"
        });
    }
    if name.ends_with(crate::mastodon::API_SUFFIX) {
        return Some("mastodon");
    }
    if name.ends_with(".bluesky.json") {
        return Some("bluesky");
    }
    if name == "outbox.json" {
        return Some("mastodon");
    }
    if head.starts_with(b"From ") {
        return Some("mbox");
    }
    if (name.ends_with(".txt") || name.ends_with(".log"))
        && head
            .split(|b| *b == b'\n')
            .next()
            .and_then(|l| std::str::from_utf8(l).ok())
            .and_then(crate::irc::parse_line)
            .is_some()
    {
        return Some("irc");
    }
    sniff_json(&head, name.ends_with(".jsonl") || name.ends_with(".ndjson"))
}

/// The JSON exports tell themselves apart by the keys near their start.
fn sniff_json(head: &[u8], lines: bool) -> Option<&'static str> {
    let has = |key: &str| memchr::memmem::find(head, key.as_bytes()).is_some();
    let first = head.iter().copied().find(|b| !b.is_ascii_whitespace())?;
    if first != b'{' && first != b'[' {
        return None;
    }
    if has("\"guild\"") && has("\"channel\"") {
        Some("discord")
    } else if has("\"post_stream\"") || (has("\"columns\"") && has("\"post_number\"")) {
        Some("discourse")
    } else if has("\"from_id\"") || has("\"date_unixtime\"") || has("\"chats\"") {
        Some("telegram")
    } else if has("\"subreddit\"") {
        Some("reddit")
    } else if has("\"issue_url\"") || has("\"repository_url\"") || has("\"issues\"") {
        Some("github")
    } else if lines && has("\"author\"") && has("\"time\"") {
        Some("jsonl")
    } else {
        None
    }
}

fn detect_dir(dir: &Path, depth: usize) -> Result<&'static str, String> {
    if dir.join("Posts.xml").is_file() {
        return Ok("stackexchange");
    }
    if dir.join("users.json").is_file()
        || dir.join("channels.json").is_file()
        || dir.join("users.edn").is_file()
        || dir.join("logs").is_dir()
    {
        return Ok("slack");
    }
    let mut found: Vec<&'static str> = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        {
            continue;
        }
        let format = if p.is_dir() {
            if depth < 3 {
                detect_dir(&p, depth + 1).ok()
            } else {
                None
            }
        } else {
            detect_file(&p)
        };
        if let Some(f) = format
            && !found.contains(&f)
        {
            found.push(f);
        }
    }
    match found.as_slice() {
        [one] => Ok(one),
        [] => Err(format!(
            "{}: found no export Hearth can read; name the format (`hearth ingest FORMAT PATH`). \
             Hearth reads {}",
            dir.display(),
            known_formats()
        )),
        many => Err(format!(
            "{}: holds several formats ({}); read them one at a time",
            dir.display(),
            many.join(", ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::detect;
    use std::path::Path;

    #[test]
    fn shared_data_layouts() {
        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
        assert_eq!(detect(&data.join("mbox/usrp-users")), Ok("mbox"));
        assert_eq!(detect(&data.join("mbox/usrp-users/2019.mbox")), Ok("mbox"));
        assert_eq!(detect(&data.join("stackexchange")), Ok("stackexchange"));
        assert_eq!(
            detect(&data.join("stackexchange/conlang.meta.stackexchange.com/Posts.xml")),
            Ok("stackexchange")
        );
        assert_eq!(detect(&data.join("slack")), Ok("slack"));
        assert_eq!(detect(&data.join("slack/clojurians-log-demo")), Ok("slack"));
        assert_eq!(detect(&data.join("discourse/askci")), Ok("discourse"));
        assert_eq!(
            detect(&data.join("github/gialog-issues/issues.json")),
            Ok("github")
        );
        let err = detect(&data).expect_err("several formats");
        assert!(err.contains("several formats"), "{err}");
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
        for (path, format) in [
            ("discord/hearth-guild-general.json", "discord"),
            ("telegram/result.json", "telegram"),
            ("reddit/RC_RS_hearthtest.ndjson", "reddit"),
            ("generic/messages.jsonl", "jsonl"),
            ("generic/messages.csv", "csv"),
        ] {
            assert_eq!(detect(&fixtures.join(path)), Ok(format), "{path}");
        }
    }
}
