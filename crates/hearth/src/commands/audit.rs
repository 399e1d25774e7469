//! `hearth audit roles` and `hearth audit log`: the role audit as text, and the log of changes.

use super::text::{ScopeArgs, print_json};
use hearth_analysis::audit::Activity;
use hearth_app::audit::roles;
use serde_json::Value;
use std::path::Path;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Each brand person's activity: broadcasting, answering, facilitating — and a verdict.
    Roles(RolesArgs),
    /// The log of every change: queue decisions, merges, splits, users, tokens, ingests.
    Log {
        /// How many entries, newest first.
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, clap::Args)]
pub struct RolesArgs {
    #[command(flatten)]
    scope: ScopeArgs,
    /// Example messages shown per activity and person (`--examples` is the old name).
    #[arg(long = "limit", alias = "examples", default_value_t = 2)]
    examples: usize,
    /// Only people with at least this many messages in scope.
    #[arg(long, default_value_t = 1)]
    min_messages: u64,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(data: &Path, command: Command) -> anyhow::Result<()> {
    let args = match command {
        Command::Roles(args) => args,
        Command::Log { limit, json } => return super::users::run_log(data, limit, json),
    };
    let loaded = hearth_app::scope::load(data, &args.scope.scope())?;
    let out = roles(&loaded, args.examples, args.min_messages)?;
    if args.json {
        print_json(&out);
    } else {
        out!("{}", render(&out));
    }
    Ok(())
}

fn pct(v: &Value) -> String {
    format!("{:.0}%", v.as_f64().unwrap_or(0.0) * 100.0)
}

/// A table a person reads: the team line, one line a person, then examples.
fn render(out: &Value) -> String {
    let mut s = String::new();
    let team = &out["team"];
    s.push_str(&format!(
        "Role audit{} · as of {}\n\n",
        out["space"]
            .as_str()
            .map(|n| format!(" · {n}"))
            .unwrap_or_default(),
        out["as_of"].as_str().unwrap_or("")
    ));
    s.push_str(&format!(
        "team: {} people, {} messages — broadcasting {} · answering {} · facilitating {} → {}\n",
        team["people"],
        team["messages"],
        pct(&team["broadcasting"]),
        pct(&team["answering"]),
        pct(&team["facilitating"]),
        team["summary"].as_str().unwrap_or("")
    ));
    // The team's split over time.
    for y in team["by_year"].as_array().into_iter().flatten() {
        s.push_str(&format!(
            "  {}  {:>5} messages  broadcasting {:>3} · answering {:>3} · facilitating {:>3}\n",
            y["year"],
            y["messages"].as_u64().unwrap_or(0),
            pct(&y["broadcasting"]),
            pct(&y["answering"]),
            pct(&y["facilitating"])
        ));
    }
    s.push('\n');
    let people = out["people"].as_array().cloned().unwrap_or_default();
    let width = people
        .iter()
        .map(|p| p["person"]["name"].as_str().unwrap_or("").chars().count())
        .max()
        .unwrap_or(6)
        .clamp(6, 32);
    s.push_str(&format!(
        "{:<width$}  {:>8}  {:>9}  {:>9}  {:>12}  verdict\n",
        "person", "messages", "broadcast", "answering", "facilitating"
    ));
    for p in &people {
        let name: String = p["person"]["name"]
            .as_str()
            .unwrap_or("")
            .chars()
            .take(width)
            .collect();
        s.push_str(&format!(
            "{:<width$}  {:>8}  {:>9}  {:>9}  {:>12}  {}\n",
            name,
            p["messages"].as_u64().unwrap_or(0),
            pct(&p["broadcasting"]),
            pct(&p["answering"]),
            pct(&p["facilitating"]),
            p["summary"].as_str().unwrap_or("")
        ));
    }
    for p in people.iter().filter(|p| {
        Activity::ALL.iter().any(|a| {
            p["examples"][a.as_str()]
                .as_array()
                .is_some_and(|l| !l.is_empty())
        })
    }) {
        s.push_str(&format!(
            "\n{}\n",
            p["person"]["name"].as_str().unwrap_or("")
        ));
        for a in Activity::ALL {
            for e in p["examples"][a.as_str()].as_array().into_iter().flatten() {
                s.push_str(&format!(
                    "  {:<12}  {}  message {}  \"{}\"\n  {:<12}  ↳ {}\n",
                    a.as_str(),
                    e["time"].as_str().unwrap_or("").get(..10).unwrap_or(""),
                    e["message"],
                    e["excerpt"].as_str().unwrap_or(""),
                    "",
                    e["why"].as_str().unwrap_or("")
                ));
            }
        }
    }
    s
}
