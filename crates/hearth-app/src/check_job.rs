//! `hearth check-job FILE`: which duties of a job description are community work and which
//! social media work, with the phrases behind each decision and the honest title; and
//! `hearth eval job-postings DIR`: the check's accuracy on a labelled set of postings.

use crate::{AppError, Result};
use hearth_analysis::jobs::{self, JobCheck, Side};
use serde_json::{Value, json};
use std::path::Path;

/// The check of one posting's text, as JSON.
pub fn check_json(text: &str) -> Value {
    to_json(&jobs::check(text))
}

/// Reads a posting: a file, or standard input for `-`; broken UTF-8 becomes U+FFFD.
pub fn read(path: &Path) -> Result<String> {
    let bytes = if path == Path::new("-") {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf)
            .map_err(|e| AppError::io("cannot read", path, e))?;
        buf
    } else {
        std::fs::read(path).map_err(|e| AppError::io("cannot read", path, e))?
    };
    // A posting pasted from anywhere: broken UTF-8 becomes U+FFFD instead of an error.
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

fn side(s: Side) -> &'static str {
    match s {
        Side::Community => "community",
        Side::SocialMedia => "social_media",
    }
}

pub fn to_json(r: &JobCheck) -> Value {
    json!({
        "title": r.title,
        "verdict": r.verdict,
        "community_share": round(r.community_share),
        "social_media_share": round(r.social_media_share),
        "suggested_title": r.suggested_title,
        "title_fits": r.title_fits,
        "matched_duties": r.matched_duties,
        "thresholds": {
            "community_at_least": round(jobs::COMMUNITY_AT_LEAST),
            "social_media_at_most_community": round(jobs::SOCIAL_AT_MOST),
        },
        "matches": r.duties.iter().map(|d| json!({
            "line": d.line,
            "duty": d.text,
            "community": round(d.community),
            "social_media": round(d.social_media),
            "phrases": d.matches.iter().map(|m| json!({
                "side": side(m.side),
                "phrase": m.phrase,
                "text": m.text,
                "weight": m.weight,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

/// One labelled posting and what the check said.
struct Graded {
    file: String,
    label: String,
    borderline: bool,
    got: JobCheck,
}

/// The check over a labelled folder (`labels.tsv`: file, label, borderline yes|no, note).
pub fn evaluate(dir: &Path) -> Result<Value> {
    let labels_path = dir.join("labels.tsv");
    let labels = std::fs::read_to_string(&labels_path)
        .map_err(|e| AppError::io("cannot read", &labels_path, e))?;
    let mut graded = Vec::new();
    for (n, line) in labels.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let [file, label, borderline, ..] = cols[..] else {
            crate::bail!(
                "{}:{}: expected file, label, borderline and note separated by tabs",
                labels_path.display(),
                n + 1
            );
        };
        if !["community", "social_media", "mixed"].contains(&label) {
            crate::bail!(
                "{}:{}: label {label:?} is not community, social_media or mixed",
                labels_path.display(),
                n + 1
            );
        }
        let text = read(&dir.join(file))?;
        graded.push(Graded {
            file: file.to_owned(),
            label: label.to_owned(),
            borderline: borderline == "yes",
            got: jobs::check(&text),
        });
    }
    let acc = |f: &dyn Fn(&Graded) -> bool| {
        let set: Vec<&Graded> = graded.iter().filter(|g| f(g)).collect();
        let right = set.iter().filter(|g| g.got.verdict == g.label).count();
        (right, set.len())
    };
    let all = acc(&|_| true);
    let clear = acc(&|g| !g.borderline);
    let border = acc(&|g| g.borderline);
    let classes = ["community", "social_media", "mixed"];
    let confusion: Vec<Value> = classes
        .iter()
        .map(|l| {
            let row: serde_json::Map<String, Value> = classes
                .iter()
                .chain(std::iter::once(&"unknown"))
                .map(|p| {
                    let n = graded
                        .iter()
                        .filter(|g| g.label == *l && g.got.verdict == *p)
                        .count();
                    ((*p).to_owned(), json!(n))
                })
                .collect();
            json!({"label": l, "predicted": row})
        })
        .collect();
    let ratio = |(r, n): (usize, usize)| {
        if n == 0 {
            0.0
        } else {
            round(r as f64 / n as f64)
        }
    };
    let out = json!({
        "postings": all.1,
        "accuracy": ratio(all),
        "correct": all.0,
        "clear": {"postings": clear.1, "correct": clear.0, "accuracy": ratio(clear)},
        "borderline": {"postings": border.1, "correct": border.0, "accuracy": ratio(border)},
        "confusion": confusion,
        "results": graded.iter().map(|g| json!({
            "file": g.file,
            "label": g.label,
            "borderline": g.borderline,
            "verdict": g.got.verdict,
            "community_share": round(g.got.community_share),
            "correct": g.got.verdict == g.label,
        })).collect::<Vec<_>>(),
    });
    Ok(out)
}
