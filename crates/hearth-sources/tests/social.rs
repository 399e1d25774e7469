//! The social analytics readers: X/Twitter (real @ADHOrg exports), Mastodon (a real archive),
//! and LinkedIn, Facebook, Instagram and Hearth's social CSV (hand-written fixtures in each
//! export's layout). Every one passes the shared conformance check.

use hearth_sources::conformance;
use hearth_sources::mastodon::MastodonReader;
use hearth_sources::social::AnalyticsReader;
use hearth_sources::{SkipReason, facebook, instagram, linkedin, socialcsv, twitter};
use std::path::{Path, PathBuf};

fn repo(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(p)
}

#[test]
fn twitter_post_activity_exports() {
    let dir = repo("../shared/data/social/twitter-adho");
    let reader = AnalyticsReader(&twitter::TWITTER);
    let mut posts = Vec::new();
    let mut daily = 0;
    let mut units: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("twitter-adho")
        .map(|e| e.expect("entry").path())
        .collect();
    units.sort();
    for unit in units {
        let got = conformance::check(&reader, &unit, false).expect("conforms");
        daily += got
            .diagnostics
            .iter()
            .filter(|d| d.reason == SkipReason::NotConversation)
            .count();
        posts.extend(got.messages);
    }
    // 129 tweets in the five monthly files (the README's facts); the six daily files are totals.
    assert_eq!(posts.len(), 129);
    assert_eq!(daily, 6);
    let first = posts
        .iter()
        .find(|m| m.native_id == "1388063576737214466")
        .expect("the first row of the April file");
    assert_eq!(first.time, 1_619_775_120); // 2021-04-30 09:32 +0000
    assert_eq!(first.author.native_id, "ADHOrg");
    assert_eq!(first.space, "twitter:ADHOrg");
    assert_eq!(first.author.flags, vec!["owner".to_owned()]);
    let m = first.metrics.as_ref().expect("metrics");
    assert_eq!(m.impressions, Some(825.0));
    assert_eq!(m.engagements, Some(10.0));
    assert_eq!(
        (m.reactions, m.comments, m.shares, m.clicks),
        (Some(6.0), Some(0.0), Some(2.0), Some(0.0))
    );
    assert_eq!(m.reach, None, "the export has no reach");
}

#[test]
fn mastodon_outbox() {
    let unit = repo("../shared/data/social/mastodon-archive/outbox.json");
    let got = conformance::check(&MastodonReader, &unit, false).expect("conforms");
    // 1,185 posts and 326 boosts (passed over with a note), as the data README states.
    assert_eq!(got.messages.len(), 1185);
    let boosts = got
        .diagnostics
        .iter()
        .filter(|d| d.reason == SkipReason::NotConversation)
        .count();
    assert_eq!(boosts, 326);
    assert_eq!(got.skipped(), 0);
    let replies = got.messages.iter().filter(|m| m.parent.is_some()).count();
    assert_eq!(replies, 383);
    let first = &got.messages[0];
    assert_eq!(
        first.author.display_name.as_deref(),
        Some("@dealingwith@indieweb.social")
    );
    assert!(
        first.text.starts_with("As Twitter crashes and burns"),
        "{}",
        first.text
    );
    assert!(!first.text.contains('<'));
}

#[test]
fn linkedin_facebook_instagram_and_social_csv_fixtures() {
    let li = conformance::check(
        &AnalyticsReader(&linkedin::LINKEDIN),
        &repo("fixtures/social/linkedin-posts.csv"),
        false,
    )
    .expect("conforms");
    assert_eq!(li.messages.len(), 3);
    assert_eq!(li.skipped(), 1, "the row without a readable date");
    let p = &li.messages[2];
    assert_eq!(
        p.native_id,
        "https://www.linkedin.com/feed/update/urn:li:activity:7100000000000000003"
    );
    assert_eq!(p.time, 1_710_720_000); // 03/18/2024, month first
    assert_eq!(p.author.native_id, "Hearth Labs");
    let m = p.metrics.as_ref().expect("metrics");
    assert_eq!(
        (m.impressions, m.clicks, m.reactions, m.comments, m.shares),
        (
            Some(10000.0),
            Some(250.0),
            Some(200.0),
            Some(10.0),
            Some(15.0)
        )
    );
    assert_eq!(m.format.as_deref(), Some("link"));

    let fb = conformance::check(
        &AnalyticsReader(&facebook::FACEBOOK),
        &repo("fixtures/social/facebook-posts.csv"),
        false,
    )
    .expect("conforms");
    assert_eq!(fb.messages.len(), 3);
    let m = fb.messages[1].metrics.as_ref().expect("metrics");
    assert_eq!(
        (
            m.impressions,
            m.reach,
            m.reactions,
            m.comments,
            m.shares,
            m.clicks
        ),
        (
            Some(5000.0),
            Some(4000.0),
            Some(150.0),
            Some(20.0),
            Some(40.0),
            Some(200.0)
        )
    );
    assert_eq!(fb.messages[1].time, 1_710_752_400); // 03/18/2024 09:00 UTC
    let video = fb.messages[2].metrics.as_ref().expect("metrics");
    assert_eq!(
        (video.impressions, video.video_views),
        (None, Some(900.0)),
        "`-` is not stated"
    );

    let ig = conformance::check(
        &AnalyticsReader(&instagram::INSTAGRAM),
        &repo("fixtures/social/instagram-posts.csv"),
        false,
    )
    .expect("conforms");
    assert_eq!(ig.messages.len(), 2);
    assert_eq!(ig.messages[0].space, "instagram:hearthlabs");
    let m = ig.messages[1].metrics.as_ref().expect("metrics");
    assert_eq!(
        (
            m.impressions,
            m.reach,
            m.reactions,
            m.shares,
            m.follows,
            m.video_views
        ),
        (
            Some(8000.0),
            Some(6000.0),
            Some(400.0),
            Some(60.0),
            Some(25.0),
            Some(7000.0)
        )
    );

    let sc = conformance::check(
        &AnalyticsReader(&socialcsv::SOCIAL_CSV),
        &repo("fixtures/social/posts.csv"),
        false,
    )
    .expect("conforms");
    assert_eq!(sc.messages.len(), 3);
    assert_eq!(sc.skipped(), 1);
    assert_eq!(sc.messages[1].time, 1_709_659_800); // 2024-03-05 17:30 UTC
    assert_eq!(sc.messages[2].time, 1_709_913_600); // seconds since 1970
    let m = sc.messages[0].metrics.as_ref().expect("metrics");
    assert_eq!(
        (m.conversions, m.cost, m.value, m.followers),
        (Some(10.0), Some(100.0), Some(500.0), Some(4000.0))
    );
    assert_eq!(sc.messages[2].metrics.as_ref().and_then(|m| m.clicks), None);
}

