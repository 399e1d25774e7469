//! Answers computed before anyone asks.
//!
//! A page's answer costs what the CLI command behind it costs (the role audit, the routing
//! and the overview read text and walk every thread: seconds on a million messages), and the
//! cache ([`crate::cache`]) keeps it only once somebody has asked. So when the data or
//! `hearth.toml` has changed (or the cache was emptied) and then stayed the same for
//! [`SETTLE`] — an ingest commits batch after batch; this waits until it is done — the server
//! computes the answers of the main pages ([`PAGES`], for the default scope) one after the
//! other, as an admin opening each would, each waiting for its own answer (never served an
//! older one meanwhile, so one page is computed at a time), then the helpers' ranking that
//! every person page shows (`hearth_app::people::warm_person_pages`), the months' theme
//! terms that `/metrics/themes` of every window adds up
//! (`hearth_app::metrics::warm_month_terms`), and last what routing reads in every message
//! (`hearth_app::route::read_ahead`). A visit then finds its answer
//! computed; while the warm-up runs, a visit gets the previous answer (as during an ingest)
//! or, with none, waits for the one computation under way instead of starting another.
//!
//! The warm-up calls the route table's handlers directly with a principal of its own
//! (`server:warm`, admin): nothing of it is reachable from the network, the answers are the
//! ones a request would compute, and what it renders is thrown away. `hearth serve
//! --warm-after 0` turns it off. `/healthz` tells which generation was warmed and how many
//! answers the server has computed.

use crate::State;
use crate::cache::Stamp;
use crate::routes::{Call, ROUTES};
use hearth_app::team::{Principal, Role};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long the data must stay unchanged before the warm-up starts (by default).
pub const SETTLE: Duration = Duration::from_secs(5);

/// The pages (and API answers) computed ahead, for the default scope: the ones a team opens
/// first, and those whose first answer takes longest.
pub const PAGES: &[&str] = &[
    "/api/v1/report",
    "/",
    "/queues",
    "/social",
    "/audit",
    "/routing",
    "/metrics",
];

/// Watches the data's stamp and warms the pages once it has settled after each change.
pub async fn run(state: Arc<State>, settle: Duration) {
    let poll = settle.clamp(Duration::from_millis(100), Duration::from_secs(1));
    // (the data's stamp, how many times the cache was emptied): what the answers depend on.
    let mut seen: Option<(Stamp, u64)> = None;
    let mut since = Instant::now();
    let mut warmed: Option<(Stamp, u64)> = None;
    loop {
        tokio::time::sleep(poll).await;
        let Ok(stamp) = crate::routes::stamp(&state).await else {
            continue;
        };
        let now = (stamp.data_only(), state.cache.cleared());
        if seen != Some(now) {
            seen = Some(now);
            since = Instant::now();
            continue;
        }
        if warmed == Some(now) || since.elapsed() < settle {
            continue;
        }
        let started = Instant::now();
        let pages = once(&state, stamp).await;
        tracing::info!(
            generation = stamp.generation,
            pages,
            seconds = started.elapsed().as_secs_f64(),
            "computed the main pages ahead"
        );
        state.set_warmed(stamp.generation, pages);
        warmed = Some(now);
        // Then what routing reads in every message, so that a window of any start or end
        // routes without reading text (stops at the next change of the data).
        let started = Instant::now();
        let data = state.options.data.clone();
        match tokio::task::spawn_blocking(move || hearth_app::route::read_ahead(&data)).await {
            Ok(Ok((read, whole))) => {
                tracing::info!(
                    generation = stamp.generation,
                    read,
                    whole,
                    seconds = started.elapsed().as_secs_f64(),
                    "read the messages ahead for routing"
                );
                if whole {
                    state.set_read_ahead(stamp.generation);
                }
            }
            Ok(Err(e)) => tracing::warn!("reading ahead for routing: {e}"),
            Err(e) => tracing::warn!("reading ahead for routing: {e}"),
        }
    }
}

/// Computes the answers of [`PAGES`] at `stamp`; returns how many answered.
pub async fn once(state: &Arc<State>, stamp: Stamp) -> usize {
    let mut answered = 0;
    for path in PAGES {
        let Some(route) = ROUTES.iter().find(|r| r.method == "GET" && r.path == *path) else {
            continue;
        };
        let call = Call {
            state: state.clone(),
            route,
            who: Some(Principal {
                name: "warm".to_owned(),
                role: Role::Admin,
                kind: "server",
                csrf: None,
            }),
            query: String::new(),
            pairs: Vec::new(),
            params: HashMap::new(),
            headers: axum::http::HeaderMap::new(),
            body: axum::body::Bytes::new(),
            addr: None,
            path: (*path).to_owned(),
            stamp: Some(stamp),
            fresh: true,
        };
        match (route.run)(call).await {
            Ok(r) if r.status().is_success() => answered += 1,
            Ok(r) => tracing::warn!(path, status = %r.status(), "warming a page"),
            Err(p) => tracing::warn!(path, "warming a page: {}", p.detail),
        }
    }
    // Person pages are one a person, none of them worth computing ahead; what they share
    // (the helpers' ranking) is.
    let data = state.options.data.clone();
    match tokio::task::spawn_blocking(move || hearth_app::people::warm_person_pages(&data)).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => tracing::warn!("warming the person pages: {e}"),
        Err(e) => tracing::warn!("warming the person pages: {e}"),
    }
    // The months' theme terms, which every window's `/metrics/themes` adds up.
    let data = state.options.data.clone();
    match tokio::task::spawn_blocking(move || hearth_app::metrics::warm_month_terms(&data)).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => tracing::warn!("counting the months' theme terms: {e}"),
        Err(e) => tracing::warn!("counting the months' theme terms: {e}"),
    }
    answered
}
