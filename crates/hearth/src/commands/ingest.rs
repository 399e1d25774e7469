//! `hearth ingest FORMAT PATH...`

use super::Ui;
use super::text::print_json;
use hearth_app::ingest::{format_names, summary_json};
use hearth_sources::Severity;
use hearth_store::IngestSummary;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Export format; `auto` tells it from each path's name, layout and first bytes.
    #[arg(value_parser = clap::builder::PossibleValuesParser::new(format_names()))]
    format: String,
    /// Files or folders (folders are read recursively, in name order).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
}

/// How a script tells what an ingest did (`hearth ingest --help`).
pub const EXIT_CODES: &str = "Exit codes:
  0  messages were read (some records may have been skipped: see the warnings)
  1  an error: a path that does not exist, a format that cannot be told, the store
  2  a usage error (an unknown format or option)
  3  no message at all was read from the inputs (nothing in them for this format)
  4  messages were read, but from some input every record was skipped";

pub fn run(data: &Path, args: Args, ui: Ui) -> anyhow::Result<()> {
    let summaries = if args.format != "auto" {
        vec![ingest(data, &args.format, &args.paths, ui)?]
    } else {
        let groups = hearth_app::ingest::detect_groups(&args.paths)?;
        let mut summaries = Vec::new();
        for (format, paths) in &groups {
            summaries.push(ingest(data, format, paths, ui)?);
        }
        summaries
    };
    if args.json {
        if args.format != "auto" {
            print_json(&summary_json(&summaries[0]));
        } else {
            print_json(&serde_json::Value::Array(
                summaries.iter().map(summary_json).collect(),
            ));
        }
    } else {
        for s in &summaries {
            out!("{}", summary_text(s));
        }
    }
    // A first ingest into a directory without rules: point at the question that matters.
    if summaries.iter().any(|s| s.added() > 0)
        && hearth_app::init::needs_brand(data).unwrap_or(false)
    {
        eprintln!(
            "note: no brand person is known yet, so no verdict can be given; \
             `hearth --data {} init` proposes who the brand is from the data",
            data.display()
        );
    }
    outcome(&summaries)
}

/// Warns about each input that gave no message, and fails (codes 3, 4) when nothing was
/// read, or when some input had every record skipped.
fn outcome(summaries: &[IngestSummary]) -> anyhow::Result<()> {
    let mut all_skipped = 0;
    for s in summaries {
        for e in hearth_app::ingest::empty_inputs(s) {
            eprintln!("warning: {}", super::text::clean(&e.describe(&s.source)));
            all_skipped += usize::from(e.skipped > 0);
        }
    }
    let read: u64 = summaries.iter().map(IngestSummary::read).sum();
    if read == 0 {
        let formats: Vec<&str> = summaries.iter().map(|s| s.source.as_str()).collect();
        return Err(super::Exit {
            code: 3,
            message: format!(
                "no message was read from the inputs (as {}); nothing was stored",
                formats.join(", ")
            ),
        }
        .into());
    }
    if all_skipped > 0 {
        return Err(super::Exit {
            code: 4,
            message: format!(
                "every record was skipped in {all_skipped} input(s); the other messages were stored"
            ),
        }
        .into());
    }
    Ok(())
}

/// Reads `paths` in `format` into the store in `data`, with a progress bar and the first
/// warnings on stderr.
pub fn ingest(
    data: &Path,
    format: &str,
    paths: &[PathBuf],
    ui: Ui,
) -> anyhow::Result<IngestSummary> {
    let bar = if ui.progress {
        ProgressBar::new(0)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{msg:24!} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    let mut shown: Option<PathBuf> = None;
    let summary = hearth_app::ingest::ingest(
        data,
        format,
        paths,
        &mut |p| {
            if shown.as_deref() != Some(p.file) {
                shown = Some(p.file.to_path_buf());
                bar.set_length(p.total);
                bar.set_message(
                    p.file
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                );
            }
            bar.set_position(p.done);
        },
        &super::cli_actor(),
    )?;
    bar.finish_and_clear();
    // The first skipped record of each reason, then more up to ten.
    let skips: Vec<&hearth_sources::Diagnostic> = summary
        .files
        .iter()
        .flat_map(|f| &f.diagnostics)
        .filter(|d| d.severity == Severity::Skipped)
        .collect();
    let mut shown: Vec<&hearth_sources::Diagnostic> = Vec::new();
    for d in &skips {
        if !shown.iter().any(|s| s.reason == d.reason) {
            shown.push(d);
        }
    }
    for d in &skips {
        if shown.len() >= 10 {
            break;
        }
        if !shown.iter().any(|s| std::ptr::eq(*s, *d)) {
            shown.push(d);
        }
    }
    shown.sort_by_key(|d| skips.iter().position(|s| std::ptr::eq(*s, *d)));
    for d in &shown {
        eprintln!("warning: {}", super::text::clean(&d.to_string()));
    }
    let unshown = summary.skipped().saturating_sub(shown.len() as u64);
    if unshown > 0 {
        eprintln!("warning: {unshown} more skipped records (run with -vv to see all)");
    }
    Ok(summary)
}

pub fn summary_text(s: &IngestSummary) -> String {
    let mut out = format!(
        "Read {} {} messages from {} input(s)\n  added {}, already stored {}, skipped {}\n",
        s.read(),
        s.source,
        s.files.len(),
        s.added(),
        s.duplicates(),
        s.skipped()
    );
    for (reason, n) in s.skipped_by_reason() {
        out.push_str(&format!("    skipped {n}: {reason}\n"));
    }
    out.push_str(&format!(
        "  replies linked to their parent: {}\n",
        s.parents_linked
    ));
    if s.replies_inferred > 0 {
        out.push_str(&format!(
            "  chat messages given an inferred parent: {}\n",
            s.replies_inferred
        ));
    }
    out
}
