//! The Reddit reader on a fixture in the Pushshift layout, plain and zstd-compressed.

use hearth_sources::conformance;
use hearth_sources::reddit::RedditReader;
use hearth_sources::{Reader, Severity, SkipReason};
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/reddit/RC_RS_hearthtest.ndjson")
}

#[test]
fn plain_and_zstd_read_the_same() {
    let plain = conformance::check(&RedditReader, &fixture(), false).expect("conforms");
    assert_eq!(plain.messages.len(), 5);
    let d = &plain.diagnostics[0];
    assert_eq!(
        (d.severity, d.reason, d.line),
        (Severity::Skipped, SkipReason::MissingAuthor, 4)
    );
    let sub = &plain.messages[0];
    assert_eq!(sub.native_id, "t3_18w1abc");
    assert_eq!(sub.subject.as_deref(), Some("Board won't boot"));
    assert_eq!(sub.space, "r/hearthtest");
    let c = &plain.messages[1];
    assert_eq!(c.native_id, "t1_kfx0001");
    assert_eq!(c.parent.as_deref(), Some("t3_18w1abc"));
    assert_eq!(c.time, 1_704_104_100); // created_utc given as a string
    assert_eq!(c.mentions, vec!["vendor_sam".to_owned()]);
    assert_eq!(plain.messages[2].author.flags, vec!["moderator".to_owned()]);
    assert_eq!(
        plain.messages[3].author.flags,
        vec!["moderator".to_owned(), "bot".to_owned()]
    );

    // The same lines compressed as the monthly archives are.
    let dir = tempfile::tempdir().expect("tempdir");
    let zst = dir.path().join("RC_2024-01.zst");
    let bytes = std::fs::read(fixture()).expect("fixture");
    std::fs::write(&zst, zstd::encode_all(&bytes[..], 19).expect("compress")).expect("write");
    assert_eq!(
        RedditReader
            .units(&[dir.path().to_path_buf()])
            .expect("units"),
        vec![zst.clone()]
    );
    let packed = conformance::check(&RedditReader, &zst, false).expect("conforms");
    assert!(packed.messages == plain.messages);
}

#[test]
fn broken_lines_are_skipped_with_their_place() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("bad.ndjson");
    let text = "{\"id\": \"a1\", \"author\": \"x\", \"title\": \"t\", \"created_utc\": 1704103200, \"subreddit\": \"s\"}\nnot json\n[1, 2]\n{\"id\": \"b2\", \"author\": \"y\", \"body\": \"hi\", \"parent_id\": \"t3_a1\"}\n";
    std::fs::write(&path, text).expect("write");
    let start = |s: &str| text.find(s).expect("line") as u64;
    let got = conformance::check(&RedditReader, &path, false).expect("conforms");
    assert_eq!(got.messages.len(), 1);
    let places: Vec<_> = got
        .diagnostics
        .iter()
        .map(|d| (d.line, d.byte_offset, d.reason))
        .collect();
    assert_eq!(
        places,
        vec![
            (2, start("not json"), SkipReason::NotARecord),
            (3, start("[1, 2]"), SkipReason::NotARecord),
            (4, start("{\"id\": \"b2\""), SkipReason::MissingTime)
        ]
    );
}
