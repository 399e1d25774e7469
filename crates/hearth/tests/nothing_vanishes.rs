//! Nothing vanishes silently, and a script can tell: an input from which a reader gets no
//! message says so (what was expected, what it looks like), an ingest that read nothing
//! exits 3, one where some input had every record skipped exits 4; and every setting that
//! would be ignored or misread is refused with its key, value and what is allowed.

mod common;

use common::{data_dir, hearth, repo};

fn shared(rel: &str) -> String {
    repo()
        .join("../shared/data")
        .join(rel)
        .to_str()
        .expect("utf-8")
        .to_owned()
}

#[test]
fn a_reader_given_another_format_says_so_and_exits_3() {
    let dir = data_dir(None);
    let empty_dump = dir.path().join("dump");
    std::fs::create_dir(&empty_dump).expect("dump");
    std::fs::write(
        empty_dump.join("Posts.xml"),
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<posts>\n</posts>\n",
    )
    .expect("posts");
    let cases = [
        (
            "github",
            shared("social/mastodon-archive/outbox.json"),
            "mastodon",
        ),
        (
            "discourse",
            shared("slack/houstondatavis-export/channels.json"),
            "",
        ),
        ("discord", shared("github/gialog-issues"), "github"),
        (
            "stackexchange",
            empty_dump.to_str().expect("utf-8").to_owned(),
            "",
        ),
    ];
    for (format, input, looks_like) in cases {
        let (code, _, err) = hearth(dir.path(), &["ingest", format, &input]);
        assert_eq!(code, 3, "ingest {format} {input}: {err}");
        assert!(
            err.contains(&format!("no {format} message")),
            "{format}: says what it did not find: {err}"
        );
        assert!(
            err.contains("expected"),
            "{format}: says what it expected: {err}"
        );
        if !looks_like.is_empty() {
            assert!(
                err.contains(&format!("it looks like {looks_like}")),
                "{format}: says what it found: {err}"
            );
        }
        assert!(err.contains("no message was read"), "{err}");
    }
    // `auto` that cannot tell names every format it knows.
    let odd = dir.path().join("notes.txt");
    std::fs::write(&odd, "just some notes\n").expect("write");
    let (code, _, err) = hearth(
        dir.path(),
        &["ingest", "auto", odd.to_str().expect("utf-8")],
    );
    assert_eq!(code, 1, "{err}");
    for f in hearth_sources::FORMATS {
        assert!(err.contains(&format!("{f} (")), "names {f}: {err}");
    }
}

