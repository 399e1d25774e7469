//! The community report (`hearth report`, `GET /api/v1/report`), the shareable HTML page, and
//! the few social numbers the text report ends with.

use crate::scope::{Scope, load, open_store, resolved_snapshot};
use crate::{AppError, Result, config};
use hearth_analysis::{CommunityReport, Window};
use serde_json::{Value, json};
use std::path::Path;

/// The report on the store in `data` over `window`.
pub fn report(data: &Path, window: Window) -> Result<CommunityReport> {
    let config = config::load(data)?;
    let store = open_store(data)?;
    let started = std::time::Instant::now();
    let snapshot = resolved_snapshot(&store, &config)?;
    let loaded = started.elapsed();
    let report = hearth_analysis::report(&snapshot, &config, window);
    tracing::info!(
        messages = snapshot.messages.len(),
        load_seconds = loaded.as_secs_f64(),
        total_seconds = started.elapsed().as_secs_f64(),
        "report computed"
    );
    Ok(report)
}

/// The report of one space (its name or native id), shaped as a whole report: the space's
/// counts, interactions and verdict, and itself as the only space.
pub fn space_report(data: &Path, window: Window, space: &str) -> Result<CommunityReport> {
    let loaded = load(
        data,
        &Scope {
            space: Some(space.to_owned()),
            ..Scope::default()
        },
    )?;
    let name = loaded
        .space
        .and_then(|i| loaded.snapshot.spaces.get(i as usize))
        .map(|s| s.name.clone())
        .unwrap_or_else(|| space.to_owned());
    let full = hearth_analysis::report(&loaded.snapshot, &loaded.config, window);
    let Some(one) = full.spaces.iter().find(|s| s.space == name) else {
        return Err(AppError::NotFound(format!(
            "space {name:?} has no messages in this window"
        )));
    };
    Ok(CommunityReport {
        window: full.window,
        counts: one.counts.clone(),
        interactions: one.interactions.clone(),
        community: one.community.clone(),
        spaces: vec![one.clone()],
    })
}

/// The report as the JSON document of docs/report-json.md (what `report --json` prints).
pub fn report_json(data: &Path, window: Window) -> Result<String> {
    Ok(hearth_report::render_json(&report(data, window)?))
}

/// The shareable report of the scope: one self-contained HTML page.
pub fn html_page(data: &Path, scope: &Scope) -> Result<String> {
    let loaded = load(data, scope)?;
    let built = crate::html::build(&loaded, &loaded.config)?;
    Ok(hearth_report::html::render_html(&built))
}

/// The social side in a few numbers, apart from the community numbers: `None` unless the
/// store has post analytics or hearth.toml names the brand.
pub fn social_summary(data: &Path, scope: &Scope) -> Result<Option<Value>> {
    use crate::social::{as_posts, keys, post_rows};
    let loaded = load(data, scope)?;
    let config = &loaded.config;
    let rows = post_rows(&loaded)?;
    if rows.is_empty() && config.brand.names.is_empty() {
        return Ok(None);
    }
    let keys = keys(&rows);
    let list = as_posts(&rows, &keys);
    let total = hearth_analysis::social::posts::pooled(&list, &config.social);
    let resp = crate::social::responses(&loaded, &loaded.context(), None)?;
    Ok(Some(json!({
        "posts": rows.len(),
        "engagement_rate": {"value": total.engagement_rate.value, "formula": total.engagement_rate.formula},
        "response_rate": resp.response_rate,
        "items": resp.items,
        "median_hours": resp.median_hours,
    })))
}

/// The report's sections for the dashboard's overview: numbers link to `links.metric`, drawn
/// people to `links.person`.
pub fn overview_html(
    data: &Path,
    scope: &Scope,
    links: &hearth_report::html::Links,
) -> Result<String> {
    let loaded = load(data, scope)?;
    let built = crate::html::build(&loaded, &loaded.config)?;
    Ok(hearth_report::html::render_sections(&built, links))
}

