//! Publishing to Bluesky, against a real AT Protocol PDS and PLC directory on loopback
//! (`@atproto/dev-env` 0.6.7 with `@atproto/pds` 0.5.35 from the npm registry, installed
//! and started by `scripts/setup-pds.sh` and `scripts/pds/start.mjs`): connect an account
//! with an app password, publish a post with an image, a link, a mention and a hashtag;
//! stop Hearth dead between the request and its record and check that the next run finds
//! the post instead of posting it twice; a refused login fails the post with the network's
//! reason; an unreachable network leaves it for the next run.

mod common;
use common::pds::Pds;
use common::{data_dir, hearth, hearth_with, json, repo};
use serde_json::{Value, json};

#[test]
fn a_post_reaches_bluesky_exactly_once_across_a_crash() {
    let pds = Pds::start();
    let (brand_did, brand_jwt) = pds.account("brand.test");
    let (fan_did, _) = pds.account("fan.test");
    let app = pds.call(
        "com.atproto.server.createAppPassword",
        Some(&brand_jwt),
        Some(&json!({"name": "hearth"})),
    );
    let app_password = app["password"].as_str().expect("app password").to_owned();

    let dir = data_dir(None);
    let d = dir.path();
    let (code, out, err) = hearth_with(
        d,
        &[
            "connect",
            "bluesky",
            "brand.test",
            "--service",
            &pds.base,
            "--password-stdin",
        ],
        &format!("{app_password}\n"),
        &[],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("brand.test on http://"), "{out}");
    // The secret is kept owner-only, outside hearth.toml, and never shown again.
    let secrets = d.join("secrets.toml");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&secrets)
            .expect("secrets.toml")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let listed = json(d, &["connect", "list", "--json"]);
    assert_eq!(listed["bluesky"]["did"], brand_did.as_str());
    assert!(!listed.to_string().contains(&app_password));

    let png = repo().join("docs/img/report-verdict.png");
    let p = json(
        d,
        &[
            "post",
            "draft",
            "--network",
            "bluesky",
            "--text",
            "Hearth's verdict for usrp-users, thanks @fan.test: https://example.org/report #Hearth",
            "--image",
            png.to_str().expect("utf-8"),
            "--alt",
            "The verdict: a community, 62% of replies between members",
            "--json",
        ],
    );
    assert_eq!(p["id"], 1);
    json(d, &["post", "schedule", "1", "--now", "--json"]);

    // Stopped dead after the PDS took the record and before Hearth wrote that down.
    let (code, _, err) = hearth_with(d, &["publish"], "", &[("HEARTH_FAULT", "after-send")]);
    assert_ne!(code, 0, "the run was to stop: {err}");
    let after_crash = json(d, &["post", "show", "1", "--json"]);
    assert_eq!(after_crash["state"], "scheduled");
    assert_eq!(after_crash["deliveries"][0]["state"], "sending");
    let key = after_crash["deliveries"][0]["key"]
        .as_str()
        .expect("key")
        .to_owned();
    assert_eq!(pds.posts(&brand_did).len(), 1, "the PDS has the post");

    // The next run asks the PDS, finds the post under its key and sends nothing.
    let out = json(d, &["publish", "--json"]);
    assert_eq!(out["posts"][0]["state"], "published");
    let uri = format!("at://{brand_did}/app.bsky.feed.post/{key}");
    assert_eq!(out["posts"][0]["uris"][0], uri.as_str());
    let records = pds.posts(&brand_did);
    assert_eq!(records.len(), 1, "published once");
    let (code, out, _) = hearth(d, &["publish"]);
    assert_eq!((code, out.trim()), (0, "nothing is due"));
    assert_eq!(pds.posts(&brand_did).len(), 1);

    // The record: link facet with UTM tags, the mention as the fan's DID, the hashtag, the
    // image with its alt text.
    let record = &records[0];
    assert_eq!(record["uri"], uri.as_str());
    let v = &record["value"];
    let text = v["text"].as_str().expect("text");
    assert_eq!(
        text,
        "Hearth's verdict for usrp-users, thanks @fan.test: example.org/report #Hearth"
    );
    let facets = v["facets"].as_array().expect("facets");
    let feature = |kind: &str| {
        facets
            .iter()
            .find(|f| f["features"][0]["$type"] == format!("app.bsky.richtext.facet#{kind}"))
            .cloned()
            .unwrap_or_else(|| panic!("no {kind} facet in {facets:?}"))
    };
    let span = |f: &Value| {
        let (s, e) = (
            f["index"]["byteStart"].as_u64().expect("start") as usize,
            f["index"]["byteEnd"].as_u64().expect("end") as usize,
        );
        text[s..e].to_owned()
    };
    let link = feature("link");
    assert_eq!(span(&link), "example.org/report");
    assert_eq!(
        link["features"][0]["uri"],
        "https://example.org/report?utm_source=bluesky&utm_medium=social&utm_content=hearth-post-1"
    );
    let mention = feature("mention");
    assert_eq!(span(&mention), "@fan.test");
    assert_eq!(mention["features"][0]["did"], fan_did.as_str());
    let tag = feature("tag");
    assert_eq!(
        (span(&tag).as_str(), tag["features"][0]["tag"].as_str()),
        ("#Hearth", Some("Hearth"))
    );
    let image = &v["embed"]["images"][0];
    assert_eq!(
        image["alt"],
        "The verdict: a community, 62% of replies between members"
    );
    assert_eq!(image["image"]["mimeType"], "image/png");
    let size = std::fs::metadata(&png).expect("png").len();
    assert_eq!(image["image"]["size"].as_u64(), Some(size));

    // The audit log tells it, and no secret is in the store or the log.
    let log = json(d, &["audit", "log", "--json"]);
    let actions: Vec<&str> = log
        .as_array()
        .expect("log")
        .iter()
        .filter_map(|c| c["action"].as_str())
        .collect();
    for a in [
        "account.connect",
        "post.draft",
        "post.schedule",
        "post.publish",
    ] {
        assert!(actions.contains(&a), "{a} in {actions:?}");
    }
    let store = std::fs::read(d.join("hearth.sqlite")).expect("store");
    assert!(
        !store
            .windows(app_password.len())
            .any(|w| w == app_password.as_bytes()),
        "the app password is not in the store"
    );
}

