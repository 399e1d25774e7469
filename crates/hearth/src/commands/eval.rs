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
        /// Links the model is less sure of than this count as "starts a conversation" (as
        /// `[replies] min_confidence` drops them from the metrics; its default by default).
        #[arg(long, default_value_t = hearth_model::DEFAULT_MIN_CONFIDENCE)]
        min_confidence: f64,
        /// Also score every threshold from 0 to 0.95 in steps of 0.05 (to choose
        /// `[replies] min_confidence`).
        #[arg(long)]
        thresholds: bool,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Reply links labelled by hand on messages of the store (`--data`), e.g.
    /// fixtures/slack-replies/labels.tsv on the shared Slack data: the model's precision and
    /// recall outside IRC.
    ReplyLabels {
        /// Tab-separated `space`, `message`, `parent` (native ids; `new` for none).
        labels: PathBuf,
        /// A model file to score instead of the shipped one.
        #[arg(long)]
        model: Option<PathBuf>,
        /// Inferred links below this confidence count as none, as in the metrics (default:
        /// `[replies] min_confidence`'s default).
        #[arg(long, default_value_t = hearth_model::DEFAULT_MIN_CONFIDENCE)]
        min_confidence: f64,
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
        /// Networks in the vote, each from its own seed (scored as one wider network).
        #[arg(long, default_value_t = TrainOptions::default().nets)]
        nets: usize,
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

/// The model's links of every log, and the baseline's scores over the corpus.
fn infer_logs(logs: &[AnnotatedLog], model: &Model) -> (Vec<Vec<Link>>, Score) {
    let mut base = Score::default();
    let mut links = Vec::with_capacity(logs.len());
    for log in logs {
        let lines = chat_lines(log);
        links.push(replies::infer(&lines, model));
        base.add(&log.gold, &replies::previous_line(&lines), &log.annotated);
    }
    (links, base)
}

/// Each log's score of `links` when links below `min_confidence` start a conversation.
fn log_scores(logs: &[AnnotatedLog], links: &[Vec<Link>], min_confidence: f64) -> Vec<Score> {
    logs.iter()
        .zip(links)
        .map(|(log, links)| {
            let kept: Vec<Link> = links
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    if f64::from(l.confidence) < min_confidence {
                        Link {
                            parent: i as u32,
                            confidence: l.confidence,
                        }
                    } else {
                        *l
                    }
                })
                .collect();
            let mut s = Score::default();
            s.add(&log.gold, &kept, &log.annotated);
            s
        })
        .collect()
}

/// The 95 % interval of F when the logs are drawn again with replacement (2,000 draws, fixed
/// seed): how much the number depends on which conversations were annotated.
fn bootstrap_f(scores: &[Score]) -> (f64, f64) {
    let mut x: u64 = 0x5eed_b007;
    let mut fs: Vec<f64> = (0..2000)
        .map(|_| {
            let mut s = Score::default();
            for _ in 0..scores.len() {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                s.merge(&scores[(x % scores.len() as u64) as usize]);
            }
            s.f
        })
        .collect();
    fs.sort_by(f64::total_cmp);
    (fs[49], fs[1949])
}

fn total(scores: &[Score]) -> Score {
    let mut s = Score::default();
    for x in scores {
        s.merge(x);
    }
    s
}

/// The model in `path`, or the shipped one.
fn load_model(path: Option<&std::path::Path>) -> anyhow::Result<std::borrow::Cow<'static, Model>> {
    Ok(match path {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
            std::borrow::Cow::Owned(
                Model::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?,
            )
        }
        None => std::borrow::Cow::Borrowed(replies::shipped()),
    })
}

