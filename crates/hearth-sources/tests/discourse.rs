//! The Discourse reader on the real Ask.CI topics and on broken topic files.
//! Expected numbers: `python3 tests/reference/discourse_counts.py ../shared/data/discourse/askci`.

use hearth_sources::conformance::{self, CollectSink};
use hearth_sources::discourse::{DiscourseReader, read_topic};
use hearth_sources::{Reader, Severity, SkipReason};
use std::path::{Path, PathBuf};

fn askci() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/discourse/askci")
}

#[test]
fn askci_topics_conform_and_match_the_reference() {
    let units = DiscourseReader.units(&[askci()]).expect("units");
    // 179 topic files + 6 topic/tag lists.
    assert_eq!(units.len(), 185);
    let mut all = CollectSink::default();
    for u in &units {
        let got = conformance::check(&DiscourseReader, u, false).unwrap_or_else(|e| panic!("{e}"));
        all.messages.extend(got.messages);
        all.diagnostics.extend(got.diagnostics);
    }
    // 593 posts less one small action ("closed this topic").
    assert_eq!(all.messages.len(), 592);
    assert_eq!(all.skipped(), 0);
    let notes: Vec<_> = all.diagnostics.iter().map(|d| d.detail.as_str()).collect();
    assert_eq!(notes.len(), 7, "{notes:?}"); // 6 list files + 1 action
    let staff: std::collections::HashSet<_> = all
        .messages
        .iter()
        .filter(|m| !m.author.flags.is_empty())
        .map(|m| m.author.native_id.as_str())
        .collect();
    assert_eq!(staff.len(), 14);
    let first = all
        .messages
        .iter()
        .find(|m| m.native_id == "ask.cyberinfrastructure.org/t1018/p1")
        .expect("topic 1018");
    assert_eq!(
        first.subject.as_deref(),
        Some("What conferences might I attend that focus on Research Computing and Facilitation?")
    );
    assert_eq!(
        first.space,
        "ask.cyberinfrastructure.org/Area-for-open-ended-topics-of-interest"
    );
    assert_eq!(
        first.author.native_id,
        "ask.cyberinfrastructure.org/toreliza"
    );
    let mentions: usize = all.messages.iter().map(|m| m.mentions.len()).sum();
    assert!(mentions >= 22, "{mentions}");
}

fn read(bytes: &[u8]) -> CollectSink {
    let path = Path::new("forum/topic.json");
    conformance::check_stream(path, bytes, |_, sink| read_topic(path, bytes, sink), false)
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn broken_topics_are_reported() {
    let got = read(b"{\"post_stream\": {\"posts\": [\n{\"id\": 1,,}]}}");
    assert_eq!(got.messages.len(), 0);
    assert_eq!(got.diagnostics[0].reason, SkipReason::NotARecord);
    assert_eq!(got.diagnostics[0].line, 2);

    let got = read(
        br#"{"id": 7, "title": "T", "post_stream": {"posts": [
          {"post_number": 1, "created_at": "2019-07-26T19:00:21.439Z", "username": "ann", "cooked": "<p>Q?</p>"},
          {"post_number": 2, "created_at": "2019-07-26T20:00:00Z", "username": "bob", "staff": true, "cooked": "<p>A <a class=\"mention\" href=\"/u/cy\">@cy</a></p>"},
          {"post_number": 3, "reply_to_post_number": 2, "username": "cy"},
          {"post_number": 4, "reply_to_post_number": 2, "created_at": "2019-07-26T21:00:00Z"},
          {"created_at": "2019-07-26T21:00:00Z", "username": "di"}
        ]}}"#,
    );
    assert_eq!(got.messages.len(), 2);
    let b = &got.messages[1];
    assert_eq!(b.parent.as_deref(), Some("forum/t7/p1"));
    assert_eq!(b.author.flags, vec!["staff".to_owned()]);
    assert_eq!(b.mentions, vec!["forum/cy".to_owned()]);
    assert_eq!(got.messages[0].text, "Q?");
    let reasons: Vec<_> = got
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Skipped)
        .map(|d| d.reason)
        .collect();
    assert_eq!(
        reasons,
        vec![
            SkipReason::MissingTime,
            SkipReason::MissingAuthor,
            SkipReason::NotARecord
        ]
    );
}

