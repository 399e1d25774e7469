//! The Slack reader on the real event log and export, and on broken copies of them.
//! Expected numbers: `python3 tests/reference/slack_counts.py UNIT`.

use hearth_sources::conformance::{self, CollectSink};
use hearth_sources::slack::SlackReader;
use hearth_sources::{Reader, Severity, SkipReason};
use std::path::{Path, PathBuf};

fn unit(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/slack")
        .join(name)
}

fn read(path: &Path) -> CollectSink {
    conformance::check(&SlackReader, path, false).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn both_units_are_found_and_conform() {
    let units = SlackReader.units(&[unit("")]).expect("units");
    assert_eq!(
        units,
        vec![unit("clojurians-log-demo"), unit("houstondatavis-export")]
    );

    let events = read(&unit("clojurians-log-demo"));
    // 7,855 plain messages + 11 /me + 60 file shares + 109 bot messages.
    assert_eq!(events.messages.len(), 8035);
    assert_eq!(events.skipped(), 0);
    let replies = events
        .messages
        .iter()
        .filter(|m| m.parent.is_some())
        .count();
    assert_eq!(replies, 655); // ../shared/data/README.md: 655 thread replies
    let bots = events
        .messages
        .iter()
        .filter(|m| m.author.flags.iter().any(|f| f == "bot"))
        .count();
    assert_eq!(bots, 109);

    let export = read(&unit("houstondatavis-export"));
    // README: 1,382 entries, 1,025 real messages (no subtype, or a file share).
    assert_eq!(export.messages.len(), 1025);
    let notes = export
        .diagnostics
        .iter()
        .filter(|d| d.reason == SkipReason::NotConversation)
        .count();
    assert_eq!(notes, 357);
    let m = export
        .messages
        .iter()
        .find(|m| m.text == "Hello!")
        .expect("the first hello");
    assert_eq!(m.space_name, "#general");
    assert_eq!(m.author.native_id, "U061A5N1G");
    let admins = export
        .messages
        .iter()
        .filter(|m| m.author.flags.iter().any(|f| f == "admin"))
        .map(|m| m.author.native_id.as_str())
        .collect::<std::collections::HashSet<_>>();
    assert_eq!(admins.len(), 5);
}

#[test]
fn broken_lines_and_days_are_reported_and_the_rest_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let logs = dir.path().join("logs");
    std::fs::create_dir(&logs).expect("logs");
    let good = r#"{"type":"message","user":"U1","text":"hi <@U2>","ts":"1517436010.000936","channel":"C1"}"#;
    let reply = r#"{"type":"message","user":"U2","text":"yo","ts":"1517436011.000001","thread_ts":"1517436010.000936","channel":"C1"}"#;
    let text = format!(
        "{good}\n{{\"type\":\"message\",\"user\":\"U3\",\"te\n{reply}\n{{\"type\":\"message\",\"text\":\"no author\",\"ts\":\"1517436012.1\",\"channel\":\"C1\"}}\n"
    );
    std::fs::write(logs.join("2018-02-01.txt"), &text).expect("log");
    let day = dir.path().join("general");
    std::fs::create_dir(&day).expect("channel");
    std::fs::write(
        day.join("2016-01-01.json"),
        "[{\"type\": \"message\", \"user\": ",
    )
    .expect("day");
    let got = read(dir.path());
    assert_eq!(got.messages.len(), 2);
    assert_eq!(got.messages[0].mentions, vec!["U2".to_owned()]);
    assert_eq!(
        got.messages[1].parent.as_deref(),
        Some("C1/1517436010.000936")
    );
    let skipped: Vec<_> = got
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Skipped)
        .map(|d| (d.reason, d.line, d.file.file_name().map(|f| f.to_owned())))
        .collect();
    assert_eq!(skipped.len(), 3);
    assert_eq!(skipped[0].0, SkipReason::NotARecord);
    assert_eq!(skipped[0].1, 2);
    assert_eq!(skipped[1].0, SkipReason::MissingAuthor);
    assert_eq!(skipped[1].1, 4);
    assert_eq!(skipped[2].0, SkipReason::NotARecord);
    assert_eq!(
        skipped[2].2.as_deref(),
        Some(std::ffi::OsStr::new("2016-01-01.json"))
    );
    // The bad line's diagnostic points inside the file, at its own line.
    let bad = &got
        .diagnostics
        .iter()
        .find(|d| d.line == 2)
        .expect("line 2");
    assert!(bad.byte_offset > good.len() as u64);
}

/// Zips a folder the way Slack delivers an export: every file under one top folder.
fn zip_folder(dir: &Path, zip_path: &Path) {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::fs::File::create(zip_path).expect("create"));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    files.sort();
    for f in files {
        let rel = f
            .strip_prefix(dir)
            .expect("inside")
            .to_string_lossy()
            .replace('\\', "/");
        w.start_file(format!("houstondatavis Slack export/{rel}"), options)
            .expect("start");
        w.write_all(&std::fs::read(&f).expect("read"))
            .expect("write");
    }
    w.finish().expect("finish");
}