pub fn run(data: &std::path::Path, command: Command) -> anyhow::Result<()> {
    match command {
        Command::Alerts(args) => super::social::eval_alerts(data, args),
        Command::JobPostings { dir, json } => super::check_job::evaluate(&dir, json),
        Command::ReplyLabels {
            labels,
            model,
            min_confidence,
            json,
        } => {
            let model = load_model(model.as_deref())?;
            let shown = labels.display().to_string();
            let text =
                std::fs::read_to_string(&labels).map_err(|e| anyhow::anyhow!("{shown}: {e}"))?;
            let parsed = hearth_app::reply_labels::parse(&shown, &text)?;
            let store = hearth_app::scope::open_store(data)?;
            let s = hearth_app::reply_labels::evaluate(
                &store,
                &shown,
                &parsed,
                &model,
                min_confidence,
            )?;
            if json {
                super::text::print_json(&serde_json::to_value(s)?);
            } else {
                outln!(
                    "{} labelled messages: {} answer an earlier one, {} start something",
                    s.messages,
                    s.gold_links,
                    s.gold_new
                );
                outln!(
                    "links     precision {:.1}%  recall {:.1}%  F {:.1}%  ({} of {} predicted right)",
                    s.precision * 100.0,
                    s.recall * 100.0,
                    s.f * 100.0,
                    s.correct_links,
                    s.predicted_links
                );
                outln!(
                    "new       {} of {} left without a parent; every message right: {:.1}%",
                    s.correct_new,
                    s.gold_new,
                    s.accuracy * 100.0
                );
            }
            Ok(())
        }
        Command::ReplyLinks {
            dir,
            model,
            min_confidence,
            thresholds,
            json,
        } => {
            let logs = load_corpus(&dir).map_err(anyhow::Error::msg)?;
            let model = load_model(model.as_deref())?;
            let started = std::time::Instant::now();
            let (links, base) = infer_logs(&logs, &model);
            let per_log = log_scores(&logs, &links, min_confidence);
            let ours = total(&per_log);
            let (low, high) = bootstrap_f(&per_log);
            let sweep: Vec<(f64, Score)> = if thresholds {
                (0..20)
                    .map(|k| {
                        let t = f64::from(k) * 0.05;
                        (t, total(&log_scores(&logs, &links, t)))
                    })
                    .collect()
            } else {
                Vec::new()
            };
            let lines: usize = logs.iter().map(|l| l.lines.len()).sum();
            tracing::info!(
                lines,
                seconds = started.elapsed().as_secs_f64(),
                "reply links inferred and scored"
            );
            let round = |x: f64| (x * 10_000.0).round() / 10_000.0;
            if json {
                let mut out = serde_json::json!({
                    "precision": round(ours.precision),
                    "recall": round(ours.recall),
                    "f": round(ours.f),
                    "f_interval_95": [round(low), round(high)],
                    "min_confidence": min_confidence,
                    "baseline_precision": round(base.precision),
                    "baseline_recall": round(base.recall),
                    "baseline_f": round(base.f),
                    "links": ours.links,
                    "annotated_lines": ours.predicted,
                    "logs": logs.len(),
                });
                if thresholds {
                    out["thresholds"] = sweep
                        .iter()
                        .map(|(t, s)| {
                            serde_json::json!({
                                "min_confidence": round(*t),
                                "precision": round(s.precision),
                                "recall": round(s.recall),
                                "f": round(s.f),
                            })
                        })
                        .collect();
                }
                super::text::print_json(&out);
            } else {
                outln!(
                    "{} logs, {} annotated lines, {} gold links",
                    logs.len(),
                    ours.predicted,
                    ours.links
                );
                outln!(
                    "model     precision {:.1}%  recall {:.1}%  F {:.1}%  (min_confidence {min_confidence})",
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
                outln!(
                    "model F, 95% interval over logs drawn again: {:.1}% to {:.1}%",
                    low * 100.0,
                    high * 100.0
                );
                for (t, s) in &sweep {
                    outln!(
                        "min_confidence {t:.2}  precision {:.1}%  recall {:.1}%  F {:.1}%",
                        s.precision * 100.0,
                        s.recall * 100.0,
                        s.f * 100.0
                    );
                }
            }
            Ok(())
        }
        Command::TrainReplyModel {
            dir,
            out,
            epochs,
            hidden,
            nets,
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
                nets,
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
