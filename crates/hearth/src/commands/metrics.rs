//! `hearth metrics`: every community metric, or some, as text or JSON.

use super::text::{ScopeArgs as Scope, print_json, render_text, rounded};
use hearth_app::metrics::{Metric, MetricsQuery};
use std::path::Path;

fn metric_names() -> Vec<&'static str> {
    Metric::ALL.iter().map(|m| m.key()).collect()
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The metrics to compute (all when none are named).
    #[arg(value_parser = clap::builder::PossibleValuesParser::new(metric_names()))]
    metrics: Vec<String>,
    #[command(flatten)]
    scope: Scope,
    /// Period of the series.
    #[arg(long, value_parser = ["week", "month"], default_value = "month")]
    period: String,
    /// Print JSON (keys as in docs/metrics.md).
    #[arg(long)]
    json: bool,
}

pub fn run(data: &Path, args: Args) -> anyhow::Result<()> {
    let loaded = hearth_app::scope::load(data, &args.scope.scope())?;
    let q = MetricsQuery {
        name: Some(args.metrics.join(",")),
        period: Some(args.period.clone()),
    };
    let out = hearth_app::metrics::metrics_json(&loaded, &q)?;
    if args.json {
        print_json(&out);
    } else {
        out!("{}", render_text(&rounded(out)));
    }
    Ok(())
}