#[test]
fn a_zipped_export_reads_like_the_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    let zip = dir
        .path()
        .join("houstondatavis Slack export Jul 31 2016.zip");
    zip_folder(&unit("houstondatavis-export"), &zip);
    assert_eq!(
        SlackReader
            .units(&[dir.path().to_path_buf()])
            .expect("units"),
        vec![zip.clone()]
    );
    let packed = read(&zip);
    let folder = read(&unit("houstondatavis-export"));
    assert_eq!(packed.messages.len(), 1025);
    assert!(packed.messages == folder.messages);

    // Not a zip after all: one diagnostic, nothing read, no error.
    let bad = dir.path().join("broken.zip");
    std::fs::write(&bad, b"PK\x03\x04 truncated").expect("write");
    let got = read(&bad);
    assert_eq!((got.messages.len(), got.diagnostics.len()), (0, 1));
    assert!(
        got.diagnostics[0]
            .detail
            .starts_with("expected a zip archive")
    );
}

#[test]
fn a_broken_users_file_is_reported_and_messages_still_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("users.json"), "[{\"id\": \"U1\",, }]").expect("users");
    std::fs::create_dir(dir.path().join("logs")).expect("logs");
    std::fs::write(
        dir.path().join("logs/day.txt"),
        r#"{"type":"message","user":"U1","text":"hi","ts":"1517436010.000936","channel":"C1"}"#,
    )
    .expect("log");
    let got = read(dir.path());
    assert_eq!(got.messages.len(), 1);
    let d = &got.diagnostics[0];
    assert_eq!(d.file, dir.path().join("users.json"));
    assert_eq!((d.line, d.byte_offset), (1, 13)); // the second comma
    assert!(
        d.detail.starts_with("expected a JSON record"),
        "{}",
        d.detail
    );
}

/// Runs `f` on a thread and fails (instead of hanging) if it takes longer than a minute.
fn within_a_minute<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(std::time::Duration::from_secs(60))
        .expect("finished (a link loop would run forever)")
}

#[test]
fn symlink_loops_end_and_each_folder_is_read_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("L");
    std::fs::create_dir(&root).expect("L");
    let export = root.join("export");
    std::fs::create_dir(&export).expect("export");
    let real = unit("houstondatavis-export");
    for f in ["users.json", "channels.json"] {
        std::fs::copy(real.join(f), export.join(f)).expect("copy");
    }
    std::fs::create_dir(export.join("general")).expect("channel");
    let day = std::fs::read_dir(real.join("general"))
        .expect("general")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "json"))
        .expect("a day");
    std::fs::copy(&day, export.join("general/2016-01-01.json")).expect("day");
    // ln -s . L/a; ln -s . L/b; a dangling link; a loop inside the export.
    std::os::unix::fs::symlink(".", root.join("a")).expect("a");
    std::os::unix::fs::symlink(".", root.join("b")).expect("b");
    std::os::unix::fs::symlink("/nonexistent", root.join("dangling")).expect("dangling");
    std::os::unix::fs::symlink(".", export.join("general/again")).expect("loop");
    let r = root.clone();
    let units = within_a_minute(move || SlackReader.units(&[r]).expect("units"));
    assert_eq!(units, vec![export.clone()]);
    let e = export.clone();
    let got = within_a_minute(move || read(&e));
    let direct = read(&export);
    assert!(!got.messages.is_empty());
    assert_eq!(got.messages.len(), direct.messages.len());
    let ids: std::collections::HashSet<_> = got.messages.iter().map(|m| &m.native_id).collect();
    assert_eq!(ids.len(), got.messages.len(), "no message read twice");
}

#[test]
fn channel_folders_one_level_deeper_are_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let export = dir.path().join("export");
    let real = unit("houstondatavis-export");
    std::fs::create_dir_all(export.join("channels/general")).expect("dirs");
    std::fs::copy(real.join("users.json"), export.join("users.json")).expect("users");
    let mut days = 0;
    for e in std::fs::read_dir(real.join("general"))
        .expect("general")
        .flatten()
    {
        if e.path().extension().is_some_and(|x| x == "json") {
            std::fs::copy(
                e.path(),
                export.join("channels/general").join(e.file_name()),
            )
            .expect("day");
            days += 1;
        }
    }
    assert!(days > 0);
    let nested = read(&export);
    let flat = read(&real);
    let general = |c: &CollectSink| {
        c.messages
            .iter()
            .filter(|m| m.space == "general" || m.space_name == "#general")
            .count()
    };
    assert!(
        general(&nested) > 0,
        "the nested channel is read: {} messages, spaces {:?}",
        nested.messages.len(),
        nested
            .messages
            .iter()
            .map(|m| (&m.space, &m.space_name))
            .take(2)
            .collect::<Vec<_>>()
    );
    assert_eq!(nested.messages.len(), general(&nested));
    assert_eq!(general(&nested), general(&flat));
}
