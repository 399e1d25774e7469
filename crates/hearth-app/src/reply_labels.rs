//! Reply links labelled by hand on a store's chat messages (`fixtures/slack-replies`): how the
//! reply model does outside the IRC corpus it was trained on.

use crate::{AppError, Result};
use hearth_analysis::replies::{Model, Score};
use hearth_store::Store;
use std::collections::HashMap;

/// The labels file's header row.
pub const HEADER: &str = "space\tmessage\tparent";

/// One labelled message: the earlier message it answers, or `None` when it answers nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// Line in the labels file (for errors).
    pub line: usize,
    pub space: String,
    pub message: String,
    pub parent: Option<String>,
}

/// Reads a labels file: `space`, `message`, `parent` (a native id or `new`), tab-separated,
/// under that header row (space names such as Slack's `#general` start with `#`, so there are
/// no comment lines).
pub fn parse(path: &str, text: &str) -> Result<Vec<Label>> {
    let mut out = Vec::new();
    for (k, raw) in text.lines().enumerate() {
        let line = k + 1;
        if raw.trim().is_empty() || (line == 1 && raw == HEADER) {
            continue;
        }
        let cols: Vec<&str> = raw.split('\t').collect();
        let [space, message, parent] = cols[..] else {
            return Err(AppError::Invalid(format!(
                "{path}:{line}: expected 3 tab-separated columns (space, message, parent or \
                 `new`), found {}",
                cols.len()
            )));
        };
        if space.is_empty() || message.is_empty() || parent.is_empty() {
            return Err(AppError::Invalid(format!("{path}:{line}: an empty column")));
        }
        out.push(Label {
            line,
            space: space.to_owned(),
            message: message.to_owned(),
            parent: (parent != "new").then(|| parent.to_owned()),
        });
    }
    if out.is_empty() {
        return Err(AppError::Invalid(format!("{path}: no label in it")));
    }
    Ok(out)
}

/// The model's links against the labels. Links are edges to an earlier message; "new"
/// (answers nothing earlier) is no edge, and counts only in `accuracy`.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct LabelScore {
    pub messages: u64,
    /// Messages labelled as answering an earlier one.
    pub gold_links: u64,
    /// Messages the model links to an earlier one (at or above the confidence threshold).
    pub predicted_links: u64,
    /// Predicted links to the labelled parent.
    pub correct_links: u64,
    pub precision: f64,
    pub recall: f64,
    pub f: f64,
    /// Messages labelled `new`, and those the model also leaves without a parent.
    pub gold_new: u64,
    pub correct_new: u64,
    /// Messages given exactly their label (a parent, or none): the irc-ubuntu counting, where a
    /// line that starts a conversation links to itself.
    pub accuracy: f64,
}

/// Infers the parents of the labelled messages' spaces with `model` (as an ingest does) and
/// scores them; inferred parents below `min_confidence` count as none, as in the metrics.
pub fn evaluate(
    store: &Store,
    path: &str,
    labels: &[Label],
    model: &Model,
    min_confidence: f64,
) -> Result<LabelScore> {
    // native id → (native id of the inferred parent, confidence), for every labelled space.
    let mut inferred: HashMap<String, Option<(String, f32)>> = HashMap::new();
    let mut spaces: Vec<&str> = labels.iter().map(|l| l.space.as_str()).collect();
    spaces.sort_unstable();
    spaces.dedup();
    for name in spaces {
        let ids = store.spaces_named(name)?;
        if ids.is_empty() {
            return Err(AppError::Invalid(format!(
                "{path}: no space `{name}` in the store (ingest the data the labels are of first)"
            )));
        }
        for space in ids {
            let natives: HashMap<i64, String> = store.native_ids(space)?.into_iter().collect();
            let stored = store.chat_lines(space)?;
            let mut parent: HashMap<i64, (i64, f32)> = HashMap::new();
            for link in crate::ingest::infer_space_with(&stored, model) {
                parent.insert(link.message, (link.parent, link.confidence));
            }
            for line in &stored {
                let Some(native) = natives.get(&line.id) else {
                    continue;
                };
                let p = parent
                    .get(&line.id)
                    .filter(|(_, c)| f64::from(*c) >= min_confidence)
                    .and_then(|(p, c)| natives.get(p).map(|n| (n.clone(), *c)));
                inferred.insert(native.clone(), p);
            }
        }
    }
    let mut s = LabelScore::default();
    let mut exact = 0u64;
    for label in labels {
        let Some(predicted) = inferred.get(&label.message) else {
            return Err(AppError::Invalid(format!(
                "{path}:{}: message {} is not in space {} of the store",
                label.line, label.message, label.space
            )));
        };
        s.messages += 1;
        let predicted = predicted.as_ref().map(|(p, _)| p);
        match (&label.parent, predicted) {
            (Some(gold), Some(p)) => {
                s.gold_links += 1;
                s.predicted_links += 1;
                if gold == p {
                    s.correct_links += 1;
                    exact += 1;
                }
            }
            (Some(_), None) => s.gold_links += 1,
            (None, Some(_)) => {
                s.gold_new += 1;
                s.predicted_links += 1;
            }
            (None, None) => {
                s.gold_new += 1;
                s.correct_new += 1;
                exact += 1;
            }
        }
    }
    let links = Score::of_counts(s.correct_links, s.predicted_links, s.gold_links);
    (s.precision, s.recall, s.f) = (links.precision, links.recall, links.f);
    s.accuracy = if s.messages == 0 {
        0.0
    } else {
        exact as f64 / s.messages as f64
    };
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_parse_and_bad_lines_say_where() {
        let ok = parse(
            "l.tsv",
            "space\tmessage\tparent\n#a\tC/1\tnew\n#a\tC/2\tC/1\n",
        )
        .expect("parses");
        assert_eq!(ok.len(), 2);
        assert_eq!(ok[0].parent, None);
        assert_eq!(ok[1].parent.as_deref(), Some("C/1"));
        assert_eq!(ok[1].line, 3);
        let err = parse("l.tsv", "#a\tC/1\tnew\n#a C/2 C/1\n").expect_err("two columns short");
        assert!(err.to_string().starts_with("l.tsv:2: expected 3"), "{err}");
        assert!(parse("l.tsv", "space\tmessage\tparent\n").is_err());
    }
}
