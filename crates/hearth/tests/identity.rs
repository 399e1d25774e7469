//! Accounts joined into persons across sources: by e-mail, by username when allowed, by links
//! in hearth.toml, by hand; and split again without losing anything.

mod common;

use common::{data_dir, excerpt, hearth, json};
use std::path::Path;

/// A small Slack export in the standard layout, with Rob Kossler of the usrp-users excerpt
/// (same address, other case) and a second member.
fn slack_export(dir: &Path) {
    std::fs::create_dir_all(dir.join("general")).expect("dirs");
    std::fs::write(
        dir.join("users.json"),
        r#"[{"id": "U0ROB", "name": "rkossler", "real_name": "Rob Kossler", "is_admin": false,
             "profile": {"real_name": "Rob Kossler", "email": "RKossler@nd.edu"}},
            {"id": "U0ANN", "name": "ann", "real_name": "Ann", "profile": {"email": "ann@example.org"}}]"#,
    )
    .expect("users");
    std::fs::write(
        dir.join("channels.json"),
        r#"[{"id": "C0GEN", "name": "general"}]"#,
    )
    .expect("channels");
    std::fs::write(
        dir.join("general/2026-01-07.json"),
        r#"[{"type": "message", "user": "U0ANN", "text": "anyone on N320?", "ts": "1767800000.000100"},
            {"type": "message", "user": "U0ROB", "text": "<@U0ANN> yes, see the list", "ts": "1767800100.000200",
             "thread_ts": "1767800000.000100"}]"#,
    )
    .expect("day");
}

/// A data directory holding the usrp-users excerpt and the Slack export above.
fn two_sources() -> tempfile::TempDir {
    let data = data_dir(None);
    let export = data.path().join("export");
    slack_export(&export);
    for (format, path) in [("mbox", excerpt()), ("slack", export.clone())] {
        let (code, _, err) = hearth(
            data.path(),
            &["ingest", format, path.to_str().expect("utf-8")],
        );
        assert_eq!(code, 0, "{err}");
    }
    data
}

fn person(data: &Path, name: &str) -> serde_json::Value {
    let people = json(data, &["people", "show", name, "--json"]);
    assert_eq!(people.as_array().map(Vec::len), Some(1), "{people}");
    people[0].clone()
}

fn accounts(p: &serde_json::Value) -> Vec<String> {
    p["accounts"]
        .as_array()
        .expect("accounts")
        .iter()
        .map(|a| {
            format!(
                "{}:{}",
                a["source"].as_str().unwrap_or(""),
                a["id"].as_str().unwrap_or("")
            )
        })
        .collect()
}

#[test]
fn same_email_joins_then_split_and_merge_by_hand() {
    let data = two_sources();
    // Joined by the same address (case-insensitive): one person, two accounts, one reason.
    let rob = person(data.path(), "kossler");
    assert_eq!(accounts(&rob), ["mbox:rkossler@nd.edu", "slack:U0ROB"]);
    assert_eq!(rob["messages"], 10); // 9 mails + 1 Slack message
    assert_eq!(
        rob["merged_because"][0],
        "same e-mail address rkossler@nd.edu (identity.same_email)"
    );
    let report = json(data.path(), &["report", "--json"]);
    assert_eq!(report["people"], 28 + 1); // Ann is new; Rob is not
    assert_eq!(report["spaces"].as_array().map(Vec::len), Some(2));

    // Split: the Slack account stands alone; nothing is lost.
    let (code, out, _) = hearth(data.path(), &["people", "split", "slack:U0ROB"]);
    assert_eq!((code, out.trim()), (0, "account 30 now stands alone"));
    let people = json(data.path(), &["people", "show", "kossler", "--json"]);
    assert_eq!(people.as_array().map(Vec::len), Some(2));
    assert_eq!(json(data.path(), &["report", "--json"])["people"], 30);
    assert_eq!(json(data.path(), &["report", "--json"])["messages"], 82);

    // Merge again by hand, with a note as evidence.
    let (code, _, err) = hearth(
        data.path(),
        &[
            "people",
            "merge",
            "slack:U0ROB",
            "mbox:rkossler@nd.edu",
            "--note",
            "he said so",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let rob = person(data.path(), "kossler");
    assert_eq!(accounts(&rob).len(), 2);
    assert_eq!(
        rob["merged_because"],
        serde_json::json!(["merged by hand: he said so"])
    );

    // An ambiguous reference is refused with the candidates.
    let (code, _, err) = hearth(data.path(), &["people", "merge", "ettus", "ann"]);
    assert_eq!(code, 1);
    assert!(err.contains("matches"), "{err}");
}

#[test]
fn rules_in_hearth_toml_decide_without_reingest() {
    let data = two_sources();
    let toml = data.path().join("hearth.toml");
    // No e-mail rule: two people.
    std::fs::write(&toml, "[identity]\nsame_email = false\n").expect("toml");
    assert_eq!(
        json(data.path(), &["people", "show", "kossler", "--json"])
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    // An explicit link joins them again, and says so.
    std::fs::write(
        &toml,
        "[identity]\nsame_email = false\nlinks = [[\"mbox:rkossler@nd.edu\", \"slack:U0ROB\"], [\"slack:nobody\", \"slack:U0ANN\"]]\n",
    )
    .expect("toml");
    let (code, out, err) = hearth(data.path(), &["people", "show", "kossler", "--json"]);
    assert_eq!(code, 0);
    let rob: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(
        rob[0]["merged_because"][0],
        "linked in hearth.toml: mbox:rkossler@nd.edu = slack:U0ROB"
    );
    // A link naming an unknown account is reported, not ignored.
    assert!(
        err.contains("\"slack:nobody\", which is no account"),
        "{err}"
    );
    // Same username across platforms, when allowed: `rkossler` is the Slack username, the
    // mail account has none, so nothing joins.
    std::fs::write(
        &toml,
        "[identity]\nsame_email = false\nsame_username = true\n",
    )
    .expect("toml");
    assert_eq!(
        json(data.path(), &["people", "show", "kossler", "--json"])
            .as_array()
            .map(Vec::len),
        Some(2)
    );
}

#[test]
fn a_split_right_after_a_merge_wins() {
    let data = two_sources();
    std::fs::write(
        data.path().join("hearth.toml"),
        "[identity]\nsame_email = false\n",
    )
    .expect("toml");
    for args in [
        ["people", "merge", "slack:U0ANN", "mbox:rkossler@nd.edu"],
        ["people", "split", "slack:U0ANN", "--note"],
    ] {
        let args: Vec<&str> = args
            .iter()
            .copied()
            .chain((args[1] == "split").then_some("oops"))
            .collect();
        let (code, _, err) = hearth(data.path(), &args);
        assert_eq!(code, 0, "{err}");
    }
    // Merge and split in the same second: the order of the actions decides.
    assert_eq!(accounts(&person(data.path(), "slack:U0ANN")).len(), 1);
}
