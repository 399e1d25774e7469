//! `hearth metrics`, `members` and `explain` on the real usrp-users archive, against values
//! computed independently: `tests/reference/mbox_report.py` (Python's `mailbox`, the
//! definitions of docs/metrics.md, and networkx for the graph measures). Rerun with
//! `python3 tests/reference/mbox_report.py [--since D --until D] ../shared/data/mbox/usrp-users/*.mbox`.

mod common;

use common::{VENDOR_RULES, data_dir, hearth, json, usrp_users};
use serde_json::Value;

fn close(v: &Value, expected: f64, what: &str) {
    let got = v
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: not a number: {v}"));
    assert!((got - expected).abs() < 1e-9, "{what}: {got} != {expected}");
}

fn ingested() -> tempfile::TempDir {
    let dir = data_dir(Some(VENDOR_RULES));
    let path = usrp_users();
    let (code, _, err) = hearth(
        dir.path(),
        &["ingest", "mbox", path.to_str().expect("utf-8"), "-q"],
    );
    assert_eq!(code, 0, "{err}");
    dir
}

#[test]
fn usrp_users_all_time_and_2024() {
    let dir = ingested();
    let all = json(dir.path(), &["metrics", "--json"]);

    // Graph structure: networkx on the same reply edges.
    let s = &all["structure"];
    assert_eq!(
        (s["nodes"].as_u64(), s["edges"].as_u64()),
        (Some(880), Some(2141))
    );
    assert_eq!(s["directed_edges"], 3207);
    close(
        &s["degree_centralization"],
        0.6489539521251395,
        "centralization",
    );
    close(&s["reciprocity"], 0.6647957592765825, "reciprocity");
    close(&s["average_clustering"], 0.3864567772807656, "clustering");
    close(&s["transitivity"], 0.027139058001274752, "transitivity");
    close(
        &s["brand_share_of_edges"],
        0.36524988323213453,
        "brand share",
    );

    // Survival: Kaplan–Meier with unanswered threads censored at the last message.
    let v = &all["survival"];
    // Orphan replies (418, their parent not in the archive) start no thread.
    assert_eq!(v["threads"], 2542);
    assert_eq!(v["censored"], 518);
    close(&v["median_hours"], 5.235, "KM median");
    close(&v["answered_within_1h"], 0.2903225806451575, "1h");
    close(&v["answered_within_24h"], 0.6573564122737947, "24h");
    close(&v["answered_within_7d"], 0.7592446892210826, "7d");
    // Fewer than half of member threads are ever first answered by the brand.
    assert_eq!(v["median_hours_brand"], Value::Null);

    let a = &all["activity"];
    assert_eq!(a["active_members"], 943);
    close(&a["mean_daily_active"], 2.3845274390243905, "DAU");
    close(&a["mean_monthly_active"], 30.886363636363637, "MAU");
    close(&a["stickiness"], 0.07720324305892066, "stickiness");
    // Every member is new over all time; the first month's cohort is 8 people.
    assert_eq!(a["new_members"], 943);
    assert_eq!(a["cohorts"][0]["month"], "2019-04");
    assert_eq!(a["cohorts"][0]["size"], 8);
    assert_eq!(
        a["cohorts"][0]["retention"].as_array().map(Vec::len),
        Some(13)
    );

    let n = &all["newcomers"];
    assert_eq!(n["newcomers"], 943);
    assert_eq!(n["answered_by_member"], 529);
    assert_eq!(n["answered_by_brand"], 201);
    assert_eq!(n["unanswered"], 196);
    // Their first message answered a message missing from the archive, and nobody replied.
    assert_eq!(n["answer_unknown"], 17);
    close(&n["came_back_rate"], 0.5796178343949044, "came back");
    close(
        &n["came_back_rate_answered_by_member"],
        0.6534090909090909,
        "by member",
    );
    close(
        &n["came_back_rate_answered_by_brand"],
        0.6268656716417911,
        "by brand",
    );
    close(
        &n["came_back_rate_unanswered"],
        0.3520408163265306,
        "unanswered",
    );

    let x = &all["absence"];
    assert_eq!(x["answers"], 7637);
    assert_eq!(x["answerers"], 622);
    assert_eq!(x["absence_factor"], 8);
    close(&x["top10_share"], 0.5348959015320152, "top-10 share");
    assert_eq!(x["top_answerers"][0]["person"]["name"], "Marcus D. Leech");
    assert_eq!(x["top_answerers"][0]["answers"], 2211);

    // The foundation's numbers are unchanged.
    close(&all["peer_share"]["value"], 5349.0 / 7637.0, "peer share");
    assert_eq!(all["brand_dependence"]["brand_only_threads"], 491);

    // One window: the year 2024.
    let y = json(
        dir.path(),
        &[
            "metrics",
            "--since",
            "2024-01-01",
            "--until",
            "2025-01-01",
            "--json",
        ],
    );
    let s = &y["structure"];
    assert_eq!(
        (s["nodes"].as_u64(), s["edges"].as_u64()),
        (Some(148), Some(254))
    );
    close(
        &s["degree_centralization"],
        0.5624825272574779,
        "2024 centralization",
    );
    close(&s["reciprocity"], 0.656084656084656, "2024 reciprocity");
    close(
        &s["average_clustering"],
        0.2878513603165306,
        "2024 clustering",
    );
    close(&s["transitivity"], 0.04907063197026022, "2024 transitivity");
    close(
        &s["brand_share_of_edges"],
        0.41338582677165353,
        "2024 brand share",
    );
    close(
        &y["survival"]["median_hours"],
        5.575833333333334,
        "2024 KM median",
    );
    close(
        &y["survival"]["answered_within_7d"],
        0.7835081870771637,
        "2024 7d",
    );
    close(
        &y["activity"]["mean_daily_active"],
        1.5737704918032787,
        "2024 DAU",
    );
    close(
        &y["activity"]["stickiness"],
        0.06580225052836008,
        "2024 stickiness",
    );
    let n = &y["newcomers"];
    assert_eq!(
        (
            n["newcomers"].as_u64(),
            n["answered_by_member"].as_u64(),
            n["answered_by_brand"].as_u64(),
            n["unanswered"].as_u64()
        ),
        (Some(88), Some(38), Some(32), Some(18))
    );
    close(
        &n["came_back_rate_unanswered"],
        1.0 / 6.0,
        "2024 unanswered came back",
    );
    assert_eq!(y["absence"]["absence_factor"], 5);
    close(&y["absence"]["top10_share"], 0.625, "2024 top-10");
    // Monthly series: twelve rows, their messages add up to the year's.
    let rows = y["series"]["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 12);
    assert_eq!(rows[0]["period"], "2024-01");
    let msgs: u64 = rows
        .iter()
        .map(|r| r["messages"].as_u64().unwrap_or(0))
        .sum();
    let report = json(
        dir.path(),
        &[
            "report",
            "--since",
            "2024-01-01",
            "--until",
            "2025-01-01",
            "--json",
        ],
    );
    assert_eq!(Some(msgs), report["messages"].as_u64());

    // People lists.
    let helpers = json(
        dir.path(),
        &["members", "helpers", "--limit", "3", "--json"],
    );
    let people = helpers["people"].as_array().expect("people");
    assert_eq!(people[0]["person"]["name"], "Marcus D. Leech");
    assert_eq!(people[0]["answers"], 2211);
    assert!(people.iter().all(|p| p["person"]["role"] == "member"));
    let lapsed = json(dir.path(), &["members", "lapsed", "--json"]);
    for p in lapsed["people"].as_array().expect("people") {
        let silent = p["silent_days"].as_f64().expect("silent");
        let usual = p["usual_gap_days"].as_f64().expect("usual");
        assert!(silent >= (4.0 * usual).max(30.0) && silent <= 365.0, "{p}");
        assert!(p["messages"].as_u64() >= Some(5));
    }
    let intro = json(
        dir.path(),
        &["members", "introductions", "--limit", "5", "--json"],
    );
    for pair in intro["pairs"].as_array().expect("pairs") {
        assert!(pair["shared_threads"].as_u64() >= Some(2));
        assert_ne!(pair["a"]["id"], pair["b"]["id"]);
    }

    // Sentiment, checked by reading the messages: the most negative is a complaint about a
    // broken build ("something very horrible went wrong"), a happy "SUCCESS!!" is among the
    // most positive, and technical words move nothing.
    let e = json(
        dir.path(),
        &["explain", "sentiment", "--limit", "6", "--json"],
    );
    let v = &e["value"];
    assert_eq!(
        (v["scored"].as_u64(), v["negative"].as_u64()),
        (Some(9828), Some(158))
    );
    let neg = &e["behind"]["most_negative"][0];
    assert_eq!(neg["message"], 3941);
    assert_eq!(neg["words"][0]["word"], "horrible");
    assert_eq!(neg["words"][0]["why"], "intensified");
    let pos = e["behind"]["most_positive"].as_array().expect("list");
    assert!(pos.iter().any(|m| {
        m["message"] == 164
            && m["excerpt"]
                .as_str()
                .is_some_and(|t| t.contains("SUCCESS!!"))
    }));
    for m in e["behind"]["most_negative"].as_array().expect("list") {
        for w in m["words"].as_array().expect("words") {
            if w["why"] == "technical (neutral)" {
                assert_eq!(w["weight"], 0.0);
            }
        }
    }

    // Any one message can be inspected.
    let one = json(
        dir.path(),
        &["explain", "sentiment", "--message", "3941", "--json"],
    );
    assert_eq!(one["behind"]["score"], -4.5);
    assert_eq!(one["behind"]["words"][1]["word"], "wrong");
    assert_eq!(one["behind"]["words"][1]["why"], "technical (neutral)");

    // explain: the definition, the value and the messages behind it.
    let e = json(
        dir.path(),
        &["explain", "first_response", "--limit", "2", "--json"],
    );
    assert!(
        e["definition"]
            .as_str()
            .expect("text")
            .contains("First response")
    );
    assert_eq!(e["value"]["member_threads"], 2542);
    let waiting = e["behind"]["unanswered_newest"].as_array().expect("list");
    assert_eq!(waiting.len(), 2);
    assert!(
        waiting[0]["excerpt"]
            .as_str()
            .is_some_and(|t| !t.is_empty())
    );
    assert_eq!(waiting[0]["first_response"], Value::Null);
}

#[test]
fn explain_knows_every_metric_and_says_so_when_not() {
    let dir = data_dir(Some(VENDOR_RULES));
    let (code, out, _) = hearth(dir.path(), &["explain", "--list"]);
    assert_eq!(code, 0);
    for name in [
        "peer_share",
        "survival",
        "structure",
        "newcomers",
        "lapsed",
        "helpers",
        "introductions",
        "absence",
        "sentiment",
        "themes",
        "reply_inference",
    ] {
        assert!(out.lines().any(|l| l == name), "{name} missing from {out}");
    }
    let (code, _, err) = hearth(dir.path(), &["explain", "nonsense"]);
    assert_eq!(code, 1);
    assert!(err.contains("no metric named \"nonsense\""), "{err}");
}
