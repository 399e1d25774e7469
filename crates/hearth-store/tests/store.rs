//! The store on a real excerpt of usrp-users: migrations, re-ingest, rollback, parent links.

use hearth_model::{NO_PARENT, RawAccount, RawMessage};
use hearth_sources::mbox::MboxReader;
use hearth_sources::{ReadError, Reader, Sink};
use hearth_store::{Store, StoreError};
use std::path::{Path, PathBuf};

fn excerpt() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/mbox/usrp-users-2026-excerpt.mbox")
}

fn linked(store: &Store) -> usize {
    let s = store.snapshot().expect("snapshot");
    s.messages
        .parent
        .iter()
        .filter(|p| **p != NO_PARENT)
        .count()
}

#[test]
fn reopening_applies_no_migration_twice_and_reingest_adds_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open(dir.path()).expect("open");
    let first = store
        .ingest(&MboxReader, &[excerpt()], &mut |_| {})
        .expect("ingest");
    assert_eq!(
        (first.read(), first.added(), first.duplicates()),
        (80, 80, 0)
    );
    drop(store);

    let mut store = Store::open(dir.path()).expect("reopen");
    let again = store
        .ingest(&MboxReader, &[excerpt()], &mut |_| {})
        .expect("ingest");
    assert_eq!(
        (again.read(), again.added(), again.duplicates()),
        (80, 0, 80)
    );
    assert_eq!(again.parents_linked, 0);
    assert_eq!(store.message_count().expect("count"), 80);
    let snapshot = store.snapshot().expect("snapshot");
    // 28 distinct senders in the excerpt (tests/reference/mbox_report.py).
    assert_eq!(snapshot.persons.len(), 28);
    assert_eq!(snapshot.spaces.len(), 1);
    // 50 replies whose parent is inside the excerpt: 15 + 10 + 21 + 1 between people, 3 self.
    assert_eq!(linked(&store), 50);
}

#[test]
fn parents_that_arrive_later_are_linked_then() {
    let text = std::fs::read_to_string(excerpt()).expect("excerpt");
    // Split in the middle at a separator; read the second half (replies) first.
    let mid = text.len() / 2;
    let cut = mid + text[mid..].find("\n\nFrom ").expect("separator") + 2;
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = (dir.path().join("a.mbox"), dir.path().join("b.mbox"));
    std::fs::write(&a, &text[..cut]).expect("write");
    std::fs::write(&b, &text[cut..]).expect("write");
    let mut store = Store::open(&dir.path().join("data")).expect("open");
    let later = store.ingest(&MboxReader, &[b], &mut |_| {}).expect("b");
    let earlier = store.ingest(&MboxReader, &[a], &mut |_| {}).expect("a");
    assert_eq!(later.added() + earlier.added(), 80);
    assert_eq!(linked(&store), 50);
    assert!(earlier.parents_linked > 0);
}

/// Emits real messages, then fails like a disk error in the middle of the file.
struct FailingReader {
    good: usize,
}

impl Reader for FailingReader {
    fn id(&self) -> &'static str {
        "mbox"
    }

    fn units(&self, paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
        Ok(paths.to_vec())
    }

    fn read(&self, file: &Path, sink: &mut dyn Sink) -> Result<(), ReadError> {
        for i in 0..self.good {
            let m = RawMessage {
                native_id: format!("m{i}@example.org"),
                space: "s".into(),
                space_name: "s".into(),
                author: RawAccount {
                    native_id: format!("p{i}@example.org"),
                    ..RawAccount::default()
                },
                time: 1_600_000_000 + i as i64,
                ..RawMessage::default()
            };
            sink.message(m).map_err(|source| ReadError::Sink {
                path: file.to_path_buf(),
                source,
            })?;
        }
        Err(ReadError::Io {
            path: file.to_path_buf(),
            source: std::io::Error::other("device went away"),
        })
    }
}

