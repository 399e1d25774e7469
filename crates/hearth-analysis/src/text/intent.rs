//! **Message intent**: what an inbound message wants — and whether it waits for an answer.
//!
//! Each message gets one intent from its own words (quotes, the quoted history and pasted
//! output left out, see [`super::sentiment::own_words`]), by the first rule that holds, in
//! this order; the rule's name is shown with the message:
//!
//! 1. `announcement` — tells news, no question mark: `announce`, `released`, `release of`,
//!    `now available`, `is out`, `we are hiring`, `looking to fill`, `positions`.
//! 2. `thanks` — a closing, in a reply without a question mark: a "solved" phrase in the
//!    first 40 words (`that works`, `works now`, `is solved`, `managed to`, `was able to`,
//!    `exactly what I needed`, `glad`, `no problem`; not after `hopefully`), or thanks
//!    (`thanks`, `thank you`, `cheers`, …) in a message of at most 40 words with no problem
//!    word.
//! 3. `request` — asks for something of the writer's own: `could I get`, `can I get`,
//!    `please add|share|provide|send`, `would be useful|great|nice|a good`, `feature request`,
//!    `gather any`.
//! 4. `problem` — the writer's own trouble (a thread start, or more first-person words — `I`,
//!    `my`, `we` — than second-person ones: an answer speaks of *your* problem) with two or
//!    more problem words (`error`, `fails`, `doesn't work`, `unable`, `issue`, `trouble`,
//!    `crash`, …), or one and no question mark.
//! 5. `question` — a question mark in the own words (links left out); in a reply, unless
//!    every question only asks the asker back (`have you`, `did you`, `are you sure`, `what
//!    version`: a helper's, so `other`). Or, for the writer's own trouble, a question opener
//!    (`how`, `what`, `is there` first; `has anyone`, `I was wondering`, `looking for`,
//!    `trying to`, `I want to`, … anywhere), or one problem word.
//! 6. `praise` — praise words (`great`, `awesome`, `love`, `cool idea`, `well done`, …).
//! 7. `question` — any other thread start of three words or more: a member opens a thread to
//!    be answered.
//! 8. `other` — answers, discussion, everything else.
//!
//! Only `question`, `problem` and `request` **wait for an answer**: the social response rate
//! counts only those items, and the routing's `unanswered` and the question queue take only
//! those. Measured on 200 real messages labelled by hand before the rules were written
//! (`fixtures/intents/labels.jsonl`, drawn by `fixtures/intents/draw.py`); precision and
//! recall per intent are in docs/metrics.md and checked by `intents_match_the_hand_labels`.

use super::sentiment::Fnv;
use serde::Serialize;

/// What a message wants.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Intent {
    Question,
    Problem,
    Request,
    Thanks,
    Announcement,
    Praise,
    #[default]
    Other,
}

impl Intent {
    pub const ALL: [Intent; 7] = [
        Intent::Question,
        Intent::Problem,
        Intent::Request,
        Intent::Thanks,
        Intent::Announcement,
        Intent::Praise,
        Intent::Other,
    ];

    /// Whether a message of this intent waits for an answer.
    pub fn waits(self) -> bool {
        matches!(self, Intent::Question | Intent::Problem | Intent::Request)
    }

    pub fn name(self) -> &'static str {
        match self {
            Intent::Question => "question",
            Intent::Problem => "problem",
            Intent::Request => "request",
            Intent::Thanks => "thanks",
            Intent::Announcement => "announcement",
            Intent::Praise => "praise",
            Intent::Other => "other",
        }
    }

    pub fn parse(name: &str) -> Option<Intent> {
        Intent::ALL.into_iter().find(|i| i.name() == name)
    }
}

/// An intent and the rule that gave it (shown with the message).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Classified {
    pub intent: Intent,
    pub rule: &'static str,
}

