//! A window of its own answers from what the scope without a start computed: the role audit's
//! classes, the routing index and routed items, the newcomer and lapsed lists and the work
//! queues' lists are kept by space and as-of moment (`hearth_app::memo`), and a window is
//! their filter. Those answers must be, byte for byte, the answers computed in full.
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

/// Every answer that reads something kept: the audit, the routing (every item), the queues'
/// items and the overview page.
fn answers(data: &std::path::Path, scope: &Scope) -> Vec<String> {
    let loaded = load(data, scope).expect("load");
    let audit = hearth_app::audit::roles(&loaded, 2, 1).expect("audit");
    let items = hearth_app::queue::all_items(&loaded).expect("queue");
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
    vec![
        audit.to_string(),
        serde_json::to_string(&items).expect("items"),
        route.to_string(),
        overview,
    ]
}

#[test]
fn a_window_of_its_own_answers_what_computing_it_in_full_answers() {
    let dir = usrp_users_store(RULES);
    let d = dir.path();
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
        for (which, (a, b)) in ["audit", "queue items", "routing", "overview"]
            .iter()
            .zip(kept.iter().zip(&full))
        {
            assert!(a == b, "window {k} ({scope:?}): the {which} differs");
        }
        // Not trivially equal: a window changes what the audit and routing list.
        assert_ne!(kept[0], answers(d, &Scope::default())[0], "{scope:?}");
    }
    // A window with an end of its own has another as-of moment: computed in full, the same.
    let ended = Scope {
        since: Some("2023-01-01".into()),
        until: Some("2024-01-01".into()),
        space: None,
    };
    let kept = answers(d, &ended);
    memo::bypass(true);
    assert_eq!(kept, answers(d, &ended));
    memo::bypass(false);
}
