//! **Main themes** per period: the words that mark a period's member talk.
//!
//! Words are taken from each message's own words (quotes dropped, see
//! [`own_words`](super::sentiment::own_words)): lower-cased, letters and digits, at least 4
//! characters, not in the stop list, not a number; each counts once per message. A word's
//! weight in a period is `messages containing it × ln(periods ÷ periods containing it)`
//! (TF-IDF over periods), so words of every period (a list's name in every subject) weigh 0
//! and a period's own subject rises; with a single period, counts rank. Words of 4 to 20
//! characters; links, addresses and encoded text are dropped; a word needs 2 messages. The top [`TOP`] words of each period with at least 2 messages are kept.

use super::sentiment::{Fnv, own_words, own_words_to};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::OnceLock;

pub const TOP: usize = 8;

const STOP: &[&str] = &[
    "about",
    "above",
    "after",
    "again",
    "also",
    "although",
    "always",
    "another",
    "anyone",
    "anything",
    "around",
    "because",
    "been",
    "before",
    "being",
    "below",
    "best",
    "better",
    "between",
    "both",
    "cannot",
    "could",
    "does",
    "doing",
    "done",
    "down",
    "each",
    "else",
    "even",
    "every",
    "from",
    "further",
    "gets",
    "getting",
    "given",
    "going",
    "good",
    "have",
    "having",
    "hello",
    "here",
    "however",
    "into",
    "just",
    "know",
    "like",
    "list",
    "look",
    "looking",
    "made",
    "mailing",
    "make",
    "many",
    "maybe",
    "more",
    "most",
    "much",
    "must",
    "need",
    "needs",
    "never",
    "only",
    "other",
    "otherwise",
    "over",
    "please",
    "pretty",
    "quite",
    "rather",
    "really",
    "regards",
    "right",
    "said",
    "same",
    "should",
    "since",
    "some",
    "someone",
    "something",
    "still",
    "such",
    "sure",
    "take",
    "than",
    "thank",
    "thanks",
    "that",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "thing",
    "things",
    "think",
    "this",
    "those",
    "though",
    "through",
    "time",
    "too",
    "under",
    "until",
    "using",
    "very",
    "want",
    "wants",
    "well",
    "were",
    "what",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "will",
    "with",
    "within",
    "without",
    "would",
    "wrote",
    "your",
    "yours",
    "http",
    "https",
    "www",
    "html",
    "mailto",
    "subject",
    "sent",
    "message",
    "email",
    "would've",
    "don't",
    "doesn't",
    "didn't",
    "can't",
    "i'm",
    "it's",
    "that's",
    "there's",
    "i've",
    "you're",
    "isn't",
    "won't",
    "best",
    "kind",
    "cheers",
    "hope",
    "works",
    "work",
    "used",
    "trying",
    "tried",
    "able",
];

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodThemes {
    pub period: String,
    pub messages: u64,
    pub words: Vec<ThemeWord>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThemeWord {
    pub word: String,
    /// Messages of the period containing the word.
    pub messages: u64,
}

fn stop() -> &'static HashSet<&'static str, Fnv> {
    static STOPS: OnceLock<HashSet<&'static str, Fnv>> = OnceLock::new();
    STOPS.get_or_init(|| STOP.iter().copied().collect())
}

/// The words of one message, each once, sorted.
pub fn message_words(text: &str) -> Vec<String> {
    let mut words = words_of_own(&own_words(text));
    words.sort_unstable();
    words
}

/// The words of a message of `subject` and `body` (what [`message_words`] gives for the
/// subject, a line break and the body), from the body's own words (`own_body`, as
/// [`own_words`] gives them): the own words are taken line by line, so the body's need not be
/// found twice. Each word once, in the order they first appear.
pub fn subject_and_body_words(subject: &str, own_body: &str) -> Vec<String> {
    subject_and_lower_body_words(subject, &own_body.to_lowercase())
}

/// [`subject_and_body_words`] with the body's own words already lowercased. The subject's
/// own words are lowercased apart: each ends in a line break, which no case rule looks
/// across (Greek final sigma looks at the letters around it), so the words are the same.
pub(crate) fn subject_and_lower_body_words(subject: &str, lower_body: &str) -> Vec<String> {
    let mut own = String::with_capacity(subject.len());
    let ended = own_words_to(subject, &mut own);
    let mut lower = own.to_lowercase();
    if !ended {
        lower.reserve(lower_body.len() + 1);
        lower.push('\n');
        lower.push_str(lower_body);
    }
    words_of_lower(&lower)
}

/// The theme words of some own words, each once, in the order they first appear (tests
/// compare the measures' words with them).
#[cfg(test)]
pub(crate) fn message_words_in_order(own: &str) -> Vec<String> {
    words_of_own(own)
}

/// The theme words of some own words.
fn words_of_own(own: &str) -> Vec<String> {
    words_of_lower(&own.to_lowercase())
}

/// [`words_of_own`] of own words already lowercased.
fn words_of_lower(own: &str) -> Vec<String> {
    let stop = stop();
    let mut seen: HashSet<&str, Fnv> = HashSet::default();
    let mut out = Vec::new();
    for t in own.split_whitespace() {
        // Links, addresses and encoded text are not themes.
        if super::has(t, b"://")
            || t.bytes().any(|b| matches!(b, b'%' | b'@' | b'='))
            || t.starts_with("www.")
        {
            continue;
        }
        for w in t.split(|c: char| !(c.is_alphanumeric() || c == '\'')) {
            let w = w.trim_matches('\'');
            let n = if w.is_ascii() {
                w.len()
            } else {
                w.chars().count()
            };
            if (4..=20).contains(&n)
                && !w.bytes().all(|b| b.is_ascii_digit() || b == b'\'')
                && !stop.contains(w)
                && seen.insert(w)
            {
                out.push(w.to_owned());
            }
        }
    }
    out
}

/// Accumulates messages by period label, then ranks words.
#[derive(Debug, Default)]
pub struct Themes {
    periods: BTreeMap<String, (u64, HashMap<String, u64, Fnv>)>,
}

impl Themes {
    pub fn add(&mut self, period: &str, text: &str) {
        self.add_words(period, message_words(text));
    }

    /// Adds one message by its words ([`message_words`]).
    pub fn add_words(&mut self, period: &str, words: Vec<String>) {
        if !self.periods.contains_key(period) {
            self.periods.insert(period.to_owned(), Default::default());
        }
        let Some(entry) = self.periods.get_mut(period) else {
            return;
        };
        entry.0 += 1;
        for w in words {
            match entry.1.get_mut(&w) {
                Some(n) => *n += 1,
                None => {
                    entry.1.insert(w, 1);
                }
            }
        }
    }

    pub fn finish(self) -> Vec<PeriodThemes> {
        let periods: Vec<_> = self
            .periods
            .iter()
            .map(|(l, (n, w))| (l.as_str(), *n, w))
            .collect();
        rank(&periods, |w: &String| w.as_str(), |_| true)
    }
}

/// The same themes from stored theme terms: each message's words as ids into a vocabulary
/// (`hearth-store`'s `terms`), counted without reading the text; [`TermThemes::finish`]
/// ranks exactly as [`Themes::finish`] does.
#[derive(Debug, Default)]
pub struct TermThemes {
    periods: BTreeMap<String, TermCounts>,
}

/// One period's counts: its messages, and term id → in how many of them the term is.
#[derive(Debug, Clone, Default)]
pub struct TermCounts {
    messages: u64,
    terms: HashMap<u32, u64, Fnv>,
}

impl TermCounts {
    /// Adds one message by its term ids (each once).
    pub fn add(&mut self, terms: &[u32]) {
        self.messages += 1;
        for &t in terms {
            *self.terms.entry(t).or_default() += 1;
        }
    }
}

impl TermThemes {
    /// Adds one message by its term ids (each once).
    pub fn add(&mut self, period: &str, terms: &[u32]) {
        if !self.periods.contains_key(period) {
            self.periods.insert(period.to_owned(), Default::default());
        }
        if let Some(entry) = self.periods.get_mut(period) {
            entry.add(terms);
        }
    }

    /// Ranks, naming each id by `words` (an id without a word is left out).
    pub fn finish(self, words: &[String]) -> Vec<PeriodThemes> {
        let periods: Vec<_> = self.periods.iter().map(|(l, c)| (l.as_str(), c)).collect();
        TermThemes::rank(&periods, words)
    }

    /// Ranks periods' counts kept elsewhere (label, counts; in label order) as
    /// [`TermThemes::finish`] ranks a `TermThemes` holding them: counts that are sums (a
    /// month's, made once) need not be copied into one.
    pub fn rank(periods: &[(&str, &TermCounts)], words: &[String]) -> Vec<PeriodThemes> {
        let word = |id: &u32| words.get(*id as usize).map_or("", String::as_str);
        let periods: Vec<_> = periods
            .iter()
            .map(|(l, c)| (*l, c.messages, &c.terms))
            .collect();
        rank(
            &periods,
            |id: &u32| word(id),
            |id: &u32| !word(id).is_empty(),
        )
    }
}

/// TF-IDF over periods (see the module documentation), for words keyed by `K`; `periods`
/// in label order, words `keep` refuses left out.
fn rank<'a, K: std::hash::Hash + Eq + 'a>(
    periods: &[(&'a str, u64, &'a HashMap<K, u64, Fnv>)],
    word: impl Fn(&'a K) -> &'a str,
    keep: impl Fn(&K) -> bool,
) -> Vec<PeriodThemes> {
    let total = periods.len() as f64;
    let mut df: HashMap<&K, u64, Fnv> = HashMap::default();
    for (_, _, words) in periods {
        for w in words.keys().filter(|w| keep(w)) {
            *df.entry(w).or_default() += 1;
        }
    }
    periods
        .iter()
        .filter(|(_, n, _)| *n >= 2)
        .map(|(label, n, words)| {
            let mut ranked: Vec<(&str, u64, f64)> = words
                .iter()
                .filter(|(w, c)| **c >= 2 && keep(w))
                .map(|(w, c)| {
                    // A word of every period weighs 0; with one period, counts rank.
                    let idf = if total > 1.0 {
                        (total / df[w] as f64).ln()
                    } else {
                        1.0
                    };
                    (word(w), *c, *c as f64 * idf)
                })
                .collect();
            ranked.retain(|r| r.2 > 0.0);
            ranked.sort_by(|a, b| b.2.total_cmp(&a.2).then(b.1.cmp(&a.1)).then(a.0.cmp(b.0)));
            PeriodThemes {
                period: (*label).to_owned(),
                messages: *n,
                words: ranked
                    .into_iter()
                    .take(TOP)
                    .map(|(w, c, _)| ThemeWord {
                        word: w.to_owned(),
                        messages: c,
                    })
                    .collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_and_body_words_are_the_words_of_the_whole_message() {
        let cases = [
            (
                "Re: [USRP-users] B210 firmware upgrade",
                "The firmware upgrade failed.\n> quoted reply text\nOn Monday Bob wrote:\nolder words",
            ),
            ("", "Only a body, with words"),
            (
                "Ideas Bob wrote:",
                "a body that a signature-like subject ends",
            ),
            ("[INFO] pasted output subject", "a body after output"),
        ];
        for (subject, body) in cases {
            let mut words = subject_and_body_words(subject, &own_words(body));
            words.sort_unstable();
            assert_eq!(
                words,
                message_words(&format!("{subject}\n{body}")),
                "{subject:?}"
            );
        }
    }

    #[test]
    fn a_periods_own_subject_rises() {
        let mut t = Themes::default();
        for _ in 0..3 {
            t.add("2024-01", "firmware upgrade question, using the radio");
            t.add("2024-02", "meetup venue for the radio group");
        }
        let got = t.finish();
        assert_eq!(got.len(), 2);
        // "radio" is in both months: it weighs 0, and each month's own words rank.
        assert_eq!(got[0].words[0].word, "firmware");
        assert_eq!(got[1].words[0].word, "group");
        assert!(!got[0].words.iter().any(|w| w.word == "radio"));
        assert!(!got[0].words.iter().any(|w| w.word == "using"));
    }
}
