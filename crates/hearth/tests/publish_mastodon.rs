//! Publishing to Mastodon, against **recorded exchanges**, not a live server: a Mastodon
//! instance needs PostgreSQL, Redis, Sidekiq and a Ruby application and cannot run on this
//! machine. `fixtures/mastodon/exchanges.json` holds an instance's answers in the formats of
//! the Mastodon API documentation; a loopback HTTP listener here replays them in order and
//! records every request Hearth sends, and the test checks those requests: the bearer token,
//! the media upload with its description, the `Idempotency-Key` (the same key, and the same
//! body, when a run stopped dead after the instance took the status sends it again), the
//! wait a 429's `Retry-After` asks for, and a 422 failing the post with the instance's words.

mod common;
use common::replay::replay;
use common::{data_dir, hearth, hearth_with, json, repo};
use serde_json::Value;

#[test]
fn statuses_reach_mastodon_once_with_their_idempotency_key() {
    let recorded: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("fixtures/mastodon/exchanges.json")).expect("fixture"),
    )
    .expect("json");
    let (base, seen) = replay(
        recorded["exchanges"]
            .as_array()
            .cloned()
            .expect("exchanges"),
    );
    let dir = data_dir(None);
    let d = dir.path();
    let token = "mastodon-token-for-the-test";
    let (code, out, err) = hearth_with(
        d,
        &["connect", "mastodon", &base, "--token-stdin"],
        &format!("{token}\n"),
        &[],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("(limit 1000 characters)"), "{out}");
    assert!(out.contains("@ettus@127.0.0.1"), "{out}");
    assert!(!out.contains(token));

    // The instance's 1000 replaces the default 500.
    let long = format!("{} https://example.org/report", "a".repeat(700));
    let png = repo().join("docs/img/report-verdict.png");
    json(
        d,
        &[
            "post",
            "draft",
            "--network",
            "mastodon",
            "--text",
            "Our community report: https://example.org/report",
            "--image",
            png.to_str().expect("utf-8"),
            "--alt",
            "Hearth's verdict: a community",
            "--json",
        ],
    );
    let p2 = json(
        d,
        &[
            "post",
            "draft",
            "--network",
            "mastodon",
            "--text",
            &long,
            "--json",
        ],
    );
    assert_eq!(
        (
            p2["renders"][0]["length"].as_u64(),
            p2["renders"][0]["limit"].as_u64()
        ),
        (Some(700 + 1 + 23), Some(1000))
    );
    json(
        d,
        &[
            "post",
            "draft",
            "--network",
            "mastodon",
            "--text",
            "Third",
            "--json",
        ],
    );

    // Post 1, stopped dead after the instance took it.
    json(d, &["post", "schedule", "1", "--now", "--json"]);
    let (code, _, _) = hearth_with(d, &["publish"], "", &[("HEARTH_FAULT", "after-send")]);
    assert_ne!(code, 0);
    assert_eq!(
        json(d, &["post", "show", "1", "--json"])["deliveries"][0]["state"],
        "sending"
    );
    // The next run sends the same status under the same key, and records what it got.
    let out = json(d, &["publish", "--json"]);
    assert_eq!(out["posts"][0]["state"], "published");
    assert_eq!(
        out["posts"][0]["uris"][0],
        "https://social.example/@ettus/113560240000000100"
    );
    let p = json(d, &["post", "show", "1", "--json"]);
    assert_eq!(p["deliveries"][0]["id"], "113560240000000100");

    // Post 2: a 429 with Retry-After: 1 is waited out within the run.
    json(d, &["post", "schedule", "2", "--now", "--json"]);
    let started = std::time::Instant::now();
    let out = json(d, &["publish", "--json"]);
    assert_eq!(out["posts"][0]["state"], "published");
    assert!(
        started.elapsed() >= std::time::Duration::from_secs(1),
        "waited as asked"
    );

    // Post 3: a 422 fails it with the instance's words (exit 3); nothing is sent again.
    json(d, &["post", "schedule", "3", "--now", "--json"]);
    let (code, out, err) = hearth(d, &["publish"]);
    assert_eq!(code, 3, "{out}{err}");
    let p = json(d, &["post", "show", "3", "--json"]);
    assert_eq!(p["state"], "failed");
    assert_eq!(
        p["reason"],
        "mastodon: refused (422): Validation failed: Text character limit of 1000 exceeded"
    );
    let (code, out, _) = hearth(d, &["publish"]);
    assert_eq!((code, out.trim()), (0, "nothing is due"));

    // What Hearth sent.
    let seen = seen.lock().expect("log").clone();
    let calls: Vec<String> = seen
        .iter()
        .map(|s| format!("{} {}", s.method, s.path))
        .collect();
    assert_eq!(
        calls,
        [
            "GET /api/v1/accounts/verify_credentials",
            "GET /api/v2/instance",
            "POST /api/v2/media",
            "POST /api/v1/statuses",
            "POST /api/v1/statuses",
            "POST /api/v1/statuses",
            "POST /api/v1/statuses",
            "POST /api/v1/statuses",
        ]
    );
    for s in seen.iter().filter(|s| s.path != "/api/v2/instance") {
        assert_eq!(
            s.header("authorization"),
            Some(format!("Bearer {token}").as_str()),
            "{}",
            s.path
        );
    }
    // The public instance document is asked for without the token.
    assert_eq!(seen[1].header("authorization"), None);
    let media = String::from_utf8_lossy(&seen[2].body);
    assert!(
        media.contains("name=\"description\"\r\n\r\nHearth's verdict: a community\r\n"),
        "{media}"
    );
    assert!(media.contains("filename=\"report-verdict.png\"\r\nContent-Type: image/png"));
    let (first, again) = (&seen[3], &seen[4]);
    let key = first.header("idempotency-key").expect("a key");
    assert!(key.starts_with("hearth-post-1-"), "{key}");
    assert_eq!(
        again.header("idempotency-key"),
        Some(key),
        "the same key after the crash"
    );
    assert_eq!(first.body, again.body, "the same status after the crash");
    let status: Value = serde_json::from_slice(&first.body).expect("json");
    assert_eq!(
        status["media_ids"],
        serde_json::json!(["113560240000000001"])
    );
    assert_eq!(status["visibility"], "public");
    assert_eq!(
        status["status"],
        "Our community report: https://example.org/report?utm_source=mastodon&utm_medium=social&utm_content=hearth-post-1"
    );
    // The retried 429 keeps its key too.
    assert_eq!(
        seen[5].header("idempotency-key"),
        seen[6].header("idempotency-key")
    );
    assert_ne!(seen[5].header("idempotency-key"), Some(key));
}
