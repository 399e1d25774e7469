//! The IRC reader on the real irc-ubuntu logs.

use hearth_sources::conformance;
use hearth_sources::irc::{IrcReader, load_corpus, read_log};
use hearth_sources::{Severity, SkipReason};
use std::path::{Path, PathBuf};

fn dev() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/irc-ubuntu/dev")
}

#[test]
fn a_real_log_conforms_and_maps_as_documented() {
    let log = dev().join("2004-11-15_03.raw.txt");
    let got = conformance::check(&IrcReader, &log, false).expect("conforms");
    let text = std::fs::read_to_string(&log).expect("log");
    let system = text
        .lines()
        .filter(|l| {
            l.starts_with("=== ")
                && (l.contains(" has joined ")
                    || l.contains(" has left ")
                    || l.contains(" has quit")
                    || l.contains(" is now known as "))
        })
        .count();
    assert_eq!(got.messages.len() + system, text.lines().count());
    assert!(
        got.diagnostics
            .iter()
            .all(|d| d.reason == SkipReason::NotConversation && d.severity == Severity::Note)
    );
    let first = &got.messages[0];
    assert_eq!(first.native_id, "2004-11-15_03.raw:0");
    assert_eq!(first.author.native_id, "|trey|");
    assert_eq!(first.space, "#dev");
    // 2004-11-15 12:18 UTC
    assert_eq!(first.time, 1_100_521_080);
    // `[12:18] <tweaked> HrdwrBoB: ok …` names HrdwrBoB if HrdwrBoB spoke before.
    assert!(got.messages.iter().any(|m| !m.mentions.is_empty()));
    // The clock going back past midnight moves to the next day.
    let last = got.messages.last().expect("messages");
    assert!(last.time > first.time + 12 * 3600, "{}", last.time);
}

#[test]
fn damaged_lines_are_counted_and_the_rest_kept() {
    let input =
        b"[10:00] <alice> hello\nnot an irc line\n[10:01] <bob> alice: hi\n\xff\xfe[10:02\n";
    let path = Path::new("2020-01-01.log");
    let got = conformance::check_stream(path, input, |i, s| read_log(path, i, s), false)
        .expect("conforms");
    assert_eq!(got.messages.len(), 2);
    assert_eq!(got.messages[1].mentions, vec!["alice".to_owned()]);
    let skipped: Vec<_> = got
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Skipped)
        .collect();
    assert_eq!(skipped.len(), 2);
    assert_eq!((skipped[0].line, skipped[0].byte_offset), (2, 22));
}

#[test]
fn a_file_without_a_date_is_one_clear_error() {
    let path = Path::new("channel.log");
    let got =
        conformance::check_stream(path, b"[10:00] <a> b\n", |i, s| read_log(path, i, s), false)
            .expect("conforms");
    assert!(got.messages.is_empty());
    assert_eq!(got.diagnostics[0].reason, SkipReason::MissingTime);
}

#[test]
fn the_corpus_loads_with_its_gold_links() {
    let logs = load_corpus(&dev()).expect("corpus");
    assert_eq!(logs.len(), 10);
    let links: usize = logs.iter().map(|l| l.gold.len()).sum();
    assert_eq!(links, 2607, "the data README's count");
    for log in &logs {
        assert!(log.annotated.iter().all(|&a| a >= 1000));
        assert!(log.gold.iter().all(|&(p, c)| p <= c));
    }
}
