//! `hearth eval`: measure Hearth's inference against annotated data anyone can rerun.

use hearth_analysis::replies::{self, ChatLine, Examples, Link, Model, Score, TrainOptions};
use hearth_sources::irc::{AnnotatedLog, load_corpus};
use std::path::PathBuf;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Reply-link precision, recall and F on a folder of the irc-ubuntu corpus (`dev/`),
    /// for the shipped model and the "previous message" baseline.
    ReplyLinks {
        /// Folder of `NAME.raw.txt` logs beside `NAME.annotation.txt` gold links.
        dir: PathBuf,
        /// A model file to score instead of the shipped one.
        #[arg(long)]
        model: Option<PathBuf>,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Crisis alerts on the real daily stream, then with spikes of known size injected:
    /// detection rate per size and false alerts per month.
    Alerts(super::social::EvalAlertArgs),
    /// Accuracy of `hearth check-job` on a folder of labelled postings (`labels.tsv`:
    /// file, label, borderline, note), e.g. fixtures/jobs.
    JobPostings {
        dir: PathBuf,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Trains the reply model on a folder of the corpus (`train/`) and writes it (the
    /// shipped model is `crates/hearth-analysis/src/replies/model.txt`).
    TrainReplyModel {
        dir: PathBuf,
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = TrainOptions::default().epochs)]
        epochs: usize,
        #[arg(long, default_value_t = TrainOptions::default().hidden)]
        hidden: usize,
    },
}

fn chat_lines(log: &AnnotatedLog) -> Vec<ChatLine<'_>> {
    log.lines
        .iter()
        .map(|l| ChatLine {
            time: l.minute * 60,
            author: l.speaker,
            text: &l.text,
            system: l.system,
            mentions: &l.mentions,
        })
        .collect()
}

/// Scores of the model and of the baseline over a corpus folder.
pub fn evaluate(logs: &[AnnotatedLog], model: &Model) -> (Score, Score) {
    let (mut ours, mut base) = (Score::default(), Score::default());
    for log in logs {
        let lines = chat_lines(log);
        let predicted: Vec<Link> = replies::infer(&lines, model);
        ours.add(&log.gold, &predicted, &log.annotated);
        base.add(&log.gold, &replies::previous_line(&lines), &log.annotated);
    }
    (ours, base)
}

pub fn run(data: &std::path::Path, command: Command) -> anyhow::Result<()> {
    match command {
        Command::Alerts(args) => super::social::eval_alerts(data, args),
        Command::JobPostings { dir, json } => super::check_job::evaluate(&dir, json),
        Command::ReplyLinks { dir, model, json } => {
            let logs = load_corpus(&dir).map_err(anyhow::Error::msg)?;
            let loaded;
            let model = match model {
                Some(path) => {
                    let text = std::fs::read_to_string(&path)?;
                    loaded = Model::parse(&text)
                        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
                    &loaded
                }
                None => replies::shipped(),
            };
            let started = std::time::Instant::now();
            let (ours, base) = evaluate(&logs, model);
            let lines: usize = logs.iter().map(|l| l.lines.len()).sum();
            tracing::info!(
                lines,
                seconds = started.elapsed().as_secs_f64(),
                "reply links inferred and scored"
            );
            let round = |x: f64| (x * 10_000.0).round() / 10_000.0;
            if json {
                super::text::print_json(&serde_json::json!({
                    "precision": round(ours.precision),
                    "recall": round(ours.recall),
                    "f": round(ours.f),
                    "baseline_precision": round(base.precision),
                    "baseline_recall": round(base.recall),
                    "baseline_f": round(base.f),
                    "links": ours.links,
                    "annotated_lines": ours.predicted,
                    "logs": logs.len(),
                }));
            } else {
                outln!(
                    "{} logs, {} annotated lines, {} gold links",
                    logs.len(),
                    ours.predicted,
                    ours.links
                );
                outln!(
                    "model     precision {:.1}%  recall {:.1}%  F {:.1}%",
                    ours.precision * 100.0,
                    ours.recall * 100.0,
                    ours.f * 100.0
                );
                outln!(
                    "previous  precision {:.1}%  recall {:.1}%  F {:.1}%",
                    base.precision * 100.0,
                    base.recall * 100.0,
                    base.f * 100.0
                );
            }
            Ok(())
        }
        Command::TrainReplyModel {
            dir,
            out,
            epochs,
            hidden,
        } => {
            let logs = load_corpus(&dir).map_err(anyhow::Error::msg)?;
            let mut examples = Examples::default();
            for log in &logs {
                let lines = chat_lines(log);
                let mut next = 0;
                replies::walk_candidates(&lines, |i, cands| {
                    while next < log.annotated.len() && (log.annotated[next] as usize) < i {
                        next += 1;
                    }
                    if lines[i].system {
                        return i as u32;
                    }
                    if log.annotated.get(next) != Some(&(i as u32)) {
                        return replies::features::NONE;
                    }
                    // The first gold parent stands for the line in later lines' features.
                    let parent = log
                        .gold
                        .iter()
                        .filter(|g| g.1 as usize == i)
                        .map(|g| g.0)
                        .max()
                        .unwrap_or(replies::features::NONE);
                    let gold: Vec<u16> = log
                        .gold
                        .iter()
                        .filter(|g| g.1 as usize == i && (i - g.0 as usize) < cands.len())
                        .map(|g| (i - g.0 as usize) as u16)
                        .collect();
                    if !gold.is_empty() {
                        examples.push(cands, gold);
                    }
                    parent
                });
            }
            let options = TrainOptions {
                epochs,
                hidden,
                ..TrainOptions::default()
            };
            eprintln!(
                "training on {} lines of {} logs",
                examples.len(),
                logs.len()
            );
            let model = Model::train(&examples, options);
            super::write_atomically(&out, model.to_text().as_bytes())?;
            eprintln!("wrote {}", out.display());
            Ok(())
        }
    }
}
