//! `hearth report`

use hearth_analysis::Window;
use hearth_app::scope::Scope;
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
    /// The report of one space (its name or native id, as the report's "By space" lists
    /// them): as text, JSON or HTML.
    #[arg(long)]
    space: Option<String>,
}

pub fn run(data: &Path, args: Args) -> anyhow::Result<()> {
    let scope = Scope {
        since: args.since.clone(),
        until: args.until.clone(),
        space: args.space.clone(),
    };
    if let Some(file) = &args.html {
        let page = hearth_app::report::html_page(data, &scope)?;
        super::write_atomically(file, page.as_bytes())?;
        eprintln!("wrote {} ({} KB)", file.display(), page.len() / 1024);
        return Ok(());
    }
    let window = hearth_app::scope::window(args.since.as_deref(), args.until.as_deref())?;
    let out = match &args.space {
        Some(space) => {
            let r = hearth_app::report::space_report(data, window, space)?;
            if args.json {
                hearth_report::render_json(&r)
            } else {
                hearth_report::render_text(&r)
            }
        }
        None => render(data, window, args.json)?,
    };
    out!("{out}");
    if !args.json {
        let scope = Scope {
            space: None,
            ..scope
        };
        out!("{}", social_summary(data, &scope)?);
    }
    Ok(())
}

/// The social side in a few lines, apart from the community numbers.
fn social_summary(data: &Path, scope: &Scope) -> anyhow::Result<String> {
    use hearth_app::social::pct;
    let Some(v) = hearth_app::report::social_summary(data, scope)? else {
        return Ok(String::new());
    };
    let mut s = String::from("\nSocial media (one-to-many; not part of the verdict above)\n");
    s.push_str(&format!(
        "  posts with analytics: {}   engagement rate ({}): {}\n",
        v["posts"],
        v["engagement_rate"]["formula"].as_str().unwrap_or(""),
        pct(&v["engagement_rate"]["value"])
    ));
    s.push_str(&format!(
        "  response rate to messages addressed to the brand: {} of {} (median {} h)\n",
        pct(&v["response_rate"]),
        v["items"],
        v["median_hours"]
            .as_f64()
            .map_or_else(|| "—".to_owned(), |h| format!("{h:.1}"))
    ));
    s.push_str("  more: hearth social posts|best-time|responses|mentions, hearth alerts\n");
    Ok(s)
}

/// The report on the store in `data`, rendered.
pub fn render(data: &Path, window: Window, json: bool) -> anyhow::Result<String> {
    let report = hearth_app::report::report(data, window)?;
    Ok(if json {
        hearth_report::render_json(&report)
    } else {
        hearth_report::render_text(&report)
    })
}
