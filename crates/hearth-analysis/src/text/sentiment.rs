//! **Sentiment** of a message: a small lexicon, offline, and explainable word by word.
//!
//! The text is cleaned first: quoted lines (`>` …), everything from the quoted history or the
//! signature on (`On … wrote:`, `-----Original Message-----`, `From: …`, `-- `), pasted
//! terminal output and logs ([`looks_like_output`]) and code-looking tokens are
//! dropped, so a reply is scored on its own words. Each remaining word found in the lexicon
//! ([`LEXICON`], weights −3…+3) adds its weight, once per message; a negator (`not`, `no`,
//! `never`, `n't`, `without`, `hardly`) in the three words before flips and halves it
//! (`not good` = −1); an intensifier (`very`, `really`, `so`, `extremely`, `totally`) right
//! before multiplies it by 1.5. `score` is the sum; `compound = score / √(score² + 15)` maps
//! it into (−1, 1) (the normalisation VADER uses); the label is `positive` at
//! `compound ≥ 0.3`, `negative` at `≤ −0.3`, else `neutral`.
//!
//! **Domain-aware:** words that sound negative but describe technical work — `error`, `bug`,
//! `fail`, `crash`, `kill`, `abort`, `fatal`, `issue`, `problem`, `broken`, `warning`,
//! `exception`, `dead`, `lost`, `drop`, `overflow` and the like ([`TECHNICAL`]) — score 0 and
//! are listed as such in the explanation: a bug report is not hostility.
//!
//! Example: "Thanks, that fixed it! The error is gone." → `thanks` +2, `fixed` +1, `error`
//! technical 0: score 3, compound 0.61, positive.

use serde::Serialize;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Word weights. Hand-written for community talk (support, development, meetups).
pub const LEXICON: &[(&str, f64)] = &[
    ("thanks", 2.0),
    ("thank", 2.0),
    ("thx", 1.5),
    ("appreciate", 2.0),
    ("appreciated", 2.0),
    ("great", 2.0),
    ("awesome", 3.0),
    ("excellent", 3.0),
    ("amazing", 3.0),
    ("fantastic", 3.0),
    ("wonderful", 3.0),
    ("love", 2.5),
    ("loved", 2.5),
    ("like", 0.5),
    ("nice", 1.5),
    ("good", 1.5),
    ("glad", 2.0),
    ("happy", 2.0),
    ("helpful", 2.0),
    ("useful", 1.5),
    ("works", 1.0),
    ("worked", 1.0),
    ("working", 0.5),
    ("fixed", 1.0),
    ("solved", 1.5),
    ("resolved", 1.5),
    ("perfect", 2.5),
    ("perfectly", 2.0),
    ("cool", 1.5),
    ("welcome", 1.5),
    ("congrats", 2.5),
    ("congratulations", 2.5),
    ("kudos", 2.5),
    ("cheers", 1.0),
    ("enjoy", 2.0),
    ("enjoyed", 2.0),
    ("easy", 1.0),
    ("fine", 0.5),
    ("best", 2.0),
    ("better", 1.0),
    ("impressive", 2.5),
    ("brilliant", 3.0),
    ("beautiful", 2.5),
    ("excited", 2.0),
    ("exciting", 2.0),
    ("fun", 2.0),
    ("grateful", 2.5),
    ("pleased", 2.0),
    ("recommend", 1.5),
    ("success", 2.0),
    ("successful", 2.0),
    ("successfully", 1.5),
    ("smooth", 1.5),
    ("clear", 1.0),
    ("sorry", -0.5),
    ("bad", -1.5),
    ("worse", -2.0),
    ("worst", -3.0),
    ("terrible", -3.0),
    ("awful", -3.0),
    ("horrible", -3.0),
    ("hate", -3.0),
    ("hated", -3.0),
    ("annoying", -2.0),
    ("annoyed", -2.0),
    ("frustrated", -2.5),
    ("frustrating", -2.5),
    ("frustration", -2.5),
    ("disappointed", -2.5),
    ("disappointing", -2.5),
    ("useless", -2.5),
    ("stupid", -2.5),
    ("ridiculous", -2.5),
    ("unacceptable", -3.0),
    ("angry", -3.0),
    ("upset", -2.0),
    ("confused", -1.0),
    ("confusing", -1.5),
    ("unfortunately", -1.0),
    ("sadly", -1.5),
    ("sad", -2.0),
    ("painful", -2.0),
    ("pain", -1.5),
    ("mess", -2.0),
    ("crap", -3.0),
    ("sucks", -3.0),
    ("waste", -2.5),
    ("wasted", -2.5),
    ("rude", -3.0),
    ("scam", -3.0),
    ("nobody", -1.0),
    ("difficult", -1.0),
    ("hard", -0.5),
    ("slow", -1.0),
    ("stuck", -1.0),
    ("struggling", -1.5),
    ("worried", -1.5),
    ("worry", -1.0),
    ("afraid", -1.5),
    ("disaster", -3.0),
    ("nightmare", -3.0),
    ("poor", -2.0),
    ("poorly", -2.0),
    ("ugly", -2.0),
    ("unhappy", -2.5),
    ("lol", 1.0),
    ("haha", 1.5),
    ("yay", 2.0),
    ("wow", 1.5),
    ("please", 0.0),
    ("help", 0.0),
    ("agree", 1.0),
    ("disagree", -1.0),
    ("wrongly", -1.0),
    ("shame", -2.0),
    ("embarrassing", -2.0),
    ("complain", -1.5),
    ("complaint", -1.5),
    ("refund", -1.0),
    ("cancel", -1.0),
    ("unsubscribe", -1.0),
    ("spam", -2.0),
];

