//! Listening on Mastodon, against **recorded exchanges**, not a live server: a Mastodon
//! instance needs PostgreSQL, Redis, Sidekiq and a Ruby application and cannot run on this
//! machine. `fixtures/mastodon/listening.json` holds an instance's answers in the formats of
//! the Mastodon API documentation (Account, Status, Notification, search); the loopback
//! listener of `common::replay` answers them in order and records every request Hearth
//! sends. `hearth sync mastodon` brings the brand's statuses with their counts and the
//! replies and mentions addressed to it (parents resolved, the boost passed over), a re-run
//! asks only for what is newer and adds nothing, and a reply from the queue names the
//! status it answers by this instance's id, mentions its author, and closes the item.

mod common;
use common::replay::replay;
use common::{data_dir, hearth_with, json, repo};
use serde_json::Value;

#[test]
fn mentions_and_counts_come_back_from_mastodon_and_a_question_is_answered_from_the_queue() {
    let recorded: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("fixtures/mastodon/listening.json")).expect("fixture"),
    )
    .expect("json");
    let (base, seen) = replay(
        recorded["exchanges"]
            .as_array()
            .cloned()
            .expect("exchanges"),
    );
    let dir = data_dir(Some("[brand]\nnames = [\"Hearth\", \"Ettus\"]\n"));
    let d = dir.path();
    let token = "mastodon-token-for-the-test";
    let (code, _, err) = hearth_with(
        d,
        &["connect", "mastodon", &base, "--token-stdin"],
        &format!("{token}\n"),
        &[],
    );
    assert_eq!(code, 0, "{err}");

    let synced = json(d, &["sync", "mastodon", "--json"]);
    assert_eq!(
        synced["account"], "https://social.example/@ettus",
        "{synced}"
    );
    assert_eq!(
        (
            synced["fetched"]["notifications"].as_u64(),
            synced["fetched"]["posts"].as_u64()
        ),
        (Some(2), Some(2)),
        "{synced}"
    );
    // The launch, the older status a question answers, the reply and the question; the
    // brand's boost of someone else's post is passed over.
    assert_eq!(synced["added"], 4, "{synced}");
    assert_eq!(synced["parents_linked"], 2, "{synced}");
    let posts = json(d, &["social", "posts", "--json"]);
    assert_eq!(posts["posts"], 2, "{posts}");
    let launch = posts["top_posts"]
        .as_array()
        .expect("posts")
        .iter()
        .find(|p| {
            p["ref"] == "mastodon:https://social.example/users/ettus/statuses/113560240000000100"
        })
        .cloned()
        .expect("the launch");
    assert_eq!(
        launch["rates"]["engagements"], 8.0,
        "5 favourites, 2 boosts, 1 reply"
    );
    assert_eq!(launch["format"], "photo");

    // A re-run asks for what is newer than the newest mention, and refreshes the counts.
    let again = json(d, &["sync", "mastodon", "--json"]);
    assert_eq!(again["added"], 0, "{again}");
    let posts = json(d, &["social", "posts", "--json"]);
    let launch = posts["top_posts"]
        .as_array()
        .expect("posts")
        .iter()
        .find(|p| {
            p["text"]
                .as_str()
                .is_some_and(|t| t.starts_with("Hearth's verdict"))
        })
        .cloned()
        .expect("the launch");
    assert_eq!(
        launch["rates"]["engagements"], 10.0,
        "6 favourites, 2 boosts, 2 replies"
    );

    // The question waits in the social queue; the reply goes to the question's id on this
    // instance, names its author, and closes the item.
    let q = json(d, &["queue", "--kind", "social:respond", "--json"]);
    let item = q["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| {
            i["key"]
                .as_str()
                .is_some_and(|k| k.ends_with("/users/bo/statuses/113560250000000200"))
        })
        .cloned()
        .unwrap_or_else(|| panic!("the question is a social:respond item: {q}"));
    let id = item["id"].as_str().expect("id").to_owned();
    let answer = json(
        d,
        &[
            "queue",
            "reply",
            &id,
            "--text",
            "Yes, every Thursday at 17:00 UTC; the link is in our profile",
            "--json",
        ],
    );
    assert_eq!(answer["state"], "published", "{answer}");
    let requests = seen.lock().expect("requests").clone();
    for r in requests.iter().filter(|r| r.path != "/api/v2/instance") {
        assert_eq!(
            r.header("Authorization"),
            Some(format!("Bearer {token}").as_str()),
            "{} {}",
            r.method,
            r.path
        );
    }
    let paths: Vec<String> = requests
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    let expected: Vec<String> = recorded["exchanges"]
        .as_array()
        .expect("exchanges")
        .iter()
        .map(|x| {
            format!(
                "{} {}",
                x["method"].as_str().unwrap_or(""),
                x["path"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(
        paths, expected,
        "every recorded exchange, in order, and nothing else"
    );
    let status = requests.last().expect("the status");
    assert!(
        status
            .header("Idempotency-Key")
            .is_some_and(|k| k.starts_with("hearth-post-1-"))
    );
    let body: Value = serde_json::from_slice(&status.body).expect("json body");
    assert_eq!(body["in_reply_to_id"], "113560250000000200");
    assert_eq!(
        body["status"],
        "@bo@social.example Yes, every Thursday at 17:00 UTC; the link is in our profile"
    );
    let done = json(d, &["queue", "--kind", "social:respond", "--all", "--json"]);
    let closed = done["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["id"] == id.as_str())
        .cloned()
        .expect("the item");
    assert_eq!(closed["status"], "done", "{closed}");
    assert!(
        closed["note"]
            .as_str()
            .is_some_and(|n| n.contains("https://social.example/@ettus/113560270000000400"))
    );
}
