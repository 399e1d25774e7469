//! The Stack Exchange reader on the two real dumps and on broken files cut from them.
//! Expected numbers: `python3 tests/reference/stackexchange_counts.py DUMP` (ElementTree).

use hearth_sources::conformance::{self, CollectSink};
use hearth_sources::stackexchange::{StackExchangeReader, read_file_bytes};
use hearth_sources::{Reader, Severity, SkipReason};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

fn dump(site: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/stackexchange")
        .join(site)
}

fn read(site: &str) -> CollectSink {
    conformance::check(&StackExchangeReader, &dump(site), false)
        .unwrap_or_else(|e| panic!("{site}: {e}"))
}

fn authors(s: &CollectSink) -> usize {
    s.messages
        .iter()
        .map(|m| m.author.native_id.as_str())
        .collect::<HashSet<_>>()
        .len()
}

#[test]
fn both_dumps_conform_and_match_the_reference() {
    let conlang = read("conlang.meta.stackexchange.com");
    // 54 questions + 115 answers + 230 comments; wikis (8 rows) passed over with a note.
    assert_eq!(conlang.messages.len(), 399);
    assert_eq!(authors(&conlang), 71);
    assert_eq!(conlang.skipped(), 0);
    let notes = conlang
        .diagnostics
        .iter()
        .filter(|d| d.reason == SkipReason::NotConversation)
        .count();
    assert_eq!(notes, 8);

    let cardano = read("cardano.stackexchange.com");
    // 1,042 questions + 1,496 answers + 6 nominations + 1,829 comments (no PostHistory.xml).
    assert_eq!(cardano.messages.len(), 4373);
    assert_eq!(authors(&cardano), 763);
    assert_eq!(cardano.skipped(), 0);
}

#[test]
fn ids_parents_mentions_and_flags_follow_the_mapping() {
    let s = read("conlang.meta.stackexchange.com");
    let by_id = |id: &str| {
        s.messages
            .iter()
            .find(|m| m.native_id == id)
            .unwrap_or_else(|| panic!("{id}"))
    };
    // Post 2 answers question 1; comment 3 is on post 2.
    let q = by_id("conlang.meta.stackexchange.com/p1");
    assert_eq!(
        q.subject.as_deref(),
        Some("Are questions asked in conlangs accepted on this site?")
    );
    assert!(
        q.text
            .starts_with("We anticipate conlang specialists on this site")
    );
    assert_eq!(q.time, 1_517_948_390); // 2018-02-06T20:19:50.957
    assert_eq!(q.author.native_id, "conlang.meta.stackexchange.com/u14");
    assert_eq!(
        by_id("conlang.meta.stackexchange.com/p2").parent.as_deref(),
        Some("conlang.meta.stackexchange.com/p1")
    );
    let c5 = by_id("conlang.meta.stackexchange.com/c5");
    assert_eq!(
        c5.parent.as_deref(),
        Some("conlang.meta.stackexchange.com/p2")
    );
    // Comment 5 is by a deleted user, known by display name only; it starts "@Rand No, …",
    // and Rand commented on post 2 before (comment 3, user 12).
    assert_eq!(
        c5.author.native_id,
        "conlang.meta.stackexchange.com/name:user23"
    );
    assert_eq!(
        c5.mentions,
        vec!["conlang.meta.stackexchange.com/u12".to_owned()]
    );
    // Mentions across the dump (before removing mentions of the parent's author).
    let mentioned: usize = s.messages.iter().map(|m| m.mentions.len()).sum();
    assert!(mentioned >= 48, "{mentioned}");
    // The Community user is a bot.
    let community = s
        .messages
        .iter()
        .find(|m| m.author.native_id.ends_with("/u-1"))
        .expect("a Community post");
    assert_eq!(community.author.flags, vec!["bot".to_owned()]);
}

fn posts_bytes() -> Vec<u8> {
    std::fs::read(dump("conlang.meta.stackexchange.com").join("Posts.xml")).expect("Posts.xml")
}

