//! Message intents against 200 real messages of the shared data labelled by hand before the
//! rules were written (`fixtures/intents/labels.jsonl`, drawn by `fixtures/intents/draw.py`:
//! usrp-users, Slack, Stack Exchange, Discourse and GitHub, members' messages only).
//!
//! Prints precision and recall per intent (docs/metrics.md quotes them) and holds the rules
//! to what matters for the queues: whether a message waits for an answer.

use hearth_analysis::text::intent::{Intent, classify};
use hearth_analysis::text::sentiment::own_words;
use std::collections::BTreeMap;

fn labels() -> Vec<(Intent, Intent, String)> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/intents/labels.jsonl"
    );
    let text = std::fs::read_to_string(path).expect("labels.jsonl");
    text.lines()
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).expect("json line");
            let truth = Intent::parse(v["intent"].as_str().expect("intent")).expect("known intent");
            let body = v["text"].as_str().expect("text");
            let got = classify(&own_words(body), v["starts_thread"] == true).intent;
            (truth, got, body.chars().take(80).collect())
        })
        .collect()
}

#[test]
fn intents_match_the_hand_labels() {
    let rows = labels();
    assert_eq!(rows.len(), 200);
    let mut table: BTreeMap<Intent, (usize, usize, usize)> = BTreeMap::new(); // (tp, fp, fn)
    for (truth, got, _) in &rows {
        if truth == got {
            table.entry(*truth).or_default().0 += 1;
        } else {
            table.entry(*got).or_default().1 += 1;
            table.entry(*truth).or_default().2 += 1;
        }
    }
    println!("intent        labelled  precision  recall");
    for intent in Intent::ALL {
        let (tp, fp, fn_) = table.get(&intent).copied().unwrap_or_default();
        let p = tp as f64 / (tp + fp).max(1) as f64;
        let r = tp as f64 / (tp + fn_).max(1) as f64;
        println!(
            "{:<12}  {:>8}  {:>9.2}  {:>6.2}",
            intent.name(),
            tp + fn_,
            p,
            r
        );
    }
    // What the queues and the response rate use: waits for an answer, or not.
    let (mut tp, mut fp, mut fn_, mut tn) = (0, 0, 0, 0);
    for (truth, got, text) in &rows {
        match (truth.waits(), got.waits()) {
            (true, true) => tp += 1,
            (false, true) => {
                fp += 1;
                println!("  waits by the rules, not by hand ({}): {text}", got.name());
            }
            (true, false) => {
                fn_ += 1;
                println!(
                    "  waits by hand ({}), not by the rules: {text}",
                    truth.name()
                );
            }
            (false, false) => tn += 1,
        }
    }
    let precision = tp as f64 / (tp + fp) as f64;
    let recall = tp as f64 / (tp + fn_) as f64;
    let accuracy = (tp + tn) as f64 / rows.len() as f64;
    println!("waits: precision {precision:.2}, recall {recall:.2}, accuracy {accuracy:.2}");
    for (truth, got, text) in &rows {
        if (*truth == Intent::Thanks) != (*got == Intent::Thanks) {
            println!(
                "  thanks by {}: {text}",
                if *got == Intent::Thanks {
                    "the rules only"
                } else {
                    "hand only"
                }
            );
        }
    }
    let thanks = table.get(&Intent::Thanks).copied().unwrap_or_default();
    println!("thanks: {thanks:?}");
    assert!(precision >= 0.75, "waits precision {precision:.2}");
    assert!(recall >= 0.85, "waits recall {recall:.2}");
    // Closings are what nobody should wait on: most found, few false ones (tp, fp, fn).
    assert!(
        thanks.0 * 10 >= (thanks.0 + thanks.2) * 6,
        "thanks recall {thanks:?}"
    );
    assert!(
        thanks.0 * 10 >= (thanks.0 + thanks.1) * 6,
        "thanks precision {thanks:?}"
    );
}