/// Closings that hold even with a problem word ("I was able to fix the bug").
const SOLVED: &[&str] = &[
    "that works",
    "that worked",
    "works now",
    "it works",
    "is solved",
    "problem solved",
    "issue solved",
    "now solved",
    "that solved",
    "is resolved",
    "managed to",
    "was able to",
    "exactly what i needed",
    "exactly the info i needed",
    "glad",
    "not a problem",
    "no problem",
];
/// Thanks: a closing when the message is short and reports no problem.
const THANKS: &[&str] = &[
    "thanks",
    "thank you",
    "thank u",
    "thx",
    "many thanks",
    "cheers",
];
/// Words of a short thanks.
const SHORT: usize = 40;
const REQUEST: &[&str] = &[
    "could i get",
    "can i get",
    "please add",
    "please share",
    "please provide",
    "please send",
    "would be useful",
    "would be great",
    "would be nice",
    "would be a good",
    "feature request",
    "gather any",
];
const ANNOUNCE: &[&str] = &[
    "announce",
    "announcing",
    "released",
    "release of",
    "now available",
    "is out",
    "we are hiring",
    "we're hiring",
    "looking to fill",
    "positions",
];
const PROBLEM: &[&str] = &[
    "error",
    "errors",
    "fail",
    "fails",
    "failed",
    "failing",
    "failure",
    "crash",
    "crashes",
    "crashed",
    "broken",
    "doesn't work",
    "does not work",
    "not working",
    "stopped working",
    "won't",
    "unable",
    "not able",
    "can't",
    "cannot",
    "bug",
    "stuck",
    "problem",
    "problems",
    "issue",
    "issues",
    "trouble",
    "warning",
    "warnings",
    "doesn't fix",
    "no data",
    "not been able",
    "haven't received",
    "lost",
    "dip",
];
/// Openers of a question when a message starts with them.
const OPENERS: &[&str] = &[
    "how",
    "what",
    "why",
    "which",
    "where",
    "is there",
    "are there",
];
/// Phrases of a question anywhere in a message.
const ASKING: &[&str] = &[
    "does anyone",
    "has anyone",
    "anyone",
    "can anyone",
    "i was wondering",
    "wondering",
    "i would like to know",
    "i'd like to know",
    "looking for",
    "i am looking",
    "i'm looking",
    "trying to figure out",
    "any suggestions",
    "any idea",
    "any ideas",
    "curious",
    "not sure how",
    "trying to",
    "i want to",
    "i would like",
    "i'd like",
];
/// Questions that ask the asker back: a helper's, in a reply.
const ASK_BACK: &[&str] = &[
    "have you",
    "did you",
    "are you sure",
    "are you",
    "what version",
    "what type",
    "what sample",
    "which version",
];
const PRAISE: &[&str] = &[
    "great",
    "awesome",
    "amazing",
    "excellent",
    "fantastic",
    "brilliant",
    "love",
    "cool idea",
    "good insight",
    "well done",
    "nice work",
    "impressed",
    "kudos",
];

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .map(|w| w.trim_matches(['\'', '’']).replace('’', "'").to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

/// The lists the rules look for, in one index by first word (one lookup a word).
#[derive(Clone, Copy, PartialEq, Eq)]
enum List {
    Problem,
    Solved,
    Thanks,
    Request,
    Announce,
    Openers,
    Asking,
    AskBack,
    Praise,
}

const LISTS: [(List, &[&str]); 9] = [
    (List::Problem, PROBLEM),
    (List::Solved, SOLVED),
    (List::Thanks, THANKS),
    (List::Request, REQUEST),
    (List::Announce, ANNOUNCE),
    (List::Openers, OPENERS),
    (List::Asking, ASKING),
    (List::AskBack, ASK_BACK),
    (List::Praise, PRAISE),
];

/// Phrases by first word: (list, index in the list, the words after the first).
type ByFirst = std::collections::HashMap<String, Vec<(List, usize, Vec<String>)>, Fnv>;

/// Each phrase of every list, indexed by its first word.
struct Phrases {
    by_first: ByFirst,
}

/// What a scan found: distinct phrases of each list; `Solved` counts only in the first
/// `SHORT` words and `Openers` only at the start.
#[derive(Default)]
struct Found {
    counts: [usize; 9],
}

impl Found {
    fn of(&self, list: List) -> usize {
        self.counts[list as usize]
    }
}

impl Phrases {
    fn new() -> Self {
        let mut by_first = ByFirst::default();
        for (list, phrases) in LISTS {
            for (k, p) in phrases.iter().enumerate() {
                let w = words(p);
                if let Some((first, rest)) = w.split_first() {
                    by_first
                        .entry(first.clone())
                        .or_default()
                        .push((list, k, rest.to_vec()));
                }
            }
        }
        Phrases { by_first }
    }

    fn scan(&self, hay: &[&str]) -> Found {
        let mut found = Found::default();
        let mut seen: Vec<(List, usize)> = Vec::new();
        for (at, w) in hay.iter().enumerate() {
            let Some(list) = self.by_first.get(*w) else {
                continue;
            };
            for (l, k, rest) in list {
                let counts = match l {
                    List::Solved => at < SHORT,
                    List::Openers => at == 0,
                    _ => true,
                };
                if counts && !seen.contains(&(*l, *k)) && follows(&hay[at + 1..], rest) {
                    seen.push((*l, *k));
                    found.counts[*l as usize] += 1;
                }
            }
        }
        found
    }
}

/// Whether `hay` starts with the words `rest`.
fn follows(hay: &[&str], rest: &[String]) -> bool {
    hay.len() >= rest.len() && rest.iter().zip(hay).all(|(a, b)| a == b)
}

/// The text lowercased, with typographic apostrophes made plain (one allocation).
pub(crate) fn normalized(text: &str) -> String {
    match normalized_lower(&text.to_lowercase()) {
        std::borrow::Cow::Owned(plain) => plain,
        std::borrow::Cow::Borrowed(lower) => lower.to_owned(),
    }
}

/// [`normalized`] of text already lowercased: itself, unless it has typographic apostrophes.
pub(crate) fn normalized_lower(lower: &str) -> std::borrow::Cow<'_, str> {
    if lower.contains('’') {
        std::borrow::Cow::Owned(lower.replace('’', "'"))
    } else {
        std::borrow::Cow::Borrowed(lower)
    }
}

