//! The command line on the real excerpt: exit code, stdout and stderr, snapshotted.
//! Update snapshots with `INSTA_UPDATE=always cargo test -p hearth --test cli` and review the diff.

mod common;

use common::{VENDOR_RULES, data_dir, excerpt, hearth, transcript};
use insta::assert_snapshot;

fn ingested() -> tempfile::TempDir {
    let dir = data_dir(Some(VENDOR_RULES));
    let (code, _, err) = hearth(
        dir.path(),
        &["ingest", "mbox", excerpt().to_str().expect("utf-8")],
    );
    assert_eq!(code, 0, "{err}");
    dir
}

#[test]
fn ingest_then_reingest() {
    let dir = data_dir(None);
    let path = excerpt();
    let path = path.to_str().expect("utf-8");
    assert_snapshot!(
        "ingest_first",
        transcript(dir.path(), &["ingest", "mbox", path])
    );
    assert_snapshot!(
        "ingest_again_json",
        transcript(dir.path(), &["ingest", "mbox", path, "--json"])
    );
    // A new data directory gets a commented rules template.
    let rules = std::fs::read_to_string(dir.path().join("hearth.toml")).expect("template");
    assert!(rules.contains("brand_email_domains = []"));
}

#[test]
fn report_text() {
    let dir = ingested();
    assert_snapshot!(transcript(dir.path(), &["report"]));
}

#[test]
fn report_json() {
    let dir = ingested();
    assert_snapshot!(transcript(dir.path(), &["report", "--json"]));
}

#[test]
fn report_window() {
    let dir = ingested();
    assert_snapshot!(transcript(
        dir.path(),
        &["report", "--since", "2026-01-10", "--until", "2026-01-20"]
    ));
}

#[test]
fn report_is_deterministic() {
    let dir = ingested();
    let a = hearth(dir.path(), &["report", "--json"]);
    let b = hearth(dir.path(), &["report", "--json"]);
    assert_eq!(a, b);
}

#[test]
fn people_list_brand_and_show() {
    let dir = ingested();
    assert_snapshot!(
        "people_list_brand",
        transcript(dir.path(), &["people", "list", "--role", "brand"])
    );
    assert_snapshot!(
        "people_show",
        transcript(dir.path(), &["people", "show", "kossler"])
    );
}

#[test]
fn roles_follow_rule_changes_without_reingest() {
    let dir = ingested();
    let brand = |dir: &std::path::Path| {
        common::json(dir, &["report", "--json"])["brand"]
            .as_u64()
            .expect("brand")
    };
    assert_eq!(brand(dir.path()), 7);
    std::fs::write(
        dir.path().join("hearth.toml"),
        "[roles]\nbrand_email_domains = [\"ettus.com\", \"ni.com\", \"emerson.com\"]\nbrand_accounts = [\"rkossler@nd.edu\"]\nbot_accounts = [\"martin.braun@ettus.com\"]\n",
    )
    .expect("rules");
    let report = common::json(dir.path(), &["report", "--json"]);
    assert_eq!(
        report["brand"], 7,
        "one brand became a bot, one member became brand"
    );
    assert_eq!(report["bots"], 1);
    let show = common::json(dir.path(), &["people", "show", "rkossler@nd.edu", "--json"]);
    assert_eq!(show[0]["role"], "brand");
    assert_eq!(show[0]["rule"], "brand_accounts");
}

#[test]
fn errors_are_clear() {
    let dir = data_dir(None);
    assert_snapshot!("error_no_store", transcript(dir.path(), &["report"]));
    assert_snapshot!(
        "error_bad_date",
        transcript(dir.path(), &["report", "--since", "01/02/2026"])
    );
    assert_snapshot!(
        "error_unknown_format",
        transcript(dir.path(), &["ingest", "fax", "x"])
    );
    assert_snapshot!(
        "error_missing_path",
        transcript(dir.path(), &["ingest", "mbox", "no/such/file.mbox"])
    );
    std::fs::write(
        dir.path().join("hearth.toml"),
        "[roles]\nbrand_email_domain = [\"ettus.com\"]\n",
    )
    .expect("rules");
    assert_snapshot!("error_config_typo", transcript(dir.path(), &["report"]));
}

#[test]
fn broken_mbox_is_reported_and_good_messages_kept() {
    let dir = data_dir(None);
    let text = std::fs::read_to_string(excerpt()).expect("excerpt");
    // Garbage in front, and the last message cut off inside its headers.
    let last = text.rfind("\n\nFrom ").expect("separator") + 2;
    let cut = last + text[last..].find("\nDate:").expect("Date");
    let broken = format!("<html>not a mailbox</html>\n\n{}", &text[..cut]);
    let path = dir.path().join("broken.mbox");
    std::fs::write(&path, broken).expect("write");
    assert_snapshot!(transcript(
        dir.path(),
        &["ingest", "mbox", path.to_str().expect("utf-8")]
    ));
}

#[test]
fn demo_on_the_built_in_sample() {
    let dir = data_dir(None);
    let demo = dir.path().join("demo");
    assert_snapshot!(transcript(
        dir.path(),
        &["demo", "--sample", "--dir", demo.to_str().expect("utf-8")]
    ));
}

#[test]
fn auto_detects_each_format() {
    let dir = data_dir(None);
    let data = common::repo().join("../shared/data");
    let (code, out, err) = hearth(
        dir.path(),
        &[
            "ingest",
            "auto",
            data.join("stackexchange/conlang.meta.stackexchange.com")
                .to_str()
                .expect("utf-8"),
            excerpt().to_str().expect("utf-8"),
            data.join("slack/houstondatavis-export")
                .to_str()
                .expect("utf-8"),
            "--json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let got: Vec<_> = v
        .as_array()
        .expect("one summary per format")
        .iter()
        .map(|s| {
            (
                s["source"].as_str().unwrap_or("").to_owned(),
                s["added"].as_u64(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("stackexchange".to_owned(), Some(399)),
            ("mbox".to_owned(), Some(80)),
            ("slack".to_owned(), Some(1025)),
        ]
    );
    assert_snapshot!(
        "error_auto_mixed",
        transcript(
            dir.path(),
            &["ingest", "auto", data.to_str().expect("utf-8")]
        )
        .replace(&data.display().to_string(), "[SHARED]")
    );
}

#[test]
fn report_text_with_several_spaces() {
    let dir = ingested();
    let discord = common::repo().join("fixtures/discord");
    let (code, _, err) = hearth(
        dir.path(),
        &["ingest", "discord", discord.to_str().expect("utf-8")],
    );
    assert_eq!(code, 0, "{err}");
    assert_snapshot!(transcript(dir.path(), &["report"]));
}

#[test]
fn metrics_members_and_explain_text() {
    let dir = ingested();
    assert_snapshot!(transcript(dir.path(), &["metrics", "newcomers"]));
    assert_snapshot!(transcript(
        dir.path(),
        &["metrics", "structure", "--since", "2026-01"]
    ));
    assert_snapshot!(transcript(
        dir.path(),
        &["members", "helpers", "--limit", "3"]
    ));
    assert_snapshot!(transcript(
        dir.path(),
        &["explain", "absence", "--limit", "1"]
    ));
    assert_snapshot!(
        "metrics_unknown_space",
        transcript(dir.path(), &["metrics", "--space", "nowhere"])
    );
}
