//! The Discord reader on a fixture written to DiscordChatExporter's JSON layout.

use hearth_sources::conformance;
use hearth_sources::discord::{DiscordReader, read_export};
use hearth_sources::{Severity, SkipReason};
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/discord/hearth-guild-general.json")
}

#[test]
fn the_fixture_maps_as_documented() {
    let got = conformance::check(&DiscordReader, &fixture(), false).expect("conforms");
    // 5 messages: a join (passed over), a question, two replies, a bot's level-up.
    assert_eq!(got.messages.len(), 4);
    assert_eq!(got.diagnostics.len(), 1);
    assert_eq!(got.diagnostics[0].reason, SkipReason::NotConversation);
    let q = &got.messages[0];
    assert_eq!(q.native_id, "1210000000000000002");
    assert_eq!(q.space_name, "Hearth Test Guild #general");
    assert_eq!(q.time, 1_706_778_930); // 10:15:30.5+01:00 = 09:15:30Z
    assert_eq!(q.author.display_name.as_deref(), Some("Newbie"));
    assert_eq!(q.author.username.as_deref(), Some("newbie"));
    assert_eq!(q.mentions, vec!["800000000000000001".to_owned()]);
    let staff = &got.messages[2];
    assert_eq!(staff.parent.as_deref(), Some("1210000000000000002"));
    assert_eq!(staff.author.flags, vec!["role:Team".to_owned()]);
    assert_eq!(got.messages[3].author.flags, vec!["bot".to_owned()]);
}

#[test]
fn a_cut_file_keeps_the_messages_before_the_cut() {
    let bytes = std::fs::read(fixture()).expect("fixture");
    let text = String::from_utf8(bytes).expect("utf-8");
    let cut = text
        .find("\"id\": \"1210000000000000004\"")
        .expect("4th message");
    let path = Path::new("cut.json");
    let got = conformance::check_stream(
        path,
        &text.as_bytes()[..cut],
        |input, sink| read_export(path, input, sink),
        false,
    )
    .expect("conforms");
    assert_eq!(got.messages.len(), 2);
    let d = got.diagnostics.last().expect("diagnostic");
    assert_eq!(
        (d.severity, d.reason),
        (Severity::Skipped, SkipReason::NotARecord)
    );
    assert!(
        d.detail.contains("the rest of the file was skipped"),
        "{}",
        d.detail
    );
    assert!(d.line > 100);
}
