//! The GitHub reader on the recorded API responses and the gialog dump in shared/data.
//! Expected numbers: distinct `html_url`s of issue/comment objects per file, counted with
//! Python's json (see the comment in `every_shape_is_read_once`).

use hearth_sources::conformance::{self, CollectSink};
use hearth_sources::github::{GithubReader, read_json};
use hearth_sources::{Reader, SkipReason};
use std::path::{Path, PathBuf};

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/github")
}

#[test]
fn every_shape_is_read_once() {
    // python3: walk each file, keep dicts with a `user` object and (`number` and `title`) or
    // `issue_url`, count distinct html_url: issue_comments 2, issues 4, paginate normalized
    // 13, raw 13 (26 objects), search normalized 2, raw 2 (4 objects).
    let units = GithubReader.units(&[data()]).expect("units");
    assert_eq!(units.len(), 6);
    let mut all = CollectSink::default();
    for u in &units {
        let got = conformance::check(&GithubReader, u, false).unwrap_or_else(|e| panic!("{e}"));
        all.messages.extend(got.messages);
        all.diagnostics.extend(got.diagnostics);
    }
    assert_eq!(all.messages.len(), 36);
    assert_eq!(all.skipped(), 0);
    let comment = all
        .messages
        .iter()
        .find(|m| m.native_id == "yamanoku/gialog#1/c1120193870")
        .expect("gialog comment");
    assert_eq!(comment.parent.as_deref(), Some("yamanoku/gialog#1"));
    assert!(comment.author.flags.contains(&"staff".to_owned())); // OWNER
    assert!(comment.text.starts_with("## コメントを書いてみる"));
    let none = all
        .messages
        .iter()
        .filter(|m| m.author.flags.contains(&"association:NONE".to_owned()))
        .count();
    assert_eq!(none, 2); // search fixtures: one NONE issue, normalized and raw
}

#[test]
fn broken_and_partial_objects() {
    let path = Path::new("gh.json");
    let read = |bytes: &[u8]| {
        conformance::check_stream(path, bytes, |_, sink| read_json(path, bytes, sink), false)
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let got = read(b"[{\"number\": 1,\n\"title\": }]");
    assert_eq!(got.diagnostics[0].line, 2);
    assert_eq!(got.diagnostics[0].reason, SkipReason::NotARecord);
    let got = read(
        br#"{"items": [
      {"number": 5, "title": "Bug", "body": "cc @dev-one", "user": {"login": "Ann", "type": "User"},
       "author_association": "NONE", "created_at": "2022-05-07T11:38:13Z",
       "html_url": "https://github.com/o/r/issues/5", "repository_url": "https://api.github.com/repos/o/r"},
      {"id": 9, "body": "fixed", "user": {"login": "dependabot[bot]", "type": "Bot"},
       "created_at": "2022-05-08T00:00:00Z", "issue_url": "https://api.github.com/repos/o/r/issues/5",
       "html_url": "https://github.com/o/r/issues/5#issuecomment-9"},
      {"number": 6, "title": "No date", "user": {"login": "x"}, "html_url": "https://github.com/o/r/issues/6"}
    ]}"#,
    );
    assert_eq!(got.messages.len(), 2);
    assert_eq!(got.messages[0].native_id, "o/r#5");
    assert_eq!(got.messages[0].mentions, vec!["dev-one".to_owned()]);
    assert_eq!(got.messages[1].author.flags, vec!["bot".to_owned()]);
    assert_eq!(got.messages[1].parent.as_deref(), Some("o/r#5"));
    assert_eq!(got.diagnostics[0].reason, SkipReason::MissingTime);
}
