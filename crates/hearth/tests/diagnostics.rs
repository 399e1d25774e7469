//! What an ingest says about what it skipped: every skipped record counted by reason, the
//! first of each reason always shown, places right in CRLF files, quotes kept short.

mod common;

use common::{data_dir, hearth, repo};

#[test]
fn a_mastodon_outbox_cut_in_half_says_what_it_skipped() {
    let dir = data_dir(None);
    let whole = std::fs::read(repo().join("../shared/data/social/mastodon-archive/outbox.json"))
        .expect("outbox");
    let half = dir.path().join("outbox.json");
    std::fs::write(&half, &whole[..whole.len() / 2]).expect("write");
    let (code, out, err) = hearth(
        dir.path(),
        &["ingest", "mastodon", half.to_str().expect("utf-8")],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("skipped 1"), "{out}");
    assert!(
        err.contains("skipped: expected an ActivityStreams outbox"),
        "the skipped record is reported: {err}"
    );
}

#[test]
fn diagnostics_in_crlf_csv_point_at_the_record() {
    let dir = data_dir(None);
    let file = dir.path().join("m.csv");
    let text = "id,time,author,space,text\r\na,2024-01-01T00:00:00Z,x,s,hi\r\nb,bad,x,s,hi\r\nc,2024-01-01T00:00:00Z,,s,hi\r\n";
    std::fs::write(&file, text).expect("write");
    let (_, _, err) = hearth(
        dir.path(),
        &["ingest", "csv", file.to_str().expect("utf-8")],
    );
    let b = text.find("b,bad").expect("b");
    let c = text.find("c,2024").expect("c");
    assert!(
        err.contains(&format!("m.csv:3 (byte {b}): skipped")),
        "{err}"
    );
    assert!(
        err.contains(&format!("m.csv:4 (byte {c}): skipped")),
        "{err}"
    );
}

#[test]
fn a_huge_header_line_is_quoted_short() {
    let dir = data_dir(None);
    let file = dir.path().join("wide.csv");
    let header: Vec<String> = (0..400_000).map(|i| format!("c{i}")).collect();
    std::fs::write(&file, format!("{}\n1,2,3\n", header.join(","))).expect("write");
    let (code, _, err) = hearth(
        dir.path(),
        &["ingest", "csv", file.to_str().expect("utf-8")],
    );
    assert_ne!(code, -1);
    assert!(
        err.contains("expected columns id, time and author"),
        "{}",
        &err[..err.len().min(500)]
    );
    assert!(err.len() < 2_000, "a {}-byte warning", err.len());
}
