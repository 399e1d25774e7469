//! `hearth route` and `hearth queue` end to end on usrp-users: routing with reasons, rules
//! from hearth.toml, and queue state that survives re-ingest.

mod common;
use common::{data_dir, hearth, json, repo, usrp_users};
use serde_json::Value;

const RULES: &str = r#"[roles]
brand_email_domains = ["ettus.com", "ni.com", "emerson.com"]

[brand]
names = ["Ettus", "USRP", "UHD", "RFNoC"]
"#;

fn ingest(dir: &std::path::Path, format: &str, path: &std::path::Path) {
    let (code, _, err) = hearth(
        dir,
        &["ingest", format, path.to_str().expect("utf-8"), "-q"],
    );
    assert_eq!(code, 0, "{err}");
}

fn queues_of<'a>(items: &'a [Value], reference: &str) -> Vec<&'a str> {
    let item = items
        .iter()
        .find(|i| i["message"]["ref"] == reference)
        .unwrap_or_else(|| panic!("{reference} not routed"));
    item["queues"]
        .as_array()
        .expect("queues")
        .iter()
        .filter_map(|q| q["queue"].as_str())
        .collect()
}

#[test]
fn usrp_users_2024_is_routed_with_reasons() {
    let dir = data_dir(Some(RULES));
    ingest(dir.path(), "mbox", &usrp_users());
    let year = ["--since", "2024-01-01", "--until", "2025-01-01"];
    let mut args = vec!["route", "--json", "--all", "--limit", "100000"];
    args.extend(year);
    let out = json(dir.path(), &args);
    // 3 replies to messages missing from the archive are not routed for opening a thread.
    assert_eq!(out["inbound"], 592);
    let items = out["items"].as_array().expect("items");
    assert_eq!(items.len(), 592);
    for item in items {
        for q in item["queues"].as_array().expect("queues") {
            assert!(!q["reason"].as_str().unwrap_or("").is_empty(), "{item}");
        }
    }
    // Every newcomer's first message that reaches the brand is to be welcomed: 85 of the
    // year's 88 newcomers (3 first wrote a reply to another member, which is not inbound).
    let mut m = vec!["metrics", "newcomers", "--json"];
    m.extend(year);
    let newcomers = json(dir.path(), &m)["newcomers"]["newcomers"].as_u64();
    assert_eq!(newcomers, Some(88));
    assert_eq!(out["counts"]["community:welcome"], 85);
    // A happy customer: "Chris's suggestion worked great. thanks Martin and Chris!" goes to
    // the social media manager (amplify) and the community manager (invite).
    let praise = "mbox:CAOHuk9AezuJ94kEnfws=L1cU2wpv4Q8Zy=2ioohS48p=brGB2Q@mail.gmail.com";
    assert_eq!(
        queues_of(items, praise),
        ["social:amplify", "community:invite"]
    );
    // Questions go to support.
    let support = out["counts"]["support"].as_u64().expect("support");
    assert!(support > 400, "{support}");
}

#[test]
fn routing_rules_come_from_hearth_toml() {
    let rules = format!(
        "{RULES}\n[route]\nsocial_sources = [\"jsonl\"]\n\n[[route.rules]]\nname = \"mentions\"\nto = [\"social:respond\"]\nwhen = {{ mentions_brand = true, channel = \"social\" }}\n\n[[route.rules]]\nname = \"praise\"\nto = [\"social:amplify\", \"community:invite\"]\nwhen = {{ praise = true, about_brand = true }}\n"
    );
    let dir = data_dir(Some(&rules));
    let posts = dir.path().join("posts.jsonl");
    std::fs::write(
        &posts,
        concat!(
            r#"{"id": "p1", "time": "2025-03-01T10:00:00Z", "author": "fan", "text": "Just got my USRP B210 and it works great, love it!"}"#,
            "\n",
            r#"{"id": "p2", "time": "2025-03-02T10:00:00Z", "author": "critic", "text": "Is the UHD driver ever going to support macOS?"}"#,
            "\n",
            r#"{"id": "p3", "time": "2025-03-03T10:00:00Z", "author": "other", "text": "Nice weather today."}"#,
            "\n",
        ),
    )
    .expect("write");
    ingest(dir.path(), "jsonl", &posts);
    let out = json(dir.path(), &["route", "--json", "--all"]);
    let items = out["items"].as_array().expect("items");
    assert_eq!(
        queues_of(items, "jsonl:p1"),
        ["social:respond", "social:amplify", "community:invite"]
    );
    assert_eq!(queues_of(items, "jsonl:p2"), ["social:respond"]);
    assert!(
        queues_of(items, "jsonl:p3").is_empty(),
        "nothing about the brand"
    );

    // A rule that names an unknown queue is an error that says which rule.
    let bad = format!("{RULES}\n[[route.rules]]\nname = \"oops\"\nto = [\"marketing\"]\n");
    std::fs::write(dir.path().join("hearth.toml"), bad).expect("write");
    let (code, _, err) = hearth(dir.path(), &["route"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("[[route.rules]] \"oops\" to = \"marketing\" is not allowed"),
        "{err}"
    );
}

fn find<'a>(items: &'a [Value], kind: &str) -> &'a Value {
    items
        .iter()
        .find(|i| i["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} item"))
}