/// Words that sound negative but are the ordinary vocabulary of technical work: weight 0.
pub const TECHNICAL: &[&str] = &[
    "error",
    "errors",
    "bug",
    "bugs",
    "buggy",
    "fail",
    "fails",
    "failed",
    "failing",
    "failure",
    "failures",
    "crash",
    "crashes",
    "crashed",
    "crashing",
    "kill",
    "killed",
    "kills",
    "abort",
    "aborted",
    "fatal",
    "issue",
    "issues",
    "problem",
    "problems",
    "broken",
    "break",
    "breaks",
    "warning",
    "warnings",
    "exception",
    "exceptions",
    "dead",
    "deadlock",
    "lost",
    "lose",
    "drop",
    "dropped",
    "drops",
    "overflow",
    "overflows",
    "underflow",
    "underrun",
    "underruns",
    "timeout",
    "timeouts",
    "reject",
    "rejected",
    "missing",
    "invalid",
    "wrong",
    "panic",
    "segfault",
    "corrupt",
    "corrupted",
    "leak",
    "leaks",
    "hang",
    "hangs",
    "stall",
    "stalls",
    "noise",
    "noisy",
    "attack",
    "critical",
    "severe",
    "block",
    "blocked",
    "blocking",
    "terminate",
    "terminated",
    "illegal",
    "denied",
    "deny",
    "negative",
    "loss",
    "garbage",
    "ignored",
    "ignore",
    "ignores",
    "ignoring",
    "junk",
];

const NEGATORS: &[&str] = &[
    "not", "no", "never", "without", "hardly", "nothing", "nor", "cannot",
];
const INTENSIFIERS: &[&str] = &[
    "very",
    "really",
    "so",
    "extremely",
    "totally",
    "super",
    "absolutely",
];

/// One word that moved (or, for a technical word, did not move) the score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contribution {
    pub word: String,
    pub weight: f64,
    /// `lexicon`, `negated`, `intensified` or `technical (neutral)`.
    pub why: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scored {
    pub score: f64,
    pub compound: f64,
    pub label: &'static str,
    pub words: Vec<Contribution>,
}

/// The text without quoted lines and the `On … wrote:` lines that introduce them.
pub fn own_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    own_words_to(text, &mut out);
    out
}

