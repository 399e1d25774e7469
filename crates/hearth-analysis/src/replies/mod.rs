//! **Reply inference** for chat without threads (IRC, Slack channels, Discord): which earlier
//! line does each line answer?
//!
//! For every line, the candidates are the line itself (it starts a conversation) and the
//! [`features::WINDOW`] lines before it. Each (line, candidate) pair is described by yes/no
//! features ([`features::NAMES`]: who mentions whom, distance, time gap, who spoke last, turn
//! taking, shared words, question form, opening words); a small feed-forward network (one
//! hidden layer of ReLU units) scores each pair, and the softmax over a line's candidates gives
//! each its probability. The line's link is the most probable candidate, and its probability
//! is the link's confidence.
//!
//! The network is trained on the annotated irc-ubuntu corpus (`train/`) by
//! `hearth eval train-reply-model` (Adam, marginal likelihood of the gold parents, fixed
//! seed: the same data gives the same weights) and ships in the binary
//! (`replies/model.txt`). `hearth eval reply-links DIR` scores it on `dev/`.
//!
//! The model is only as good as the mentions it is given: Slack and Discord resolve
//! `<@U…>` mentions when reading; IRC readers give the nicks named in the text.

pub mod features;
mod mlp;

pub use mlp::{Examples, Model, TrainOptions};

use features::{LineInfo, State, WINDOW};

/// One line of chat, as inference needs it.
#[derive(Debug, Clone, Copy)]
pub struct ChatLine<'a> {
    /// Seconds (any epoch; only differences matter).
    pub time: i64,
    /// Speaker id, the same number for the same person throughout.
    pub author: u32,
    pub text: &'a str,
    /// A join, part, quit or other non-message event (links to itself).
    pub system: bool,
    /// Speaker ids this line mentions (not the author).
    pub mentions: &'a [u32],
}

/// The parent inferred for one line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Link {
    /// Index of the line answered; the line's own index when it starts a conversation.
    pub parent: u32,
    /// Probability the model gives this parent (1.0 for system lines).
    pub confidence: f32,
}

/// The shipped model, trained on irc-ubuntu `train/`.
pub fn shipped() -> &'static Model {
    static MODEL: std::sync::OnceLock<Model> = std::sync::OnceLock::new();
    MODEL.get_or_init(|| {
        Model::parse(include_str!("model.txt")).expect("the shipped reply model parses")
    })
}

