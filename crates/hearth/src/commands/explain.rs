//! `hearth explain METRIC`: the definition, the value and what is behind it, as text or JSON.

use super::text::{ScopeArgs as Scope, print_json, render_text, rounded};
use hearth_analysis::metrics;
use hearth_app::explain::ExplainQuery;
use std::path::Path;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The metric (`hearth explain --list` names them all).
    #[arg(required_unless_present = "list")]
    metric: Option<String>,
    #[command(flatten)]
    scope: Scope,
    /// How many messages or people to show behind the number.
    #[arg(long, default_value_t = 5)]
    limit: usize,
    /// List the metrics that can be explained.
    #[arg(long)]
    list: bool,
    /// With `sentiment`: score this message (its store id) and show every word that moved it.
    #[arg(long)]
    message: Option<i64>,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(data: &Path, args: Args) -> anyhow::Result<()> {
    if args.list {
        for name in metrics::names() {
            outln!("{name}");
        }
        return Ok(());
    }
    let name = args.metric.clone().unwrap_or_default();
    if metrics::definition(&name).is_none() {
        let known: Vec<&str> = metrics::names().collect();
        anyhow::bail!("no metric named {name:?}; known: {}", known.join(", "));
    }
    let loaded = hearth_app::scope::load(data, &args.scope.scope())?;
    let q = ExplainQuery {
        limit: args.limit,
        message: args.message,
    };
    let out = hearth_app::explain::explain_json(&loaded, &name, &q)?;
    if args.json {
        print_json(&out);
    } else {
        outln!("{}", out["definition"].as_str().unwrap_or(""));
        outln!("Value over this scope:");
        out!("{}", indent(&render_text(&rounded(out["value"].clone()))));
        outln!("\nBehind the number:");
        out!("{}", indent(&render_text(&rounded(out["behind"].clone()))));
    }
    Ok(())
}

fn indent(s: &str) -> String {
    s.lines().map(|l| format!("  {l}\n")).collect()
}