/// [`own_words`] appended to `out`; true when the text ended at a quoted history or a
/// signature (so that nothing after it is the writer's either). Lines are taken one by one,
/// so the own words of `a` then `b` are those of `a`, then, unless `a` ended, those of `b`.
pub fn own_words_to(text: &str, out: &mut String) -> bool {
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with('>') {
            continue;
        }
        // Where the quoted history or the signature begins, the writer's own words end.
        // (Whatever starts with "On " and ends with "wrote:" ends with "wrote:".)
        if t.trim_end().ends_with("wrote:")
            || t.starts_with("-----Original Message")
            || t.starts_with("________________")
            || t.starts_with("From: ")
            || line == "-- "
        {
            return true;
        }
        if looks_like_output(t) {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    false
}

/// The first words of a log line.
const LOG_LEVELS: [&str; 7] = [
    "INFO", "ERROR", "WARNING", "WARN", "DEBUG", "TRACE", "FATAL",
];

/// Pasted terminal output and logs (`[INFO] …`, `user@host:~$ …`, lines mostly of symbols
/// and numbers) are not the writer's words.
pub fn looks_like_output(line: &str) -> bool {
    let t = line.trim();
    let b = t.as_bytes();
    match b.first() {
        Some(b'[' | b'$' | b'#' | b'|' | b'+') => return true,
        // Only these letters start a log level.
        Some(b'I' | b'E' | b'W' | b'D' | b'T' | b'F') => {
            let first = t.split_whitespace().next().unwrap_or("");
            if LOG_LEVELS.contains(&first.trim_end_matches([':', ']'])) {
                return true;
            }
        }
        _ => {}
    }
    // A prompt: `:~$`, or `$ ` anywhere (each `$` found by `memchr`).
    let mut from = 0;
    while let Some(k) = t[from..].find('$') {
        let j = from + k;
        if b.get(j + 1) == Some(&b' ') || (j >= 2 && &b[j - 2..j] == b":~") {
            return true;
        }
        from = j + 1;
    }
    if b.len() <= 12 {
        return false;
    }
    // The share of letters, in two passes the compiler makes wide. Bytes, not chars: a byte
    // of a multi-byte character counts as a letter (scripts other than Latin are words),
    // ASCII letters are letters, other ASCII is not.
    let visible = b.iter().filter(|c| !c.is_ascii_whitespace()).count();
    let letters = b
        .iter()
        .filter(|&&c| c.is_ascii_alphabetic() || c >= 0x80)
        .count();
    visible > 12 && letters * 5 < visible * 3
}

/// The word tables as one hash map, built once: what each word is to the scorer (a
/// technical word is technical even where the lexicon weighs it; a weight of zero is no
/// weight). Words not in it are [`Kind::Other`].
struct Tables {
    kinds: HashMap<&'static str, Kind, Fnv>,
}

/// FNV-1a: words are short and not chosen by an attacker who could gain from collisions in
/// a read-only table, so a fast hash serves better than SipHash here.
#[derive(Default, Clone, Copy)]
pub(crate) struct FnvHasher(u64);

impl std::hash::Hasher for FnvHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

pub(crate) type Fnv = std::hash::BuildHasherDefault<FnvHasher>;

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut kinds: HashMap<&'static str, Kind, Fnv> = HashMap::default();
        // Later entries of the lexicon win, as when it was collected into a map of its own.
        for &(w, v) in LEXICON {
            kinds.insert(
                w,
                if v != 0.0 {
                    Kind::Weighted(v)
                } else {
                    Kind::Other
                },
            );
        }
        for &w in TECHNICAL {
            kinds.insert(w, Kind::Technical);
        }
        kinds.retain(|_, k| *k != Kind::Other);
        Tables { kinds }
    })
}

/// What a word is to the scorer.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Other,
    Technical,
    Weighted(f64),
}

pub fn score(text: &str) -> Scored {
    score_own(&own_words(text))
}

/// [`score`] of text already reduced to its [`own_words`].
pub fn score_own(own: &str) -> Scored {
    score_lower(&own.to_lowercase())
}