#[test]
fn broken_analytics_files_give_diagnostics() {
    let reader = AnalyticsReader(&twitter::TWITTER);
    for (bytes, what) in [
        (&b"no,header,here\n1,2,3\n"[..], "no header"),
        (
            &b"\"Tweet id\",\"time\"\n\"1\",\"garbage\"\n\"2\"\n"[..],
            "bad rows",
        ),
        (&b"\xff\xfe\x00\"Tweet id\n"[..], "binary"),
        (&b""[..], "empty"),
    ] {
        let path = Path::new("tweet_activity_metrics_x_20210101_20210201_en.csv");
        let got = conformance::check_stream(
            path,
            bytes,
            |input, sink| hearth_sources::social::read(&twitter::TWITTER, path, input, sink),
            true,
        )
        .unwrap_or_else(|e| panic!("{what}: {e}"));
        assert!(got.messages.is_empty(), "{what}");
        let _ = &reader;
    }
}

#[test]
fn auto_detection_knows_the_analytics_exports() {
    for (path, format) in [
        ("fixtures/social/linkedin-posts.csv", "linkedin"),
        ("fixtures/social/facebook-posts.csv", "facebook"),
        ("fixtures/social/instagram-posts.csv", "instagram"),
        ("fixtures/social/posts.csv", "social-csv"),
        ("../shared/data/social/twitter-adho", "twitter"),
        (
            "../shared/data/social/mastodon-archive/outbox.json",
            "mastodon",
        ),
        ("fixtures/mastodon/brand.mastodon.json", "mastodon"),
        ("fixtures/bluesky/brand.bluesky.json", "bluesky"),
    ] {
        assert_eq!(hearth_sources::detect(&repo(path)), Ok(format), "{path}");
    }
}

/// Found by the `social` fuzz target: a time of `0` (seconds since 1970) is a placeholder,
/// not a post time, and is skipped like any unreadable time.
#[test]
fn fuzz_social_epoch_zero_time_is_skipped() {
    let path = Path::new("posts.csv");
    let got = conformance::check_stream(
        path,
        b"post_id,time\np1,0\np2,2024-03-04T09:00:00Z\n",
        |input, sink| hearth_sources::social::read(&socialcsv::SOCIAL_CSV, path, input, sink),
        true,
    )
    .expect("conforms");
    assert_eq!(got.messages.len(), 1);
    assert_eq!(got.diagnostics[0].reason, SkipReason::MissingTime);
}

/// What `hearth sync` fetched from a real PDS and AppView (Bluesky) and from the recorded
/// Mastodon exchanges, read back by the sources' readers: every record conforms, the brand's
/// posts carry their counts, and replies name their parents.
#[test]
fn synced_answers_read_back_with_counts_and_parents() {
    let bluesky = repo("fixtures/bluesky/brand.bluesky.json");
    let got = conformance::check(&hearth_sources::bluesky::BlueskyReader, &bluesky, false)
        .expect("bluesky conforms");
    assert_eq!(got.messages.len(), 3, "the launch, a reply and a mention");
    let launch = got
        .messages
        .iter()
        .find(|m| m.metrics.is_some())
        .expect("the brand's post");
    let m = launch.metrics.as_ref().expect("counts");
    assert_eq!(
        (m.reactions, m.comments, m.shares),
        (Some(1.0), Some(1.0), Some(1.0))
    );
    assert!(
        got.messages
            .iter()
            .any(|m| m.parent.as_deref() == Some(launch.native_id.as_str()))
    );
    assert_eq!(
        got.diagnostics.len(),
        2,
        "the like and the repost are noted: {:?}",
        got.diagnostics
    );

    let mastodon = repo("fixtures/mastodon/brand.mastodon.json");
    let got = conformance::check(&MastodonReader, &mastodon, false).expect("mastodon conforms");
    assert_eq!(got.messages.len(), 4);
    assert!(
        got.messages
            .iter()
            .all(|m| m.space == "mastodon:https://social.example/users/ettus")
    );
    let parents: Vec<_> = got
        .messages
        .iter()
        .filter_map(|m| m.parent.clone())
        .collect();
    assert_eq!(
        parents.len(),
        2,
        "both replies name their parent's uri: {parents:?}"
    );
    assert!(
        parents
            .iter()
            .all(|p| p.starts_with("https://social.example/users/ettus/statuses/"))
    );
    assert_eq!(got.diagnostics.len(), 1, "the boost is noted");
}