#[test]
fn a_failure_mid_batch_leaves_the_store_as_before_the_batch() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open(dir.path()).expect("open");
    store
        .ingest(&MboxReader, &[excerpt()], &mut |_| {})
        .expect("ingest");
    let before = store.snapshot().expect("snapshot");

    store.set_batch_size(4);
    let err = store
        .ingest(&FailingReader { good: 10 }, &[excerpt()], &mut |_| {})
        .expect_err("must fail");
    assert!(
        matches!(err, StoreError::Read(ReadError::Io { .. })),
        "{err}"
    );
    // Two batches of 4 were committed; the 2 messages (and people) in flight were not.
    let after = store.snapshot().expect("snapshot");
    assert_eq!(after.messages.len(), before.messages.len() + 8);
    assert_eq!(after.persons.len(), before.persons.len() + 8);

    // Reading again completes the file and adds nothing twice.
    let again = store.ingest(&FailingReader { good: 10 }, &[excerpt()], &mut |_| {});
    assert!(again.is_err());
    assert_eq!(
        store.snapshot().expect("snapshot").messages.len(),
        before.messages.len() + 8
    );
}

#[test]
fn message_text_is_kept_for_drill_down() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open(dir.path()).expect("open");
    store
        .ingest(&MboxReader, &[excerpt()], &mut |_| {})
        .expect("ingest");
    let snapshot = store.snapshot().expect("snapshot");
    let id = hearth_model::MessageId(snapshot.messages.id[0]);
    let text = store.message_text(id).expect("query").expect("text");
    // The first message of the excerpt (Rob Kossler, 2026-01-06): its body, not its headers.
    assert!(
        text.starts_with("Hi,\nI am playing around with the extensions interface"),
        "{text:?}"
    );
}

#[test]
fn few_texts_looked_up_one_by_one_are_the_texts_the_walk_reads() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open(dir.path()).expect("open");
    store
        .ingest(&MboxReader, &[excerpt()], &mut |_| {})
        .expect("ingest");
    let mut ids: Vec<i64> = store.snapshot().expect("snapshot").messages.id.clone();
    ids.sort_unstable();
    let mut walked = Vec::new();
    store
        .for_each_text(&ids, |id, subject, body| {
            walked.push((id, subject.to_owned(), body.to_owned()));
        })
        .expect("walk");
    assert_eq!(walked.len(), 80);
    // Every tenth message, a duplicate and an id with no message: sparse enough to be
    // looked up one by one.
    let mut few: Vec<i64> = ids.iter().step_by(10).copied().collect();
    few.push(few[3]);
    few.push(ids.iter().max().copied().unwrap_or(0) + 1_000);
    few.sort_unstable();
    assert!((few.len() as u64) * hearth_store::SPARSE_TEXT < (few[few.len() - 1] - few[0]) as u64);
    let mut looked_up = Vec::new();
    store
        .for_each_text(&few, |id, subject, body| {
            looked_up.push((id, subject.to_owned(), body.to_owned()));
        })
        .expect("lookups");
    let expected: Vec<_> = walked
        .iter()
        .filter(|w| few.contains(&w.0))
        .cloned()
        .collect();
    assert_eq!(looked_up.len(), 8);
    assert_eq!(looked_up, expected);
}

/// Emits three messages with mentions, including a repeated one and an account never seen
/// as an author.
struct MentionReader;

impl Reader for MentionReader {
    fn id(&self) -> &'static str {
        "test"
    }

    fn units(&self, paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
        Ok(paths.to_vec())
    }

    fn read(&self, file: &Path, sink: &mut dyn Sink) -> Result<(), ReadError> {
        let msg = |id: &str, author: &str, mentions: &[&str]| RawMessage {
            native_id: id.into(),
            space: "general".into(),
            space_name: "general".into(),
            author: RawAccount {
                native_id: author.into(),
                ..RawAccount::default()
            },
            time: 1_600_000_000,
            mentions: mentions.iter().map(|m| m.to_string()).collect(),
            ..RawMessage::default()
        };
        for m in [
            msg("1", "U1", &["U2", "U2"]),
            msg("2", "U2", &["U1", "U3"]),
            msg("3", "U3", &[]),
        ] {
            sink.message(m).map_err(|source| ReadError::Sink {
                path: file.to_path_buf(),
                source,
            })?;
        }
        Ok(())
    }
}

#[test]
fn mentions_are_stored_once_and_reach_the_snapshot() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open(dir.path()).expect("open");
    store
        .ingest(&MentionReader, &[excerpt()], &mut |_| {})
        .expect("ingest");
    store
        .ingest(&MentionReader, &[excerpt()], &mut |_| {})
        .expect("again");
    let s = store.snapshot().expect("snapshot");
    let name = |p: u32| s.persons[p as usize].accounts[0].native_id.clone();
    let names = |i: usize| {
        s.messages
            .mentions(i)
            .iter()
            .map(|p| name(*p))
            .collect::<Vec<_>>()
    };
    assert_eq!(names(0), vec!["U2"]);
    assert_eq!(names(1), vec!["U1", "U3"]);
    assert!(names(2).is_empty());
    // U3 was mentioned before it wrote: one account, one person.
    assert_eq!(s.persons.len(), 3);
    assert_eq!(store.check().expect("check"), Vec::<String>::new());
}