/// [`score_own`] of own words already lowercased (`str::to_lowercase`).
pub(crate) fn score_lower(clean: &str) -> Scored {
    let t = tables();
    // Words as slices of the cleaned text; "n't" becomes "not"; a code-looking token is one
    // empty word (it separates, and says nothing).
    let mut words: Vec<&str> = Vec::new();
    for raw in clean.split_whitespace() {
        if raw.contains(['/', '_', '(', '=', '{', '<']) || super::has(raw, b"::") {
            words.push("");
            continue;
        }
        for w in raw.split(|c: char| !(c.is_alphanumeric() || c == '\'')) {
            if w.is_empty() {
                continue;
            }
            if let Some(stem) = w.strip_suffix("n't") {
                words.push(stem);
                words.push("not");
            } else {
                words.push(w.trim_matches('\''));
            }
        }
    }
    let mut out = Vec::new();
    let mut total = 0.0;
    let mut seen: Vec<&str> = Vec::new();
    for (k, &w) in words.iter().enumerate() {
        let kind = t.kinds.get(w).copied().unwrap_or(Kind::Other);
        if kind == Kind::Other {
            continue;
        }
        // Each word counts once a message: a pasted log repeating "successfully" is not joy.
        if seen.contains(&w) {
            continue;
        }
        seen.push(w);
        let Kind::Weighted(mut v) = kind else {
            out.push(Contribution {
                word: w.to_owned(),
                weight: 0.0,
                why: "technical (neutral)",
            });
            continue;
        };
        let mut why = "lexicon";
        if k > 0 && INTENSIFIERS.contains(&words[k - 1]) {
            v *= 1.5;
            why = "intensified";
        }
        if words[k.saturating_sub(3)..k]
            .iter()
            .any(|p| NEGATORS.contains(p))
        {
            v = -v / 2.0;
            why = "negated";
        }
        total += v;
        out.push(Contribution {
            word: w.to_owned(),
            weight: v,
            why,
        });
    }
    let compound = total / (total * total + 15.0).sqrt();
    Scored {
        score: total,
        compound,
        label: if compound >= 0.3 {
            "positive"
        } else if compound <= -0.3 {
            "negative"
        } else {
            "neutral"
        },
        words: out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first form of [`looks_like_output`], three passes over the line: the one-pass
    /// form must say the same of every line.
    fn looks_like_output_by_rules(line: &str) -> bool {
        let t = line.trim();
        if t.starts_with(['[', '$', '#', '|', '+']) || t.contains(":~$") || t.contains("$ ") {
            return true;
        }
        let first = t.split_whitespace().next().unwrap_or("");
        if LOG_LEVELS
            .iter()
            .any(|k| first.trim_end_matches([':', ']']) == *k)
        {
            return true;
        }
        let visible = t.bytes().filter(|b| !b.is_ascii_whitespace()).count();
        let letters = t
            .bytes()
            .filter(|&b| b.is_ascii_alphabetic() || b >= 0x80)
            .count();
        visible > 12 && letters * 5 < visible * 3
    }

    #[test]
    fn one_table_tells_each_word_as_the_lexicon_and_the_technical_list_did() {
        let lexicon: HashMap<&str, f64> = LEXICON.iter().copied().collect();
        let technical: std::collections::HashSet<&str> = TECHNICAL.iter().copied().collect();
        let words = LEXICON
            .iter()
            .map(|x| x.0)
            .chain(TECHNICAL.iter().copied())
            .chain(["", "usrp", "the", "notaword"]);
        for w in words {
            let by_rules = if technical.contains(w) {
                Kind::Technical
            } else {
                match lexicon.get(w) {
                    Some(&v) if v != 0.0 => Kind::Weighted(v),
                    _ => Kind::Other,
                }
            };
            let kind = tables().kinds.get(w).copied().unwrap_or(Kind::Other);
            assert!(kind == by_rules, "{w:?}");
        }
    }

    #[test]
    fn output_is_told_in_one_pass_as_by_the_rules() {
        let text = crate::test_text::usrp_users_2019();
        let extra = [
            "$ ls",
            "a$ b",
            "me@box:~$ make",
            "x:~$",
            "INFO: ok",
            "ERROR] x",
            "Fine words",
            "WARNING",
            "  $",
            "1234567890123 4",
            "ab$",
        ];
        let (mut lines, mut output) = (0, 0);
        for line in text.lines().chain(extra) {
            let fast = looks_like_output(line);
            assert_eq!(fast, looks_like_output_by_rules(line), "{line:?}");
            lines += 1;
            output += usize::from(fast);
        }
        assert!(
            lines > 10_000 && output > 100,
            "{lines} lines, {output} output"
        );
    }

    #[test]
    fn scores_are_explained() {
        let s = score("Thanks, that fixed it! The error is gone.");
        assert_eq!(s.score, 3.0);
        assert_eq!(s.label, "positive");
        assert!((s.compound - 3.0 / 24f64.sqrt()).abs() < 1e-12);
        assert!(
            s.words
                .iter()
                .any(|c| c.word == "error" && c.why == "technical (neutral)")
        );
        // Negation flips and halves.
        let n = score("This is not good");
        assert_eq!(n.score, -0.75);
        assert_eq!(n.words[0].why, "negated");
        // A bug report is not hostility.
        let bug = score("The driver crashed with a fatal error, a segfault in the kernel.");
        assert_eq!((bug.score, bug.label), (0.0, "neutral"));
        let angry = score("This is ridiculous and frustrating, totally useless.");
        assert_eq!(angry.label, "negative");
        // Quoted text is not the writer's.
        assert_eq!(score("> this is terrible\nok").score, 0.0);
        assert_eq!(score("ok\nOn Mon, Bob wrote:\nthis is terrible").score, 0.0);
        assert_eq!(score("ok\n-- \nBest, the happy team").score, 0.0);
        // Code says nothing.
        assert_eq!(score("call good_fn() now").score, 0.0);
        assert_eq!(score("that isn't great").score, -1.0);
        // Logs are not words; a word counts once.
        assert_eq!(
            score("[INFO] build finished successfully\nuser@host:~$ make").score,
            0.0
        );
        assert_eq!(score("great great great").score, 2.0);
    }
}
