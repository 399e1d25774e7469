//! A `kill -9` during ingest leaves a consistent store as it was after its last committed
//! batch; reading the same export again completes it, adding nothing twice.

mod common;

use common::{VENDOR_RULES, data_dir, json, usrp_users};
use hearth_store::Store;
use std::process::{Command, Stdio};
use std::time::Duration;

#[test]
fn kill_during_ingest_loses_only_the_batch_in_flight() {
    let archive = usrp_users();
    let mut interrupted = 0;
    // The delays only choose where the kill lands; every assertion holds wherever it does.
    for delay_ms in [50, 150, 300, 600, 1200] {
        let dir = data_dir(Some(VENDOR_RULES));
        let mut child = Command::new(env!("CARGO_BIN_EXE_hearth"))
            .arg("--data")
            .arg(dir.path())
            .args(["--quiet", "ingest", "mbox"])
            .arg(&archive)
            .env("HEARTH_INGEST_BATCH", "500")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL: no destructor, no rollback by the process itself
        let _ = child.wait();

        if !dir.path().join(hearth_store::STORE_FILE).exists() {
            continue; // killed before the store was created
        }
        let store = Store::open(dir.path()).expect("store opens after a kill");
        assert_eq!(store.check().expect("check"), Vec::<String>::new());
        let kept = store.message_count().expect("count");
        drop(store);
        if kept > 0 && kept < 11_385 {
            interrupted += 1;
            eprintln!("killed after {delay_ms} ms with {kept} messages committed");
        }

        let again = json(
            dir.path(),
            &["ingest", "mbox", archive.to_str().expect("utf-8"), "--json"],
        );
        assert_eq!(
            again["added"].as_u64(),
            Some(11_385 - kept),
            "delay {delay_ms} ms"
        );
        let report = json(dir.path(), &["report", "--json"]);
        assert_eq!(report["messages"], 11_385);
        assert_eq!(report["interactions"]["member_to_member"], 5_349);
        let store = Store::open(dir.path()).expect("store");
        assert_eq!(store.check().expect("check"), Vec::<String>::new());
    }
    assert!(interrupted > 0, "no kill landed in the middle of an ingest");
}

/// Chat exports whose replies are inferred after ingest: the houstondatavis Slack export
/// (15 channels, so a crash can land between two of them) and the irc-ubuntu `dev/` logs.
fn chat_export(format: &str) -> std::path::PathBuf {
    let rel = match format {
        "slack" => "../shared/data/slack/houstondatavis-export",
        _ => "../shared/data/irc-ubuntu/dev",
    };
    common::repo().join(rel)
}

fn ingest_chat(
    dir: &std::path::Path,
    format: &str,
    crash_at: Option<&str>,
) -> std::process::ExitStatus {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hearth"));
    cmd.arg("--data")
        .arg(dir)
        .args(["--quiet", "ingest", format])
        .arg(chat_export(format))
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if let Some(point) = crash_at {
        cmd.env("HEARTH_CRASH_AT", point);
    }
    cmd.status().expect("run hearth")
}

fn report_bytes(dir: &std::path::Path) -> String {
    let (code, out, err) = common::hearth(dir, &["report", "--json"]);
    assert_eq!(code, 0, "{err}");
    out
}

#[test]
fn a_crash_before_or_during_reply_inference_is_repaired_by_the_next_run() {
    let clean = data_dir(None);
    assert!(ingest_chat(clean.path(), "slack", None).success());
    let expected = report_bytes(clean.path());

    // Crashes at named points: the next report, or the next ingest, completes the work.
    for (point, next) in [
        ("after-messages", "report"),
        ("after-messages", "ingest"),
        ("mid-inference", "report"),
        ("mid-inference", "ingest"),
    ] {
        let dir = data_dir(None);
        let status = ingest_chat(dir.path(), "slack", Some(point));
        assert!(!status.success(), "{point}: the crash point was reached");
        let store = Store::open(dir.path()).expect("store opens after a crash");
        assert!(
            !store.pending().expect("pending").is_empty(),
            "{point}: the interrupted work is marked"
        );
        drop(store);
        if next == "ingest" {
            assert!(ingest_chat(dir.path(), "slack", None).success());
        }
        assert_eq!(
            report_bytes(dir.path()),
            expected,
            "crash at {point}, then {next}: the same report as a clean run"
        );
        let store = Store::open(dir.path()).expect("store");
        assert!(store.pending().expect("pending").is_empty());
    }
}

#[test]
fn a_kill_during_a_chat_ingest_is_repaired_by_the_next_ingest() {
    let clean = data_dir(None);
    assert!(ingest_chat(clean.path(), "irc", None).success());
    let expected = report_bytes(clean.path());
    // The delays only choose where the kill lands; the assertion holds wherever it does.
    for delay_ms in [150, 500, 1000, 1500] {
        let dir = data_dir(None);
        let mut child = Command::new(env!("CARGO_BIN_EXE_hearth"))
            .arg("--data")
            .arg(dir.path())
            .args(["--quiet", "ingest", "irc"])
            .arg(chat_export("irc"))
            .env("HEARTH_INGEST_BATCH", "300")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        assert!(ingest_chat(dir.path(), "irc", None).success());
        assert_eq!(
            report_bytes(dir.path()),
            expected,
            "killed after {delay_ms} ms"
        );
    }
}
