//! A window of its own answers from what the scope without a start computed: the role audit's
//! classes, the routing index and routed items, the newcomer and lapsed lists, the member
//! threads and the monthly series, the messages addressed to the brand with their first
//! responses, and the work queues' lists are kept by space and as-of
//! moment (`hearth_app::memo`), and a window is their filter or cut. Those answers must be, byte for byte, the answers computed in full.
//!
//! One test in a file of its own: it turns the process-wide memo off to compare both ways.

mod common;

use common::usrp_users_store;
use hearth_app::memo;
use hearth_app::route::RouteQuery;
use hearth_app::scope::{Scope, load};

const RULES: &str = r#"[roles]
brand_email_domains = ["ettus.com", "ni.com", "emerson.com"]

[brand]
names = ["Ettus", "USRP", "UHD", "RFNoC"]
"#;

/// What [`answers`] answers, in its order.
const WHICH: [&str; 6] = [
    "audit",
    "queue items",
    "routing",
    "overview",
    "change",
    "responses",
];

/// Every answer that reads something kept: the audit, the routing (every item), the queues'
/// items and the overview page.
fn answers(data: &std::path::Path, scope: &Scope) -> Vec<String> {
    let loaded = load(data, scope).expect("load");
    let audit = hearth_app::audit::roles(&loaded, 2, 1).expect("audit");
    let items = hearth_app::queue::list_json(
        &loaded,
        &hearth_app::queue::QueueQuery {
            all: true,
            ..Default::default()
        },
    )
    .expect("queue");
    let mut routing = load(data, scope).expect("load");
    let route = hearth_app::route::route_json(
        &mut routing,
        &RouteQuery {
            all: true,
            limit: Some(usize::MAX),
            ..RouteQuery::default()
        },
    )
    .expect("route");
    let overview =
        hearth_app::report::overview_html(data, scope, &hearth_report::html::Links::default())
            .expect("overview");
    // After the overview, which keeps its window's numbers for the change.
    let change = hearth_app::report::change_json(data, scope).expect("change");
    // The brand's responses, every waiting item listed.
    let responses = hearth_app::social::responses_json(&loaded, &loaded.config).expect("responses");
    vec![
        audit.to_string(),
        items.to_string(),
        route.to_string(),
        overview,
        change.to_string(),
        responses.to_string(),
    ]
}