/// Words of normalized text, as slices of it.
pub(crate) fn tokens(norm: &str) -> Vec<&str> {
    if norm.is_ascii() {
        return ascii_tokens(norm);
    }
    norm.split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .map(|w| w.trim_matches('\''))
        .filter(|w| !w.is_empty())
        .collect()
}

/// [`tokens`] of ASCII text, byte by byte (the same words: a unit test compares them).
fn ascii_tokens(norm: &str) -> Vec<&str> {
    let mut out = Vec::with_capacity(norm.len() / 5);
    super::ascii_words(
        norm,
        |c| c.is_ascii_alphanumeric() || c == b'\'',
        |c| c == b'\'',
        |w| out.push(w),
    );
    out
}

fn phrases() -> &'static Phrases {
    static PHRASES: std::sync::OnceLock<Phrases> = std::sync::OnceLock::new();
    PHRASES.get_or_init(Phrases::new)
}

/// The sentences of `text` that end in a question mark (links left out).
fn questions(text: &str) -> Vec<String> {
    // A question ends in a question mark: most messages have none.
    if !text.contains('?') {
        return Vec::new();
    }
    let cleaned: String = text
        .split_whitespace()
        .filter(|w| !super::has(w, b"://") && !w.starts_with("www."))
        .collect::<Vec<_>>()
        .join(" ");
    let mut out = Vec::new();
    let mut start = 0;
    for (k, c) in cleaned.char_indices() {
        if matches!(c, '.' | '!' | '?' | '\n') {
            if c == '?' {
                out.push(cleaned[start..k].trim().to_lowercase());
            }
            start = k + c.len_utf8();
        }
    }
    out
}

/// What the rules look at in a message's own words, found once (a message is classified as
/// a thread start and as a reply from the same features).
#[derive(Debug, Clone)]
pub struct Features {
    words: usize,
    asked: bool,
    asks_only_back: bool,
    problems: usize,
    first_person: usize,
    second_person: usize,
    opener: bool,
    announce: bool,
    hopefully_early: bool,
    solved_early: bool,
    thanks: bool,
    request: bool,
    praise: bool,
}

/// The features of a message's own words.
pub fn features(own: &str) -> Features {
    let norm = normalized(own);
    features_of(own, &tokens(&norm))
}

