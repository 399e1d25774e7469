//! `hearth report`

use crate::{config, dates};
use hearth_analysis::Window;
use hearth_store::Store;
use std::path::Path;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Start of the window (inclusive): YYYY-MM-DD, YYYY-MM or RFC 3339; UTC.
    #[arg(long)]
    since: Option<String>,
    /// End of the window (exclusive): YYYY-MM-DD, YYYY-MM or RFC 3339; UTC.
    #[arg(long)]
    until: Option<String>,
    /// Print the report as JSON (keys documented in docs/report-json.md).
    #[arg(long)]
    json: bool,
    /// Write the shareable report to this file: one self-contained HTML page with the
    /// verdict, the interaction picture, charts and work lists.
    #[arg(long, value_name = "FILE")]
    html: Option<std::path::PathBuf>,
    /// With --html: the report of one space (its name or native id).
    #[arg(long, requires = "html")]
    space: Option<String>,
}

pub fn window(since: Option<&str>, until: Option<&str>) -> anyhow::Result<Window> {
    let w = Window {
        since: since.map(dates::parse).transpose()?,
        until: until.map(dates::parse).transpose()?,
    };
    if let (Some(s), Some(u)) = (w.since, w.until)
        && s >= u
    {
        anyhow::bail!("--since must be before --until");
    }
    Ok(w)
}

pub fn run(data: &Path, args: Args) -> anyhow::Result<()> {
    if let Some(file) = &args.html {
        let scope = super::scope::Scope {
            since: args.since.clone(),
            until: args.until.clone(),
            space: args.space.clone(),
        };
        let loaded = super::scope::load(data, &scope)?;
        let config = config::load(data)?;
        let page = hearth_report::html::render_html(&super::html::build(&loaded, &config)?);
        std::fs::write(file, &page)
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", file.display()))?;
        eprintln!("wrote {} ({} KB)", file.display(), page.len() / 1024);
        return Ok(());
    }
    let window = window(args.since.as_deref(), args.until.as_deref())?;
    let out = render(data, window, args.json)?;
    print!("{out}");
    if !args.json {
        let scope = super::scope::Scope {
            since: args.since.clone(),
            until: args.until.clone(),
            space: None,
        };
        print!("{}", social_summary(data, &scope)?);
    }
    Ok(())
}

/// The social side in a few lines, apart from the community numbers (only when the store
/// has post analytics or hearth.toml names the brand); `hearth social …` has the rest.
fn social_summary(data: &Path, scope: &super::scope::Scope) -> anyhow::Result<String> {
    use super::social::{as_posts, keys, pct, post_rows};
    let config = config::load(data)?;
    let loaded = super::scope::load(data, scope)?;
    let rows = post_rows(&loaded)?;
    if rows.is_empty() && config.brand.names.is_empty() {
        return Ok(String::new());
    }
    let keys = keys(&rows);
    let list = as_posts(&rows, &keys);
    let total = hearth_analysis::social::posts::pooled(&list, &config.social);
    let resp = hearth_analysis::social::response::responses(&loaded.context(), None);
    let mut s = String::from("\nSocial media (one-to-many; not part of the verdict above)\n");
    s.push_str(&format!(
        "  posts with analytics: {}   engagement rate ({}): {}\n",
        rows.len(),
        total.engagement_rate.formula,
        pct(&serde_json::json!(total.engagement_rate.value))
    ));
    s.push_str(&format!(
        "  response rate to messages addressed to the brand: {} of {} (median {} h)\n",
        pct(&serde_json::json!(resp.response_rate)),
        resp.items,
        resp.median_hours
            .map_or_else(|| "—".to_owned(), |h| format!("{h:.1}"))
    ));
    s.push_str("  more: hearth social posts|best-time|responses|mentions, hearth alerts\n");
    Ok(s)
}

/// The report on the store in `data`, rendered.
pub fn render(data: &Path, window: Window, json: bool) -> anyhow::Result<String> {
    let config = config::load(data)?;
    if !data.join(hearth_store::STORE_FILE).exists() {
        anyhow::bail!(
            "no store in {} yet: read an export first (hearth --data {} ingest mbox PATH)",
            data.display(),
            data.display()
        );
    }
    let store = Store::open(data)?;
    let started = std::time::Instant::now();
    let snapshot = super::resolved_snapshot(&store, &config)?;
    let loaded = started.elapsed();
    let report = hearth_analysis::report(&snapshot, &config, window);
    tracing::info!(
        messages = snapshot.messages.len(),
        load_seconds = loaded.as_secs_f64(),
        total_seconds = started.elapsed().as_secs_f64(),
        "report computed"
    );
    Ok(if json {
        hearth_report::render_json(&report)
    } else {
        hearth_report::render_text(&report)
    })
}