#[test]
fn a_window_of_its_own_answers_what_computing_it_in_full_answers() {
    let dir = usrp_users_store(RULES);
    let d = dir.path();
    // As the server does: what a whole space computes for its windows is kept.
    memo::keep_wholes(true);
    // The scope without a start, as the server computes it ahead: what it computes is kept.
    answers(d, &Scope::default());
    let scope = |since: &str, space: Option<&str>| Scope {
        since: Some(since.to_owned()),
        until: None,
        space: space.map(str::to_owned),
    };
    // Routing keeps the items from the earliest start asked for: 2024 is inside 2021's.
    for (k, scope) in [
        scope("2025-01-01", None),
        scope("2021-06-01", None),
        scope("2024-03-01", None),
    ]
    .iter()
    .enumerate()
    {
        let before = memo::hits();
        let kept = answers(d, scope);
        assert!(
            memo::hits() > before,
            "{scope:?} read nothing kept ({} hits)",
            memo::hits()
        );
        memo::bypass(true);
        let full = answers(d, scope);
        memo::bypass(false);
        for (which, (a, b)) in WHICH.iter().zip(kept.iter().zip(&full)) {
            assert!(a == b, "window {k} ({scope:?}): the {which} differs");
        }
        // Not trivially equal: a window changes what the audit and routing list.
        assert_ne!(kept[0], answers(d, &Scope::default())[0], "{scope:?}");
    }
    // A window with an end of its own has another as-of moment: the role audit classifies
    // its brand messages with the index of the whole space, cut at that moment; the rest is
    // computed for it. Ends across the archive's years, with and without a start or a space.
    let space = Some("usrp-users.lists.ettus.com".to_owned());
    for (since, until, space) in [
        (Some("2023-01-01"), "2024-01-01", None),
        (None, "2016-03-15", None),
        (Some("2019-05-01"), "2019-08-20", space.clone()),
        (None, "2021-11-02", space.clone()),
        (Some("2012-01-01"), "2025-06-01", None),
        // An end after the data's.
        (Some("2024-01-01"), "2030-01-01", None),
    ] {
        let ended = Scope {
            since: since.map(str::to_owned),
            until: Some(until.to_owned()),
            space,
        };
        let before = memo::hits();
        let kept = answers(d, &ended);
        assert!(memo::hits() > before, "{ended:?} read nothing kept");
        memo::bypass(true);
        let full = answers(d, &ended);
        memo::bypass(false);
        for (which, (a, b)) in WHICH.iter().zip(kept.iter().zip(&full)) {
            assert!(a == b, "{ended:?}: the {which} differs");
        }
    }
    // The audit's cut at the end, at many ends: a brand message just before an end is the
    // case where what follows it (members joining, an introduced pair talking, a newcomer
    // answering) is left out, and a name is told apart from a member not known yet; one
    // long before it has the class it has in the whole space.
    let mut differ = 0;
    // The brand's responses at those ends: a message answered after an end waits at it.
    let whole = load(d, &Scope::default()).expect("load");
    let addressed = hearth_analysis::social::response::addressed_all(&whole.context());
    let mut answered_later = 0;
    for year in 2010..=2025 {
        for month in [2, 5, 8, 11] {
            let ended = Scope {
                since: None,
                until: Some(format!("{year}-{month:02}-{:02}", 3 + (year % 20))),
                space: None,
            };
            // The whole space's classes are kept (as after the server's warm-up): a class
            // that had settled before the end is taken from them.
            let whole_team = full_space_team(d);
            let loaded = load(d, &ended).expect("load");
            let kept = hearth_app::audit::roles(&loaded, 50, 1).expect("audit");
            memo::bypass(true);
            let full = hearth_app::audit::roles(&loaded, 50, 1).expect("audit");
            memo::bypass(false);
            assert!(kept == full, "{ended:?}: the audit differs");
            // The counts alone (the overview's): cut from the whole space without copying.
            let counted = hearth_app::audit::roles(&loaded, 0, 1).expect("audit");
            memo::bypass(true);
            let full = hearth_app::audit::roles(&loaded, 0, 1).expect("audit");
            memo::bypass(false);
            assert!(counted == full, "{ended:?}: the audit's counts differ");
            differ += usize::from(kept["team"] != whole_team);
            let kept = hearth_app::social::responses_json(&loaded, &loaded.config);
            memo::bypass(true);
            let full = hearth_app::social::responses_json(&loaded, &loaded.config);
            memo::bypass(false);
            assert!(
                kept.expect("responses") == full.expect("responses"),
                "{ended:?}: the responses differ"
            );
            let end = loaded.context().as_of();
            let time = &loaded.snapshot.messages.time;
            answered_later += usize::from(
                addressed
                    .iter()
                    .any(|a| time[a.message as usize] < end && a.first.is_some_and(|t| t >= end)),
            );
        }
    }
    assert!(differ > 50, "the ends change the audit ({differ} of 64)");
    assert!(
        answered_later >= 3,
        "ends with a message answered after them: {answered_later} of 64"
    );

    // Read ahead (as the server does after its warm-up), every window routes from what was
    // read: the same items, at any end. Without an end of its own, a window's items are a
    // stretch of every item routed at the data's end (routed by the read-ahead, in the order
    // the readings were put in).
    let (read, whole) = hearth_app::route::read_ahead(d).expect("read ahead");
    assert!(
        read > 5_000 && whole,
        "members' messages read ahead: {read}"
    );
    let space = Some("usrp-users.lists.ettus.com".to_owned());
    for (since, until, space) in [
        (Some("2014-02-01"), Some("2016-07-01"), None),
        (Some("2022-05-01"), Some("2022-06-01"), None),
        (Some("2011-03-01"), None, None),
        (Some("2024-09-15"), None, None),
        (None, None, None),
        (Some("2020-01-01"), None, space),
    ] {
        let ended = Scope {
            since: since.map(str::to_owned),
            until: until.map(str::to_owned),
            space,
        };
        let kept = answers(d, &ended);
        memo::bypass(true);
        let full = answers(d, &ended);
        memo::bypass(false);
        assert!(kept[1] == full[1], "{ended:?}: the queue items differ");
        assert!(kept[2] == full[2], "{ended:?}: the routing differs");
    }

    // The months' theme terms counted once (as after the server's warm-up): a window's whole
    // months are added up from them, the months it cuts counted from their messages; the
    // themes are those counted from the window's messages.
    hearth_app::metrics::warm_month_terms(d).expect("months' terms");
    let themes = |scope: &Scope| {
        let loaded = load(d, scope).expect("load");
        let q = hearth_app::metrics::MetricsQuery {
            name: Some("themes".into()),
            period: None,
        };
        hearth_app::metrics::metrics_json(&loaded, &q).expect("themes")
    };
    for (since, until) in [
        (None, None),
        (Some("2016-01-15"), Some("2024-10-10")),
        (Some("2013-03-01"), Some("2019-07-01")),
        (Some("2022-05-09"), Some("2022-05-30")),
    ] {
        let scope = Scope {
            since: since.map(str::to_owned),
            until: until.map(str::to_owned),
            space: None,
        };
        let before = memo::hits();
        let kept = themes(&scope);
        assert!(memo::hits() > before, "{scope:?}: the months were not kept");
        memo::bypass(true);
        let full = themes(&scope);
        memo::bypass(false);
        assert!(
            kept["themes"].as_array().is_some_and(|t| !t.is_empty()),
            "{scope:?}: no themes"
        );
        assert!(kept == full, "{scope:?}: the themes differ");
    }
}

fn full_space_team(d: &std::path::Path) -> serde_json::Value {
    let loaded = load(d, &Scope::default()).expect("load");
    hearth_app::audit::roles(&loaded, 0, 1).expect("audit")["team"].clone()
}