#[test]
fn the_snapshot_cache_is_used_only_for_its_generation() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = std::fs::read_to_string(excerpt()).expect("excerpt");
    let cut = text.len() / 2 + text[text.len() / 2..].find("\n\nFrom ").expect("separator") + 2;
    let (a, b) = (dir.path().join("a.mbox"), dir.path().join("b.mbox"));
    std::fs::write(&a, &text[..cut]).expect("write");
    std::fs::write(&b, &text[cut..]).expect("write");
    let data = dir.path().join("data");
    let mut store = Store::open(&data).expect("open");
    store.ingest(&MboxReader, &[a], &mut |_| {}).expect("a");

    let first = store.snapshot().expect("snapshot");
    let cache = data.join("snapshot.cache");
    assert!(cache.exists());
    let cached = store.snapshot().expect("from cache");
    assert_eq!(cached, first);
    assert_eq!(cached, store.load_snapshot().expect("tables"));

    // New messages: a new generation; the old cache is not used.
    let g = store.generation().expect("generation");
    store.ingest(&MboxReader, &[b], &mut |_| {}).expect("b");
    assert!(store.generation().expect("generation") > g);
    let after = store.snapshot().expect("snapshot");
    assert_eq!(after.messages.len(), 80);
    assert_eq!(after, store.load_snapshot().expect("tables"));

    // A merge by hand is a write too.
    let ids: Vec<_> = after
        .persons
        .iter()
        .map(|p| p.accounts[0].id)
        .take(2)
        .collect();
    store
        .merge_accounts(
            ids[0],
            ids[1],
            "test",
            &hearth_store::Change::new("test", "people.merge", "", serde_json::json!({})),
        )
        .expect("merge");
    assert_eq!(
        store.snapshot().expect("snapshot").identity_actions.len(),
        1
    );

    // A damaged cache costs time, never correctness.
    for damage in [
        b"garbage".to_vec(),
        std::fs::read(&cache).expect("cache")[..100].to_vec(),
    ] {
        std::fs::write(&cache, damage).expect("damage");
        assert_eq!(
            store.snapshot().expect("snapshot"),
            store.load_snapshot().expect("tables")
        );
    }
}

/// Says 150 notes, then skips one record.
struct NotesThenASkip;

impl Reader for NotesThenASkip {
    fn id(&self) -> &'static str {
        "jsonl"
    }
    fn units(&self, paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
        Ok(paths.to_vec())
    }
    fn read(&self, unit: &Path, sink: &mut dyn Sink) -> Result<(), ReadError> {
        let d = |line, severity, reason| hearth_sources::Diagnostic {
            file: unit.to_path_buf(),
            line,
            byte_offset: line * 10,
            severity,
            reason,
            detail: "x".repeat(100_000),
        };
        for line in 1..=150 {
            sink.diagnostic(d(
                line,
                hearth_sources::Severity::Note,
                hearth_sources::SkipReason::SynthesizedId,
            ));
        }
        sink.diagnostic(d(
            151,
            hearth_sources::Severity::Skipped,
            hearth_sources::SkipReason::MissingTime,
        ));
        Ok(())
    }
}

#[test]
fn notes_never_crowd_a_skipped_record_out_of_the_summary() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open(dir.path()).expect("open");
    let summary = store
        .ingest(&NotesThenASkip, &[dir.path().join("x.jsonl")], &mut |_| {})
        .expect("ingest");
    let file = &summary.files[0];
    assert_eq!(file.skipped, 1);
    assert_eq!(file.notes_by_reason["synthesized_id"], 150);
    let skipped: Vec<_> = file
        .diagnostics
        .iter()
        .filter(|d| d.severity == hearth_sources::Severity::Skipped)
        .collect();
    assert_eq!(skipped.len(), 1, "the skip is kept");
    assert_eq!(skipped[0].line, 151);
    assert!(file.diagnostics.len() <= hearth_store::KEEP_NOTES + 1);
    assert!(
        file.diagnostics.iter().all(|d| d.detail.len() < 400),
        "details are quoted short"
    );
}

/// Collects the native ids of what a reader emits, in order.
struct Ids(Vec<String>);

