//! The features of one (line, candidate parent) pair. All are yes/no, so a pair is the short
//! list of the features that hold, and the model's first layer is a sum of columns.

use super::ChatLine;
use crate::text::sentiment::Fnv;
use std::collections::HashMap;

/// How far back a line looks for its parent (the line itself is also a candidate).
pub const WINDOW: usize = 63;

/// Names of the features, in index order (the model file is written in this order).
pub const NAMES: &[&str] = &[
    "self",
    "self_system",
    "self_mentions_someone",
    "self_question",
    "self_first_line_of_author",
    "self_author_quiet_recently",
    "self_opening_words",
    "self_mentions_nobody_and_author_recent",
    "cand_system",
    "dist_1",
    "dist_2",
    "dist_3",
    "dist_4",
    "dist_5_6",
    "dist_7_9",
    "dist_10_14",
    "dist_15_24",
    "dist_25_39",
    "dist_40_plus",
    "gap_0min",
    "gap_1min",
    "gap_2_3min",
    "gap_4_9min",
    "gap_10min_plus",
    "line_mentions_cand_author",
    "line_addresses_cand_author_first_word",
    "line_mentions_cand_author_and_cand_is_their_latest",
    "line_mentions_someone_else",
    "cand_mentions_line_author",
    "cand_is_latest_mentioning_line_author",
    "cand_is_latest_of_its_author",
    "same_author",
    "same_author_and_cand_latest",
    "cand_mentions_someone_else",
    "author_prev_line_mentioned_cand_author",
    "cand_author_latest_mentions_line_author",
    "cand_question",
    "cand_question_other_author",
    "overlap_1_word",
    "overlap_2_words",
    "line_opens_with_reply_word",
    "cand_first_line_of_its_author",
    "author_talked_to_cand_author_recently",
    "cand_author_talked_to_author_recently",
    "same_author_dist_1",
    "line_mentions_nobody",
    "line_mentions_nobody_cand_latest_other",
    "cand_mentions_line_author_and_latest_of_cand_author",
    "author_silent_since_cand",
    "author_silent_since_cand_that_mentions_author",
    "author_silent_since_cand_latest_of_its_author",
    "same_author_no_mentions_dist_le_3",
    "cand_answers_line_author",
    "author_latest_answers_cand_author",
    "cand_already_answered",
    "cand_answered_by_line_author",
    "cand_starts_conversation",
];

pub const COUNT: usize = 57;

const OPENING: &[&str] = &[
    "hi", "hello", "hey", "anyone", "anybody", "does", "can", "how", "is", "what", "where", "why",
    "which", "who", "i", "im", "i'm", "i've", "ive", "when", "help", "question", "ok", "so",
];
const REPLY_WORDS: &[&str] = &[
    "yes", "no", "yeah", "yep", "nope", "thanks", "thank", "thx", "ty", "ok", "okay", "sure", "np",
    "try", "you", "your", "it", "that", "then", "well", "did", "do", "use", "lol", "hmm", "right",
    "oh", "ah",
];
const STOP: &[&str] = &[
    "that", "this", "with", "have", "just", "what", "when", "there", "from", "they", "will",
    "would", "your", "about", "then", "them", "does", "know", "like", "want", "need", "should",
    "could", "here", "some", "also", "only", "than", "into", "thanks", "been", "were", "which",
    "their", "more", "make", "sure", "yeah", "okay", "it's", "don't", "can't", "i'm", "think",
];

/// What is computed once per line.
#[derive(Debug, Clone, Default)]
pub struct LineInfo {
    pub question: bool,
    pub opening: bool,
    pub reply_word: bool,
    /// The person addressed by the first word (`nick: …`), if it is a mention.
    pub first_word_mention: Option<u32>,
    /// Hashed content words, sorted, unique.
    pub words: Vec<u64>,
    /// One bit per word (hash mod 64): two lines whose signatures do not meet share no word.
    pub signature: u64,
}

