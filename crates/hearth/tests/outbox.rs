//! The social team's posts from the command line, without a network: states, approval by a
//! second person, each network's length rule, UTM tags, images with alt text, the best
//! time from the real @ADHOrg X export, and every step in the audit log.
//! (Publishing itself is tested against a real PDS in `publish.rs`.)

mod common;
use common::{data_dir, hearth_with, repo};
use serde_json::Value;
use std::path::Path;

/// `hearth --data DIR ARGS` as the OS user `user` (the audit log's `cli:USER`).
fn run_as(user: &str, dir: &Path, args: &[&str]) -> (i32, String, String) {
    hearth_with(dir, args, "", &[("USER", user), ("LOGNAME", user)])
}

fn json_as(user: &str, dir: &Path, args: &[&str]) -> Value {
    let (code, out, err) = run_as(user, dir, args);
    assert_eq!(code, 0, "hearth {args:?}: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

const REQUIRED: &str = r#"[social]
approval = "required"
approvers = ["carol"]
"#;

#[test]
fn the_author_cannot_approve_their_own_post_and_every_step_is_audited() {
    let dir = data_dir(Some(REQUIRED));
    let d = dir.path();
    let p = json_as(
        "alice",
        d,
        &[
            "post",
            "draft",
            "--text",
            "Release 4.8 is out: https://example.org/notes",
            "--json",
        ],
    );
    assert_eq!(p["id"], 1);
    assert_eq!(p["state"], "draft");
    assert_eq!(p["author"], "cli:alice");
    // Without approval a post is not scheduled.
    let (code, _, err) = run_as("alice", d, &["post", "schedule", "1", "2030-01-01 09:00"]);
    assert_eq!(code, 1);
    assert!(err.contains("approval = \"required\""), "{err}");
    json_as("alice", d, &["post", "submit", "1", "--json"]);
    // The author, even as an admin at the terminal, is refused.
    let (code, _, err) = run_as("alice", d, &["post", "approve", "1"]);
    assert_eq!(code, 1);
    assert!(err.contains("someone other than its author"), "{err}");
    assert_eq!(
        json_as("bob", d, &["post", "show", "1", "--json"])["state"],
        "in_review"
    );
    let p = json_as("carol", d, &["post", "approve", "1", "--json"]);
    assert_eq!(
        (p["state"].as_str(), p["approved_by"].as_str()),
        (Some("approved"), Some("cli:carol"))
    );
    let p = json_as(
        "carol",
        d,
        &["post", "schedule", "1", "2030-01-01 09:00", "--json"],
    );
    assert_eq!(p["state"], "scheduled");
    assert_eq!(p["scheduled_at"], "2030-01-01T09:00:00+00:00");
    // An edit sends it back to draft without its approval or time.
    let p = json_as(
        "alice",
        d,
        &[
            "post",
            "edit",
            "1",
            "--text",
            "Release 4.8.1 is out",
            "--json",
        ],
    );
    assert_eq!(p["state"], "draft");
    assert_eq!(p["approved_by"], Value::Null);
    assert_eq!(p["scheduled_at"], Value::Null);
    json_as(
        "alice",
        d,
        &["post", "cancel", "1", "--reason", "superseded", "--json"],
    );
    let (code, _, err) = run_as("alice", d, &["post", "edit", "1", "--text", "x"]);
    assert_eq!(code, 1);
    assert!(err.contains("cancelled"), "{err}");

    let log = json_as("alice", d, &["audit", "log", "--json"]);
    let mut steps: Vec<(String, String, String)> = log
        .as_array()
        .expect("log")
        .iter()
        .filter(|c| c["target"] == "post:1")
        .map(|c| {
            let s = |k: &str| c[k].as_str().unwrap_or("").to_owned();
            (s("action"), s("actor"), s("target"))
        })
        .collect();
    steps.reverse();
    let want = [
        ("post.draft", "cli:alice"),
        ("post.submit", "cli:alice"),
        ("post.approve", "cli:carol"),
        ("post.schedule", "cli:carol"),
        ("post.edit", "cli:alice"),
        ("post.cancel", "cli:alice"),
    ];
    assert_eq!(
        steps
            .iter()
            .map(|(a, b, _)| (a.as_str(), b.as_str()))
            .collect::<Vec<_>>(),
        want
    );
}

#[test]
fn each_network_counts_by_its_own_rule_and_links_carry_utm_tags() {
    let dir = data_dir(None);
    let d = dir.path();
    // 290 letters and a long link: Bluesky shows the link short (30), Mastodon counts 23.
    let link = "https://example.org/docs/getting-started/with-the-b210/and-more#install";
    let text = format!("{} {link}", "é".repeat(290));
    let p = json_as("alice", d, &["post", "draft", "--text", &text, "--json"]);
    let r = |n: &str| {
        p["renders"]
            .as_array()
            .expect("renders")
            .iter()
            .find(|r| r["network"] == n)
            .cloned()
            .expect(n)
    };
    let (b, m) = (r("bluesky"), r("mastodon"));
    assert_eq!(
        (b["length"].as_u64(), b["limit"].as_u64()),
        (Some(290 + 1 + 30), Some(300))
    );
    assert_eq!(b["fits"], false);
    assert_eq!(
        (m["length"].as_u64(), m["fits"].as_bool()),
        (Some(290 + 1 + 23), Some(true))
    );
    // The tags go before the fragment, with the post's number.
    let tagged = "https://example.org/docs/getting-started/with-the-b210/and-more?utm_source=mastodon&utm_medium=social&utm_content=hearth-post-1#install";
    assert_eq!(m["links"][0], tagged);
    assert!(m["text"].as_str().expect("text").contains(tagged));
    assert_eq!(b["links"][0], tagged.replace("=mastodon", "=bluesky"));
    // Too long for Bluesky: submit says by how much and changes nothing.
    let (code, _, err) = run_as("alice", d, &["post", "submit", "1"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("bluesky: 321 graphemes, 21 over the limit of 300"),
        "{err}"
    );
    assert_eq!(
        json_as("alice", d, &["post", "show", "1", "--json"])["state"],
        "draft"
    );
    // A shorter Bluesky version fixes it; Mastodon keeps the long text.
    let p = json_as(
        "alice",
        d,
        &[
            "post",
            "edit",
            "1",
            "--bluesky-text",
            &format!("Short for Bluesky: {link}"),
            "--json",
        ],
    );
    assert_eq!(p["problems"], serde_json::json!([]));
    json_as("alice", d, &["post", "submit", "1", "--json"]);
    // The instance's limit replaces 500 when hearth.toml says a smaller one.
    std::fs::write(
        d.join("hearth.toml"),
        "[social]\nmastodon_characters = 300\n",
    )
    .expect("rules");
    let p = json_as("alice", d, &["post", "show", "1", "--json"]);
    assert_eq!(
        p["problems"][0],
        "mastodon: 314 characters, 14 over the limit of 300"
    );
}

#[test]
fn images_are_checked_by_their_bytes_and_need_alt_text() {
    let dir = data_dir(None);
    let d = dir.path();
    let png = repo().join("docs/img/report-verdict.png");
    let png = png.to_str().expect("utf-8");
    let (code, _, err) = run_as(
        "alice",
        d,
        &["post", "draft", "--text", "x", "--image", png],
    );
    assert_eq!(code, 1);
    assert!(err.contains("give each --image its --alt"), "{err}");
    let (code, _, err) = run_as(
        "alice",
        d,
        &["post", "draft", "--text", "x", "--image", png, "--alt", " "],
    );
    assert_eq!(code, 1);
    assert!(err.contains("needs alt text"), "{err}");
    let not_image = repo().join("README.md");
    let (code, _, err) = run_as(
        "alice",
        d,
        &[
            "post",
            "draft",
            "--text",
            "x",
            "--image",
            not_image.to_str().expect("utf-8"),
            "--alt",
            "a",
        ],
    );
    assert_eq!(code, 1);
    assert!(err.contains("not a PNG, JPEG, GIF or WebP image"), "{err}");
    let five: Vec<&str> = (0..5)
        .flat_map(|_| ["--image", png, "--alt", "the verdict"])
        .collect();
    let mut args = vec!["post", "draft", "--text", "x"];
    args.extend(five);
    let (code, _, err) = run_as("alice", d, &args);
    assert_eq!(code, 1);
    assert!(err.contains("at most 4"), "{err}");
    let p = json_as(
        "alice",
        d,
        &[
            "post",
            "draft",
            "--text",
            "The verdict",
            "--image",
            png,
            "--alt",
            "Hearth's verdict: a community",
            "--json",
        ],
    );
    let size = std::fs::metadata(repo().join("docs/img/report-verdict.png"))
        .expect("png")
        .len();
    assert_eq!(p["images"][0]["type"], "image/png");
    assert_eq!(p["images"][0]["bytes"].as_u64(), Some(size));
    assert_eq!(p["images"][0]["alt"], "Hearth's verdict: a community");
    // Nothing was written by the refused drafts.
    let list = json_as("alice", d, &["post", "list", "--json"]);
    assert_eq!(list["posts"].as_array().map(Vec::len), Some(1));
}

#[test]
fn the_best_time_comes_from_the_real_export_with_its_sample_size() {
    let dir = data_dir(None);
    let d = dir.path();
    let adho = repo().join("../shared/data/social/twitter-adho");
    let (code, _, err) = run_as(
        "alice",
        d,
        &["ingest", "twitter", adho.to_str().expect("utf-8"), "-q"],
    );
    assert_eq!(code, 0, "{err}");
    let best = json_as("alice", d, &["social", "best-time", "--json"]);
    let slot = &best["recommendation"]["slot"];
    let label = slot["group"].as_str().expect("a best slot");
    let posts = slot["posts"].as_u64().expect("posts");
    json_as(
        "alice",
        d,
        &["post", "draft", "--text", "Our next webinar", "--json"],
    );
    let before = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64;
    let p = json_as("alice", d, &["post", "schedule", "1", "--best", "--json"]);
    let note = p["schedule_note"].as_str().expect("note");
    assert!(
        note.starts_with(&format!("best time: {label} (+00:00)")),
        "{note}"
    );
    assert!(note.contains(&format!("over {posts} posts")), "{note}");
    assert!(note.contains("over 129)"), "{note}");
    let at = chrono::DateTime::parse_from_rfc3339(p["scheduled_at"].as_str().expect("time"))
        .expect("rfc 3339");
    assert!(at.timestamp() > before && at.timestamp() <= before + 7 * 86_400);
    // The slot's weekday and hour, in the brand's zone (UTC here).
    assert_eq!(at.format("%a %H:00").to_string(), label);
    // Without posts with impressions there is nothing to suggest, and it says why.
    let empty = data_dir(None);
    json_as(
        "alice",
        empty.path(),
        &["post", "draft", "--text", "x", "--json"],
    );
    let (code, _, err) = run_as("alice", empty.path(), &["post", "schedule", "1", "--best"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("no best time to suggest: 0 posts with impressions"),
        "{err}"
    );
}

/// With `[social] approval = "required"`, a reply from the queue waits in review like any
/// post (the item stays open until it is published), and an item whose message is not on
/// Bluesky or Mastodon is refused with why. The messages are a sync's answers read from a
/// file (`hearth ingest bluesky`).
#[test]
fn a_reply_from_the_queue_waits_for_approval_when_approval_is_required() {
    let dir = data_dir(Some(
        "[brand]\nnames = [\"Hearth\"]\n[social]\napproval = \"required\"\n",
    ));
    let d = dir.path();
    let answers = repo().join("fixtures/bluesky/brand.bluesky.json");
    let (code, _, err) = run_as(
        "alice",
        d,
        &["ingest", "bluesky", answers.to_str().expect("utf-8")],
    );
    assert_eq!(code, 0, "{err}");
    let mail = repo().join("fixtures/mbox/usrp-users-2026-excerpt.mbox");
    let (code, _, err) = run_as(
        "alice",
        d,
        &["ingest", "mbox", mail.to_str().expect("utf-8")],
    );
    assert_eq!(code, 0, "{err}");
    let q = json_as("alice", d, &["queue", "--json"]);
    let items = q["items"].as_array().expect("items");
    let mention = items
        .iter()
        .find(|i| i["kind"] == "social:respond")
        .unwrap_or_else(|| panic!("a social:respond item: {q}"));
    let id = mention["id"].as_str().expect("id");
    let v = json_as(
        "alice",
        d,
        &[
            "queue",
            "reply",
            id,
            "--text",
            "Print the HTML report to PDF",
            "--json",
        ],
    );
    assert_eq!(v["state"], "in_review", "{v}");
    assert_eq!(v["networks"][0], "bluesky");
    assert!(
        v["reply_to"]
            .as_str()
            .expect("reply_to")
            .starts_with("bluesky:at://")
    );
    assert!(v["publish"].is_null(), "nothing was sent: {v}");
    let open = json_as("alice", d, &["queue", "--kind", "social:respond", "--json"]);
    assert_eq!(
        open["items"][0]["status"], "open",
        "the item waits for the reply"
    );
    // The author may not approve it; an item from the mailing list cannot be answered there.
    let (code, _, err) = run_as("alice", d, &["post", "approve", "1"]);
    assert_ne!(code, 0);
    assert!(err.contains("someone other than its author"), "{err}");
    let mail_item = items
        .iter()
        .find(|i| i["key"].as_str().is_some_and(|k| k.contains(":mbox:")))
        .unwrap_or_else(|| panic!("an item from the mailing list: {q}"));
    let (code, _, err) = run_as(
        "alice",
        d,
        &[
            "queue",
            "reply",
            mail_item["id"].as_str().expect("id"),
            "--text",
            "Hi",
        ],
    );
    assert_eq!(code, 1);
    assert!(err.contains("not a Bluesky or Mastodon message"), "{err}");
}
