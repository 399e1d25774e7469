//! The community report (`hearth report`, `GET /api/v1/report`), the shareable HTML page, and
//! the few social numbers the text report ends with.

use crate::scope::{Scope, load, open_store, resolved_snapshot};
use crate::{Result, config};
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
    let resp = hearth_analysis::social::response::responses(&loaded.context(), None);
    Ok(Some(json!({
        "posts": rows.len(),
        "engagement_rate": {"value": total.engagement_rate.value, "formula": total.engagement_rate.formula},
        "response_rate": resp.response_rate,
        "items": resp.items,
        "median_hours": resp.median_hours,
    })))
}