/// Per-line facts the features need: question form, opening words, content words.
pub(crate) fn infos(lines: &[ChatLine<'_>]) -> Vec<LineInfo> {
    lines
        .iter()
        .map(|l| {
            // `nick: …`: the first mention is the addressee when the text starts with it.
            let first = l
                .mentions
                .first()
                .copied()
                .filter(|_| starts_with_address(l.text));
            features::line_info(l, first)
        })
        .collect()
}

fn starts_with_address(text: &str) -> bool {
    let word_end = text
        .find(|c: char| c.is_whitespace() || c == ':' || c == ',')
        .unwrap_or(text.len());
    matches!(text[word_end..].chars().next(), Some(':' | ','))
}

/// Walks a log, giving the features of each line's candidates to `visit(i, candidates)`:
/// candidate `k` of line `i` is line `i - k`. `visit` returns the line's parent (the one it
/// chose, or the gold one when training; [`features::NONE`] when unknown), which later
/// lines' conversation features read.
pub fn walk_candidates(lines: &[ChatLine<'_>], mut visit: impl FnMut(usize, &[Vec<u16>]) -> u32) {
    walk(lines, true, |i, cands, _| visit(i, cands));
}

/// [`walk_candidates`], leaving out each candidate's own words when `cand_words` is false
/// (inference adds their sums itself) and giving `visit` the lines' facts too.
fn walk(
    lines: &[ChatLine<'_>],
    cand_words: bool,
    mut visit: impl FnMut(usize, &[Vec<u16>], &[LineInfo]) -> u32,
) {
    let info = infos(lines);
    let mut state = State::default();
    let mut scan = features::Scan::default();
    let mut cands: Vec<Vec<u16>> = vec![Vec::new(); WINDOW + 1];
    for i in 0..lines.len() {
        let n = i.min(WINDOW) + 1;
        scan.line(lines, &info, &state, i, n);
        for (k, c) in cands.iter_mut().enumerate().take(n) {
            c.clear();
            // Inference leaves out far candidates that cannot matter (an empty list).
            if !cand_words && !scan.may_matter(lines, i, k) {
                continue;
            }
            features::pair(lines, &info, &state, &mut scan, i, i - k, c);
            if cand_words && k > 0 && !lines[i - k].system {
                c.extend(features::cand_words(&info[i - k]));
            }
        }
        let parent = visit(i, &cands[..n], &info);
        state.push(i as u32, &lines[i], parent);
        state.count_words(&info[i]);
    }
}

/// The most probable parent of every line.
pub fn infer(lines: &[ChatLine<'_>], model: &Model) -> Vec<Link> {
    let mut out = Vec::with_capacity(lines.len());
    let mut scores = Vec::new();
    // The sum of each recent line's own words as a candidate, by line modulo the window.
    let hidden = model.hidden();
    let mut words = vec![0f32; (WINDOW + 1) * hidden];
    walk(lines, false, |i, cands, info| {
        let slot = |j: usize| (j % (WINDOW + 1)) * hidden;
        model.partial(
            features::cand_words(&info[i]),
            &mut words[slot(i)..slot(i) + hidden],
        );
        if lines[i].system {
            out.push(Link {
                parent: i as u32,
                confidence: 1.0,
            });
            return i as u32;
        }
        scores.clear();
        for (k, c) in cands.iter().enumerate() {
            let j = i - k;
            scores.push(if c.is_empty() {
                f32::NEG_INFINITY
            } else if k == 0 || lines[j].system {
                model.score(c)
            } else {
                model.score_with(c, &words[slot(j)..slot(j) + hidden])
            });
        }
        let (best, p) = mlp::argmax_softmax(&scores);
        out.push(Link {
            parent: (i - best) as u32,
            confidence: p,
        });
        (i - best) as u32
    });
    out
}

/// The "previous message" baseline: every line answers the line before it; system lines and
/// the first line link to themselves.
pub fn previous_line(lines: &[ChatLine<'_>]) -> Vec<Link> {
    (0..lines.len())
        .map(|i| Link {
            parent: if lines[i].system || i == 0 {
                i as u32
            } else {
                i as u32 - 1
            },
            confidence: 1.0,
        })
        .collect()
}

/// Precision, recall and F of predicted links against gold links, counted as the irc-ubuntu
/// evaluation does: over the annotated lines, each (parent, line) link is one edge.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct Score {
    pub precision: f64,
    pub recall: f64,
    pub f: f64,
    /// Gold links.
    pub links: u64,
    pub predicted: u64,
    pub correct: u64,
}

impl Score {
    pub fn add(&mut self, gold: &[(u32, u32)], predicted: &[Link], annotated: &[u32]) {
        for &line in annotated {
            let Some(p) = predicted.get(line as usize) else {
                continue;
            };
            self.predicted += 1;
            if gold.contains(&(p.parent, line)) {
                self.correct += 1;
            }
        }
        self.links += gold.len() as u64;
        self.finish();
    }

    /// The score of `correct` right links among `predicted`, against `links` gold ones.
    pub fn of_counts(correct: u64, predicted: u64, links: u64) -> Score {
        let mut s = Score {
            correct,
            predicted,
            links,
            ..Score::default()
        };
        s.finish();
        s
    }

    /// Adds another part's counts (another log) to these.
    pub fn merge(&mut self, other: &Score) {
        self.links += other.links;
        self.predicted += other.predicted;
        self.correct += other.correct;
        self.finish();
    }

    fn finish(&mut self) {
        let ratio = |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        self.precision = ratio(self.correct, self.predicted);
        self.recall = ratio(self.correct, self.links);
        self.f = if self.precision + self.recall > 0.0 {
            2.0 * self.precision * self.recall / (self.precision + self.recall)
        } else {
            0.0
        };
    }
}
