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
