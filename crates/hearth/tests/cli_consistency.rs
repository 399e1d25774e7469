//! The command line as a newcomer meets it: one name for list length (`--limit`, old names
//! kept as aliases), a help line for every `--json`, `report --space` as text, `queue snooze
//! ID 7` meaning seven days from the queue's clock.

mod common;

use common::{VENDOR_RULES, data_dir, hearth, json, repo};

#[test]
fn every_json_flag_says_what_it_does() {
    let dir = data_dir(None);
    let commands: &[&[&str]] = &[
        &["ingest"],
        &["report"],
        &["people", "list"],
        &["people", "show"],
        &["people", "erase"],
        &["metrics"],
        &["members", "lapsed"],
        &["audit", "roles"],
        &["audit", "log"],
        &["social", "posts"],
        &["social", "best-time"],
        &["alerts"],
        &["route"],
        &["queue"],
        &["explain"],
        &["export"],
        &["check-job"],
        &["user", "list"],
        &["token", "list"],
    ];
    for cmd in commands {
        let mut args = cmd.to_vec();
        args.push("--help");
        let (code, out, err) = hearth(dir.path(), &args);
        assert_eq!(code, 0, "{cmd:?}: {err}");
        let line = out
            .lines()
            .find(|l| l.trim_start().starts_with("--json"))
            .unwrap_or_else(|| panic!("{cmd:?} has --json"));
        assert!(
            line.trim_start().trim_start_matches("--json").trim().len() > 5,
            "{cmd:?}: --json says what it does: {line:?}"
        );
    }
}

#[test]
fn list_length_is_limit_everywhere_and_the_old_names_still_work() {
    let dir = data_dir(Some(VENDOR_RULES));
    let input = repo().join("fixtures/mbox/usrp-users-2026-excerpt.mbox");
    let (code, _, err) = hearth(
        dir.path(),
        &["-q", "ingest", "mbox", input.to_str().expect("utf-8")],
    );
    assert_eq!(code, 0, "{err}");
    let new = json(dir.path(), &["audit", "roles", "--limit", "0", "--json"]);
    let old = json(dir.path(), &["audit", "roles", "--examples", "0", "--json"]);
    assert_eq!(new, old);
    for cmd in [
        &["members", "lapsed"][..],
        &["route"],
        &["explain", "peer_share"],
    ] {
        let mut args = cmd.to_vec();
        args.push("--help");
        let (_, out, _) = hearth(dir.path(), &args);
        assert!(out.contains("--limit"), "{cmd:?} takes --limit");
    }
    let (_, out, _) = hearth(dir.path(), &["social", "posts", "--help"]);
    assert!(out.contains("--limit") && !out.contains("--top "), "{out}");
}

#[test]
fn report_space_prints_text_and_snooze_takes_days() {
    let dir = data_dir(Some(VENDOR_RULES));
    let input = repo().join("fixtures/mbox/usrp-users-2026-excerpt.mbox");
    let (code, _, err) = hearth(
        dir.path(),
        &["-q", "ingest", "mbox", input.to_str().expect("utf-8")],
    );
    assert_eq!(code, 0, "{err}");
    let whole = json(dir.path(), &["report", "--json"]);
    let space = whole["spaces"][0]["space"]
        .as_str()
        .expect("a space")
        .to_owned();
    let (code, text, err) = hearth(dir.path(), &["report", "--space", &space]);
    assert_eq!(code, 0, "{err}");
    assert!(text.starts_with("Hearth community report"), "{text}");
    let one = json(dir.path(), &["report", "--space", &space, "--json"]);
    assert_eq!(one["messages"], whole["spaces"][0]["messages"]);
    let (code, _, err) = hearth(dir.path(), &["report", "--space", "no-such-space"]);
    assert_ne!(code, 0);
    assert!(err.contains("no space named"), "{err}");

    // `snooze ID 7`: seven days after the queue's clock, the data's last message.
    let queue = json(dir.path(), &["queue", "--json"]);
    let as_of = queue["as_of"].as_str().expect("as_of").to_owned();
    let id = queue["items"][0]["id"]
        .as_str()
        .expect("an item")
        .to_owned();
    let (code, out, err) = hearth(dir.path(), &["queue", "snooze", &id, "7"]);
    assert_eq!(code, 0, "{err}");
    let week_later = {
        let t = hearth_app::dates::parse(&as_of).expect("as_of parses") + 7 * 86_400;
        hearth_report::iso(t)[..10].to_owned()
    };
    assert!(
        out.contains(&format!("snoozed until {week_later}")),
        "{out}"
    );
    let after = json(dir.path(), &["queue", "--json"]);
    assert!(
        after["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|i| i["id"] != id.as_str()),
        "the snoozed item is hidden"
    );
    assert_eq!(after["hidden"]["snoozed"], 1);
}
