//! `hearth sync bluesky|mastodon`: listening. The connected account's own posts with their
//! counts, and the replies and mentions addressed to it, into the store; only what is new
//! since the last sync (a re-run adds nothing).

use super::Ui;
use super::text::print_json;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::Value;
use std::path::Path;

#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The network whose connected account to sync (hearth connect). Without one, where
    /// each sync stopped.
    #[arg(value_parser = ["bluesky", "mastodon"])]
    network: Option<String>,
    /// Read every post of the account again, not only the last 30 days (their counts
    /// refreshed).
    #[arg(long)]
    full: bool,
    /// Calls per request before a failure that may pass stops the sync.
    #[arg(long, default_value_t = 3)]
    attempts: u32,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

fn s(v: &Value) -> String {
    v.as_str().map_or_else(|| v.to_string(), str::to_owned)
}

pub fn run(data: &Path, args: Args, ui: Ui) -> anyhow::Result<()> {
    let Some(network) = args.network else {
        let v = hearth_app::sync::status_json(data)?;
        if args.json {
            print_json(&v);
        } else if v.as_array().is_none_or(|a| a.is_empty()) {
            outln!("no sync has run yet (hearth sync bluesky, hearth sync mastodon)");
        } else {
            for c in v.as_array().into_iter().flatten() {
                outln!(
                    "{} {} {}: up to {} (at {})",
                    s(&c["network"]),
                    s(&c["account"]),
                    s(&c["stream"]),
                    s(&c["position"]),
                    hearth_app::dates::utc(c["synced_at"].as_i64().unwrap_or(0))
                );
            }
        }
        return Ok(());
    };
    let options = hearth_app::sync::Options {
        full: args.full,
        attempts: args.attempts.max(1),
        ..Default::default()
    };
    let bar = if ui.progress {
        ProgressBar::new_spinner()
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} {bytes}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.set_message(format!("syncing {network}"));
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    let v = hearth_app::sync::sync(data, &network, &super::cli_actor(), &options, &mut |p| {
        bar.set_position(p.done)
    });
    bar.finish_and_clear();
    let v = v?;
    if args.json {
        print_json(&v);
    } else {
        let count = |n: &Value, one: &str, many: &str| {
            let n = n.as_u64().unwrap_or(0);
            format!("{n} {}", if n == 1 { one } else { many })
        };
        outln!(
            "{network} {}: fetched {} and {}; added {}, already there {}, skipped {}",
            s(&v["account"]),
            count(&v["fetched"]["posts"], "post", "posts"),
            count(
                &v["fetched"]["notifications"],
                "notification",
                "notifications"
            ),
            v["added"],
            v["duplicates"],
            v["skipped"]
        );
    }
    Ok(())
}
