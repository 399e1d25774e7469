//! The mbox reader on the real usrp-users archive and on broken inputs cut from it.

use hearth_sources::conformance::{self, CollectSink};
use hearth_sources::mbox::MboxReader;
use hearth_sources::{Severity, SkipReason};
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn usrp_users() -> Vec<PathBuf> {
    let dir = repo().join("../shared/data/mbox/usrp-users");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e} (tests need ../shared/data)", dir.display()))
        .map(|e| e.map(|e| e.path()).expect("dir entry"))
        .collect();
    files.sort();
    files
}

fn excerpt() -> Vec<u8> {
    std::fs::read(repo().join("fixtures/mbox/usrp-users-2026-excerpt.mbox")).expect("excerpt")
}

fn read(name: &str, bytes: &[u8]) -> CollectSink {
    check_bytes(name, bytes).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn check_bytes(name: &str, bytes: &[u8]) -> Result<CollectSink, String> {
    conformance::check_stream(
        Path::new(name),
        bytes,
        |input, sink| MboxReader.read_stream(Path::new(name), input, sink),
        true,
    )
}

fn all_messages() -> CollectSink {
    let mut all = CollectSink::default();
    for f in usrp_users() {
        let got = conformance::check(&MboxReader, &f, true)
            .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        all.messages.extend(got.messages);
        all.diagnostics.extend(got.diagnostics);
    }
    all
}

#[test]
fn usrp_users_archive_reads_completely_and_conforms() {
    let all = all_messages();
    // grep -c '^From ' over the eight files gives 11,424; nothing is broken in this archive.
    assert_eq!(all.messages.len(), 11_424);
    assert_eq!(all.skipped(), 0, "{:?}", all.diagnostics.first());
    // The list munges senders; no author may be the list address itself.
    assert!(
        all.messages
            .iter()
            .all(|m| m.author.native_id != "usrp-users@lists.ettus.com")
    );
    assert!(
        all.messages
            .iter()
            .all(|m| m.space == "usrp-users.lists.ettus.com")
    );
    // No body starts inside the headers; own words exist for nearly every message (the
    // exceptions are "unsubscribe" mails with an empty body and replies that only quote).
    assert!(
        !all.messages
            .iter()
            .any(|m| m.text.starts_with("Message-ID:"))
    );
    let empty = all
        .messages
        .iter()
        .filter(|m| m.text.trim().is_empty())
        .count();
    assert!(empty < 40, "{empty} messages without own words");
    // Own words drop quotes and the list footer.
    assert!(!all.messages.iter().any(|m| m.text.contains("\n> ")));
    // A footer copied inside an unmarked (indented or Outlook-style) quote can survive:
    // 28 of 11,424 messages today; this bound guards against regressions.
    let footers = all
        .messages
        .iter()
        .filter(|m| m.text.contains("To unsubscribe send an email"))
        .count();
    assert!(footers <= 30, "{footers} messages keep a list footer");
    // A bare forward keeps the question it forwards.
    let fwd = all
        .messages
        .iter()
        .find(|m| {
            m.native_id == "CAPRRyxu2m=u9QAyCkBQ76DZN1vKy-FP9soRiMO3Oib9JZcvjXw@mail.gmail.com"
        })
        .expect("the Fwd: message");
    assert!(fwd.text.contains("overflow"), "{:?}", fwd.text);
    // Messages with a parent id (first In-Reply-To id, else last References id, not
    // itself), counted independently by tests/reference/mbox_report.py's `ids()` rule.
    let with_parent = all.messages.iter().filter(|m| m.parent.is_some()).count();
    assert_eq!(with_parent, 8_787);
}

#[test]
fn munged_senders_and_encoded_names_are_decoded() {
    let all = all_messages();
    let by = |email: &str| {
        all.messages
            .iter()
            .find(|m| m.author.email.as_deref() == Some(email))
            .unwrap_or_else(|| panic!("no message from {email}"))
    };
    // From: =?utf-8?q?Matthias_Br=C3=A4ndli_via_USRP-users?= <usrp-users@lists.ettus.com>
    // Reply-To: =?UTF-8?Q?Matthias_Br=c3=a4ndli?= <matthias@mpb.li>
    let m = by("matthias@mpb.li");
    assert_eq!(m.author.display_name.as_deref(), Some("Matthias Brändli"));
    assert_eq!(m.author.native_id, "matthias@mpb.li");
    // From: =?utf-8?b?5bqU5bGx5bedIHZpYSBVU1JQLXVzZXJz?= (base64) with Reply-To ying2011@126.com
    assert_eq!(
        by("ying2011@126.com").author.display_name.as_deref(),
        Some("应山川")
    );
    // From: =?iso-8859-1?Q?M=F6nch=2C_Tobias?= <tobias.moench@fhr.fraunhofer.de>: the encoded
    // comma stays inside the name.
    assert_eq!(
        by("tobias.moench@fhr.fraunhofer.de")
            .author
            .display_name
            .as_deref(),
        Some("Mönch, Tobias")
    );
}

#[test]
fn bare_in_reply_to_ids_are_parents() {
    let bytes =
        std::fs::read(repo().join("../shared/data/mbox/usrp-users/2024.mbox")).expect("2024");
    let got = read("2024.mbox", &bytes);
    // line 2332 of 2024.mbox: "In-Reply-To: CAGNhwTM6jobd1Ts+...@mail.gmail.com" (no brackets)
    assert!(got.messages.iter().any(|m| m.parent.as_deref()
        == Some("CAGNhwTM6jobd1Ts+DmbGsXGxxD9FrKXUagxSdq=YV7jq45xXZw@mail.gmail.com")));
}

const HAND_MADE: &str = "From a Thu Jan  1 00:00:00 1970
From: =?iso-8859-1?Q?J=F6rn_Skorstad?= <Joern@Example.ORG>
Subject: =?utf-8?B?w6RiYw==?= and =?utf-8?Q?caf=C3=A9?=
Date: Thu, 2 May 2019 14:18:38 +0200
Message-ID: <one@example.org>
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable

Gr=FC=DFe aus Oslo

From b Thu Jan  1 00:00:00 1970
From: Ann <ann@example.org>
Date: Fri, 3 May 2019 09:00:00 +0000
Message-ID: <two@example.org>
References: <zero@example.org> <one@example.org>
Content-Type: multipart/alternative; boundary=\"XX\"

--XX
Content-Type: text/plain; charset=utf-8

plain part
--XX
Content-Type: text/html; charset=utf-8

<p>html part</p>
--XX--
";

#[test]
fn headers_bodies_and_references_are_decoded() {
    let got = read("hand.mbox", HAND_MADE.as_bytes());
    assert_eq!(got.messages.len(), 2);
    let (a, b) = (&got.messages[0], &got.messages[1]);
    assert_eq!(got.messages[0].text, "Gr\u{fc}\u{df}e aus Oslo\n");
    assert_eq!(a.author.display_name.as_deref(), Some("Jörn Skorstad"));
    assert_eq!(a.author.native_id, "joern@example.org");
    assert_eq!(a.subject.as_deref(), Some("äbc and café"));
    assert_eq!(a.text.trim(), "Grüße aus Oslo");
    assert_eq!(a.time, 1_556_799_518);
    assert_eq!(a.parent, None);
    // No In-Reply-To: the last References id is the parent.
    assert_eq!(b.parent.as_deref(), Some("one@example.org"));
    assert_eq!(b.text.trim(), "plain part");
    // No List-Id: the space is the file's folder.
    assert_eq!(a.space, "folder:mbox");
}

fn separators(bytes: &[u8]) -> Vec<usize> {
    let mut at = vec![0];
    at.extend(
        bytes
            .windows(7)
            .enumerate()
            .filter(|(_, w)| w == b"\n\nFrom ")
            .map(|(i, _)| i + 2),
    );
    at
}

fn line_of(bytes: &[u8], offset: usize) -> u64 {
    1 + bytes[..offset].iter().filter(|b| **b == b'\n').count() as u64
}

#[test]
fn garbage_before_the_first_message_is_reported_and_the_rest_kept() {
    let mut bytes = b"this is not a mailbox\nnor is this\n\n".to_vec();
    bytes.extend(excerpt());
    let got = read("garbage.mbox", &bytes);
    assert_eq!(got.messages.len(), 80);
    assert_eq!(got.diagnostics.len(), 1);
    let d = &got.diagnostics[0];
    assert_eq!(
        (d.reason, d.line, d.byte_offset),
        (SkipReason::NotARecord, 1, 0)
    );
    assert!(
        d.to_string()
            .starts_with("garbage.mbox:1 (byte 0): skipped: expected an mbox separator")
    );
}

#[test]
fn a_truncated_last_message_is_skipped_with_its_position() {
    let full = excerpt();
    let last = *separators(&full).last().expect("separators");
    // Cut inside the last message's header block, before its Date.
    let header_end = last
        + full[last..]
            .windows(6)
            .position(|w| w == b"\nDate:")
            .expect("Date");
    let cut = &full[..header_end];
    let got = read("truncated.mbox", cut);
    assert_eq!(got.messages.len(), 79);
    let d = &got.diagnostics[0];
    assert_eq!(d.severity, Severity::Skipped);
    assert_eq!(d.reason, SkipReason::MissingTime);
    assert_eq!(d.byte_offset, last as u64);
    assert_eq!(d.line, line_of(cut, last));
}

#[test]
fn messages_without_author_or_date_are_skipped_others_kept() {
    let text = String::from_utf8(excerpt()).expect("utf-8");
    // Remove the From header of the first message and the Date of the second.
    let first_from = text.find("\nFrom: ").expect("From");
    let end = first_from + 1 + text[first_from + 1..].find('\n').expect("eol");
    let mut broken = format!("{}{}", &text[..first_from], &text[end..]);
    let second = separators(broken.as_bytes())[1];
    let date = second + broken[second..].find("\nDate: ").expect("Date");
    let date_end = date + 1 + broken[date + 1..].find('\n').expect("eol");
    broken.replace_range(date..date_end, "");
    let got = read("broken.mbox", broken.as_bytes());
    assert_eq!(got.messages.len(), 78);
    let reasons: Vec<_> = got.diagnostics.iter().map(|d| (d.reason, d.line)).collect();
    assert_eq!(
        reasons,
        vec![
            (SkipReason::MissingAuthor, 1),
            (SkipReason::MissingTime, line_of(broken.as_bytes(), second))
        ]
    );
}

#[test]
fn a_missing_message_id_gets_a_stable_derived_id() {
    let text = String::from_utf8(excerpt()).expect("utf-8");
    let at = text.find("\nMessage-ID: ").expect("Message-ID");
    let end = at + 1 + text[at + 1..].find('\n').expect("eol");
    let broken = format!("{}{}", &text[..at], &text[end..]);
    let one = read("noid.mbox", broken.as_bytes());
    let two = read("noid.mbox", broken.as_bytes());
    assert_eq!(one.messages.len(), 80);
    assert!(one.messages[0].native_id.starts_with("hearth:"));
    assert_eq!(one.messages[0].native_id, two.messages[0].native_id);
    assert_eq!(one.diagnostics[0].reason, SkipReason::SynthesizedId);
    assert_eq!(one.diagnostics[0].severity, Severity::Note);
}

#[test]
fn crlf_binary_empty_and_foreign_files() {
    let crlf: Vec<u8> = String::from_utf8(excerpt())
        .expect("utf-8")
        .replace('\n', "\r\n")
        .into_bytes();
    assert_eq!(read("crlf.mbox", &crlf).messages.len(), 80);

    let mut binary = excerpt();
    for i in (500..binary.len()).step_by(997) {
        binary[i] = [0u8, 0xff, 0xc3, b'\n'][i % 4];
    }
    let got = read("binary.mbox", &binary);
    assert!(got.messages.len() >= 70, "{}", got.messages.len());

    let empty = read("empty.mbox", b"");
    assert_eq!((empty.messages.len(), empty.diagnostics.len()), (0, 0));

    let json = read("data.json", br#"{"messages": [{"id": 1}]}"#);
    assert_eq!(json.messages.len(), 0);
    assert_eq!(json.diagnostics[0].reason, SkipReason::NotARecord);
}

#[test]
fn chunk_boundaries_change_nothing() {
    let mut garbage = b"junk\n\n".to_vec();
    garbage.extend(excerpt());
    let crlf = String::from_utf8(excerpt())
        .expect("utf-8")
        .replace('\n', "\r\n")
        .into_bytes();
    let truncated = excerpt()[..200_001].to_vec();
    let small = excerpt()[..30_000].to_vec();
    let cases = [
        (excerpt(), &[7, 64, 999, 4096, 65_536][..]),
        (garbage, &[5, 4096][..]),
        (crlf, &[3, 4096][..]),
        (truncated, &[13, 65_536][..]),
        (small, &[1, 2][..]),
        (b"no mail here".to_vec(), &[1, 2, 5][..]),
    ];
    for (input, chunks) in cases {
        let whole = read("x.mbox", &input);
        for &chunk in chunks {
            let mut sink = CollectSink::default();
            MboxReader
                .read_chunked(Path::new("x.mbox"), &mut input.as_slice(), &mut sink, chunk)
                .expect("read");
            assert_eq!(sink.messages.len(), whole.messages.len(), "chunk {chunk}");
            assert!(sink.messages == whole.messages, "chunk {chunk}");
            assert_eq!(sink.diagnostics, whole.diagnostics, "chunk {chunk}");
        }
    }
}

/// A small deterministic fuzz run in the ordinary test suite (the cargo-fuzz target in
/// `fuzz/` goes further): mutated real input never panics and always conforms.
#[test]
fn mutated_real_input_never_panics() {
    let base = excerpt();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for round in 0..300 {
        let mut bytes = base.clone();
        match round % 4 {
            0 => {
                for _ in 0..50 {
                    let i = (next() as usize) % bytes.len();
                    bytes[i] = next() as u8;
                }
            }
            1 => bytes.truncate((next() as usize) % bytes.len()),
            2 => {
                let i = (next() as usize) % bytes.len();
                let junk: &[u8] = [
                    b"\n\nFrom x 1:1\n".as_slice(),
                    b"\nDate: Mon, 99 Foo 20x9 99:99:99 +9999\n",
                    b"\nFrom: =?utf-8?b?!!!?= <>\n",
                    b"\nContent-Type: multipart/mixed; boundary=\"\"\n\n--\n",
                    b"=?x?q?=ZZ?=\r\r\n\0",
                ][(next() as usize) % 5];
                bytes.splice(i..i, junk.iter().copied());
            }
            _ => {
                let a = (next() as usize) % bytes.len();
                let b = (next() as usize) % bytes.len();
                let (a, b) = (a.min(b), a.max(b));
                bytes.drain(a..b.min(a + 4096));
            }
        }
        if let Err(e) = check_bytes("fuzz.mbox", &bytes) {
            panic!("round {round}: {e}");
        }
    }
}

#[test]
fn a_symlinked_folder_is_read_once_and_a_loop_ends() {
    use hearth_sources::Reader;
    let dir = tempfile::tempdir().expect("tempdir");
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).expect("sub");
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/mbox/usrp-users-2026-excerpt.mbox");
    std::fs::copy(&fixture, sub.join("a.mbox")).expect("copy");
    std::os::unix::fs::symlink("sub", dir.path().join("link")).expect("link");
    std::os::unix::fs::symlink(".", sub.join("loop")).expect("loop");
    std::os::unix::fs::symlink("/nonexistent", sub.join("dangling.mbox")).expect("dangling");
    let units = hearth_sources::mbox::MboxReader
        .units(&[dir.path().to_path_buf()])
        .expect("no entry stops the walk");
    assert_eq!(units.len(), 1, "{units:?}");
}
