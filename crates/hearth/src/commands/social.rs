//! `hearth social posts|best-time|responses|mentions`, `hearth alerts` and `hearth eval alerts`:
//! the social views as text or JSON.

use super::text::{ScopeArgs as Scope, print_json, render_text, rounded};
use hearth_analysis::social::posts;
use hearth_app::config;
use hearth_app::scope::load;
use hearth_app::social::{num, pct};
use serde_json::Value;
use std::path::Path;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Reach, engagement, clicks, conversions and ROI of the brand's posts, formulas named.
    Posts(PostArgs),
    /// Engagement by weekday × hour in the brand's time zone, by format and by length.
    BestTime(ViewArgs),
    /// Response rate and time to messages addressed to the brand.
    Responses(ViewArgs),
    /// Mentions of the brand and competitors: volume, sentiment, share of voice.
    Mentions(ViewArgs),
}

#[derive(Debug, clap::Args)]
pub struct ViewArgs {
    #[command(flatten)]
    scope: Scope,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
pub struct PostArgs {
    #[command(flatten)]
    scope: Scope,
    /// The headline engagement rate's denominator (default: [social] engagement_rate).
    #[arg(long, value_parser = ["impressions", "reach", "followers"])]
    rate: Option<String>,
    /// How many posts to list, best headline rate first (`--top` is the old name).
    #[arg(long = "limit", alias = "top", default_value_t = 10)]
    top: usize,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
pub struct AlertArgs {
    #[command(flatten)]
    scope: Scope,
    /// What to watch: brand mentions (needs [brand] names) or members' messages.
    #[arg(long, value_parser = ["mentions", "messages"])]
    stream: Option<String>,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(data: &Path, command: Command) -> anyhow::Result<()> {
    let config = config::load(data)?;
    match command {
        Command::Posts(a) => {
            let mut config = config;
            if let Some(r) = a.rate {
                config.social.engagement_rate = r;
            }
            let loaded = load(data, &a.scope.scope())?;
            let out = hearth_app::social::posts_json(&loaded, &config, a.top)?;
            if a.json {
                print_json(&out);
            } else {
                out!("{}", posts_text(&out));
            }
        }
        Command::BestTime(a) => {
            let loaded = load(data, &a.scope.scope())?;
            let out = hearth_app::social::best_time_json(&loaded, &config)?;
            print(&out, a.json);
        }
        Command::Responses(a) => {
            let loaded = load(data, &a.scope.scope())?;
            let out = hearth_app::social::responses_json(&loaded, &config)?;
            print(&out, a.json);
        }
        Command::Mentions(a) => {
            let loaded = load(data, &a.scope.scope())?;
            let out = hearth_app::social::mentions_view(&loaded, &config)?;
            print(&out, a.json);
        }
    }
    Ok(())
}

fn print(out: &Value, json: bool) {
    if json {
        print_json(out);
    } else {
        out!("{}", render_text(&rounded(out.clone())));
    }
}

#[derive(Debug, clap::Args)]
pub struct EvalAlertArgs {
    #[command(flatten)]
    scope: Scope,
    #[arg(long, value_parser = ["mentions", "messages"])]
    stream: Option<String>,
    /// Spikes injected per size.
    #[arg(long, default_value_t = 20)]
    per_size: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

/// The post metrics as a table a social media manager reads.
fn posts_text(out: &Value) -> String {
    let mut s = String::new();
    s.push_str(&format!(
        "{} posts. engagements = {}; headline engagement rate = {}.\nTotals are pooled: Σ numerator ÷ Σ denominator over the posts that state both.\n\n",
        out["posts"],
        posts::ENGAGEMENTS,
        out["headline_rate"]["formula"].as_str().unwrap_or("")
    ));
    let head = format!(
        "{:<28} {:>5} {:>11} {:>11} {:>9} {:>9} {:>9} {:>7} {:>8} {:>6}\n",
        "account",
        "posts",
        "impressions",
        "engagements",
        "ER impr",
        "ER reach",
        "ER foll",
        "CTR",
        "conv",
        "ROI"
    );
    s.push_str(&head);
    let row = |name: &str, posts: &Value, t: &Value| {
        format!(
            "{:<28} {:>5} {:>11} {:>11} {:>9} {:>9} {:>9} {:>7} {:>8} {:>6}\n",
            name.chars().take(28).collect::<String>(),
            posts.to_string(),
            num(&t["impressions"]),
            num(&t["engagements"]),
            pct(&t["engagement_rate_by_impressions"]["value"]),
            pct(&t["engagement_rate_by_reach"]["value"]),
            pct(&t["engagement_rate_by_followers"]["value"]),
            pct(&t["ctr"]["value"]),
            pct(&t["conversion_rate"]["value"]),
            t["roi"]["value"]
                .as_f64()
                .map_or_else(|| "—".to_owned(), |x| format!("{x:.2}")),
        )
    };
    for a in out["accounts"].as_array().into_iter().flatten() {
        s.push_str(&row(
            a["account"].as_str().unwrap_or(""),
            &a["posts"],
            &a["totals"],
        ));
    }
    s.push_str(&row("all", &out["posts"], &out["totals"]));
    s.push_str(&format!(
        "\nER impr = {} · ER reach = {} · ER foll = {} · CTR = {} · conv = {} · ROI = {}\n",
        posts::BY_IMPRESSIONS,
        posts::BY_REACH,
        posts::BY_FOLLOWERS,
        posts::CTR,
        posts::CONVERSION_RATE,
        posts::ROI
    ));
    let growth: Vec<&Value> = out["follower_growth"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|g| !g["follower_growth"].is_null() || !g["new_follows"].is_null())
        .collect();
    if !growth.is_empty() {
        s.push_str("\nFollowers:\n");
        for g in growth {
            s.push_str(&format!(
                "  {:<28} growth {} ({} → {}), new follows {}\n",
                g["account"].as_str().unwrap_or(""),
                pct(&g["follower_growth"]),
                num(&g["first_followers"]),
                num(&g["last_followers"]),
                num(&g["new_follows"]),
            ));
        }
    }
    s.push_str(&format!(
        "\nTop posts by {}:\n",
        out["headline_rate"]["formula"].as_str().unwrap_or("")
    ));
    for p in out["top_posts"].as_array().into_iter().flatten() {
        s.push_str(&format!(
            "  {:>7}  {}  {:<24}  {}\n",
            pct(&p["rates"]["engagement_rate"]["value"]),
            p["time"].as_str().unwrap_or("").get(..10).unwrap_or(""),
            p["account"]
                .as_str()
                .unwrap_or("")
                .chars()
                .take(24)
                .collect::<String>(),
            p["text"].as_str().unwrap_or("")
        ));
    }
    s
}

pub fn run_alerts(data: &Path, args: AlertArgs) -> anyhow::Result<()> {
    let config = config::load(data)?;
    let loaded = load(data, &args.scope.scope())?;
    let out = hearth_app::social::alerts_json(&loaded, &config, args.stream.as_deref())?;
    print(&out, args.json);
    Ok(())
}

/// `hearth eval alerts`: the alerts on the real stream, and on it with spikes of known size.
pub fn eval_alerts(data: &Path, args: EvalAlertArgs) -> anyhow::Result<()> {
    let config = config::load(data)?;
    let loaded = load(data, &args.scope.scope())?;
    let out = hearth_app::social::eval_alerts_json(
        &loaded,
        &config,
        args.stream.as_deref(),
        args.per_size,
        args.seed,
    )?;
    print(&out, args.json);
    Ok(())
}
