//! Text measures stored at ingest give the same answers as reading the text: every command
//! that uses sentiment, intents, mentions, welcomes or theme terms prints the same bytes with the stored measures
//! and with `HEARTH_TEXT_MEASURES=off` (which makes them read and score the text), on
//! usrp-users 2024–2026 with the brand named. A change of `[brand] names` is measured again from the
//! stored text by the next command, and answers follow the new names.

mod common;

use common::{VENDOR_RULES, data_dir, usrp_users};
use std::path::Path;
use std::process::Command;

fn run(dir: &Path, args: &[&str], measures: bool) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hearth"));
    cmd.arg("--data").arg(dir).args(args);
    if !measures {
        cmd.env("HEARTH_TEXT_MEASURES", "off");
    }
    let out = cmd.output().expect("hearth runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn state(dir: &Path) -> Option<(i64, i64)> {
    let conn = rusqlite::Connection::open(dir.join("hearth.sqlite")).expect("store");
    conn.query_row("SELECT lexicon, names_key FROM measures_state", [], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })
    .ok()
}

const COMMANDS: &[&[&str]] = &[
    &["social", "mentions", "--json"],
    &["alerts", "--json"],
    &["alerts", "--json", "--stream", "messages"],
    &["metrics", "sentiment", "--json"],
    &["social", "responses", "--json"],
    &["queue", "--json"],
    &["audit", "roles", "--json"],
    &["metrics", "themes", "--json"],
];

#[test]
fn stored_measures_answer_as_the_text_does() {
    let rules = format!(
        "{VENDOR_RULES}\n[brand]\nnames = [\"Ettus\", \"USRP\", \"UHD\", \"RFNoC\"]\ncompetitors = {{ LimeSDR = [\"LimeSDR\"], HackRF = [\"HackRF\"] }}\n"
    );
    let dir = data_dir(Some(&rules));
    let out = Command::new(env!("CARGO_BIN_EXE_hearth"))
        .arg("--data")
        .arg(dir.path())
        .args(["ingest", "mbox"])
        .args(["2024.mbox", "2025.mbox", "2026.mbox"].map(|f| usrp_users().join(f)))
        .output()
        .expect("ingest");
    assert!(out.status.success());
    let conn = rusqlite::Connection::open(dir.path().join("hearth.sqlite")).expect("store");
    let (rows, named): (i64, i64) = conn
        .query_row(
            "SELECT count(*), sum(names != 0) FROM text_measures",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("measures");
    let messages: i64 = conn
        .query_row("SELECT count(*) FROM messages", [], |r| r.get(0))
        .expect("messages");
    assert_eq!(rows, messages, "every message measured at ingest");
    assert!(
        named * 2 > rows,
        "{named} of {rows} name the brand or a competitor"
    );
    for args in COMMANDS {
        let stored = run(dir.path(), args, true);
        assert!(state(dir.path()).is_some(), "complete after the first read");
        assert_eq!(stored, run(dir.path(), args, false), "{args:?}");
    }
    let html = |measures| {
        let file = dir.path().join(format!("r-{measures}.html"));
        run(
            dir.path(),
            &["report", "--html", file.to_str().expect("utf-8")],
            measures,
        );
        std::fs::read_to_string(file).expect("html")
    };
    assert_eq!(html(true), html(false), "the shareable report");

    // Other names: the next command measures again, once, and follows them.
    let before = state(dir.path());
    std::fs::write(
        dir.path().join("hearth.toml"),
        format!("{VENDOR_RULES}\n[brand]\nnames = [\"GNU Radio\"]\n"),
    )
    .expect("rules");
    let mentions = run(dir.path(), &["social", "mentions", "--json"], true);
    let after = state(dir.path());
    assert!(after.is_some() && after != before, "{before:?} {after:?}");
    assert_eq!(
        mentions,
        run(dir.path(), &["social", "mentions", "--json"], false)
    );
    assert!(mentions.contains("\"GNU Radio\""), "{mentions}");
}