/// The numbers of [`change_json`] of windows of the scope, kept: the overview computes them
/// for its own window while it builds its report, and a window's "now" is often the page's.
static NUMBERS: crate::memo::Memo<Value> = crate::memo::Memo::new(8);

/// The key of the numbers of the window starting at `since` seen as of `as_of` (its end, or
/// the data's: a window without an end is the same as one ending there).
fn numbers_key(loaded: &crate::scope::Loaded, since: Option<i64>, as_of: i64) -> crate::memo::Key {
    crate::memo::Key::of(loaded, as_of, since.map_or(u64::MAX, |s| s as u64))
}

/// Whether [`change_json`]'s "now" is the scope's own window (it has a start), whose
/// numbers the overview's report keeps as it computes them: then the change is best asked
/// for after the report.
pub fn change_is_of_the_window(scope: &Scope) -> bool {
    scope.since.is_some()
}

/// A window's main numbers, as [`change_json`] compares them.
pub(crate) fn change_numbers(
    counts: &hearth_analysis::metrics::counts::Counts,
    fr: &hearth_analysis::metrics::first_response::FirstResponse,
    res: &hearth_analysis::metrics::resilience::Resilience,
    peer_share: Option<f64>,
    verdict: &str,
) -> Value {
    let share = |x: u64| (fr.member_threads > 0).then(|| x as f64 / fr.member_threads as f64);
    json!({
        "messages": counts.messages,
        "members": counts.members,
        "peer_share": peer_share,
        "first_by_member": share(fr.first_by_member),
        "unanswered": share(fr.unanswered),
        "median_hours_any": fr.median_hours_any,
        "connected_without_brand": res.members_in_largest_component_without_brand,
        "verdict": verdict,
    })
}

/// Keeps the numbers of the window of `loaded` for [`change_json`] (see [`NUMBERS`]).
pub(crate) fn keep_numbers(
    cx: &hearth_analysis::Context<'_>,
    loaded: &crate::scope::Loaded,
    numbers: Value,
) {
    let key = numbers_key(loaded, loaded.window.since, cx.as_of());
    NUMBERS.put(key, std::sync::Arc::new(numbers));
}

/// What changed since the previous period: the main numbers of the window and of the window
/// of the same length just before it, in the scope's space. Without a window: the last 90 days
/// of the data and the 90 before.
pub fn change_json(data: &Path, scope: &Scope) -> Result<Value> {
    let loaded = crate::scope::load(data, scope)?;
    let (snapshot, prepared) = (&*loaded.snapshot, &*loaded.prepared);
    let w = loaded.window;
    let last = snapshot.messages.time.iter().copied().max().unwrap_or(0) + 1;
    let until = w.until.unwrap_or(last);
    let since = w.since.unwrap_or(until - 90 * 86_400);
    let len = (until - since).max(86_400);
    let now = Window {
        since: Some(since),
        until: Some(until),
    };
    let before = Window {
        since: Some(since - len),
        until: Some(since),
    };
    let numbers = |w: Window| -> Value {
        let key = numbers_key(&loaded, w.since, w.until.unwrap_or(last));
        if let Some(kept) = NUMBERS.get(&key) {
            return (*kept).clone();
        }
        let cx = hearth_analysis::Context::new(snapshot, prepared, w, loaded.space);
        let r = hearth_analysis::scope_report(&cx, prepared);
        let c = &r.community;
        let v = change_numbers(
            &r.counts,
            &c.first_response,
            &c.resilience,
            c.peer_share,
            c.verdict,
        );
        NUMBERS.put(key, std::sync::Arc::new(v.clone()));
        v
    };
    Ok(json!({
        "window": {"since": hearth_report::iso(since), "until": hearth_report::iso(until)},
        "previous": {"since": hearth_report::iso(since - len), "until": hearth_report::iso(since)},
        "now": numbers(now),
        "before": numbers(before),
    }))
}