#[test]
fn queue_state_survives_re_ingest() {
    let dir = data_dir(Some(RULES));
    ingest(dir.path(), "mbox", &usrp_users());
    let before = json(dir.path(), &["queue", "--json"]);
    let items = before["items"].as_array().expect("items").clone();
    for kind in ["lapsed", "thank", "introduce"] {
        let n = items.iter().filter(|i| i["kind"] == kind).count();
        assert_eq!(n, 10, "{kind}");
    }
    // Alerts join the list when hearth.toml names the brand. June 2024 has two volume
    // notices (bursts of one topic), and no crisis: the crisis list takes crises only.
    let june = |kind: &str| {
        json(
            dir.path(),
            &["queue", "--json", "--kind", kind, "--until", "2024-07-01"],
        )
    };
    let crises = june("alert");
    assert_eq!(crises["items"], serde_json::json!([]), "{crises:#}");
    let notices = june("notice");
    let notices = notices["items"].as_array().expect("items");
    assert_eq!(notices.len(), 2, "{notices:#?}");
    assert!(notices.iter().all(|a| {
        a["key"]
            .as_str()
            .is_some_and(|k| k.starts_with("notice:2024-06-"))
            && a["detail"]["class"] == "notice"
            && !a["detail"]["examples"]
                .as_array()
                .is_some_and(Vec::is_empty)
    }));
    let lapsed = find(&items, "lapsed")["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let thank = find(&items, "thank")["id"].as_str().expect("id").to_owned();
    let intro = find(&items, "introduce")["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let routed = find(&items, "community:welcome")["id"]
        .as_str()
        .expect("id")
        .to_owned();

    let ok = |args: &[&str]| {
        let (code, out, err) = hearth(dir.path(), args);
        assert_eq!(code, 0, "{args:?}: {err}");
        out
    };
    assert!(ok(&["queue", "done", &lapsed, "--note", "wrote to him"]).contains("done"));
    assert!(
        ok(&["queue", "snooze", &thank, "--until", "2099-01-01"])
            .contains("snoozed until 2099-01-01")
    );
    ok(&["queue", "assign", &intro, "dana"]);
    ok(&["queue", "note", &intro, "both work on X410 timing"]);
    ok(&["queue", "snooze", &routed, "--until", "2001-01-01"]);

    // Listed for the usrp-users list (another source comes in below).
    let space = ["--space", "usrp-users.lists.ettus.com"];
    let check = |label: &str| {
        let mut args = vec!["queue", "--json"];
        args.extend(space);
        let now = json(dir.path(), &args);
        let items = now["items"].as_array().expect("items");
        let by_id = |id: &str| items.iter().find(|i| i["id"] == id);
        assert!(by_id(&lapsed).is_none(), "{label}: done items are hidden");
        assert!(by_id(&thank).is_none(), "{label}: snoozed items are hidden");
        let i = by_id(&intro).unwrap_or_else(|| panic!("{label}: intro"));
        assert_eq!(i["assignee"], "dana", "{label}");
        assert_eq!(i["note"], "both work on X410 timing", "{label}");
        // A snooze that has run out shows the item again.
        assert_eq!(by_id(&routed).expect("routed")["status"], "snoozed");
        assert_eq!(now["hidden"]["done"], 1, "{label}");
        assert_eq!(now["hidden"]["snoozed"], 1, "{label}");
        args.push("--all");
        let all = json(dir.path(), &args);
        let done = all["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|i| i["id"] == lapsed.as_str())
            .cloned();
        assert_eq!(done.expect("done item")["note"], "wrote to him", "{label}");
    };
    check("after the changes");

    // Re-ingest the same archive (nothing new), then a second source that adds people and
    // messages and so moves every snapshot index: the state stays with its items.
    ingest(dir.path(), "mbox", &usrp_users());
    check("after re-ingest");
    ingest(
        dir.path(),
        "stackexchange",
        &repo().join("../shared/data/stackexchange/cardano.stackexchange.com"),
    );
    check("after another source");

    // Reopen brings it back; an unknown id is a clear error.
    ok(&["queue", "reopen", &lapsed]);
    let now = json(dir.path(), &["queue", "--json"]);
    assert!(
        now["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|i| i["id"] == lapsed.as_str())
    );
    let (code, _, err) = hearth(dir.path(), &["queue", "done", "nope"]);
    assert_eq!(code, 1);
    assert!(err.contains("no queue item \"nope\""), "{err}");
}