#[test]
fn an_input_whose_records_were_all_skipped_exits_4_and_the_rest_is_kept() {
    let dir = data_dir(None);
    let good = dir.path().join("good.jsonl");
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(
        &good,
        "{\"id\": \"1\", \"time\": \"2024-01-01T00:00:00Z\", \"author\": \"ana\", \"space\": \"s\", \"text\": \"hi\"}\n",
    )
    .expect("good");
    std::fs::write(
        &bad,
        "{\"id\": \"2\", \"time\": \"never\", \"author\": \"ben\"}\nnot json\n",
    )
    .expect("bad");
    let (code, out, err) = hearth(
        dir.path(),
        &[
            "ingest",
            "jsonl",
            good.to_str().expect("utf-8"),
            bad.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(code, 4, "{err}");
    assert!(out.contains("added 1"), "{out}");
    assert!(
        err.contains("bad.jsonl: every record was skipped (2)"),
        "{err}"
    );
    let (code, _, _) = hearth(
        dir.path(),
        &["ingest", "jsonl", good.to_str().expect("utf-8")],
    );
    assert_eq!(code, 0, "all duplicates is not a failure");
}

#[test]
fn every_setting_that_would_be_ignored_or_misread_is_refused() {
    let input = repo().join("fixtures/mbox/usrp-users-2026-excerpt.mbox");
    let base = data_dir(None);
    let (code, _, err) = hearth(
        base.path(),
        &["-q", "ingest", "mbox", input.to_str().expect("utf-8")],
    );
    assert_eq!(code, 0, "{err}");
    for (toml, key, allowed) in [
        (
            "[social]\nengagement_rate = \"clicks\"\n",
            "[social] engagement_rate = \"clicks\"",
            "\"impressions\"",
        ),
        (
            "[replies]\nmin_confidence = 1.5\n",
            "[replies] min_confidence = 1.5",
            "from 0 to 1",
        ),
        (
            "[replies]\nmin_confidence = nan\n",
            "[replies] min_confidence = NaN",
            "from 0 to 1",
        ),
        (
            "[queue]\nquestion_hours = -4.0\n",
            "[queue] question_hours = -4",
            "above 0",
        ),
        (
            "[queue]\nlookback_days = -30\n",
            "[queue] lookback_days = -30",
            "1 or more",
        ),
        (
            "[brand]\nutc_offset = \"CET\"\n",
            "[brand] utc_offset = \"CET\"",
            "+10:00",
        ),
        (
            "[[route.rules]]\nname = \"x\"\nto = [\"suport\"]\n",
            "[[route.rules]] \"x\" to = \"suport\"",
            "community:welcome",
        ),
    ] {
        std::fs::write(base.path().join("hearth.toml"), toml).expect("rules");
        let (code, _, err) = hearth(base.path(), &["report"]);
        assert_eq!(code, 1, "{toml}: {err}");
        assert!(err.contains(key), "{toml}: names the key and value: {err}");
        assert!(err.contains(allowed), "{toml}: says what is allowed: {err}");
    }
}

#[test]
fn no_verdict_without_a_brand_or_without_members() {
    // usrp-users with no rules: everyone is a member, so no verdict is given.
    let dir = data_dir(None);
    let input = common::usrp_users();
    let (code, _, err) = hearth(
        dir.path(),
        &["-q", "ingest", "mbox", input.to_str().expect("utf-8")],
    );
    assert_eq!(code, 0, "{err}");
    let report = common::json(dir.path(), &["report", "--json"]);
    assert_eq!(report["community"]["verdict"], "unknown");
    assert_eq!(report["community"]["unknown_because"], "no_brand");
    for space in report["spaces"].as_array().expect("spaces") {
        assert_eq!(space["community"]["verdict"], "unknown", "{space}");
    }
    let (_, text, _) = hearth(dir.path(), &["report"]);
    assert!(
        text.contains("Verdict: UNKNOWN: say who the brand is."),
        "{text}"
    );
    assert!(
        text.contains("brand_email_domains = [\"example.com\"]"),
        "{text}"
    );
    let page = dir.path().join("r.html");
    let (code, _, _) = hearth(
        dir.path(),
        &["report", "--html", page.to_str().expect("utf-8")],
    );
    assert_eq!(code, 0);
    let html = std::fs::read_to_string(&page).expect("html");
    assert!(html.contains("<strong class=\"unknown\">not known yet: say who the brand is"));
    // Saying who the brand is gives the verdict back.
    std::fs::write(dir.path().join("hearth.toml"), common::VENDOR_RULES).expect("rules");
    let report = common::json(dir.path(), &["report", "--json"]);
    assert_eq!(report["community"]["verdict"], "community");
    assert!(report["community"].get("unknown_because").is_none());

    // Everyone brand: no member is known, no verdict either.
    let all_brand = data_dir(None);
    let file = all_brand.path().join("staff.jsonl");
    std::fs::write(
        &file,
        concat!(
            "{\"id\": \"1\", \"time\": \"2024-01-01T00:00:00Z\", \"author\": \"ana\", \"role\": \"brand\", \"space\": \"s\", \"text\": \"hi\"}\n",
            "{\"id\": \"2\", \"time\": \"2024-01-01T01:00:00Z\", \"author\": \"ben\", \"role\": \"brand\", \"space\": \"s\", \"parent\": \"1\", \"text\": \"hello\"}\n",
        ),
    )
    .expect("write");
    let (code, _, err) = hearth(
        all_brand.path(),
        &["ingest", "jsonl", file.to_str().expect("utf-8")],
    );
    assert_eq!(code, 0, "{err}");
    let report = common::json(all_brand.path(), &["report", "--json"]);
    assert_eq!(report["community"]["verdict"], "unknown", "{report}");
    assert_eq!(report["community"]["unknown_because"], "no_members");
}
