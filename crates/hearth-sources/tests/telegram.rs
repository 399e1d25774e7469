//! The Telegram reader on a fixture in Telegram Desktop's export layout, one chat and all chats.

use hearth_sources::SkipReason;
use hearth_sources::conformance;
use hearth_sources::telegram::{TelegramReader, read_export};
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/telegram/result.json")
}

#[test]
fn one_chat_and_all_chats_read_alike() {
    let one = conformance::check(&TelegramReader, &fixture(), false).expect("conforms");
    assert_eq!(one.messages.len(), 4);
    assert!(
        one.diagnostics
            .iter()
            .all(|d| d.reason == SkipReason::NotConversation)
    );
    let cy = &one.messages[2];
    assert_eq!(cy.native_id, "1712345678/5");
    assert_eq!(cy.parent.as_deref(), Some("1712345678/4"));
    assert_eq!(
        cy.text,
        "Bob here: https://example.org/pinout and ask @ann_vendor"
    );
    assert_eq!(cy.mentions, vec!["user222".to_owned()]);
    assert_eq!(cy.time, 1_682_937_600);
    assert_eq!(cy.space_name, "Hearth Makers");

    // The same chat inside an all-chats export.
    let chat = std::fs::read_to_string(fixture()).expect("fixture");
    let all = format!(
        "{{\"about\": \"export\", \"chats\": {{\"about\": \"chats\", \"list\": [{chat}]}}}}"
    );
    let path = Path::new("result.json");
    let got = conformance::check_stream(
        path,
        all.as_bytes(),
        |input, sink| read_export(path, input, sink),
        false,
    )
    .expect("conforms");
    assert!(got.messages == one.messages);
}

#[test]
fn a_message_without_author_or_date_is_skipped() {
    let doc = br#"{"name": "G", "id": 9, "messages": [
      {"id": 1, "type": "message", "date": "2023-05-01T12:05:00", "from": "A", "from_id": "user1", "text": "hi"},
      {"id": 2, "type": "message", "date": "2023-05-01T12:06:00", "from": "Deleted Account", "text": "x"},
      {"id": 3, "type": "message", "from": "A", "from_id": "user1", "text": "y"}
    ]}"#;
    let path = Path::new("result.json");
    let got = conformance::check_stream(
        path,
        doc,
        |input, sink| read_export(path, input, sink),
        false,
    )
    .expect("conforms");
    assert_eq!(got.messages.len(), 1);
    // Without date_unixtime, `date` is read as UTC.
    assert_eq!(got.messages[0].time, 1_682_942_700);
    let reasons: Vec<_> = got.diagnostics.iter().map(|d| d.reason).collect();
    assert_eq!(
        reasons,
        vec![SkipReason::MissingAuthor, SkipReason::MissingTime]
    );
}
