//! `hearth export --format parquet|csv|jsonl DIR`: what was written, as text or JSON.

use super::text::{ScopeArgs as Scope, print_json};
use hearth_store::export::Format;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    Parquet,
    Csv,
    Jsonl,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// File format.
    #[arg(long, value_enum, default_value = "parquet")]
    format: FormatArg,
    /// Folder to write `messages`, `people`, `interactions` and `series` into (created).
    dir: PathBuf,
    /// Hive-style partitions of the whole store (`TABLE/source=…/month=YYYY-MM/part-0.parquet`)
    /// for messages, interactions, people and thread roots, with `manifest.json`; a second
    /// export into the same folder rewrites only the partitions that changed (Parquet only).
    #[arg(long)]
    partitioned: bool,
    #[command(flatten)]
    scope: Scope,
    /// Leave message text out (smaller files, nothing personal beyond names).
    #[arg(long)]
    no_text: bool,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(data: &Path, args: Args, ui: super::Ui) -> anyhow::Result<()> {
    let loaded = hearth_app::scope::load(data, &args.scope.scope())?;
    let format = match args.format {
        FormatArg::Parquet => Format::Parquet,
        FormatArg::Csv => Format::Csv,
        FormatArg::Jsonl => Format::Jsonl,
    };
    if args.partitioned {
        if format != Format::Parquet {
            anyhow::bail!(
                "--partitioned writes Parquet only (leave out --format or say --format parquet)"
            );
        }
        let bar = if ui.progress {
            indicatif::ProgressBar::new(0)
        } else {
            indicatif::ProgressBar::hidden()
        };
        bar.set_style(
            indicatif::ProgressStyle::with_template("partitions [{bar:30}] {pos}/{len} eta {eta}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        let outcome =
            hearth_app::partitioned::export_with(&loaded, &args.dir, !args.no_text, &mut |p| {
                bar.set_length(p.total as u64);
                bar.set_position(p.done as u64);
            });
        bar.finish_and_clear();
        let outcome = outcome?;
        print_partitioned(&outcome, args.json);
        return Ok(());
    }
    let written = hearth_app::export::export(&loaded, &args.dir, format, !args.no_text)?;
    if args.json {
        print_json(&serde_json::json!({
            "format": format.extension(),
            "files": written.iter().map(|w| serde_json::json!({
                "table": w.table, "rows": w.rows, "path": w.path.display().to_string(),
            })).collect::<Vec<_>>(),
        }));
    } else {
        for w in &written {
            outln!("{:<13} {:>9} rows  {}", w.table, w.rows, w.path.display());
        }
    }
    Ok(())
}

fn print_partitioned(outcome: &hearth_app::partitioned::Outcome, json: bool) {
    if json {
        print_json(&serde_json::to_value(outcome).unwrap_or_default());
        return;
    }
    match &outcome.rewrote_all_because {
        Some(why) => outln!("every partition written: {why}"),
        None => outln!(
            "only changed partitions written (store generation {})",
            outcome.store_generation
        ),
    }
    for t in &outcome.tables {
        outln!(
            "{:<13} {:>9} rows  {:>4} partitions: {} written, {} unchanged, {} removed",
            t.table,
            t.rows,
            t.partitions,
            t.written.len(),
            t.unchanged,
            t.removed.len()
        );
        if outcome.rewrote_all_because.is_none() {
            for p in &t.written {
                outln!("  wrote   {p}");
            }
        }
        for p in &t.removed {
            outln!("  removed {p}");
        }
    }
    outln!("manifest      {}", outcome.manifest.display());
}
