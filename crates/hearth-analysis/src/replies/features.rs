//! The features of one (line, candidate parent) pair. All are yes/no, so a pair is the short
//! list of the features that hold, and the model's first layer is a sum of columns.

use super::ChatLine;
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

/// Running state over a log: who spoke last, who mentioned whom.
#[derive(Debug, Default)]
pub struct State {
    /// Latest line of each author.
    pub latest_by: HashMap<u32, u32>,
    /// Latest line mentioning each person.
    pub latest_mentioning: HashMap<u32, u32>,
    /// First line of each author.
    pub first_by: HashMap<u32, u32>,
    /// (a, b) → latest line in which a mentioned b.
    pub talked: HashMap<(u32, u32), u32>,
    /// The parent of each line so far (gold when training, inferred otherwise);
    /// [`NONE`] when unknown.
    pub parent: Vec<u32>,
    /// Whether some later line answers each line.
    pub answered: Vec<bool>,
    /// The authors who answered each line (up to a few).
    pub answered_by: HashMap<u32, Vec<u32>>,
}

/// No known parent.
pub const NONE: u32 = u32::MAX;

impl State {
    /// Records line `i` after its candidates have been scored.
    pub fn push(&mut self, i: u32, line: &ChatLine<'_>, parent: u32) {
        self.parent.push(parent);
        self.answered.push(false);
        if parent != NONE && parent < i {
            self.answered[parent as usize] = true;
            let by = self.answered_by.entry(parent).or_default();
            if by.len() < 4 && !by.contains(&line.author) {
                by.push(line.author);
            }
        }
        if line.system {
            return;
        }
        self.latest_by.insert(line.author, i);
        self.first_by.entry(line.author).or_insert(i);
        for &m in line.mentions {
            self.latest_mentioning.insert(m, i);
            self.talked.insert((line.author, m), i);
        }
    }
}

/// Appends the features of (line `i`, candidate `j`) to `out`. `state` holds lines before `i`.
pub fn pair(
    lines: &[ChatLine<'_>],
    info: &[LineInfo],
    state: &State,
    i: usize,
    j: usize,
    out: &mut Vec<u16>,
) {
    let (li, lj) = (&lines[i], &lines[j]);
    let (a, b) = (li.author, lj.author);
    let recent = |line: Option<&u32>| line.is_some_and(|&l| i - (l as usize) <= WINDOW);
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
        match state.latest_by.get(&a) {
            None => f(4),
            Some(&l) if i - l as usize > WINDOW => f(5),
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
    let cand_latest = state.latest_by.get(&b) == Some(&(j as u32));
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
        if state.latest_mentioning.get(&a) == Some(&(j as u32)) {
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
        if let Some(&prev) = state.latest_by.get(&a)
            && recent(Some(&prev))
            && lines[prev as usize].mentions.contains(&b)
        {
            f(34);
        }
        if let Some(&lb) = state.latest_by.get(&b)
            && lines[lb as usize].mentions.contains(&a)
        {
            f(35);
        }
        if recent(state.talked.get(&(a, b))) {
            f(42);
        }
        if recent(state.talked.get(&(b, a))) {
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
    if a != b && state.latest_by.get(&a).is_none_or(|&l| (l as usize) < j) {
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
        && let Some(&la) = state.latest_by.get(&a)
        && recent(Some(&la))
    {
        let pa = state.parent[la as usize];
        if pa != NONE && pa != la && lines[pa as usize].author == b {
            f(53);
        }
    }
    if state.answered[j] {
        f(54);
        if state
            .answered_by
            .get(&(j as u32))
            .is_some_and(|v| v.contains(&a))
        {
            f(55);
        }
    }
    match overlap(&info[i].words, &info[j].words) {
        0 => {}
        1 => f(38),
        _ => f(39),
    }
    if state.first_by.get(&b) == Some(&(j as u32)) {
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
