//! `hearth route`: the routed inbound items as text or JSON.

use super::text::{ScopeArgs as Scope, print_json};
use hearth_app::route::RouteQuery;
use serde_json::Value;
use std::path::Path;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    scope: Scope,
    /// Without --since: the items of this many days before the end (default: [queue]
    /// lookback_days, 30).
    #[arg(long)]
    days: Option<i64>,
    /// Only items routed to this queue (e.g. support, social:amplify).
    #[arg(long)]
    queue: Option<String>,
    /// Also list inbound items no rule took.
    #[arg(long)]
    all: bool,
    /// How many items to list.
    #[arg(long, default_value_t = 50)]
    limit: usize,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(data: &Path, args: Args) -> anyhow::Result<()> {
    let mut loaded = hearth_app::scope::load(data, &args.scope.scope())?;
    let q = RouteQuery {
        days: args.days,
        queue: args.queue.clone(),
        all: args.all,
        limit: Some(args.limit),
    };
    let out = hearth_app::route::route_json(&mut loaded, &q)?;
    if args.json {
        print_json(&out);
    } else {
        out!("{}", render(&out));
    }
    Ok(())
}

fn render(out: &Value) -> String {
    let mut s = String::new();
    s.push_str(&format!(
        "Inbound items {} → {}: {}\n",
        out["since"]
            .as_str()
            .unwrap_or("start")
            .get(..10)
            .unwrap_or(""),
        out["as_of"].as_str().unwrap_or("").get(..10).unwrap_or(""),
        out["inbound"]
    ));
    if let Some(counts) = out["counts"].as_object() {
        let parts: Vec<String> = counts.iter().map(|(k, v)| format!("{k} {v}")).collect();
        s.push_str(&format!("  {}\n", parts.join(" · ")));
    }
    if out["brand_names"].as_array().is_some_and(Vec::is_empty) {
        s.push_str(
            "  (no [brand] names in hearth.toml: mentions of the brand are not looked for)\n",
        );
    }
    s.push('\n');
    for item in out["items"].as_array().into_iter().flatten() {
        let m = &item["message"];
        let queues: Vec<&str> = item["queues"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|q| q["queue"].as_str())
            .collect();
        s.push_str(&format!(
            "{}  {}  → {}\n  \"{}\"\n",
            m["time"].as_str().unwrap_or("").get(..16).unwrap_or(""),
            m["author"].as_str().unwrap_or(""),
            if queues.is_empty() {
                "(unrouted)".to_owned()
            } else {
                queues.join(", ")
            },
            m["excerpt"].as_str().unwrap_or("")
        ));
        for q in item["queues"].as_array().into_iter().flatten() {
            s.push_str(&format!(
                "    {:<18} rule {}: {}\n",
                q["queue"].as_str().unwrap_or(""),
                q["rule"].as_str().unwrap_or(""),
                q["reason"].as_str().unwrap_or("")
            ));
        }
    }
    s
}