impl Sink for Ids {
    fn message(&mut self, message: RawMessage) -> Result<(), hearth_sources::SinkError> {
        self.0.push(message.native_id);
        Ok(())
    }
    fn diagnostic(&mut self, _: hearth_sources::Diagnostic) {}
    fn progress(&mut self, _: u64) {}
}

#[test]
fn text_measured_on_two_threads_is_written_in_file_order_with_its_own_message() {
    let year = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/mbox/usrp-users/2019.mbox");
    let mut in_file = Ids(Vec::new());
    MboxReader.read(&year, &mut in_file).expect("read");
    assert!(in_file.0.len() > 1_000, "{}", in_file.0.len());

    // A slow measurer (the writer waits for it, so the measuring worker starts) that writes
    // each body's length where the names go, and notes the threads it ran on.
    let threads = std::sync::Arc::new(std::sync::Mutex::new(std::collections::HashSet::new()));
    let seen = threads.clone();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open(dir.path()).expect("open");
    store.set_measurer(hearth_store::measures::Measurer {
        key: (1, 0),
        measure: Box::new(move |_subject, body| {
            std::thread::sleep(std::time::Duration::from_micros(200));
            if let Ok(mut s) = seen.lock() {
                s.insert(std::thread::current().id());
            }
            hearth_model::Measured {
                measure: hearth_model::TextMeasure {
                    names: body.len() as u64,
                    ..hearth_model::TextMeasure::default()
                },
                terms: Vec::new(),
            }
        }),
    });
    store
        .ingest(&MboxReader, std::slice::from_ref(&year), &mut |_| {})
        .expect("ingest");
    let measured_on = threads.lock().map(|s| s.len()).unwrap_or(0);
    assert!(measured_on >= 2, "measured on {measured_on} thread(s)");

    let snapshot = store.snapshot().expect("snapshot");
    let m = &snapshot.messages;
    let mut by_id: Vec<usize> = (0..m.id.len()).collect();
    by_id.sort_by_key(|&i| m.id[i]);
    let mut stored = Vec::new();
    for &i in &by_id {
        let id = hearth_model::MessageId(m.id[i]);
        let (_, native) = store.message_ref(id).expect("ref").expect("stored");
        let text = store.message_text(id).expect("text").unwrap_or_default();
        let measure = m.measure(i).expect("measured");
        assert_eq!(measure.names, text.len() as u64, "{native}");
        stored.push(native);
    }
    // Store ids in file order (a message id met twice is stored once, where first met).
    let mut first = std::collections::HashSet::new();
    let expected: Vec<String> = in_file
        .0
        .into_iter()
        .filter(|id| first.insert(id.clone()))
        .collect();
    assert_eq!(stored, expected);
}

/// The stored theme terms of a few messages scattered over the store, looked up one by one,
/// are the terms the walk over the range reads.
#[test]
fn few_terms_looked_up_one_by_one_are_the_terms_the_walk_reads() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open(dir.path()).expect("open");
    // Terms: the body's first words.
    store.set_measurer(hearth_store::measures::Measurer {
        key: (1, 0),
        measure: Box::new(|_subject, body| hearth_model::Measured {
            measure: hearth_model::TextMeasure::default(),
            terms: body
                .split_whitespace()
                .take(4)
                .map(str::to_lowercase)
                .collect(),
        }),
    });
    store
        .ingest(&MboxReader, &[excerpt()], &mut |_| {})
        .expect("ingest");
    let mut ids: Vec<i64> = store.snapshot().expect("snapshot").messages.id.clone();
    ids.sort_unstable();
    let mut walked = Vec::new();
    store
        .for_each_terms(&ids, |id, t| walked.push((id, t.to_vec())))
        .expect("walk");
    assert!(walked.len() > 70, "{}", walked.len());
    let mut few: Vec<i64> = ids.iter().step_by(10).copied().collect();
    few.push(ids.iter().max().copied().unwrap_or(0) + 1_000);
    few.sort_unstable();
    assert!((few.len() as u64) * hearth_store::SPARSE_TEXT < (few[few.len() - 1] - few[0]) as u64);
    let mut looked_up = Vec::new();
    store
        .for_each_terms(&few, |id, t| looked_up.push((id, t.to_vec())))
        .expect("lookups");
    let expected: Vec<_> = walked
        .iter()
        .filter(|w| few.contains(&w.0))
        .cloned()
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(looked_up, expected);
}