#[test]
fn a_refused_login_fails_the_post_and_a_silent_network_leaves_it_for_later() {
    let pds = Pds::start();
    let (_, jwt) = pds.account("brand.test");
    let app = pds.call(
        "com.atproto.server.createAppPassword",
        Some(&jwt),
        Some(&json!({"name": "hearth"})),
    );
    let password = app["password"].as_str().expect("password").to_owned();
    let dir = data_dir(None);
    let d = dir.path();
    // A wrong password is refused at connection, with the PDS's words.
    let (code, _, err) = hearth_with(
        d,
        &[
            "connect",
            "bluesky",
            "brand.test",
            "--service",
            &pds.base,
            "--password-stdin",
        ],
        "not-the-password\n",
        &[],
    );
    assert_eq!(code, 1);
    assert!(err.contains("refused the account's login"), "{err}");
    assert!(!d.join("secrets.toml").exists());
    let (code, _, err) = hearth_with(
        d,
        &[
            "connect",
            "bluesky",
            "brand.test",
            "--service",
            &pds.base,
            "--password-stdin",
        ],
        &format!("{password}\n"),
        &[],
    );
    assert_eq!(code, 0, "{err}");
    // A secrets file others can read is refused until it is private again.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let secrets = d.join("secrets.toml");
        std::fs::set_permissions(&secrets, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let (code, _, err) = hearth(d, &["connect", "list"]);
        assert_eq!(code, 1);
        assert!(err.contains("chmod 600"), "{err}");
        std::fs::set_permissions(&secrets, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    }
    json(
        d,
        &[
            "post",
            "draft",
            "--network",
            "bluesky",
            "--text",
            "First",
            "--json",
        ],
    );
    json(d, &["post", "schedule", "1", "--now", "--json"]);
    // The app password revoked on the PDS: the post fails with the PDS's reason (exit 3).
    pds.call(
        "com.atproto.server.revokeAppPassword",
        Some(&jwt),
        Some(&json!({"name": "hearth"})),
    );
    let (code, out, err) = hearth(d, &["publish"]);
    assert_eq!(code, 3, "{out}{err}");
    let p = json(d, &["post", "show", "1", "--json"]);
    assert_eq!(p["state"], "failed");
    assert!(
        p["reason"]
            .as_str()
            .expect("reason")
            .starts_with("bluesky: the network refused the account's login"),
        "{p}"
    );

    // A network that does not answer leaves a post scheduled for the next run (exit 4).
    std::fs::write(
        d.join("secrets.toml"),
        std::fs::read_to_string(d.join("secrets.toml"))
            .expect("secrets")
            .replace(&pds.base, "http://127.0.0.1:9"),
    )
    .expect("write");
    json(
        d,
        &[
            "post",
            "draft",
            "--network",
            "bluesky",
            "--text",
            "Second",
            "--json",
        ],
    );
    json(d, &["post", "schedule", "2", "--now", "--json"]);
    let (code, out, err) = hearth(d, &["publish", "--attempts", "2"]);
    assert_eq!(code, 4, "{out}{err}");
    assert!(out.contains("waits: bluesky:"), "{out}");
    assert_eq!(
        json(d, &["post", "show", "2", "--json"])["state"],
        "scheduled"
    );
}