fn read_bytes(kind: &str, bytes: &[u8]) -> CollectSink {
    let path = Path::new("dump").join(kind);
    conformance::check_stream(
        &path,
        bytes,
        |input, sink| {
            let mut all = Vec::new();
            input
                .read_to_end(&mut all)
                .map_err(|source| hearth_sources::ReadError::Io {
                    path: path.clone(),
                    source,
                })?;
            read_file_bytes("site", kind, &path, &all, sink)
        },
        false,
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_truncated_file_keeps_the_rows_before_the_break() {
    let full = posts_bytes();
    // Cut in the middle of the 100th row.
    let row_starts: Vec<usize> = full
        .windows(6)
        .enumerate()
        .filter(|(_, w)| w == b"  <row")
        .map(|(i, _)| i)
        .collect();
    let cut = row_starts[99] + 40;
    let got = read_bytes("Posts.xml", &full[..cut]);
    let kept = got.messages.len();
    // The rows before the cut, in order: 99 rows less the few wiki rows among them.
    let whole = read_bytes("Posts.xml", &full);
    assert!((91..=99).contains(&kept), "{kept}");
    assert!(got.messages[..] == whole.messages[..kept]);
    let d = got.diagnostics.last().expect("a diagnostic");
    assert_eq!(d.severity, Severity::Skipped);
    assert!(
        d.detail.starts_with("expected well-formed XML rows"),
        "{}",
        d.detail
    );
}

#[test]
fn rows_without_date_or_author_are_skipped_with_their_line() {
    let xml = br#"<?xml version="1.0" encoding="utf-8"?>
<posts>
  <row Id="1" PostTypeId="1" CreationDate="2018-02-06T20:19:50.957" OwnerUserId="14" Title="Q" Body="&lt;p&gt;Hi &amp;amp; bye&lt;/p&gt;" />
  <row Id="2" PostTypeId="2" ParentId="1" CreationDate="not a date" OwnerUserId="15" Body="x" />
  <row Id="3" PostTypeId="2" ParentId="1" CreationDate="2018-02-06T20:25:42.850" Body="no owner" />
  <row Id="4" PostTypeId="2" ParentId="1" CreationDate="2018-02-06T20:25:42.850" OwnerDisplayName="gone" Body="a" />
  <row PostTypeId="1" />
  <row Id="5" PostTypeId="2" ParentId="1" CreationDate="1970-01-01T00:00:00.000" OwnerUserId="15" Body="epoch" />
</posts>
"#;
    let got = read_bytes("Posts.xml", xml);
    assert_eq!(got.messages.len(), 2);
    assert_eq!(got.messages[0].text, "Hi & bye");
    assert_eq!(got.messages[1].author.native_id, "site/name:gone");
    let skipped: Vec<_> = got.diagnostics.iter().map(|d| (d.reason, d.line)).collect();
    assert_eq!(
        skipped,
        vec![
            (SkipReason::MissingTime, 4),
            (SkipReason::MissingAuthor, 5),
            (SkipReason::NotARecord, 7),
            (SkipReason::MissingTime, 8)
        ]
    );
}

#[test]
fn moderators_come_from_binding_actions_in_post_history() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("example.stackexchange.com");
    std::fs::create_dir(&site).expect("mkdir");
    std::fs::write(
        site.join("PostHistory.xml"),
        r#"<?xml version="1.0" encoding="utf-8"?>
<posthistory>
  <row Id="1" PostHistoryTypeId="10" PostId="1" CreationDate="2020-01-01T00:00:00.000" UserId="7" Comment="102" Text="{&quot;Voters&quot;:[{&quot;Id&quot;:7,&quot;DisplayName&quot;:&quot;Mo&quot;,&quot;BindingReason&quot;:{&quot;Moderator&quot;:&quot;&quot;}}]}" />
  <row Id="2" PostHistoryTypeId="14" PostId="1" CreationDate="2020-01-01T00:00:00.000" UserId="8" />
  <row Id="3" PostHistoryTypeId="10" PostId="1" CreationDate="2020-01-01T00:00:00.000" UserId="9" Text="{&quot;Voters&quot;:[{&quot;Id&quot;:9,&quot;DisplayName&quot;:&quot;Al&quot;}]}" />
</posthistory>
"#,
    )
    .expect("history");
    std::fs::write(
        site.join("Posts.xml"),
        r#"<?xml version="1.0" encoding="utf-8"?>
<posts>
  <row Id="1" PostTypeId="1" CreationDate="2020-01-01T00:00:00.000" OwnerUserId="9" Title="Q" Body="q" />
  <row Id="2" PostTypeId="2" ParentId="1" CreationDate="2020-01-01T01:00:00.000" OwnerUserId="7" Body="a" />
  <row Id="3" PostTypeId="2" ParentId="1" CreationDate="2020-01-01T02:00:00.000" OwnerUserId="8" Body="b" />
</posts>
"#,
    )
    .expect("posts");
    let units = StackExchangeReader
        .units(&[dir.path().to_path_buf()])
        .expect("units");
    assert_eq!(units, vec![site.clone()]);
    let got = conformance::check(&StackExchangeReader, &site, false).expect("conforms");
    let flags: Vec<_> = got
        .messages
        .iter()
        .map(|m| m.author.flags.clone())
        .collect();
    assert_eq!(
        flags,
        vec![
            vec![],
            vec!["moderator".to_owned()],
            vec!["moderator".to_owned()]
        ]
    );
}
