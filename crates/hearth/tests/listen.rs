//! Listening on Bluesky, against a real AT Protocol network on loopback: a PDS, its PLC
//! directory and the AppView (`@atproto/dev-env` 0.6.7 `TestNetwork` from the npm registry,
//! on a private PostgreSQL and Redis from Debian's packages; `scripts/setup-pds.sh
//! --appview` installs them, `scripts/pds/start.mjs --appview` starts them in a temporary
//! folder). Other accounts reply to, like, repost and mention the brand; `hearth sync
//! bluesky` brings the brand's posts with their counts and the replies and mentions into the
//! store, a re-run adds nothing, and answering the mention from the queue publishes the
//! reply exactly once and closes the item.

mod common;
use common::pds::Pds;
use common::{data_dir, hearth, json};
use serde_json::json;

fn now() -> String {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock");
    let secs = d.as_secs() as i64;
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60,
        d.subsec_millis()
    )
}

fn actions(d: &std::path::Path) -> Vec<String> {
    json(d, &["audit", "log", "--json"])
        .as_array()
        .expect("log")
        .iter()
        .filter_map(|c| c["action"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn replies_mentions_and_counts_come_back_and_a_mention_is_answered_from_the_queue() {
    let mut pds = Pds::with_appview();
    let (brand_did, brand_jwt) = pds.account("brand.test");
    let (fan_did, fan_jwt) = pds.account("fan.test");
    let (asker_did, asker_jwt) = pds.account("asker.test");
    let password = pds.app_password(&brand_jwt);

    let dir = data_dir(Some("[brand]\nnames = [\"Hearth\"]\n"));
    let d = dir.path();
    pds.connect(d, "brand.test", &password);
    // Nothing to sync before the account has done anything.
    let first = json(d, &["sync", "bluesky", "--json"]);
    assert_eq!(first["added"], 0, "{first}");

    // The brand publishes from Hearth; others answer, like, repost and mention it.
    json(
        d,
        &[
            "post",
            "draft",
            "--network",
            "bluesky",
            "--text",
            "Hearth 1.0 is out: community or audience, measured",
            "--json",
        ],
    );
    json(d, &["post", "schedule", "1", "--now", "--json"]);
    let out = json(d, &["publish", "--json"]);
    assert_eq!(out["posts"][0]["state"], "published", "{out}");
    // The AppView indexes each repository on its own: the launch is indexed before anyone
    // answers it, as on the real network (a reply to a post it has not seen notifies no one).
    pds.process();
    let launch = pds.posts(&brand_did)[0].clone();
    let (launch_uri, launch_cid) = (
        launch["uri"].as_str().expect("uri").to_owned(),
        launch["cid"].as_str().expect("cid").to_owned(),
    );
    let subject = json!({"uri": launch_uri, "cid": launch_cid});
    let (fan_reply, _) = pds.create(
        &fan_did,
        &fan_jwt,
        "app.bsky.feed.post",
        json!({"$type": "app.bsky.feed.post", "text": "Congratulations, the first numbers look right to me",
               "createdAt": now(), "reply": {"root": subject, "parent": subject}}),
    );
    pds.create(
        &fan_did,
        &fan_jwt,
        "app.bsky.feed.like",
        json!({"$type": "app.bsky.feed.like", "subject": subject, "createdAt": now()}),
    );
    pds.create(
        &fan_did,
        &fan_jwt,
        "app.bsky.feed.repost",
        json!({"$type": "app.bsky.feed.repost", "subject": subject, "createdAt": now()}),
    );
    let question = "@brand.test how do I export the Hearth report as a PDF?";
    let (mention_uri, _) = pds.create(
        &asker_did,
        &asker_jwt,
        "app.bsky.feed.post",
        json!({"$type": "app.bsky.feed.post", "text": question, "createdAt": now(),
               "facets": [{"index": {"byteStart": 0, "byteEnd": 11},
                           "features": [{"$type": "app.bsky.richtext.facet#mention", "did": brand_did}]}]}),
    );
    pds.process();

    // The sync brings the brand's post with its counts, the reply and the mention; the like
    // and the repost are counts, not messages.
    let synced = json(d, &["sync", "bluesky", "--json"]);
    assert_eq!(synced["account"], brand_did.as_str(), "{synced}");
    assert_eq!(synced["fetched"]["notifications"], 4, "{synced}");
    assert_eq!(synced["added"], 3, "{synced}");
    assert_eq!(synced["parents_linked"], 1, "{synced}");
    // Counts of the brand's post: a like, a reply and a repost.
    let posts = json(d, &["social", "posts", "--json"]);
    assert_eq!(posts["posts"], 1, "{posts}");
    let top = &posts["top_posts"][0];
    assert_eq!(top["ref"], format!("bluesky:{launch_uri}").as_str());
    assert_eq!(top["rates"]["engagements"], 3.0, "{top}");
    let (code, text, _) = hearth(d, &["sync", "bluesky"]);
    assert_eq!(code, 0);
    println!("$ hearth sync bluesky\n{text}");
    assert!(
        text.ends_with("fetched 1 post and 0 notifications; added 0, already there 1, skipped 0\n"),
        "{text}"
    );
    let again = json(d, &["sync", "bluesky", "--json"]);
    assert_eq!(
        (
            again["added"].as_u64(),
            again["fetched"]["notifications"].as_u64()
        ),
        (Some(0), Some(0)),
        "a re-run adds nothing: {again}"
    );
    assert_eq!(
        again["duplicates"], 1,
        "the brand's post is read again for its counts"
    );
    assert!(
        !d.join("sync").read_dir().expect("sync dir").any(|_| true),
        "no answers are left on disk beside the store"
    );
    let status = json(d, &["sync", "--json"]);
    let streams: Vec<&str> = status
        .as_array()
        .expect("cursors")
        .iter()
        .filter_map(|c| c["stream"].as_str())
        .collect();
    assert_eq!(streams, ["feed", "notifications"]);

    // The mention waits in the social team's queue, with why.
    let q = json(d, &["queue", "--kind", "social:respond", "--json"]);
    let item = &q["items"][0];
    assert_eq!(
        item["key"],
        format!("social:respond:bluesky:{mention_uri}").as_str(),
        "{q}"
    );
    assert!(
        item["why"]
            .as_str()
            .expect("why")
            .contains("addressed to the brand")
    );
    let id = item["id"].as_str().expect("id").to_owned();

    // Answered from the queue: published once, as a reply in the asker's thread, and the
    // item is done with the reply's address.
    let (code, text, err) = hearth(
        d,
        &[
            "queue",
            "reply",
            &id,
            "--text",
            "Report → Save as PDF in any browser; the HTML report prints on A4",
        ],
    );
    assert_eq!(code, 0, "{err}");
    println!("$ hearth queue reply {id} --text ...\n{text}");
    let answer = json(d, &["post", "show", "2", "--json"]);
    assert_eq!(answer["state"], "published", "{answer}");
    assert_eq!(
        answer["reply_to"],
        format!("bluesky:{mention_uri}").as_str()
    );
    let reply_uri = answer["deliveries"][0]["uri"]
        .as_str()
        .expect("uri")
        .to_owned();
    assert!(
        text.contains(&reply_uri) && text.contains(&format!("item {id} done")),
        "{text}"
    );
    let records = pds.posts(&brand_did);
    assert_eq!(records.len(), 2, "the launch and one reply");
    let reply = records
        .iter()
        .find(|r| r["uri"] == reply_uri.as_str())
        .expect("the reply record");
    assert_eq!(
        reply["value"]["reply"]["parent"]["uri"],
        mention_uri.as_str()
    );
    assert_eq!(reply["value"]["reply"]["root"]["uri"], mention_uri.as_str());
    let done = json(d, &["queue", "--kind", "social:respond", "--all", "--json"]);
    let item = &done["items"][0];
    assert_eq!(item["status"], "done", "{done}");
    assert!(item["note"].as_str().expect("note").contains(&reply_uri));
    // Asking again publishes nothing more.
    let (code, _, _) = hearth(d, &["publish"]);
    assert_eq!(code, 0);
    assert_eq!(pds.posts(&brand_did).len(), 2);

    // The next sync brings the brand's reply, so the response is measured.
    pds.process();
    let after = json(d, &["sync", "bluesky", "--json"]);
    assert_eq!(after["added"], 1, "{after}");
    let responses = json(d, &["social", "responses", "--json"]);
    assert_eq!(
        (
            responses["answered"].as_u64(),
            responses["response_rate"].as_f64()
        ),
        (Some(1), Some(1.0)),
        "{responses}"
    );
    let log = actions(d);
    for a in ["sync", "post.reply", "post.publish", "queue.done"] {
        assert!(log.iter().any(|x| x == a), "{a} in {log:?}");
    }
    let _ = fan_reply;
}
