//! The generic `jsonl` and `csv` readers on the documented examples: the same records in two
//! encodings give the same messages and the same diagnostics.

use hearth_sources::conformance;
use hearth_sources::csv::CsvReader;
use hearth_sources::jsonl::JsonlReader;
use hearth_sources::{Reader, SkipReason};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/generic")
        .join(name)
}

#[test]
fn both_encodings_agree() {
    let j = conformance::check(&JsonlReader, &fixture("messages.jsonl"), false).expect("jsonl");
    let c = conformance::check(&CsvReader, &fixture("messages.csv"), false).expect("csv");
    assert!(j.messages == c.messages);
    assert_eq!(j.messages.len(), 4);
    let reasons =
        |s: &conformance::CollectSink| s.diagnostics.iter().map(|d| d.reason).collect::<Vec<_>>();
    assert_eq!(
        reasons(&j),
        vec![SkipReason::MissingTime, SkipReason::NotARecord]
    );
    assert_eq!(reasons(&j), reasons(&c));
    // CSV lines count physical lines: f-3's text spans two.
    assert_eq!(c.diagnostics[0].line, 6);
    assert_eq!(j.diagnostics[0].line, 4);
    let m = &j.messages[2];
    assert_eq!(m.text, "Same here;\nthe update helped.");
    assert_eq!(m.mentions, vec!["vendor-joe".to_owned(), "ana".to_owned()]);
    assert_eq!(m.time, 1_709_546_400);
    assert_eq!(j.messages[1].author.flags, vec!["staff".to_owned()]);
    // 11:00+01:00 is 10:00Z; "2024-03-04 09:30:00" is UTC.
    assert_eq!(j.messages[3].time - j.messages[0].time, 3600);
    assert_eq!(j.messages[1].time - j.messages[0].time, 1800);
}

#[test]
fn a_csv_without_required_columns_is_reported_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("x.csv");
    std::fs::write(&path, "when,who,what\n2024-01-01T00:00:00Z,a,hi\n").expect("write");
    let got = conformance::check(&CsvReader, &path, false).expect("conforms");
    assert_eq!(got.messages.len(), 0);
    assert_eq!(got.diagnostics.len(), 1);
    assert!(
        got.diagnostics[0]
            .detail
            .contains("expected columns id, time and author")
    );
    assert_eq!(
        CsvReader.units(&[dir.path().to_path_buf()]).expect("units"),
        vec![path]
    );
}