/// The posts of the Ask.CI topic files, re-written as an admin's Data Explorer export (the
/// query in docs/discourse-export.md), in CSV and in JSON.
fn export_tables(dir: &Path) -> (PathBuf, PathBuf) {
    const COLUMNS: &[&str] = &[
        "id",
        "topic_id",
        "post_number",
        "reply_to_post_number",
        "post_type",
        "created_at",
        "username",
        "name",
        "admin",
        "moderator",
        "title",
        "category",
        "cooked",
    ];
    let mut rows: Vec<Vec<serde_json::Value>> = Vec::new();
    for u in DiscourseReader.units(&[askci()]).expect("units") {
        let topic: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&u).expect("read")).expect("json");
        let Some(posts) = topic["post_stream"]["posts"].as_array() else {
            continue;
        };
        let name = u
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let category = name
            .strip_prefix("ask.cyberinfrastructure.org-")
            .and_then(|r| r.split("-post-").next())
            .unwrap_or("")
            .to_owned();
        for p in posts {
            rows.push(vec![
                p["id"].clone(),
                topic["id"].clone(),
                p["post_number"].clone(),
                p["reply_to_post_number"].clone(),
                p["post_type"].clone(),
                p["created_at"].clone(),
                p["username"].clone(),
                p["name"].clone(),
                // Data Explorer reads flags from the users table: staff = admin or moderator.
                serde_json::Value::Bool(p["admin"] == true || p["staff"] == true),
                p["moderator"].clone(),
                topic["title"].clone(),
                category.clone().into(),
                p["cooked"].clone(),
            ]);
        }
    }
    let json_path = dir.join("ask.cyberinfrastructure.org-posts.json");
    std::fs::write(
        &json_path,
        serde_json::to_vec(&serde_json::json!({"success": true, "columns": COLUMNS, "rows": rows}))
            .expect("json"),
    )
    .expect("write");
    let csv_path = dir.join("ask.cyberinfrastructure.org-posts.csv");
    let mut w = csv::Writer::from_path(&csv_path).expect("csv");
    w.write_record(COLUMNS).expect("header");
    for r in &rows {
        w.write_record(r.iter().map(|v| match v {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Null => String::new(),
            other => other.to_string(),
        }))
        .expect("row");
    }
    w.flush().expect("flush");
    (json_path, csv_path)
}

#[test]
fn an_admin_table_export_reads_like_the_topic_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (json_path, csv_path) = export_tables(dir.path());
    let mut topics = CollectSink::default();
    for u in DiscourseReader.units(&[askci()]).expect("units") {
        let got = conformance::check(&DiscourseReader, &u, false).expect("topic");
        topics.messages.extend(got.messages);
    }
    let by_id = |s: &CollectSink| {
        let mut v: Vec<_> = s
            .messages
            .iter()
            .map(|m| {
                (
                    m.native_id.clone(),
                    m.parent.clone(),
                    m.author.native_id.clone(),
                    m.time,
                    m.mentions.clone(),
                    m.text.clone(),
                )
            })
            .collect();
        v.sort();
        v
    };
    for table in [json_path, csv_path] {
        let got = conformance::check(&DiscourseReader, &table, false)
            .unwrap_or_else(|e| panic!("{}: {e}", table.display()));
        assert_eq!(got.messages.len(), 592, "{}", table.display());
        assert!(by_id(&got) == by_id(&topics), "{}", table.display());
        let staff: std::collections::HashSet<_> = got
            .messages
            .iter()
            .filter(|m| !m.author.flags.is_empty())
            .map(|m| m.author.native_id.clone())
            .collect();
        assert!(staff.len() >= 10, "{}", staff.len());
    }
}