fn hash(word: &str) -> u64 {
    // FNV-1a: stable across runs and platforms.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in word.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

pub fn line_info(line: &ChatLine<'_>, first_word_person: Option<u32>) -> LineInfo {
    let text = line.text;
    let lower = text.to_lowercase();
    let mut words_iter = lower
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty());
    let first = words_iter.next().unwrap_or("");
    let second = words_iter.next().unwrap_or("");
    // When the line starts by addressing someone, the opening word is the one after it.
    let opener = if first_word_person.is_some() {
        second
    } else {
        first
    };
    let mut words: Vec<u64> = lower
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-' || c == '.'))
        .map(|w| w.trim_matches(['.', '\'', '-']))
        .filter(|w| w.len() >= 4 && !STOP.contains(w))
        .map(hash)
        .collect();
    words.sort_unstable();
    words.dedup();
    words.truncate(24);
    LineInfo {
        question: text.contains('?'),
        opening: first_word_person.is_none() && OPENING.contains(&first),
        reply_word: REPLY_WORDS.contains(&opener),
        first_word_mention: first_word_person,
        signature: words.iter().fold(0, |sig, h| sig | 1 << (h % 64)),
        words,
    }
}

fn overlap(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Running state over a log: who spoke last, who mentioned whom, and the links so far.
/// Speaker ids are small dense numbers, so most of it is plain vectors indexed by speaker.
#[derive(Debug, Default)]
pub struct State {
    /// Latest line of each author ([`NONE`]: none yet).
    latest_by: Vec<u32>,
    /// Latest line mentioning each person.
    latest_mentioning: Vec<u32>,
    /// First line of each author.
    first_by: Vec<u32>,
    /// (a, b) → latest line in which a mentioned b.
    talked: HashMap<(u32, u32), u32, Fnv>,
    /// The parent of each line so far (gold when training, inferred otherwise);
    /// [`NONE`] when unknown.
    pub parent: Vec<u32>,
    /// Whether some later line answers each line.
    pub answered: Vec<bool>,
    /// Up to four authors who answered each line.
    answered_by: Vec<[u32; 4]>,
}

/// No known parent.
pub const NONE: u32 = u32::MAX;

fn at(v: &[u32], k: u32) -> Option<u32> {
    v.get(k as usize).copied().filter(|x| *x != NONE)
}

fn set(v: &mut Vec<u32>, k: u32, value: u32) {
    let k = k as usize;
    if v.len() <= k {
        v.resize(k + 1, NONE);
    }
    v[k] = value;
}

impl State {
    pub fn latest_by(&self, author: u32) -> Option<u32> {
        at(&self.latest_by, author)
    }

    fn latest_mentioning(&self, person: u32) -> Option<u32> {
        at(&self.latest_mentioning, person)
    }

    fn first_by(&self, author: u32) -> Option<u32> {
        at(&self.first_by, author)
    }

    fn talked(&self, a: u32, b: u32) -> Option<u32> {
        self.talked.get(&(a, b)).copied()
    }

    fn answered_by(&self, line: usize, author: u32) -> bool {
        self.answered_by
            .get(line)
            .is_some_and(|list| list.contains(&author))
    }

    /// Records line `i` after its candidates have been scored.
    pub fn push(&mut self, i: u32, line: &ChatLine<'_>, parent: u32) {
        self.parent.push(parent);
        self.answered.push(false);
        self.answered_by.push([NONE; 4]);
        if parent != NONE && parent < i {
            self.answered[parent as usize] = true;
            let by = &mut self.answered_by[parent as usize];
            if !by.contains(&line.author)
                && let Some(slot) = by.iter_mut().find(|x| **x == NONE)
            {
                *slot = line.author;
            }
        }
        if line.system {
            return;
        }
        set(&mut self.latest_by, line.author, i);
        if self.first_by(line.author).is_none() {
            set(&mut self.first_by, line.author, i);
        }
        for &m in line.mentions {
            set(&mut self.latest_mentioning, m, i);
            self.talked.insert((line.author, m), i);
        }
    }
}

/// Per-line memo of facts about (line author, candidate author).
#[derive(Debug, Default)]
pub struct PairCache {
    /// For each candidate author: the line (+1) the facts were computed for, and the facts.
    entries: Vec<(u32, u8)>,
}

impl PairCache {
    fn facts(&mut self, line: usize, author: u32, compute: impl FnOnce() -> u8) -> u8 {
        let k = author as usize;
        if self.entries.len() <= k {
            self.entries.resize(k + 1, (0, 0));
        }
        let stamp = line as u32 + 1;
        if self.entries[k].0 != stamp {
            self.entries[k] = (stamp, compute());
        }
        self.entries[k].1
    }
}

/// Appends the features of (line `i`, candidate `j`) to `out`. `state` holds lines before `i`.
pub fn pair(
    lines: &[ChatLine<'_>],
    info: &[LineInfo],
    state: &State,
    cache: &mut PairCache,
    i: usize,
    j: usize,
    out: &mut Vec<u16>,
) {
    let (li, lj) = (&lines[i], &lines[j]);
    let (a, b) = (li.author, lj.author);
    let recent = |line: Option<u32>| line.is_some_and(|l| i - (l as usize) <= WINDOW);
    let mut f = |k: usize| out.push(k as u16);
    if i == j {
        f(0);
        if li.system {
            f(1);
            return;
        }
        if !li.mentions.is_empty() {
            f(2);
        }
        if info[i].question {
            f(3);
        }
        match state.latest_by(a) {
            None => f(4),
            Some(l) if i - l as usize > WINDOW => f(5),
            Some(_) => {
                if li.mentions.is_empty() {
                    f(7);
                }
            }
        }
        if info[i].opening {
            f(6);
        }
        return;
    }
    if lj.system {
        f(8);
        return;
    }
    let d = i - j;
    f(match d {
        1 => 9,
        2 => 10,
        3 => 11,
        4 => 12,
        5..=6 => 13,
        7..=9 => 14,
        10..=14 => 15,
        15..=24 => 16,
        25..=39 => 17,
        _ => 18,
    });
    let gap = (li.time - lj.time).max(0) / 60;
    f(match gap {
        0 => 19,
        1 => 20,
        2..=3 => 21,
        4..=9 => 22,
        _ => 23,
    });
    let mentions_b = li.mentions.contains(&b) && a != b;
    let cand_latest = state.latest_by(b) == Some(j as u32);
    if mentions_b {
        f(24);
        if info[i].first_word_mention == Some(b) {
            f(25);
        }
        if cand_latest {
            f(26);
        }
    } else if !li.mentions.is_empty() {
        f(27);
    }
    let j_mentions_a = lj.mentions.contains(&a) && a != b;
    if j_mentions_a {
        f(28);
        if state.latest_mentioning(a) == Some(j as u32) {
            f(29);
        }
        if cand_latest {
            f(47);
        }
    } else if !lj.mentions.is_empty() {
        f(33);
    }
    if cand_latest {
        f(30);
    }
    if a == b {
        f(31);
        if cand_latest {
            f(32);
        }
        if d == 1 {
            f(44);
        }
    } else {
        // Facts about the pair of authors are the same for every candidate by `b`: computed
        // once per line and author.
        let facts = cache.facts(i, b, || {
            let mut x = 0u8;
            if let Some(prev) = state.latest_by(a)
                && recent(Some(prev))
                && lines[prev as usize].mentions.contains(&b)
            {
                x |= 1;
            }
            if let Some(lb) = state.latest_by(b)
                && lines[lb as usize].mentions.contains(&a)
            {
                x |= 2;
            }
            if recent(state.talked(a, b)) {
                x |= 4;
            }
            if recent(state.talked(b, a)) {
                x |= 8;
            }
            x
        });
        if facts & 1 != 0 {
            f(34);
        }
        if facts & 2 != 0 {
            f(35);
        }
        if facts & 4 != 0 {
            f(42);
        }
        if facts & 8 != 0 {
            f(43);
        }
        if info[i].reply_word {
            f(40);
        }
        if info[j].question {
            f(37);
        }
    }
    if info[j].question {
        f(36);
    }
    if a != b && state.latest_by(a).is_none_or(|l| (l as usize) < j) {
        f(48);
        if j_mentions_a {
            f(49);
        }
        if cand_latest {
            f(50);
        }
    }
    if a == b && li.mentions.is_empty() && d <= 3 {
        f(51);
    }
    let pj = state.parent[j];
    if pj != NONE && pj as usize != j && lines[pj as usize].author == a && a != b {
        f(52);
    }
    if pj as usize == j {
        f(56);
    }
    if a != b
        && let Some(la) = state.latest_by(a)
        && recent(Some(la))
    {
        let pa = state.parent[la as usize];
        if pa != NONE && pa != la && lines[pa as usize].author == b {
            f(53);
        }
    }
    if state.answered[j] {
        f(54);
        if state.answered_by(j, a) {
            f(55);
        }
    }
    let shared = if info[i].signature & info[j].signature == 0 {
        0
    } else {
        overlap(&info[i].words, &info[j].words)
    };
    match shared {
        0 => {}
        1 => f(38),
        _ => f(39),
    }
    if state.first_by(b) == Some(j as u32) {
        f(41);
    }
    if li.mentions.is_empty() {
        f(45);
        if cand_latest && a != b {
            f(46);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_match_count() {
        assert_eq!(super::NAMES.len(), super::COUNT);
    }
}
