//! Reply inference on the annotated irc-ubuntu corpus: the shipped model's score on `dev/`,
//! repeatable training, and IRC logs read into the store.

mod common;
use common::{data_dir, hearth, json, repo};
use std::path::PathBuf;

fn irc(split: &str) -> PathBuf {
    let dir = repo().join("../shared/data/irc-ubuntu").join(split);
    assert!(dir.is_dir(), "{} is missing", dir.display());
    dir
}

/// The number the README and docs/metrics.md quote: F on dev, with the baseline beside it.
#[test]
fn shipped_model_on_dev_beats_previous_message_baseline() {
    let dir = data_dir(None);
    let dev = irc("dev");
    let out = json(
        dir.path(),
        &["eval", "reply-links", dev.to_str().expect("path"), "--json"],
    );
    assert_eq!(out["links"], 2607, "the data README's count of dev links");
    assert_eq!(out["annotated_lines"], 2500);
    let f = out["f"].as_f64().expect("f");
    let base = out["baseline_f"].as_f64().expect("baseline_f");
    // The shipped model scores 0.7088; the baseline 0.2878 (checked by hand: every line
    // linked to the one before it, system lines to themselves).
    assert!((f - 0.7088).abs() < 1e-4, "F moved: {out}");
    assert!((base - 0.2878).abs() < 1e-4, "baseline moved: {out}");
}

/// Training twice on the same logs writes the same model, byte for byte.
#[test]
fn training_is_repeatable() {
    let dir = data_dir(None);
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).expect("mkdir");
    for name in ["2004-12-25.train-c", "2005-02-06.train-c"] {
        for kind in ["raw", "annotation"] {
            let file = format!("{name}.{kind}.txt");
            std::fs::copy(irc("train").join(&file), corpus.join(&file)).expect("copy");
        }
    }
    let train = |out: &str| {
        let path = dir.path().join(out);
        let (code, _, stderr) = hearth(
            dir.path(),
            &[
                "eval",
                "train-reply-model",
                corpus.to_str().expect("path"),
                "--out",
                path.to_str().expect("path"),
                "--epochs",
                "2",
            ],
        );
        assert_eq!(code, 0, "{stderr}");
        std::fs::read_to_string(path).expect("model")
    };
    let (a, b) = (train("a.txt"), train("b.txt"));
    assert!(a.starts_with("hearth-reply-model 1\n"));
    assert_eq!(a, b);
    // And the model it writes can be scored.
    let out = json(
        dir.path(),
        &[
            "eval",
            "reply-links",
            irc("dev").to_str().expect("path"),
            "--model",
            dir.path().join("a.txt").to_str().expect("path"),
            "--json",
        ],
    );
    assert!(out["f"].as_f64().expect("f") > out["baseline_f"].as_f64().expect("bf"));
}

#[test]
fn eval_errors_are_clear() {
    let dir = data_dir(None);
    let (code, _, stderr) = hearth(
        dir.path(),
        &["eval", "reply-links", "/nonexistent", "--json"],
    );
    assert_eq!(code, 1);
    assert!(stderr.contains("/nonexistent"), "{stderr}");
}

/// IRC logs read into the store get inferred parents; the report counts them as inferred
/// replies, `[replies] use_inferred = false` turns them off, and reading again changes
/// nothing.
#[test]
fn irc_logs_in_the_store_get_inferred_replies() {
    let dir = data_dir(None);
    let dev = irc("dev");
    let first = json(
        dir.path(),
        &["ingest", "irc", dev.to_str().expect("path"), "--json"],
    );
    let read = first["read"].as_u64().expect("read");
    let inferred = first["replies_inferred"].as_u64().expect("inferred");
    // Most lines answer someone; the rest start conversations.
    assert!(
        inferred > read / 2 && inferred < read,
        "{inferred} of {read}"
    );
    let report = json(dir.path(), &["report", "--json"]);
    let i = &report["interactions"];
    assert_eq!(i["inferred_replies"].as_u64(), Some(inferred));
    assert_eq!(i["replies"], 0);
    // Reading again adds nothing and infers the same.
    let again = json(
        dir.path(),
        &["ingest", "irc", dev.to_str().expect("path"), "--json"],
    );
    assert_eq!(again["added"], 0);
    assert_eq!(json(dir.path(), &["report", "--json"])["interactions"], *i);
    // Off: only mentions remain (with inference on, a mention of the person answered is
    // part of the reply, so there are more of them now).
    std::fs::write(
        dir.path().join("hearth.toml"),
        "[replies]\nuse_inferred = false\n",
    )
    .expect("rules");
    let off = json(dir.path(), &["report", "--json"]);
    assert_eq!(off["interactions"]["inferred_replies"], 0);
    assert!(off["interactions"]["mentions"].as_u64() > i["mentions"].as_u64());
    // explain shows inferred links with their confidence.
    std::fs::write(dir.path().join("hearth.toml"), "").expect("rules");
    let e = json(
        dir.path(),
        &["explain", "reply_inference", "--limit", "3", "--json"],
    );
    assert_eq!(e["behind"]["inferred_in_scope"].as_u64(), Some(inferred));
    let ex = &e["behind"]["examples"][0];
    let c = ex["confidence"].as_f64().expect("confidence");
    assert!(c > 0.0 && c <= 1.0);
    assert!(ex["answers"]["message"].as_i64() < ex["message"].as_i64());
}