/// [`features`] from the own words and their [`tokens`] (computed once by the caller).
pub(crate) fn features_of(own: &str, w: &[&str]) -> Features {
    let p = phrases();
    let asked = questions(own);
    let (mut first_person, mut second_person) = (0, 0);
    for x in w {
        match *x {
            "i" | "i'm" | "i've" | "i'd" | "my" | "me" | "we" | "our" | "us" => first_person += 1,
            "you" | "your" | "you're" | "you'll" | "you've" => second_person += 1,
            _ => {}
        }
    }
    let found = p.scan(w);
    Features {
        words: w.len(),
        asks_only_back: !asked.is_empty()
            && asked.iter().all(|q| {
                let qn = normalized(q);
                p.scan(&tokens(&qn)).of(List::AskBack) > 0
            }),
        asked: !asked.is_empty(),
        problems: found.of(List::Problem),
        first_person,
        second_person,
        opener: found.of(List::Openers) > 0 || found.of(List::Asking) > 0,
        announce: found.of(List::Announce) > 0,
        hopefully_early: w[..w.len().min(SHORT)].contains(&"hopefully"),
        solved_early: found.of(List::Solved) > 0,
        thanks: found.of(List::Thanks) > 0,
        request: found.of(List::Request) > 0,
        praise: found.of(List::Praise) > 0,
    }
}

/// The intent of a message from its own words; `starts_thread` is whether it opens a thread
/// (a reply's questions and problem words are often a helper's, about the asker's problem).
pub fn classify(own: &str, starts_thread: bool) -> Classified {
    decide(&features(own), starts_thread)
}

/// The intent from a message's [`features`].
pub fn decide(f: &Features, starts_thread: bool) -> Classified {
    let c = |intent, rule| Classified { intent, rule };
    // Whose trouble is it? The writer's ("I", "my", "we") or the reader's ("you", "your").
    let own_trouble = starts_thread || f.first_person > f.second_person;
    if !f.asked && f.announce {
        return c(Intent::Announcement, "tells news");
    }
    // A closing says so early ("Thanks, that works"; "I was able to fix it"), in a reply.
    if !f.asked
        && !starts_thread
        && !f.hopefully_early
        && (f.solved_early || (f.thanks && f.problems == 0 && f.words <= SHORT))
    {
        return c(Intent::Thanks, "thanks or solved, no question");
    }
    if f.request && own_trouble {
        return c(Intent::Request, "asks for something");
    }
    if own_trouble && (f.problems >= 2 || (f.problems == 1 && !f.asked)) {
        return c(Intent::Problem, "reports a problem of the writer's");
    }
    if f.asked {
        if !starts_thread && f.asks_only_back {
            return c(Intent::Other, "a reply that asks the asker back");
        }
        return c(Intent::Question, "asks a question");
    }
    if f.opener && own_trouble {
        return c(Intent::Question, "opens like a question");
    }
    if f.problems >= 1 && own_trouble {
        return c(Intent::Problem, "reports a problem of the writer's");
    }
    if f.praise {
        return c(Intent::Praise, "praises");
    }
    if starts_thread && f.words >= 3 {
        return c(Intent::Question, "opens a thread");
    }
    c(Intent::Other, "none of the above")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_tokens_are_the_tokens_of_the_split() {
        let text = crate::test_text::usrp_users_2019();
        let mut lines = 0;
        for line in text
            .lines()
            .chain(["", "'''", "it's 'quoted' don't'", "a''b -- c"])
            .filter(|l| l.is_ascii())
        {
            let norm = normalized(line);
            let split: Vec<&str> = norm
                .split(|c: char| !(c.is_alphanumeric() || c == '\''))
                .map(|w| w.trim_matches('\''))
                .filter(|w| !w.is_empty())
                .collect();
            assert_eq!(ascii_tokens(&norm), split, "{line:?}");
            lines += 1;
        }
        assert!(lines > 10_000, "{lines}");
    }

    #[test]
    fn each_rule() {
        let i = |t: &str, root: bool| classify(t, root).intent;
        assert_eq!(i("Great, thanks! That works.", false), Intent::Thanks);
        assert_eq!(i("How do I flush the buffer?", true), Intent::Question);
        assert_eq!(i("Have you tried a newer UHD?", false), Intent::Other);
        assert_eq!(i("The build fails with an error.", true), Intent::Problem);
        assert_eq!(i("Could I get an example pls", false), Intent::Request);
        assert_eq!(
            i("We are hiring: two positions.", true),
            Intent::Announcement
        );
        assert_eq!(i("cool idea, good insight", false), Intent::Praise);
        assert_eq!(i("There'll be aliasing.", false), Intent::Other);
        assert!(Intent::Question.waits() && !Intent::Thanks.waits());
    }
}
